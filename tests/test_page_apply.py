"""The public Apply page, end to end, as a signed-out visitor sees it (fr, nl, en)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

import clock
from ratelimit import SlidingWindowLimiter
from services import applications
from sheets.reader import locate_headers
from sheets.schema import tab
from tests.apptest import ROOT, assert_no_exception, error_under, store_of

TODAY = clock.today()


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    applications.LIMITS.reset()
    yield
    applications.LIMITS.reset()


pytestmark = pytest.mark.usefixtures("no_signed_in_user")


def open_apply(tmp_path: Path, lang: str, state: dict[str, Any] | None = None) -> AppTest:
    """The Apply page alone, as the navigation runs it for a visitor who is not signed in."""
    entry = tmp_path / "entry.py"
    page = ROOT / "pages" / "apply.py"
    entry.write_text(
        f"import streamlit as st\nst.navigation([st.Page({str(page)!r}, url_path='apply')]).run()\n"
    )
    app = AppTest.from_file(str(entry), default_timeout=60)
    app.session_state["lang"] = lang
    for key, value in (state or {}).items():
        app.session_state[key] = value
    return app.run()


def years_ago(years: int) -> dt.date:
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28))


def fill(app: AppTest, role: str = "Mentee", office: str = "Brussels", **fields: Any) -> AppTest:
    """Choose role and office, then fill the form with a valid application (or `fields`)."""
    app.radio(key="apply-role").set_value(role)
    app.selectbox(key="apply-office").set_value(office)
    app.run()
    values: dict[str, Any] = {
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "email": "amina.elidrissi@example.be",
        "phone": "0470 12 34 56",
        "postcode": "1080",
        "country_of_origin": "Morocco",
        "other_languages": "",
        "goal": "Work as an accountant.",
        "background": "Bachelor in accountancy.",
        "birth_date": years_ago(25 if role == "Mentee" else 62),
        "languages": ["French", "Arabic"],
        "consent": True,
        **fields,
    }
    for name in ("first_name", "last_name", "email", "phone", "postcode", "country_of_origin"):
        app.text_input(key=f"apply-{name}").set_value(values[name])
    app.text_input(key="apply-other_languages").set_value(values["other_languages"])
    app.text_area(key="apply-goal").set_value(values["goal"])
    app.text_area(key="apply-background").set_value(values["background"])
    app.date_input(key="apply-birth_date").set_value(values["birth_date"])
    app.multiselect(key="apply-languages").set_value(values["languages"])
    app.checkbox(key="apply-consent").set_value(values["consent"])
    return app


def send(app: AppTest) -> AppTest:
    app.button(key="apply-send").click().run()
    assert_no_exception(app)
    return app


def people(workbook: Path) -> pd.DataFrame:
    return store_of(workbook).table("Participants").frame


def errors(app: AppTest) -> str:
    return "\n".join(str(element.value) for element in app.error)


def page_text(app: AppTest) -> str:
    parts = [*app.markdown, *app.success, *app.error, *app.info, *app.caption]
    return "\n".join(str(element.value) for element in parts)


def test_a_mentee_applies_in_french_and_registers_for_an_info_session(
    tmp_path: Path, workbook: Path
) -> None:
    before = len(people(workbook))
    app = fill(open_apply(tmp_path, "fr"))
    assert app.title[0].value == "Rejoindre DUO for a JOB"
    app.multiselect(key="apply-topics").set_value(["CV", "Network"])
    app.multiselect(key="apply-sectors").set_value(["ICT"])
    app.selectbox(key="apply-gender").set_value("Woman")
    app.checkbox(key="apply-slot-Mon AM").check()
    app.checkbox(key="apply-slot-Sat EVE").check()
    session_id = store_sessions(workbook, "Brussels")[0]
    app.radio(key="apply-session").set_value(session_id)
    send(app)

    rows = people(workbook)
    assert len(rows) == before + 1
    new = rows.iloc[-1]
    assert new["ID"] in page_text(app), "the confirmation gives the new ID as reference"
    assert "Merci, Amina" in page_text(app)
    expected = {
        "Role": "Mentee",
        "Status": "Applied",
        "First name": "Amina",
        "Last name": "El Idrissi",
        "Email": "amina.elidrissi@example.be",
        "Gender": "Woman",
        "Office": "Brussels",
        "Postcode": "1080",
        "Source": "Website form",
        "Country of origin": "Morocco",
        "Goal": "Work as an accountant.",
    }
    assert {name: new[name] for name in expected} == expected
    assert new["Languages"] == ["French", "Arabic"] and new["Topics"] == ["CV", "Network"]
    assert new["Availability"] == ["Mon AM", "Sat EVE"] and new["Sectors"] == ["ICT"]
    assert new["Birth date"].date() == years_ago(25)
    assert new["Applied on"].date() == TODAY and new["Consent on"].date() == TODAY
    attendance = store_of(workbook).table("Attendance").frame
    mine = attendance[attendance["Participant ID"] == new["ID"]]
    assert mine[["Session ID", "Status"]].values.tolist() == [[session_id, "Registered"]]


def store_sessions(workbook: Path, office: str) -> list[str]:
    """The open info sessions of an office, soonest first, as the form lists them."""
    choices = applications.form_choices(store_of(workbook), TODAY)
    return [session.id for session in choices.sessions_at(office)]


def test_a_mentor_applies_in_dutch_without_a_session_and_can_start_again(
    tmp_path: Path, workbook: Path
) -> None:
    app = fill(open_apply(tmp_path, "nl"), role="Mentor", office="Antwerp", first_name="Marc")
    assert app.title[0].value == "Doe mee met DUO for a JOB"
    assert app.text_area(key="apply-goal").label == "Waarom wil je mentor worden?"
    send(app)
    new = people(workbook).iloc[-1]
    assert (new["Role"], new["Office"], new["First name"]) == ("Mentor", "Antwerp", "Marc")
    assert "Bedankt, Marc" in page_text(app) and "startopleiding" in page_text(app)
    attendance = store_of(workbook).table("Attendance").frame
    assert new["ID"] not in set(attendance["Participant ID"])
    app.button(key="apply-another").click().run()
    assert app.radio(key="apply-role").value is None


def test_the_english_form_explains_who_may_join_and_shows_only_session_facts(
    tmp_path: Path, workbook: Path
) -> None:
    app = fill(open_apply(tmp_path, "en"))
    text = page_text(app)
    assert "between 18 and 33" in text and "50 or older" in text
    assert "2 hours a week for 6 months" in text and "outside the European Union" in text
    *labels, not_now = app.radio(key="apply-session").options
    assert not_now == "No session for now"
    assert len(labels) == len(store_sessions(workbook, "Brussels")) and all(
        label.count(" · ") == 3 for label in labels
    )
    assert all("S-" not in label and "At the office" not in label for label in labels)
    assert all(label.endswith("places left") for label in labels)


def test_formula_like_text_is_stored_as_text_in_the_xlsx(
    tmp_path: Path, file_workbook: Path
) -> None:
    typed = {
        "first_name": '=HYPERLINK("http://evil.example","click")',
        "last_name": "+SUM(1,2)",
        "goal": "-2+3",
        "background": "@SUM(A1)",
        "phone": "+32 470 12 34 56",
    }
    send(fill(open_apply(tmp_path, "en"), **typed))
    new_id = people(file_workbook).iloc[-1]["ID"]
    sheet = openpyxl.load_workbook(file_workbook)["Participants"]
    headers, _ = locate_headers(tab("Participants"), [cell.value for cell in sheet[1]])
    at = headers.positions
    row = next(r for r in sheet.iter_rows(min_row=2) if r[at["ID"]].value == new_id)
    columns = {"first_name": "First name", "last_name": "Last name", "goal": "Goal"}
    columns |= {"background": "Background", "phone": "Phone"}
    stored = {**typed, "phone": "+32470123456"}  # one form (E.164): still "+" first, still text
    for field, column in columns.items():
        cell = row[at[column]]
        assert (cell.value, cell.data_type) == (stored[field], "s"), column


def test_missing_and_malformed_fields_are_listed_and_what_was_typed_stays(
    tmp_path: Path, workbook: Path
) -> None:
    before = len(people(workbook))
    app = fill(open_apply(tmp_path, "en"), last_name="", email="amina-at-example", consent=False)
    send(app)
    message = errors(app)
    assert "has not been sent yet" in message and "- **Last name**" in message
    assert error_under(app, "apply-last_name") == "Please fill this in."
    assert "does not look like an e-mail address" in error_under(app, "apply-email")
    assert "agree that we keep your data" in error_under(app, "apply-consent")
    assert error_under(app, "apply-first_name") == ""
    assert app.text_input(key="apply-first_name").value == "Amina"
    assert app.text_input(key="apply-email").value == "amina-at-example"
    assert len(people(workbook)) == before


def test_an_age_outside_the_range_is_explained_and_nothing_is_written(
    tmp_path: Path, workbook: Path
) -> None:
    before = len(people(workbook))
    app = send(fill(open_apply(tmp_path, "fr"), birth_date=years_ago(40)))
    under = error_under(app, "apply-birth_date")
    assert "Les mentorés ont entre 18 et 33 ans" in under and "40 ans" in under
    app = send(fill(app, role="Mentor", birth_date=years_ago(45)))
    assert "au moins 50 ans" in errors(app)
    assert len(people(workbook)) == before


def test_oversized_input_is_refused_with_a_message_and_nothing_is_written(
    tmp_path: Path, workbook: Path
) -> None:
    """The widgets' max_chars is bypassed here, as a script posting to the app would."""
    before = len(people(workbook))
    app = send(fill(open_apply(tmp_path, "en"), first_name="A" * 81, goal="x" * 1001))
    assert "Too long: at most 80 characters, 81 typed" in error_under(app, "apply-first_name")
    assert "at most 1000 characters, 1001 typed" in error_under(app, "apply-goal")
    assert len(people(workbook)) == before


