"""The workflow rules: status moves of people and duos, eligibility, and the message catalogue.

The builders at the top make canonical DataFrames as the store returns them (every column of
the tab, blanks as "" / NaT / NaN / [], plus `_row`); `test_attention.py` and
`test_reports.py` use them too.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from i18n import LANGUAGES, Msg
from sheets.schema import DUOS, PARTICIPANTS, TABS_BY_NAME, Kind
from workflow import (
    ACTIVE,
    DUO_ACTION_LABELS,
    DUO_STATUSES,
    PERSON_ACTION_LABELS,
    PERSON_STATUSES,
    AttendInfoSession,
    Complete,
    CompleteIntake,
    Decline,
    DuoAction,
    DuoStep,
    EndEarly,
    MarkReady,
    MarkTrained,
    PersonAction,
    PersonStep,
    PlanIntro,
    PutOnHold,
    RecordAgreement,
    RecordChange,
    Resume,
    ReturnToPool,
    TransitionError,
    Withdraw,
    add_months,
    age_on,
    allowed_duo_actions,
    allowed_participant_actions,
    apply_duo_action,
    apply_person_action,
    early_completion,
    eligibility_problems,
    planned_end_of,
    programme_languages,
    propose_duo,
    status_before_hold,
)

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 3, 16)

# -- builders -----------------------------------------------------------------------------


def _column_name(tab: str, key: str) -> str:
    """`applied_on` -> `Applied on`, `mentor_id` -> `Mentor ID` (or a canonical name as is)."""
    for name in TABS_BY_NAME[tab].column_names:
        if key in (name, name.lower().replace(" ", "_").replace("-", "_")):
            return name
    raise KeyError(f"{tab} has no column for {key!r}")


def _blank(kind: Kind) -> Any:
    if kind in (Kind.DATE, Kind.TIMESTAMP):
        return pd.NaT
    if kind is Kind.NUMBER:
        return float("nan")
    if kind is Kind.BOOL:
        return False
    if kind in (Kind.LIST, Kind.SLOTS):
        return []
    return ""


def frame(tab: str, rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """A tab as the store returns it: canonical columns and kinds, rows from sheet row 2 on."""
    definition = TABS_BY_NAME[tab]
    complete = []
    for number, row in enumerate(rows, start=2):
        cells = {name: _blank(definition.column(name).kind) for name in definition.column_names}
        cells.update({_column_name(tab, key): value for key, value in row.items()})
        complete.append({**cells, "_row": number})
    data = pd.DataFrame(complete, columns=[*definition.column_names, "_row"])
    for column in definition.columns:
        if column.kind in (Kind.DATE, Kind.TIMESTAMP):
            data[column.name] = pd.to_datetime(data[column.name]).astype("datetime64[ns]")
        elif column.kind is Kind.NUMBER:
            data[column.name] = data[column.name].astype("float64")
    data["_row"] = data["_row"].astype("int64")
    return data


def person(
    person_id: str, role: str = "Mentee", status: str = "Ready", **cells: Any
) -> dict[str, Any]:
    defaults = {"office": "Brussels", "first_name": person_id, "consent_on": "2026-01-01"}
    return {**defaults, "id": person_id, "role": role, "status": status, **cells}


def duo(
    duo_id: str,
    mentor: str = "P-MENTOR",
    mentee: str = "P-MENTEE",
    status: str = "Active",
    **cells: Any,
) -> dict[str, Any]:
    return {"id": duo_id, "mentor_id": mentor, "mentee_id": mentee, "status": status, **cells}


def people(*rows: dict[str, Any]) -> pd.DataFrame:
    return frame(PARTICIPANTS.name, rows)


def duos(*rows: dict[str, Any]) -> pd.DataFrame:
    return frame(DUOS.name, rows)


def first(data: pd.DataFrame) -> pd.Series[Any]:
    return data.iloc[0]


def change_for(changes: Iterable[RecordChange], record_id: str) -> RecordChange | None:
    return next((change for change in changes if change.record_id == record_id), None)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def assert_renders(msg: Msg) -> None:
    """The message exists in every language and its parameters are exactly its placeholders."""
    texts = tomllib.loads((ROOT / "i18n" / "workflow.toml").read_text("utf-8"))
    namespace, _, key = msg.key.partition(".")
    assert namespace == "workflow" and key in texts, msg.key
    for lang in LANGUAGES:
        assert placeholders(texts[key][lang]) == set(msg.params), (msg.key, lang)
        assert msg.text(lang) != msg.key


@contextmanager
def raises_with(key: str) -> Iterator[None]:
    """The block raises a `TransitionError` whose message is `key`, complete in every language."""
    with pytest.raises(TransitionError, match=rf"^workflow\.{key}$") as refused:
        yield
    assert_renders(refused.value.msg)


# -- a standard pair ----------------------------------------------------------------------


def pair(
    duo_status: str = "Active",
    mentor_status: str = "In duo",
    mentee_status: str = "In duo",
    **cells: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    participants = people(
        person("P-MENTOR", "Mentor", mentor_status), person("P-MENTEE", "Mentee", mentee_status)
    )
    dates = {
        "Proposed": {"proposed_on": "2026-01-05"},
        "Intro planned": {"proposed_on": "2026-01-05", "intro_on": "2026-01-12"},
    }.get(
        duo_status,
        {"proposed_on": "2026-01-05", "intro_on": "2026-01-12", "agreement_on": "2026-01-20"},
    )
    return participants, duos(duo("D-1", status=duo_status, **{**dates, **cells}))


def act(step: DuoStep, duo_status: str = "Active", **cells: Any) -> dict[str, dict[str, Any]]:
    participants, all_duos = pair(duo_status, **cells)
    transition = apply_duo_action(first(all_duos), step, participants, all_duos)
    assert_renders(transition.message)
    return {change.record_id: change.cells for change in transition.changes}


# -- participant moves --------------------------------------------------------------------

EXPECTED_PERSON_ACTIONS: dict[tuple[str, str], set[PersonAction]] = {
    ("Mentor", "Applied"): {PersonAction.ATTEND_INFO_SESSION},
    ("Mentor", "Info session"): {PersonAction.COMPLETE_INTAKE},
    ("Mentor", "Intake done"): {PersonAction.MARK_TRAINED},
    ("Mentor", "Trained"): {PersonAction.MARK_READY},
    ("Mentor", "Ready"): set(),
    ("Mentor", "In duo"): set(),
    ("Mentor", "Alumni"): {PersonAction.RETURN_TO_POOL},
    ("Mentor", "On hold"): {PersonAction.RESUME, PersonAction.WITHDRAW},
    ("Mentor", "Withdrawn"): set(),
    ("Mentee", "Applied"): {PersonAction.ATTEND_INFO_SESSION},
    ("Mentee", "Info session"): {PersonAction.COMPLETE_INTAKE},
    ("Mentee", "Intake done"): {PersonAction.MARK_READY},
    ("Mentee", "Trained"): set(),
    ("Mentee", "Ready"): set(),
    ("Mentee", "In duo"): set(),
    ("Mentee", "Alumni"): set(),
    ("Mentee", "On hold"): {PersonAction.RESUME, PersonAction.WITHDRAW},
    ("Mentee", "Withdrawn"): set(),
}
HOLD_AND_WITHDRAW = {PersonAction.PUT_ON_HOLD, PersonAction.WITHDRAW}
ACTIVE_STATUSES = {"Applied", "Info session", "Intake done", "Trained", "Ready", "In duo"}
STEPS: dict[PersonAction, PersonStep] = {
    PersonAction.ATTEND_INFO_SESSION: AttendInfoSession(TODAY),
    PersonAction.COMPLETE_INTAKE: CompleteIntake(TODAY),
    PersonAction.MARK_TRAINED: MarkTrained(TODAY),
    PersonAction.MARK_READY: MarkReady(),
    PersonAction.PUT_ON_HOLD: PutOnHold(TODAY, "moving house"),
    PersonAction.RESUME: Resume(),
    PersonAction.WITHDRAW: Withdraw(TODAY, "found a job"),
    PersonAction.RETURN_TO_POOL: ReturnToPool(),
}


def expected_actions(role: str, status: str, in_live_duo: bool) -> set[PersonAction]:
    expected = set(EXPECTED_PERSON_ACTIONS[(role, status)])
    if status in ACTIVE_STATUSES and not in_live_duo:
        expected |= HOLD_AND_WITHDRAW
    return expected


@pytest.mark.parametrize("role", ["Mentor", "Mentee"])
@pytest.mark.parametrize("status", PERSON_STATUSES)
def test_each_person_is_offered_exactly_the_next_steps_of_the_programme(
    role: str, status: str
) -> None:
    someone = first(people(person("P-1", role, status)))
    assert set(allowed_participant_actions(someone, duos())) == expected_actions(
        role, status, False
    )


@pytest.mark.parametrize("role", ["Mentor", "Mentee"])
@pytest.mark.parametrize("status", PERSON_STATUSES)
def test_every_step_not_offered_is_refused_with_a_transition_error(role: str, status: str) -> None:
    someone = first(people(person("P-1", role, status)))
    for action, step in STEPS.items():
        if action in expected_actions(role, status, False):
            apply_person_action(someone, step, duos())
        else:
            with pytest.raises(TransitionError) as refused:
                apply_person_action(someone, step, duos())
            assert_renders(refused.value.msg)


def test_a_person_in_a_live_duo_can_neither_pause_nor_withdraw() -> None:
    participants, all_duos = pair("Intro planned")
    mentee = participants.iloc[1]
    assert allowed_participant_actions(mentee, all_duos) == ()
    with raises_with("person_has_live_duo"):
        apply_person_action(mentee, Withdraw(TODAY, "moved abroad"), all_duos)


def test_a_person_in_duo_whose_duo_is_over_can_still_be_withdrawn() -> None:
    participants, all_duos = pair("Completed", ended_on="2026-03-01")
    actions = allowed_participant_actions(participants.iloc[1], all_duos)
    assert set(actions) == HOLD_AND_WITHDRAW


def test_attending_an_info_session_moves_an_applicant_on() -> None:
    applicant = first(people(person("P-1", status="Applied")))
    transition = apply_person_action(applicant, AttendInfoSession(TODAY), None)
    assert transition.changes == (
        RecordChange("Participants", "P-1", {"Status": "Info session"}, {"Status": "Applied"}, 2),
    )
    assert_renders(transition.message)


def test_the_intake_records_its_date_and_leaves_the_person_intake_done() -> None:
    someone = first(people(person("P-1", "Mentor", "Info session")))
    (change,) = apply_person_action(someone, CompleteIntake(TODAY), None).changes
    assert change.cells == {"Status": "Intake done", "Intake on": TODAY}
    assert change.seen == {"Status": "Info session", "Intake on": None}


def test_a_mentee_goes_straight_to_ready_when_the_coordinator_says_so() -> None:
    mentee = first(people(person("P-1", "Mentee", "Info session")))
    (change,) = apply_person_action(mentee, CompleteIntake(TODAY, ready=True), None).changes
    assert change.cells["Status"] == "Ready"


def test_a_mentor_cannot_skip_the_training() -> None:
    mentor = first(people(person("P-1", "Mentor", "Info session")))
    with raises_with("mentor_needs_training"):
        apply_person_action(mentor, CompleteIntake(TODAY, ready=True), None)
    with raises_with("person_move_not_allowed"):
        apply_person_action(
            first(people(person("P-1", "Mentor", "Intake done"))), MarkReady(), None
        )


def test_a_trained_mentor_records_the_training_date_then_becomes_ready() -> None:
    mentor = first(people(person("P-1", "Mentor", "Intake done")))
    (trained,) = apply_person_action(mentor, MarkTrained(TODAY), None).changes
    assert trained.cells == {"Status": "Trained", "Trained on": TODAY}
    ready_mentor = first(people(person("P-1", "Mentor", "Trained")))
    (ready,) = apply_person_action(ready_mentor, MarkReady(), None).changes
    assert ready.cells == {"Status": "Ready"}


def test_withdrawing_needs_a_reason_and_appends_it_to_the_notes() -> None:
    someone = first(people(person("P-1", status="Ready", notes="Prefers mornings")))
    with raises_with("reason_required"):
        apply_person_action(someone, Withdraw(TODAY, "  "), None)
    (change,) = apply_person_action(someone, Withdraw(TODAY, "found a job"), None).changes
    assert change.cells == {
        "Status": "Withdrawn",
        "Notes": "Prefers mornings\n2026-03-16 Withdrawn: found a job",
    }


def test_a_pause_remembers_the_status_before_and_resumes_to_it_or_to_ready() -> None:
    someone = first(people(person("P-1", "Mentor", "Intake done")))
    (paused,) = apply_person_action(someone, PutOnHold(TODAY, "surgery"), None).changes
    assert paused.cells == {
        "Status": "On hold",
        "Notes": "2026-03-16 On hold (was Intake done): surgery",
    }
    on_hold = first(people(person("P-1", "Mentor", "On hold", notes=paused.cells["Notes"])))
    assert status_before_hold(on_hold) == "Intake done"
    for target in ("Intake done", "Ready"):
        (resumed,) = apply_person_action(on_hold, Resume(target), None).changes
        assert resumed.cells == {"Status": target}
    with raises_with("resume_target_not_allowed"):
        apply_person_action(on_hold, Resume("Applied"), None)


def test_a_pause_set_by_hand_resumes_to_any_status_that_fits_the_role() -> None:
    mentee = first(people(person("P-1", "Mentee", "On hold")))
    assert status_before_hold(mentee) is None
    assert apply_person_action(mentee, Resume("Info session"), None).changes[0].cells == {
        "Status": "Info session"
    }
    for impossible in ("Trained", "In duo", "Alumni"):
        with raises_with("resume_target_not_allowed"):
            apply_person_action(mentee, Resume(impossible), None)


def test_an_alumnus_mentor_can_take_another_mentee() -> None:
    mentor = first(people(person("P-1", "Mentor", "Alumni")))
    (change,) = apply_person_action(mentor, ReturnToPool(), None).changes
    assert change.cells == {"Status": "Ready"}
    with raises_with("person_move_not_allowed"):
        apply_person_action(first(people(person("P-2", "Mentee", "Alumni"))), ReturnToPool(), None)


def test_a_person_with_an_unknown_role_cannot_move() -> None:
    someone = first(people(person("P-1", "Volunteer", "Applied")))
    with raises_with("unknown_role"):
        apply_person_action(someone, AttendInfoSession(TODAY), None)


# -- duo moves ----------------------------------------------------------------------------

EXPECTED_DUO_ACTIONS = {
    "Proposed": {DuoAction.PLAN_INTRO, DuoAction.DECLINE},
    "Intro planned": {DuoAction.PLAN_INTRO, DuoAction.RECORD_AGREEMENT, DuoAction.DECLINE},
    "Active": {DuoAction.COMPLETE, DuoAction.END_EARLY},
    "Completed": set(),
    "Ended early": set(),
    "Declined": set(),
}
DUO_STEPS: dict[DuoAction, DuoStep] = {
    DuoAction.PLAN_INTRO: PlanIntro(TODAY),
    DuoAction.RECORD_AGREEMENT: RecordAgreement(TODAY, "Find a job in logistics"),
    DuoAction.DECLINE: Decline(TODAY, "Mentee", "no click"),
    DuoAction.COMPLETE: Complete(TODAY, confirmed=True, reason="found a job"),
    DuoAction.END_EARLY: EndEarly(TODAY, "moved abroad"),
}


@pytest.mark.parametrize("status", DUO_STATUSES)
def test_each_duo_is_offered_exactly_the_next_steps_of_its_status(status: str) -> None:
    _, all_duos = pair(status)
    assert set(allowed_duo_actions(first(all_duos))) == EXPECTED_DUO_ACTIONS[status]


@pytest.mark.parametrize("status", [*DUO_STATUSES, "Unreadable"])
def test_every_duo_step_not_offered_is_refused(status: str) -> None:
    participants, all_duos = pair(status)
    for action, step in DUO_STEPS.items():
        if action in EXPECTED_DUO_ACTIONS.get(status, set()):
            apply_duo_action(first(all_duos), step, participants, all_duos)
        else:
            with raises_with("duo_move_not_allowed"):
                apply_duo_action(first(all_duos), step, participants, all_duos)


def test_planning_the_intro_records_its_date_and_a_new_date_reschedules_it() -> None:
    assert act(PlanIntro(date(2026, 1, 9)), "Proposed") == {
        "D-1": {"Status": "Intro planned", "Intro on": date(2026, 1, 9)}
    }
    assert act(PlanIntro(date(2026, 1, 15)), "Intro planned") == {
        "D-1": {"Intro on": date(2026, 1, 15)}
    }


def test_an_intro_cannot_be_planned_before_the_proposal() -> None:
    with raises_with("date_before_proposal"):
        act(PlanIntro(date(2026, 1, 4)), "Proposed")


def test_the_signed_agreement_starts_six_months_with_objectives() -> None:
    changes = act(RecordAgreement(date(2026, 1, 20), " Find a job in logistics "), "Intro planned")
    assert changes == {
        "D-1": {
            "Status": "Active",
            "Agreement on": date(2026, 1, 20),
            "Planned end": date(2026, 7, 20),
            "Objectives": "Find a job in logistics",
        }
    }


def test_the_planned_end_falls_on_the_last_day_of_a_shorter_month() -> None:
    changes = act(RecordAgreement(date(2026, 8, 31), "CV"), "Intro planned")
    assert changes["D-1"]["Planned end"] == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 10, 15), 6) == date(2027, 4, 15)


def test_the_agreement_needs_objectives_unless_the_sheet_already_has_some() -> None:
    with raises_with("objectives_required"):
        act(RecordAgreement(TODAY, ""), "Intro planned")
    changes = act(RecordAgreement(TODAY), "Intro planned", objectives="Typed by staff")
    assert "Objectives" not in changes["D-1"]


def test_the_agreement_cannot_be_signed_before_the_first_meeting() -> None:
    with raises_with("date_before_intro"):
        act(RecordAgreement(date(2026, 1, 11), "CV"), "Intro planned")


def test_declined_duo_sends_both_people_back_to_ready() -> None:
    changes = act(Decline(date(2026, 1, 13), "Mentee", " no click "), "Intro planned")
    assert changes == {
        "D-1": {
            "Status": "Declined",
            "Ended on": date(2026, 1, 13),
            "End reason": "Mentee: no click",
        },
        "P-MENTOR": {"Status": "Ready"},
        "P-MENTEE": {"Status": "Ready"},
    }


def test_a_decline_says_by_whom_and_why() -> None:
    with raises_with("reason_required"):
        act(Decline(TODAY, "Mentor", ""), "Proposed")
    with raises_with("declined_by_unknown"):
        act(Decline(TODAY, "The weather", "rain"), "Proposed")


def test_a_mentor_with_another_live_duo_stays_in_duo_after_a_decline() -> None:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo", capacity=2.0),
        person("P-MENTEE", "Mentee", "In duo"),
        person("P-OTHER", "Mentee", "In duo"),
    )
    all_duos = duos(
        duo("D-1", status="Proposed", proposed_on="2026-03-01"),
        duo("D-2", mentee="P-OTHER", status="Active", agreement_on="2026-02-01"),
    )
    transition = apply_duo_action(
        first(all_duos), Decline(TODAY, "Coordinator", "x"), participants, all_duos
    )
    assert change_for(transition.changes, "P-MENTOR") is None
    assert change_for(transition.changes, "P-MENTEE") is not None


def test_people_put_on_hold_or_withdrawn_keep_that_status_when_their_duo_ends() -> None:
    participants, all_duos = pair("Proposed", mentor_status="On hold", mentee_status="Withdrawn")
    transition = apply_duo_action(
        first(all_duos), Decline(TODAY, "Both", "x"), participants, all_duos
    )
    assert [change.record_id for change in transition.changes] == ["D-1"]


def test_completion_makes_both_people_alumni() -> None:
    changes = act(Complete(date(2026, 7, 20)))
    assert changes == {
        "D-1": {"Status": "Completed", "Ended on": date(2026, 7, 20)},
        "P-MENTOR": {"Status": "Alumni"},
        "P-MENTEE": {"Status": "Alumni"},
    }


def test_completing_on_the_agreement_day_asks_for_a_confirmation() -> None:
    agreed = date(2026, 1, 20)
    with raises_with("completion_on_agreement_day"):
        act(Complete(agreed))
    warning = early_completion(first(pair()[1]), agreed)
    assert warning is not None and warning.params == {"date": agreed, "end": date(2026, 7, 20)}


def test_completing_before_the_planned_end_needs_a_confirmation_and_a_reason() -> None:
    early = date(2026, 5, 4)
    with raises_with("completion_before_planned_end"):
        act(Complete(early), planned_end="2026-07-31")
    with raises_with("early_completion_reason"):
        act(Complete(early, confirmed=True, reason="  "), planned_end="2026-07-31")
    changes = act(Complete(early, confirmed=True, reason=" Found a job "), planned_end="2026-07-31")
    assert changes["D-1"] == {
        "Status": "Completed",
        "Ended on": early,
        "End reason": "Found a job",
    }


def test_completing_on_or_after_the_planned_end_is_a_plain_step() -> None:
    duo_row = first(pair(planned_end="2026-07-31")[1])
    assert early_completion(duo_row, date(2026, 7, 30)) is not None
    assert early_completion(duo_row, date(2026, 7, 31)) is None
    assert early_completion(duo_row, date(2026, 9, 1)) is None
    changes = act(Complete(date(2026, 7, 31)), planned_end="2026-07-31")
    assert "End reason" not in changes["D-1"]


def test_without_a_planned_end_it_is_six_months_after_the_agreement() -> None:
    duo_row = first(pair()[1])
    assert planned_end_of(duo_row) == date(2026, 7, 20)
    assert early_completion(duo_row, date(2026, 7, 19)) is not None
    unknown = first(pair(agreement_on=None)[1])
    assert planned_end_of(unknown) is None
    assert early_completion(unknown, date(2026, 1, 21)) is None


def test_a_mentor_who_wants_another_mentee_goes_back_to_ready_at_completion() -> None:
    changes = act(Complete(date(2026, 7, 20), mentor_wants_another=True))
    assert changes["P-MENTOR"] == {"Status": "Ready"}
    assert changes["P-MENTEE"] == {"Status": "Alumni"}


def test_a_duo_cannot_end_before_its_agreement() -> None:
    with raises_with("date_before_agreement"):
        act(Complete(date(2026, 1, 19)))
    with raises_with("date_before_agreement"):
        act(EndEarly(date(2026, 1, 19), "moved"))


def test_an_early_end_needs_a_reason_and_sends_both_back_to_ready_by_default() -> None:
    with raises_with("reason_required"):
        act(EndEarly(TODAY, " "))
    assert act(EndEarly(TODAY, "Mentee found a job", mentee_to="Alumni")) == {
        "D-1": {"Status": "Ended early", "Ended on": TODAY, "End reason": "Mentee found a job"},
        "P-MENTOR": {"Status": "Ready"},
        "P-MENTEE": {"Status": "Alumni"},
    }
    with raises_with("end_target_not_allowed"):
        act(EndEarly(TODAY, "moved", mentor_to="Withdrawn"))


def test_a_duo_change_carries_the_values_seen_and_the_sheet_row() -> None:
    participants, all_duos = pair("Active")
    step = Complete(date(2026, 7, 20))
    transition = apply_duo_action(first(all_duos), step, participants, all_duos)
    duo_change = change_for(transition.changes, "D-1")
    assert duo_change is not None
    assert duo_change.seen == {"Status": ACTIVE, "Ended on": None}
    assert (duo_change.tab, duo_change.row) == ("Duos", 2)
    mentee_change = change_for(transition.changes, "P-MENTEE")
    assert mentee_change is not None and mentee_change.row == 3


# -- proposing a duo ----------------------------------------------------------------------


def ready_pool(mentor_status: str = "Ready", **mentor_cells: Any) -> pd.DataFrame:
    return people(
        person("P-MENTOR", "Mentor", mentor_status, office="Antwerp", **mentor_cells),
        person("P-MENTEE", "Mentee", "Ready", office="Ghent"),
    )


def test_a_proposed_duo_is_appended_and_both_people_go_in_duo() -> None:
    pool = ready_pool()
    new = propose_duo(
        pool.iloc[0], pool.iloc[1], duos(), on=TODAY, coordinator="Lotte", score=87.456,
        reasons=["Same sector: ICT", "Speaks Arabic"],
    )  # fmt: skip
    assert new.record == {
        "Mentor ID": "P-MENTOR",
        "Mentee ID": "P-MENTEE",
        "Office": "Ghent",
        "Coordinator": "Lotte",
        "Status": "Proposed",
        "Proposed on": TODAY,
        "Match score": 87.5,
        "Match reasons": "Same sector: ICT; Speaks Arabic",
        "Link version": 1,
    }
    assert {change.record_id: change.cells for change in new.changes} == {
        "P-MENTOR": {"Status": "In duo"},
        "P-MENTEE": {"Status": "In duo"},
    }
    assert_renders(new.message)


def test_long_match_reasons_are_cut_to_a_short_text() -> None:
    pool = ready_pool()
    new = propose_duo(
        pool.iloc[0], pool.iloc[1], None, on=TODAY, coordinator="L", reasons=["x" * 400]
    )
    assert len(new.record["Match reasons"]) == 250
    assert new.record["Match reasons"].endswith("…")


def test_only_a_ready_mentee_can_be_proposed() -> None:
    pool = people(person("P-MENTOR", "Mentor"), person("P-MENTEE", "Mentee", "Intake done"))
    with raises_with("mentee_not_ready"):
        propose_duo(pool.iloc[0], pool.iloc[1], None, on=TODAY, coordinator="L")


def test_a_mentor_is_proposed_only_within_capacity() -> None:
    busy = duos(duo("D-1", mentee="P-OTHER", status="Active"))
    pool = ready_pool("In duo")
    with raises_with("mentor_not_available"):
        propose_duo(pool.iloc[0], pool.iloc[1], busy, on=TODAY, coordinator="L")
    roomy = ready_pool("In duo", capacity=2.0)
    new = propose_duo(roomy.iloc[0], roomy.iloc[1], busy, on=TODAY, coordinator="L")
    assert [change.record_id for change in new.changes] == ["P-MENTEE"]
    trained = ready_pool("Trained")
    with raises_with("mentor_not_available"):
        propose_duo(trained.iloc[0], trained.iloc[1], None, on=TODAY, coordinator="L")


def test_a_declined_pair_is_never_proposed_again() -> None:
    pool = ready_pool()
    history = duos(duo("D-OLD", status="Declined", ended_on="2026-01-10"))
    with raises_with("pair_declined_before"):
        propose_duo(pool.iloc[0], pool.iloc[1], history, on=TODAY, coordinator="L")


def test_a_duo_pairs_a_mentor_with_a_mentee() -> None:
    pool = ready_pool()
    with raises_with("proposal_wrong_roles"):
        propose_duo(pool.iloc[1], pool.iloc[0], None, on=TODAY, coordinator="L")


# -- eligibility --------------------------------------------------------------------------


def keys(messages: Iterable[Msg]) -> list[str]:
    return [message.key.removeprefix("workflow.") for message in messages]


@pytest.mark.parametrize(
    ("role", "birth", "eligible"),
    [
        ("Mentee", date(2008, 3, 16), True),
        ("Mentee", date(2008, 3, 17), False),
        ("Mentee", date(1992, 3, 17), True),
        ("Mentee", date(1992, 3, 16), False),
        ("Mentor", date(1976, 3, 16), True),
        ("Mentor", date(1976, 3, 17), False),
        ("Mentor", date(1940, 1, 1), True),
    ],
)
def test_age_limits_hold_on_the_intake_date(role: str, birth: date, eligible: bool) -> None:
    problems = eligibility_problems(role, birth, ["French"], TODAY)
    assert (problems == []) is eligible
    for problem in problems:
        assert_renders(problem)


def test_age_counts_full_years() -> None:
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26


@pytest.mark.parametrize(
    "languages",
    [["French"], ["Français"], ["nl"], ["Engels", "Arabic"], ["Vlaams"], ["néerlandais"]],
)
def test_a_programme_language_is_recognised_in_english_french_or_dutch(
    languages: list[str],
) -> None:
    assert eligibility_problems("Mentee", date(2000, 1, 1), languages, TODAY) == []


def test_a_person_who_speaks_no_programme_language_is_not_eligible() -> None:
    problems = eligibility_problems("Mentee", date(2000, 1, 1), ["Arabic", "Tigrinya"], TODAY)
    assert keys(problems) == ["no_programme_language"]
    assert programme_languages(["anglais", "FR", "Turkish"]) == ["French", "English"]


def test_a_missing_or_future_birth_date_and_an_unknown_role_are_reported() -> None:
    assert keys(eligibility_problems("Mentor", None, ["Dutch"], TODAY)) == ["birth_date_missing"]
    future = eligibility_problems("Mentee", date(2030, 1, 1), ["Dutch"], TODAY)
    assert keys(future) == ["birth_date_in_future"]
    assert keys(eligibility_problems("Boss", date(1960, 1, 1), [], TODAY)) == [
        "unknown_role",
        "no_programme_language",
    ]


# -- the message catalogue ----------------------------------------------------------------

SOURCES = ("workflow.py", "attention.py", "reports.py")
CALL = re.compile(r"\bworkflow_message\(\s*\"([a-z0-9_]+)\"((?:[^()]|\([^()]*\))*)\)")


def catalogue() -> dict[str, dict[str, str]]:
    return tomllib.loads((ROOT / "i18n" / "workflow.toml").read_text("utf-8"))


def used_keys() -> dict[str, set[str] | None]:
    """Each key the code uses, with the parameter names it passes (None: passed as `**`)."""
    used: dict[str, set[str] | None] = {}
    for source in SOURCES:
        for match in CALL.finditer((ROOT / source).read_text("utf-8")):
            arguments = match.group(2)
            used[match.group(1)] = (
                None if "**" in arguments else set(re.findall(r"(\w+)=", arguments))
            )
    return used


def test_every_message_the_code_uses_exists_in_every_language_with_its_parameters() -> None:
    texts = catalogue()
    for key, params in used_keys().items():
        assert key in texts, key
        assert set(texts[key]) == set(LANGUAGES), key
        found = {lang: placeholders(texts[key][lang]) for lang in LANGUAGES}
        assert found["fr"] == found["en"] == found["nl"], key
        if params is not None:
            assert found["en"] == params, key


def test_the_catalogue_holds_no_message_the_code_does_not_use() -> None:
    assert set(catalogue()) == set(used_keys())


def test_labels_of_every_action_render_in_every_language() -> None:
    assert set(PERSON_ACTION_LABELS) == set(PersonAction)
    assert set(DUO_ACTION_LABELS) == set(DuoAction)
    for label in [*PERSON_ACTION_LABELS.values(), *DUO_ACTION_LABELS.values()]:
        assert_renders(label)
