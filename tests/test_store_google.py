"""What only the Google backend has: call budget, cache, retries, access errors, sheet helpers.

Everything goes through real gspread over HTTP to the emulator in `tests/sheets_emulator.py`.
"""

from __future__ import annotations

import time

import pytest
from google.auth.credentials import AnonymousCredentials

from i18n import t
from sheets.google import RetryingClient
from sheets.local import EMPTY_TABS
from sheets.schema import PARTICIPANTS, TABS, tab
from sheets.store import NoAccess, StoreBusy
from tests.harness import google_backend
from tests.sheets_emulator import SheetsEmulator

PAGE_TABS = ["Participants", "Duos", "Meetings", "Check-ins", "Evaluations"]
MENTEE = {"Role": "Mentee", "Status": "Ready", "First name": "Test", "Office": "Antwerp"}


@pytest.fixture(autouse=True)
def no_faults(emulator: SheetsEmulator) -> None:
    emulator.clear_faults()
    emulator.latency = 0.0


def test_a_page_load_reads_every_tab_it_needs_in_one_call(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator)
    store.table("Participants")
    emulator.reset_log()
    store.refresh()
    store.read(PAGE_TABS)
    assert emulator.count("values.batchGet") == 1
    assert emulator.count("spreadsheets.get") == 1
    assert emulator.count() == 2


def test_metadata_is_fetched_once_across_reads_and_writes(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator)
    emulator.reset_log()
    store.read(PAGE_TABS)
    [person_id] = store.append("Participants", [MENTEE], who="t")
    store.update("Participants", person_id, {"Status": "In duo"}, who="t")
    store.read(PAGE_TABS)
    assert emulator.count("spreadsheets.get") == 1


def test_fresh_reads_come_from_the_cache(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator, cache_seconds=30)
    store.read(PAGE_TABS)
    emulator.reset_log()
    for _ in range(5):
        store.read(PAGE_TABS)
    assert emulator.count() == 0


def test_hand_edits_appear_once_the_cache_expires(emulator: SheetsEmulator) -> None:
    store, hands = google_backend(emulator, cache_seconds=0.3)
    [person_id] = store.append("Participants", [MENTEE], who="t")
    assert store.table("Participants").record(person_id)["Status"] == "Ready"  # type: ignore[index]
    hands.set_cell("Participants", "C2", "On hold")
    time.sleep(0.35)
    assert store.table("Participants").record(person_id)["Status"] == "On hold"  # type: ignore[index]


def test_the_apps_own_write_refreshes_what_it_changed(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator, cache_seconds=300)
    [person_id] = store.append("Participants", [MENTEE], who="t")
    store.update("Participants", person_id, {"Status": "On hold"}, who="t")
    assert store.table("Participants").record(person_id)["Status"] == "On hold"  # type: ignore[index]


def test_a_write_sends_typed_values_and_only_changed_cells_in_one_batch_update(
    emulator: SheetsEmulator,
) -> None:
    store, _ = google_backend(emulator)
    store.read(PAGE_TABS)
    emulator.reset_log()
    [person_id] = store.append("Participants", [{**MENTEE, "First name": "=1+1"}], who="t")
    [append] = [r for r in emulator.requests if r.kind == "spreadsheets.batchUpdate"]
    [cells, audit] = [request["appendCells"] for request in append.json()["requests"]]
    first = [value.get("userEnteredValue") for value in cells["rows"][0]["values"]]
    assert {"stringValue": "=1+1"} in first  # text, never a formula
    assert emulator.formulas(store.key) == []
    assert len(audit["rows"]) == 1
    emulator.reset_log()
    store.update("Participants", person_id, {"Status": "In duo"}, who="t")
    [batch] = [r for r in emulator.requests if r.kind == "spreadsheets.batchUpdate"]
    requests = batch.json()["requests"]
    updates = [request["updateCells"] for request in requests if "updateCells" in request]
    assert len(updates) == 2  # Status and Updated on, nothing else
    assert updates[0]["rows"][0]["values"][0]["userEnteredValue"] == {"stringValue": "In duo"}
    assert [request for request in requests if "appendCells" in request]  # its audit row


def test_a_429_is_retried_then_the_write_succeeds(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator)
    store.read(PAGE_TABS)
    store.http.first_delay = 0.01
    emulator.fail_next(2, code=429)
    [person_id] = store.append("Participants", [MENTEE], who="t")
    assert store.table("Participants").record(person_id) is not None
    assert sum(1 for r in emulator.requests if r.status == 429) >= 2


def test_retry_after_is_honoured(emulator: SheetsEmulator) -> None:
    waits: list[float] = []
    store, _ = google_backend(emulator)
    store.read(PAGE_TABS)
    store.http._sleep = waits.append
    emulator.fail_next(1, code=503, retry_after=0.2)
    store.refresh()
    store.read(PAGE_TABS)
    assert waits == [0.2]


