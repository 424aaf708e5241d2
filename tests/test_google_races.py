"""The Google backend while staff type in the sheet and the network loses answers.

A write lands in the row of its ID and the column of its header whatever staff did between
the app's read and its write, and exactly once even when Google applied a request but its
answer was lost. Staff edits run at the worst moment through `emulator.before_next`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import RefreshError, TransportError

from i18n import LANGUAGES
from sheets.google import GoogleStore
from sheets.schema import PARTICIPANTS
from sheets.store import Append, Note, StoreBusy, StoreError, Update
from tests.harness import SheetHands, google_backend
from tests.sheets_emulator import SheetsEmulator

WRITE = "spreadsheets.batchUpdate"
PEOPLE = [
    {
        "Role": "Mentee",
        "Status": "Ready",
        "First name": name,
        "Last name": last,
        "Office": "Antwerp",
    }
    for name, last in [("Dora", "Dd"), ("Bert", "Bb"), ("Anna", "Aa"), ("Carl", "Cc")]
]
SHOWN = ("Role", "Status", "First name", "Last name", "Office")


@pytest.fixture(autouse=True)
def no_faults(emulator: SheetsEmulator) -> None:
    emulator.clear_faults()
    emulator.latency = 0.0


def fast_store(emulator: SheetsEmulator) -> tuple[GoogleStore, SheetHands, list[str]]:
    """A sheet with four people, metadata already fetched, and retries without long waits."""
    store, hands = google_backend(emulator, retry_delay=0.01)
    ids = store.append("Participants", PEOPLE, who="seed")
    store.read(["Participants"])
    emulator.reset_log()
    return store, hands, ids


def people(store: GoogleStore) -> dict[str, dict[str, Any]]:
    """Each person's shown cells, as the app reads them now."""
    store.refresh()
    frame = store.table("Participants").frame
    return {str(row["ID"]): {name: row[name] for name in SHOWN} for _, row in frame.iterrows()}


def sheet_ids(hands: SheetHands, tab: str) -> list[str]:
    rows = hands.rows(tab)
    index = rows[0].index("ID") if "ID" in rows[0] else 0
    return [row[index] for row in rows[1:] if len(row) > index and row[index]]


def audit_actions(hands: SheetHands) -> list[str]:
    rows = hands.rows("Audit")
    index = rows[0].index("Action")
    return [row[index] for row in rows[1:] if len(row) > index]


def kinds(emulator: SheetsEmulator) -> list[str]:
    return [request.kind for request in emulator.requests]


# -- the call budget ---------------------------------------------------------------------------


READ, VERIFY = "values.batchGet", "values.batchGet"


def test_an_append_is_one_read_one_batch_update_and_one_verifying_read(
    emulator: SheetsEmulator,
) -> None:
    store, _, _ = fast_store(emulator)
    store.append("Participants", [PEOPLE[0]], who="t")
    assert kinds(emulator) == [READ, WRITE, VERIFY]


def test_an_update_is_one_read_one_batch_update_and_one_verifying_read(
    emulator: SheetsEmulator,
) -> None:
    store, _, ids = fast_store(emulator)
    store.update("Participants", ids[0], {"Status": "On hold"}, who="t")
    assert kinds(emulator) == [READ, WRITE, VERIFY]


def test_a_note_is_one_read_one_batch_update_and_one_verifying_read(
    emulator: SheetsEmulator,
) -> None:
    store, _, _ = fast_store(emulator)
    store.log("t", "export", "Participants", "")
    assert kinds(emulator) == [READ, WRITE, VERIFY]


def test_a_mixed_unit_of_work_is_still_three_calls(emulator: SheetsEmulator) -> None:
    store, hands, ids = fast_store(emulator)
    written = store.write(
        [
            Append("Participants", [PEOPLE[1]]),
            Update("Participants", ids[0], {"Status": "On hold"}),
            Append("Attendance", [{"Session ID": "S-1", "Participant ID": ids[0]}]),
            Note("export", "Participants", ""),
        ],
        who="t",
    )
    assert kinds(emulator) == [READ, WRITE, VERIFY]
    assert written.updates[0].written == ("Status",)
    assert audit_actions(hands)[-4:] == ["create", "update", "create", "export"]


