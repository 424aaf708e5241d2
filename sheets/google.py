"""The Google backend: a Google spreadsheet through gspread 6, with a service account.

Call budget (what keeps a page fast and the API quota safe):
- a page's read is ONE `values:batchGet` for every tab it needs that is not freshly cached;
- a write (`Store.write`: one use case's appends, updates and audit rows together) is at most
  three calls: one `values:batchGet` of the touched tabs and Audit's header row (the use
  case's own fresh read, `read(..., fresh=True)` just before in the same thread, stands in
  for it), ONE `spreadsheets:batchUpdate` holding every changed cell (`updateCells`, by
  sheetId, row and column), every new row (`appendCells`, data and audit rows alike) and any
  header cell to add, and one verifying `values:batchGet`. Google applies a batchUpdate
  whole or not at all, so a record and its audit rows never land apart;
- a race with staff (rows sorted, inserted or deleted, columns moved, between the read and the
  write) is found by the verifying read and repaired with one more batchUpdate and read;
  a lost answer (time-out, reset, 5xx) costs one more read, and one more batchUpdate only if
  the first one had not been applied;
- sheet metadata is fetched once and again only after set-up changed it.
gspread's own `BackOffHTTPClient` retries without a bound in 6.2.1; `RetryingClient` below
retries reads on 429, 5xx, time-outs, HTML error pages and token-endpoint failures with
exponential backoff and jitter, honours `Retry-After`, and gives up with `StoreBusy` once the
use case's time (`retry_seconds`, for the whole save, not per call) is spent. A write is never
resent blindly: see `GoogleStore.write`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filelock
import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.utils import extract_id_from_url, rowcol_to_a1

import clock
from i18n import Msg
from sheets import core
from sheets.google_transport import routed_session
from sheets.reader import Headers, Table, read_grid, sheet_names_by_tab, table_of
from sheets.schema import LISTS, TABS, Column, Kind, Tab, tab
from sheets.store import (
    Append,
    Change,
    NoAccess,
    Note,
    RecordNotFound,
    Store,
    StoreBusy,
    StoreError,
    StoreStatus,
    Update,
    UpdateResult,
    WorkbookUnreadable,
    Written,
)
from sheets.values import as_text

RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
PROTECTION_NOTE = "DUO: IDs are used by the app; change them only if you know why."
LIST_RANGE_ROWS = 500
AUDIT = "Audit"
JUST_READ_SECONDS = 2.0
"""How long a use case's fresh read stands in for its write's own read (the verifying read
after the write catches what staff changed meanwhile)."""
REPAIR_ROUNDS = 3
"""How many times a write repairs what a race moved before it gives up (and says so)."""

Grid = list[list[Any]]
Request = dict[str, Any]
log = logging.getLogger(__name__)


class AnswerLost(Exception):
    """A write whose answer never came (time-out, reset, 5xx): it may or may not be applied."""


class RetryingClient(HTTPClient):
    """gspread's HTTP client with bounded retries (exponential backoff, jitter, Retry-After).

    Every failure leaves as a `StoreError` or a gspread `APIError` with a real status code
    (an HTML page's 502 included). Inside `once()`, a transient failure is not retried but
    raised as `AnswerLost`: the caller re-reads before deciding whether to send it again.
    Inside `budget()`, every call shares one deadline.
    """

    def __init__(
        self,
        auth: Credentials,
        session: requests.Session,
        *,
        retry_seconds: float = 60.0,
        first_delay: float = 1.0,
        max_delay: float = 16.0,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(auth, session=session)
        self.retry_seconds = retry_seconds
        self.first_delay = first_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self._jitter = jitter
        self._local = threading.local()
        self.calls = 0

    @contextlib.contextmanager
    def budget(self) -> Iterator[None]:
        """Share one deadline (`retry_seconds` from now) between all calls inside."""
        outer = getattr(self._local, "deadline", None)
        if outer is None:
            self._local.deadline = time.monotonic() + self.retry_seconds
        try:
            yield
        finally:
            if outer is None:
                self._local.deadline = None

    @contextlib.contextmanager
    def once(self) -> Iterator[None]:
        """Send without retrying: a transient failure raises `AnswerLost`."""
        self._local.once = True
        try:
            yield
        finally:
            self._local.once = False

    def deadline(self) -> float:
        shared: float | None = getattr(self._local, "deadline", None)
        return shared if shared is not None else time.monotonic() + self.retry_seconds

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        deadline = self.deadline()
        attempt = 0
        while True:
            self.calls += 1
            retry_after: str | None = None
            try:
                response = super().request(*args, **kwargs)
                response.json()  # a 200 that is not JSON (a proxy's page) is a failure too
                return response
            except APIError as error:
                if _status(error) not in RETRYABLE:
                    raise
                retry_after = error.response.headers.get("Retry-After")
                failure: Exception = error
            except RefreshError as error:
                if not getattr(error, "retryable", False):
                    raise StoreError(Msg("store.google_auth_failed"), str(error)) from error
                failure = error
            except (requests.RequestException, TransportError, ValueError) as error:
                failure = error
            if getattr(self._local, "once", False):
                raise AnswerLost(str(failure)) from failure
            wait = self._delay(attempt, retry_after)
            if time.monotonic() + wait > deadline:
                raise StoreBusy(Msg("store.google_busy"), _short(failure)) from failure
            self._sleep(wait)
            attempt += 1

    def _delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        backoff = min(self.max_delay, self.first_delay * 2**attempt)
        return backoff * (0.5 + self._jitter() / 2)

    def pause(self, attempt: int) -> None:
        """Wait before the next try of a write, or give up when the use case's time is spent."""
        wait = self._delay(attempt)
        if time.monotonic() + wait > self.deadline():
            raise StoreBusy(Msg("store.google_busy"), "the write's answer was lost")
        self._sleep(wait)


def _status(error: APIError) -> int:
    """The HTTP status: gspread says -1 when the body was not Google's JSON (an HTML page)."""
    return int(getattr(error.response, "status_code", 0) or error.code)


def _short(error: Exception) -> str:
    """A failure for logs and exception text, without a proxy's HTML page."""
    if isinstance(error, APIError):
        message = str(error.error.get("message", "")) if _is_json(error) else ""
        return f"HTTP {_status(error)} {message}".strip()
    return f"{type(error).__name__}: {str(error)[:200]}"


def _is_json(error: APIError) -> bool:
    return not str(error.error.get("status", "")).startswith("invalid JSON")


@dataclass(frozen=True)
class _Target:
    """A cell an update writes: where it was sent, and where it belongs (row of `key`,
    column of `header`) whatever staff do to the rows and columns meanwhile."""

    tab: str
    key: Mapping[str, str]
    header: str
    column: Column
    value: core.Cell
    row: int
    index: int
    before: core.Cell
    """The cell's value when the write was planned (to tell a moved write from a new edit)."""


@dataclass(frozen=True)
class _NewRow:
    """A data row `appendCells` adds: its record, and its cells as sent."""

    tab: str
    record: Mapping[str, Any]
    cells: tuple[core.Cell, ...]


@dataclass
class _Plan:
    """One batchUpdate of a unit of work, and what it must have done once applied."""

    requests: list[Request] = field(default_factory=list)
    targets: list[_Target] = field(default_factory=list)
    rows: list[_NewRow] = field(default_factory=list)
    audit_rows: list[list[core.Cell]] = field(default_factory=list)
    ids: list[tuple[str, ...]] = field(default_factory=list)
    results: list[UpdateResult] = field(default_factory=list)


@dataclass(frozen=True)
class _Unit:
    """A unit of work with what must stay the same when it is planned again: the time stamp
    and the IDs given to new records (so that a second try finds the first one's rows)."""

    changes: Sequence[Change]
    records: Mapping[int, list[dict[str, Any]]]
    stamp: dt.datetime
    who: str

    @property
    def tabs(self) -> list[str]:
        names = [c.tab for c in self.changes if isinstance(c, Append | Update)]
        return list(dict.fromkeys(names))


@dataclass
class _Check:
    """What the verifying read found: whether the write landed, and the cells to put right."""

    landed: bool = False
    fixes: list[tuple[str, int, int, core.Cell]] = field(default_factory=list)
    """(tab, 0-based row, 0-based column, value): a moved write, or a cell it overwrote."""
    notes: list[str] = field(default_factory=list)
    """What was repaired or could not be, for the Audit row (IDs and column names only)."""


class GoogleStore(Store):
    backend = "google"

    def __init__(
        self,
        spreadsheet: str,
        credentials: Credentials,
        *,
        account_email: str = "",
        api_base: str | None = None,
        cache_seconds: float = 15.0,
        timeout: float = 30.0,
        retry_seconds: float = 60.0,
        retry_delay: float = 1.0,
        lock_folder: Path | None = None,
    ) -> None:
        self.key = extract_id_from_url(spreadsheet) if "/" in spreadsheet else spreadsheet.strip()
        self.account_email = account_email
        self.cache_seconds = cache_seconds
        self.http = RetryingClient(
            credentials,
            routed_session(credentials, api_base, timeout),
            retry_seconds=retry_seconds,
            first_delay=retry_delay,
        )
        self._mutex = threading.RLock()
        folder = lock_folder or Path(tempfile.gettempdir())
        self._writer_lock = filelock.FileLock(
            str(folder / f"duo-google-{self.key}.lock"), timeout=retry_seconds
        )
        self._meta: dict[str, Any] | None = None
        self._tables: dict[str, tuple[float, Table]] = {}
        self._local = threading.local()
        """Per thread (a Streamlit session runs in its own): the cells of a use case's fresh
        read, for the write that follows it in the same thread."""
        super().__init__()
        self.repairs = 0
        """Cells put back where they belong after a race with staff (also in Audit)."""

    @property
    def location(self) -> str:
        meta = self._meta or {}
        return str(meta.get("properties", {}).get("title") or self.key)

    # metadata

    def _metadata(self) -> dict[str, Any]:
        if self._meta is None:
            self._meta = self._call(lambda: self.http.fetch_sheet_metadata(self.key))
        return self._meta

    def _titles(self) -> dict[str, str]:
        """Canonical tab name -> the sheet's own title."""
        titles = [sheet["properties"]["title"] for sheet in self._metadata().get("sheets", [])]
        return sheet_names_by_tab(titles)

    def _sheet_properties(self, title: str) -> dict[str, Any]:
        for sheet in self._metadata().get("sheets", []):
            if sheet["properties"]["title"] == title:
                return dict(sheet["properties"])
        raise KeyError(title)

    def _sheet_id(self, name: str) -> int:
        return int(self._sheet_properties(self._titles()[name])["sheetId"])

    def _call(self, operation: Callable[[], Any]) -> Any:
        """Run one API call; every failure leaves as a `StoreError` with a translated message."""
        try:
            return operation()
        except APIError as error:
            if _status(error) in (403, 404):
                raise NoAccess(
                    Msg(
                        "store.google_no_access",
                        {"key": self.key, "email": self.account_email},
                    ),
                    _short(error),
                ) from error
            if not _is_json(error):
                raise StoreBusy(Msg("store.google_busy"), _short(error)) from error
            detail = str(error.error.get("message", ""))[:300]
            raise WorkbookUnreadable(
                Msg("store.google_error", {"detail": detail}), _short(error)
            ) from error
        except (StoreError, AnswerLost):
            raise
        except (requests.RequestException, TransportError, ValueError) as error:
            raise StoreBusy(Msg("store.google_busy"), _short(error)) from error

    # reading

    def read(self, tabs: Iterable[str], *, fresh: bool = False) -> dict[str, Table]:
        names = list(dict.fromkeys(tabs))
        with self._mutex, self.http.budget():
            moment = time.monotonic()
            stale = [
                name
                for name in names
                if fresh
                or name not in self._tables
                or moment - self._tables[name][0] > self.cache_seconds
            ]
            if stale:
                grids = self._fetch(stale, keep=fresh)
                today = clock.today()
                for name in stale:
                    self._tables[name] = (
                        moment,
                        table_of(tab(name), grids.get(name), today),
                    )
                self._loaded()
            self._reads += 1
            return {name: self._tables[name][1] for name in names}

    def recent(self, tab_name: str, rows: int) -> Table:
        """Row 1 and the rows from `rows` before the end of the sheet's grid, in one call; the
        whole tab when the grid's end holds fewer data rows than that (empty rows left by
        staff, or a grid grown ahead of its data)."""
        with self._mutex, self.http.budget():
            titles = self._titles()
            if tab_name not in titles:
                return table_of(tab(tab_name), None, clock.today())
            title = titles[tab_name]
            grid = self._sheet_properties(title).get("gridProperties", {})
            first = max(2, int(grid.get("rowCount", 0)) - rows + 1)
            last_column = _letter(max(0, int(grid.get("columnCount", 26)) - 1))
            ranges = [f"{_quote(title)}!1:1", f"{_quote(title)}!A{first}:{last_column}"]
            response = self._call(lambda: self.http.values_batch_get(self.key, ranges))
            header, body = (list(r.get("values", [])) for r in response.get("valueRanges", []))
            self._reads += 1
        if first > 2 and sum(1 for row in body if any(row)) < rows:
            return super().recent(tab_name, rows)
        return read_grid(tab(tab_name), [header[0] if header else [], *body], clock.today(), first)

    def _fetch(
        self, names: Sequence[str], header_only: Sequence[str] = (), *, keep: bool = False
    ) -> dict[str, Grid]:
        """Every named tab's cells (only row 1 of those in `header_only`) in one
        `values:batchGet`; tabs the sheet lacks are left out.

        With `keep` (a use case's fresh read, which its write follows at once) Audit's row 1
        comes along and the cells are kept for that write, which then needs no read of its
        own: its verifying read catches whatever changed in between.
        """
        titles = self._titles()
        if keep and AUDIT not in names:
            return self._kept(self._fetch([*names, AUDIT], [*header_only, AUDIT]))
        present = [name for name in names if name in titles]
        if not present:
            return {}
        ranges = [
            _quote(titles[name]) + ("!1:1" if name in header_only else "") for name in present
        ]
        response = self._call(
            lambda: self.http.values_batch_get(
                self.key, ranges, params={"valueRenderOption": "FORMATTED_VALUE"}
            )
        )
        value_ranges = response.get("valueRanges", [])
        return {
            name: list(value_range.get("values", []))
            for name, value_range in zip(present, value_ranges, strict=True)
        }

    def _kept(self, grids: dict[str, Grid]) -> dict[str, Grid]:
        moment = time.monotonic()
        self._local.just_read = {name: (moment, grid) for name, grid in grids.items()}
        return grids

    def _base_for(self, tabs: Sequence[str]) -> dict[str, Grid]:
        """The cells a write plans from: those of the fresh read just made for it, else one
        `values:batchGet` of the touched tabs and Audit's row 1."""
        kept: dict[str, tuple[float, Grid]] = getattr(self._local, "just_read", {})
        self._local.just_read = {}
        moment = time.monotonic()
        if all(
            name in kept and moment - kept[name][0] <= JUST_READ_SECONDS for name in [*tabs, AUDIT]
        ):
            return {name: grid for name, (_, grid) in kept.items()}
        return self._fetch([*tabs, AUDIT], header_only=[AUDIT])

    def _forget(self, *names: str) -> None:
        for name in names:
            self._tables.pop(name, None)

    # writing: one unit of work

    def write(self, changes: Sequence[Change], who: str) -> Written:
        """Plan from one read, send one atomic batchUpdate, verify with one read.

        A write is never resent blindly. When its answer is lost, the tabs are read again:
        Google applies a batchUpdate whole or not at all, so finding any of its marks (a new
        record's ID, a changed cell, for a unit of notes only its audit rows) means all of it
        landed; otherwise it is planned again from the fresh cells, with the same IDs and time
        stamp, and sent again. What a race with staff moved is put back where it belongs
        (see `_check`) and recorded in Audit as a `repair`.
        """
        if not changes:
            return Written((), ())
        with self._mutex, self._exclusive(), self.http.budget():
            tabs = list(dict.fromkeys(c.tab for c in changes if isinstance(c, Append | Update)))
            for name in [*tabs, AUDIT]:
                self._ensure_tab(tab(name))
            base = self._base_for(tabs)
            unit = _Unit(changes, self._completed(changes, base), core.now(), who)
            plan = self._plan(unit, base)
            if plan.requests:
                plan = self._settle(unit, base, plan)
            self._forget(*tabs, AUDIT)
            self._writes += 1
        return Written(tuple(plan.ids), tuple(plan.results))

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One writer at a time per spreadsheet among this machine's app processes, so that
        two changes of one cell from the same `seen` give one winner and one conflict."""
        try:
            with self._writer_lock:
                yield
        except filelock.Timeout as error:
            raise StoreBusy(Msg("store.google_busy"), "another process is writing") from error

    def _completed(
        self, changes: Sequence[Change], grids: Mapping[str, Grid]
    ) -> dict[int, list[dict[str, Any]]]:
        """Each Append's records with their IDs and stamps, fixed for the whole unit."""
        stamp = core.now()
        completed: dict[int, list[dict[str, Any]]] = {}
        taken: dict[str, set[str]] = {}
        for number, change in enumerate(changes):
            if isinstance(change, Append):
                tab_def = tab(change.tab)
                ids = taken.setdefault(
                    change.tab, core.existing_ids(tab_def, grids.get(change.tab, []))
                )
                records = core.complete_records(tab_def, change.records, ids, stamp)
                ids.update(str(record.get("ID", "")) for record in records)
                completed[number] = records
        return completed

    def _settle(self, unit: _Unit, base: Mapping[str, Grid], plan: _Plan) -> _Plan:
        """Send `plan`, then verify, re-plan after a lost answer, and repair races."""
        answered = landed = self._send(plan.requests)
        attempt = rounds = 0
        while True:
            if not answered:
                self.http.pause(attempt)
                attempt += 1
            notes_only = not landed and not plan.rows and not plan.targets
            fresh = self._fetch([*unit.tabs, AUDIT], header_only=[] if notes_only else [AUDIT])
            check = self._check(plan, base, fresh, audit_read=notes_only)
            if not landed and not check.landed:
                base, plan = fresh, self._plan(unit, fresh)
                if not plan.requests:
                    return plan
                answered = landed = self._send(plan.requests)
                continue
            landed = True
            if not check.fixes:
                return plan
            rounds += 1
            if rounds > REPAIR_ROUNDS:
                log.warning("write on %s left unrepaired: %s", self.key, check.notes)
                raise StoreBusy(Msg("store.google_race"), "; ".join(check.notes))
            answered = self._send(self._repair_requests(unit, fresh, check))

    def _send(self, requests_: Sequence[Request]) -> bool:
        """One batchUpdate, not retried: False when its answer was lost."""
        body = {"requests": list(requests_)}
        if any("appendDimension" in request for request in requests_):
            self._meta = None
        try:
            with self.http.once():
                self._call(lambda: self.http.batch_update(self.key, body))
        except AnswerLost as lost:
            log.info("batchUpdate on %s: answer lost (%s)", self.key, lost)
            return False
        return True

    # planning

    def _plan(self, unit: _Unit, grids: Mapping[str, Grid]) -> _Plan:
        """The batchUpdate for `unit` against these cells (positions as they are now)."""
        plan = _Plan()
        headers = self._header_plans(unit, grids)
        audit: list[dict[str, Any]] = []
        for number, change in enumerate(unit.changes):
            if isinstance(change, Append):
                self._plan_append(plan, unit, number, change, grids, headers, audit)
            elif isinstance(change, Update):
                self._plan_update(plan, unit, change, grids, headers, audit)
            else:
                audit.append(
                    core.audit_record(
                        unit.who,
                        change.action,
                        change.tab,
                        change.record_id,
                        change.details,
                        unit.stamp,
                    )
                )
        audit_headers = headers[AUDIT].headers
        plan.audit_rows = [core.record_to_row(tab(AUDIT), audit_headers, r) for r in audit]
        if plan.targets or plan.rows or plan.audit_rows:
            plan.requests = self._requests(plan, headers)
        return plan

    def _header_plans(self, unit: _Unit, grids: Mapping[str, Grid]) -> dict[str, core.HeaderPlan]:
        needed: dict[str, set[str]] = {name: set() for name in unit.tabs}
        for number, change in enumerate(unit.changes):
            if isinstance(change, Append):
                needed[change.tab].update(name for r in unit.records[number] for name in r)
            elif isinstance(change, Update):
                needed[change.tab].update(change.changes)
        plans = {
            name: core.ensure_headers(tab(name), core.headers_of(tab(name), grids.get(name, [])), n)
            for name, n in needed.items()
        }
        audit = tab(AUDIT)
        audit_headers = core.headers_of(audit, grids.get(AUDIT, []))
        plans[AUDIT] = core.ensure_headers(audit, audit_headers, set(audit.column_names))
        return plans

    def _plan_append(
        self,
        plan: _Plan,
        unit: _Unit,
        number: int,
        change: Append,
        grids: Mapping[str, Grid],
        headers: Mapping[str, core.HeaderPlan],
        audit: list[dict[str, Any]],
    ) -> None:
        """New rows, except records the tab holds already (the Append contract)."""
        tab_def = tab(change.tab)
        records = unit.records[number]
        written: list[str] = []
        for record in core.not_yet_in(tab_def, records, grids.get(change.tab, [])):
            record_id = str(record.get("ID", ""))
            cells = core.record_to_row(tab_def, headers[change.tab].headers, record)
            plan.rows.append(_NewRow(change.tab, record, tuple(cells)))
            written.append(record_id)
        plan.ids.append(tuple(str(record.get("ID", "")) for record in records))
        if written:
            audit.extend(
                core.append_audit(
                    unit.who, change.action, change.tab, written, unit.stamp, change.audit_each
                )
            )

    def _plan_update(
        self,
        plan: _Plan,
        unit: _Unit,
        change: Update,
        grids: Mapping[str, Grid],
        headers: Mapping[str, core.HeaderPlan],
        audit: list[dict[str, Any]],
    ) -> None:
        tab_def = tab(change.tab)
        grid = grids.get(change.tab, [])
        where = core.where_of(tab_def, change.where)
        row = core.find_row(tab_def, grid, where)
        positions = headers[change.tab].headers
        update = core.plan_update(
            tab_def, positions, grid, row, change.changes, change.seen, unit.stamp
        )
        names = _names_by_index(positions)
        for index, value in update.cells:
            column = _column_of(tab_def, names[index])
            before = core.comparable_raw(column, _cell(grid, row, index))
            plan.targets.append(
                _Target(change.tab, where, names[index], column, value, row, index, before)
            )
        plan.results.append(update.result)
        if update.result.written:
            key = update.result.record_id or " / ".join(where.values())
            details = core.change_details(update.result.written)
            audit.append(
                core.audit_record(unit.who, change.action, change.tab, key, details, unit.stamp)
            )

    def _requests(self, plan: _Plan, headers: Mapping[str, core.HeaderPlan]) -> list[Request]:
        """Columns to grow, header cells, changed cells, new rows, audit rows: in that order."""
        touched = {t.tab for t in plan.targets} | {r.tab for r in plan.rows}
        if plan.audit_rows:
            touched.add(AUDIT)
        requests_: list[Request] = []
        for name in sorted(touched):
            requests_.extend(self._header_requests(name, headers[name]))
        for target in plan.targets:
            cell = (target.row, target.index, target.value)
            requests_.append(_update_cells(self._sheet_id(target.tab), *cell))
        by_tab: dict[str, list[Sequence[core.Cell]]] = {}
        for new_row in plan.rows:
            by_tab.setdefault(new_row.tab, []).append(new_row.cells)
        if plan.audit_rows:
            by_tab[AUDIT] = list(plan.audit_rows)
        for name, rows in by_tab.items():
            requests_.append(_append_cells(self._sheet_id(name), rows))
        return requests_

    def _header_requests(self, name: str, plan: core.HeaderPlan) -> list[Request]:
        if not plan.added:
            return []
        sheet_id = self._sheet_id(name)
        properties = self._sheet_properties(self._titles()[name])
        count = int(properties.get("gridProperties", {}).get("columnCount", 26))
        requests_: list[Request] = []
        if plan.headers.width > count:
            requests_.append(
                {
                    "appendDimension": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "length": plan.headers.width - count,
                    }
                }
            )
        requests_.extend(_update_cells(sheet_id, 0, index, title) for index, title in plan.added)
        return requests_

    # verifying

    def _check(
        self,
        plan: _Plan,
        base: Mapping[str, Grid],
        fresh: Mapping[str, Grid],
        audit_read: bool,
    ) -> _Check:
        """Whether `plan` landed in `fresh`, and every cell to put right: a value that sits
        outside the row of its ID or the column of its header, and the cell it overwrote
        (restored to the value it had in `base`, the cells the plan was made from)."""
        check = _Check()
        claimed: set[tuple[str, int]] = set()
        id_rows = [r for r in plan.rows if tab(r.tab).id_prefix]
        for target in plan.targets:
            self._check_target(target, base, fresh, check)
        for new_row in plan.rows:
            self._check_row(new_row, base, fresh, check, claimed)
        if id_rows:
            check.landed = any(
                _row_holding(tab(r.tab), fresh.get(r.tab, []), str(r.record["ID"])) is not None
                for r in id_rows
            )
        if audit_read and not check.landed:
            audit_grid = fresh.get(AUDIT, [])
            check.landed = any(_physical_row(audit_grid, row, set()) for row in plan.audit_rows)
        return check

    def _check_target(
        self,
        target: _Target,
        base: Mapping[str, Grid],
        fresh: Mapping[str, Grid],
        check: _Check,
    ) -> None:
        tab_def = tab(target.tab)
        grid = fresh.get(target.tab, [])
        headers = core.headers_of(tab_def, grid)
        row = _find(tab_def, grid, target.key)
        index = _position(headers, target.header)
        label = f"{target.tab} {' / '.join(target.key.values())} {target.header}"
        if row is not None and index is not None:
            now = core.comparable_raw(target.column, _cell(grid, row, index))
            if now == target.value:
                check.landed = check.landed or target.before != target.value
            elif now == target.before:
                check.fixes.append((target.tab, row, index, target.value))
                check.notes.append(f"{label}: moved back")
        else:
            check.notes.append(f"{label}: row or column gone")
        if (row, index) == (target.row, target.index):
            return
        if core.comparable_raw(target.column, _cell(grid, target.row, target.index)) != (
            target.value
        ):
            return
        previous = _previous(tab_def, base.get(target.tab, []), grid, target.row, target.index)
        if previous != target.value:
            check.landed = True
            check.fixes.append((target.tab, target.row, target.index, previous))
            check.notes.append(f"{label}: overwritten cell restored")

    def _check_row(
        self,
        new_row: _NewRow,
        base: Mapping[str, Grid],
        fresh: Mapping[str, Grid],
        check: _Check,
        claimed: set[tuple[str, int]],
    ) -> None:
        """Find an appended row (by its ID, else by its cells) and put its cells under their
        headers if a column moved between the read and the write."""
        tab_def = tab(new_row.tab)
        grid = fresh.get(new_row.tab, [])
        if tab_def.id_prefix:
            row = _row_holding(tab_def, grid, str(new_row.record["ID"]))
        else:
            row = _new_keyed_row(tab_def, base.get(new_row.tab, []), grid, new_row, claimed)
        if row is None:
            return
        claimed.add((new_row.tab, row))
        check.landed = True
        fixes = _row_fixes(tab_def, core.headers_of(tab_def, grid), grid, row, new_row)
        check.fixes.extend((new_row.tab, row, index, value) for index, value in fixes)
        if fixes:
            label = str(new_row.record.get("ID", "")) or "new row"
            check.notes.append(f"{new_row.tab} {label}: cells put under their headers")

    def _repair_requests(
        self, unit: _Unit, fresh: Mapping[str, Grid], check: _Check
    ) -> list[Request]:
        """The repairs, and an Audit row that says what was repaired (never silent)."""
        self.repairs += len(check.fixes)
        log.warning("repairing a race on %s: %s", self.key, check.notes)
        requests_ = [
            _update_cells(self._sheet_id(name), row, index, value)
            for name, row, index, value in check.fixes
        ]
        audit = tab(AUDIT)
        headers = core.headers_of(audit, fresh.get(AUDIT, []))
        plan = core.ensure_headers(audit, headers, set(audit.column_names))
        details = f"{len(check.fixes)} cells: " + "; ".join(check.notes)
        tabs = ", ".join(sorted({name for name, *_ in check.fixes}))
        record = core.audit_record(unit.who, "repair", tabs, "", details, unit.stamp)
        requests_.extend(self._header_requests(AUDIT, plan))
        row = core.record_to_row(audit, plan.headers, record)
        requests_.append(_append_cells(self._sheet_id(AUDIT), [row]))
        return requests_

    # other writes

    def _write_headers(self, title: str, plan: core.HeaderPlan) -> None:
        if not plan.added:
            return
        self._grow_columns(title, plan.headers.width)
        data = [
            {
                "range": f"{_quote(title)}!{rowcol_to_a1(1, index + 1)}",
                "values": [[name]],
            }
            for index, name in plan.added
        ]
        body = {"valueInputOption": "RAW", "data": data}
        self._call(lambda: self.http.values_batch_update(self.key, body))

    def _grow_columns(self, title: str, width: int) -> None:
        properties = self._sheet_properties(title)
        count = int(properties.get("gridProperties", {}).get("columnCount", 26))
        if width <= count:
            return
        request = {
            "appendDimension": {
                "sheetId": properties["sheetId"],
                "dimension": "COLUMNS",
                "length": width - count,
            }
        }
        self._call(lambda: self.http.batch_update(self.key, {"requests": [request]}))
        self._meta = None

    def _ensure_tab(self, tab_def: Tab) -> str:
        titles = self._titles()
        if tab_def.name in titles:
            return titles[tab_def.name]
        self._add_tabs([tab_def])
        return tab_def.name

    def _add_tabs(self, tabs: Sequence[Tab]) -> None:
        requests_ = [
            {
                "addSheet": {
                    "properties": {
                        "title": tab_def.name,
                        "gridProperties": {
                            "rowCount": 1000,
                            "columnCount": max(26, len(tab_def.columns)),
                            "frozenRowCount": 1,
                        },
                    }
                }
            }
            for tab_def in tabs
        ]
        self._call(lambda: self.http.batch_update(self.key, {"requests": requests_}))
        data = [
            {
                "range": f"{_quote(tab_def.name)}!A1:{_letter(len(tab_def.columns) - 1)}1",
                "values": [list(tab_def.column_names)],
            }
            for tab_def in tabs
        ]
        body = {"valueInputOption": "RAW", "data": data}
        self._call(lambda: self.http.values_batch_update(self.key, body))
        self._meta = None

    def assign_ids(self, tab: str, who: str) -> list[tuple[int, str]]:
        """IDs for rows without one, in one batchUpdate with their audit rows; after a lost
        answer the tab is read again and only the rows still without an ID get one."""
        tab_def = _tab_def(tab)
        if not tab_def.id_prefix:
            return []
        with self._mutex, self._exclusive(), self.http.budget():
            self._ensure_tab(tab_def)
            self._ensure_tab(_tab_def(AUDIT))
            assigned: list[tuple[int, str]] = []
            attempt = 0
            while True:
                grids = self._fetch([tab, AUDIT], header_only=[AUDIT])
                fresh = self._ids_to_assign(tab_def, grids.get(tab, []))
                if not fresh:
                    break
                if self._send(self._assign_requests(tab_def, grids, fresh, who)):
                    assigned.extend(fresh)
                    break
                self.http.pause(attempt)
                attempt += 1
            self._forget(tab, AUDIT)
            self._writes += 1
        return assigned

    @staticmethod
    def _ids_to_assign(tab_def: Tab, grid: Grid) -> list[tuple[int, str]]:
        headers = core.headers_of(tab_def, grid)
        index = headers.positions.get("ID", headers.width)
        taken = core.existing_ids(tab_def, grid)
        assigned: list[tuple[int, str]] = []
        for number, row in enumerate(grid[1:], start=2):
            if all(core.blank(cell) for cell in row):
                continue
            if core.blank(row[index] if index < len(row) else None):
                new = core.new_id(tab_def.id_prefix or "", taken)
                taken.add(new)
                assigned.append((number, new))
        return assigned

    def _assign_requests(
        self,
        tab_def: Tab,
        grids: Mapping[str, Grid],
        assigned: Sequence[tuple[int, str]],
        who: str,
    ) -> list[Request]:
        headers = core.ensure_headers(
            tab_def, core.headers_of(tab_def, grids.get(tab_def.name, [])), {"ID"}
        )
        audit = _tab_def(AUDIT)
        audit_headers = core.ensure_headers(
            audit, core.headers_of(audit, grids.get(AUDIT, [])), set(audit.column_names)
        )
        index = headers.headers.positions["ID"]
        sheet_id = self._sheet_id(tab_def.name)
        stamp = core.now()
        requests_ = self._header_requests(tab_def.name, headers)
        requests_.extend(_update_cells(sheet_id, number - 1, index, i) for number, i in assigned)
        requests_.extend(self._header_requests(AUDIT, audit_headers))
        rows = [
            core.record_to_row(
                audit,
                audit_headers.headers,
                core.audit_record(who, "assign_id", tab_def.name, i, "", stamp),
            )
            for _, i in assigned
        ]
        requests_.append(_append_cells(self._sheet_id(AUDIT), rows))
        return requests_

    def erase_participant(self, participant_id: str, who: str) -> int:
        with self._mutex:
            self._forget(*core.ERASE_TABS)
            plan = core.erase_plan(self.read(core.ERASE_TABS), participant_id)
            changes = [
                Update(name, where, blanks, None, "erase")
                for name, entries in plan.items()
                for where, blanks in entries
            ]
            written = self.write(changes, who)
        return sum(len(result.written) for result in written.updates)

    def set_up(self, who: str = "set-up") -> list[str]:
        done: list[str] = []
        with self._mutex, self.http.budget():
            self._meta = None
            missing = [tab_def for tab_def in TABS if tab_def.name not in self._titles()]
            if missing:
                self._add_tabs(missing)
                done.extend(f"created tab {tab_def.name}" for tab_def in missing)
            grids = self._fetch([tab_def.name for tab_def in TABS])
            titles = self._titles()
            requests_: list[dict[str, Any]] = []
            for tab_def in TABS:
                title = titles[tab_def.name]
                grid = grids.get(tab_def.name, [])
                plan = core.ensure_headers(
                    tab_def, core.headers_of(tab_def, grid), set(tab_def.column_names)
                )
                self._write_headers(title, plan)
                done.extend(f"added column {name} to {tab_def.name}" for _, name in plan.added)
                requests_.extend(self._sheet_helpers(tab_def, title, plan.headers.positions, done))
            if requests_:
                self._call(lambda: self.http.batch_update(self.key, {"requests": requests_}))
            self._meta = None
            self._tables.clear()
            if done:
                self.write([Note("set_up", "", "", f"{len(done)} changes")], who)
            else:
                self._writes += 1
        return done

    def _sheet_helpers(
        self, tab_def: Tab, title: str, positions: Mapping[str, int], done: list[str]
    ) -> list[dict[str, Any]]:
        """Frozen header, dropdowns from Lists, warn-only protection of the ID column."""
        properties = self._sheet_properties(title)
        sheet_id = properties["sheetId"]
        requests_: list[dict[str, Any]] = []
        if properties.get("gridProperties", {}).get("frozenRowCount", 0) != 1:
            requests_.append(
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": sheet_id,
                            "gridProperties": {"frozenRowCount": 1},
                        },
                        "fields": "gridProperties.frozenRowCount",
                    }
                }
            )
            done.append(f"froze the header row of {tab_def.name}")
        lists_title = self._titles().get(LISTS.name, LISTS.name)
        for column in tab_def.columns:
            if column.kind is not Kind.CHOICE or column.name not in positions:
                continue
            rule = _validation_rule(column.lists_column, column.choice_values, lists_title)
            if rule is None:
                continue
            index = positions[column.name]
            requests_.append(
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": 1,
                            "startColumnIndex": index,
                            "endColumnIndex": index + 1,
                        },
                        "rule": rule,
                    }
                }
            )
            done.append(f"dropdown on {tab_def.name}.{column.name}")
        if tab_def.id_prefix and "ID" in positions and not self._id_protected(sheet_id):
            index = positions["ID"]
            requests_.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {
                                "sheetId": sheet_id,
                                "startColumnIndex": index,
                                "endColumnIndex": index + 1,
                            },
                            "description": PROTECTION_NOTE,
                            "warningOnly": True,
                        }
                    }
                }
            )
            done.append(f"warning on editing {tab_def.name}.ID")
        return requests_

    def _id_protected(self, sheet_id: int) -> bool:
        for sheet in self._metadata().get("sheets", []):
            if sheet["properties"]["sheetId"] != sheet_id:
                continue
            return any(
                protected.get("description") == PROTECTION_NOTE
                for protected in sheet.get("protectedRanges", [])
            )
        return False

    def status(self) -> StoreStatus:
        return self._status(self.http.calls, self.cache_seconds)

    def refresh(self) -> None:
        with self._mutex:
            self._tables.clear()
            self._meta = None


