"""The tables of numbers on each figure's page (figures_src.site.pages.data_tables)."""

from __future__ import annotations

import re

from figures_src.site.pages import data_tables


def _tables(markdown: str) -> list[list[list[str]]]:
    """Each Markdown table as rows of cells, the separator row left out."""
    tables, rows = [], []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|(---\|)+", line):
                rows.append([c.strip() for c in line.strip("|").split("|")])
        elif rows:
            tables.append(rows)
            rows = []
    return tables


def test_a_matrix_is_a_table_with_numbered_rows_and_columns_and_no_empty_header():
    out = data_tables({"weights": [[0.25, 0.75], [1.0, 0.0], [0.5, 0.5]]})
    assert "**`weights`** (3 × 2)" in out
    [table] = _tables(out)
    assert table == [["row", "1", "2"], ["1", "0.250", "0.750"], ["2", "1.000", "0.000"], ["3", "0.500", "0.500"]]


def test_scalars_share_one_table_and_a_dict_of_numbers_is_a_row():
    out = data_tables({"d_k": 4, "scale": 0.5, "focus": "it <b>", "weight": {"cat": 0.125, "mat": 0.875}})
    scalars, row = _tables(out)
    assert scalars == [["key", "value"], ["`d_k`", "4"], ["`scale`", "0.500"], ["`focus`", "it &lt;b&gt;"]]
    assert row == [["`cat`", "`mat`"], ["0.125", "0.875"]]
    assert all(cell for table in (scalars, row) for r in table for cell in r)  # no empty cell anywhere


def test_a_figure_without_numbers_says_so():
    assert data_tables({"tokens": ["The", "cat"]}) == "_This figure shows no numbers._"
