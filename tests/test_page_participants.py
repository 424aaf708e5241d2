"""The Participants page: search, filters, the profile form, status steps, office rights."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest import (
    ADMIN,
    ANTWERP,
    BRUSSELS,
    assert_no_exception,
    error_under,
    open_page,
    store_of,
)
from ui.feedback import CONFLICTS, FLASH
from workflow import PersonAction


def record(row: pd.Series) -> dict[str, Any]:
    """A row as the pages see a record: column name -> value."""
    return {str(column): value for column, value in row.items()}


def people(workbook: Path) -> pd.DataFrame:
    return store_of(workbook).table("Participants").frame


def first(workbook: Path, **wanted: str) -> dict[str, Any]:
    frame = people(workbook)
    for column, value in wanted.items():
        frame = frame[frame[column.replace("_", " ").capitalize()] == value]
    return record(frame.iloc[0])


def person_row(workbook: Path, person_id: str) -> dict[str, Any]:
    frame = people(workbook)
    return record(frame[frame["ID"] == person_id].iloc[0])


def profile_of(person_id: str, lang: str = "en", user: Any = ADMIN) -> AppTest:
    return open_page("participants.py", user=user, lang=lang, query={"id": person_id})


def field(person_id: str, column: str) -> str:
    return f"profile-{person_id}-0-{column}"


def flashed(app: AppTest, lang: str = "en") -> list[str]:
    """Success messages: shown by the shell, or still pending for it.

    Pending when AppTest ran the page alone: with a `pages/` folder beside app.py, AppTest
    runs a switched-to page without the shell (Streamlit's first multipage mode).
    """
    pending = app.session_state.get(FLASH, None)
    return [s.value for s in app.success] + ([pending.text(lang)] if pending else [])


def conflicted_columns(app: AppTest) -> list[str]:
    """The cells the shell shows (or will show) as changed by someone else meanwhile."""
    pending = app.session_state.get(CONFLICTS, [])
    return [conflict.column for _, conflict in pending]


def shown_text(app: AppTest) -> str:
    kinds = ("markdown", "caption", "subheader", "title")
    parts = [getattr(e, "value", "") for kind in kinds for e in app.get(kind)]
    parts += [str(e.proto) for e in app.get("text_input")]
    return "\n".join(str(part) for part in parts)


def test_the_list_shows_everyone_in_french(workbook: Path) -> None:
    app = open_page("participants.py", lang="fr")
    assert_no_exception(app)
    assert [t.value for t in app.title] == ["Participants"]
    total = len(people(workbook))
    assert app.caption[0].value == f"{total} participants sur {total}"
    assert len(app.dataframe[0].value) == total


def test_search_and_filters_narrow_the_list(workbook: Path) -> None:
    person = first(workbook, status="Ready", role="Mentee")
    app = open_page("participants.py")
    app.text_input(key="participants-search").input(person["Email"].upper()).run()
    assert app.dataframe[0].value["ID"].tolist() == [person["ID"]]
    app.text_input(key="participants-search").input("").run()
    app.multiselect(key="participants-statuses").select("Ready")
    app.multiselect(key="participants-roles").select("Mentee").run()
    statuses = set(app.dataframe[0].value["Status"])
    assert statuses == {"Ready"}
    assert person["ID"] in set(app.dataframe[0].value["ID"])


def test_choosing_a_person_opens_their_profile_in_dutch(workbook: Path) -> None:
    person = first(workbook, status="Ready")
    app = open_page("participants.py", lang="nl")
    app.selectbox(key="participants-pick").set_value(person["ID"]).run()
    assert_no_exception(app)
    assert app.query_params["id"] == person["ID"]
    assert app.subheader[0].value.endswith(person["ID"])
    assert "Fiche opslaan" in [b.label for b in app.button]
    assert app.text_input(key=field(person["ID"], "First name")).value == person["First name"]


def test_editing_the_profile_saves_the_changed_fields_and_shows_them_in_the_history(
    workbook: Path,
) -> None:
    person = first(workbook, status="Ready", role="Mentee", office="Brussels")
    pid = person["ID"]
    app = profile_of(pid, user=BRUSSELS)
    app.text_area(key=field(pid, "Goal")).input("Work as a lab technician")
    app.multiselect(key=field(pid, "Languages")).select("German")
    app.checkbox(key=f"{field(pid, 'Availability')}-Sun EVE").check()
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert flashed(app) == ["Saved."]
    after = person_row(workbook, pid)
    assert after["Goal"] == "Work as a lab technician"
    assert after["Languages"] == [*person["Languages"], "German"]
    assert "Sun EVE" in after["Availability"]
    history = app.dataframe[-1].value
    assert history["Who"].tolist() == [BRUSSELS.email]
    assert set(history["Details"].iloc[0].split(", ")) == {"Goal", "Languages", "Availability"}


def test_a_cell_changed_in_the_sheet_meanwhile_is_shown_as_a_conflict(workbook: Path) -> None:
    person = first(workbook, status="Ready", role="Mentee")
    pid = person["ID"]
    app = profile_of(pid)
    store_of(workbook).update("Participants", pid, {"Goal": "Typed in the sheet"}, "staff")
    app.text_area(key=field(pid, "Goal")).input("Typed in the app")
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert conflicted_columns(app) == ["Goal"]
    assert person_row(workbook, pid)["Goal"] == "Typed in the sheet"


def test_withdrawing_needs_a_reason_then_moves_the_status(workbook: Path) -> None:
    person = first(workbook, status="Ready", role="Mentee")
    pid = person["ID"]
    app = profile_of(pid)
    app.selectbox(key=f"step-{pid}").set_value(PersonAction.WITHDRAW).run()
    app.button(key=f"step-{pid}-go").click().run()
    assert [e.value for e in app.error] == ["Please give a reason."]
    assert person_row(workbook, pid)["Status"] == "Ready"
    app.text_input(key=f"step-{pid}-{PersonAction.WITHDRAW}-reason").input("Found a job alone")
    app.button(key=f"step-{pid}-go").click().run()
    assert_no_exception(app)
    after = person_row(workbook, pid)
    assert after["Status"] == "Withdrawn"
    assert after["Notes"].endswith("Withdrawn: Found a job alone")


def test_only_the_legal_status_steps_are_offered(workbook: Path) -> None:
    mentor = first(workbook, status="Intake done", role="Mentor")
    app = profile_of(mentor["ID"])
    offered = set(app.selectbox(key=f"step-{mentor['ID']}").options)
    assert "Training followed" in offered
    assert "Ready to be matched" not in offered
    assert "Attended the information session" not in offered
    in_duo = first(workbook, status="In duo")
    app = profile_of(in_duo["ID"])
    assert not [s for s in app.selectbox if s.key == f"step-{in_duo['ID']}"]
    assert "people in a duo move on with their duo" in app.info[0].value


def test_training_a_mentor_records_the_date(workbook: Path) -> None:
    mentor = first(workbook, status="Intake done", role="Mentor")
    pid = mentor["ID"]
    app = profile_of(pid, lang="fr")
    app.selectbox(key=f"step-{pid}").set_value(PersonAction.MARK_TRAINED).run()
    app.date_input(key=f"step-{pid}-{PersonAction.MARK_TRAINED}-on").set_value(date(2026, 11, 20))
    app.button(key=f"step-{pid}-go").click().run()
    assert_no_exception(app)
    after = person_row(workbook, pid)
    assert after["Status"] == "Trained"
    assert after["Trained on"].date() == date(2026, 11, 20)


def test_a_persons_duos_link_to_the_duo_page(workbook: Path) -> None:
    duos = store_of(workbook).table("Duos").frame
    duo = duos.iloc[0]
    app = profile_of(str(duo["Mentor ID"]))
    assert_no_exception(app)
    links = [link for link in app.get("page_link") if str(duo["ID"]) in link.proto.label]
    assert links


def test_a_coordinator_of_another_office_sees_nothing_of_the_record(workbook: Path) -> None:
    person = first(workbook, office="Brussels", status="Ready")
    app = profile_of(person["ID"], user=ANTWERP)
    assert_no_exception(app)
    assert person["ID"] in app.warning[0].value
    assert "another office" in app.warning[0].value
    text = shown_text(app)
    assert person["Last name"] not in text
    assert not app.get("form")


# -- the field rules (validation.py) in the profile form ------------------------------------


def test_the_profile_form_refuses_bad_values_under_their_fields_and_keeps_what_was_typed(
    workbook: Path,
) -> None:
    person = first(workbook, status="Ready", role="Mentee", office="Brussels")
    pid = person["ID"]
    app = profile_of(pid, user=BRUSSELS)
    app.text_input(key=field(pid, "First name")).input("")
    app.text_input(key=field(pid, "Email")).input("not-an-email")
    app.text_input(key=field(pid, "Phone")).input("call me maybe")
    app.text_area(key=field(pid, "Notes")).input("n" * 5000)
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert error_under(app, field(pid, "First name")) == "Please fill this in."
    assert "not look like an e-mail address" in error_under(app, field(pid, "Email"))
    assert "not a phone number" in error_under(app, field(pid, "Phone"))
    assert "at most 2000 characters, 5000 typed" in error_under(app, field(pid, "Notes"))
    assert error_under(app, field(pid, "Last name")) == ""
    assert "Nothing was saved" in app.error[-1].value
    assert app.text_input(key=field(pid, "Email")).value == "not-an-email"
    assert app.text_input(key=field(pid, "Phone")).value == "call me maybe"
    assert app.text_area(key=field(pid, "Notes")).value == "n" * 5000
    after = person_row(workbook, pid)
    assert (after["First name"], after["Email"]) == (person["First name"], person["Email"])
    assert after["Notes"] == person["Notes"]


def test_a_mentee_aged_45_in_the_profile_needs_the_confirmation_then_saves(
    workbook: Path,
) -> None:
    person = first(workbook, status="Ready", role="Mentee", office="Brussels")
    pid = person["ID"]
    born = date(1981, 6, 1)
    app = profile_of(pid, user=BRUSSELS)
    app.date_input(key=field(pid, "Birth date")).set_value(born)
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert "18 to 33 years old when they join; this birth date gives 45" in app.warning[0].value
    assert "Tick the box" in app.error[-1].value
    assert person_row(workbook, pid)["Birth date"] == person["Birth date"]
    app.checkbox(key=field(pid, "confirm")).check()
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert flashed(app) == ["Saved."]
    assert person_row(workbook, pid)["Birth date"].date() == born


def test_a_mentees_profile_records_the_programme_conditions(workbook: Path) -> None:
    person = first(workbook, status="Ready", role="Mentee", office="Brussels")
    pid = person["ID"]
    app = profile_of(pid, lang="fr", user=BRUSSELS)
    assert "Séjour temporaire" in app.selectbox(key=field(pid, "Residence")).options
    app.selectbox(key=field(pid, "Looking for")).set_value("Training")
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert person_row(workbook, pid)["Looking for"] == "Training"


def test_a_value_typed_by_hand_does_not_stop_the_coordinator_saving_another_field(
    workbook: Path,
) -> None:
    person = first(workbook, status="Ready", role="Mentee", office="Brussels")
    pid = person["ID"]
    store_of(workbook).update("Participants", pid, {"Email": "ask at the desk"}, "staff")
    app = profile_of(pid, user=BRUSSELS)
    app.text_area(key=field(pid, "Goal")).input("Become a nurse")
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert flashed(app) == ["Saved."]
    after = person_row(workbook, pid)
    assert (after["Goal"], after["Email"]) == ("Become a nurse", "ask at the desk")