def _validation_rule(
    lists_column: str | None, values: Sequence[str], lists_title: str
) -> dict[str, Any] | None:
    if lists_column:
        letter = _letter(LISTS.column_names.index(lists_column))
        source = f"={_quote(lists_title)}!${letter}$2:${letter}${LIST_RANGE_ROWS}"
        condition = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": source}]}
    elif values:
        condition = {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": value} for value in values],
        }
    else:
        return None
    return {"condition": condition, "strict": False, "showCustomUi": True}


def _tab_def(name: str) -> Tab:
    return tab(name)


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _letter(index: int) -> str:
    """0-based column index -> column letters (0 -> A, 26 -> AA)."""
    return rowcol_to_a1(1, index + 1).rstrip("0123456789")


def _cell_data(value: core.Cell) -> dict[str, Any]:
    """CellData for a value: text stays text (a leading "=" is no formula), "" empties it."""
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    if value == "":
        return {}
    return {"userEnteredValue": {"stringValue": str(value)}}


def _update_cells(sheet_id: int, row: int, index: int, value: core.Cell) -> Request:
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": index},
            "rows": [{"values": [_cell_data(value)]}],
            "fields": "userEnteredValue",
        }
    }


def _append_cells(sheet_id: int, rows: Sequence[Sequence[core.Cell]]) -> Request:
    """Rows after the sheet's last row with data: a blank row staff left is left alone."""
    return {
        "appendCells": {
            "sheetId": sheet_id,
            "rows": [{"values": [_cell_data(value) for value in row]} for row in rows],
            "fields": "userEnteredValue",
        }
    }


