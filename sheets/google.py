"""The Google backend: a Google spreadsheet through gspread 6, with a service account.

Call budget (what keeps a page fast and the API quota safe):
- a page's read is ONE `values:batchGet` for every tab it needs that is not freshly cached;
- an append is one `values:batchGet` (header row and IDs), one `values.append` (RAW,
  INSERT_ROWS) and one audit append;
- an update is one fresh `values:batchGet` of the tab (to find the row by ID where it is
  now and to compare the cells), one `values:batchUpdate` of only the changed cells and
  one audit append;
- sheet metadata is fetched once and again only after set-up changed it.
gspread's own `BackOffHTTPClient` retries without a bound in 6.2.1; `RetryingClient` below
retries 429, 5xx and time-outs with exponential backoff and jitter, honours `Retry-After`,
and gives up after a bounded time with `StoreBusy`.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import requests
from google.auth.credentials import Credentials
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.utils import extract_id_from_url, rowcol_to_a1

from i18n import Msg
from sheets import core
from sheets.google_transport import routed_session
from sheets.reader import Headers, Table, sheet_names_by_tab, table_of
from sheets.schema import LISTS, TABS, Kind, Tab, tab
from sheets.store import (
    NoAccess,
    Store,
    StoreBusy,
    StoreStatus,
    UpdateResult,
    Where,
    WorkbookUnreadable,
)

RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
PROTECTION_NOTE = "DUO: IDs are used by the app; change them only if you know why."
LIST_RANGE_ROWS = 500


class RetryingClient(HTTPClient):
    """gspread's HTTP client with bounded retries (exponential backoff, jitter, Retry-After)."""

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
        self.calls = 0

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        deadline = time.monotonic() + self.retry_seconds
        attempt = 0
        while True:
            self.calls += 1
            try:
                return super().request(*args, **kwargs)
            except APIError as error:
                if error.code not in RETRYABLE:
                    raise
                wait = self._delay(attempt, error.response.headers.get("Retry-After"))
                failure: Exception = error
            except (requests.Timeout, requests.ConnectionError) as error:
                wait = self._delay(attempt, None)
                failure = error
            if time.monotonic() + wait > deadline:
                raise StoreBusy(Msg("store.google_busy"), str(failure)) from failure
            self._sleep(wait)
            attempt += 1

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        backoff = min(self.max_delay, self.first_delay * 2**attempt)
        return backoff * (0.5 + self._jitter() / 2)


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
    ) -> None:
        self.key = extract_id_from_url(spreadsheet) if "/" in spreadsheet else spreadsheet.strip()
        self.account_email = account_email
        self.cache_seconds = cache_seconds
        self.http = RetryingClient(
            credentials,
            routed_session(credentials, api_base, timeout),
            retry_seconds=retry_seconds,
        )
        self._mutex = threading.RLock()
        self._meta: dict[str, Any] | None = None
        self._audit_headers: Headers | None = None
        self._tables: dict[str, tuple[float, Table]] = {}
        self._reads = self._writes = 0
        self._last_read: dt.datetime | None = None

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

    def _call(self, operation: Callable[[], Any]) -> Any:
        try:
            return operation()
        except APIError as error:
            if error.code in (403, 404):
                raise NoAccess(
                    Msg(
                        "store.google_no_access",
                        {"key": self.key, "email": self.account_email},
                    ),
                    str(error),
                ) from error
            raise WorkbookUnreadable(Msg("store.google_error", {"detail": str(error)})) from error

    # reading

    def read(self, tabs: Iterable[str]) -> dict[str, Table]:
        names = list(dict.fromkeys(tabs))
        with self._mutex:
            moment = time.monotonic()
            stale = [
                name
                for name in names
                if name not in self._tables or moment - self._tables[name][0] > self.cache_seconds
            ]
            if stale:
                grids = self._fetch(stale)
                today = dt.date.today()
                for name in stale:
                    self._tables[name] = (
                        moment,
                        table_of(tab(name), grids.get(name), today),
                    )
                self._last_read = core.now()
            self._reads += 1
            return {name: self._tables[name][1] for name in names}

    def _fetch(self, names: Sequence[str]) -> dict[str, list[list[Any]]]:
        """Every named tab's cells in one `values:batchGet` (tabs the sheet lacks are left out)."""
        titles = self._titles()
        present = [name for name in names if name in titles]
        if not present:
            return {}
        ranges = [_quote(titles[name]) for name in present]
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

    def _forget(self, *names: str) -> None:
        for name in names:
            self._tables.pop(name, None)

    # writing

    def append(
        self,
        tab: str,
        records: Sequence[Mapping[str, Any]],
        who: str,
        action: str = "create",
        audit: bool = True,
    ) -> list[str]:
        tab_def = _tab_def(tab)
        stamp = core.now()
        with self._mutex:
            title = self._ensure_tab(tab_def)
            header_row, taken = self._headers_and_ids(tab_def, title)
            completed = core.complete_records(tab_def, records, taken, stamp)
            needed = {name for record in completed for name in record}
            plan = core.ensure_headers(tab_def, core.headers_of(tab_def, [header_row]), needed)
            self._write_headers(title, plan)
            rows = [core.record_to_row(tab_def, plan.headers, record) for record in completed]
            self._append_rows(title, rows)
            ids = [str(record.get("ID", "")) for record in completed]
            self._audit(core.append_audit(who, action, tab, ids, stamp, audit))
            self._forget(tab)
            self._writes += 1
        return ids

    def _headers_and_ids(self, tab_def: Tab, title: str) -> tuple[list[Any], set[str]]:
        """Row 1 and the IDs now in the sheet, in one call (the ID column is found by header)."""
        cached = self._tables.get(tab_def.name)
        guess = cached[1].headers.positions.get("ID") if cached else None
        header_row: list[Any] = []
        for _ in range(2):
            ranges = [f"{_quote(title)}!1:1"]
            if guess is not None:
                letter = _letter(guess)
                ranges.append(f"{_quote(title)}!{letter}2:{letter}")
            response = self._call(partial(self.http.values_batch_get, self.key, ranges))
            value_ranges = response.get("valueRanges", [])
            header_row = (value_ranges[0].get("values") or [[]])[0]
            position = core.headers_of(tab_def, [header_row]).positions.get("ID")
            if position is None or not tab_def.id_prefix:
                return header_row, set()
            if position == guess:
                column = value_ranges[1].get("values", [])
                return header_row, {str(row[0]) for row in column if row and row[0]}
            guess = position
        return header_row, set()

    def _append_rows(self, title: str, rows: Sequence[Sequence[core.Cell]]) -> None:
        if not rows:
            return
        self._call(
            lambda: self.http.values_append(
                self.key,
                f"{_quote(title)}!A1",
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                body={"values": [list(row) for row in rows]},
            )
        )

    def _audit(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Append audit rows; Audit's header positions are read once, then kept."""
        if not records:
            return
        audit = tab("Audit")
        title = self._ensure_tab(audit)
        if self._audit_headers is None:
            response = self._call(lambda: self.http.values_get(self.key, f"{_quote(title)}!1:1"))
            header_row = (response.get("values") or [[]])[0]
            plan = core.ensure_headers(
                audit, core.headers_of(audit, [header_row]), set(audit.column_names)
            )
            self._write_headers(title, plan)
            self._audit_headers = plan.headers
        headers = self._audit_headers
        self._append_rows(title, [core.record_to_row(audit, headers, r) for r in records])
        self._forget(audit.name)

    def update(
        self,
        tab: str,
        where: Where,
        changes: Mapping[str, Any],
        who: str,
        seen: Mapping[str, Any] | None = None,
        action: str = "update",
    ) -> UpdateResult:
        items = [(core.where_of(_tab_def(tab), where), changes, seen)]
        return self._update_many({tab: items}, who, action)[0]

    def _update_many(
        self,
        items_by_tab: Mapping[
            str,
            Sequence[tuple[Mapping[str, str], Mapping[str, Any], Mapping[str, Any] | None]],
        ],
        who: str,
        action: str,
    ) -> list[UpdateResult]:
        """Find the rows where they are now and write only the changed cells, in one call."""
        stamp = core.now()
        results: list[UpdateResult] = []
        with self._mutex:
            titles = {name: self._ensure_tab(_tab_def(name)) for name in items_by_tab}
            grids = self._fetch(list(items_by_tab))
            data: list[dict[str, Any]] = []
            audit: list[dict[str, Any]] = []
            for name, items in items_by_tab.items():
                tab_def, title, grid = _tab_def(name), titles[name], grids.get(name, [])
                needed = {column for _, changes, _ in items for column in changes}
                plan = core.ensure_headers(tab_def, core.headers_of(tab_def, grid), needed)
                self._write_headers(title, plan)
                for where, changes, seen in items:
                    row = core.find_row(tab_def, grid, where)
                    update = core.plan_update(
                        tab_def, plan.headers, grid, row, changes, seen, stamp
                    )
                    data.extend(
                        {
                            "range": f"{_quote(title)}!{rowcol_to_a1(row + 1, index + 1)}",
                            "values": [[value]],
                        }
                        for index, value in update.cells
                    )
                    results.append(update.result)
                    if update.result.written:
                        key = update.result.record_id or " / ".join(where.values())
                        details = core.change_details(update.result.written)
                        audit.append(core.audit_record(who, action, name, key, details, stamp))
            if data:
                body = {"valueInputOption": "RAW", "data": data}
                self._call(lambda: self.http.values_batch_update(self.key, body))
            self._audit(audit)
            self._forget(*items_by_tab)
            self._writes += 1
        return results

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

    def log(self, who: str, action: str, tab: str, record_id: str, details: str = "") -> None:
        with self._mutex:
            self._audit([core.audit_record(who, action, tab, record_id, details, core.now())])
            self._writes += 1

    def assign_ids(self, tab: str, who: str) -> list[tuple[int, str]]:
        tab_def = _tab_def(tab)
        if not tab_def.id_prefix:
            return []
        stamp = core.now()
        with self._mutex:
            title = self._ensure_tab(tab_def)
            grid = self._fetch([tab])[tab] if tab in self._titles() else []
            plan = core.ensure_headers(tab_def, core.headers_of(tab_def, grid), {"ID"})
            self._write_headers(title, plan)
            index = plan.headers.positions["ID"]
            taken = core.existing_ids(tab_def, grid)
            assigned: list[tuple[int, str]] = []
            for number, row in enumerate(grid[1:], start=2):
                if all(core.blank(cell) for cell in row):
                    continue
                if core.blank(row[index] if index < len(row) else None):
                    new = core.new_id(tab_def.id_prefix, taken)
                    taken.add(new)
                    assigned.append((number, new))
            if assigned:
                data = [
                    {
                        "range": f"{_quote(title)}!{rowcol_to_a1(number, index + 1)}",
                        "values": [[i]],
                    }
                    for number, i in assigned
                ]
                body = {"valueInputOption": "RAW", "data": data}
                self._call(lambda: self.http.values_batch_update(self.key, body))
                self._audit(
                    [core.audit_record(who, "assign_id", tab, i, "", stamp) for _, i in assigned]
                )
            self._forget(tab)
            self._writes += 1
        return assigned

    def erase_participant(self, participant_id: str, who: str) -> int:
        with self._mutex:
            self._forget(*core.ERASE_TABS)
            plan = core.erase_plan(self.read(core.ERASE_TABS), participant_id)
            items = {
                name: [(where, changes, None) for where, changes in entries]
                for name, entries in plan.items()
                if entries
            }
            results = self._update_many(items, who, "erase")
        return sum(len(result.written) for result in results)

    def set_up(self, who: str = "set-up") -> list[str]:
        done: list[str] = []
        with self._mutex:
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
            self._audit_headers = None
            self._tables.clear()
            self._writes += 1
            if done:
                changes = f"{len(done)} changes"
                self._audit([core.audit_record(who, "set_up", "", "", changes, core.now())])
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
        return StoreStatus(
            self.backend,
            self.location,
            self.is_demo,
            self.http.calls,
            self._reads,
            self._writes,
            self._last_read,
            self.cache_seconds,
        )

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
