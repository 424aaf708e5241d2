"""The coordinator's to-do list (each rule at its threshold) and the consistency checks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from attention import (
    FINDING_LABELS,
    KIND_LABELS,
    SEVERITY_LABELS,
    AttentionItem,
    AttentionKind,
    AttentionSettings,
    Finding,
    FindingKind,
    Severity,
    attention_items,
    check_in_due_on,
    consistency_findings,
    phone_key,
)
from tests.test_workflow import assert_renders, duo, duos, frame, people, person

TODAY = date(2026, 3, 16)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def rows(tab: str, *cells: dict[str, Any]) -> pd.DataFrame:
    return frame(tab, cells)


def items(
    participants: pd.DataFrame | None = None, all_duos: pd.DataFrame | None = None, **tabs: Any
) -> list[AttentionItem]:
    found = attention_items(
        participants=participants if participants is not None else people(),
        duos=all_duos if all_duos is not None else duos(),
        today=TODAY,
        **tabs,
    )
    for item in found:
        assert_renders(item.message)
    return found


def kinds(found: list[AttentionItem]) -> list[AttentionKind]:
    return [item.kind for item in found]


def the(kind: AttentionKind, found: list[AttentionItem]) -> AttentionItem:
    (item,) = [item for item in found if item.kind is kind]
    return item


# -- people -------------------------------------------------------------------------------


def applicant(days: int, **cells: Any) -> pd.DataFrame:
    return people(person("P-1", status="Applied", applied_on=ago(days), **cells))


def test_an_applicant_is_flagged_from_fourteen_days_without_an_info_session() -> None:
    assert items(applicant(13)) == []
    item = the(AttentionKind.APPLICANT_WITHOUT_INFO_SESSION, items(applicant(14)))
    assert (item.record_id, item.tab, item.row, item.office) == (
        "P-1",
        "Participants",
        2,
        "Brussels",
    )
    assert (item.waiting_days, item.overdue_days, item.severity) == (14, 0, Severity.MEDIUM)
    assert the(AttentionKind.APPLICANT_WITHOUT_INFO_SESSION, items(applicant(20))).overdue_days == 6


def test_an_applicant_registered_for_an_upcoming_info_session_is_not_flagged() -> None:
    sessions = rows("Sessions", {"id": "S-1", "kind": "Info session", "date": TODAY})
    booked = rows(
        "Attendance", {"session_id": "S-1", "participant_id": "P-1", "status": "Registered"}
    )
    assert items(applicant(30), sessions=sessions, attendance=booked) == []
    past = rows("Sessions", {"id": "S-1", "kind": "Info session", "date": ago(1)})
    assert len(items(applicant(30), sessions=past, attendance=booked)) == 1


def test_a_ready_mentee_is_flagged_after_more_than_thirty_days_of_waiting() -> None:
    assert items(people(person("P-1", intake_on=ago(30)))) == []
    item = the(AttentionKind.MENTEE_WAITING, items(people(person("P-1", intake_on=ago(31)))))
    assert (item.waiting_days, item.overdue_days, item.severity) == (31, 1, Severity.HIGH)


def test_a_mentee_waits_from_the_end_of_a_declined_duo_not_from_the_intake() -> None:
    mentee = people(person("P-1", intake_on=ago(90)))
    declined = duos(duo("D-1", mentee="P-1", status="Declined", ended_on=ago(10)))
    assert items(mentee, declined) == []


def test_a_ready_mentor_is_not_a_waiting_mentee() -> None:
    assert items(people(person("P-1", "Mentor", intake_on=ago(90)))) == []


def test_a_person_with_personal_data_but_no_consent_is_flagged() -> None:
    found = items(people(person("P-1", status="Alumni", consent_on=None, applied_on=ago(40))))
    item = the(AttentionKind.NO_CONSENT, found)
    assert (item.waiting_days, item.overdue_days) == (40, 0)
    erased = person("P-2", status="Withdrawn", consent_on=None, first_name="")
    assert items(people(erased)) == []


def test_unreadable_values_make_one_item_with_their_count() -> None:
    assert items(unreadable_findings=0) == []
    (item,) = items(unreadable_findings=3)
    assert (item.kind, item.message.params, item.severity) == (
        AttentionKind.UNREADABLE_VALUES,
        {"count": 3},
        Severity.LOW,
    )


# -- duos ---------------------------------------------------------------------------------


def pair_people() -> pd.DataFrame:
    return people(
        person("P-MENTOR", "Mentor", "In duo", first_name="Marc", last_name="Peeters"),
        person("P-MENTEE", "Mentee", "In duo", first_name="Amina", office="Ghent"),
    )


def duo_items(*cells: dict[str, Any], **tabs: Any) -> list[AttentionItem]:
    return items(pair_people(), duos(*cells), **tabs)


def test_a_proposed_duo_without_intro_date_is_flagged_after_seven_days() -> None:
    assert duo_items(duo("D-1", status="Proposed", proposed_on=ago(6))) == []
    item = the(
        AttentionKind.INTRO_NOT_PLANNED,
        duo_items(duo("D-1", status="Proposed", proposed_on=ago(7))),
    )
    assert (item.tab, item.record_id, item.waiting_days, item.overdue_days) == ("Duos", "D-1", 7, 0)
    assert item.message.params["duo"] == "Marc Peeters & Amina"
    assert duo_items(duo("D-1", status="Proposed", proposed_on=ago(9), intro_on=TODAY)) == []


def test_a_duo_without_office_counts_for_its_mentees_office() -> None:
    (item,) = duo_items(duo("D-1", status="Proposed", proposed_on=ago(7)))
    assert item.office == "Ghent"


def test_an_intro_date_that_passed_without_outcome_is_flagged_the_next_day() -> None:
    planned: dict[str, Any] = {"status": "Intro planned", "proposed_on": ago(5)}
    assert duo_items(duo("D-1", intro_on=TODAY, **planned)) == []
    item = the(
        AttentionKind.INTRO_WITHOUT_OUTCOME, duo_items(duo("D-1", intro_on=ago(1), **planned))
    )
    assert (item.overdue_days, item.severity) == (1, Severity.MEDIUM)
    relaxed = AttentionSettings(intro_outcome_days=3)
    assert duo_items(duo("D-1", intro_on=ago(3), **planned), settings=relaxed) == []


def active(**cells: Any) -> dict[str, Any]:
    """An active duo signed 100 days ago, with its planned end far away."""
    return duo("D-1", agreement_on=ago(100), planned_end=ago(100) + timedelta(days=182), **cells)


def meetings(*days: date) -> pd.DataFrame:
    return rows("Meetings", *({"duo_id": "D-1", "date": day, "hours": 2.0} for day in days))


def check_ins(*days: date) -> pd.DataFrame:
    return rows("Check-ins", *({"duo_id": "D-1", "date": day} for day in days))


QUIET = AttentionKind.QUIET_DUO


def test_an_active_duo_is_flagged_after_twenty_one_days_without_a_meeting() -> None:
    recent = check_ins(ago(1))
    assert QUIET not in kinds(duo_items(active(), meetings=meetings(ago(20)), check_ins=recent))
    item = the(QUIET, duo_items(active(), meetings=meetings(ago(40), ago(21)), check_ins=recent))
    assert (item.waiting_days, item.overdue_days, item.severity) == (21, 0, Severity.HIGH)
    assert item.message.key == "workflow.quiet_duo"


def test_a_duo_that_never_met_is_quiet_from_its_agreement_and_future_meetings_do_not_count() -> (
    None
):
    signed = duo("D-1", agreement_on=ago(21), planned_end=ago(21) + timedelta(days=182))
    item = the(QUIET, duo_items(signed, meetings=meetings(TODAY + timedelta(days=2))))
    assert item.message.key == "workflow.quiet_duo_never_met"
    assert item.waiting_days == 21


def test_check_ins_are_due_twice_in_the_first_month_then_monthly() -> None:
    settings, signed = AttentionSettings(), date(2026, 1, 1)
    assert check_in_due_on(signed, [], settings) == date(2026, 1, 16)
    assert check_in_due_on(signed, [date(2026, 1, 5)], settings) == date(2026, 1, 31)
    both = [date(2026, 1, 5), date(2026, 1, 20)]
    assert check_in_due_on(signed, both, settings) == date(2026, 2, 19)
    late = [date(2026, 1, 5), date(2026, 2, 10)]
    assert check_in_due_on(signed, late, settings) == date(2026, 3, 12)
    before_signing = [date(2025, 12, 20)]
    assert check_in_due_on(signed, before_signing, settings) == date(2026, 1, 16)


def test_a_check_in_is_flagged_on_the_day_it_falls_due() -> None:
    def found(signed_days_ago: int, *done: date) -> list[AttentionItem]:
        signed = duo(
            "D-1", agreement_on=ago(signed_days_ago), planned_end=TODAY + timedelta(days=100)
        )
        return duo_items(signed, meetings=meetings(TODAY), check_ins=check_ins(*done))

    assert found(14) == []
    item = the(AttentionKind.CHECK_IN_DUE, found(15))
    assert (item.overdue_days, item.waiting_days, item.message.params["count"]) == (0, 15, 0)
    assert found(29, ago(20)) == []
    assert the(AttentionKind.CHECK_IN_DUE, found(30, ago(20))).waiting_days == 20
    assert found(60, ago(50), ago(40), ago(29)) == []
    assert the(AttentionKind.CHECK_IN_DUE, found(60, ago(50), ago(40), ago(30))).overdue_days == 0


def evaluation_items(*cells: dict[str, Any], evaluated: bool = False) -> list[AttentionItem]:
    evaluations = rows("Evaluations", {"duo_id": "D-1", "respondent": "Mentee"})
    found = duo_items(
        *cells, meetings=meetings(TODAY), check_ins=check_ins(TODAY),
        evaluations=evaluations if evaluated else None,
    )  # fmt: skip
    return [item for item in found if item.kind.value.startswith("evaluation")]


def test_the_evaluation_is_to_plan_within_fourteen_days_of_the_planned_end() -> None:
    def ending_in(days: int) -> dict[str, Any]:
        return duo("D-1", agreement_on=ago(170), planned_end=TODAY + timedelta(days=days))

    assert evaluation_items(ending_in(15)) == []
    item = the(AttentionKind.EVALUATION_DUE, evaluation_items(ending_in(14)))
    assert (item.severity, item.message.params["days"]) == (Severity.LOW, 14)
    assert kinds(evaluation_items(ending_in(0))) == [AttentionKind.EVALUATION_DUE]
    assert evaluation_items(ending_in(3), evaluated=True) == []


def test_a_passed_planned_end_without_evaluation_is_missing_an_evaluation() -> None:
    late = duo("D-1", agreement_on=ago(190), planned_end=ago(1))
    item = the(AttentionKind.EVALUATION_MISSING, evaluation_items(late))
    assert (item.overdue_days, item.severity) == (1, Severity.MEDIUM)
    assert item.message.key == "workflow.planned_end_passed"
    assert evaluation_items(late, evaluated=True) == []


def test_an_ended_duo_without_evaluation_stays_on_the_list_for_ninety_days() -> None:
    def ended(days: int) -> dict[str, Any]:
        return duo("D-1", status="Ended early", agreement_on=ago(200), ended_on=ago(days))

    item = the(AttentionKind.EVALUATION_MISSING, evaluation_items(ended(90)))
    assert item.message.key == "workflow.ended_without_evaluation"
    assert evaluation_items(ended(91)) == []


# -- the list as a whole ------------------------------------------------------------------


def test_the_most_urgent_items_come_first() -> None:
    participants = people(
        person("P-A", status="Applied", applied_on=ago(40)),
        person("P-B", status="Applied", applied_on=ago(20)),
        person("P-C", intake_on=ago(35)),
        person("P-D", intake_on=ago(60)),
    )
    found = items(participants, unreadable_findings=1)
    assert [(item.kind, item.record_id) for item in found] == [
        (AttentionKind.MENTEE_WAITING, "P-D"),
        (AttentionKind.MENTEE_WAITING, "P-C"),
        (AttentionKind.APPLICANT_WITHOUT_INFO_SESSION, "P-A"),
        (AttentionKind.APPLICANT_WITHOUT_INFO_SESSION, "P-B"),
        (AttentionKind.UNREADABLE_VALUES, ""),
    ]


def test_the_list_can_be_kept_to_some_offices() -> None:
    participants = people(
        person("P-A", intake_on=ago(40), office="Antwerp"),
        person("P-B", intake_on=ago(40), office="Liège"),
        person("P-C", intake_on=ago(40), office=""),
    )
    found = attention_items(participants=participants, duos=duos(), today=TODAY, offices={"Liège"})
    assert {item.record_id for item in found} == {"P-B", "P-C"}


def test_every_kind_and_severity_has_a_label() -> None:
    assert set(KIND_LABELS) == set(AttentionKind)
    assert set(SEVERITY_LABELS) == set(Severity)
    assert set(FINDING_LABELS) == set(FindingKind)
    for label in [*KIND_LABELS.values(), *SEVERITY_LABELS.values(), *FINDING_LABELS.values()]:
        assert_renders(label)
    assert [severity.rank for severity in Severity] == [0, 1, 2]


# -- consistency checks -------------------------------------------------------------------


def findings(participants: pd.DataFrame, all_duos: pd.DataFrame | None = None) -> list[Finding]:
    found = consistency_findings(participants, all_duos if all_duos is not None else duos())
    for finding in found:
        assert_renders(finding.message)
    return found


def where(found: list[Finding]) -> list[tuple[FindingKind, str, int | None, str, str, str]]:
    return [(f.kind, f.tab, f.row, f.record_id, f.column, f.value) for f in found]


def test_people_with_the_same_email_in_another_case_are_duplicates() -> None:
    participants = people(
        person("P-1", email="Amina.B@example.be"),
        person("P-2", email="other@example.be"),
        person("P-3", email=" amina.b@EXAMPLE.be"),
    )
    found = findings(participants)
    assert where(found) == [
        (FindingKind.DUPLICATE_EMAIL, "Participants", 2, "P-1", "Email", "Amina.B@example.be"),
        (FindingKind.DUPLICATE_EMAIL, "Participants", 4, "P-3", "Email", "amina.b@EXAMPLE.be"),
    ]
    assert found[0].message.params["others"] == "P-3"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("0470 12 34 56", "+32 470 12 34 56"),
        ("0470/12.34.56", "0032470123456"),
        ("02 512 34 56", "+32 (0)2 512 34 56"),
    ],
)
def test_phone_numbers_match_whatever_the_belgian_prefix(one: str, other: str) -> None:
    assert phone_key(one) == phone_key(other) != ""
    participants = people(person("P-1", phone=one), person("P-2", phone=other))
    assert [f.kind for f in findings(participants)] == [FindingKind.DUPLICATE_PHONE] * 2


def test_different_or_too_short_phone_numbers_are_not_duplicates() -> None:
    assert phone_key("0470 12 34 56") != phone_key("0470 12 34 57")
    assert phone_key("112") == ""
    participants = people(person("P-1", phone="n/a"), person("P-2", phone="n/a"))
    assert findings(participants) == []


def test_a_person_in_duo_without_a_live_duo_is_inconsistent() -> None:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo"), person("P-MENTEE", "Mentee", "Alumni")
    )
    over = duos(duo("D-1", status="Completed", agreement_on=ago(200), ended_on=ago(10)))
    assert where(findings(participants, over)) == [
        (FindingKind.IN_DUO_WITHOUT_DUO, "Participants", 2, "P-MENTOR", "Status", "In duo"),
    ]


def test_a_person_in_a_live_duo_with_another_status_is_inconsistent() -> None:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo"), person("P-MENTEE", "Mentee", "Ready")
    )
    found = findings(participants, duos(duo("D-1", status="Proposed")))
    assert where(found) == [
        (FindingKind.STATUS_NOT_IN_DUO, "Participants", 3, "P-MENTEE", "Status", "Ready"),
    ]
    assert found[0].message.params["duo"] == "D-1"


def test_a_duo_pointing_to_an_unknown_person_is_reported() -> None:
    participants = people(person("P-MENTOR", "Mentor", "In duo"))
    found = findings(participants, duos(duo("D-1", mentee="P-GONE", status="Proposed")))
    assert where(found) == [
        (FindingKind.UNKNOWN_PARTICIPANT, "Duos", 2, "D-1", "Mentee ID", "P-GONE")
    ]


def test_a_duo_whose_mentor_is_a_mentee_is_reported() -> None:
    participants = people(
        person("P-MENTOR", "Mentee", "In duo"), person("P-MENTEE", "Mentee", "In duo")
    )
    found = findings(participants, duos(duo("D-1", status="Proposed")))
    assert where(found) == [(FindingKind.WRONG_ROLE, "Duos", 2, "D-1", "Mentor ID", "P-MENTOR")]
    assert found[0].message.key == "workflow.mentor_not_a_mentor"
    swapped = people(person("P-MENTOR", "Mentor", "In duo"), person("P-MENTEE", "Mentor", "In duo"))
    assert findings(swapped, duos(duo("D-1", status="Proposed")))[0].message.key == (
        "workflow.mentee_not_a_mentee"
    )


def test_an_active_duo_without_agreement_date_is_reported() -> None:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo"), person("P-MENTEE", "Mentee", "In duo")
    )
    assert where(findings(participants, duos(duo("D-1")))) == [
        (FindingKind.ACTIVE_WITHOUT_AGREEMENT, "Duos", 2, "D-1", "Agreement on", ""),
    ]


def test_a_mentor_with_more_live_duos_than_capacity_is_reported() -> None:
    def mentor_with(capacity: float | None) -> list[Finding]:
        cells = {} if capacity is None else {"capacity": capacity}
        participants = people(
            person("P-MENTOR", "Mentor", "In duo", **cells),
            person("P-A", "Mentee", "In duo"),
            person("P-B", "Mentee", "In duo"),
        )
        two = duos(
            duo("D-1", mentee="P-A", status="Proposed"), duo("D-2", mentee="P-B", status="Proposed")
        )
        return findings(participants, two)

    assert where(mentor_with(None)) == [
        (FindingKind.OVER_CAPACITY, "Participants", 2, "P-MENTOR", "Capacity", ""),
    ]
    assert mentor_with(2.0) == []
    assert mentor_with(1.0)[0].message.params == {"person": "P-MENTOR", "duos": 2, "capacity": 1}