def _names_by_index(headers: Headers) -> dict[int, str]:
    names = {index: name for name, index in headers.extra.items()}
    names.update({index: name for name, index in headers.positions.items()})
    return names


def _column_of(tab_def: Tab, name: str) -> Column:
    """The contract's column, or a staff column (read as text)."""
    return tab_def.column(name) if name in tab_def.column_names else Column(name)


def _position(headers: Headers, name: str) -> int | None:
    return headers.positions.get(name, headers.extra.get(name))


def _cell(grid: Sequence[Sequence[Any]], row: int | None, index: int | None) -> Any:
    if row is None or index is None or row >= len(grid) or index >= len(grid[row]):
        return ""
    return grid[row][index]


def _find(tab_def: Tab, grid: Grid, where: Mapping[str, str]) -> int | None:
    try:
        return core.find_row(tab_def, grid, where)
    except RecordNotFound:
        return None


def _row_key(tab_def: Tab, headers: Headers, row: Sequence[Any]) -> dict[str, str] | None:
    """How to find this row again: its ID, or its key columns; None for a row without."""
    names = (tab_def.key,) if tab_def.key else tab_def.identity
    if not names or any(name not in headers.positions for name in names):
        return None
    key = {name: as_text(_cell([row], 0, headers.positions[name])) for name in names}
    return key if all(key.values()) else None


