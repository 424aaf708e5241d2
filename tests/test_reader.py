"""Tolerant reading (workbook.md's rules), cell by cell and tab by tab."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n import LANGUAGES, catalogue
from sheets import core
from sheets.reader import header_lookup, read_grid
from sheets.schema import DUOS, MEETINGS, PARTICIPANTS, SLOTS, STAFF, TABS, Column, Kind, Tab
from sheets.values import parse_bool, parse_date, parse_number, parse_slots, split_list

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "raw",
    ["2026-03-04", "04/03/2026", "4-3-26", "4.3.2026", 46085, "46085", dt.date(2026, 3, 4),
     dt.datetime(2026, 3, 4, 15, 0), "2026-03-04 10:15:00", " 04/03/2026 "],
)  # fmt: skip
def test_dates_are_read_in_every_listed_form(raw: Any) -> None:
    assert parse_date(raw, TODAY) == (dt.date(2026, 3, 4), None)


def test_two_digit_years_far_in_the_future_are_last_century() -> None:
    assert parse_date("4/3/61", TODAY)[0] == dt.date(1961, 3, 4)


@pytest.mark.parametrize("raw", ["31/02/2026", "yesterday", "2026-13-01", True])
def test_a_date_that_cannot_be_understood_is_a_problem_not_a_guess(raw: Any) -> None:
    value, problem = parse_date(raw, TODAY)
    assert value is None and problem is not None


@pytest.mark.parametrize("raw", ["yes", "Oui", "JA", "true", "x", "1", 1, True])
def test_yes_words(raw: Any) -> None:
    assert parse_bool(raw) == (True, None)


@pytest.mark.parametrize("raw", ["no", "Non", "nee", "FALSE", "0", "", None, False])
def test_no_words(raw: Any) -> None:
    assert parse_bool(raw) == (False, None)


@pytest.mark.parametrize("raw", ["2,5", "2.5", "2,5 h", "2.5 hours", "2,5 uur", " 2.5 ", 2.5])
def test_numbers_with_decimal_commas_and_units(raw: Any) -> None:
    assert parse_number(raw) == (2.5, None)


def test_lists_accept_every_separator_and_drop_repeats() -> None:
    assert split_list("ICT; Retail / Finance\nICT, Logistics") == [
        "ICT", "Retail", "Finance", "Logistics"
    ]  # fmt: skip


def test_time_slots_in_french_and_dutch_become_canonical() -> None:
    slots, problem = parse_slots("lundi matin, Dinsdag namiddag; wed eve / Vrijdag avond")
    assert slots == ["Mon AM", "Tue PM", "Wed EVE", "Fri EVE"]
    assert problem is None


def test_headers_match_ignoring_case_accents_spaces_and_punctuation() -> None:
    lookup = header_lookup(PARTICIPANTS)
    assert lookup["prenom"] == "First name"
    assert lookup["geboortedatum"] == "Birth date"
    assert lookup["datedenaissance"] == "Birth date"


def _spellings(names: list[tuple[str, ...]]) -> list[str]:
    """Normalised spellings, each name's own repeats counted once."""
    from sheets.values import normalise_key

    return [key for spelling in names for key in {normalise_key(s) for s in spelling}]


def test_no_two_columns_of_a_tab_share_a_header_spelling() -> None:
    for tab in TABS:
        spellings = _spellings([(c.name, *c.aliases) for c in tab.columns])
        assert len(spellings) == len(set(spellings)), tab.name


def test_no_two_choices_share_an_alias() -> None:
    for tab in TABS:
        for column in tab.columns:
            spellings = _spellings([(c.value, *c.aliases) for c in column.choices])
            assert len(spellings) == len(set(spellings)), (tab.name, column.name)


def test_a_tab_is_read_whatever_the_column_order_with_aliases_and_extra_columns() -> None:
    grid: list[list[Any]] = [
        ["Statut", "Mijn kolom", "ID", "Rôle", "Voornaam", "Talen", "Disponibilités"],
        ["prêt", "keep me", "P-2345AB", "Mentoré", "Sara", "frans; Engels", "lundi matin"],
        [None, None, None, None, None, None, None],
        ["Actif?", "", "P-2345AC", "mentor", "Jan", "NL", ""],
    ]
    table = read_grid(PARTICIPANTS, grid, TODAY)
    frame = table.frame
    assert list(frame["ID"]) == ["P-2345AB", "P-2345AC"]
    assert list(frame["_row"]) == [2, 4]
    assert list(frame["Status"]) == ["Ready", "Actif?"]
    assert list(frame["Role"]) == ["Mentee", "Mentor"]
    assert frame["Languages"].iloc[0] == ["French", "English"]
    assert frame["Languages"].iloc[1] == ["Dutch"]
    assert list(frame["Mijn kolom"]) == ["keep me", ""]
    assert [(f.row, f.column, f.raw, f.problem) for f in table.findings] == [
        (4, "Status", "Actif?", "unknown_choice")
    ]


