"""Participants and intake use cases against an in-memory copy of the demo workbook."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clock
from services.offices import OutOfOffice
from services.people import (
    INFO_SESSION_ON,
    NAME,
    PROFILE_COLUMNS,
    WAITING_DAYS,
    IntakeChoice,
    PeopleFilter,
    change_status,
    duos_of,
    find_people,
    history,
    info_session_attended_on,
    intake_choices,
    intake_queue,
    kept_order,
    list_options,
    matches_search,
    record_intake,
    resume_targets,
    save_profile,
    sessions_of,
)
from sheets.store import Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, store_of
from validation import InvalidInput
from workflow import (
    CompleteIntake,
    MarkTrained,
    TransitionError,
    Withdraw,
)

TODAY = clock.today()
Person = dict[str, Any]


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def record(row: pd.Series) -> dict[str, Any]:
    """A row as the pages see a record: column name -> value."""
    return {str(column): value for column, value in row.items()}


def tab(store: Store, name: str) -> pd.DataFrame:
    return store.table(name).frame


def someone(store: Store, test: Callable[[Person], bool]) -> Person:
    """The first person of the Participants tab who passes `test`, as the pages see a record."""
    for _, row in tab(store, "Participants").iterrows():
        person = record(row)
        if test(person):
            return person
    raise LookupError("no such person in the demo workbook")


def reread(store: Store, person_id: str) -> Person:
    return someone(store, lambda p: p["ID"] == person_id)


def is_(role: str, status: str, office: str = "Brussels") -> Callable[[Person], bool]:
    return lambda p: (p["Role"], p["Status"], p["Office"]) == (role, status, office)


def audit_of(store: Store, person_id: str) -> pd.DataFrame:
    audit = tab(store, "Audit")
    return audit[audit["Record ID"] == person_id]


# -- finding people ---------------------------------------------------------------------


def test_search_finds_a_person_by_name_ignoring_case_accents_and_word_order() -> None:
    person = {
        "ID": "P-AB12CD",
        "First name": "Zoé",
        "Last name": "Mertens",
        "Email": "",
        "Phone": "",
    }
    assert matches_search(person, ["mertens", "ZOE"])
    assert not matches_search(person, ["mertens", "anna"])


def test_search_finds_a_phone_number_typed_the_local_way() -> None:
    person = {"ID": "P-AB12CD", "First name": "A", "Last name": "B", "Phone": "+32 470 00 15 59"}
    assert matches_search(person, ["0470001559"])
    assert matches_search(person, ["p-ab12"])


def test_filters_keep_only_the_people_matching_every_one(store: Store) -> None:
    people, duos = tab(store, "Participants"), tab(store, "Duos")
    wanted = PeopleFilter(roles=["Mentee"], statuses=["Ready"], offices=["Antwerp"])
    found = find_people(people, duos, wanted, TODAY)
    assert not found.empty
    assert set(found["Role"]) == {"Mentee"}
    assert set(found["Status"]) == {"Ready"}
    assert set(found["Office"]) == {"Antwerp"}
    speakers = find_people(people, duos, PeopleFilter(languages=["Turkish"]), TODAY)
    assert all("Turkish" in languages for languages in speakers["Languages"])


def test_waiting_counts_from_the_application_or_from_being_ready(store: Store) -> None:
    people, duos = tab(store, "Participants"), tab(store, "Duos")
    found = find_people(people, duos, PeopleFilter(), TODAY).set_index("ID")
    applicant = someone(store, lambda p: p["Status"] == "Applied")
    applied = applicant["Applied on"].date()
    assert found.loc[applicant["ID"], WAITING_DAYS] == (TODAY - applied).days
    in_duo = someone(store, lambda p: p["Status"] == "In duo")
    assert pd.isna(found.loc[in_duo["ID"], WAITING_DAYS])
    long_waits = find_people(people, duos, PeopleFilter(min_waiting_days=30), TODAY)
    assert (long_waits[WAITING_DAYS] >= 30).all()


def test_lists_offer_the_lists_tab_then_the_persons_own_values(store: Store) -> None:
    options = list_options(tab(store, "Lists"), "Sectors", ["Beekeeping", "ICT"])
    assert options[0] == "ICT"
    assert options[-1] == "Beekeeping"
    assert options.count("ICT") == 1


def test_chosen_values_keep_the_order_the_cell_had() -> None:
    assert kept_order(["Tue AM", "Mon PM"], ["Mon PM", "Tue AM", "Sun EVE"]) == [
        "Tue AM",
        "Mon PM",
        "Sun EVE",
    ]


def test_someone_on_hold_resumes_to_the_status_noted_or_to_ready() -> None:
    noted = {"Role": "Mentor", "Notes": "2026-01-02 On hold (was Trained): holiday"}
    assert resume_targets(noted) == ["Trained", "Ready"]
    unknown = {"Role": "Mentee", "Notes": ""}
    assert "Trained" not in resume_targets(unknown)
    assert "Ready" in resume_targets(unknown)


def test_a_profile_lists_the_persons_duos_and_sessions(store: Store) -> None:
    duos, people = tab(store, "Duos"), tab(store, "Participants")
    mentee_id = str(duos.iloc[0]["Mentee ID"])
    mine = duos_of(duos, people, mentee_id)
    assert str(duos.iloc[0]["ID"]) in set(mine["ID"])
    assert set(mine["Role"]) == {"Mentee"}
    attendance, sessions = tab(store, "Attendance"), tab(store, "Sessions")
    attendee = str(attendance.iloc[0]["Participant ID"])
    assert not sessions_of(attendance, sessions, attendee).empty


# -- saving a profile -------------------------------------------------------------------


def test_saving_a_profile_writes_only_the_changed_cells(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    outcome = save_profile(
        store, BRUSSELS, person, {"Goal": "Work as a nurse", "First name": person["First name"]}
    )
    assert outcome.ok
    assert reread(store, person["ID"])["Goal"] == "Work as a nurse"
    details = audit_of(store, person["ID"])["Details"].tolist()
    assert details == ["Goal"]


def test_saving_an_unchanged_profile_writes_nothing(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    outcome = save_profile(store, ADMIN, person, {"Goal": person["Goal"]})
    assert outcome.message.key == "services.nothing_changed"
    assert audit_of(store, person["ID"]).empty


def test_a_cell_changed_meanwhile_in_the_sheet_comes_back_as_a_conflict(
    store: Store, workbook: Path
) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    store_of(workbook).update("Participants", person["ID"], {"Goal": "Theirs"}, "staff")
    outcome = save_profile(store, ADMIN, person, {"Goal": "Mine"})
    assert [conflict.column for _, conflict in outcome.conflicts] == ["Goal"]
    assert reread(store, person["ID"])["Goal"] == "Theirs"


def test_a_coordinator_cannot_change_a_person_of_another_office(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    with pytest.raises(OutOfOffice):
        save_profile(store, ANTWERP, person, {"Goal": "Mine"})
    with pytest.raises(OutOfOffice):
        save_profile(store, BRUSSELS, person, {"Office": "Antwerp"})
    assert reread(store, person["ID"])["Office"] == "Brussels"


def test_the_status_is_not_a_profile_field(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    with pytest.raises(ValueError):
        save_profile(store, ADMIN, person, {"Status": "Alumni"})


# -- status steps -----------------------------------------------------------------------


def test_withdrawing_sets_the_status_and_notes_the_reason(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    change_status(store, BRUSSELS, person, Withdraw(TODAY, "Moved to Ghent"), tab(store, "Duos"))
    after = reread(store, person["ID"])
    assert after["Status"] == "Withdrawn"
    assert after["Notes"].endswith(f"{TODAY.isoformat()} Withdrawn: Moved to Ghent")
    assert "withdraw" in set(audit_of(store, person["ID"])["Action"])


def test_an_illegal_or_incomplete_status_step_is_refused(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    duos = tab(store, "Duos")
    with pytest.raises(TransitionError):
        change_status(store, ADMIN, person, MarkTrained(TODAY), duos)
    with pytest.raises(TransitionError):
        change_status(store, ADMIN, person, Withdraw(TODAY, "  "), duos)
    with pytest.raises(OutOfOffice):
        change_status(store, ANTWERP, person, Withdraw(TODAY, "No"), duos)
    assert reread(store, person["ID"])["Status"] == "Ready"


def test_the_history_shows_what_the_app_changed_to_admins_and_the_office_only(
    store: Store,
) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    save_profile(store, ADMIN, person, {"Preferences": "Mornings"})
    rows = history(store, BRUSSELS, person)
    assert rows["Details"].tolist() == ["Preferences"]
    assert rows["Who"].tolist() == [ADMIN.email]
    with pytest.raises(OutOfOffice):
        history(store, ANTWERP, person)


# -- intake -----------------------------------------------------------------------------


def test_the_intake_queue_holds_applicants_longest_waiting_first(store: Store) -> None:
    queue = intake_queue(
        tab(store, "Participants"), tab(store, "Attendance"), tab(store, "Sessions"), TODAY
    )
    assert set(queue["Status"]) <= {"Applied", "Info session"}
    waits = queue[WAITING_DAYS].dropna().tolist()
    assert waits == sorted(waits, reverse=True)
    attended = queue[queue[INFO_SESSION_ON].notna()]
    assert not attended.empty
    assert queue[NAME].str.len().min() > 0


def test_completing_the_intake_writes_profile_and_status_in_one_row_write(
    store: Store,
) -> None:
    person = someone(store, lambda p: p["Status"] == "Info session" and p["Role"] == "Mentee")
    profile = {"Goal": "Become an electrician", "Availability": ["Mon AM", "Wed PM"]}
    outcome = record_intake(
        store, ADMIN, person, profile, CompleteIntake(TODAY, ready=True), duos=tab(store, "Duos")
    )
    assert outcome.ok
    after = reread(store, person["ID"])
    assert after["Status"] == "Ready"
    assert after["Intake on"].date() == TODAY
    assert after["Goal"] == "Become an electrician"
    assert after["Availability"] == ["Mon AM", "Wed PM"]
    audit = audit_of(store, person["ID"])
    assert audit["Action"].tolist() == ["intake"]


def test_eligibility_warnings_must_be_acknowledged_to_complete_the_intake(
    store: Store,
) -> None:
    person = someone(store, lambda p: p["Status"] == "Info session" and p["Role"] == "Mentee")
    too_old = {"Birth date": TODAY.replace(year=TODAY.year - 40) - timedelta(days=1)}
    duos = tab(store, "Duos")
    with pytest.raises(TransitionError) as refused:
        record_intake(store, ADMIN, person, too_old, CompleteIntake(TODAY), duos=duos)
    assert refused.value.msg.key == "validation.confirm_first"
    assert isinstance(refused.value, InvalidInput)
    assert [(p.field, p.msg.key) for p in refused.value.problems] == [
        ("Birth date", "workflow.mentee_age")
    ]
    assert reread(store, person["ID"])["Status"] == "Info session"
    record_intake(
        store, ADMIN, person, too_old, CompleteIntake(TODAY), duos=duos, acknowledged=True
    )
    assert reread(store, person["ID"])["Status"] == "Intake done"


def test_withdrawing_at_intake_needs_a_reason_and_no_acknowledgement(store: Store) -> None:
    person = someone(store, lambda p: p["Status"] == "Info session")
    duos = tab(store, "Duos")
    with pytest.raises(TransitionError):
        record_intake(store, ADMIN, person, {}, Withdraw(TODAY, ""), duos=duos)
    no_language = {"Languages": ["Tigrinya"]}
    record_intake(
        store, ADMIN, person, no_language, Withdraw(TODAY, "No common language"), duos=duos
    )
    after = reread(store, person["ID"])
    assert after["Status"] == "Withdrawn"
    assert after["Languages"] == ["Tigrinya"]


def test_an_applicant_who_attended_a_session_goes_through_info_session_to_intake_done(
    store: Store,
) -> None:
    person = someone(store, lambda p: p["Status"] == "Applied")
    duos = tab(store, "Duos")
    assert IntakeChoice.COMPLETE not in intake_choices(person, duos, None)
    with pytest.raises(TransitionError):
        record_intake(store, ADMIN, person, {}, CompleteIntake(TODAY), duos=duos, acknowledged=True)
    attended = TODAY - timedelta(days=3)
    assert IntakeChoice.COMPLETE in intake_choices(person, duos, attended)
    record_intake(
        store,
        ADMIN,
        person,
        {},
        CompleteIntake(TODAY),
        duos=duos,
        attended_on=attended,
        acknowledged=True,
    )
    assert reread(store, person["ID"])["Status"] == "Intake done"


def test_the_last_info_session_attended_is_found(store: Store) -> None:
    attendance, sessions = tab(store, "Attendance"), tab(store, "Sessions")
    queue = intake_queue(tab(store, "Participants"), attendance, sessions, TODAY)
    row = queue[queue[INFO_SESSION_ON].notna()].iloc[0]
    found = info_session_attended_on(attendance, sessions, str(row["ID"]))
    assert found == row[INFO_SESSION_ON].date()


def test_saving_the_intake_profile_only_keeps_the_status_and_records_consent(
    store: Store,
) -> None:
    person = someone(store, lambda p: p["Status"] in ("Applied", "Info session"))
    record_intake(store, ADMIN, person, {"Consent on": TODAY}, None, duos=tab(store, "Duos"))
    after = reread(store, person["ID"])
    assert after["Status"] == person["Status"]
    assert after["Consent on"].date() == TODAY
    assert audit_of(store, person["ID"])["Details"].tolist() == ["Consent on"]


# -- phone numbers ---------------------------------------------------------------------


def searched(person: Person, query: str) -> bool:
    """Whether the participants page finds the person by this query (its words)."""
    return matches_search(person, query.split())


@pytest.mark.parametrize("stored", ["+32470123456", "0470 12 34 56", "0032 470/12.34.56"])
@pytest.mark.parametrize("query", ["0470 12 34 56", "+32 470 12 34 56", "0032470123456"])
def test_search_finds_a_phone_number_whatever_the_shape_it_was_stored_or_typed_in(
    stored: str, query: str
) -> None:
    person = {"ID": "P-AB12CD", "First name": "A", "Last name": "B", "Phone": stored}
    assert searched(person, query)


def test_search_finds_a_foreign_number_and_part_of_a_number() -> None:
    person = {"ID": "P-AB12CD", "First name": "Zoé", "Last name": "B", "Phone": "+33612345678"}
    assert searched(person, "+33 6 12 34 56 78")
    assert searched(person, "0033 6 12 34 56 78")
    assert searched(person, "zoe 06 12 34")
    assert not searched(person, "+32 6 12 34 56 78")
    assert not searched(person, "anna 06 12 34")


def test_search_does_not_find_a_different_number() -> None:
    person = {"ID": "P-AB12CD", "First name": "A", "Last name": "B", "Phone": "+32470123456"}
    assert not searched(person, "0470 12 34 57")
    assert not searched(person, "0471 12 34 56")


def test_the_search_of_the_participants_page_finds_a_number_typed_by_hand(
    store: Store, workbook: Path
) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    store_of(workbook).update("Participants", person["ID"], {"Phone": "0470 99 88 77"}, "staff")
    people, duos = tab(store_of(workbook), "Participants"), tab(store, "Duos")
    found = find_people(people, duos, PeopleFilter(text="+32 470 99 88 77"), TODAY)
    assert found["ID"].tolist() == [person["ID"]]


def test_a_new_phone_number_is_saved_in_its_international_form(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    assert save_profile(store, ADMIN, person, {"Phone": "0033 6 12 34 56 78"}).ok
    assert reread(store, person["ID"])["Phone"] == "+33612345678"


def test_the_same_number_in_another_shape_is_no_change(store: Store, workbook: Path) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    store_of(workbook).update("Participants", person["ID"], {"Phone": "0470 99 88 77"}, "staff")
    person = reread(store_of(workbook), person["ID"])
    outcome = save_profile(store_of(workbook), ADMIN, person, {"Phone": "+32 470 99 88 77"})
    assert outcome.message.key == "services.nothing_changed"
    assert reread(store_of(workbook), person["ID"])["Phone"] == "0470 99 88 77"


def test_a_phone_that_cannot_be_read_as_a_number_is_refused_and_nothing_written(
    store: Store,
) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    with pytest.raises(InvalidInput) as refused:
        save_profile(store, ADMIN, person, {"Phone": "ask her sister"})
    assert [(p.field, p.msg.key) for p in refused.value.problems] == [
        ("Phone", "validation.phone_shape")
    ]
    assert reread(store, person["ID"])["Phone"] == person["Phone"]


def test_the_intake_profile_saves_the_phone_in_its_international_form(store: Store) -> None:
    person = someone(store, lambda p: p["Status"] in ("Applied", "Info session"))
    record_intake(store, ADMIN, person, {"Phone": "0470 99 88 77"}, None, duos=tab(store, "Duos"))
    assert reread(store, person["ID"])["Phone"] == "+32470998877"


# -- the field rules of the profile form (validation.py) ------------------------------------


@pytest.mark.parametrize(
    ("column", "typed", "key"),
    [
        ("First name", "", "validation.required"),
        ("Email", "not-an-email", "validation.email_shape"),
        ("Phone", "call me maybe", "validation.phone_shape"),
        ("Notes", "x" * 5000, "validation.too_long"),
        ("Birth date", TODAY + timedelta(days=3), "validation.birth_date_implausible"),
    ],
)
def test_the_profile_form_refuses_a_value_that_breaks_a_rule_and_writes_nothing(
    store: Store, column: str, typed: Any, key: str
) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    audit_before = len(tab(store, "Audit"))
    with pytest.raises(InvalidInput) as refused:
        save_profile(store, ADMIN, person, {column: typed, "Goal": "A new goal"})
    assert [(p.field, p.msg.key) for p in refused.value.problems] == [(column, key)]
    assert refused.value.msg.key == "validation.fix_fields"
    assert reread(store, person["ID"])["Goal"] == person["Goal"]
    assert len(tab(store, "Audit")) == audit_before


def test_a_mentee_aged_45_is_saved_only_once_the_warning_is_acknowledged(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    born = TODAY.replace(year=TODAY.year - 45)
    with pytest.raises(InvalidInput) as refused:
        save_profile(store, ADMIN, person, {"Birth date": born})
    assert refused.value.msg.key == "validation.confirm_first"
    assert [(p.field, p.severity) for p in refused.value.problems] == [("Birth date", "warning")]
    assert reread(store, person["ID"])["Birth date"] == person["Birth date"]
    assert save_profile(store, ADMIN, person, {"Birth date": born}, acknowledged=True).ok
    assert pd.Timestamp(reread(store, person["ID"])["Birth date"]).date() == born


def test_a_value_typed_by_hand_that_breaks_a_rule_does_not_block_another_field(
    store: Store,
) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    staff_typed = {"Email": "ask at the desk", "First name": ""}
    store.update("Participants", person["ID"], staff_typed, "staff")
    person = reread(store, person["ID"])
    assert save_profile(store, ADMIN, person, {**person_fields(person), "Goal": "Work"}).ok
    assert reread(store, person["ID"])["Goal"] == "Work"
    with pytest.raises(InvalidInput):
        save_profile(store, ADMIN, person, {"Email": "still not one"})


def test_changing_the_role_judges_the_eligibility_again(store: Store) -> None:
    person = someone(store, is_("Mentee", "Ready"))
    with pytest.raises(InvalidInput) as refused:
        save_profile(store, ADMIN, person, {"Role": "Mentor"})
    assert [p.msg.key for p in refused.value.problems] == ["workflow.mentor_age"]


def person_fields(person: Person) -> dict[str, Any]:
    """Every profile field as the form sends it back untouched."""
    return {name: person.get(name) for name in PROFILE_COLUMNS}
