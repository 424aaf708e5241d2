"""The sessions use cases against a real local store on a copy of the demo workbook."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clock
from i18n import LANGUAGES
from services.offices import OutOfOffice
from services.sessions import (
    SessionDraft,
    draft_problems,
    eligible_people,
    filter_sessions,
    mark_attendance,
    mark_trained_ready,
    plan_session,
    register_people,
    registrations,
    sessions_overview,
    split_upcoming,
)
from sheets.store import Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, ROOT, store_of
from tests.test_services_duos import CountingStore
from workflow import TransitionError, person_name

TODAY = clock.today()


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


@pytest.fixture
def counting(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    """A fresh copy of the demo workbook in a store that counts its writes."""
    return CountingStore(demo_grids)


def people(store: Store) -> pd.DataFrame:
    return store.table("Participants").frame


def person(store: Store, person_id: str) -> dict[str, Any]:
    found = store.table("Participants").record(person_id)
    assert found is not None
    return found


def someone(store: Store, office: str, role: str, status: str) -> str:
    frame = people(store)
    hits = frame[
        (frame["Office"] == office) & (frame["Role"] == role) & (frame["Status"] == status)
    ]
    return str(hits["ID"].iloc[0])


def new_session(store: Store, kind: str, office: str, on: dt.date, capacity: int = 20) -> str:
    record = {
        "Kind": kind,
        "Date": on,
        "Office": office,
        "Language": "French",
        "Capacity": capacity,
    }
    return store.append("Sessions", [record], "tests")[0]


def attendance_of(store: Store, session_id: str) -> dict[str, str]:
    frame = store.table("Attendance").frame
    rows = frame[frame["Session ID"] == session_id]
    return dict(zip(rows["Participant ID"], rows["Status"], strict=True))


def enrol(store: Store, session_id: str, *person_ids: str) -> None:
    """Registrations typed straight into the sheet (whatever the person's status)."""
    rows = [
        {"Session ID": session_id, "Participant ID": p, "Status": "Registered"} for p in person_ids
    ]
    store.append("Attendance", rows, "tests")


def test_the_overview_counts_registered_and_attended_people_against_capacity(
    store: Store,
) -> None:
    session_id = new_session(store, "Info session", "Brussels", TODAY, capacity=2)
    a, b, c = people(store)["ID"].iloc[:3]
    store.append(
        "Attendance",
        [
            {"Session ID": session_id, "Participant ID": a, "Status": "Attended"},
            {"Session ID": session_id, "Participant ID": b, "Status": "Absent"},
            {"Session ID": session_id, "Participant ID": c, "Status": "Registered"},
        ],
        "tests",
    )
    overview = sessions_overview(store.table("Sessions").frame, store.table("Attendance").frame)
    row = overview[overview["ID"] == session_id].iloc[0]
    assert (row["Registered"], row["Attended"], row["Absent"], row["Places left"]) == (3, 1, 1, 0)
    upcoming, past = split_upcoming(overview, TODAY)
    assert session_id in set(upcoming["ID"]) and session_id not in set(past["ID"])


@pytest.mark.parametrize(
    ("kind", "fitting"),
    [
        ("Info session", {("Mentor", "Applied"), ("Mentee", "Applied")}),
        ("Training", {("Mentor", "Intake done")}),
        ("Peer exchange", {("Mentor", "In duo"), ("Mentor", "Alumni")}),
    ],
)
def test_each_kind_of_session_offers_only_the_people_of_its_office_who_fit_it(
    store: Store, kind: str, fitting: set[tuple[str, str]]
) -> None:
    session_id = new_session(store, kind, "Antwerp", TODAY)
    session = store.table("Sessions").record(session_id)
    assert session is not None
    offered = eligible_people(session, people(store), store.table("Attendance").frame)
    assert not offered.empty
    assert set(offered["Office"]) == {"Antwerp"}
    assert set(zip(offered["Role"], offered["Status"], strict=True)) <= fitting


def test_people_already_registered_are_not_offered_again(store: Store) -> None:
    session_id = new_session(store, "Training", "Antwerp", TODAY)
    mentor = someone(store, "Antwerp", "Mentor", "Intake done")
    enrol(store, session_id, mentor)
    session = store.table("Sessions").record(session_id)
    assert session is not None
    offered = eligible_people(session, people(store), store.table("Attendance").frame)
    assert mentor not in set(offered["ID"])


def test_planning_appends_the_session_with_the_usual_capacity_when_none_is_given(
    store: Store,
) -> None:
    on = TODAY + dt.timedelta(days=10)
    draft = SessionDraft("Training", on, "Brussels", "Dutch", None, "=Room 2")
    outcome = plan_session(store, BRUSSELS, draft, TODAY)
    saved = store.table("Sessions").record(outcome.ids[0])
    assert saved is not None
    assert (saved["Kind"], saved["Office"], saved["Language"], saved["Capacity"]) == (
        "Training",
        "Brussels",
        "Dutch",
        15,
    )
    assert saved["Date"].date() == on
    assert saved["Notes"] == "=Room 2"


def test_a_coordinator_cannot_plan_a_session_for_another_office(store: Store) -> None:
    draft = SessionDraft("Info session", TODAY, "Brussels", "Dutch", 10)
    assert draft_problems(draft, ANTWERP, TODAY)
    with pytest.raises(TransitionError):
        plan_session(store, ANTWERP, draft, TODAY)
    bad = SessionDraft("Info session", None, "", "", 0)
    assert len(draft_problems(bad, ADMIN, TODAY)) == 4


def test_registering_appends_registered_rows_and_never_the_same_person_twice(
    store: Store,
) -> None:
    session_id = new_session(store, "Training", "Antwerp", TODAY + dt.timedelta(days=3))
    mentor = someone(store, "Antwerp", "Mentor", "Intake done")
    first = register_people(store, ANTWERP, session_id, [mentor])
    second = register_people(store, ANTWERP, session_id, [mentor, mentor])
    assert attendance_of(store, session_id) == {mentor: "Registered"}
    assert first.message.params["count"] == 1
    assert second.message.params["count"] == 0
    assert [item.reason.key for item in second.skipped] == ["sessions.already_registered"]


def test_people_who_do_not_fit_or_belong_elsewhere_are_skipped_and_named(
    store: Store,
) -> None:
    session_id = new_session(store, "Training", "Antwerp", TODAY)
    mentee = someone(store, "Antwerp", "Mentee", "Intake done")
    elsewhere = someone(store, "Brussels", "Mentor", "Trained")
    outcome = register_people(store, ADMIN, session_id, [mentee, elsewhere, "P-NOBODY"])
    assert attendance_of(store, session_id) == {}
    reasons = {item.person: item.reason.key for item in outcome.skipped}
    assert reasons[person_name(person(store, mentee))] == "sessions.does_not_fit"
    assert "sessions.other_office" in reasons.values()
    assert reasons["P-NOBODY"] == "sessions.unknown_person"


def test_a_full_session_still_registers_and_says_so(store: Store) -> None:
    session_id = new_session(store, "Training", "Antwerp", TODAY, capacity=1)
    mentors = list(
        people(store).query("Office == 'Antwerp' and Role == 'Mentor' and Status == 'Intake done'")[
            "ID"
        ]
    )[:2]
    outcome = register_people(store, ANTWERP, session_id, mentors, confirmed=True)
    assert len(attendance_of(store, session_id)) == 2
    assert outcome.over_capacity == (2, 1)


def test_a_coordinator_cannot_touch_a_session_of_another_office(store: Store) -> None:
    session_id = new_session(store, "Info session", "Brussels", TODAY)
    applicant = someone(store, "Brussels", "Mentee", "Applied")
    with pytest.raises(OutOfOffice):
        register_people(store, ANTWERP, session_id, [applicant])
    with pytest.raises(OutOfOffice):
        mark_attendance(
            store, ANTWERP, session_id, {applicant}, {applicant: "Registered"}, today=TODAY
        )
    assert attendance_of(store, session_id) == {}


def test_attending_an_information_session_moves_applicants_on_and_names_who_cannot(
    store: Store,
) -> None:
    on = TODAY - dt.timedelta(days=1)
    session_id = new_session(store, "Info session", "Brussels", on)
    came = someone(store, "Brussels", "Mentee", "Applied")
    stayed_home = someone(store, "Brussels", "Mentor", "Applied")
    not_an_applicant = someone(store, "Brussels", "Mentee", "Intake done")
    enrol(store, session_id, came, stayed_home, not_an_applicant)
    seen = dict.fromkeys((came, stayed_home, not_an_applicant), "Registered")
    outcome = mark_attendance(
        store, BRUSSELS, session_id, {came, not_an_applicant}, seen, today=TODAY
    )
    assert attendance_of(store, session_id) == {
        came: "Attended",
        stayed_home: "Absent",
        not_an_applicant: "Attended",
    }
    assert person(store, came)["Status"] == "Info session"
    assert person(store, stayed_home)["Status"] == "Applied"
    assert person(store, not_an_applicant)["Status"] == "Intake done"
    assert [item.reason.key for item in outcome.skipped] == ["workflow.person_move_not_allowed"]
    assert outcome.message.params == {"attended": 2, "absent": 1, "moved": 1}


def test_attending_a_training_marks_mentors_trained_on_its_date_and_ready_on_request(
    store: Store,
) -> None:
    on = TODAY - dt.timedelta(days=2)
    session_id = new_session(store, "Training", "Antwerp", on)
    frame = people(store)
    first, second = frame[
        (frame["Office"] == "Antwerp")
        & (frame["Role"] == "Mentor")
        & (frame["Status"] == "Intake done")
    ]["ID"].iloc[:2]
    enrol(store, session_id, first, second)
    seen = {first: "Registered", second: "Registered"}
    mark_attendance(store, ANTWERP, session_id, {first}, seen, today=TODAY, also_ready=True)
    assert person(store, first)["Status"] == "Ready"
    assert person(store, first)["Trained on"].date() == on
    assert person(store, second)["Status"] == "Intake done"


def test_trained_attendees_are_marked_ready_with_one_action(store: Store) -> None:
    session_id = new_session(store, "Training", "Antwerp", TODAY)
    mentor = someone(store, "Antwerp", "Mentor", "Intake done")
    enrol(store, session_id, mentor)
    mark_attendance(store, ANTWERP, session_id, {mentor}, {mentor: "Registered"}, today=TODAY)
    assert person(store, mentor)["Status"] == "Trained"
    outcome = mark_trained_ready(store, ANTWERP, session_id)
    assert person(store, mentor)["Status"] == "Ready"
    assert outcome.message.params == {"count": 1}


def test_attendance_of_a_future_session_cannot_be_marked(store: Store) -> None:
    session_id = new_session(store, "Info session", "Brussels", TODAY + dt.timedelta(days=1))
    applicant = someone(store, "Brussels", "Mentee", "Applied")
    enrol(store, session_id, applicant)
    with pytest.raises(TransitionError):
        mark_attendance(
            store, ADMIN, session_id, {applicant}, {applicant: "Registered"}, today=TODAY
        )
    assert attendance_of(store, session_id) == {applicant: "Registered"}


def test_a_mark_someone_else_changed_meanwhile_is_kept_and_the_person_not_moved(
    store: Store,
) -> None:
    session_id = new_session(store, "Info session", "Brussels", TODAY)
    applicant = someone(store, "Brussels", "Mentee", "Applied")
    enrol(store, session_id, applicant)
    where = {"Session ID": session_id, "Participant ID": applicant}
    store.update("Attendance", where, {"Status": "Absent"}, "colleague")
    outcome = mark_attendance(
        store, BRUSSELS, session_id, {applicant}, {applicant: "Registered"}, today=TODAY
    )
    assert attendance_of(store, session_id) == {applicant: "Absent"}
    assert person(store, applicant)["Status"] == "Applied"
    assert [item.reason.key for item in outcome.skipped] == ["sessions.changed_meanwhile"]


def test_a_registration_typed_by_hand_without_a_mark_is_marked_without_a_conflict(
    store: Store,
) -> None:
    session_id = new_session(store, "Peer exchange", "Brussels", TODAY)
    mentor = someone(store, "Brussels", "Mentor", "In duo")
    store.append("Attendance", [{"Session ID": session_id, "Participant ID": mentor}], "tests")
    shown = registrations(session_id, people(store), store.table("Attendance").frame)
    seen = dict(zip(shown["Participant ID"], shown["Status"], strict=True))
    assert seen == {mentor: ""}
    outcome = mark_attendance(store, BRUSSELS, session_id, {mentor}, seen, today=TODAY)
    assert attendance_of(store, session_id) == {mentor: "Attended"}
    assert outcome.skipped == [] and person(store, mentor)["Status"] == "In duo"


def test_attendance_of_thirty_people_is_written_in_one_write_with_their_moves(
    counting: CountingStore,
) -> None:
    session_id = new_session(counting, "Info session", "Brussels", TODAY, capacity=40)
    brussels = people(counting).query("Office == 'Brussels'")
    applied = brussels["Status"] == "Applied"
    applicants = list(brussels.loc[applied, "ID"].iloc[:10])
    group = applicants + list(brussels.loc[~applied, "ID"].iloc[: 30 - len(applicants)])
    enrol(counting, session_id, *group)
    counting.units.clear()
    seen = dict.fromkeys(group, "Registered")
    outcome = mark_attendance(counting, BRUSSELS, session_id, set(group), seen, today=TODAY)
    assert len(counting.units) == 1
    assert attendance_of(counting, session_id) == dict.fromkeys(group, "Attended")
    assert applicants and all(person(counting, p)["Status"] == "Info session" for p in applicants)
    assert outcome.message.params == {"attended": 30, "absent": 0, "moved": len(applicants)}


def test_attendance_written_again_changes_nothing_more(counting: CountingStore) -> None:
    session_id = new_session(counting, "Training", "Antwerp", TODAY)
    mentor = someone(counting, "Antwerp", "Mentor", "Intake done")
    enrol(counting, session_id, mentor)
    seen = {mentor: "Registered"}
    mark_attendance(counting, ANTWERP, session_id, {mentor}, seen, today=TODAY, also_ready=True)
    audit = len(counting.table("Audit").frame)
    assert not counting.again().conflicts
    assert len(counting.table("Audit").frame) == audit
    assert attendance_of(counting, session_id) == {mentor: "Attended"}
    assert person(counting, mentor)["Status"] == "Ready"


def test_trained_and_ready_go_in_one_update_of_the_persons_row(counting: CountingStore) -> None:
    session_id = new_session(counting, "Training", "Antwerp", TODAY)
    mentor = someone(counting, "Antwerp", "Mentor", "Intake done")
    enrol(counting, session_id, mentor)
    seen = {mentor: "Registered"}
    mark_attendance(counting, ANTWERP, session_id, {mentor}, seen, today=TODAY, also_ready=True)
    [(changes, _)] = counting.units[-1:]
    assert [getattr(change, "where", None) for change in changes].count(mentor) == 1
    audit = counting.table("Audit").frame
    assert list(audit.loc[audit["Record ID"] == mentor, "Action"])[-1:] == ["mark_trained"]


def test_a_planned_session_written_twice_leaves_one_row(counting: CountingStore) -> None:
    draft = SessionDraft("Training", TODAY, "Antwerp", "Dutch", None)
    before = len(counting.table("Sessions").frame)
    [session_id] = plan_session(counting, ANTWERP, draft, TODAY).ids
    assert counting.again().ids == ((session_id,),)
    again = plan_session(counting, ANTWERP, draft, TODAY, record_id=session_id)
    assert again.ids == [session_id]
    assert len(counting.table("Sessions").frame) == before + 1


def test_registering_the_same_people_again_adds_no_second_row(counting: CountingStore) -> None:
    session_id = new_session(counting, "Info session", "Brussels", TODAY)
    applicant = someone(counting, "Brussels", "Mentee", "Applied")
    counting.units.clear()
    register_people(counting, BRUSSELS, session_id, [applicant])
    again = register_people(counting, BRUSSELS, session_id, [applicant])
    assert len(counting.units) == 1
    assert [item.reason.key for item in again.skipped] == ["sessions.already_registered"]
    frame = counting.table("Attendance").frame
    assert (frame["Session ID"] == session_id).sum() == 1


def test_filters_keep_sessions_whose_date_could_not_be_read() -> None:
    overview = pd.DataFrame(
        {
            "ID": ["S-1", "S-2", "S-3"],
            "Kind": ["Training", "Training", "Info session"],
            "Office": ["Ghent", "Ghent", "Ghent"],
            "Date": pd.to_datetime(["2026-01-10", "", "2026-01-10"]),
        }
    )
    start, end = dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    shown = filter_sessions(overview, kinds=["Training"], start=start, end=end)
    assert list(shown["ID"]) == ["S-1", "S-2"]
    assert list(filter_sessions(overview, offices=["Liège"])["ID"]) == []


def test_the_registrations_list_names_people_and_keeps_unknown_ids(store: Store) -> None:
    session_id = new_session(store, "Info session", "Brussels", TODAY)
    applicant = someone(store, "Brussels", "Mentee", "Applied")
    enrol(store, session_id, applicant, "P-GONE00")
    shown = registrations(session_id, people(store), store.table("Attendance").frame)
    assert set(shown["Participant ID"]) == {applicant, "P-GONE00"}
    assert "P-GONE00" in set(shown["Name"])


@pytest.mark.parametrize("name", ["sessions", "quality"])
def test_the_catalogue_has_every_language_with_the_same_placeholders(name: str) -> None:
    with (ROOT / "i18n" / f"{name}.toml").open("rb") as handle:
        messages = tomllib.load(handle)
    for key, texts in messages.items():
        assert set(texts) == set(LANGUAGES), key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert len({frozenset(p) for p in placeholders.values()}) == 1, key
