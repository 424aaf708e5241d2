"""The local backend: an `.xlsx` workbook on disk, safe for several sessions and processes.

Reads go through python-calamine (several times faster than openpyxl) and are cached until
the file changes on disk. Writes take a lock file, reload the workbook with openpyxl when
someone else changed the file since our last write, change only the cells an action
changes, and replace the file atomically, so a crash never leaves half a workbook.
The loaded openpyxl workbook is kept in memory between writes while the file is unchanged,
which is what keeps a write at demo scale well under half a second.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import filelock
import openpyxl
import python_calamine
from openpyxl.cell import WriteOnlyCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import clock
from i18n import Msg
from sheets import core
from sheets.grid_store import GridStore, append_rows, write_headers
from sheets.reader import Table, sheet_names_by_tab, table_of
from sheets.schema import TABS, Kind, Tab, tab
from sheets.store import (
    StoreBusy,
    StoreStatus,
    WorkbookLocked,
    WorkbookUnreadable,
)

Stamp = tuple[int, int, int]
EMPTY_TABS: dict[str, list[list[Any]]] = {t.name: [list(t.column_names)] for t in TABS}
"""Every tab with its canonical headers and no rows: a new workbook."""
LOCK_TIMEOUT_SECONDS = 15.0
LIST_RANGE_ROWS = 500


class LocalStore(GridStore):
    backend = "local"

    def __init__(self, path: Path | str, *, is_demo: bool = False) -> None:
        self.path = Path(path)
        self.is_demo = is_demo
        self._mutex = threading.RLock()
        self._file_lock = filelock.FileLock(
            str(self.path.with_name(f".{self.path.name}.lock")),
            timeout=LOCK_TIMEOUT_SECONDS,
        )
        self._tables: dict[str, tuple[Stamp, Table]] = {}
        self._book: Workbook | None = None
        self._book_stamp: Stamp | None = None
        super().__init__()
        self._calls = 0

    @property
    def location(self) -> str:
        return str(self.path)

    # reading

    def read(self, tabs: Iterable[str], *, fresh: bool = False) -> dict[str, Table]:
        names = list(dict.fromkeys(tabs))
        with self._mutex:
            stamp = self._stamp()
            stale = [name for name in names if self._tables.get(name, (None,))[0] != stamp]
            if stale:
                grids = self._load_grids(stale)
                today = clock.today()
                for name in stale:
                    self._tables[name] = (
                        stamp,
                        table_of(tab(name), grids.get(name), today),
                    )
                self._loaded()
            self._reads += 1
            return {name: self._tables[name][1] for name in names}

    def _stamp(self) -> Stamp:
        try:
            info = self.path.stat()
        except FileNotFoundError as error:
            raise WorkbookUnreadable(
                Msg("store.file_missing", {"path": str(self.path)}), str(error)
            ) from error
        return info.st_mtime_ns, info.st_size, info.st_ino

    def _load_grids(self, names: Sequence[str]) -> dict[str, list[list[Any]]]:
        self._calls += 1
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(self.path))
            present = sheet_names_by_tab(book.sheet_names)
            return {
                name: book.get_sheet_by_name(present[name]).to_python(skip_empty_area=False)
                for name in names
                if name in present
            }
        except Exception as error:
            raise WorkbookUnreadable(
                Msg("store.file_unreadable", {"path": str(self.path)}), str(error)
            ) from error

    # writing

    @contextlib.contextmanager
    def _holding(self) -> Iterator[_FileBook]:
        with self._writing() as book:
            yield _FileBook(book)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Workbook]:
        """Lock, bring the in-memory workbook up to date with the file, save atomically."""
        self._refuse_if_open_elsewhere()
        with self._mutex:
            try:
                with self._file_lock:
                    book = self._current_book()
                    try:
                        yield book
                    except BaseException:
                        self._book = None
                        raise
                    self._save(book)
            except filelock.Timeout as error:
                raise StoreBusy(Msg("store.file_busy", {"path": str(self.path)})) from error
            self._writes += 1

    def _refuse_if_open_elsewhere(self) -> None:
        for name in (f"~${self.path.name}", f".~lock.{self.path.name}#"):
            if (self.path.parent / name).exists():
                raise WorkbookLocked(Msg("store.file_open_elsewhere", {"path": str(self.path)}))

    def _current_book(self) -> Workbook:
        stamp = self._stamp()
        if self._book is None or self._book_stamp != stamp:
            self._calls += 1
            try:
                self._book = openpyxl.load_workbook(self.path)
            except Exception as error:
                self._book = None
                raise WorkbookUnreadable(
                    Msg("store.file_unreadable", {"path": str(self.path)}), str(error)
                ) from error
            self._book_stamp = stamp
        return self._book

    def _save(self, book: Workbook) -> None:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.path.stem}-", suffix=".xlsx", dir=self.path.parent
        )
        os.close(handle)
        try:
            book.save(temporary)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            self._book = None
            raise
        self._calls += 1
        self._book_stamp = self._stamp()

    def set_up(self, who: str = "set-up") -> list[str]:
        done: list[str] = []
        with self._writing() as book:
            for tab_def in TABS:
                done.extend(_set_up_sheet(book, tab_def))
            if done:
                record = core.audit_record(
                    who, "set_up", "", "", f"{len(done)} changes", core.now()
                )
                append_rows(_FileBook(book), tab("Audit"), [record])
        return done

    def status(self) -> StoreStatus:
        return self._status(self._calls)

    def refresh(self) -> None:
        with self._mutex:
            self._tables.clear()
            self._book = None


def create_workbook(path: Path, grids: Mapping[str, Sequence[Sequence[Any]]]) -> None:
    """Write a brand-new workbook holding exactly these tabs, in one go, atomically."""
    book = openpyxl.Workbook(write_only=True)
    for name, grid in grids.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for row in grid:
            sheet.append([_write_only_cell(sheet, value) for value in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _tab(name: str) -> Tab:
    return tab(name)


def _sheet(book: Workbook, tab_def: Tab) -> Worksheet:
    present = sheet_names_by_tab(book.sheetnames)
    if tab_def.name in present:
        sheet = book[present[tab_def.name]]
    else:
        sheet = book.create_sheet(tab_def.name)
        for index, name in enumerate(tab_def.column_names, start=1):
            sheet.cell(row=1, column=index, value=name)
        sheet.freeze_panes = "A2"
    assert isinstance(sheet, Worksheet)
    return sheet


def _grid(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _last_used_row(sheet: Worksheet) -> int:
    """The last row holding a value (openpyxl's max_row also counts formatted empty rows)."""
    for number in range(sheet.max_row, 0, -1):
        if any(not core.blank(cell.value) for cell in sheet[number]):
            return number
    return 0


def _set_cell(cell: Any, value: core.Cell) -> None:
    """Write a value; text always stays text, even `=SUM(...)` (openpyxl would make a formula)."""
    cell.value = value if value != "" else None
    if isinstance(value, str) and value:
        cell.data_type = "s"


def _write_only_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value if value != "" else None)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    return cell


