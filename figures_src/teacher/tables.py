"""The numbers of a figure as CSV: one row per number, and each matrix once more as a grid."""

from __future__ import annotations

import csv
import io


def flatten(data, path: str = "") -> list[tuple[str, object]]:
    """(dotted path, value) for every leaf of the data: the long format a spreadsheet reads.

    List items are numbered from 0 ("weights.3.5" is row 3, column 5); an empty
    list or mapping is a leaf of its own ([] or {}), so no key goes missing.
    """
    if isinstance(data, dict) and data:
        rows = []
        for key, value in data.items():
            rows += flatten(value, f"{path}.{key}" if path else str(key))
        return rows
    if isinstance(data, list) and data:
        rows = []
        for i, value in enumerate(data):
            rows += flatten(value, f"{path}.{i}" if path else str(i))
        return rows
    return [(path, data)]


def cell(value) -> str:
    """A value as the CSV shows it: floats in full (repr round-trips), None empty, empty containers as [] / {}."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict)):
        return "[]" if isinstance(value, list) else "{}"
    return str(value)


def data_csv(data: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["key", "value"])
    for key, value in flatten(data):
        writer.writerow([key, cell(value)])
    return buf.getvalue()


def _is_scalar(x) -> bool:
    return isinstance(x, (int, float, bool)) or x is None


def matrices(data, path: str = "") -> list[tuple[str, list[list]]]:
    """(dotted path, rows) for every matrix in the data: a list of two or more equal, non-empty rows of numbers."""
    if isinstance(data, list) and len(data) > 1 and all(isinstance(r, list) and r for r in data):
        if len({len(r) for r in data}) == 1 and all(_is_scalar(x) for r in data for x in r):
            return [(path, data)]
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += matrices(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += matrices(value, f"{path}.{i}" if path else str(i))
    return out


def matrix_csv(rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow([cell(x) for x in row])
    return buf.getvalue()
