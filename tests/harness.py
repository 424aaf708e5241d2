"""Both store backends behind one test face: the store itself, and a pair of hands that edit
the workbook the way staff do (in Excel / LibreOffice, or in the Google sheet's web page)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Protocol

import openpyxl
from google.auth.credentials import AnonymousCredentials
from gspread.utils import a1_to_rowcol

from sheets.google import GoogleStore
from sheets.local import EMPTY_TABS, LocalStore, create_workbook
from sheets.memory import MemoryStore
from sheets.reader import sheet_names_by_tab
from sheets.store import Store
from tests.sheets_emulator import SheetsEmulator


class Hands(Protocol):
    """Staff editing the workbook directly, between two actions of the app."""

    def rows(self, tab: str) -> list[list[str]]: ...
    def set_cell(self, tab: str, a1: str, value: str) -> None: ...
    def insert_blank_row(self, tab: str, before_row: int) -> None: ...
    def sort_rows(self, tab: str, column_index: int, reverse: bool = False) -> None: ...
    def move_column(self, tab: str, from_index: int, to_index: int) -> None: ...
    def formulas(self) -> list[Any]: ...


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class FileHands:
    """Edits the .xlsx file with openpyxl, as a desktop spreadsheet program would."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, tab: str) -> list[list[str]]:
        book = openpyxl.load_workbook(self.path)
        return _trimmed([[_text(v) for v in row] for row in book[tab].iter_rows(values_only=True)])

    def set_cell(self, tab: str, a1: str, value: str) -> None:
        book = openpyxl.load_workbook(self.path)
        book[tab][a1] = value
        book.save(self.path)

    def insert_blank_row(self, tab: str, before_row: int) -> None:
        book = openpyxl.load_workbook(self.path)
        book[tab].insert_rows(before_row)
        book.save(self.path)

    def sort_rows(self, tab: str, column_index: int, reverse: bool = False) -> None:
        book = openpyxl.load_workbook(self.path)
        sheet = book[tab]
        rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
        rows.sort(key=lambda row: _text(row[column_index]), reverse=reverse)
        for number, row in enumerate(rows, start=2):
            for index, value in enumerate(row, start=1):
                sheet.cell(row=number, column=index, value=value)
        book.save(self.path)

    def move_column(self, tab: str, from_index: int, to_index: int) -> None:
        book = openpyxl.load_workbook(self.path)
        sheet = book[tab]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        for row in rows:
            row.insert(to_index, row.pop(from_index))
        for number, row in enumerate(rows, start=1):
            for index, value in enumerate(row, start=1):
                sheet.cell(row=number, column=index, value=value)
        book.save(self.path)

    def formulas(self) -> list[Any]:
        book = openpyxl.load_workbook(self.path)
        return [
            (sheet.title, cell.coordinate, cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows without trailing empty cells, and no trailing empty rows (as Google returns them)."""
    trimmed = []
    for row in rows:
        while row and row[-1] == "":
            row = row[:-1]
        trimmed.append(row)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


class SheetHands:
    """Edits the emulated Google sheet directly, as staff do in the browser."""

    def __init__(self, emulator: SheetsEmulator, key: str) -> None:
        self.emulator = emulator
        self.key = key

    def rows(self, tab: str) -> list[list[str]]:
        return [[_text(v) for v in row] for row in self.emulator.rows(self.key, tab)]

    def set_cell(self, tab: str, a1: str, value: str) -> None:
        self.emulator.set_cell(self.key, tab, a1, value)

    def insert_blank_row(self, tab: str, before_row: int) -> None:
        self.emulator.insert_rows(self.key, tab, before_row, 1)

    def sort_rows(self, tab: str, column_index: int, reverse: bool = False) -> None:
        self.emulator.sort_rows(self.key, tab, column_index, reverse=reverse)

    def move_column(self, tab: str, from_index: int, to_index: int) -> None:
        self.emulator.move_column(self.key, tab, from_index, to_index)

    def formulas(self) -> list[Any]:
        return list(self.emulator.formulas(self.key))


class GridHands:
    """Edits the in-memory workbook's grids, as staff would edit the sheet."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def _grid(self, tab: str) -> list[list[Any]]:
        return self.store.grids[sheet_names_by_tab(list(self.store.grids))[tab]]

    def rows(self, tab: str) -> list[list[str]]:
        return _trimmed([[_text(v) for v in row] for row in self._grid(tab)])

    def set_cell(self, tab: str, a1: str, value: str) -> None:
        row, column = a1_to_rowcol(a1)
        grid = self._grid(tab)
        while len(grid) < row:
            grid.append([])
        line = grid[row - 1]
        line.extend([None] * (column - len(line)))
        line[column - 1] = value
        self.store.edited()

    def insert_blank_row(self, tab: str, before_row: int) -> None:
        self._grid(tab).insert(before_row - 1, [])
        self.store.edited()

    def sort_rows(self, tab: str, column_index: int, reverse: bool = False) -> None:
        grid = self._grid(tab)
        body = grid[1:]
        body.sort(
            key=lambda row: _text(row[column_index] if column_index < len(row) else ""),
            reverse=reverse,
        )
        grid[1:] = body
        self.store.edited()

    def move_column(self, tab: str, from_index: int, to_index: int) -> None:
        width = max(len(row) for row in self._grid(tab))
        for row in self._grid(tab):
            row.extend([None] * (width - len(row)))
            row.insert(to_index, row.pop(from_index))
        self.store.edited()

    def formulas(self) -> list[Any]:
        """An in-memory workbook holds values only: text is never a formula there."""
        return []


_keys = itertools.count(1)


def memory_backend(grids: dict[str, list[list[Any]]] | None = None) -> tuple[Store, GridHands]:
    store = MemoryStore(grids or EMPTY_TABS)
    return store, GridHands(store)


def local_backend(
    folder: Path, grids: dict[str, list[list[Any]]] | None = None
) -> tuple[Store, FileHands]:
    path = folder / "workbook.xlsx"
    create_workbook(path, grids or EMPTY_TABS)
    return LocalStore(path), FileHands(path)


def google_backend(
    emulator: SheetsEmulator,
    grids: dict[str, list[list[Any]]] | None = None,
    **options: Any,
) -> tuple[GoogleStore, SheetHands]:
    key = f"sheet{next(_keys):04d}"
    emulator.create_spreadsheet(key, title="DUO test", tabs=grids or EMPTY_TABS, locale="fr_BE")
    options.setdefault("cache_seconds", 0.0)
    options.setdefault("retry_seconds", 3.0)
    store = GoogleStore(
        key,
        AnonymousCredentials(),  # type: ignore[no-untyped-call]
        account_email="duo-app@example-project.iam.gserviceaccount.com",
        api_base=emulator.url,
        **options,
    )
    return store, SheetHands(emulator, key)