def test_a_write_that_changes_nothing_is_one_read(emulator: SheetsEmulator) -> None:
    store, _, ids = fast_store(emulator)
    result = store.update("Participants", ids[0], {"Status": "Ready"}, who="t")
    assert result.written == ()
    assert kinds(emulator) == [READ]


def test_erasing_a_person_reads_the_tabs_then_writes_once(emulator: SheetsEmulator) -> None:
    store, _, ids = fast_store(emulator)
    assert store.erase_participant(ids[0], who="t") > 0
    assert kinds(emulator) == [READ, READ, WRITE, VERIFY]


# -- exactly once when the answer is lost ------------------------------------------------------

LOST_ANSWERS: dict[str, dict[str, Any]] = {
    "503 after apply": {"code": 503, "after_apply": True},
    "HTML 502 after apply": {"code": 502, "after_apply": True, "html": True},
    "connection reset after apply": {"after_apply": True, "drop": True},
    "503 before apply": {"code": 503},
    "429 before apply": {"code": 429},
}


@pytest.mark.parametrize("fault", LOST_ANSWERS.values(), ids=list(LOST_ANSWERS))
def test_an_append_whose_answer_is_lost_lands_exactly_once(
    emulator: SheetsEmulator, fault: dict[str, Any]
) -> None:
    store, hands, _ = fast_store(emulator)
    emulator.fail_next(1, kind=WRITE, **fault)
    [new] = store.append("Participants", [PEOPLE[2]], who="t")
    assert sheet_ids(hands, "Participants").count(new) == 1
    assert audit_actions(hands).count("create") == 5  # the four seeded, and this one
    assert len(sheet_ids(hands, "Participants")) == 5


@pytest.mark.parametrize("fault", LOST_ANSWERS.values(), ids=list(LOST_ANSWERS))
def test_an_update_whose_answer_is_lost_lands_exactly_once(
    emulator: SheetsEmulator, fault: dict[str, Any]
) -> None:
    store, hands, ids = fast_store(emulator)
    emulator.fail_next(1, kind=WRITE, **fault)
    result = store.update("Participants", ids[1], {"Status": "On hold"}, who="t")
    assert result.written == ("Status",)
    assert people(store)[ids[1]]["Status"] == "On hold"
    assert audit_actions(hands).count("update") == 1


@pytest.mark.parametrize("fault", LOST_ANSWERS.values(), ids=list(LOST_ANSWERS))
def test_a_note_whose_answer_is_lost_is_logged_exactly_once(
    emulator: SheetsEmulator, fault: dict[str, Any]
) -> None:
    store, hands, _ = fast_store(emulator)
    emulator.fail_next(1, kind=WRITE, **fault)
    store.log("t", "export", "Participants", "", "csv")
    assert audit_actions(hands).count("export") == 1


@pytest.mark.parametrize("fault", LOST_ANSWERS.values(), ids=list(LOST_ANSWERS))
def test_a_mixed_unit_whose_answer_is_lost_lands_exactly_once(
    emulator: SheetsEmulator, fault: dict[str, Any]
) -> None:
    store, hands, ids = fast_store(emulator)
    emulator.fail_next(1, kind=WRITE, **fault)
    attendance = {"Session ID": "S-1", "Participant ID": ids[0], "Status": "Attended"}
    written = store.write(
        [
            Append("Participants", [PEOPLE[3]]),
            Update("Participants", ids[2], {"Status": "On hold"}),
            Append("Attendance", [attendance]),
            Note("export", "Participants", ""),
        ],
        who="t",
    )
    [[new]] = written.ids[:1]
    assert sheet_ids(hands, "Participants").count(new) == 1
    assert people(store)[ids[2]]["Status"] == "On hold"
    assert len(hands.rows("Attendance")) == 2
    actions = audit_actions(hands)
    assert (actions.count("create"), actions.count("update"), actions.count("export")) == (6, 1, 1)


