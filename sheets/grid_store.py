"""Writing to a workbook that is held whole while it is changed: the local `.xlsx` file
(loaded with openpyxl, saved once per unit of work) and the in-memory workbook of the tests.

Both hand a `Book` to `GridStore`, which applies a unit of work to it with the rules of
`sheets.core`: a row is found by its ID and a column by its header at the moment of writing,
since nothing else can change the book while it is held.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sheets import core
from sheets.schema import Tab, tab
from sheets.store import (
    Append,
    Change,
    Note,
    Store,
    Update,
    UpdateResult,
    Written,
)


class Sheet(Protocol):
    """One tab of a held book, addressed by 0-based row and column indexes."""

    def grid(self) -> list[list[Any]]:
        """Every row's cells as the reader takes them (header row first)."""

    def set(self, row: int, column: int, value: core.Cell) -> None:
        """Write one cell; text stays text ("" empties the cell)."""

    def used_rows(self) -> int:
        """How many rows there are up to the last one that holds a value."""


class Book(Protocol):
    def sheet(self, tab_def: Tab) -> Sheet:
        """The tab's sheet, created with the canonical headers when the book lacks it."""


class GridStore(Store):
    """A store whose adapter holds the whole book during a unit of work."""

    @abstractmethod
    def _holding(self) -> contextlib.AbstractContextManager[Book]:
        """Hold the book for writing (locks, loading) and save it once when the block ends."""

    def write(self, changes: Sequence[Change], who: str) -> Written:
        stamp = core.now()
        ids: list[tuple[str, ...]] = []
        updates: list[UpdateResult] = []
        audit: list[dict[str, Any]] = []
        with self._holding() as held:
            book = _UnitBook(held)
            for change in changes:
                if isinstance(change, Append):
                    ids.append(_append(book, change, who, stamp, audit))
                elif isinstance(change, Update):
                    updates.append(_update(book, change, who, stamp, audit))
                elif isinstance(change, Note):
                    record = (change.action, change.tab, change.record_id, change.details)
                    audit.append(core.audit_record(who, *record, stamp))
            append_rows(book, tab("Audit"), audit)
        return Written(tuple(ids), tuple(updates))

    def assign_ids(self, tab_name: str, who: str) -> list[tuple[int, str]]:
        tab_def = tab(tab_name)
        if not tab_def.id_prefix:
            return []
        stamp = core.now()
        with self._holding() as book:
            sheet = book.sheet(tab_def)
            grid = sheet.grid()
            plan = core.ensure_headers(tab_def, core.headers_of(tab_def, grid), {"ID"})
            write_headers(sheet, plan.added)
            index = plan.headers.positions["ID"]
            assigned = core.ids_to_assign(tab_def, grid, index)
            for number, new in assigned:
                sheet.set(number - 1, index, new)
            audit = [
                core.audit_record(who, "assign_id", tab_name, i, "", stamp) for _, i in assigned
            ]
            append_rows(book, tab("Audit"), audit)
        return assigned

    def erase_participant(self, participant_id: str, who: str) -> int:
        plan = core.erase_plan(self.read(core.ERASE_TABS), participant_id)
        changes = [
            Update(tab_name, where, blanks, None, "erase")
            for tab_name, items in plan.items()
            for where, blanks in items
        ]
        return sum(len(result.written) for result in self.write(changes, who).updates)


def _append(
    book: Book, change: Append, who: str, stamp: dt.datetime, audit: list[dict[str, Any]]
) -> tuple[str, ...]:
    tab_def = tab(change.tab)
    sheet = book.sheet(tab_def)
    plan = core.plan_append(tab_def, change.records, sheet.grid(), stamp)
    append_rows(book, tab_def, plan.records)
    if plan.records:
        written = [str(record.get("ID", "")) for record in plan.records]
        audit.extend(
            core.append_audit(who, change.action, change.tab, written, stamp, change.audit_each)
        )
    return tuple(plan.ids)


def _update(
    book: Book, change: Update, who: str, stamp: dt.datetime, audit: list[dict[str, Any]]
) -> UpdateResult:
    tab_def = tab(change.tab)
    sheet = book.sheet(tab_def)
    grid = sheet.grid()
    plan = core.ensure_headers(tab_def, core.headers_of(tab_def, grid), set(change.changes))
    write_headers(sheet, plan.added)
    where = core.where_of(tab_def, change.where)
    row = core.find_row(tab_def, grid, where)
    update = core.plan_update(tab_def, plan.headers, grid, row, change.changes, change.seen, stamp)
    for index, value in update.cells:
        sheet.set(row, index, value)
    if update.result.written:
        key = update.result.record_id or " / ".join(where.values())
        details = core.change_details(update.result.written)
        audit.append(core.audit_record(who, change.action, change.tab, key, details, stamp))
    return update.result


def append_rows(book: Book, tab_def: Tab, records: Sequence[Mapping[str, Any]]) -> None:
    """Records as new rows after the last row holding a value, laid out by the sheet's headers."""
    if not records:
        return
    sheet = book.sheet(tab_def)
    grid = sheet.grid()
    needed = {name for record in records for name in record}
    plan = core.ensure_headers(tab_def, core.headers_of(tab_def, grid), needed)
    write_headers(sheet, plan.added)
    first = sheet.used_rows()
    for offset, record in enumerate(records):
        for index, value in enumerate(core.record_to_row(tab_def, plan.headers, record)):
            if value != "":
                sheet.set(first + offset, index, value)


def write_headers(sheet: Sheet, added: Sequence[tuple[int, str]]) -> None:
    for index, name in added:
        sheet.set(0, index, name)


class _UnitSheet:
    """A sheet whose cells are read once per unit of work and kept in step with its writes."""

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet
        self._grid = sheet.grid()

    def grid(self) -> list[list[Any]]:
        return self._grid

    def set(self, row: int, column: int, value: core.Cell) -> None:
        self._sheet.set(row, column, value)
        while len(self._grid) <= row:
            self._grid.append([])
        line = self._grid[row]
        line.extend([None] * (column + 1 - len(line)))
        line[column] = None if value == "" else value

    def used_rows(self) -> int:
        return used_rows(self._grid)


def used_rows(grid: Sequence[Sequence[Any]]) -> int:
    """How many rows there are up to the last one that holds a value."""
    for number in range(len(grid), 0, -1):
        if any(not core.blank(cell) for cell in grid[number - 1]):
            return number
    return 0


class _UnitBook:
    def __init__(self, book: Book) -> None:
        self._book = book
        self._sheets: dict[str, _UnitSheet] = {}

    def sheet(self, tab_def: Tab) -> _UnitSheet:
        if tab_def.name not in self._sheets:
            self._sheets[tab_def.name] = _UnitSheet(self._book.sheet(tab_def))
        return self._sheets[tab_def.name]
