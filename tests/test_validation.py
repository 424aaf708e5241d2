"""The field rules of every form (validation.py): each rule, its field and its severity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from meetings import DuoTerms, MeetingEntry
from validation import (
    ERROR,
    WARNING,
    CheckInEntry,
    EvaluationEntry,
    InvalidInput,
    Problem,
    check,
    check_in_problems,
    check_in_row_problems,
    duo_step_problems,
    evaluation_problems,
    judged,
    meeting_problems,
    meeting_row_problems,
    person_problems,
)
from workflow import Decline, EndEarly, PlanIntro

TODAY = date(2026, 11, 26)
MENTEE: dict[str, Any] = {
    "Role": "Mentee",
    "First name": "Amina",
    "Last name": "Diallo",
    "Email": "amina@example.be",
    "Phone": "+32470123456",
    "Birth date": date(2000, 5, 1),
    "Languages": ["French", "Fula"],
    "Residence": "Long-term",
    "Origin": "Non-EU nationality",
    "Looking for": "Work",
    "Notes": "",
}
IMPLAUSIBLE = "validation.birth_date_implausible"
MENTOR: dict[str, Any] = {**MENTEE, "Role": "Mentor", "Birth date": date(1965, 2, 2)}


def found(person: dict[str, Any], **changed: Any) -> list[tuple[str, str, str]]:
    problems = person_problems({**person, **changed}, TODAY)
    return [(p.field, p.msg.key, str(p.severity)) for p in problems]


def test_a_person_who_meets_every_rule_has_no_problem() -> None:
    assert found(MENTEE) == []
    assert found(MENTOR) == []


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ({"First name": " "}, ("First name", "validation.required")),
        ({"Last name": ""}, ("Last name", "validation.required")),
        ({"Role": ""}, ("Role", "validation.role_required")),
        ({"Email": "not-an-email"}, ("Email", "validation.email_shape")),
        ({"Phone": "call me maybe"}, ("Phone", "validation.phone_shape")),
        ({"Phone": "12345"}, ("Phone", "validation.phone_shape")),
        ({"Notes": "x" * 5000}, ("Notes", "validation.too_long")),
        ({"Goal": "x" * 1001}, ("Goal", "validation.too_long")),
        ({"Birth date": TODAY + timedelta(days=1)}, ("Birth date", IMPLAUSIBLE)),
        ({"Birth date": date(1900, 1, 1)}, ("Birth date", IMPLAUSIBLE)),
    ],
)
def test_each_error_names_its_field_and_blocks(
    changed: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert found(MENTEE, **changed) == [(*expected, "error")]


@pytest.mark.parametrize(
    ("person", "changed", "expected"),
    [
        (MENTEE, {"Birth date": date(1992, 11, 1)}, ("Birth date", "workflow.mentee_age")),
        (MENTEE, {"Birth date": date(2010, 1, 1)}, ("Birth date", "workflow.mentee_age")),
        (MENTEE, {"Birth date": None}, ("Birth date", "workflow.birth_date_missing")),
        (MENTOR, {"Birth date": date(1980, 1, 1)}, ("Birth date", "workflow.mentor_age")),
        (MENTEE, {"Languages": ["Arabic"]}, ("Languages", "workflow.no_programme_language")),
        (MENTEE, {"Residence": "Temporary"}, ("Residence", "workflow.residence_not_met")),
        (MENTEE, {"Origin": "Neither"}, ("Origin", "workflow.origin_not_met")),
        (MENTEE, {"Looking for": "Neither"}, ("Looking for", "workflow.looking_for_not_met")),
    ],
)
def test_each_eligibility_condition_not_met_is_a_warning_naming_it(
    person: dict[str, Any], changed: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert found(person, **changed) == [(*expected, "warning")]


def test_the_age_warning_counts_full_years_on_the_day_judged() -> None:
    assert found(MENTEE, **{"Birth date": date(1992, 11, 27)}) == []  # 33 until tomorrow
    assert found(MENTEE, **{"Birth date": date(1992, 11, 26)})[0][1] == "workflow.mentee_age"


def test_unknown_or_blank_conditions_warn_of_nothing_and_mentors_have_none() -> None:
    assert found(MENTEE, Residence="Unknown", Origin="", **{"Looking for": ""}) == []
    assert found(MENTOR, Residence="Temporary", Origin="Neither") == []


def test_an_impossible_birth_date_is_said_once_as_an_error() -> None:
    keys = [key for _, key, _ in found(MENTEE, **{"Birth date": TODAY + timedelta(days=9)})]
    assert keys == ["validation.birth_date_implausible"]


def test_only_the_fields_being_changed_are_judged() -> None:
    typed_by_hand = {**MENTEE, "Email": "ask at the desk", "Birth date": date(1980, 1, 1)}
    problems = person_problems(typed_by_hand, TODAY)
    assert judged(problems, {"Goal"}) == []
    assert [p.field for p in judged(problems, {"Email"})] == ["Email"]
    assert [p.field for p in judged(problems, {"Role"})] == ["Birth date"]


def test_errors_always_refuse_and_warnings_refuse_until_acknowledged() -> None:
    error = Problem("Email", person_problems({**MENTEE, "Email": "x"}, TODAY)[0].msg, ERROR)
    warning = Problem("Birth date", error.msg, WARNING)
    with pytest.raises(InvalidInput) as refused:
        check([error, warning], acknowledged=True)
    assert refused.value.msg.key == "validation.fix_fields"
    assert refused.value.errors == [error] and refused.value.warnings == [warning]
    with pytest.raises(InvalidInput) as unconfirmed:
        check([warning])
    assert unconfirmed.value.msg.key == "validation.confirm_first"
    check([warning], acknowledged=True)
    check([])


# -- meetings, check-ins, evaluations -------------------------------------------------------

TERMS = DuoTerms(date(2026, 9, 1), ("CV", "Network"))


def meeting_fields(entry: MeetingEntry) -> list[tuple[str, str]]:
    return [(p.field, p.msg.key) for p in meeting_problems(entry, TERMS, TODAY)]


def test_a_meeting_is_judged_field_by_field_with_the_meeting_rules() -> None:
    good = MeetingEntry(date(2026, 11, 2), 1.5, "Video", ("CV",), "Talked about the CV.")
    assert meeting_fields(good) == []
    bad = MeetingEntry(None, 0, "", ("Cooking",), "s" * 1001)
    assert meeting_fields(bad) == [
        ("Date", "meetings.date_required"),
        ("Hours", "meetings.hours_out_of_range"),
        ("Mode", "meetings.mode_required"),
        ("Topics", "meetings.unknown_topic"),
        ("Summary", "meetings.summary_too_long"),
    ]
    early = MeetingEntry(date(2026, 8, 1), 13, "Phone")
    assert meeting_fields(early) == [
        ("Date", "meetings.date_before_agreement"),
        ("Hours", "meetings.hours_out_of_range"),
    ]


def test_a_meeting_row_typed_by_hand_is_judged_on_its_date_hours_and_summary() -> None:
    row = {"Date": date(2026, 12, 30), "Hours": 0.0, "Mode": "", "Summary": "ok"}
    assert [(p.field, p.severity) for p in meeting_row_problems(row, TODAY)] == [
        ("Date", "error"),
        ("Hours", "error"),
    ]
    fine = {"Date": date(2026, 10, 1), "Hours": 2.0, "Mode": "Video", "Summary": ""}
    assert meeting_row_problems(fine, TODAY) == []


def test_a_check_in_needs_a_past_date_who_and_how_it_goes_and_short_notes() -> None:
    good = CheckInEntry(TODAY, "Both", "Good", "fine")
    assert check_in_problems(good, TODAY) == []
    bad = CheckInEntry(TODAY + timedelta(days=1), "", "Great", "n" * 2001, "f" * 2001)
    assert [(p.field, p.msg.key) for p in check_in_problems(bad, TODAY)] == [
        ("Date", "duos.date_in_future"),
        ("With", "duos.with_required"),
        ("Health", "duos.health_required"),
        ("Notes", "validation.too_long"),
        ("Follow-up", "validation.too_long"),
    ]


def test_an_evaluation_needs_its_choices_a_contract_for_a_job_and_a_score() -> None:
    good = EvaluationEntry("Mentee", TODAY, "Yes", "Job", "Permanent", 5)
    assert evaluation_problems(good, TODAY) == []
    bad = EvaluationEntry("Boss", TODAY + timedelta(days=2), "", "Job", "", 9, "c" * 2001)
    assert [(p.field, p.msg.key) for p in evaluation_problems(bad, TODAY)] == [
        ("Date", "duos.date_in_future"),
        ("Respondent", "duos.respondent_required"),
        ("Objectives met", "duos.objectives_met_required"),
        ("Contract", "duos.contract_required"),
        ("Satisfaction", "duos.satisfaction_required"),
        ("Comments", "validation.too_long"),
    ]


def test_a_duo_step_is_dated_today_or_before_unless_planned_and_an_end_has_a_reason() -> None:
    later = TODAY + timedelta(days=5)
    assert duo_step_problems(PlanIntro(later), TODAY) == []
    assert [(p.field, p.msg.key) for p in duo_step_problems(EndEarly(later, " "), TODAY)] == [
        ("Date", "duos.date_in_future"),
        ("End reason", "duos.reason_required"),
    ]
    assert [p.field for p in duo_step_problems(Decline(TODAY, "Mentor", ""), TODAY)] == [
        "End reason"
    ]
    assert duo_step_problems(Decline(TODAY, "Mentor", "Moved away"), TODAY) == []


def test_a_check_in_row_typed_by_hand_is_judged_on_its_date_and_texts() -> None:
    row = {"Date": TODAY + timedelta(days=1), "With": "", "Notes": "n" * 2001, "Follow-up": ""}
    assert [p.field for p in check_in_row_problems(row, TODAY)] == ["Date", "Notes"]
    assert check_in_row_problems({"Date": None, "Notes": "fine"}, TODAY) == []