def test_a_lost_answer_costs_one_more_read_when_the_write_had_landed(
    emulator: SheetsEmulator,
) -> None:
    store, _, _ = fast_store(emulator)
    emulator.fail_next(1, code=503, kind=WRITE, after_apply=True)
    store.append("Participants", [PEOPLE[0]], who="t")
    assert kinds(emulator) == [READ, WRITE, VERIFY]


def test_a_write_that_never_lands_fails_within_the_bound_with_a_translated_message(
    emulator: SheetsEmulator,
) -> None:
    store, hands, _ = fast_store(emulator)
    emulator.fail_always(code=502, kind=WRITE, html=True)
    with pytest.raises(StoreBusy) as caught:
        store.append("Participants", [PEOPLE[0]], who="t")
    assert all("<" not in caught.value.msg.text(lang) for lang in LANGUAGES)
    assert "<html" not in str(caught.value)
    assert len(sheet_ids(hands, "Participants")) == 4


# -- staff editing between the app's read and its write -----------------------------------------


def staff_edits(emulator: SheetsEmulator, key: str) -> dict[str, Callable[[], None]]:
    status = PARTICIPANTS.column_names.index("Status")

    def insert_a_row() -> None:
        emulator.insert_rows(key, "Participants", 2)
        emulator.set_cell(key, "Participants", "A2", "P-STAFF")
        emulator.set_cell(key, "Participants", "B2", "Mentor")
        emulator.set_cell(key, "Participants", "C2", "Ready")
        emulator.set_cell(key, "Participants", "D2", "Staff")

    def insert_a_column() -> None:
        emulator.insert_columns(key, "Participants", 1)
        emulator.set_cell(key, "Participants", "B1", "Remarque")

    return {
        "sort rows": lambda: emulator.sort_rows(key, "Participants", 3),
        "sort rows backwards": lambda: emulator.sort_rows(key, "Participants", 3, reverse=True),
        "insert a row": insert_a_row,
        "delete a row above": lambda: emulator.delete_row(key, "Participants", 2),
        "insert a blank row": lambda: emulator.insert_rows(key, "Participants", 3),
        "move a column": lambda: emulator.move_column(key, "Participants", status, 6),
        "insert a column": insert_a_column,
        "rename a header to French": lambda: emulator.set_cell(key, "Participants", "C1", "Statut"),
    }


EDITS = list(staff_edits(SheetsEmulator.__new__(SheetsEmulator), "").keys())


def others_unchanged(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], mine: str
) -> None:
    for person_id, cells in before.items():
        if person_id != mine and person_id in after:
            assert after[person_id] == cells, person_id


@pytest.mark.parametrize("edit", EDITS)
def test_an_update_lands_in_the_row_of_its_id_whatever_staff_did_meanwhile(
    emulator: SheetsEmulator, edit: str
) -> None:
    store, _, ids = fast_store(emulator)
    before = people(store)
    target = ids[2]
    emulator.before_next(WRITE, staff_edits(emulator, store.key)[edit])
    result = store.update(
        "Participants", target, {"Status": "On hold"}, who="t", seen={"Status": "Ready"}
    )
    assert result.ok and result.written == ("Status",)
    after = people(store)
    assert after[target]["Status"] == "On hold"
    assert [p for p, cells in after.items() if cells["Status"] == "On hold"] == [target]
    others_unchanged(before, after, target)
    assert len(set(ids) - set(after)) <= 1  # only the row staff deleted