def test_a_filled_honeypot_pretends_success_and_writes_nothing(
    tmp_path: Path, workbook: Path
) -> None:
    before = store_of(workbook).read(["Participants", "Attendance"])
    app = fill(open_apply(tmp_path, "en"))
    app.text_input(key="apply-website").set_value("http://spam.example")
    send(app)
    assert "Thank you, Amina" in page_text(app) and "Your reference" in page_text(app)
    after = store_of(workbook).read(["Participants", "Attendance"])
    assert len(after["Participants"].frame) == len(before["Participants"].frame)
    assert len(after["Attendance"].frame) == len(before["Attendance"].frame)


def test_the_session_rate_limit_refuses_with_a_message_and_writes_nothing(
    tmp_path: Path, workbook: Path
) -> None:
    """Without a client address (a local connection), the browser session is the source."""
    before = len(people(workbook))
    for _ in range(3):
        applications.LIMITS.per_source.hit("session:this-browser")
    app = fill(open_apply(tmp_path, "en", state={"apply-session-key": "this-browser"}))
    send(app)
    assert "many applications in a short time" in errors(app)
    assert app.text_input(key="apply-last_name").value == "El Idrissi"
    assert len(people(workbook)) == before


def test_the_process_rate_limit_holds_for_every_session(tmp_path: Path, workbook: Path) -> None:
    before = len(people(workbook))
    for _ in range(60):
        applications.LIMITS.overall.hit()
    app = send(fill(open_apply(tmp_path, "nl")))
    assert "veel aanmeldingen in korte tijd" in errors(app)
    assert len(people(workbook)) == before


