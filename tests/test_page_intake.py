"""The Intake page: who waits for an interview, and the interview form end to end."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

import clock
from i18n import catalogue
from services.people import IntakeChoice
from sheets.schema import DAY_PARTS, DAYS
from tests.apptest import (
    ADMIN,
    ANTWERP,
    BRUSSELS,
    ROOT,
    assert_no_exception,
    error_under,
    open_page,
    store_of,
)
from ui.feedback import CONFLICTS, FLASH

TODAY = clock.today()
SECTIONS = ("identity", "matching", "availability", "story", "dates")
"""The profile form's sections (pages/participants.py), whose titles are looked up by name."""


def record(row: pd.Series) -> dict[str, Any]:
    """A row as the pages see a record: column name -> value."""
    return {str(column): value for column, value in row.items()}


def people(workbook: Path) -> pd.DataFrame:
    return store_of(workbook).table("Participants").frame


def applicant(workbook: Path, role: str, office: str = "Brussels") -> dict[str, Any]:
    frame = people(workbook)
    wanted = (frame["Status"] == "Info session") & (frame["Role"] == role)
    return record(frame[wanted & (frame["Office"] == office)].iloc[0])


def row(workbook: Path, person_id: str) -> dict[str, Any]:
    frame = people(workbook)
    return record(frame[frame["ID"] == person_id].iloc[0])


def interview(person_id: str, lang: str = "en", user: Any = ADMIN) -> AppTest:
    return open_page("intake.py", user=user, lang=lang, query={"id": person_id})


def key(person_id: str, name: str) -> str:
    return f"intake-{person_id}-0-{name}"


def save(app: AppTest, person_id: str) -> AppTest:
    return app.button(key=key(person_id, "save")).click().run()


def flashed(app: AppTest, lang: str = "en") -> list[str]:
    """Success messages shown by the shell, or pending for it (AppTest may run the page alone)."""
    pending = app.session_state.get(FLASH, None)
    return [s.value for s in app.success] + ([pending.text(lang)] if pending else [])


def test_the_queue_lists_applicants_longest_waiting_first_in_english(workbook: Path) -> None:
    app = open_page("intake.py", user=BRUSSELS)
    assert_no_exception(app)
    queue = app.dataframe[0].value
    assert set(queue["Office"]) == {"Brussels"}
    assert set(queue["Status"]) <= {"Applied", "Info session"}
    waits = queue["Waiting (days)"].dropna().tolist()
    assert waits == sorted(waits, reverse=True)
    assert queue["Info session attended"].dtype == bool
    assert queue["Info session attended"].any()


def test_picking_an_applicant_opens_the_interview_in_french(workbook: Path) -> None:
    person = applicant(workbook, "Mentee")
    app = open_page("intake.py", lang="fr")
    app.selectbox(key="intake-pick").set_value(person["ID"]).run()
    assert_no_exception(app)
    assert app.subheader[0].value.endswith(person["ID"])
    assert "Enregistrer l'entretien" in [b.label for b in app.button]
    assert app.radio(key=key(person["ID"], "outcome")).options[0] == (
        "Entretien fait : la personne continue"
    )


def test_completing_a_mentees_intake_saves_the_profile_and_makes_them_ready_in_dutch(
    workbook: Path,
) -> None:
    person = applicant(workbook, "Mentee")
    pid = person["ID"]
    app = interview(pid, lang="nl", user=BRUSSELS)
    assert_no_exception(app)
    app.text_area(key=key(pid, "Goal")).input("Boekhouder worden")
    app.multiselect(key=key(pid, "Topics")).set_value(["CV", "Network"])
    app.checkbox(key=f"{key(pid, 'Availability')}-Wed PM").check()
    app.checkbox(key=key(pid, "ready")).check()
    save(app, pid)
    assert_no_exception(app)
    after = row(workbook, pid)
    assert after["Status"] == "Ready"
    assert after["Intake on"].date() == TODAY
    assert after["Goal"] == "Boekhouder worden"
    assert after["Topics"] == ["CV", "Network"]
    assert "Wed PM" in after["Availability"]
    assert app.query_params.get("id") is None
    assert flashed(app, "nl")


def test_eligibility_warnings_must_be_acknowledged_before_the_intake_goes_through(
    workbook: Path,
) -> None:
    mentor = applicant(workbook, "Mentor")
    pid = mentor["ID"]
    app = interview(pid)
    forty = TODAY.replace(year=TODAY.year - 40) - timedelta(days=1)
    app.date_input(key=key(pid, "Birth date")).set_value(forty)
    save(app, pid)
    assert "Tick the box" in app.error[0].value
    warnings = [w.value for w in app.warning]
    assert "Mentors are at least 50 years old; this birth date gives 40." in warnings
    assert row(workbook, pid)["Status"] == "Info session"
    app.checkbox(key=key(pid, "acknowledge")).check()
    save(app, pid)
    assert_no_exception(app)
    after = row(workbook, pid)
    assert after["Status"] == "Intake done"
    assert after["Birth date"].date() == forty


def test_withdrawing_needs_a_reason(workbook: Path) -> None:
    person = applicant(workbook, "Mentee")
    pid = person["ID"]
    app = interview(pid)
    app.radio(key=key(pid, "outcome")).set_value(IntakeChoice.WITHDRAW)
    save(app, pid)
    assert [e.value for e in app.error] == ["Please give a reason."]
    assert row(workbook, pid)["Status"] == "Info session"
    app.text_input(key=key(pid, "reason")).input("Prefers a training course")
    save(app, pid)
    after = row(workbook, pid)
    assert after["Status"] == "Withdrawn"
    assert after["Notes"].endswith("Withdrawn: Prefers a training course")