@pytest.mark.parametrize("edit", EDITS)
def test_an_append_lands_under_its_headers_whatever_staff_did_meanwhile(
    emulator: SheetsEmulator, edit: str
) -> None:
    store, hands, _ = fast_store(emulator)
    before = people(store)
    emulator.before_next(WRITE, staff_edits(emulator, store.key)[edit])
    newcomer = {**PEOPLE[0], "First name": "Newcomer", "Status": "Applied"}
    [new] = store.append("Participants", [newcomer], who="t")
    after = people(store)
    assert after[new] == {name: newcomer[name] for name in SHOWN}
    others_unchanged(before, after, new)
    assert sheet_ids(hands, "Participants").count(new) == 1


def test_a_race_that_moved_a_value_is_repaired_and_recorded_in_audit(
    emulator: SheetsEmulator,
) -> None:
    store, hands, ids = fast_store(emulator)
    emulator.before_next(WRITE, lambda: emulator.sort_rows(store.key, "Participants", 3))
    store.update("Participants", ids[0], {"Status": "On hold"}, who="t")
    assert "repair" in audit_actions(hands)
    assert store.repairs > 0


def test_a_write_without_race_repairs_nothing(emulator: SheetsEmulator) -> None:
    store, hands, ids = fast_store(emulator)
    store.update("Participants", ids[0], {"Status": "On hold"}, who="t")
    assert "repair" not in audit_actions(hands)
    assert store.repairs == 0


def test_a_new_record_goes_below_the_data_leaving_a_blank_row_staff_left(
    emulator: SheetsEmulator,
) -> None:
    store, hands, _ = fast_store(emulator)
    emulator.insert_rows(store.key, "Participants", 3)
    rows_before = hands.rows("Participants")
    [new] = store.append("Participants", [PEOPLE[0]], who="t")
    rows = hands.rows("Participants")
    assert rows[: len(rows_before)] == rows_before
    assert rows[2] == []
    assert rows[-1][0] == new


def test_attendance_lands_under_its_headers_when_a_column_moved_meanwhile(
    emulator: SheetsEmulator,
) -> None:
    store, _, ids = fast_store(emulator)
    emulator.before_next(WRITE, lambda: emulator.move_column(store.key, "Attendance", 0, 2))
    record = {"Session ID": "S-1", "Participant ID": ids[0], "Status": "Attended"}
    store.append("Attendance", [record], who="t")
    store.refresh()
    [row] = store.table("Attendance").frame.to_dict("records")
    assert {name: row[name] for name in record} == record


# -- every failure is a StoreError -------------------------------------------------------------


def test_an_html_502_on_a_read_is_retried(emulator: SheetsEmulator) -> None:
    store, _, _ = fast_store(emulator)
    store.refresh()
    store.read(["Participants"])
    emulator.fail_next(2, code=502, html=True)
    store.refresh()
    assert len(store.read(["Participants"])["Participants"].frame) == 4


def test_a_200_that_is_not_json_is_retried(emulator: SheetsEmulator) -> None:
    store, _, _ = fast_store(emulator)
    store.read(["Participants"])
    emulator.fail_next(1, code=200, html=True)
    store.refresh()
    assert len(store.read(["Participants"])["Participants"].frame) == 4


def test_a_persistent_html_502_shows_the_stores_own_message(emulator: SheetsEmulator) -> None:
    store, _, _ = fast_store(emulator)
    store.read(["Participants"])
    emulator.fail_always(code=502, html=True)
    store.refresh()
    with pytest.raises(StoreBusy) as caught:
        store.read(["Participants"])
    assert all("<" not in caught.value.msg.text(lang) for lang in LANGUAGES)
    assert "<html" not in str(caught.value)


def test_an_html_400_page_is_a_store_error_without_the_html(emulator: SheetsEmulator) -> None:
    store, _, _ = fast_store(emulator)
    store.read(["Participants"])
    emulator.fail_next(1, code=400, html=True)
    store.refresh()
    with pytest.raises(StoreError) as caught:
        store.read(["Participants"])
    assert all("<" not in caught.value.msg.text(lang) for lang in LANGUAGES)