def test_a_second_application_with_the_same_email_is_flagged_and_not_revealed(
    tmp_path: Path, workbook: Path
) -> None:
    existing = people(workbook)
    known = existing[existing["Email"] != ""].iloc[0]
    app = send(fill(open_apply(tmp_path, "en"), email=known["Email"].upper()))
    new = people(workbook).iloc[-1]
    assert new["ID"] != known["ID"]
    assert new["Notes"] == f"Possible duplicate of {known['ID']} (same e-mail)"
    text = page_text(app)
    assert "Thank you, Amina" in text
    assert known["ID"] not in text and "duplicate" not in text.lower()


# -- limits per source and per e-mail, whatever the browser session -----------------------------

REAL_CONTEXT = streamlit.context


class ContextFrom:
    """`st.context` as a visitor from `address` gives it (AppTest has no client address)."""

    def __init__(self, address: str) -> None:
        self.ip_address = address

    def __getattr__(self, name: str) -> Any:
        return getattr(REAL_CONTEXT, name)


def from_address(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    """The sessions opened from now on come from `address`."""
    monkeypatch.setattr(streamlit, "context", ContextFrom(address))


def test_the_limit_per_visitor_survives_a_reload(
    tmp_path: Path, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applications.LIMITS, "per_source", SlidingWindowLimiter(1, 600))
    from_address(monkeypatch, "203.0.113.7")
    send(fill(open_apply(tmp_path, "en")))
    before = len(people(workbook))
    reloaded = send(fill(open_apply(tmp_path, "en"), email="someone.else@example.be"))
    assert "many applications in a short time" in errors(reloaded)
    assert len(people(workbook)) == before


def test_another_address_can_still_apply_when_one_address_has_used_its_hourly_share(
    tmp_path: Path, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(10):
        assert applications.LIMITS.source_share.hit("ip:203.0.113.7")
        assert applications.LIMITS.overall.hit()
    before = len(people(workbook))
    from_address(monkeypatch, "203.0.113.7")
    refused = send(fill(open_apply(tmp_path, "fr")))
    assert "depuis cette connexion ou avec cette adresse e-mail" in errors(refused)
    assert len(people(workbook)) == before
    from_address(monkeypatch, "198.51.100.9")
    accepted = send(fill(open_apply(tmp_path, "fr")))
    assert "Merci, Amina" in page_text(accepted)
    assert len(people(workbook)) == before + 1


def test_the_same_email_is_limited_whatever_the_address(
    tmp_path: Path, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applications.LIMITS, "per_email", SlidingWindowLimiter(1, 24 * 3600))
    from_address(monkeypatch, "203.0.113.7")
    send(fill(open_apply(tmp_path, "nl"), email="amina@example.be"))
    before = len(people(workbook))
    from_address(monkeypatch, "198.51.100.9")
    again = send(fill(open_apply(tmp_path, "nl"), email="Amina+2@Example.be"))
    assert "met dit e-mailadres" in errors(again)
    assert len(people(workbook)) == before
    other = send(fill(open_apply(tmp_path, "nl"), email="marc@example.be"))
    assert "Bedankt, Amina" in page_text(other), "the address itself may still apply"