def test_consent_given_today_is_recorded_when_none_was(workbook: Path) -> None:
    frame = people(workbook)
    waiting = frame["Status"].isin(["Applied", "Info session"])
    person = record(frame[waiting & frame["Consent on"].isna()].iloc[0])
    pid = person["ID"]
    app = interview(pid)
    assert "No consent" in app.warning[0].value
    app.checkbox(key=key(pid, "consent")).check()
    app.radio(key=key(pid, "outcome")).set_value(IntakeChoice.SAVE_ONLY)
    save(app, pid)
    assert_no_exception(app)
    after = row(workbook, pid)
    assert after["Consent on"].date() == TODAY
    assert after["Status"] == person["Status"]


def test_an_applicant_without_an_info_session_cannot_complete_the_intake(workbook: Path) -> None:
    frame = people(workbook)
    person = record(frame[frame["Status"] == "Applied"].iloc[0])
    app = interview(person["ID"])
    options = app.radio(key=key(person["ID"], "outcome")).options
    assert "Intake done: the person goes on" not in options
    assert any("once the person has attended an information" in c.value for c in app.caption)


def test_a_profile_changed_in_the_sheet_meanwhile_is_not_overwritten(workbook: Path) -> None:
    person = applicant(workbook, "Mentee")
    pid = person["ID"]
    app = interview(pid)
    store_of(workbook).update("Participants", pid, {"Goal": "Typed in the sheet"}, "staff")
    app.text_area(key=key(pid, "Goal")).input("Typed in the app")
    app.radio(key=key(pid, "outcome")).set_value(IntakeChoice.SAVE_ONLY)
    save(app, pid)
    assert row(workbook, pid)["Goal"] == "Typed in the sheet"
    pending = app.session_state.get(CONFLICTS, [])
    assert [conflict.column for _, conflict in pending] == ["Goal"]


def test_a_coordinator_of_another_office_cannot_open_the_interview(workbook: Path) -> None:
    person = applicant(workbook, "Mentee", office="Brussels")
    app = interview(person["ID"], user=ANTWERP)
    assert_no_exception(app)
    assert "another office" in app.warning[0].value
    assert not app.get("form")
    assert all(person["Last name"] not in s.value for s in app.subheader)


def test_every_message_of_both_pages_exists_in_three_languages_with_the_same_placeholders() -> None:
    texts = catalogue()
    sources = (
        "pages/participants.py",
        "pages/intake.py",
        "ui/person_form.py",
        "services/people.py",
    )
    used = {
        key
        for source in sources
        for key in re.findall(
            r"\"((?:participants|intake)\.[a-z_]+)\"", (ROOT / source).read_text()
        )
    }
    dynamic = {
        *(f"participants.day_{day[0].lower()}" for day in DAYS),
        *(f"participants.part_{part[0].lower()}" for part in DAY_PARTS),
        *(
            f"participants.field_{f}_{r}"
            for f in ("topics", "goal", "background")
            for r in ("mentor", "mentee")
        ),
        *(f"intake.choice_{choice}" for choice in IntakeChoice),
        *(f"participants.section_{s}" for s in SECTIONS),
    }
    assert used
    for key in used | dynamic:
        assert key in texts, key
        assert set(texts[key]) == {"en", "fr", "nl"}, key
        found = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts[key].items()}
        assert found["en"] == found["fr"] == found["nl"], key


def test_the_intake_records_a_mentees_conditions_and_names_the_one_not_met(
    workbook: Path,
) -> None:
    person = applicant(workbook, "Mentee")
    pid = person["ID"]
    app = interview(pid)
    app.selectbox(key=key(pid, "Residence")).set_value("Temporary")
    app.selectbox(key=key(pid, "Origin")).set_value("Non-EU nationality")
    app.selectbox(key=key(pid, "Looking for")).set_value("Both")
    save(app, pid)
    warnings = [w.value for w in app.warning]
    assert any("this person's residence is temporary" in text for text in warnings)
    assert not any("looking for neither" in text for text in warnings)
    assert row(workbook, pid)["Status"] == "Info session"
    app.checkbox(key=key(pid, "acknowledge")).check()
    save(app, pid)
    assert_no_exception(app)
    after = row(workbook, pid)
    assert (after["Residence"], after["Origin"], after["Looking for"]) == (
        "Temporary",
        "Non-EU nationality",
        "Both",
    )
    assert after["Status"] == "Intake done"


def test_a_mentee_aged_34_at_intake_needs_the_confirmation(workbook: Path) -> None:
    person = applicant(workbook, "Mentee")
    pid = person["ID"]
    app = interview(pid)
    thirty_four = TODAY.replace(year=TODAY.year - 34) - timedelta(days=1)
    app.date_input(key=key(pid, "Birth date")).set_value(thirty_four)
    save(app, pid)
    assert any("this birth date gives 34" in w.value for w in app.warning)
    assert row(workbook, pid)["Status"] == "Info session"
    app.checkbox(key=key(pid, "acknowledge")).check()
    save(app, pid)
    assert_no_exception(app)
    assert row(workbook, pid)["Birth date"].date() == thirty_four


def test_an_error_at_intake_shows_under_its_field_and_nothing_is_written(
    workbook: Path,
) -> None:
    person = applicant(workbook, "Mentee")
    pid = person["ID"]
    app = interview(pid)
    app.text_area(key=key(pid, "Goal")).input("g" * 1200)
    save(app, pid)
    assert "at most 1000 characters, 1200 typed" in error_under(app, key(pid, "Goal"))
    assert app.text_area(key=key(pid, "Goal")).value == "g" * 1200
    assert row(workbook, pid)["Goal"] == person["Goal"]
    assert row(workbook, pid)["Status"] == "Info session"
