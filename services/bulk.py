"""Bulk actions on the ticked rows of the Participants and Duos lists.

One action on several records is ONE use case: it reads the tabs afresh, plans each ticked
record with the same rules as the single action (`workflow.apply_person_action`,
`workflow.apply_duo_action`, `services.duos.step_problems`, the office check), and writes
every move in one unit of work (`write_planned`: one `Store.write`, an audit row per record).
A record the rule refuses, or of an office the coordinator does not work for, is skipped and
named with the reason; it never stops the others.

The planning (`plan_person_moves`, `plan_duo_moves`) is pure: who moves, who is skipped and
why, from the rows as the workbook holds them. Registering ticked people for a session is
the Sessions page's own use case (`services.sessions.register_people`), which already plans
the whole group in one unit, skips and names who the session is not for and asks before
going over capacity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from access import User
from i18n import Messages
from services.duos import step_problems
from services.offices import OutOfOffice, check_office
from services.sessions import Skipped, sessions_overview, split_upcoming
from services.unit import Outcome, Unit, read_now, write_planned
from sheets.store import Store
from workflow import (
    DUOS_TAB,
    MENTEE,
    PARTICIPANTS_TAB,
    READY,
    AttendInfoSession,
    CompleteIntake,
    DuoAction,
    DuoStep,
    MarkReady,
    MarkTrained,
    PersonAction,
    PersonStep,
    PutOnHold,
    Resume,
    ReturnToPool,
    TransitionError,
    Withdraw,
    allowed_duo_actions,
    allowed_participant_actions,
    apply_duo_action,
    apply_person_action,
    by_id,
    cell_text,
    duo_office,
    person_name,
    records,
    status_before_hold,
)

bulk_message = Messages("bulk")
"""A message of `i18n/bulk.toml`."""

StepFor = Callable[[Mapping[str, Any]], PersonStep]
"""The step one ticked person takes (a resume goes back to each one's own status)."""


@dataclass
class BulkPlan:
    """What a bulk action writes, who it moves (by name) and who it leaves out, and why."""

    unit: Unit = field(default_factory=Unit)
    moved: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class BulkOutcome(Outcome):
    """An `Outcome` naming the records moved and those skipped with their reason."""

    moved: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# -- participants ------------------------------------------------------------------------


def bulk_person_actions(
    people: Sequence[Mapping[str, Any]], duos: pd.DataFrame | None
) -> tuple[PersonAction, ...]:
    """The status moves at least one of these people may take, in workflow order."""
    allowed = {action for person in people for action in allowed_participant_actions(person, duos)}
    return tuple(action for action in PersonAction if action in allowed)


def step_for_everyone(step: PersonStep) -> StepFor:
    """The same step for each ticked person."""
    return lambda person: step


def resume_each(person: Mapping[str, Any]) -> PersonStep:
    """Back from the pause to the status the app noted when it began (else Ready)."""
    return Resume(status_before_hold(person) or READY)


def bulk_step(action: PersonAction, on: date, reason: str = "", ready: bool = False) -> StepFor:
    """The step each ticked person takes for a status move chosen on the list.

    `ready` (an intake completed straight to Ready) is for the mentees among them: mentors
    go on to their training, as the single step allows. A resume takes each person back to
    their own status before the pause.
    """
    match action:
        case PersonAction.ATTEND_INFO_SESSION:
            return step_for_everyone(AttendInfoSession(on))
        case PersonAction.COMPLETE_INTAKE:
            return lambda person: CompleteIntake(
                on, ready=ready and cell_text(person, "Role") == MENTEE
            )
        case PersonAction.MARK_TRAINED:
            return step_for_everyone(MarkTrained(on))
        case PersonAction.MARK_READY:
            return step_for_everyone(MarkReady())
        case PersonAction.PUT_ON_HOLD:
            return step_for_everyone(PutOnHold(on, reason))
        case PersonAction.RESUME:
            return resume_each
        case PersonAction.WITHDRAW:
            return step_for_everyone(Withdraw(on, reason))
        case PersonAction.RETURN_TO_POOL:
            return step_for_everyone(ReturnToPool())


def plan_person_moves(
    user: User,
    person_ids: Sequence[str],
    people: pd.DataFrame,
    duos: pd.DataFrame,
    step_for: StepFor,
    action: str,
) -> BulkPlan:
    """One status move per ticked person, in one unit; the others skipped with the reason.

    Each person is checked as `services.people.change_status` checks one: their office, then
    the workflow's rules on their row as `people` holds it.
    """
    plan = BulkPlan()
    rows = by_id(records(people))
    for person_id in dict.fromkeys(person_ids):
        person = rows.get(person_id)
        if person is None:
            plan.skipped.append(Skipped(person_id, bulk_message("not_found", id=person_id)))
            continue
        name = person_name(person)
        try:
            check_office(user, cell_text(person, "Office"), person_id)
            transition = apply_person_action(person, step_for(person), duos)
        except (OutOfOffice, TransitionError) as refused:
            plan.skipped.append(Skipped(name, refused.msg))
            continue
        for change in transition.changes:
            plan.unit.update(change, action)
        plan.moved.append(name)
    return plan


def move_people(
    store: Store, user: User, person_ids: Sequence[str], step_for: StepFor, action: str
) -> BulkOutcome:
    """Move the ticked people on (one write), each by the workflow's rules; `action` is the
    audit's name for it (the step's kind, as a single move)."""
    return _moved(
        store,
        user,
        lambda people, duos: plan_person_moves(user, person_ids, people, duos, step_for, action),
    )


def withdraw_people(
    store: Store, user: User, person_ids: Sequence[str], on: date, reason: str
) -> BulkOutcome:
    """Withdraw the ticked people, the reason (required) written to each one's Notes."""
    if not reason.strip():
        raise TransitionError(bulk_message("reason_required"))
    step = Withdraw(on, reason)
    return move_people(store, user, person_ids, step_for_everyone(step), str(step.kind))


def upcoming_sessions(
    sessions: pd.DataFrame, attendance: pd.DataFrame, today: date
) -> pd.DataFrame:
    """The sessions people may be registered for from the list: from today on, soonest
    first, with their places left (the Sessions page's own overview)."""
    upcoming, _ = split_upcoming(sessions_overview(sessions, attendance), today)
    return upcoming


# -- duos ----------------------------------------------------------------------------------

BULK_DUO_ACTIONS = (DuoAction.DECLINE, DuoAction.COMPLETE, DuoAction.END_EARLY)
"""The duo steps that make sense for several duos at once: the endings (an intro date or
an agreement's objectives belong to one duo)."""


def bulk_duo_actions(duos: Sequence[Mapping[str, Any]]) -> tuple[DuoAction, ...]:
    """The endings at least one of these duos may take, in workflow order."""
    allowed = {action for duo in duos for action in allowed_duo_actions(duo)}
    return tuple(action for action in BULK_DUO_ACTIONS if action in allowed)


def plan_duo_moves(
    user: User,
    duo_ids: Sequence[str],
    people: pd.DataFrame,
    duos: pd.DataFrame,
    step: DuoStep,
    today: date,
) -> BulkPlan:
    """One duo step per ticked duo (and its mentor's and mentee's moves), in one unit.

    Each duo is checked as `services.duos.change_duo` checks one: its office, the form's
    rules (`step_problems`) and the workflow's (`apply_duo_action`). The duos and people are
    followed as planned, so that a mentor of two ticked duos ends up as the last one leaves
    them (In duo while another of them is live).
    """
    plan = BulkPlan()
    problems = step_problems(step, today)
    duo_rows = {cell_text(d, "ID"): dict(d) for d in records(duos)}
    person_rows = {cell_text(p, "ID"): dict(p) for p in records(people)}
    for duo_id in dict.fromkeys(duo_ids):
        duo = duo_rows.get(duo_id)
        if duo is None:
            plan.skipped.append(Skipped(duo_id, bulk_message("not_found", id=duo_id)))
            continue
        name = duo_name(duo, person_rows)
        try:
            check_office(user, duo_office(duo, person_rows), duo_id)
            if problems:
                raise TransitionError(problems[0])
            transition = apply_duo_action(
                duo, step, _frame(person_rows, people), _frame(duo_rows, duos)
            )
        except (OutOfOffice, TransitionError) as refused:
            plan.skipped.append(Skipped(name, refused.msg))
            continue
        for change in transition.changes:
            plan.unit.update(change, str(step.kind))
            rows = duo_rows if change.tab == DUOS_TAB else person_rows
            rows[change.record_id].update(change.cells)
        plan.moved.append(name)
    return plan


def duo_name(duo: Mapping[str, Any], people: Mapping[str, Mapping[str, Any]]) -> str:
    """The duo as the list names it: mentor & mentee (an unknown person by their ID)."""
    names = []
    for column in ("Mentor ID", "Mentee ID"):
        person_id = cell_text(duo, column)
        person = people.get(person_id)
        names.append(person_name(person) if person is not None else person_id)
    return f"{' & '.join(names)} ({cell_text(duo, 'ID')})"


def _frame(rows: Mapping[str, Mapping[str, Any]], like: pd.DataFrame) -> pd.DataFrame:
    """The rows as planned so far, as a frame of the tab's columns."""
    return pd.DataFrame([dict(row) for row in rows.values()], columns=list(like.columns))


def move_duos(
    store: Store, user: User, duo_ids: Sequence[str], step: DuoStep, today: date
) -> BulkOutcome:
    """Move the ticked duos on with one step (one write), each by the duo workflow's rules."""
    return _moved(
        store, user, lambda people, duos: plan_duo_moves(user, duo_ids, people, duos, step, today)
    )


def _moved(
    store: Store, user: User, plan_on: Callable[[pd.DataFrame, pd.DataFrame], BulkPlan]
) -> BulkOutcome:
    """The moves `plan_on` plans on the Participants and Duos tabs as they are now, written in
    one write: what a bulk move of people or of duos did."""

    def plan() -> BulkPlan:
        tables = read_now(store, [PARTICIPANTS_TAB, DUOS_TAB])
        return plan_on(tables[PARTICIPANTS_TAB].frame, tables[DUOS_TAB].frame)

    planned, written = write_planned(store, user.email, plan)
    return _outcome(planned, planned.unit.conflicts(written))


def _outcome(planned: BulkPlan, conflicts: list[Any]) -> BulkOutcome:
    message = bulk_message("done", moved=len(planned.moved), skipped=len(planned.skipped))
    return BulkOutcome(message, conflicts=conflicts, moved=planned.moved, skipped=planned.skipped)
