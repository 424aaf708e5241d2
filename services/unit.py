"""The write protocol: one use case, one outcome.

Each use case gathers everything it writes (rows of several tabs, new rows, their audit rows)
into one `Unit` and hands it to `Store.write` once, so it lands whole (one file save, one
Google batchUpdate). New rows carry an ID made before the write, so the same unit written
again (a retry after an answer that was lost) writes nothing twice. Where one part may only
be written if another holds (people move with their duo), the use case reads afresh
(`read_now`), checks what the user saw and plans the whole unit from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import pandas as pd

from i18n import Msg
from sheets.core import blank, comparable
from sheets.ids import new_id
from sheets.reader import Table
from sheets.schema import Column, Kind, tab
from sheets.store import (
    Append,
    Change,
    Conflict,
    Note,
    RecordNotFound,
    Store,
    Update,
    Where,
    Written,
)
from workflow import NewDuo, RecordChange, Transition

PLAN_ATTEMPTS = 2
"""How often a use case plans its unit of work when a row it counted on went meanwhile."""


@dataclass
class Outcome:
    """What a write did: its message, the IDs it created, and the cells it did not overwrite."""

    message: Msg
    ids: list[str] = field(default_factory=list)
    conflicts: list[tuple[RecordChange, Conflict]] = field(default_factory=list)
    redo: Callable[[], Outcome] | None = None
    """For an action that wrote nothing because of a conflict: the same action again, against
    the sheet as it is now (what "use my values" does). Without it, each cell is settled alone."""

    @property
    def ok(self) -> bool:
        return not self.conflicts


@dataclass
class Unit:
    """The changes of one use case, in order, for ONE `Store.write`: they land together.

    Two changes of the same row (a person moved twice by one action) become one update that
    keeps the values first seen and the first action: the store then checks and writes each
    cell once, against the row as it was before the unit (as Google plans a unit).
    """

    changes: list[Change] = field(default_factory=list)
    sources: list[RecordChange | None] = field(default_factory=list)
    """Per update of the unit (the order of `Written.updates`): the workflow change it writes
    (None for an update found by several columns, an Attendance mark)."""
    _positions: list[int] = field(default_factory=list)
    _rows: dict[tuple[str, str], int] = field(default_factory=dict)
    _appends: int = 0

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]], action: str) -> int:
        """New rows; returns the index of their IDs in `Written.ids`."""
        self.changes.append(Append(tab_name, list(records), action))
        self._appends += 1
        return self._appends - 1

    def update(self, change: RecordChange, action: str) -> int:
        """Cells of the row with this ID; returns the index of its result in `Written.updates`."""
        key = (change.tab, change.record_id.strip().casefold())
        index = self._rows.get(key)
        if index is None:
            self._rows[key] = len(self.sources)
            update = Update(change.tab, change.record_id, change.cells, change.seen, action)
            return self._add(update, change)
        earlier = self.sources[index]
        assert earlier is not None
        joined = merged(earlier, change)
        position = self._positions[index]
        first = self.changes[position]
        assert isinstance(first, Update)
        self.changes[position] = Update(
            joined.tab, joined.record_id, joined.cells, joined.seen, first.action
        )
        self.sources[index] = joined
        return index

    def update_where(
        self,
        tab_name: str,
        where: Where,
        cells: Mapping[str, Any],
        seen: Mapping[str, Any] | None,
        action: str,
    ) -> int:
        """Cells of the row `where` finds (tabs without IDs); the index of its result."""
        return self._add(Update(tab_name, where, dict(cells), seen, action), None)

    def note(self, action: str, tab_name: str, record_id: str, details: str = "") -> None:
        """An Audit row for something that changed no cell."""
        self.changes.append(Note(action, tab_name, record_id, details))

    def write(self, store: Store, who: str) -> Written:
        """The unit in one store call; none for an empty unit (no file saved for nothing)."""
        if not self.changes:
            return Written((), ())
        return store.write(self.changes, who)

    def conflicts(self, written: Written) -> list[tuple[RecordChange, Conflict]]:
        """What someone else changed, with the workflow change it stopped."""
        return [
            (source, conflict)
            for source, result in zip(self.sources, written.updates, strict=True)
            if source is not None
            for conflict in result.conflicts
        ]

    def _add(self, update: Update, source: RecordChange | None) -> int:
        self._positions.append(len(self.changes))
        self.changes.append(update)
        self.sources.append(source)
        return len(self.sources) - 1


def merged(first: RecordChange, then: RecordChange) -> RecordChange:
    """Two changes of one row as one: the later cells win, the values first seen stay."""
    cells = {**first.cells, **then.cells}
    seen = {**then.seen, **first.seen}
    return RecordChange(first.tab, first.record_id, cells, seen, first.row)


class Planned(Protocol):
    """What a use case decided to write, from the workbook as it is now."""

    @property
    def unit(self) -> Unit: ...


P = TypeVar("P", bound=Planned)


def write_planned(store: Store, who: str, plan: Callable[[], P]) -> tuple[P, Written]:
    """Plan a use case's unit from a fresh read (`read_now`) and write it in one call.

    A row the plan counted on can go between the read and the write (staff deleted it): the
    store raises `RecordNotFound` and writes nothing of the unit, so the plan is made once
    more from a fresh read; a second miss is for the user to see.
    """
    for attempt in range(1, PLAN_ATTEMPTS + 1):
        planned = plan()
        try:
            return planned, planned.unit.write(store, who)
        except RecordNotFound:
            if attempt == PLAN_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def read_now(store: Store, tabs: Iterable[str]) -> dict[str, Table]:
    """The tabs as the workbook holds them now, for a use case that decides from them what
    its unit of work writes (and what it must not write when a part would conflict).

    A backend that serves reads from a time-based cache (Google) forgets it first; the file
    and in-memory backends always read what the workbook holds, and keep their loaded book
    (forgetting it would cost the file backend a reload on its next write).
    """
    return store.read(tabs, fresh=True)


def taken_ids(frame: pd.DataFrame) -> set[str]:
    """The IDs of a tab's rows, as typed."""
    if frame.empty or "ID" not in frame.columns:
        return set()
    return {str(value).strip() for value in frame["ID"] if str(value).strip()}