def _previous(tab_def: Tab, base: Grid, grid: Grid, row: int, index: int) -> core.Cell:
    """What cell (`row`, `index`) of `grid` held before the write: the value in `base` of the
    same record (by ID or key) under the same header. A row unknown to `base` (a blank row
    staff inserted) held nothing."""
    headers = core.headers_of(tab_def, grid)
    key = _row_key(tab_def, headers, grid[row] if row < len(grid) else [])
    name = _names_by_index(headers).get(index)
    if key is None or name is None:
        return ""
    before = _find(tab_def, base, key)
    position = _position(core.headers_of(tab_def, base), name)
    if before is None or position is None:
        return ""
    return core.comparable_raw(_column_of(tab_def, name), _cell(base, before, position))


def _row_holding(tab_def: Tab, grid: Grid, record_id: str) -> int | None:
    """The row with this ID in the ID column, else anywhere (a column moved under it)."""
    found = _find(tab_def, grid, {"ID": record_id})
    if found is not None:
        return found
    wanted = record_id.casefold()
    for number, row in enumerate(grid[1:], start=1):
        if any(as_text(cell).casefold() == wanted for cell in row):
            return number
    return None


def _same_text(raw: Any, sent: core.Cell) -> bool:
    """Whether a displayed cell shows what was sent (a decimal comma is a decimal point)."""
    shown, wanted = as_text(raw), as_text(sent)
    if shown == wanted:
        return True
    try:
        return float(shown.replace(",", ".")) == float(wanted)
    except ValueError:
        return False


