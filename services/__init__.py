"""Use cases: what the pages ask for, run against the store.

The service layer between the thin pages and the rest: it reads what a page needs in one
store call, keeps a coordinator to their offices (the data layer, not the widgets, decides
what they see and may change), turns workflow decisions into store writes with the values
the user saw, and reports conflicts instead of overwriting. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pandas as pd

from i18n import Msg
from sheets.core import blank, comparable
from sheets.reader import Finding
from sheets.schema import TABS, Column, Kind
from sheets.store import Conflict, RecordNotFound, Store
from workflow import NewDuo, RecordChange, Transition

DATA_TABS: tuple[str, ...] = tuple(tab.name for tab in TABS if tab.name != "Audit")
MEMO_SIZE = 64
_MEMO: OrderedDict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = OrderedDict()
"""Derived figures by data version; each entry keeps its tables alive so ids stay unique."""
_MEMO_LOCK = threading.Lock()
T = TypeVar("T")


@dataclass(frozen=True)
class User:
    email: str
    name: str
    role: str
    """"Admin" or "Coordinator"."""
    offices: tuple[str, ...] = ()
    """The offices a coordinator works for; admins see every office."""

    @property
    def is_admin(self) -> bool:
        return self.role == "Admin"

    def may_see(self, office: str) -> bool:
        return self.is_admin or office in self.offices


@dataclass
class Snapshot:
    """The workbook as one user may see it: every data tab, limited to their offices."""

    frames: dict[str, pd.DataFrame]
    findings: list[Finding]
    offices: tuple[str, ...]
    """Offices in view (after the user's rights and the office filter)."""
    source: tuple[object, ...] = ()
    """The store's tables this snapshot was cut from: while they are the same objects, the
    data is the same, so derived figures can be reused (see `memo`)."""
    limited: bool = True
    """False for an admin's unfiltered view (records without an office included)."""

    def memo(self, name: str, compute: Callable[[], T], *extra: Hashable) -> T:
        """`compute()` once per data version, office view and `extra` key, shared by sessions.

        The store replaces a table object whenever it reads the tab again (a write, a hand
        edit after the cache time), so keying on the objects never serves stale figures.
        """
        version = tuple(id(table) for table in self.source)
        key = (name, version, self.offices, self.limited, extra)
        with _MEMO_LOCK:
            if key in _MEMO:
                _MEMO.move_to_end(key)
                return cast(T, _MEMO[key][1])
        value = compute()
        with _MEMO_LOCK:
            _MEMO[key] = (self.source, value)
            while len(_MEMO) > MEMO_SIZE:
                _MEMO.popitem(last=False)
        return value

    def __getitem__(self, tab: str) -> pd.DataFrame:
        return self.frames[tab]

    @property
    def participants(self) -> pd.DataFrame:
        return self.frames["Participants"]

    @property
    def duos(self) -> pd.DataFrame:
        return self.frames["Duos"]

    def record(self, tab: str, record_id: str) -> dict[str, Any] | None:
        frame = self.frames[tab]
        if frame.empty:
            return None
        hits = frame.index[frame["ID"] == record_id]
        return None if len(hits) == 0 else frame.loc[hits[0]].to_dict()

    def person(self, person_id: str) -> dict[str, Any] | None:
        return self.record("Participants", person_id)

    def duo(self, duo_id: str) -> dict[str, Any] | None:
        return self.record("Duos", duo_id)


def all_offices(store: Store) -> list[str]:
    """Offices named in the Lists tab, then any other office a record mentions."""
    tables = store.read(["Lists", "Participants"])
    listed = [str(o) for o in tables["Lists"].frame.get("Offices", []) if str(o).strip()]
    used = sorted({str(o) for o in tables["Participants"].frame.get("Office", []) if o})
    return list(dict.fromkeys([*listed, *used]))


def visible_offices(
    user: User, store: Store, chosen: Iterable[str] | None = None
) -> tuple[str, ...]:
    """The offices in view: the user's (all for admins), narrowed to `chosen` when given."""
    allowed = all_offices(store) if user.is_admin else list(user.offices)
    if chosen:
        picked = [office for office in chosen if office in allowed]
        return tuple(picked or allowed)
    return tuple(allowed)


def load(store: Store, user: User, chosen: Collection[str] | None = None) -> Snapshot:
    """Every data tab in one store read, cut down to the offices the user may see.

    Admins who chose no office see everything, records without an office included;
    coordinators never see past their own offices, whatever they choose.
    """
    tables = store.read(DATA_TABS)
    frames = {name: table.frame for name, table in tables.items()}
    findings = [finding for table in tables.values() for finding in table.findings]
    source = tuple(tables[name] for name in DATA_TABS)
    if user.is_admin and not chosen:
        return Snapshot(frames, findings, tuple(all_offices(store)), source, limited=False)
    in_view = visible_offices(user, store, chosen)
    frames, findings = _limit_to_offices(frames, findings, set(in_view))
    return Snapshot(frames, findings, in_view, source)


def _limit_to_offices(
    frames: dict[str, pd.DataFrame], findings: list[Finding], offices: set[str]
) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    people = frames["Participants"]
    people = people[people["Office"].isin(offices)]
    person_ids = set(people["ID"])
    duos = frames["Duos"]
    in_office = duos["Office"].isin(offices)
    unplaced = (duos["Office"] == "") & duos["Mentee ID"].isin(person_ids)
    duos = duos[in_office | unplaced]
    duo_ids = set(duos["ID"])
    limited = dict(frames)
    limited["Participants"] = people
    limited["Duos"] = duos
    for name in ("Meetings", "Check-ins", "Evaluations"):
        limited[name] = frames[name][frames[name]["Duo ID"].isin(duo_ids)]
    sessions = frames["Sessions"]
    limited["Sessions"] = sessions[sessions["Office"].isin(offices) | (sessions["Office"] == "")]
    attendance = frames["Attendance"]
    limited["Attendance"] = attendance[attendance["Participant ID"].isin(person_ids)]
    rows_in_view = {name: set(limited[name]["_row"]) for name in limited if "_row" in limited[name]}
    kept = [
        f
        for f in findings
        if f.tab not in rows_in_view or f.row in rows_in_view[f.tab] or f.row <= 1
    ]
    return limited, kept


class OutOfOffice(RecordNotFound):
    """The record belongs to an office the user does not work for."""


def check_office(user: User, office: str, record_id: str) -> None:
    """Refuse to change a record of another office (as if it did not exist)."""
    if not user.may_see(office):
        raise OutOfOffice(Msg("services.not_your_office", {"key": record_id}))


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


def apply_changes(
    store: Store, changes: Sequence[RecordChange], who: str, action: str, message: Msg
) -> Outcome:
    """Write each change with the values the user saw; collect what someone else changed."""
    outcome = Outcome(message)
    for change in changes:
        result = store.update(change.tab, change.record_id, change.cells, who, change.seen, action)
        outcome.conflicts.extend((change, conflict) for conflict in result.conflicts)
    return outcome


def apply_transition(store: Store, transition: Transition, who: str, action: str) -> Outcome:
    return apply_changes(store, transition.changes, who, action, transition.message)


def create_duo(store: Store, new_duo: NewDuo, who: str) -> Outcome:
    ids = store.append("Duos", [new_duo.record], who, action="propose_duo")
    outcome = apply_changes(store, new_duo.changes, who, "propose_duo", new_duo.message)
    outcome.ids = ids
    return outcome


def overwrite(store: Store, change: RecordChange, column: str, value: Any, who: str) -> None:
    """The user chose their own value after a conflict: write it without comparing."""
    store.update(change.tab, change.record_id, {column: value}, who, seen=None, action="resolve")


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
