"""What a page reads: every data tab in one store call, cut to the offices the user may see,
and the figures derived from it, kept once per data version for every session."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import pandas as pd

from access import User
from services.offices import all_offices, limit_to_offices, visible_offices
from sheets.reader import Finding
from sheets.schema import TABS
from sheets.store import Store

DATA_TABS: tuple[str, ...] = tuple(tab.name for tab in TABS if tab.name not in {"Audit", "Outbox"})


MEMO_SIZE = 64


_MEMO: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
"""Derived figures by data version and office view, shared by every session."""


_MEMO_LOCK = threading.Lock()


T = TypeVar("T")


@dataclass
class Snapshot:
    """The workbook as one user may see it: every data tab, limited to their offices."""

    frames: dict[str, pd.DataFrame]
    findings: list[Finding]
    offices: tuple[str, ...]
    """Offices in view (after the user's rights and the office filter)."""
    version: Hashable = None
    """The store's data version this snapshot was cut from (`Store.version`): while it is the
    same, so is the data, and derived figures are reused (see `memo`)."""
    limited: bool = True
    """False for an admin's unfiltered view (records without an office included)."""

    def memo(self, name: str, compute: Callable[[], T], *extra: Hashable) -> T:
        """`compute()` once per data version, office view and `extra` key, shared by sessions.

        The store issues a new version whenever it reads a tab again (a write, a hand edit
        after the cache time), so keying on it never serves stale figures.
        """
        key = (name, self.version, self.offices, self.limited, extra)
        with _MEMO_LOCK:
            if key in _MEMO:
                _MEMO.move_to_end(key)
                return cast(T, _MEMO[key])
        value = compute()
        with _MEMO_LOCK:
            _MEMO[key] = value
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


def load(store: Store, user: User, chosen: Collection[str] | None = None) -> Snapshot:
    """Every data tab in one store read, cut down to the offices the user may see.

    Admins who chose no office see everything, records without an office included;
    coordinators never see past their own offices, whatever they choose.
    """
    tables = store.read(DATA_TABS)
    frames = {name: table.frame for name, table in tables.items()}
    findings = [finding for table in tables.values() for finding in table.findings]
    version = store.version
    if user.is_admin and not chosen:
        return Snapshot(frames, findings, tuple(all_offices(store)), version, limited=False)
    in_view = visible_offices(user, store, chosen)
    frames, findings = limit_to_offices(frames, findings, set(in_view))
    return Snapshot(frames, findings, in_view, version)
