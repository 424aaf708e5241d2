"""Registrations can be cancelled or moved; a full session asks first; past sessions are not
offered; cancelled rows count nowhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import clock
from services.applications import open_sessions
from services.offices import OutOfOffice
from services.sessions import (
    cancel_registration,
    mark_attendance,
    move_registration,
    move_targets,
    register_people,
    registrations,
    sessions_overview,
)
from sheets.store import Store
from tests.apptest import ANTWERP, BRUSSELS, assert_no_exception, open_page, store_of
from workflow import TransitionError

TODAY = clock.today()
SOON = TODAY + dt.timedelta(days=5)


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def new_session(
    store: Store, office: str = "Brussels", on: dt.date = SOON, capacity: int = 20
) -> str:
    record = {
        "Kind": "Info session",
        "Date": on,
        "Office": office,
        "Language": "French",
        "Capacity": capacity,
    }
    return str(store.append("Sessions", [record], "tests")[0])


def applicants(store: Store, office: str = "Brussels") -> list[str]:
    frame = store.table("Participants").frame
    hits = frame[
        (frame["Office"] == office)
        & frame["Role"].isin(["Mentor", "Mentee"])
        & (frame["Status"] == "Applied")
    ]
    return [str(pid) for pid in hits["ID"]]


def rows_of(store: Store, session_id: str) -> list[tuple[str, str]]:
    frame = store.table("Attendance").frame
    rows = frame[frame["Session ID"] == session_id]
    return sorted(zip(rows["Participant ID"], rows["Status"], strict=True))


def overview_row(store: Store, session_id: str) -> pd.Series:
    overview = sessions_overview(store.table("Sessions").frame, store.table("Attendance").frame)
    return overview[overview["ID"] == session_id].iloc[0]


def test_cancelling_marks_the_row_cancelled_and_audits_who_did_it(store: Store) -> None:
    session_id = new_session(store)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, session_id, [person])
    outcome = cancel_registration(store, BRUSSELS, session_id, person, "Registered")
    assert outcome.ok
    assert rows_of(store, session_id) == [(person, "Cancelled")]
    audit = store.table("Audit").frame
    mine = audit[audit["Action"] == "cancel_registration"]
    assert mine["Who"].tolist() == [BRUSSELS.email]


def test_cancelled_rows_count_nowhere(store: Store) -> None:
    session_id = new_session(store, capacity=2)
    first, second = applicants(store)[:2]
    register_people(store, BRUSSELS, session_id, [first, second])
    cancel_registration(store, BRUSSELS, session_id, first, "Registered")
    row = overview_row(store, session_id)
    assert (row["Registered"], row["Places left"]) == (1, 1)
    shown = registrations(
        session_id, store.table("Participants").frame, store.table("Attendance").frame
    )
    assert shown["Participant ID"].tolist() == [second]


def test_a_cancelled_person_registered_again_gets_their_row_back(store: Store) -> None:
    session_id = new_session(store)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, session_id, [person])
    cancel_registration(store, BRUSSELS, session_id, person, "Registered")
    register_people(store, BRUSSELS, session_id, [person])
    assert rows_of(store, session_id) == [(person, "Registered")]


def test_a_cancelled_registration_cannot_be_marked_attended(store: Store) -> None:
    session_id = new_session(store, on=TODAY)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, session_id, [person])
    cancel_registration(store, BRUSSELS, session_id, person, "Registered")
    outcome = mark_attendance(
        store, BRUSSELS, session_id, {person}, {person: "Registered"}, today=TODAY
    )
    assert outcome.skipped and rows_of(store, session_id) == [(person, "Cancelled")]


def test_places_left_never_show_a_negative_number(store: Store) -> None:
    session_id = new_session(store, capacity=1)
    register_people(store, BRUSSELS, session_id, applicants(store)[:2], confirmed=True)
    row = overview_row(store, session_id)
    assert (row["Registered"], row["Places left"]) == (2, 0)


def test_registering_more_people_than_places_left_asks_first(store: Store) -> None:
    session_id = new_session(store, capacity=1)
    people = applicants(store)[:2]
    asked = register_people(store, BRUSSELS, session_id, people)
    assert asked.needs_confirmation == (2, 1)
    assert rows_of(store, session_id) == []
    done = register_people(store, BRUSSELS, session_id, people, confirmed=True)
    assert done.needs_confirmation is None and done.over_capacity == (2, 1)
    assert len(rows_of(store, session_id)) == 2


def test_moving_cancels_the_old_registration_and_registers_the_new_in_one_unit(
    store: Store,
) -> None:
    old, new = new_session(store), new_session(store, on=SOON + dt.timedelta(days=7))
    person = applicants(store)[0]
    register_people(store, BRUSSELS, old, [person])
    outcome = move_registration(store, BRUSSELS, old, new, person, today=TODAY)
    assert outcome.ok
    assert rows_of(store, old) == [(person, "Cancelled")]
    assert rows_of(store, new) == [(person, "Registered")]
    audit = store.table("Audit").frame
    assert set(audit[audit["Action"] == "move_registration"]["Who"]) == {BRUSSELS.email}


def test_a_move_to_a_past_session_is_refused(store: Store) -> None:
    old, past = new_session(store), new_session(store, on=TODAY - dt.timedelta(days=1))
    person = applicants(store)[0]
    register_people(store, BRUSSELS, old, [person])
    with pytest.raises(TransitionError):
        move_registration(store, BRUSSELS, old, past, person, today=TODAY)
    assert rows_of(store, old) == [(person, "Registered")] and rows_of(store, past) == []


def test_a_move_to_a_session_of_another_office_is_refused(store: Store) -> None:
    old, elsewhere = new_session(store), new_session(store, office="Antwerp")
    person = applicants(store)[0]
    register_people(store, BRUSSELS, old, [person])
    with pytest.raises(OutOfOffice):
        move_registration(store, BRUSSELS, old, elsewhere, person, today=TODAY)
    assert rows_of(store, old) == [(person, "Registered")]


def test_a_move_where_the_person_is_already_registered_is_refused(store: Store) -> None:
    old, new = new_session(store), new_session(store)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, old, [person])
    register_people(store, BRUSSELS, new, [person])
    with pytest.raises(TransitionError):
        move_registration(store, BRUSSELS, old, new, person, today=TODAY)
    assert rows_of(store, old) == [(person, "Registered")]


def test_a_move_to_a_full_session_asks_first(store: Store) -> None:
    old, full = new_session(store), new_session(store, capacity=1)
    first, second = applicants(store)[:2]
    register_people(store, BRUSSELS, old, [first])
    register_people(store, BRUSSELS, full, [second])
    asked = move_registration(store, BRUSSELS, old, full, first, today=TODAY)
    assert asked.needs_confirmation == (1, 0) and rows_of(store, old) == [(first, "Registered")]
    move_registration(store, BRUSSELS, old, full, first, today=TODAY, confirmed=True)
    assert rows_of(store, full) == sorted([(first, "Registered"), (second, "Registered")])


def test_move_choices_leave_out_past_sessions_other_offices_and_where_registered(
    store: Store,
) -> None:
    here, later = new_session(store), new_session(store, on=SOON + dt.timedelta(days=1))
    past = new_session(store, on=TODAY - dt.timedelta(days=1))
    elsewhere, taken = new_session(store, office="Antwerp"), new_session(store)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, taken, [person])
    session = store.table("Sessions").record(here)
    assert session is not None
    targets = move_targets(
        session, store.table("Sessions").frame, store.table("Attendance").frame, person, TODAY
    )
    assert later in targets
    assert not {here, past, elsewhere, taken} & set(targets)


def test_the_apply_form_offers_no_past_session_and_counts_no_cancelled_row(store: Store) -> None:
    past = new_session(store, on=TODAY - dt.timedelta(days=1))
    full = new_session(store, capacity=1)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, full, [person])
    attendance = store.table("Attendance").frame
    offered = {s.id for s in open_sessions(store.table("Sessions").frame, attendance, TODAY)}
    assert past not in offered and full not in offered
    cancel_registration(store, BRUSSELS, full, person, "Registered")
    attendance = store.table("Attendance").frame
    reopened = {s.id: s for s in open_sessions(store.table("Sessions").frame, attendance, TODAY)}
    assert reopened[full].places_left == 1


def test_the_page_cancels_and_moves_a_registration(workbook: Path) -> None:
    store = store_of(workbook)
    old, new = new_session(store), new_session(store, on=SOON + dt.timedelta(days=3))
    first, second = applicants(store)[:2]
    register_people(store, BRUSSELS, old, [first, second])
    app = open_page("sessions.py", user=BRUSSELS, query={"id": old})
    assert_no_exception(app)
    form = f"manage-{old}"
    app.selectbox(key=f"{form}-person").set_value(first)
    [cancel] = [b for b in app.button if b.label == "Cancel the registration"]
    cancel.click().run()
    assert_no_exception(app)
    assert rows_of(store_of(workbook), old) == sorted(
        [(first, "Cancelled"), (second, "Registered")]
    )
    app.selectbox(key=f"{form}-person").set_value(second)
    app.selectbox(key=f"{form}-target").set_value(new)
    [move] = [b for b in app.button if b.label == "Move"]
    move.click().run()
    assert_no_exception(app)
    assert rows_of(store_of(workbook), new) == [(second, "Registered")]
    assert (second, "Cancelled") in rows_of(store_of(workbook), old)


def test_the_page_asks_before_registering_over_capacity(workbook: Path) -> None:
    store = store_of(workbook)
    session_id = new_session(store, capacity=1)
    people = applicants(store)[:2]
    app = open_page("sessions.py", user=BRUSSELS, lang="fr", query={"id": session_id})
    app.multiselect(key=f"register-people-{session_id}").set_value(people)
    [register] = [b for b in app.button if b.label == "Inscrire"]
    register.click().run()
    assert_no_exception(app)
    assert rows_of(store_of(workbook), session_id) == []
    assert any("Pas assez de places" in str(w.value) for w in app.warning)
    app.checkbox(key=f"register-{session_id}-confirmed").check()
    [register] = [b for b in app.button if b.label == "Inscrire"]
    register.click().run()
    assert_no_exception(app)
    assert len(rows_of(store_of(workbook), session_id)) == 2


def test_a_coordinator_of_another_office_cannot_cancel(store: Store) -> None:
    session_id = new_session(store)
    person = applicants(store)[0]
    register_people(store, BRUSSELS, session_id, [person])
    with pytest.raises(OutOfOffice):
        cancel_registration(store, ANTWERP, session_id, person, "Registered")
    assert rows_of(store, session_id) == [(person, "Registered")]


def test_the_page_offers_no_registration_for_a_past_session(workbook: Path) -> None:
    session_id = new_session(store_of(workbook), on=TODAY - dt.timedelta(days=1))
    app = open_page("sessions.py", user=BRUSSELS, query={"id": session_id})
    assert_no_exception(app)
    assert not [m for m in app.multiselect if m.key == f"register-people-{session_id}"]
    assert any("This session is past" in str(i.value) for i in app.info)