class _FileSheet:
    """An openpyxl worksheet seen as a `grid_store.Sheet`."""

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet

    def grid(self) -> list[list[Any]]:
        return [list(row) for row in self._sheet.iter_rows(values_only=True)]

    def set(self, row: int, column: int, value: core.Cell) -> None:
        _set_cell(self._sheet.cell(row=row + 1, column=column + 1), value)

    def used_rows(self) -> int:
        return _last_used_row(self._sheet)


class _FileBook:
    def __init__(self, book: Workbook) -> None:
        self._book = book

    def sheet(self, tab_def: Tab) -> _FileSheet:
        return _FileSheet(_sheet(self._book, tab_def))


def _set_up_sheet(book: Workbook, tab_def: Tab) -> list[str]:
    done: list[str] = []
    if tab_def.name not in sheet_names_by_tab(book.sheetnames):
        done.append(f"created tab {tab_def.name}")
    sheet = _sheet(book, tab_def)
    header_cells = [cell.value for cell in sheet[1]] if sheet.max_row >= 1 else []
    plan = core.ensure_headers(
        tab_def, core.headers_of(tab_def, [header_cells]), set(tab_def.column_names)
    )
    write_headers(_FileSheet(sheet), plan.added)
    done.extend(f"added column {name} to {tab_def.name}" for _, name in plan.added)
    if sheet.freeze_panes != "A2":
        sheet.freeze_panes = "A2"
        done.append(f"froze the header row of {tab_def.name}")
    done.extend(_add_dropdowns(sheet, tab_def, plan.headers.positions))
    return done


def _add_dropdowns(sheet: Worksheet, tab_def: Tab, positions: Mapping[str, int]) -> list[str]:
    """Excel dropdowns on choice columns (warning only, so staff may still type freely)."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    existing = {str(validation.sqref) for validation in sheet.data_validations.dataValidation}
    lists = tab("Lists")
    done: list[str] = []
    for column in tab_def.columns:
        if column.kind is not Kind.CHOICE or column.name not in positions:
            continue
        letter = get_column_letter(positions[column.name] + 1)
        area = f"{letter}2:{letter}{LIST_RANGE_ROWS * 10}"
        if area in existing:
            continue
        if column.lists_column:
            list_letter = get_column_letter(lists.column_names.index(column.lists_column) + 1)
            formula = (
                f"{quote_sheetname('Lists')}!${list_letter}$2:${list_letter}${LIST_RANGE_ROWS}"
            )
        elif column.choices:
            formula = '"' + ",".join(column.choice_values) + '"'
        else:
            continue
        validation = DataValidation(
            type="list", formula1=formula, allow_blank=True, errorStyle="warning"
        )
        validation.add(area)
        sheet.add_data_validation(validation)
        done.append(f"dropdown on {tab_def.name}.{column.name}")
    return done
