"""The in-memory backend: a workbook of plain Python grids, for tests and throwaway demos.

It follows the same contract as the `.xlsx` file and the Google sheet (the contract tests
run on all three), without a file to rewrite on each write. `DUO_WORKBOOK=memory:NAME`
selects a named one; `named(NAME)` gives the same workbook to every caller of the process.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import clock
from sheets import core
from sheets.grid_store import GridStore, used_rows, write_headers
from sheets.reader import Table, sheet_names_by_tab, table_of
from sheets.schema import TABS, Tab, tab
from sheets.store import StoreStatus

PREFIX = "memory:"
Grids = Mapping[str, Sequence[Sequence[Any]]]


class MemoryStore(GridStore):
    backend = "memory"

    def __init__(
        self, grids: Grids | None = None, *, name: str = "", is_demo: bool = False
    ) -> None:
        self.name = name
        self.is_demo = is_demo
        self.grids: dict[str, list[list[Any]]] = {
            title: [list(row) for row in rows] for title, rows in (grids or {}).items()
        }
        """Sheet title -> rows of cells: what staff would see; tests may edit it directly."""
        super().__init__()
        self._mutex = threading.RLock()
        self._tables: dict[str, tuple[int, Table]] = {}
        self._edits = 0

    @property
    def location(self) -> str:
        return PREFIX + self.name

    def edited(self) -> None:
        """Staff changed the grids by hand (a test's hands): the next read sees it."""
        with self._mutex:
            self._edits += 1

    def read(self, tabs: Iterable[str], *, fresh: bool = False) -> dict[str, Table]:
        names = list(dict.fromkeys(tabs))
        with self._mutex:
            edits = self._edits
            present = sheet_names_by_tab(list(self.grids))
            stale = [name for name in names if self._tables.get(name, (None,))[0] != edits]
            for name in stale:
                grid = self.grids.get(present[name]) if name in present else None
                table = table_of(tab(name), copy.deepcopy(grid), clock.today())
                self._tables[name] = (edits, table)
            if stale:
                self._loaded()
            self._reads += 1
            return {name: self._tables[name][1] for name in names}

    @contextlib.contextmanager
    def _holding(self) -> Iterator[_MemoryBook]:
        with self._mutex:
            saved = copy.deepcopy(self.grids)
            try:
                yield _MemoryBook(self.grids)
            except BaseException:
                self.grids.clear()
                self.grids.update(saved)
                raise
            finally:
                self._edits += 1
            self._writes += 1

    def set_up(self, who: str = "set-up") -> list[str]:
        done: list[str] = []
        with self._holding() as book:
            for tab_def in TABS:
                if tab_def.name not in sheet_names_by_tab(list(self.grids)):
                    done.append(f"created tab {tab_def.name}")
                sheet = book.sheet(tab_def)
                headers = core.headers_of(tab_def, sheet.grid())
                plan = core.ensure_headers(tab_def, headers, set(tab_def.column_names))
                write_headers(sheet, plan.added)
                done.extend(f"added column {name} to {tab_def.name}" for _, name in plan.added)
        if done:
            self.log(who, "set_up", "", "", f"{len(done)} changes")
        return done

    def status(self) -> StoreStatus:
        return self._status(self._loads)

    def refresh(self) -> None:
        with self._mutex:
            self._tables.clear()


class _MemorySheet:
    def __init__(self, rows: list[list[Any]]) -> None:
        self._rows = rows

    def grid(self) -> list[list[Any]]:
        return [list(row) for row in self._rows]

    def set(self, row: int, column: int, value: core.Cell) -> None:
        while len(self._rows) <= row:
            self._rows.append([])
        line = self._rows[row]
        while len(line) <= column:
            line.append(None)
        line[column] = None if value == "" else value

    def used_rows(self) -> int:
        return used_rows(self._rows)


class _MemoryBook:
    def __init__(self, grids: dict[str, list[list[Any]]]) -> None:
        self._grids = grids

    def sheet(self, tab_def: Tab) -> _MemorySheet:
        present = sheet_names_by_tab(list(self._grids))
        if tab_def.name not in present:
            self._grids[tab_def.name] = [list(tab_def.column_names)]
            present[tab_def.name] = tab_def.name
        return _MemorySheet(self._grids[present[tab_def.name]])


_named: dict[str, MemoryStore] = {}
_named_lock = threading.Lock()


def named(name: str, grids: Grids | None = None) -> MemoryStore:
    """The process's in-memory workbook of that name (made from `grids`, or empty tabs)."""
    with _named_lock:
        if name not in _named:
            empty = {t.name: [list(t.column_names)] for t in TABS}
            _named[name] = MemoryStore(grids if grids is not None else empty, name=name)
        return _named[name]


def register(name: str, store: MemoryStore) -> MemoryStore:
    """Make `store` the process's in-memory workbook of that name (a test's own kind)."""
    with _named_lock:
        _named[name] = store
        store.name = name
    return store


def forget(name: str) -> None:
    with _named_lock:
        _named.pop(name, None)
