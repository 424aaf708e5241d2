"""The Duos use cases (steps 5 to 8) against an in-memory copy of the demo workbook."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import clock
from meetings import InputRefused, meeting_problems
from services.duos import (
    CheckInEntry,
    EvaluationEntry,
    Event,
    MeetingEntry,
    change_duo,
    combined_reason,
    date_or_today,
    duo_overview,
    duo_terms,
    evaluation_open,
    evaluation_opens_later,
    log_check_in,
    log_evaluation,
    log_meeting,
    meeting_entry_problems,
    outcome_is_due,
    shown_kind,
    timeline,
)
from services.offices import OutOfOffice
from services.snapshot import load
from services.unit import Outcome
from sheets.memory import MemoryStore
from sheets.store import Change, Store, Written
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, store_of
from workflow import (
    LIVE_DUO_STATUSES,
    Complete,
    Decline,
    EndEarly,
    PlanIntro,
    RecordAgreement,
    TransitionError,
    add_months,
    cell_date,
    cell_text,
    live_duos_of,
    records,
)

TODAY = clock.today()


def complete_now(**options: Any) -> Complete:
    """Completing a demo duo today, before its planned end: confirmed, with a reason."""
    return Complete(TODAY, confirmed=True, reason="Found a job", **options)


class CountingStore(MemoryStore):
    """The in-memory store, keeping every unit of work it is given (to count and repeat)."""

    def __init__(self, grids: dict[str, list[list[Any]]]) -> None:
        super().__init__(copy.deepcopy(grids))
        self.units: list[tuple[list[Change], str]] = []

    def write(self, changes: Sequence[Change], who: str) -> Written:
        self.units.append((list(changes), who))
        return super().write(changes, who)

    def again(self) -> Written:
        """The last unit of work written once more (a retry after a lost answer)."""
        changes, who = self.units[-1]
        return self.write(changes, who)

    def rows(self, tab: str) -> int:
        return len(self.table(tab).frame)


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


@pytest.fixture
def counting(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    """A fresh copy of the demo workbook in a store that counts its writes."""
    return CountingStore(demo_grids)


def a_duo(store: Store, status: str, office: str = "Brussels") -> dict[str, Any]:
    """A duo of that status and office; a live one's mentor and mentee are in it alone."""
    tables = store.read(["Duos", "Participants"])
    duos = records(tables["Duos"].frame)
    people = {cell_text(p, "ID"): p for p in records(tables["Participants"].frame)}
    for duo in duos:
        pair = [cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")]
        if (
            cell_text(duo, "Status") == status
            and cell_text(duo, "Office") == office
            and all(p in people for p in pair)
            and (status not in LIVE_DUO_STATUSES or all(alone_in(p, duos, people) for p in pair))
        ):
            return duo
    raise LookupError(f"no {status} duo in {office}")


def alone_in(person_id: str, duos: list[dict[str, Any]], people: dict[str, dict[str, Any]]) -> bool:
    in_duo = cell_text(people[person_id], "Status") == "In duo"
    return in_duo and len(live_duos_of(person_id, duos)) == 1


def row_of(store: Store, tab: str, record_id: str) -> dict[str, Any]:
    record = store.table(tab).record(record_id)
    assert record is not None
    return record


def people_statuses(store: Store, duo: dict[str, Any]) -> list[str]:
    return [
        cell_text(row_of(store, "Participants", cell_text(duo, column)), "Status")
        for column in ("Mentor ID", "Mentee ID")
    ]


def test_planning_the_intro_of_a_proposed_duo_moves_it_to_intro_planned(store: Store) -> None:
    duo = a_duo(store, "Proposed")
    on = TODAY + timedelta(days=5)
    outcome = change_duo(store, BRUSSELS, duo["ID"], PlanIntro(on), TODAY, seen=duo)
    assert outcome.ok
    saved = row_of(store, "Duos", duo["ID"])
    assert (saved["Status"], cell_date(saved, "Intro on")) == ("Intro planned", on)


def test_signing_the_agreement_starts_six_months_with_the_objectives(store: Store) -> None:
    duo = a_duo(store, "Intro planned")
    on = max(TODAY - timedelta(days=1), cell_date(duo, "Intro on") or TODAY)
    step = RecordAgreement(on, "Find a job in logistics")
    outcome = change_duo(store, BRUSSELS, duo["ID"], step, TODAY, seen=duo)
    assert outcome.ok
    end = f"{add_months(on, 6):%d/%m/%Y}"
    assert outcome.message.text("en") == (
        f"Duo {duo['ID']} is active: agreement signed on {on:%d/%m/%Y}, planned end {end}."
    )
    saved = row_of(store, "Duos", duo["ID"])
    assert saved["Status"] == "Active"
    assert cell_date(saved, "Planned end") == add_months(on, 6)
    assert saved["Objectives"] == "Find a job in logistics"


def test_a_decline_sends_both_people_back_to_ready_and_says_who_and_why(store: Store) -> None:
    duo = a_duo(store, "Intro planned")
    step = Decline(TODAY, "Mentee", "No click at first meeting")
    assert change_duo(store, BRUSSELS, duo["ID"], step, TODAY, seen=duo).ok
    saved = row_of(store, "Duos", duo["ID"])
    assert (saved["Status"], saved["End reason"]) == (
        "Declined",
        "Mentee: No click at first meeting",
    )
    assert people_statuses(store, duo) == ["Ready", "Ready"]


def test_completing_makes_both_alumni_unless_the_mentor_wants_another(store: Store) -> None:
    duo = a_duo(store, "Active")
    assert change_duo(store, ADMIN, duo["ID"], complete_now(), TODAY, seen=duo).ok
    assert row_of(store, "Duos", duo["ID"])["Status"] == "Completed"
    assert people_statuses(store, duo) == ["Alumni", "Alumni"]
    other = a_duo(store, "Active")
    change_duo(store, ADMIN, other["ID"], complete_now(mentor_wants_another=True), TODAY)
    assert people_statuses(store, other) == ["Ready", "Alumni"]


def test_completing_before_the_planned_end_is_refused_unless_confirmed_with_a_reason(
    store: Store,
) -> None:
    duo = a_duo(store, "Active")
    for step, key in (
        (Complete(TODAY), "workflow.completion_before_planned_end"),
        (Complete(TODAY, confirmed=True), "workflow.early_completion_reason"),
    ):
        with pytest.raises(TransitionError) as refused:
            change_duo(store, BRUSSELS, duo["ID"], step, TODAY, seen=duo)
        assert refused.value.msg.key == key
        assert refused.value.msg.params["end"] == cell_date(duo, "Planned end")
    assert row_of(store, "Duos", duo["ID"])["Status"] == "Active"
    assert people_statuses(store, duo) == ["In duo", "In duo"]
    assert change_duo(store, BRUSSELS, duo["ID"], complete_now(), TODAY, seen=duo).ok
    saved = row_of(store, "Duos", duo["ID"])
    assert (saved["Status"], saved["End reason"]) == ("Completed", "Found a job")


def test_an_early_end_records_its_reason_and_refuses_an_empty_one(store: Store) -> None:
    duo = a_duo(store, "Active")
    with pytest.raises(TransitionError) as refused:
        change_duo(store, BRUSSELS, duo["ID"], EndEarly(TODAY, "  "), TODAY, seen=duo)
    assert refused.value.msg.key == "duos.reason_required"
    assert row_of(store, "Duos", duo["ID"])["Status"] == "Active"
    step = EndEarly(TODAY, combined_reason("Mentee moved away", "to Liège"), mentee_to="Alumni")
    assert change_duo(store, BRUSSELS, duo["ID"], step, TODAY, seen=duo).ok
    saved = row_of(store, "Duos", duo["ID"])
    assert (saved["Status"], saved["End reason"]) == ("Ended early", "Mentee moved away: to Liège")
    assert people_statuses(store, duo) == ["Ready", "Alumni"]


def test_completing_a_proposed_duo_is_refused_and_writes_nothing(store: Store) -> None:
    duo = a_duo(store, "Proposed")
    with pytest.raises(TransitionError) as refused:
        change_duo(store, BRUSSELS, duo["ID"], complete_now(), TODAY, seen=duo)
    assert refused.value.msg.key == "workflow.duo_move_not_allowed"
    assert row_of(store, "Duos", duo["ID"])["Status"] == "Proposed"
    assert people_statuses(store, duo) == ["In duo", "In duo"]


def test_a_status_changed_in_the_sheet_since_loading_is_a_conflict(store: Store) -> None:
    duo = a_duo(store, "Active")
    store.update("Duos", duo["ID"], {"Status": "Ended early"}, "staff@sheet")
    outcome = change_duo(store, BRUSSELS, duo["ID"], complete_now(), TODAY, seen=duo)
    assert not outcome.ok
    [(change, conflict)] = outcome.conflicts
    assert change.record_id == duo["ID"]
    assert (conflict.column, conflict.current, conflict.proposed) == (
        "Status",
        "Ended early",
        "Completed",
    )
    saved = row_of(store, "Duos", duo["ID"])
    assert (saved["Status"], cell_date(saved, "Ended on")) == ("Ended early", None)
    assert people_statuses(store, duo) == ["In duo", "In duo"]


def test_a_coordinator_of_another_office_can_neither_see_nor_change_a_duo(
    store: Store,
) -> None:
    duo = a_duo(store, "Active", office="Brussels")
    with pytest.raises(OutOfOffice):
        change_duo(store, ANTWERP, duo["ID"], complete_now(), TODAY)
    with pytest.raises(OutOfOffice):
        log_meeting(store, ANTWERP, duo["ID"], MeetingEntry(TODAY, 2, "Video"), TODAY)
    assert duo["ID"] not in set(load(store, ANTWERP).duos["ID"])
    assert row_of(store, "Duos", duo["ID"])["Status"] == "Active"


def test_a_meeting_lands_logged_by_the_coordinator_with_text_kept_as_text(
    store: Store,
) -> None:
    duo = a_duo(store, "Active")
    entry = MeetingEntry(TODAY, 1.5, "Video", ("CV", "Network"), "=SUM(A1:A3) looked at")
    outcome = log_meeting(store, BRUSSELS, duo["ID"], entry, TODAY)
    saved = row_of(store, "Meetings", outcome.ids[0])
    assert saved["Duo ID"] == duo["ID"]
    assert (saved["Hours"], saved["Mode"], saved["Topics"]) == (1.5, "Video", ["CV", "Network"])
    assert saved["Summary"] == "=SUM(A1:A3) looked at"
    assert saved["Logged by"] == BRUSSELS.name


def test_a_meeting_against_the_rules_is_refused_with_every_problem_and_not_written(
    store: Store,
) -> None:
    """The rules themselves are `tests/test_meetings.py`'s; here: the coordinator's form
    applies them all, against the duo's agreement date and the Lists tab's topics."""
    duo = a_duo(store, "Active")
    lists = store.table("Lists").frame
    assert duo_terms(duo, lists).agreement_on == cell_date(duo, "Agreement on")
    before = len(store.table("Meetings").frame)
    for entry in (
        MeetingEntry(TODAY + timedelta(days=1), 9, "Phone"),
        MeetingEntry(TODAY, 0.25, "Phone", ("Astrology",), "x" * 1001),
    ):
        problems = meeting_entry_problems(duo, lists, entry, TODAY)
        assert problems == meeting_problems(entry, duo_terms(duo, lists), TODAY) != []
        with pytest.raises(InputRefused) as refused:
            log_meeting(store, BRUSSELS, duo["ID"], entry, TODAY)
        assert list(refused.value.problems) == problems
    assert len(store.table("Meetings").frame) == before


def test_meetings_and_check_ins_are_only_logged_for_active_duos(store: Store) -> None:
    duo = a_duo(store, "Proposed")
    with pytest.raises(TransitionError) as refused:
        log_meeting(store, BRUSSELS, duo["ID"], MeetingEntry(TODAY, 2, "Video"), TODAY)
    assert refused.value.msg.key == "duos.not_active"
    with pytest.raises(TransitionError):
        log_check_in(store, BRUSSELS, duo["ID"], CheckInEntry(TODAY, "Both", "Good"), TODAY)


def test_a_check_in_lands_with_its_health_and_follow_up(store: Store) -> None:
    duo = a_duo(store, "Active")
    entry = CheckInEntry(TODAY, "Mentee", "Some concerns", "Busy with a course", "Call in a week")
    outcome = log_check_in(store, BRUSSELS, duo["ID"], entry, TODAY)
    saved = row_of(store, "Check-ins", outcome.ids[0])
    assert (saved["With"], saved["Health"], saved["Follow-up"]) == (
        "Mentee",
        "Some concerns",
        "Call in a week",
    )
    assert saved["Coordinator"] == BRUSSELS.name


def test_evaluations_open_two_weeks_before_the_planned_end_and_after_an_end() -> None:
    def active(days_left: int) -> dict[str, Any]:
        return {"Status": "Active", "Planned end": TODAY + timedelta(days=days_left)}

    assert evaluation_open(active(14), TODAY, 14)
    assert not evaluation_open(active(15), TODAY, 14)
    assert evaluation_open({"Status": "Ended early"}, TODAY, 14)
    assert not evaluation_open({"Status": "Declined"}, TODAY, 14)


def test_the_evaluation_opens_on_a_day_the_page_is_told_while_it_is_ahead() -> None:
    active = {"Status": "Active", "Planned end": TODAY + timedelta(days=20)}
    assert evaluation_opens_later(active, TODAY, 14) == TODAY + timedelta(days=6)
    assert evaluation_opens_later(active, TODAY + timedelta(days=6), 14) is None, "open now"
    assert evaluation_opens_later({"Status": "Active"}, TODAY, 14) is None, "no planned end"
    assert evaluation_opens_later({**active, "Status": "Completed"}, TODAY, 14) is None


def test_the_outcome_of_the_first_meeting_is_due_once_its_day_has_come() -> None:
    def planned(days_ahead: int, status: str = "Intro planned") -> dict[str, Any]:
        return {"Status": status, "Intro on": TODAY + timedelta(days=days_ahead)}

    assert outcome_is_due(planned(0), TODAY) and outcome_is_due(planned(-3), TODAY)
    assert not outcome_is_due(planned(1), TODAY)
    assert not outcome_is_due(planned(-3, "Active"), TODAY)
    assert not outcome_is_due({"Status": "Intro planned"}, TODAY)


def test_a_forms_default_date_is_the_duos_own_once_passed_else_today() -> None:
    duo = {"Intro on": TODAY - timedelta(days=2), "Planned end": TODAY + timedelta(days=9)}
    assert date_or_today(duo, "Intro on", TODAY) == TODAY - timedelta(days=2)
    assert date_or_today(duo, "Planned end", TODAY) == TODAY
    assert date_or_today(duo, "Ended on", TODAY) == TODAY


def test_an_intro_still_ahead_shows_as_planned_on_the_timeline() -> None:
    assert shown_kind(Event(TODAY + timedelta(days=1), "intro", {}), TODAY) == "intro_planned"
    assert shown_kind(Event(TODAY, "intro", {}), TODAY) == "intro"
    assert shown_kind(Event(TODAY + timedelta(days=1), "meeting", {}), TODAY) == "meeting"


def test_a_second_evaluation_by_the_same_respondent_needs_confirming(store: Store) -> None:
    duo = a_duo(store, "Completed")
    entry = EvaluationEntry("Coordinator", TODAY, "Partly", "Job", "Permanent", 4, "Went well")
    evaluations = store.table("Evaluations").frame
    already = (evaluations["Duo ID"] == duo["ID"]) & (evaluations["Respondent"] == "Coordinator")
    if not already.any():
        log_evaluation(store, BRUSSELS, duo["ID"], entry, TODAY)
    with pytest.raises(TransitionError) as refused:
        log_evaluation(store, BRUSSELS, duo["ID"], entry, TODAY)
    assert refused.value.msg.key == "duos.evaluation_exists"
    outcome = log_evaluation(store, BRUSSELS, duo["ID"], entry, TODAY, second=True)
    saved = row_of(store, "Evaluations", outcome.ids[0])
    assert (saved["Respondent"], saved["Outcome"], saved["Satisfaction"]) == (
        "Coordinator",
        "Job",
        4,
    )


def test_an_evaluation_is_refused_before_it_opens(store: Store) -> None:
    duo = a_duo(store, "Proposed")
    entry = EvaluationEntry("Mentor", TODAY, "Yes", "Job", "Permanent", 5)
    with pytest.raises(TransitionError) as refused:
        log_evaluation(store, BRUSSELS, duo["ID"], entry, TODAY)
    assert refused.value.msg.key == "duos.evaluation_not_open"


def test_the_overview_shows_names_last_health_and_days_since_the_last_meeting(
    store: Store,
) -> None:
    duo = a_duo(store, "Active")
    log_meeting(
        store, BRUSSELS, duo["ID"], MeetingEntry(TODAY - timedelta(days=3), 2, "Video"), TODAY
    )
    log_check_in(store, BRUSSELS, duo["ID"], CheckInEntry(TODAY, "Both", "At risk"), TODAY)
    overview = duo_overview(load(store, BRUSSELS), TODAY)
    row = overview[overview["ID"] == duo["ID"]].iloc[0]
    assert (row["Days since last meeting"], row["Health"]) == (3, "At risk")
    assert row["Mentor"] and row["Mentor"] != duo["Mentor ID"]
    assert set(overview["Office"]) == {"Brussels"}
    assert list(overview["Status"]).index("Active") < list(overview["Status"]).index("Completed")


def test_the_timeline_runs_from_the_proposal_to_the_end_in_date_order(store: Store) -> None:
    duo = a_duo(store, "Completed")
    events = timeline(load(store, ADMIN), duo)
    assert [event.on for event in events] == sorted(event.on for event in events)
    assert (events[0].kind, events[-1].kind) in {
        ("proposed", "completed"),
        ("proposed", "evaluation"),
    }
    assert {"agreement", "meeting", "completed"} <= {event.kind for event in events}


def test_a_reason_combines_the_listed_one_and_the_coordinators_words() -> None:
    assert combined_reason(None, " moved ") == "moved"
    assert combined_reason("Mentee moved away", "") == "Mentee moved away"
    assert combined_reason(None, "") == ""


# -- one use case, one unit of work ----------------------------------------------------------


def audit_rows(store: Store, record_id: str) -> list[str]:
    audit = store.table("Audit").frame
    return list(audit.loc[audit["Record ID"] == record_id, "Action"])


def test_a_duo_step_writes_the_duo_and_both_people_in_one_write(counting: CountingStore) -> None:
    duo = a_duo(counting, "Active")
    outcome = change_duo(counting, ADMIN, duo["ID"], complete_now(), TODAY, seen=duo)
    assert outcome.ok and len(counting.units) == 1
    assert row_of(counting, "Duos", duo["ID"])["Status"] == "Completed"
    assert people_statuses(counting, duo) == ["Alumni", "Alumni"]
    for record_id in (duo["ID"], duo["Mentor ID"], duo["Mentee ID"]):
        assert audit_rows(counting, record_id)[-1:] == ["complete"]


def test_a_duo_step_written_again_changes_nothing_more(counting: CountingStore) -> None:
    duo = a_duo(counting, "Intro planned")
    step = Decline(TODAY, "Mentor", "Moved away")
    change_duo(counting, BRUSSELS, duo["ID"], step, TODAY, seen=duo)
    audit = counting.rows("Audit")
    assert not counting.again().conflicts
    assert counting.rows("Audit") == audit
    assert row_of(counting, "Duos", duo["ID"])["Status"] == "Declined"
    assert people_statuses(counting, duo) == ["Ready", "Ready"]


def test_a_status_changed_in_the_sheet_since_loading_writes_nothing_at_all(
    counting: CountingStore,
) -> None:
    duo = a_duo(counting, "Active")
    counting.update("Duos", duo["ID"], {"Status": "Ended early"}, "staff@sheet")
    counting.units.clear()
    outcome = change_duo(counting, BRUSSELS, duo["ID"], complete_now(), TODAY, seen=duo)
    assert not outcome.ok and outcome.redo is not None
    assert counting.units == []


def test_logging_a_meeting_writes_the_row_and_its_audit_row_in_one_write(
    counting: CountingStore,
) -> None:
    duo = a_duo(counting, "Active")
    outcome = log_meeting(counting, BRUSSELS, duo["ID"], MeetingEntry(TODAY, 2, "Video"), TODAY)
    [meeting_id] = outcome.ids
    assert len(counting.units) == 1
    assert row_of(counting, "Meetings", meeting_id)["Duo ID"] == duo["ID"]
    assert audit_rows(counting, meeting_id) == ["log_meeting"]


def test_a_meeting_unit_written_twice_leaves_one_row(counting: CountingStore) -> None:
    duo = a_duo(counting, "Active")
    before = counting.rows("Meetings")
    [meeting_id] = log_meeting(
        counting, BRUSSELS, duo["ID"], MeetingEntry(TODAY, 2, "Video"), TODAY
    ).ids
    assert counting.again().ids == ((meeting_id,),)
    assert counting.rows("Meetings") == before + 1
    assert audit_rows(counting, meeting_id) == ["log_meeting"]


def meeting_form(store: Store) -> Outcome:
    duo = a_duo(store, "Active")
    entry = MeetingEntry(TODAY, 1, "Phone")
    return log_meeting(store, BRUSSELS, duo["ID"], entry, TODAY, record_id="M-AGA2N2")


def check_in_form(store: Store) -> Outcome:
    duo = a_duo(store, "Active")
    entry = CheckInEntry(TODAY, "Both", "Good")
    return log_check_in(store, BRUSSELS, duo["ID"], entry, TODAY, record_id="C-AGA2N2")


def evaluation_form(store: Store) -> Outcome:
    duo = a_duo(store, "Completed")
    entry = EvaluationEntry("Mentee", TODAY, "Yes", "Training", "", 5)
    return log_evaluation(store, BRUSSELS, duo["ID"], entry, TODAY, record_id="E-AGA2N2")


@pytest.mark.parametrize(
    ("tab", "send"),
    [("Meetings", meeting_form), ("Check-ins", check_in_form), ("Evaluations", evaluation_form)],
)
def test_a_form_sent_again_with_the_id_the_page_made_leaves_one_row(
    counting: CountingStore, tab: str, send: Callable[[Store], Outcome]
) -> None:
    before = counting.rows(tab)
    first, second = send(counting), send(counting)
    assert first.ids == second.ids and len(first.ids) == 1
    assert counting.rows(tab) == before + 1