def test_column_types_follow_the_schema() -> None:
    grid = [["ID", "Date", "Hours", "Topics"], ["M-2345AB", "04/03/2026", "2,5", "CV; network"]]
    frame = read_grid(MEETINGS, grid, TODAY).frame
    assert frame["Date"].dtype == "datetime64[ns]"
    assert frame["Hours"].dtype == "float64"
    assert frame["Topics"].iloc[0] == ["CV", "network"]
    assert frame["Summary"].iloc[0] == ""


def test_missing_and_duplicate_ids_are_flagged() -> None:
    grid = [["ID", "Status"], ["", "Active"], ["D-2345AB", "Active"], ["D-2345AB", "Proposed"]]
    problems = [(f.row, f.problem) for f in read_grid(DUOS, grid, TODAY).findings]
    assert problems == [(2, "missing_id"), (3, "duplicate_id"), (4, "duplicate_id")]


def test_staff_active_reads_yes_words() -> None:
    grid = [["Email", "Actif"], ["a@example.org", "oui"], ["b@example.org", ""]]
    assert list(read_grid(STAFF, grid, TODAY).frame["Active"]) == [True, False]


def test_every_problem_code_has_a_message_in_three_languages() -> None:
    codes = ["not_a_date", "invalid_date", "not_a_number", "not_yes_no", "unknown_choice",
             "unknown_slot", "missing_id", "duplicate_id", "duplicate_header",
             "missing_tab"]  # fmt: skip
    for code in codes:
        texts = catalogue()[f"store.problem_{code}"]
        assert set(texts) == set(LANGUAGES)


cell_text = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", fullmatch=True),
    st.from_regex(r"\d{1,6}([.,]\d{1,3})?", fullmatch=True),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cell_text, min_size=len(PARTICIPANTS.columns), max_size=len(PARTICIPANTS.columns)))
def test_any_cell_gives_a_value_or_a_finding_never_an_exception(row: list[Any]) -> None:
    table = read_grid(PARTICIPANTS, [list(PARTICIPANTS.column_names), row], TODAY)
    if len(table.frame):
        record = table.frame.iloc[0]
        flagged = {f.column for f in table.findings}
        for column in PARTICIPANTS.columns:
            raw = row[PARTICIPANTS.column_names.index(column.name)]
            if column.kind in (Kind.DATE, Kind.NUMBER) and _present(raw):
                assert not pd.isna(record[column.name]) or column.name in flagged


def _present(raw: Any) -> bool:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return False
    return not (isinstance(raw, str) and not raw.strip())


def _value_for(column: Column) -> st.SearchStrategy[Any]:
    words = st.text(
        st.characters(codec="utf-8", exclude_characters=",;/\n\r"), min_size=1, max_size=12
    )
    if column.kind is Kind.DATE:
        return st.dates(dt.date(1940, 1, 1), dt.date(2060, 12, 31))
    if column.kind is Kind.TIMESTAMP:
        return st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2060, 1, 1)).map(
            lambda stamp: stamp.replace(microsecond=0)
        )
    if column.kind is Kind.NUMBER:
        return st.integers(0, 10_000) | st.floats(0, 1000, allow_nan=False).map(
            lambda f: round(f, 2)
        )
    if column.kind is Kind.BOOL:
        return st.booleans()
    if column.kind is Kind.SLOTS:
        return st.lists(st.sampled_from(SLOTS), unique=True, max_size=5)
    if column.kind is Kind.LIST:
        return st.lists(words.map(str.strip).filter(bool), unique=True, max_size=4)
    if column.kind is Kind.CHOICE and column.choices:
        return st.sampled_from(column.choice_values)
    return st.text(max_size=30).map(str.strip)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_writing_then_reading_gives_back_the_canonical_value(data: st.DataObject) -> None:
    tab: Tab = data.draw(st.sampled_from([PARTICIPANTS, DUOS, MEETINGS, STAFF]))
    columns = [c for c in tab.columns if c.name != "Languages"]
    record = {column.name: data.draw(_value_for(column)) for column in columns}
    headers = core.headers_of(tab, [list(tab.column_names)])
    row = core.record_to_row(tab, headers, record)
    frame = read_grid(tab, [list(tab.column_names), row], TODAY).frame
    if not any(core.comparable(tab.column(name), value) != "" for name, value in record.items()):
        assert frame.empty
        return
    for column in columns:
        written = core.comparable(column, record[column.name])
        assert core.comparable(column, frame[column.name].iloc[0]) == written, column.name
