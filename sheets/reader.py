"""Raw cell grids -> canonical DataFrames plus data-quality findings.

The reader is where the tolerance of workbook.md lives: headers found by name (any order,
fr / nl aliases, extra columns kept), blank rows skipped, every value parsed by its column's
kind. A value it cannot understand is never dropped: the record keeps it (choices, text) or
shows a blank (dates, numbers), and a `Finding` names tab, sheet row, column and raw text.

Parsing runs once per distinct raw value of a column, not once per cell: a tab of 150,000
meetings holds a few hundred distinct dates and hour counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sheets.ids import looks_like_id
from sheets.schema import LANGUAGES, TABS, Column, Kind, Tab
from sheets.values import (
    as_text,
    choice_lookup,
    is_blank,
    normalise_key,
    parse_bool,
    parse_choice,
    parse_number,
    parse_slots,
    parse_timestamp,
    split_list,
)

ROW = "_row"
NAT = np.datetime64("NaT", "ns")


@dataclass(frozen=True)
class Finding:
    """A cell (or row) the app could not read as the contract says."""

    tab: str
    row: int
    column: str
    raw: str
    problem: str
    """A code: `not_a_date`, `unknown_choice`, `missing_id`, `duplicate_id`, ..."""


@dataclass(frozen=True)
class Headers:
    """Where each column sits in the sheet, as found in row 1 when the tab was read."""

    positions: dict[str, int]
    """Canonical column name -> 0-based sheet column index."""
    extra: dict[str, int]
    """Header text of a column the contract does not know -> 0-based sheet column index."""
    width: int

    def missing(self, tab: Tab) -> list[str]:
        return [name for name in tab.column_names if name not in self.positions]


@dataclass
class Table:
    """One tab as read: canonical frame, findings, and where the columns were."""

    tab: Tab
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    headers: Headers = field(default_factory=lambda: Headers({}, {}, 0))

    def record(self, record_id: str) -> dict[str, Any] | None:
        """The record with this ID as a plain dict, or None."""
        key = self.tab.key
        if key is None or self.frame.empty:
            return None
        hits = self.frame.index[self.frame[key] == record_id]
        return None if len(hits) == 0 else self.frame.loc[hits[0]].to_dict()


def header_lookup(tab: Tab) -> dict[str, str]:
    """Normalised header spelling -> canonical column name, for names and aliases."""
    lookup: dict[str, str] = {}
    for column in tab.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(normalise_key(spelling), column.name)
    return lookup


def locate_headers(tab: Tab, header_row: Sequence[Any]) -> tuple[Headers, list[Finding]]:
    lookup = header_lookup(tab)
    positions: dict[str, int] = {}
    extra: dict[str, int] = {}
    findings: list[Finding] = []
    for index, cell in enumerate(header_row):
        text = as_text(cell)
        if not text:
            continue
        name = lookup.get(normalise_key(text))
        if name is None:
            extra.setdefault(text, index)
        elif name in positions:
            findings.append(Finding(tab.name, 1, text, text, "duplicate_header"))
            extra.setdefault(f"{text} ({index + 1})", index)
        else:
            positions[name] = index
    return Headers(positions, extra, len(header_row)), findings


def read_grid(tab: Tab, grid: Sequence[Sequence[Any]], today: dt.date | None = None) -> Table:
    """Turn a tab's raw cells (row 0 = headers) into a `Table`."""
    header_row = grid[0] if grid else []
    headers, findings = locate_headers(tab, header_row)
    rows, numbers = _data_rows(grid)
    frame_columns: dict[str, Any] = {}
    for column in tab.columns:
        index = headers.positions.get(column.name)
        raw = [_cell(row, index) for row in rows] if index is not None else [None] * len(rows)
        values, problems = _parse_column(column, raw, today or dt.date.today())
        frame_columns[column.name] = values
        findings.extend(
            Finding(tab.name, numbers[i], column.name, as_text(raw[i]), problem)
            for i, problem in problems
        )
    for text, index in headers.extra.items():
        frame_columns[text] = [as_text(_cell(row, index)) for row in rows]
    frame_columns[ROW] = np.array(numbers, dtype=np.int64)
    frame = pd.DataFrame(frame_columns)
    findings.extend(_key_findings(tab, frame))
    return Table(tab, frame, findings, headers)


