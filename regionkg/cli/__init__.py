"""The ``regionkg`` command: ingest plans, extract and evaluate, inspect and export the graph.

It only presents: every command calls ``ingest/`` and ``graph/`` functions that the app uses too.

Read commands open the store read-only (beside a writer, as the app does); only ``ingest`` and
``load`` create a store, and only in a directory that is absent or empty. What goes wrong is said
in one line on stderr (never wrapped, never a traceback), and a file is written whole or not at all.

The modules: ``common`` (the app, opening the store, errors, output files, printing answers),
``documents`` (ingest, extract, evaluate, stats, export, explain, load, copy, remove, validate),
``comparisons`` (profile, compare, timeline, gaps, similar, industries, clusters, path) and
``targets``.
"""

from __future__ import annotations

from regionkg.cli.common import app

# The command modules register their commands on ``app`` as they are imported, and ``regionkg --help``
# lists them in that order: documents and the store, comparing regions, targets.
from regionkg.cli import documents, comparisons, targets  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``regionkg`` console script."""
    app()

