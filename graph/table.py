"""The answer of a comparison query: a table of rows, its summary values, and the nodes behind it.

Every query of ``graph/`` returns a :class:`Table`: ``rows`` (plain dicts, JSON-ready), the
``columns`` shown in a table or written to CSV, ``meta`` (the values that sum the answer up: the
regions compared, the level, a Jaccard index …) and ``nodes``, the IRIs of the nodes the answer
rests on, which :func:`graph.export.export` writes as a subgraph.

Examples
--------
>>> t = Table("overlap", ["industry", "evidence"],
...           [{"industry": "新材料产业", "evidence": {"A": 2, "B": 1}}], nodes={"a", "b", "i"},
...           meta={"jaccard": 0.5})
>>> print(t.to_json())
{"jaccard": 0.5, "overlap": [{"industry": "新材料产业", "evidence": {"A": 2, "B": 1}}]}
>>> print(t.to_csv(), end="")
industry,evidence[A],evidence[B]
新材料产业,2,1
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

__all__ = ["Table"]


@dataclass
class Table:
    """Rows of an answer, with its summary and the nodes behind it.

    Parameters
    ----------
    name : str
        What the rows are (``profile``, ``overlap``, ``gaps`` …): their key in :meth:`to_dict`.
    columns : list of str
        The row keys shown as columns; rows may hold more keys (IRIs, sentences) for JSON.
    rows : list of dict
    nodes : set of str
        IRIs of the nodes the answer rests on (the subgraph to export).
    meta : dict
        Summary values, written before the rows in JSON.
    """

    name: str
    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    nodes: set[str] = field(default_factory=set)
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def column(self, name: str) -> list:
        """The values of one key over the rows (None where a row lacks it)."""
        return [row.get(name) for row in self.rows]

    def to_dict(self) -> dict:
        """``meta`` and the rows under :attr:`name`, as one JSON-ready dict."""
        return {**self.meta, self.name: self.rows}

    def to_json(self, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON text (Chinese written as is, not escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=_jsonable)

    def to_csv(self) -> str:
        """The :attr:`columns` as CSV. A dict cell becomes one column per key (``evidence[A]``),
        a list cell is joined with ``"; "``."""
        header: list[tuple[str, str | None]] = []
        for col in self.columns:
            keys = []
            for row in self.rows:
                if isinstance(row.get(col), dict):
                    keys.extend(k for k in row[col] if k not in keys)
            header.extend([(col, k) for k in keys] if keys else [(col, None)])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([col if key is None else f"{col}[{key}]" for col, key in header])
        for row in self.rows:
            cells = []
            for col, key in header:
                value = row.get(col)
                if key is not None:
                    value = value.get(key) if isinstance(value, dict) else None
                cells.append(_cell(value))
            writer.writerow(cells)
        return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _jsonable(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
