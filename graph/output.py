"""Files written whole or not at all: an export, a subgraph, an extraction.

A writer that fails half-way (a damaged store, a full disk, a kill) must not leave half a file
where the reader expects a whole one, nor spoil the whole file an earlier run left there. Each file
is written to a temporary file in the same directory (the same file system, so the last step is
one ``rename``), flushed to disk, and renamed over the destination only when it is complete.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "kg.ttl"
>>> with written(out) as tmp:
...     _ = tmp.write_text("<a> <b> <c> .\\n")
>>> out.read_text()
'<a> <b> <c> .\\n'
>>> with written(out) as tmp:
...     _ = tmp.write_text("<a> <b>")
...     raise RuntimeError("the store failed half-way")
Traceback (most recent call last):
...
RuntimeError: the store failed half-way
>>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
('<a> <b> <c> .\\n', ['kg.ttl'])
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["written", "discard_partial_files", "PARTIAL"]

#: What a temporary file's name holds, so that one left by a killed process is recognisable.
PARTIAL = ".partial"

#: The temporary files being written now, for :func:`discard_partial_files`.
_WRITING: set[Path] = set()


def discard_partial_files() -> list[Path]:
    """Remove the temporary files of every :func:`written` block still open; the paths removed.

    For a process about to end without unwinding (``os._exit``: see :mod:`regionkg.memory`),
    so that it leaves no partial file behind.

    Examples
    --------
    >>> discard_partial_files()
    []
    """
    removed = []
    for tmp in list(_WRITING):
        try:
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass
    return removed


@contextmanager
def written(path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same directory and suffix, so writers that go by the
    suffix write the same format) that becomes ``path`` when the block ends without an error.

    On an error the temporary file is removed and ``path`` is left as it was.

    Raises
    ------
    ValueError
        If ``path`` names a directory.
    FileNotFoundError
        If the directory of ``path`` does not exist.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"cannot write {str(path)!r}: it is a directory")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {str(path)!r}: no directory {str(path.parent)!r}")
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}{PARTIAL}{path.suffix}")
    _WRITING.add(tmp)
    try:
        yield tmp
        if not tmp.exists():  # the writer wrote nothing: an empty file, as writing nothing would
            tmp.touch()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        _WRITING.discard(tmp)
