"""The intake form's rules and writes, against an in-memory copy of the demo data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clock
from ratelimit import SlidingWindowLimiter
from services.applications import (
    Application,
    ApplicationRefused,
    FormChoices,
    SessionOption,
    SubmissionLimits,
    clean_text,
    duplicate_note,
    form_choices,
    open_sessions,
    problems,
    same_email,
    submit,
)
from tests.apptest import store_of
from tests.test_services_duos import CountingStore

TODAY = dt.date(2026, 11, 26)
CHOICES = FormChoices(
    offices=("Brussels", "Antwerp"),
    languages=("French", "Dutch", "English", "Arabic"),
    sectors=("ICT", "Retail"),
    topics=("CV", "Network"),
    sessions=(
        SessionOption("S-BXL", dt.date(2026, 12, 2), "Brussels", "French", 3),
        SessionOption("S-ANT", dt.date(2026, 12, 3), "Antwerp", "Dutch", None),
    ),
    retention_years=3,
)
GOOD = Application(
    role="Mentee",
    first_name="Amina",
    last_name="El Idrissi",
    email="amina@example.be",
    phone="+32 470 12 34 56",
    birth_date=dt.date(2001, 4, 5),
    gender="Woman",
    office="Brussels",
    languages=("French", "Arabic"),
    availability=("Mon AM",),
    consent=True,
)


def fields_of(application: Application, choices: FormChoices = CHOICES) -> list[str]:
    return [problem.field for problem in problems(application, choices, TODAY)]


def keys_of(application: Application) -> list[str]:
    return [problem.msg.key for problem in problems(application, CHOICES, TODAY)]


@pytest.fixture
def limits() -> SubmissionLimits:
    return SubmissionLimits()


# -- the rules (pure) ---------------------------------------------------------------------


def test_a_complete_application_has_no_problem() -> None:
    assert problems(GOOD, CHOICES, TODAY) == []


def test_required_fields_and_consent_are_named() -> None:
    empty = Application()
    assert fields_of(empty) == [
        "role",
        "first_name",
        "last_name",
        "email",
        "birth_date",
        "office",
        "consent",
    ]
    assert "languages" in fields_of(Application(role="Mentee"))


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("first_name", 80),
        ("last_name", 80),
        ("email", 120),
        ("phone", 40),
        ("postcode", 12),
        ("country_of_origin", 80),
        ("goal", 1000),
        ("background", 1000),
    ],
)
def test_every_text_field_has_a_length_limit(field: str, limit: int) -> None:
    at_limit = "0470 12 34 56".rjust(limit) if field == "phone" else "a" * limit
    over = at_limit + at_limit[0]
    if field == "email":
        at_limit, over = "a" * (limit - 11) + "@example.be", "a" * (limit - 10) + "@example.be"
    fits: dict[str, Any] = {field: at_limit}
    too_long: dict[str, Any] = {field: over}
    assert field not in fields_of(replace(GOOD, **fits))
    refused = problems(replace(GOOD, **too_long), CHOICES, TODAY)
    assert [(p.field, p.msg.key, p.msg.params["limit"]) for p in refused] == [
        (field, "validation.too_long", limit)
    ]


def test_email_and_phone_must_have_their_shape() -> None:
    for email in ("amina", "amina@", "amina@example", "a b@example.be", "@example.be"):
        assert keys_of(replace(GOOD, email=email)) == ["validation.email_shape"], email
    for phone in ("call me", "12345", "=1+2"):
        assert keys_of(replace(GOOD, phone=phone)) == ["validation.phone_shape"], phone
    assert problems(replace(GOOD, phone="", email="a.b-c@mail.example.be"), CHOICES, TODAY) == []


def test_a_birth_date_in_the_future_or_over_100_years_ago_is_implausible() -> None:
    for birth in (TODAY + dt.timedelta(days=1), dt.date(1900, 1, 1)):
        assert keys_of(replace(GOOD, birth_date=birth)) == ["validation.birth_date_implausible"]


def test_ages_outside_the_programme_are_explained_with_the_age() -> None:
    too_old = problems(replace(GOOD, birth_date=dt.date(1990, 1, 1)), CHOICES, TODAY)
    assert [(p.msg.key, p.msg.params["age"]) for p in too_old] == [("workflow.mentee_age", 36)]
    too_young = replace(GOOD, birth_date=dt.date(2010, 1, 1))
    assert keys_of(too_young) == ["workflow.mentee_age"]
    young_mentor = replace(GOOD, role="Mentor", birth_date=dt.date(1980, 1, 1))
    assert keys_of(young_mentor) == ["workflow.mentor_age"]
    assert keys_of(replace(GOOD, birth_date=dt.date(1992, 11, 26))) == ["workflow.mentee_age"]
    assert keys_of(replace(GOOD, birth_date=dt.date(1992, 11, 27))) == [], "33 the day before 34"


def test_values_the_form_never_offered_are_refused() -> None:
    bypassed = replace(
        GOOD,
        office="Paris",
        gender="Robot",
        languages=("French", "Klingon"),
        sectors=("Piracy",),
        topics=("CV", "Hacking"),
        availability=("Mon AM", "Mon NIGHT"),
    )
    assert sorted(fields_of(bypassed)) == sorted(
        ["languages", "sectors", "topics", "availability", "office", "gender"]
    )


def test_the_duo_needs_a_programme_language_also_typed_as_other() -> None:
    assert keys_of(replace(GOOD, languages=("Arabic",))) == ["workflow.no_programme_language"]
    assert keys_of(replace(GOOD, languages=("Arabic",), other_languages="Néerlandais")) == []
    assert keys_of(replace(GOOD, other_languages=", ".join(["Wolof"] * 11))) == [
        "apply.other_languages_shape"
    ]
    assert keys_of(replace(GOOD, other_languages="x" * 41)) == ["apply.other_languages_shape"]


def test_only_an_open_session_of_the_chosen_office_may_be_chosen() -> None:
    assert keys_of(replace(GOOD, session_id="S-BXL")) == []
    assert keys_of(replace(GOOD, session_id="S-ANT")) == ["apply.session_unavailable"]
    assert keys_of(replace(GOOD, session_id="S-GONE")) == ["apply.session_unavailable"]


def test_clean_text_drops_control_characters_a_workbook_cannot_hold() -> None:
    assert clean_text("Am\x00ina\x1b  El\nIdrissi ") == "Am ina El Idrissi"
    assert clean_text("line 1\nline\t2\x07", multiline=True) == "line 1\nline\t2"


def test_open_sessions_are_future_info_sessions_with_places_left() -> None:
    sessions = pd.DataFrame(
        {
            "ID": ["S-1", "S-2", "S-3", "S-4", "S-5"],
            "Kind": ["Info session", "Info session", "Training", "Info session", "Info session"],
            "Date": pd.to_datetime(
                ["2026-12-01", "2026-11-25", "2026-12-01", "2026-11-26", "2026-12-05"]
            ),
            "Office": ["Brussels"] * 5,
            "Language": ["French"] * 5,
            "Capacity": [2.0, 20.0, 20.0, float("nan"), 1.0],
        }
    )
    attendance = pd.DataFrame(
        {
            "Session ID": ["S-1", "S-1", "S-5", "S-1"],
            "Participant ID": ["P-1", "P-2", "P-3", "P-4"],
            "Status": ["Registered", "Absent", "Attended", "Attended"],
        }
    )
    found = open_sessions(sessions, attendance, TODAY)
    assert [(s.id, s.places_left) for s in found] == [("S-4", None)]
    assert [(s.id, s.places_left) for s in open_sessions(sessions, attendance.head(2), TODAY)] == [
        ("S-4", None),
        ("S-1", 1),
        ("S-5", 1),
    ]


def test_duplicates_are_found_whatever_the_case_and_named_in_a_note() -> None:
    people = pd.DataFrame(
        {"ID": ["P-1", "P-2", "P-3"], "Email": ["Amina@Example.be", "", "amina@example.be "]}
    )
    assert same_email(people, " AMINA@example.BE") == ["P-1", "P-3"]
    assert same_email(people, "") == []
    assert duplicate_note(["P-1", "P-3"]) == "Possible duplicate of P-1, P-3 (same e-mail)"
    assert duplicate_note([]) == ""


# -- against the workbook -------------------------------------------------------------------


def test_the_choices_come_from_the_lists_tab_and_open_sessions(workbook: Path) -> None:
    choices = form_choices(store_of(workbook), clock.today())
    assert choices.offices == ("Brussels", "Antwerp", "Liège")
    assert choices.languages[:3] == ("French", "Dutch", "English")
    assert "CV" in choices.topics and "ICT" in choices.sectors
    assert choices.sessions and all(s.date >= clock.today() for s in choices.sessions)
    assert choices.retention_years == 3


def test_submit_writes_the_participant_and_the_registration(
    workbook: Path, limits: SubmissionLimits
) -> None:
    store = store_of(workbook)
    session = form_choices(store, clock.today()).sessions_at("Brussels")[0]
    application = replace(GOOD, first_name=" Amina\x00 ", session_id=session.id)
    outcome = submit(store, application, TODAY, session_key="s", limits=limits)
    [new_id] = outcome.ids
    person = store.table("Participants").frame.set_index("ID").loc[new_id]
    assert (person["First name"], person["Status"], person["Source"]) == (
        "Amina",
        "Applied",
        "Website form",
    )
    assert person["Consent on"].date() == TODAY and person["Notes"] == ""
    attendance = store.table("Attendance").frame
    assert attendance.iloc[-1][["Session ID", "Participant ID", "Status"]].tolist() == [
        session.id,
        new_id,
        "Registered",
    ]
    audit = store.table("Audit").frame
    assert set(audit[audit["Who"] == "Website form"]["Action"]) == {
        "apply",
        "register_info_session",
        "queue_message",
    }


def test_an_application_sent_again_with_its_id_leaves_one_person_and_one_registration(
    demo_grids: dict[str, list[list[Any]]], limits: SubmissionLimits
) -> None:
    store = CountingStore(demo_grids)
    session = form_choices(store, clock.today()).sessions_at("Brussels")[0]
    application = replace(GOOD, session_id=session.id)
    first = submit(store, application, TODAY, session_key="s", limits=limits)
    assert len(store.units) == 1
    [person_id] = first.ids
    again = submit(store, application, TODAY, session_key="s", limits=limits, record_id=person_id)
    assert again.ids == [person_id]
    people = store.table("Participants").frame
    assert (people["ID"] == person_id).sum() == 1
    assert people.set_index("ID").loc[person_id, "Notes"] == ""
    attendance = store.table("Attendance").frame
    assert (attendance["Participant ID"] == person_id).sum() == 1


def test_a_refused_application_writes_nothing_and_lists_every_problem(
    workbook: Path, limits: SubmissionLimits
) -> None:
    store = store_of(workbook)
    writes = store.status().writes
    with pytest.raises(ApplicationRefused) as refused:
        submit(store, replace(GOOD, email="nope", consent=False), TODAY, session_key="s")
    assert [p.field for p in refused.value.problems] == ["email", "consent"]
    assert store.status().writes == writes
    assert limits.per_session.allows("s"), "a refused application uses up no quota"


def test_a_bot_gets_a_reference_but_nothing_is_written_or_counted(
    workbook: Path, limits: SubmissionLimits
) -> None:
    store = store_of(workbook)
    writes = store.status().writes
    bot = replace(GOOD, honeypot="http://spam.example")
    outcome = submit(store, bot, TODAY, session_key="bot", limits=limits)
    assert outcome.ids[0].startswith("P-") and outcome.message.key == "apply.received"
    assert outcome.ids[0] not in set(store.table("Participants").frame["ID"])
    assert store.status().writes == writes
    assert limits.overall.allows() and limits.per_session.allows("bot")


def test_the_fourth_application_of_a_session_within_ten_minutes_is_refused(
    workbook: Path,
) -> None:
    clock = [0.0]
    limits = SubmissionLimits(
        SlidingWindowLimiter(3, 600, lambda: clock[0]),
        SlidingWindowLimiter(60, 3600, lambda: clock[0]),
    )
    store = store_of(workbook)
    for number in range(3):
        submit(store, replace(GOOD, first_name=f"A{number}"), TODAY, session_key="s", limits=limits)
    count = len(store.table("Participants").frame)
    with pytest.raises(ApplicationRefused) as refused:
        submit(store, GOOD, TODAY, session_key="s", limits=limits)
    assert refused.value.msg.key == "apply.too_many"
    assert len(store.table("Participants").frame) == count
    clock[0] = 601
    assert submit(store, GOOD, TODAY, session_key="s", limits=limits).ids


def test_a_known_email_is_flagged_in_the_notes_and_the_outcome_is_the_same(
    workbook: Path, limits: SubmissionLimits
) -> None:
    store = store_of(workbook)
    people = store.table("Participants").frame
    known = people[people["Email"] != ""].iloc[0]
    fresh = submit(store, GOOD, TODAY, session_key="a", limits=limits)
    again = submit(
        store, replace(GOOD, email=known["Email"].upper()), TODAY, session_key="b", limits=limits
    )
    assert fresh.message == again.message
    notes = store.table("Participants").frame.set_index("ID")["Notes"]
    assert notes[fresh.ids[0]] == ""
    assert notes[again.ids[0]] == f"Possible duplicate of {known['ID']} (same e-mail)"


# -- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["0470 12 34 56", "+32 470 12 34 56", "0032 470 12 34 56", "+33 6 12 34 56 78"]
)
def test_a_phone_number_in_any_usual_shape_is_accepted(phone: str) -> None:
    assert problems(replace(GOOD, phone=phone), CHOICES, TODAY) == []


def test_a_phone_number_that_cannot_be_read_is_refused_with_the_shape_message() -> None:
    for phone in ("0470 12 34", "1" * 20, "+32 470 12 34 56 ext. 3"):
        assert keys_of(replace(GOOD, phone=phone)) == ["validation.phone_shape"], phone


@pytest.mark.parametrize(
    ("phone", "stored"),
    [("0470 12 34 56", "+32470123456"), ("+212 6 12 34 56 78", "+212612345678")],
)
def test_the_phone_number_is_stored_in_its_international_form(phone: str, stored: str) -> None:
    from services.applications import participant_record

    assert participant_record(replace(GOOD, phone=phone), TODAY)["Phone"] == stored