def _physical_row(grid: Grid, cells: Sequence[core.Cell], claimed: set[int]) -> int | None:
    """The last row (not claimed yet) showing every non-blank cell sent, where it was sent."""
    for number in range(len(grid) - 1, 0, -1):
        row = grid[number]
        if number in claimed:
            continue
        if all(
            value == "" or _same_text(_cell([row], 0, i), value) for i, value in enumerate(cells)
        ):
            return number
    return None


def _matches(tab_def: Tab, headers: Headers, row: Sequence[Any], record: Mapping[str, Any]) -> bool:
    names = tab_def.identity or tuple(record)
    for name in names:
        index = headers.positions.get(name)
        wanted = core.comparable(tab_def.column(name), record.get(name))
        if index is None or not _same_text(_cell([row], 0, index), wanted):
            return False
    return True


def _new_keyed_row(
    tab_def: Tab,
    base: Grid,
    grid: Grid,
    new_row: _NewRow,
    claimed: set[tuple[str, int]],
) -> int | None:
    """A row without ID this write added: one more row with its key than before the write,
    or a row showing its cells where they were sent (under headers that moved)."""
    name = new_row.tab
    base_headers, headers = core.headers_of(tab_def, base), core.headers_of(tab_def, grid)
    before = sum(1 for row in base[1:] if _matches(tab_def, base_headers, row, new_row.record))
    keyed = [
        number
        for number, row in enumerate(grid[1:], start=1)
        if _matches(tab_def, headers, row, new_row.record)
    ]
    mine = [number for number in keyed[before:] if (name, number) not in claimed]
    if mine:
        return mine[-1]
    taken = {number for tab_name, number in claimed if tab_name == name} | set(keyed)
    return _physical_row(grid, new_row.cells, taken)


def _row_fixes(
    tab_def: Tab, headers: Headers, grid: Grid, row: int, new_row: _NewRow
) -> list[tuple[int, core.Cell]]:
    """Cells of an appended row to rewrite so that each value sits under its header, and
    cells holding a value of it elsewhere to empty."""
    fixes: list[tuple[int, core.Cell]] = []
    wanted_at: dict[int, core.Cell] = {}
    for name, value in new_row.record.items():
        index = headers.positions.get(name)
        if index is not None:
            wanted_at[index] = core.comparable(tab_def.column(name), value)
    line = grid[row] if row < len(grid) else []
    for index, wanted in wanted_at.items():
        if not _same_text(_cell([line], 0, index), wanted):
            fixes.append((index, wanted))
    for index, sent in enumerate(new_row.cells):
        if sent != "" and index not in wanted_at and _same_text(_cell([line], 0, index), sent):
            fixes.append((index, ""))
    return fixes
