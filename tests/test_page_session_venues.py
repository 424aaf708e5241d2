"""Sessions people can attend: time and place planned and edited on the Sessions page, shown
on the Apply form and its confirmation; the session's printable attendance sheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import clock
from services import applications
from tests.apptest import BRUSSELS, open_page, store_of
from tests.test_page_apply import fill, open_apply, page_text, send
from tests.test_page_sessions import enrol, new_session, press, session_page
from ui.feedback import CONFLICTS
from workflow import person_name

TODAY = clock.today()
PLACE = {
    "Start time": "09:30",
    "End time": "11:30",
    "Address": "Rue de l'Exemple 12, 1000 Brussels",
    "What to bring": "Your identity card",
}


@pytest.fixture
def fresh_limits() -> Iterator[None]:
    applications.LIMITS.reset()
    yield
    applications.LIMITS.reset()


def session_row(workbook: Path, session_id: str) -> dict[str, Any]:
    record = store_of(workbook).table("Sessions").record(session_id)
    assert record is not None
    return record


def set_venue(app: AppTest, prefix: str, **typed: str) -> None:
    for field, value in typed.items():
        app.text_input(key=f"{prefix}-{field}").set_value(value)


def test_a_session_is_planned_with_its_time_place_and_what_to_bring(workbook: Path) -> None:
    app = open_page("sessions.py", user=BRUSSELS, lang="en")
    on = TODAY + dt.timedelta(days=9)
    app.selectbox(key="plan-kind").set_value("Info session")
    app.date_input(key="plan-date").set_value(on)
    app.text_input(key="plan-notes").set_value("venue test")
    set_venue(app, "plan", start="9u30", end="11h30", address=PLACE["Address"], bring="Your CV")
    press(app, "Plan the session")
    frame = store_of(workbook).table("Sessions").frame
    row = frame[frame["Notes"] == "venue test"].iloc[0]
    assert (row["Start time"], row["End time"], row["Address"], row["What to bring"]) == (
        "09:30",
        "11:30",
        PLACE["Address"],
        "Your CV",
    )
    assert row["Video link"] == ""
    listed = app.dataframe[0].value
    mine = listed[listed["ID"] == row["ID"]]
    assert (mine["Time"].iloc[0], mine["Place"].iloc[0]) == ("09:30–11:30", PLACE["Address"])
    shown = "\n".join(str(m.value).replace("\\", "") for m in app.markdown)
    assert PLACE["Address"] in shown and "What to bring: Your CV" in shown
    assert "09:30–11:30 · Info session" in " ".join(str(h.value) for h in app.subheader).replace(
        "\\", ""
    )


def test_an_end_before_the_start_or_a_link_that_is_no_web_address_is_refused(
    workbook: Path,
) -> None:
    before = len(store_of(workbook).table("Sessions").frame)
    app = open_page("sessions.py", user=BRUSSELS, lang="fr")
    set_venue(app, "plan", start="18:00", end="17h", link="meet.example.org/abc")
    press(app, "Planifier la séance")
    assert [e.value for e in app.error] == [
        "L'heure de fin doit venir après l'heure de début.",
        "Le lien vidéo doit être une adresse web qui commence par https:// (ou http://).",
    ]
    assert len(store_of(workbook).table("Sessions").frame) == before


def test_a_session_s_date_time_and_place_are_edited_and_shown_online(workbook: Path) -> None:
    on = TODAY + dt.timedelta(days=12)
    session_id = new_session(workbook, "Training", "Brussels", on)
    app = session_page(session_id, BRUSSELS, lang="nl")
    form = f"edit-{session_id}"
    later = on + dt.timedelta(days=2)
    app.date_input(key=f"{form}-date").set_value(later)
    link = "https://video.example.org/training"
    set_venue(app, form, start="13u", end="16u30", link=link, bring="Laptop")
    press(app, "Sessie bewaren")
    row = session_row(workbook, session_id)
    assert (row["Date"].date(), row["Start time"], row["End time"]) == (later, "13:00", "16:30")
    assert (row["Video link"], row["What to bring"], row["Address"]) == (link, "Laptop", "")
    assert (row["Kind"], row["Office"], row["Capacity"]) == ("Training", "Brussels", 20)
    assert [s.value for s in app.success] == [f"Sessie bewaard: Opleiding op {later:%d/%m/%Y}."]
    listed = app.dataframe[0].value
    mine = listed[listed["ID"] == session_id]
    assert (mine["Time"].iloc[0], mine["Place"].iloc[0]) == ("13:00–16:30", "online")


def test_an_edit_keeps_what_someone_changed_in_the_sheet_meanwhile(workbook: Path) -> None:
    session_id = new_session(workbook, "Training", "Brussels", TODAY + dt.timedelta(days=12))
    app = session_page(session_id, BRUSSELS)
    store_of(workbook).update("Sessions", session_id, {"Address": "Typed in the sheet"}, "staff")
    set_venue(app, f"edit-{session_id}", address="Typed in the app", start="10:00")
    press(app, "Save the session")
    row = session_row(workbook, session_id)
    assert (row["Address"], row["Start time"]) == ("Typed in the sheet", "10:00")
    [(change, conflict)] = app.session_state[CONFLICTS]
    assert (change.record_id, conflict.column) == (session_id, "Address")
    assert (conflict.current, conflict.proposed) == ("Typed in the sheet", "Typed in the app")


def test_the_attendance_sheet_lists_the_people_registered_but_not_the_cancelled_ones(
    workbook: Path, downloads: dict[str, bytes]
) -> None:
    session_id = new_session(workbook, "Info session", "Brussels", TODAY + dt.timedelta(days=3))
    store_of(workbook).update("Sessions", session_id, PLACE, "tests")
    frame = store_of(workbook).table("Participants").frame
    came, also, gone = frame.loc[frame["Office"] == "Brussels", "ID"].iloc[:3]
    enrol(workbook, session_id, came, also)
    enrol(workbook, session_id, gone, status="Cancelled")
    session_page(session_id, BRUSSELS, lang="fr")
    pdf = downloads[f"attendance-{session_id}.pdf"]
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    people = store_of(workbook).table("Participants")
    names = {pid: person_name(people.record(pid) or {}) for pid in (came, also, gone)}
    assert names[came] in text and names[also] in text and names[gone] not in text
    assert "Feuille de présence" in text and "09:30–11:30" in text and PLACE["Address"] in text
    assert f"{TODAY + dt.timedelta(days=3):%d/%m/%Y}" in text


@pytest.mark.usefixtures("no_signed_in_user", "fresh_limits")
def test_the_apply_form_offers_sessions_with_time_and_place_and_confirms_what_to_bring(
    tmp_path: Path, workbook: Path
) -> None:
    soon = new_session(workbook, "Info session", "Brussels", TODAY)
    store_of(workbook).update("Sessions", soon, PLACE, "tests")
    online = new_session(workbook, "Info session", "Brussels", TODAY + dt.timedelta(days=1))
    link = {"Video link": "https://video.example.org/info", "Start time": "18u"}
    store_of(workbook).update("Sessions", online, link, "tests")
    past = new_session(workbook, "Info session", "Brussels", TODAY - dt.timedelta(days=1))
    app = fill(open_apply(tmp_path, "en"))
    box = app.radio(key="apply-session")
    labels, on = box.options, f"{TODAY:%d/%m/%Y}"
    assert f"{on}, 09:30–11:30 · {PLACE['Address']} · in French · 20 places left" in labels
    tomorrow = f"{TODAY + dt.timedelta(days=1):%d/%m/%Y}"
    assert f"{tomorrow}, 18:00 · online · in French · 20 places left" in labels
    assert not [
        label for label in labels if label.startswith(f"{TODAY - dt.timedelta(days=1):%d/%m}")
    ]
    assert store_of(workbook).table("Sessions").record(past) is not None
    box.set_value(soon)
    send(app)
    text = page_text(app)
    assert f"information session of {on}, 09:30–11:30, Rue de l" in text
    assert "What to bring: Your identity card" in text
