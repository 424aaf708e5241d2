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
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import clock
from sheets.schema import LANGUAGES, TABS, Column, Kind, Tab
from sheets.values import (
    as_text,
    choice_lookup,
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


def read_grid(
    tab: Tab, grid: Sequence[Sequence[Any]], today: dt.date | None = None, first_row: int = 2
) -> Table:
    """Turn a tab's raw cells (row 0 = headers) into a `Table`; `grid[1]` is sheet row
    `first_row` (more than 2 when only the end of a long tab was read)."""
    header_row = grid[0] if grid else []
    headers, findings = locate_headers(tab, header_row)
    rows, numbers = _data_rows(grid, first_row)
    columns = list(itertools.zip_longest(*rows, fillvalue=None)) if rows else []
    blank_column: tuple[Any, ...] = (None,) * len(rows)

    def raw_column(index: int | None) -> Sequence[Any]:
        return columns[index] if index is not None and index < len(columns) else blank_column

    frame_columns: dict[str, Any] = {}
    for column in tab.columns:
        raw = raw_column(headers.positions.get(column.name))
        values, problems = _parse_column(column, raw, today or clock.today())
        frame_columns[column.name] = values
        findings.extend(
            Finding(tab.name, numbers[i], column.name, as_text(raw[i]), problem)
            for i, problem in problems
        )
    for text, index in headers.extra.items():
        frame_columns[text] = [as_text(cell) for cell in raw_column(index)]
    frame_columns[ROW] = np.array(numbers, dtype=np.int64)
    frame = pd.DataFrame(frame_columns)
    findings.extend(_key_findings(tab, frame))
    return Table(tab, frame, findings, headers)


def _has_data(row: Sequence[Any]) -> bool:
    """True unless every cell is blank; usually decided by the first cell."""
    for cell in row:
        if cell is None or cell == "":
            continue
        if isinstance(cell, str):
            if cell.strip():
                return True
            continue
        if isinstance(cell, float) and math.isnan(cell):
            continue
        return True
    return False


def _data_rows(
    grid: Sequence[Sequence[Any]], first_row: int = 2
) -> tuple[list[Sequence[Any]], list[int]]:
    rows: list[Sequence[Any]] = []
    numbers: list[int] = []
    for offset, row in enumerate(grid[1:], start=first_row):
        if _has_data(row):
            rows.append(row)
            numbers.append(offset)
    return rows, numbers


Parsed = tuple[Any, str | None]
_ISO_STAMP = r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$"


def _parse_column(
    column: Column, raw: Sequence[Any], today: dt.date
) -> tuple[Any, list[tuple[int, str]]]:
    """Parse a column once per distinct raw value, then spread the results over the rows.

    Equal list values share one list object: treat parsed lists as read-only.
    """
    codes, uniques = pd.factorize(np.asarray(raw, dtype=object), use_na_sentinel=True)
    parsed, failing = _parse_uniques(column, list(uniques), today)
    blank_value, _ = _parser(column, today)(None)
    values = np.empty(len(parsed) + 1, dtype=object)
    values[:-1] = parsed
    values[-1] = blank_value
    spread = values[codes]
    problems: list[tuple[int, str]] = []
    if failing:
        for i in np.flatnonzero(np.isin(codes, list(failing))):
            problems.append((int(i), failing[int(codes[i])]))
    return _as_array(column.kind, spread), problems


def _parse_uniques(
    column: Column, uniques: list[Any], today: dt.date
) -> tuple[list[Any], dict[int, str]]:
    """Parsed distinct raw values and, by position, the problems of those that failed.

    ISO date texts (nearly all of them in a sheet the app writes) go through pandas in one
    vectorised pass; everything else through the tolerant parser.
    """
    parse = _parser(column, today)
    values: list[Any] = []
    failing: dict[int, str] = {}
    if column.kind in (Kind.DATE, Kind.TIMESTAMP) and len(uniques) >= 64:
        values, pending = _iso_stamps(uniques, day_only=column.kind is Kind.DATE)
    else:
        values, pending = [None] * len(uniques), list(range(len(uniques)))
    for k in pending:
        value, problem = parse(uniques[k])
        values[k] = value
        if problem is not None:
            failing[k] = problem
    return values, failing


def _iso_stamps(uniques: list[Any], day_only: bool) -> tuple[list[Any], list[int]]:
    """ISO texts parsed in one pass; the positions of the other values, still to parse."""
    texts = pd.Series([value if isinstance(value, str) else "" for value in uniques], dtype=object)
    iso = texts.str.match(_ISO_STAMP).to_numpy(dtype=bool)
    stamps = pd.to_datetime(texts.where(iso, None), format="ISO8601", errors="coerce")
    if day_only:
        stamps = stamps.dt.normalize()
    parsed = stamps.to_numpy(dtype="datetime64[ns]")
    done = iso & ~np.isnat(parsed)
    return list(parsed), [int(k) for k in np.flatnonzero(~done)]


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
    return _parse_text


def _parse_text(cell: Any) -> Parsed:
    if type(cell) is str:
        return cell.strip(), None
    return as_text(cell), None


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


def _as_array(kind: Kind, values: np.ndarray) -> Any:
    """The column's values (an object array) in the dtype its kind reads as."""
    if kind in (Kind.DATE, Kind.TIMESTAMP):
        return values.astype("datetime64[ns]")
    if kind is Kind.NUMBER:
        return values.astype(np.float64)
    if kind is Kind.BOOL:
        return values.astype(bool)
    return values


def _key_findings(tab: Tab, frame: pd.DataFrame) -> list[Finding]:
    """Rows without an ID and IDs used on more than one row.

    Any non-empty ID staff typed is valid, whatever its shape (`P-001`, `2024-17`): a team
    keeps the scheme of the sheet it brings. IDs are compared as the store finds rows
    (trimmed, case-insensitive), so `p-001` and `P-001` are the same ID used twice.
    """
    if tab.key != "ID" or frame.empty or tab.id_prefix is None:
        return []
    ids = frame["ID"].astype(object)
    missing = ids == ""
    duplicated = ids.str.casefold().duplicated(keep=False) & ~missing
    findings: list[Finding] = []
    for mask, problem in ((missing, "missing_id"), (duplicated, "duplicate_id")):
        for record_id, row in zip(ids[mask], frame[ROW][mask], strict=True):
            findings.append(Finding(tab.name, int(row), "ID", str(record_id), problem))
    findings.sort(key=lambda finding: finding.row)
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