def new_record_id(store: Store, tab_name: str, also_taken: Collection[str] = ()) -> str:
    """An ID for a new row, made before the write so that the unit of work carries it: the
    same unit written again (a retry after an answer that was lost) finds the row and writes
    nothing twice. `also_taken`: IDs this unit already gives."""
    return new_id_for(tab_name, taken_ids(store.table(tab_name).frame) | set(also_taken))


def new_id_for(tab_name: str, taken: Collection[str]) -> str:
    """A new ID of the tab's shape that is none of `taken`."""
    prefix = tab(tab_name).id_prefix
    assert prefix, f"{tab_name} has no IDs"
    return new_id(prefix, taken)


def apply_changes(
    store: Store, changes: Sequence[RecordChange], who: str, action: str, message: Msg
) -> Outcome:
    """Write the changes in one unit, with the values the user saw; collect what someone
    else changed."""
    unit = Unit()
    for change in changes:
        unit.update(change, action)
    return Outcome(message, conflicts=unit.conflicts(unit.write(store, who)))


def apply_transition(store: Store, transition: Transition, who: str, action: str) -> Outcome:
    return apply_changes(store, transition.changes, who, action, transition.message)


def add_new_duo(unit: Unit, new_duo: NewDuo, duo_id: str) -> int:
    """The proposed duo's row (with its ID) and both people's moves; the append's index."""
    index = unit.append("Duos", [{**new_duo.record, "ID": duo_id}], "propose_duo")
    for change in new_duo.changes:
        unit.update(change, "propose_duo")
    return index


def create_duo(store: Store, new_duo: NewDuo, who: str, duo_id: str = "") -> Outcome:
    """The duo and both people's moves in one unit; `duo_id` made here unless given."""
    unit = Unit()
    index = add_new_duo(unit, new_duo, duo_id or new_record_id(store, "Duos"))
    written = unit.write(store, who)
    return Outcome(new_duo.message, list(written.ids[index]), unit.conflicts(written))


def overwrite(store: Store, change: RecordChange, column: str, value: Any, who: str) -> None:
    """The user chose their own value after a conflict: write it without comparing."""
    update = Update(change.tab, change.record_id, {column: value}, None, "resolve")
    store.write([update], who)


def save_record(
    store: Store,
    tab: str,
    record_id: str,
    changes: Mapping[str, Any],
    seen: Mapping[str, Any],
    who: str,
) -> Outcome:
    """Save an edit form: only the fields that differ from what was loaded."""
    changed = {name: value for name, value in changes.items() if not same(value, seen.get(name))}
    if not changed:
        return Outcome(Msg("services.nothing_changed"))
    change = RecordChange(tab, record_id, changed, {n: seen.get(n) for n in changed})
    return apply_changes(store, [change], who, "edit", Msg("services.saved"))


def same(a: Any, b: Any) -> bool:
    """Equal as the sheet would store them (blank, NaN and NaT are all empty)."""
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return list(a or []) == list(b or [])
    if blank(a) and blank(b):
        return True
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        column = Column("_", Kind.DATE)
        return comparable(column, a) == comparable(column, b)
    return bool(a == b)