class FlakyToken(Credentials):  # type: ignore[misc]
    """Service-account credentials whose token endpoint fails `failures` times first."""

    def __init__(self, failures: int, error: Exception) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.failures = failures
        self.error = error

    def refresh(self, request: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise self.error
        self.token = "token"


def token_store(emulator: SheetsEmulator, credentials: Credentials) -> GoogleStore:
    store, _ = google_backend(emulator)
    return GoogleStore(
        store.key,
        credentials,
        api_base=emulator.url,
        cache_seconds=0,
        retry_seconds=1.0,
        retry_delay=0.01,
    )


def test_a_token_endpoint_time_out_is_retried(emulator: SheetsEmulator) -> None:
    store = token_store(emulator, FlakyToken(2, TransportError("token endpoint timed out")))
    assert "Participants" in store.read(["Participants"])


def test_a_token_endpoint_that_stays_down_is_a_store_busy(emulator: SheetsEmulator) -> None:
    store = token_store(emulator, FlakyToken(10_000, TransportError("timed out")))
    with pytest.raises(StoreBusy):
        store.read(["Participants"])


def test_refused_credentials_are_a_store_error_that_says_so(emulator: SheetsEmulator) -> None:
    store = token_store(emulator, FlakyToken(1, RefreshError("invalid_grant: account deleted")))
    with pytest.raises(StoreError) as caught:
        store.read(["Participants"])
    assert "service account" in caught.value.msg.text("en")


# -- several app processes on one sheet ----------------------------------------------------------


def second_store(store: GoogleStore, emulator: SheetsEmulator) -> GoogleStore:
    """Another app process on the same sheet."""
    return GoogleStore(
        store.key,
        AnonymousCredentials(),  # type: ignore[no-untyped-call]
        api_base=emulator.url,
        cache_seconds=0,
        retry_seconds=10.0,
        retry_delay=0.01,
    )


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(number: int, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[number] = job()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


def test_two_processes_writing_at_once_never_misplace_each_others_writes(
    emulator: SheetsEmulator,
) -> None:
    store, hands, ids = fast_store(emulator)
    other = second_store(store, emulator)

    def first() -> list[str]:
        for round_ in range(4):
            store.update("Participants", ids[0], {"Last name": f"A{round_}"}, who="a")
            store.update("Participants", ids[1], {"Office": "Brussels"}, who="a")
        return store.append("Participants", [PEOPLE[0]] * 2, who="a")

    def second() -> list[str]:
        for round_ in range(4):
            other.update("Participants", ids[2], {"Last name": f"B{round_}"}, who="b")
            other.update("Participants", ids[3], {"Office": "Liège"}, who="b")
        return other.append("Participants", [PEOPLE[1]] * 2, who="b")

    added_a, added_b = run_together(first, second)
    after = people(store)
    assert after[ids[0]]["Last name"] == "A3" and after[ids[1]]["Office"] == "Brussels"
    assert after[ids[2]]["Last name"] == "B3" and after[ids[3]]["Office"] == "Liège"
    assert after[ids[0]]["First name"] == "Dora" and after[ids[2]]["First name"] == "Anna"
    assert sorted(sheet_ids(hands, "Participants")) == sorted([*ids, *added_a, *added_b])


def test_two_changes_of_one_cell_from_the_same_seen_value_give_one_winner_and_one_conflict(
    emulator: SheetsEmulator,
) -> None:
    store, _, ids = fast_store(emulator)
    other = second_store(store, emulator)
    seen = {"Status": "Ready"}
    results = run_together(
        lambda: store.update("Participants", ids[0], {"Status": "On hold"}, "a", seen),
        lambda: other.update("Participants", ids[0], {"Status": "Withdrawn"}, "b", seen),
    )
    winners = [result for result in results if result.ok]
    losers = [result for result in results if not result.ok]
    assert len(winners) == len(losers) == 1
    [conflict] = losers[0].conflicts
    final = people(store)[ids[0]]["Status"]
    assert conflict.current == final
    assert final in ("On hold", "Withdrawn")
