"""The store interface: what the app may do with the workbook, whatever holds it.

Two adapters implement it: `sheets.local.LocalStore` (an `.xlsx` file) and
`sheets.google.GoogleStore` (a Google spreadsheet). Both pass the same contract tests.
The rules they share (which cells an update writes, conflicts, audit rows, erasing) are
in `sheets.core`, so that neither adapter decides them alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import clock
from i18n import Msg
from sheets.reader import Finding, Table

_identities = itertools.count(1)
Where = str | Mapping[str, str]
"""Which row an update is for: an ID, or column -> value for tabs without one (Attendance)."""


class StoreError(Exception):
    """A failure the user can act on; `msg` says what happened and what to do, translated."""

    def __init__(self, msg: Msg, detail: str = "") -> None:
        self.msg = msg
        super().__init__(detail or msg.text("en"))


class WorkbookLocked(StoreError):
    """The workbook is open in a program that would overwrite our writes on save."""


class WorkbookUnreadable(StoreError):
    """The file or sheet could not be read; it is left untouched."""


class StoreBusy(StoreError):
    """The backend kept refusing (rate limit, server error, time-out) past the retry bound."""


class NoAccess(StoreError):
    """The spreadsheet does not exist or is not shared with the app's account."""


class RecordNotFound(StoreError):
    """No row has that ID any more (deleted or changed by someone else)."""


@dataclass(frozen=True)
class Conflict:
    """A cell someone else changed after the user loaded it: not overwritten."""

    column: str
    seen: Any
    current: Any
    proposed: Any


@dataclass(frozen=True)
class UpdateResult:
    record_id: str
    row: int
    written: tuple[str, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def ok(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True)
class Append:
    """New rows at the end of a tab. A record without an ID gets one (tabs with IDs); a record
    whose ID is already in the tab is not written again, so repeating a change is harmless."""

    tab: str
    records: Sequence[Mapping[str, Any]]
    action: str = "create"
    audit_each: bool = True
    """False (bulk loads): one audit row sums up the append instead of one per row."""


@dataclass(frozen=True)
class Update:
    """Some cells of the row found by `where` at the moment of writing (see `Store.update`)."""

    tab: str
    where: Where
    changes: Mapping[str, Any]
    seen: Mapping[str, Any] | None = None
    action: str = "update"


@dataclass(frozen=True)
class Note:
    """An Audit row for something that changed no cell (an export, a sign-in)."""

    action: str
    tab: str
    record_id: str
    details: str = ""


Change = Append | Update | Note
"""One part of a unit of work: `Store.write` takes the changes of one use case together."""


@dataclass(frozen=True)
class Written:
    """What a unit of work wrote: the IDs of each `Append` and the result of each `Update`,
    in the order the changes were given."""

    ids: tuple[tuple[str, ...], ...]
    updates: tuple[UpdateResult, ...]

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(conflict for result in self.updates for conflict in result.conflicts)


@dataclass(frozen=True)
class StoreStatus:
    backend: str
    location: str
    is_demo: bool
    calls: int
    reads: int
    writes: int
    last_read: dt.datetime | None
    cache_seconds: float


class Store(ABC):
    """One workbook, read tolerantly and written cell by cell."""

    backend: str = ""
    is_demo: bool = False

    def __init__(self) -> None:
        self._identity = next(_identities)
        self._loads = self._reads = self._writes = 0
        self._last_read: dt.datetime | None = None

    @property
    def version(self) -> Hashable:
        """The data version: the same while `read` gives the same tables, new after anything
        reloaded a tab (a write, a hand edit seen, the end of a cache time). Figures derived
        from the data are kept per version (`Snapshot.memo`)."""
        return (self._identity, self._loads)

    def _loaded(self) -> None:
        """Tabs were (re)parsed: a new data version."""
        self._loads += 1
        self._last_read = clock.now()

    def _status(self, calls: int, cache_seconds: float = 0.0) -> StoreStatus:
        return StoreStatus(
            self.backend,
            self.location,
            self.is_demo,
            calls,
            self._reads,
            self._writes,
            self._last_read,
            cache_seconds,
        )

    @property
    @abstractmethod
    def location(self) -> str:
        """The file path or spreadsheet title shown to users."""

    @abstractmethod
    def read(self, tabs: Iterable[str], *, fresh: bool = False) -> dict[str, Table]:
        """The named tabs, from the cache when fresh, else in one backend call; `fresh`
        goes past a time-based cache (a use case about to decide what it writes)."""

    def table(self, tab: str) -> Table:
        return self.read([tab])[tab]

    def findings(self, tabs: Iterable[str] | None = None) -> list[Finding]:
        from sheets.schema import TABS

        names = list(tabs) if tabs is not None else [t.name for t in TABS]
        return [finding for table in self.read(names).values() for finding in table.findings]

    def recent(self, tab: str, rows: int) -> Table:
        """The last `rows` rows of a tab that only grows (Audit), with their sheet row numbers:
        what a page showing history reads, rather than a tab that grows forever. Backends
        that hold the whole workbook anyway cut the table they have."""
        table = self.table(tab)
        kept = table.frame.tail(rows)
        first = int(kept["_row"].min()) if len(kept) else 0
        findings = [finding for finding in table.findings if finding.row >= first]
        return Table(table.tab, kept.reset_index(drop=True), findings, table.headers)

    @abstractmethod
    def write(self, changes: Sequence[Change], who: str) -> Written:
        """One use case's changes as one unit of work: one save of the file, one write call
        to Google. Appends, updates and their audit rows land together; repeating a unit whose
        answer was lost completes what is missing and never writes a second copy."""

    def append(
        self,
        tab: str,
        records: Sequence[Mapping[str, Any]],
        who: str,
        action: str = "create",
        audit: bool = True,
    ) -> list[str]:
        """Append records as new rows; give each an ID when the tab has IDs; return the IDs.

        With `audit=False` (bulk loads) one audit row sums up the append instead of one per row.
        """
        return list(self.write([Append(tab, records, action, audit)], who).ids[0])

    def update(
        self,
        tab: str,
        where: Where,
        changes: Mapping[str, Any],
        who: str,
        seen: Mapping[str, Any] | None = None,
        action: str = "update",
    ) -> UpdateResult:
        """Change only the named cells of the row found by `where` at the moment of writing.

        `seen` holds the values the user loaded for those cells; a cell whose current value
        differs from both `seen` and the change is not written and comes back as a conflict.
        Without `seen` the changes are written as they are (the user chose them).
        """
        return self.write([Update(tab, where, changes, seen, action)], who).updates[0]

    def log(self, who: str, action: str, tab: str, record_id: str, details: str = "") -> None:
        """Append an Audit row for something that changed no cell (an export, a sign-in)."""
        self.write([Note(action, tab, record_id, details)], who)

    @abstractmethod
    def assign_ids(self, tab: str, who: str) -> list[tuple[int, str]]:
        """Give an ID to every row of `tab` that has none; return (sheet row, new ID)."""

    @abstractmethod
    def erase_participant(self, participant_id: str, who: str) -> int:
        """Blank the personal cells of a person (and of free text about their duos).

        Rows stay, IDs and non-personal facts stay for statistics. Returns the cells blanked.
        """

    @abstractmethod
    def set_up(self, who: str = "set-up") -> list[str]:
        """Create missing tabs and header columns and the sheet's helpers; list what was done.

        What it did is audited as one row.
        """

    @abstractmethod
    def status(self) -> StoreStatus: ...

    @abstractmethod
    def refresh(self) -> None:
        """Forget cached reads: the next read goes to the workbook."""