def test_persistent_429_fails_cleanly_within_the_bound(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator, retry_seconds=1.5)
    store.read(PAGE_TABS)
    store.http.first_delay = 0.05
    emulator.fail_always(code=429)
    started = time.monotonic()
    with pytest.raises(StoreBusy) as caught:
        store.append("Participants", [MENTEE], who="t")
    assert time.monotonic() - started < 3.0
    assert "Google Sheets" in caught.value.msg.text("en")
    assert caught.value.msg.text("nl") != caught.value.msg.text("en")


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    client = RetryingClient.__new__(RetryingClient)
    client.first_delay, client.max_delay = 1.0, 16.0
    client._jitter = lambda: 1.0
    assert [client._delay(n, None) for n in range(6)] == [1, 2, 4, 8, 16, 16]
    client._jitter = lambda: 0.0
    assert client._delay(3, None) == 4.0
    assert client._delay(3, "7") == 7.0


def test_a_sheet_not_shared_names_the_service_account(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator)
    emulator.share_only_with(store.key, ["someone-else@example.org"])
    store.refresh()
    with pytest.raises(NoAccess) as caught:
        store.read(PAGE_TABS)
    assert "duo-app@example-project.iam.gserviceaccount.com" in caught.value.msg.text("fr")


def test_a_wrong_key_says_what_to_check(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator)
    store.key = "no-such-sheet"
    store.refresh()
    with pytest.raises(NoAccess) as caught:
        store.read(PAGE_TABS)
    assert "no-such-sheet" in caught.value.msg.text("en")


def test_set_up_freezes_headers_adds_dropdowns_and_warns_on_id_edits(
    emulator: SheetsEmulator,
) -> None:
    store, _ = google_backend(emulator)
    store.set_up()
    properties = emulator.sheet_properties(store.key, "Participants")
    assert properties["frozenRowCount"] == 1
    rules = {v["range"]["startColumnIndex"]: v["rule"] for v in properties["dataValidations"]}
    status_rule = rules[PARTICIPANTS.column_names.index("Status")]
    assert status_rule["strict"] is False
    assert [v["userEnteredValue"] for v in status_rule["condition"]["values"]][:2] == [
        "Applied",
        "Info session",
    ]
    office_rule = rules[PARTICIPANTS.column_names.index("Office")]
    assert office_rule["condition"]["type"] == "ONE_OF_RANGE"
    assert office_rule["condition"]["values"][0]["userEnteredValue"] == "='Lists'!$A$2:$A$500"
    [protected] = properties["protectedRanges"]
    assert protected["warningOnly"] is True
    again = store.set_up()
    assert not any(line.startswith("warning on") for line in again)
    assert len(emulator.sheet_properties(store.key, "Participants")["protectedRanges"]) == 1


def test_the_spreadsheet_may_be_given_by_url(emulator: SheetsEmulator) -> None:
    store, _ = google_backend(emulator)
    from sheets.google import GoogleStore

    url = f"https://docs.google.com/spreadsheets/d/{store.key}/edit#gid=0"
    by_url = GoogleStore(url, AnonymousCredentials(), api_base=emulator.url)  # type: ignore[no-untyped-call]
    assert by_url.key == store.key
    assert set(by_url.read([tab.name for tab in TABS])) == {tab.name for tab in TABS}


def test_errors_are_translated(emulator: SheetsEmulator) -> None:
    assert t("store.google_busy", "fr").startswith("Google Sheets est")


def _append_via_google(api_base: str, key: str, count: int) -> list[str]:
    from google.auth.credentials import AnonymousCredentials

    from sheets.google import GoogleStore

    store = GoogleStore(key, AnonymousCredentials(), api_base=api_base, cache_seconds=0)  # type: ignore[no-untyped-call]
    meeting = {"Duo ID": "D-AAAAAA", "Hours": 1}
    return [store.append("Meetings", [meeting], who="process")[0] for _ in range(count)]


def test_processes_appending_at_once_lose_nothing_and_share_no_id(
    emulator: SheetsEmulator,
) -> None:
    import multiprocessing

    store, _ = google_backend(emulator)
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        batches = pool.starmap(_append_via_google, [(emulator.url, store.key, 4)] * 3)
    ids = [record_id for batch in batches for record_id in batch]
    assert len(ids) == 12 == len(set(ids))
    assert sorted(store.table("Meetings").frame["ID"]) == sorted(ids)


def test_a_history_reads_only_the_end_of_a_long_audit_tab(emulator: SheetsEmulator) -> None:
    audit = [list(tab("Audit").column_names)] + [
        ["2026-11-01 10:00:00", "staff", "update", "Participants", f"P-{n:05d}", ""]
        for n in range(1, 1500)
    ]
    store, _ = google_backend(emulator, {**EMPTY_TABS, "Audit": audit})
    store.table("Participants")
    emulator.reset_log()
    recent = store.recent("Audit", 100)
    assert list(recent.frame["Record ID"])[-1] == "P-01499"
    assert len(recent.frame) == 100 and recent.frame["_row"].min() == 1401
    [call] = emulator.requests
    assert call.kind == "values.batchGet" and "A1401" in str(call.query)
