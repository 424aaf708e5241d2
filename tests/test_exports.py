"""Downloads that a spreadsheet cannot turn into formulas (exports.defuse and printable)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from exports import defuse, printable, to_csv, to_excel

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://attacker.example","Click me")',
    "+32 470 12 34 56",
    "+1+1",
    "-2+3",
    "-",
    "@SUM(A1:A9)",
    "=",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_starting_with_a_formula_character_gets_a_leading_apostrophe(text: str) -> None:
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["\t=1+1", "\r=1+1", "\tnothing after the tab", "\r"])
def test_text_starting_with_a_tab_or_a_carriage_return_gets_a_leading_apostrophe(
    text: str,
) -> None:
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("text", [" =1+1", "   @SUM(A1:A9)", "\n=1+1", " \t-2+3"])
def test_a_formula_behind_leading_whitespace_gets_a_leading_apostrophe(text: str) -> None:
    assert defuse(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    [
        "Amina",
        "",
        " ",
        "  indented note",
        "Jean-Pierre",
        "a=b",
        "amina@example.org",
        "1+1",
        "'=1+1",
    ],
)
def test_text_that_does_not_start_a_formula_is_left_as_it_is(text: str) -> None:
    assert defuse(text) == text


def test_defusing_twice_changes_nothing_more() -> None:
    for text in FORMULAS:
        assert defuse(defuse(text)) == defuse(text)


@pytest.mark.parametrize(
    "value",
    [
        -5,
        -2.5,
        0,
        3.25,
        Decimal("-1.10"),
        np.int64(-7),
        np.float64(-0.5),
        True,
        None,
        float("nan"),
        pd.NaT,
        pd.Timestamp("2026-03-16"),
        dt.date(2026, 3, 16),
        ["=1+1", "+32"],
    ],
    ids=repr,
)
def test_values_that_are_not_text_are_returned_untouched(value: Any) -> None:
    assert defuse(value) is value


# -- whole tables ---------------------------------------------------------------------------------


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Name": ["=1+1", "Amina"],
            "Hours": [-1.5, 2.0],
            "Topics": [["-CV", "Interview"], ["@LinkedIn"]],
            "Date": pd.Series([pd.Timestamp("2026-03-16"), pd.NaT], dtype="datetime64[ns]"),
            "_row": [2, 3],
        }
    )


def test_a_printable_table_defuses_text_and_joined_lists_and_keeps_numbers_as_numbers() -> None:
    out = printable(table())
    assert list(out.columns) == ["Name", "Hours", "Topics", "Date"]
    assert list(out["Name"]) == ["'=1+1", "Amina"]
    assert list(out["Topics"]) == ["'-CV, Interview", "'@LinkedIn"]
    assert list(out["Date"]) == ["2026-03-16", ""]
    assert list(out["Hours"]) == [-1.5, 2.0]
    assert out["Hours"].dtype == "float64"


def test_the_csv_carries_the_apostrophe_and_negative_numbers_stay_numbers() -> None:
    text = to_csv(table()).decode("utf-8-sig")
    assert text.splitlines() == [
        "Name,Hours,Topics,Date",
        "'=1+1,-1.5,\"'-CV, Interview\",2026-03-16",
        "Amina,2.0,'@LinkedIn,",
    ]


def test_the_excel_file_holds_text_where_formulas_would_be() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel(table()))).active
    assert sheet is not None
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert cells == [
        ["'=1+1", -1.5, "'-CV, Interview", "2026-03-16"],
        ["Amina", 2, "'@LinkedIn", None],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
