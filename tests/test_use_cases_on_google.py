"""Each use case on the Google backend (the emulator): one unit of work, three calls.

The read that decides what to write, ONE `spreadsheets:batchUpdate`, and the read that
verifies where it landed, whatever the size of the use case.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest

import clock
import demo
from demo.workbook import grids_from_records
from services.duos import CheckInEntry, MeetingEntry, change_duo, log_check_in, log_meeting
from services.sessions import SessionDraft, mark_attendance, plan_session
from sheets.google import GoogleStore
from sheets.store import Store
from tests.apptest import ADMIN
from tests.harness import google_backend
from tests.sheets_emulator import SheetsEmulator
from workflow import Complete, cell_text, records

WRITE_PATH = {"values.batchGet", "spreadsheets.batchUpdate"}


@pytest.fixture
def store(emulator: SheetsEmulator) -> GoogleStore:
    grids = grids_from_records(demo.generate(today=clock.today()))
    store, _ = google_backend(emulator, grids, cache_seconds=15.0)
    store.read(["Participants", "Duos", "Meetings", "Sessions", "Attendance"])
    return store


def calls_of(emulator: SheetsEmulator, use_case: Callable[[], object]) -> Counter[str]:
    emulator.reset_log()
    use_case()
    return Counter(request.kind for request in emulator.requests)


def active_duo(store: Store) -> dict[str, object]:
    duos = records(store.table("Duos").frame)
    return next(duo for duo in duos if cell_text(duo, "Status") == "Active")


def test_a_duo_step_is_one_write_among_three_calls(
    emulator: SheetsEmulator, store: GoogleStore
) -> None:
    duo = active_duo(store)
    today = clock.today()
    calls = calls_of(
        emulator,
        lambda: change_duo(
            store,
            ADMIN,
            str(duo["ID"]),
            Complete(today, confirmed=True, reason="Found a job"),
            today,
            duo,
        ),
    )
    assert calls == {"values.batchGet": 2, "spreadsheets.batchUpdate": 1}


def test_logging_a_meeting_is_one_write_among_three_calls(
    emulator: SheetsEmulator, store: GoogleStore
) -> None:
    duo = active_duo(store)
    entry = MeetingEntry(clock.today(), 2.0, "In person")
    calls = calls_of(
        emulator, lambda: log_meeting(store, ADMIN, str(duo["ID"]), entry, clock.today())
    )
    assert calls == {"values.batchGet": 2, "spreadsheets.batchUpdate": 1}


def test_attendance_for_a_hundred_people_is_one_write_among_three_calls(
    emulator: SheetsEmulator, store: GoogleStore
) -> None:
    today = clock.today()
    people = store.table("Participants").frame
    office = str(people["Office"].value_counts().index[0])
    group = [str(person) for person in people[people["Office"] == office]["ID"]][:100]
    draft = SessionDraft("Info session", today - dt.timedelta(days=1), office, "French", 120)
    [session_id] = plan_session(store, ADMIN, draft, today).ids
    rows = [{"Session ID": session_id, "Participant ID": p, "Status": "Registered"} for p in group]
    store.append("Attendance", rows, who="tests")
    registered = dict.fromkeys(group, "Registered")
    calls = calls_of(
        emulator,
        lambda: mark_attendance(store, ADMIN, session_id, set(registered), registered, today=today),
    )
    assert set(calls) <= WRITE_PATH and sum(calls.values()) <= 3
    assert calls["spreadsheets.batchUpdate"] == 1
    marked = store.read(["Attendance"], fresh=True)["Attendance"].frame
    assert len(group) == 100
    assert (marked[marked["Session ID"] == session_id]["Status"] == "Attended").sum() == 100


def test_a_check_in_is_one_write_among_three_calls(
    emulator: SheetsEmulator, store: GoogleStore
) -> None:
    duo = active_duo(store)
    entry = CheckInEntry(clock.today(), "Mentor", "Good")
    calls = calls_of(
        emulator, lambda: log_check_in(store, ADMIN, str(duo["ID"]), entry, clock.today())
    )
    assert calls == {"values.batchGet": 2, "spreadsheets.batchUpdate": 1}
