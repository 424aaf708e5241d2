"""The Sessions page end to end: plan, register, mark attendance, in the real workbook copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import clock
from access import User
from sheets.store import Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, assert_no_exception, open_page, store_of
from workflow import person_name

TODAY = clock.today()


def new_session(workbook: Path, kind: str, office: str, on: dt.date, capacity: int = 20) -> str:
    record = {
        "Kind": kind,
        "Date": on,
        "Office": office,
        "Language": "French",
        "Capacity": capacity,
    }
    return store_of(workbook).append("Sessions", [record], "tests")[0]


def enrol(workbook: Path, session_id: str, *person_ids: str, status: str = "Registered") -> None:
    rows = [{"Session ID": session_id, "Participant ID": p, "Status": status} for p in person_ids]
    store_of(workbook).append("Attendance", rows, "tests")


def people_with(workbook: Path, office: str, role: str, status: str) -> list[str]:
    frame = store_of(workbook).table("Participants").frame
    hits = frame[
        (frame["Office"] == office) & (frame["Role"] == role) & (frame["Status"] == status)
    ]
    return list(hits["ID"])


def status_of(store: Store, person_id: str) -> str:
    record = store.table("Participants").record(person_id)
    assert record is not None
    return str(record["Status"])


def attendance_of(workbook: Path, session_id: str) -> list[tuple[str, str]]:
    frame = store_of(workbook).table("Attendance").frame
    rows = frame[frame["Session ID"] == session_id]
    return sorted(zip(rows["Participant ID"], rows["Status"], strict=True))


def applicant_name(workbook: Path, person_id: str) -> str:
    record = store_of(workbook).table("Participants").record(person_id)
    assert record is not None
    return person_name(record)


def session_page(session_id: str, user: User = ADMIN, lang: str = "en") -> AppTest:
    app = open_page("sessions.py", user=user, lang=lang, query={"id": session_id})
    assert_no_exception(app)
    return app


def press(app: AppTest, label: str) -> AppTest:
    [button] = [b for b in app.button if b.label == label]
    button.click().run()
    assert_no_exception(app)
    return app


def warnings(app: AppTest) -> str:
    return "\n".join(str(w.value) for w in app.warning)


@pytest.mark.parametrize(
    ("lang", "title", "attendance"),
    [
        ("fr", "Séances", "Présences"),
        ("nl", "Sessies", "Aanwezigheden"),
        ("en", "Sessions", "Attendance"),
    ],
)
def test_the_page_lists_sessions_and_opens_one_in_each_language(
    workbook: Path, lang: str, title: str, attendance: str
) -> None:
    frame = store_of(workbook).table("Sessions").frame
    upcoming = frame[(frame["Date"] >= pd.Timestamp(TODAY)) & (frame["Kind"] == "Peer exchange")]
    app = session_page(str(upcoming["ID"].iloc[0]), lang=lang)
    assert [t.value for t in app.title][-1] == title
    assert f"#### {attendance}" in [m.value for m in app.markdown]
    assert len(app.dataframe) >= 2


def test_planning_a_session_appends_it_for_the_coordinators_office(workbook: Path) -> None:
    app = open_page("sessions.py", user=BRUSSELS, lang="fr")
    assert app.selectbox(key="plan-office").options == ["Brussels"]
    on = TODAY + dt.timedelta(days=20)
    app.selectbox(key="plan-kind").set_value("Training")
    app.date_input(key="plan-date").set_value(on)
    app.number_input(key="plan-capacity").set_value(12)
    app.text_input(key="plan-notes").set_value("Salle 3")
    press(app, "Planifier la séance")
    frame = store_of(workbook).table("Sessions").frame
    added = frame[frame["Notes"] == "Salle 3"]
    assert len(added) == 1
    row = added.iloc[0]
    assert (row["Kind"], row["Office"], row["Capacity"], row["Date"].date()) == (
        "Training",
        "Brussels",
        12,
        on,
    )
    assert [s.value for s in app.success] == [f"Séance planifiée : Formation le {on:%d/%m/%Y}."]
    assert app.query_params["id"] == row["ID"]


def test_registering_appends_a_registration_once_even_from_two_screens(workbook: Path) -> None:
    session_id = new_session(workbook, "Info session", "Brussels", TODAY + dt.timedelta(days=5))
    applicant = people_with(workbook, "Brussels", "Mentee", "Applied")[0]
    first, second = session_page(session_id, BRUSSELS), session_page(session_id, BRUSSELS)
    key = f"register-people-{session_id}"
    first.multiselect(key=key).set_value([applicant])
    press(first, "Register")
    assert attendance_of(workbook, session_id) == [(applicant, "Registered")]
    assert [s.value for s in first.success] == ["People registered: 1."]
    second.multiselect(key=key).set_value([applicant])
    press(second, "Register")
    assert attendance_of(workbook, session_id) == [(applicant, "Registered")]
    offered = " ".join(second.multiselect(key=key).options)
    assert applicant_name(workbook, applicant) not in offered
    assert [e.value for e in second.error] == ["Choose at least one person to register."]


def test_a_full_session_asks_before_it_registers_more_people(workbook: Path) -> None:
    session_id = new_session(workbook, "Training", "Antwerp", TODAY + dt.timedelta(days=5), 1)
    first, second = people_with(workbook, "Antwerp", "Mentor", "Intake done")[:2]
    app = session_page(session_id, ANTWERP, lang="nl")
    app.multiselect(key=f"register-people-{session_id}").set_value([first, second])
    press(app, "Inschrijven")
    assert attendance_of(workbook, session_id) == []
    app.checkbox(key=f"register-{session_id}-confirmed").check()
    press(app, "Inschrijven")
    assert [p for p, _ in attendance_of(workbook, session_id)] == sorted([first, second])
    assert "overvol: 2 ingeschreven voor 1 plaatsen" in warnings(app)


def test_bulk_attendance_is_written_per_row_and_moves_applicants_on(workbook: Path) -> None:
    session_id = new_session(workbook, "Info session", "Brussels", TODAY - dt.timedelta(days=1))
    came = people_with(workbook, "Brussels", "Mentee", "Applied")[0]
    absent = people_with(workbook, "Brussels", "Mentor", "Applied")[0]
    intake_done = people_with(workbook, "Brussels", "Mentee", "Intake done")[0]
    enrol(workbook, session_id, came, absent, intake_done)
    app = session_page(session_id, BRUSSELS, lang="fr")
    app.checkbox(key=f"attended-{session_id}-{came}").check()
    app.checkbox(key=f"attended-{session_id}-{intake_done}").check()
    press(app, "Enregistrer les présences")
    assert attendance_of(workbook, session_id) == sorted(
        [(came, "Attended"), (absent, "Absent"), (intake_done, "Attended")]
    )
    store = store_of(workbook)
    assert (status_of(store, came), status_of(store, absent)) == ("Info session", "Applied")
    assert status_of(store, intake_done) == "Intake done"
    assert "Cette étape n'est pas possible pour un Mentoré(e) au statut Entretien fait" in warnings(
        app
    )
    assert app.success[0].value.startswith("Présences enregistrées : 2 présents, 1 absents")


def test_training_attendance_marks_mentors_trained_and_ready_when_asked(workbook: Path) -> None:
    session_id = new_session(workbook, "Training", "Antwerp", TODAY)
    mentor = people_with(workbook, "Antwerp", "Mentor", "Intake done")[0]
    enrol(workbook, session_id, mentor)
    app = session_page(session_id, ANTWERP)
    app.checkbox(key=f"attended-{session_id}-{mentor}").check()
    app.checkbox(key=f"also-ready-{session_id}").check()
    press(app, "Save attendance")
    record = store_of(workbook).table("Participants").record(mentor)
    assert record is not None
    assert (record["Status"], record["Trained on"].date()) == ("Ready", TODAY)


def test_trained_mentors_who_attended_are_marked_ready_with_one_button(workbook: Path) -> None:
    trained = people_with(workbook, "Brussels", "Mentor", "Trained")
    attendance = store_of(workbook).table("Attendance").frame
    attended = attendance[attendance["Participant ID"].isin(trained)]
    session_id = str(attended["Session ID"].iloc[-1])
    app = session_page(session_id, BRUSSELS)
    app.button(key=f"ready-{session_id}").click().run()
    assert_no_exception(app)
    store = store_of(workbook)
    assert {status_of(store, person) for person in trained} == {"Ready"}
    assert [s.value for s in app.success] == [
        f"Mentors marked ready to be matched: {len(trained)}."
    ]


def test_a_coordinator_of_antwerp_cannot_open_a_brussels_session(workbook: Path) -> None:
    sessions = store_of(workbook).table("Sessions").frame
    session_id = str(sessions[sessions["Office"] == "Brussels"]["ID"].iloc[-1])
    app = session_page(session_id, ANTWERP)
    assert [e.value for e in app.error] == [
        f"Session {session_id} does not exist or belongs to another office."
    ]
    assert session_id not in app.selectbox(key="session-pick").options
    assert not [m for m in app.markdown if m.value == "#### Attendance"]


def test_a_mark_changed_in_the_sheet_meanwhile_is_kept_and_shown(workbook: Path) -> None:
    session_id = new_session(workbook, "Info session", "Brussels", TODAY)
    applicant = people_with(workbook, "Brussels", "Mentee", "Applied")[0]
    enrol(workbook, session_id, applicant)
    app = session_page(session_id, BRUSSELS)
    where = {"Session ID": session_id, "Participant ID": applicant}
    store_of(workbook).update("Attendance", where, {"Status": "Absent"}, "colleague")
    app.checkbox(key=f"attended-{session_id}-{applicant}").check()
    press(app, "Save attendance")
    assert attendance_of(workbook, session_id) == [(applicant, "Absent")]
    assert status_of(store_of(workbook), applicant) == "Applied"
    assert "someone else changed this attendance to Absent meanwhile" in warnings(app)


def test_a_session_picked_in_the_box_stays_picked_after_one_was_opened_by_its_link(
    workbook: Path,
) -> None:
    app = open_page("sessions.py")
    offered = [label.rsplit(" · ", 1)[-1] for label in app.selectbox(key="session-pick").options]
    first, other = offered[0], offered[1]
    app = session_page(first)
    assert app.selectbox(key="session-pick").value == first
    app.selectbox(key="session-pick").set_value(other).run()
    assert_no_exception(app)
    assert app.selectbox(key="session-pick").value == other
    assert app.query_params["id"] == [other] or app.query_params["id"] == other