def _cell(row: Sequence[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    return row[index]


def _data_rows(grid: Sequence[Sequence[Any]]) -> tuple[list[Sequence[Any]], list[int]]:
    rows: list[Sequence[Any]] = []
    numbers: list[int] = []
    for offset, row in enumerate(grid[1:], start=2):
        if any(not is_blank(cell) for cell in row):
            rows.append(row)
            numbers.append(offset)
    return rows, numbers


Parsed = tuple[Any, str | None]


def _parse_column(
    column: Column, raw: list[Any], today: dt.date
) -> tuple[Any, list[tuple[int, str]]]:
    """Parse every cell of a column, once per distinct raw value; return values and problems."""
    parse = _parser(column, today)
    cache: dict[Any, Parsed] = {}
    values: list[Any] = []
    problems: list[tuple[int, str]] = []
    for i, cell in enumerate(raw):
        key = (type(cell), cell)
        parsed = cache.get(key)
        if parsed is None:
            parsed = cache[key] = parse(cell)
        value, problem = parsed
        if problem is not None:
            problems.append((i, problem))
        values.append(list(value) if isinstance(value, list) else value)
    return _as_array(column.kind, values), problems


def _parser(column: Column, today: dt.date) -> Callable[[Any], Parsed]:
    kind = column.kind
    if kind in (Kind.DATE, Kind.TIMESTAMP):
        day_only = kind is Kind.DATE

        def parse_stamp(cell: Any) -> Parsed:
            stamp, problem = parse_timestamp(cell, today)
            if stamp is None:
                return NAT, problem
            if day_only:
                stamp = dt.datetime.combine(stamp.date(), dt.time())
            return np.datetime64(stamp, "ns"), None

        return parse_stamp
    if kind is Kind.NUMBER:
        return lambda cell: _nan_for_none(parse_number(cell))
    if kind is Kind.BOOL:
        return parse_bool
    if kind is Kind.SLOTS:
        return parse_slots
    if kind is Kind.LIST:
        if column.name == "Languages":
            return _parse_languages
        return lambda cell: (split_list(cell), None)
    if kind is Kind.CHOICE and column.choices:
        lookup = choice_lookup(column.choices)
        return lambda cell: parse_choice(cell, lookup)
    return lambda cell: (as_text(cell), None)


def _nan_for_none(parsed: tuple[float | None, str | None]) -> Parsed:
    value, problem = parsed
    return (np.nan if value is None else value), problem


_LANGUAGE_LOOKUP = {normalise_key(spelling): names[0] for names in LANGUAGES for spelling in names}


def _parse_languages(cell: Any) -> Parsed:
    """Language names in English whatever language staff typed them in; others kept as typed."""
    names: list[str] = []
    for item in split_list(cell):
        name = _LANGUAGE_LOOKUP.get(normalise_key(item), item)
        if name not in names:
            names.append(name)
    return names, None


def _as_array(kind: Kind, values: list[Any]) -> Any:
    if kind in (Kind.DATE, Kind.TIMESTAMP):
        return np.array(values, dtype="datetime64[ns]")
    if kind is Kind.NUMBER:
        return np.array(values, dtype=np.float64)
    if kind is Kind.BOOL:
        return np.array(values, dtype=bool)
    if kind in (Kind.LIST, Kind.SLOTS):
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    return values


def _key_findings(tab: Tab, frame: pd.DataFrame) -> list[Finding]:
    """Rows without an ID, IDs used twice, and IDs typed in a shape the app never issues."""
    if tab.key != "ID" or frame.empty or tab.id_prefix is None:
        return []
    findings: list[Finding] = []
    ids = frame["ID"]
    rows = frame[ROW]
    duplicated = ids.duplicated(keep=False) & (ids != "")
    for record_id, row, dup in zip(ids, rows, duplicated, strict=True):
        if record_id == "":
            findings.append(Finding(tab.name, int(row), "ID", "", "missing_id"))
        elif dup:
            findings.append(Finding(tab.name, int(row), "ID", record_id, "duplicate_id"))
        elif not looks_like_id(record_id, tab.id_prefix):
            findings.append(Finding(tab.name, int(row), "ID", record_id, "unusual_id"))
    return findings


def table_of(tab: Tab, grid: Sequence[Sequence[Any]] | None, today: dt.date) -> Table:
    """A tab's table; a tab the workbook lacks reads as empty, with a finding that says so."""
    if grid is None:
        table = read_grid(tab, [], today)
        table.findings.append(Finding(tab.name, 0, "", "", "missing_tab"))
        return table
    return read_grid(tab, grid, today)


def sheet_names_by_tab(sheet_names: Sequence[str]) -> dict[str, str]:
    """Canonical tab name -> the workbook's own sheet name (exact name first, else an alias)."""
    normalised = {normalise_key(name): name for name in sheet_names}
    found: dict[str, str] = {}
    for tab_def in TABS:
        for spelling in (tab_def.name, *tab_def.aliases):
            actual = normalised.get(normalise_key(spelling))
            if actual is not None:
                found[tab_def.name] = actual
                break
    return found
