"""The programme's workflow rules: which status moves are allowed, and what each one writes.

Pure functions over the DataFrames the store returns (see `sheets/schema.py` for their shape)
and plain dataclasses: no Streamlit, no sheet access, no clock (`today` and action dates are
always given). An action never writes anything itself: it returns the cells to change, row by
row, with the values that were seen, so the store can write only those cells and refuse to
overwrite what someone else changed meanwhile. Illegal moves raise `TransitionError`, which
carries a translatable `Msg`.

Also here: the checks that the statuses of people and duos agree with each other (for the
data-quality page) and the eligibility rules of the intake form. The coordinator's to-do list
is in `attention.py`, key figures and reports in `reports.py`.
"""

from __future__ import annotations

import math
import numbers
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeAlias, cast

import pandas as pd
from dateutil.relativedelta import relativedelta

from i18n import Messages, Msg
from sheets.schema import LANGUAGES, PROGRAMME_LANGUAGES
from sheets.values import normalise_key

PARTICIPANTS_TAB = "Participants"
DUOS_TAB = "Duos"
ROW = "_row"

MENTOR, MENTEE = "Mentor", "Mentee"
ROLES = (MENTOR, MENTEE)

APPLIED = "Applied"
INFO_SESSION = "Info session"
INTAKE_DONE = "Intake done"
TRAINED = "Trained"
READY = "Ready"
IN_DUO = "In duo"
ALUMNI = "Alumni"
ON_HOLD = "On hold"
WITHDRAWN = "Withdrawn"
PERSON_STATUSES = (
    APPLIED,
    INFO_SESSION,
    INTAKE_DONE,
    TRAINED,
    READY,
    IN_DUO,
    ALUMNI,
    ON_HOLD,
    WITHDRAWN,
)
PRE_DUO_STATUSES = frozenset({APPLIED, INFO_SESSION, INTAKE_DONE, TRAINED, READY})
ACTIVE_PERSON_STATUSES = PRE_DUO_STATUSES | {IN_DUO}
KEPT_BY_STAFF = frozenset({ON_HOLD, WITHDRAWN})
"""Statuses a duo's end never overrides: staff put the person there on purpose."""

PROPOSED = "Proposed"
INTRO_PLANNED = "Intro planned"
ACTIVE = "Active"
COMPLETED = "Completed"
ENDED_EARLY = "Ended early"
DECLINED = "Declined"
DUO_STATUSES = (PROPOSED, INTRO_PLANNED, ACTIVE, COMPLETED, ENDED_EARLY, DECLINED)
LIVE_DUO_STATUSES = frozenset({PROPOSED, INTRO_PLANNED, ACTIVE})
STARTED_DUO_STATUSES = frozenset({ACTIVE, COMPLETED, ENDED_EARLY})
ENDED_DUO_STATUSES = frozenset({COMPLETED, ENDED_EARLY})

DECLINED_BY = ("Mentor", "Mentee", "Both", "Coordinator")
PROGRAMME_MONTHS = 6
MATCH_REASONS_MAX_CHARS = 250
MENTEE_MIN_AGE, MENTEE_MAX_AGE, MENTOR_MIN_AGE = 18, 33, 50

Row: TypeAlias = "Mapping[str, Any] | pd.Series[Any]"


workflow_message = Messages("workflow")
"""A message of `i18n/workflow.toml`."""


class TransitionError(ValueError):
    """A status move or action that the programme's rules do not allow; `msg` says why."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.key)
        self.msg = msg


# -- reading cells ------------------------------------------------------------------------


def as_record(row: Row) -> Mapping[str, Any]:
    if isinstance(row, pd.Series):
        return cast(dict[str, Any], row.to_dict())
    return row


def records(
    frame: pd.DataFrame | None, columns: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """The rows of a tab as plain dicts (an absent or empty tab gives none).

    Built column by column, which is several times faster than `DataFrame.to_dict` on the
    largest tabs; date columns come as `datetime.date` (None when blank, the time of a
    timestamp dropped). `columns` keeps only those that exist of the ones named.
    """
    if frame is None or frame.empty:
        return []
    names = [str(name) for name in frame.columns]
    if columns is not None:
        names = [name for name in columns if name in names]
    values = [_plain_values(frame[name]) for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _plain_values(column: pd.Series[Any]) -> list[Any]:
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return cast(list[Any], column.to_numpy(dtype="datetime64[D]").tolist())
    return column.tolist()


def _missing(value: Any) -> bool:
    """None, NaN or NaT; tested cheaply first, as it runs for every cell the rules read."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, datetime):
        return bool(pd.isna(value))
    if isinstance(value, str | int | date | list | tuple | set | dict):
        return False
    return bool(pd.isna(value))


def cell_text(row: Mapping[str, Any], column: str) -> str:
    value = row.get(column)
    if isinstance(value, str):
        return value.strip()
    return "" if _missing(value) else str(value).strip()


def cell_date(row: Mapping[str, Any], column: str) -> date | None:
    value = row.get(column)
    if isinstance(value, datetime):
        return None if pd.isna(value) else value.date()
    return value if isinstance(value, date) else None


def cell_number(row: Mapping[str, Any], column: str) -> float | None:
    value = row.get(column)
    if _missing(value) or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def sheet_row(row: Mapping[str, Any]) -> int | None:
    value = cell_number(row, ROW)
    return None if value is None else int(value)


def _seen_value(row: Mapping[str, Any], column: str) -> Any:
    """A cell as read, in the plain form a change to it is written in."""
    value = row.get(column)
    if isinstance(value, list | tuple):
        return list(value)
    if _missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def person_name(person: Mapping[str, Any]) -> str:
    """First and last name, or the ID once personal data has been erased."""
    name = f"{cell_text(person, 'First name')} {cell_text(person, 'Last name')}".strip()
    return name or cell_text(person, "ID")


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later (earlier if negative), clamped to the end
    of a shorter month: 31 August + 6 months is 29 February in a leap year."""
    return start + relativedelta(months=months)


def by_id(rows: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {cell_text(row, "ID"): row for row in rows if cell_text(row, "ID")}


def duo_office(duo: Mapping[str, Any], people: Mapping[str, Mapping[str, Any]]) -> str:
    """The duo's office, else its mentee's, else its mentor's (a row typed by hand may lack it)."""
    office = cell_text(duo, "Office")
    for column in ("Mentee ID", "Mentor ID"):
        person = people.get(cell_text(duo, column))
        if not office and person is not None:
            office = cell_text(person, "Office")
    return office


def live_duos_of(person_id: str, duos: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [
        duo
        for duo in duos
        if cell_text(duo, "Status") in LIVE_DUO_STATUSES
        and person_id in (cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID"))
    ]


def duos_by_person(duos: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Each person's duos (as mentor or mentee), so that checks over everyone stay linear."""
    index: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for duo in duos:
        for column in ("Mentor ID", "Mentee ID"):
            if person_id := cell_text(duo, column):
                index[person_id].append(duo)
    return index


def mentor_capacity(mentor: Mapping[str, Any]) -> int:
    """Mentees a mentor takes at a time; blank (or nonsense) means the usual one."""
    capacity = cell_number(mentor, "Capacity")
    return 1 if capacity is None or capacity < 1 else int(capacity)


# -- what an action writes ----------------------------------------------------------------


@dataclass(frozen=True)
class RecordChange:
    """Cells to change in one row, found by ID; `seen` holds their values as read.

    Pass both to `Store.update(tab, record_id, cells, who, seen=seen)`. `Updated on` is left
    to the store.
    """

    tab: str
    record_id: str
    cells: dict[str, Any]
    seen: dict[str, Any]
    row: int | None = None


@dataclass(frozen=True)
class Transition:
    """The outcome of an action: the changes to write (duo first), and what happened."""

    changes: tuple[RecordChange, ...]
    message: Msg


@dataclass(frozen=True)
class NewDuo:
    """A proposed duo: the row to append to Duos (the store gives its ID) and the people's moves."""

    record: dict[str, Any]
    changes: tuple[RecordChange, ...]
    message: Msg


def _change(tab: str, row: Mapping[str, Any], cells: Mapping[str, Any]) -> RecordChange | None:
    """Only the cells whose value really changes; None when nothing does."""
    changed = {
        column: value for column, value in cells.items() if _seen_value(row, column) != value
    }
    if not changed:
        return None
    seen = {column: _seen_value(row, column) for column in changed}
    return RecordChange(tab, cell_text(row, "ID"), changed, seen, sheet_row(row))


def _append_note(notes: str, line: str) -> str:
    return f"{notes.rstrip()}\n{line}" if notes.strip() else line


# -- participant status moves -------------------------------------------------------------


class PersonAction(StrEnum):
    ATTEND_INFO_SESSION = "attend_info_session"
    COMPLETE_INTAKE = "complete_intake"
    MARK_TRAINED = "mark_trained"
    MARK_READY = "mark_ready"
    PUT_ON_HOLD = "put_on_hold"
    RESUME = "resume"
    WITHDRAW = "withdraw"
    RETURN_TO_POOL = "return_to_pool"


_EVERYONE_FROM_ACTIVE = {MENTOR: ACTIVE_PERSON_STATUSES, MENTEE: ACTIVE_PERSON_STATUSES}
PERSON_MOVES: dict[PersonAction, dict[str, frozenset[str]]] = {
    PersonAction.ATTEND_INFO_SESSION: {MENTOR: frozenset({APPLIED}), MENTEE: frozenset({APPLIED})},
    PersonAction.COMPLETE_INTAKE: {
        MENTOR: frozenset({INFO_SESSION}),
        MENTEE: frozenset({INFO_SESSION}),
    },
    PersonAction.MARK_TRAINED: {MENTOR: frozenset({INTAKE_DONE})},
    PersonAction.MARK_READY: {MENTOR: frozenset({TRAINED}), MENTEE: frozenset({INTAKE_DONE})},
    PersonAction.PUT_ON_HOLD: _EVERYONE_FROM_ACTIVE,
    PersonAction.RESUME: {MENTOR: frozenset({ON_HOLD}), MENTEE: frozenset({ON_HOLD})},
    PersonAction.WITHDRAW: {
        MENTOR: ACTIVE_PERSON_STATUSES | {ON_HOLD},
        MENTEE: ACTIVE_PERSON_STATUSES | {ON_HOLD},
    },
    PersonAction.RETURN_TO_POOL: {MENTOR: frozenset({ALUMNI})},
}
"""Per action and role, the statuses it may start from (In duo moves only through duos)."""

PERSON_ACTION_LABELS: dict[PersonAction, Msg] = {
    PersonAction.ATTEND_INFO_SESSION: workflow_message("action_attend_info_session"),
    PersonAction.COMPLETE_INTAKE: workflow_message("action_complete_intake"),
    PersonAction.MARK_TRAINED: workflow_message("action_mark_trained"),
    PersonAction.MARK_READY: workflow_message("action_mark_ready"),
    PersonAction.PUT_ON_HOLD: workflow_message("action_put_on_hold"),
    PersonAction.RESUME: workflow_message("action_resume"),
    PersonAction.WITHDRAW: workflow_message("action_withdraw"),
    PersonAction.RETURN_TO_POOL: workflow_message("action_return_to_pool"),
}

_NEEDS_NO_LIVE_DUO = frozenset({PersonAction.PUT_ON_HOLD, PersonAction.WITHDRAW})
_HOLD_NOTE = re.compile(r"On hold \(was ([^)]+)\)")


@dataclass(frozen=True)
class AttendInfoSession:
    kind: ClassVar[PersonAction] = PersonAction.ATTEND_INFO_SESSION
    on: date


@dataclass(frozen=True)
class CompleteIntake:
    """The intake interview took place; a mentee may go straight to Ready (coordinator decides)."""

    kind: ClassVar[PersonAction] = PersonAction.COMPLETE_INTAKE
    on: date
    ready: bool = False


@dataclass(frozen=True)
class MarkTrained:
    kind: ClassVar[PersonAction] = PersonAction.MARK_TRAINED
    on: date


@dataclass(frozen=True)
class MarkReady:
    kind: ClassVar[PersonAction] = PersonAction.MARK_READY


@dataclass(frozen=True)
class PutOnHold:
    kind: ClassVar[PersonAction] = PersonAction.PUT_ON_HOLD
    on: date
    reason: str = ""


@dataclass(frozen=True)
class Resume:
    """Back from On hold: to the status before (see `status_before_hold`) or to Ready."""

    kind: ClassVar[PersonAction] = PersonAction.RESUME
    to: str = READY


@dataclass(frozen=True)
class Withdraw:
    kind: ClassVar[PersonAction] = PersonAction.WITHDRAW
    on: date
    reason: str


@dataclass(frozen=True)
class ReturnToPool:
    """An alumnus mentor who wants another mentee."""

    kind: ClassVar[PersonAction] = PersonAction.RETURN_TO_POOL


PersonStep: TypeAlias = (
    AttendInfoSession
    | CompleteIntake
    | MarkTrained
    | MarkReady
    | PutOnHold
    | Resume
    | Withdraw
    | ReturnToPool
)


def status_before_hold(person: Row) -> str | None:
    """The status a person had when put on hold, as the app noted it in Notes (None if unknown)."""
    found = _HOLD_NOTE.findall(cell_text(as_record(person), "Notes"))
    return found[-1] if found and found[-1] in PRE_DUO_STATUSES else None


def allowed_participant_actions(person: Row, duos: pd.DataFrame | None) -> tuple[PersonAction, ...]:
    """The status moves the page may offer for this person, in workflow order."""
    record = as_record(person)
    role, status = cell_text(record, "Role"), cell_text(record, "Status")
    has_live_duo = bool(live_duos_of(cell_text(record, "ID"), records(duos)))
    return tuple(
        action
        for action, starts in PERSON_MOVES.items()
        if status in starts.get(role, frozenset())
        and not (has_live_duo and action in _NEEDS_NO_LIVE_DUO)
    )


def apply_person_action(person: Row, step: PersonStep, duos: pd.DataFrame | None) -> Transition:
    """The cells a status move writes in the person's row, or `TransitionError`."""
    record = as_record(person)
    _check_person_action(record, step, duos)
    cells = _person_cells(record, step)
    change = _change(PARTICIPANTS_TAB, record, cells)
    message = workflow_message("person_moved", person=person_name(record), status=cells["Status"])
    return Transition(() if change is None else (change,), message)


def _check_person_action(
    record: Mapping[str, Any], step: PersonStep, duos: pd.DataFrame | None
) -> None:
    role, status = cell_text(record, "Role"), cell_text(record, "Status")
    if role not in ROLES:
        raise TransitionError(workflow_message("unknown_role", role=role))
    if step.kind not in allowed_participant_actions(record, duos):
        if step.kind in _NEEDS_NO_LIVE_DUO and status in PERSON_MOVES[step.kind][role]:
            raise TransitionError(
                workflow_message("person_has_live_duo", person=person_name(record))
            )
        raise TransitionError(workflow_message("person_move_not_allowed", role=role, status=status))
    if isinstance(step, CompleteIntake) and step.ready and role != MENTEE:
        raise TransitionError(workflow_message("mentor_needs_training"))
    if isinstance(step, Withdraw) and not step.reason.strip():
        raise TransitionError(workflow_message("reason_required"))
    if isinstance(step, Resume):
        _check_resume_target(record, step.to)


def _check_resume_target(record: Mapping[str, Any], target: str) -> None:
    role, before = cell_text(record, "Role"), status_before_hold(record)
    fits_role = target in PRE_DUO_STATUSES and not (target == TRAINED and role == MENTEE)
    if not fits_role or (before is not None and target not in (before, READY)):
        raise TransitionError(workflow_message("resume_target_not_allowed", status=target))


def _person_cells(record: Mapping[str, Any], step: PersonStep) -> dict[str, Any]:
    notes = cell_text(record, "Notes")
    match step:
        case AttendInfoSession():
            return {"Status": INFO_SESSION}
        case CompleteIntake(on=on, ready=ready):
            return {"Status": READY if ready else INTAKE_DONE, "Intake on": on}
        case MarkTrained(on=on):
            return {"Status": TRAINED, "Trained on": on}
        case MarkReady() | ReturnToPool():
            return {"Status": READY}
        case PutOnHold(on=on, reason=reason):
            line = f"{on.isoformat()} On hold (was {cell_text(record, 'Status')})"
            line = f"{line}: {reason.strip()}" if reason.strip() else line
            return {"Status": ON_HOLD, "Notes": _append_note(notes, line)}
        case Resume(to=target):
            return {"Status": target}
        case Withdraw(on=on, reason=reason):
            line = f"{on.isoformat()} Withdrawn: {reason.strip()}"
            return {"Status": WITHDRAWN, "Notes": _append_note(notes, line)}


# -- merging two applicant rows and undoing a move -------------------------------------------

MERGEABLE_STATUSES = frozenset({APPLIED, INFO_SESSION})
"""Applicants before their intake: the only rows that may be merged as one person."""
MERGE_KEPT_OUT = frozenset({"ID", "Status", "Updated on", ROW})
"""Cells a merge never copies onto the kept row."""
UNDO_INTAKE = "intake"
"""The Audit action of the intake form, a status move when it completed or withdrew."""
_MOVED_TO: dict[str, frozenset[str]] = {
    PersonAction.ATTEND_INFO_SESSION: frozenset({INFO_SESSION}),
    PersonAction.COMPLETE_INTAKE: frozenset({INTAKE_DONE, READY}),
    PersonAction.MARK_TRAINED: frozenset({TRAINED}),
    PersonAction.MARK_READY: frozenset({READY}),
    PersonAction.PUT_ON_HOLD: frozenset({ON_HOLD}),
    PersonAction.RESUME: PRE_DUO_STATUSES,
    PersonAction.WITHDRAW: frozenset({WITHDRAWN}),
    PersonAction.RETURN_TO_POOL: frozenset({READY}),
    UNDO_INTAKE: frozenset({INTAKE_DONE, READY}),
}
"""Per status move (an Audit action), the statuses it leaves a person in."""
UNDOABLE_ACTIONS = frozenset(_MOVED_TO)


def _blank_cell(value: Any) -> bool:
    if isinstance(value, list | tuple | set | dict):
        return not value
    return _missing(value) or (isinstance(value, str) and not value.strip())


def merge_applicants(keep: Row, other: Row, on: date, columns: Iterable[str]) -> Transition:
    """Two rows of one applicant as one: the kept row gets each of `columns` it lacks from
    the other (a filled cell is never overwritten); the other is Withdrawn, noted as merged."""
    kept, gone = as_record(keep), as_record(other)
    _check_merge(kept, gone)
    filled = {
        column: _seen_value(gone, column)
        for column in columns
        if column not in MERGE_KEPT_OUT
        and _blank_cell(kept.get(column))
        and not _blank_cell(gone.get(column))
    }
    keep_id = cell_text(kept, "ID")
    line = f"{on.isoformat()} merged into {keep_id}"
    closed = {"Status": WITHDRAWN, "Notes": _append_note(cell_text(gone, "Notes"), line)}
    changes = (_change(PARTICIPANTS_TAB, kept, filled), _change(PARTICIPANTS_TAB, gone, closed))
    message = workflow_message(
        "merged", other=cell_text(gone, "ID"), person=person_name(kept), id=keep_id
    )
    return Transition(tuple(change for change in changes if change is not None), message)


def _check_merge(kept: Mapping[str, Any], gone: Mapping[str, Any]) -> None:
    if cell_text(kept, "ID") == cell_text(gone, "ID"):
        raise TransitionError(workflow_message("merge_same_row"))
    for person in (kept, gone):
        if cell_text(person, "Status") not in MERGEABLE_STATUSES:
            raise TransitionError(
                workflow_message(
                    "merge_not_applicant",
                    person=person_name(person),
                    status=cell_text(person, "Status"),
                )
            )
    if cell_text(kept, "Office") != cell_text(gone, "Office"):
        raise TransitionError(workflow_message("merge_other_office"))


def status_before(person: Row, action: str) -> str | None:
    """The status a person had before `action` brought them where they are (None: unknown).

    Known when the move starts from one status for the person's role, and for a pause (the
    app notes the status it paused); a withdrawal from any status is not known.
    """
    record = as_record(person)
    role, status = cell_text(record, "Role"), cell_text(record, "Status")
    if action == PersonAction.PUT_ON_HOLD:
        return status_before_hold(record)
    if action == UNDO_INTAKE:
        return INFO_SESSION if status in (INTAKE_DONE, READY) else None
    if action == PersonAction.COMPLETE_INTAKE:
        return INFO_SESSION
    starts = PERSON_MOVES.get(PersonAction(action), {}).get(role, frozenset())
    return next(iter(starts)) if len(starts) == 1 else None


def check_undo(moved_on: date | None, today: date, status: str, seen_status: str | None) -> None:
    """An undo is for a move made today, of a status nobody changed since the user saw it."""
    if seen_status is not None and status != seen_status:
        raise TransitionError(workflow_message("undo_changed_since"))
    if moved_on != today:
        raise TransitionError(workflow_message("undo_not_today"))


def undo_person_move(person: Row, action: str, duos: pd.DataFrame | None) -> Transition:
    """The move back to the status before the person's last move `action`, or `TransitionError`.

    The person must still be where that move left them, out of any live duo, and the status
    before must be known and fit their role.
    """
    record = as_record(person)
    status, role = cell_text(record, "Status"), cell_text(record, "Role")
    if action not in UNDOABLE_ACTIONS or status not in _MOVED_TO[action]:
        raise TransitionError(workflow_message("undo_nothing"))
    if live_duos_of(cell_text(record, "ID"), records(duos)):
        raise TransitionError(workflow_message("person_has_live_duo", person=person_name(record)))
    before = status_before(record, action)
    if before is None or (before == TRAINED and role != MENTOR):
        raise TransitionError(workflow_message("undo_before_unknown"))
    change = _change(PARTICIPANTS_TAB, record, {"Status": before})
    message = workflow_message("person_moved", person=person_name(record), status=before)
    return Transition(() if change is None else (change,), message)


# -- duo moves ----------------------------------------------------------------------------


class DuoAction(StrEnum):
    PLAN_INTRO = "plan_intro"
    RECORD_AGREEMENT = "record_agreement"
    DECLINE = "decline"
    COMPLETE = "complete"
    END_EARLY = "end_early"


DUO_MOVES: dict[str, tuple[DuoAction, ...]] = {
    PROPOSED: (DuoAction.PLAN_INTRO, DuoAction.DECLINE),
    INTRO_PLANNED: (DuoAction.PLAN_INTRO, DuoAction.RECORD_AGREEMENT, DuoAction.DECLINE),
    ACTIVE: (DuoAction.COMPLETE, DuoAction.END_EARLY),
}
"""Per duo status, the actions allowed (planning the intro again reschedules it)."""

DUO_ACTION_LABELS: dict[DuoAction, Msg] = {
    DuoAction.PLAN_INTRO: workflow_message("action_plan_intro"),
    DuoAction.RECORD_AGREEMENT: workflow_message("action_record_agreement"),
    DuoAction.DECLINE: workflow_message("action_decline"),
    DuoAction.COMPLETE: workflow_message("action_complete"),
    DuoAction.END_EARLY: workflow_message("action_end_early"),
}


@dataclass(frozen=True)
class PlanIntro:
    """The intro meeting's day, and its time (`HH:MM`) and place when given.

    Time and place go to `Intro time` and `Intro place` (messages and invitations read them);
    a time or place left blank keeps the one the row holds (a reschedule of the day only).
    """

    kind: ClassVar[DuoAction] = DuoAction.PLAN_INTRO
    on: date
    time: str = ""
    place: str = ""


@dataclass(frozen=True)
class RecordAgreement:
    """The first meeting confirmed the match and the agreement is signed: the 6 months start.

    The duo statuses have no step between "intro planned" and "active", so confirming the
    intro and recording the signature are this one action. Blank objectives keep those the
    Objectives cell already holds; the agreement needs some.
    """

    kind: ClassVar[DuoAction] = DuoAction.RECORD_AGREEMENT
    on: date
    objectives: str = ""


@dataclass(frozen=True)
class Decline:
    kind: ClassVar[DuoAction] = DuoAction.DECLINE
    on: date
    by: str
    reason: str


@dataclass(frozen=True)
class Complete:
    """The programme ran to its end. Completing it before the planned end (the day the
    agreement was signed, say) is no plain step: it needs `confirmed` and a `reason`
    (see `early_completion`)."""

    kind: ClassVar[DuoAction] = DuoAction.COMPLETE
    on: date
    mentor_wants_another: bool = False
    confirmed: bool = False
    reason: str = ""


@dataclass(frozen=True)
class EndEarly:
    """An unplanned ending; each person goes back to Ready unless the coordinator says Alumni
    (a mentee who found a job, a mentor who stops mentoring)."""

    kind: ClassVar[DuoAction] = DuoAction.END_EARLY
    on: date
    reason: str
    mentor_to: str = READY
    mentee_to: str = READY


DuoStep: TypeAlias = PlanIntro | RecordAgreement | Decline | Complete | EndEarly


def allowed_duo_actions(duo: Row) -> tuple[DuoAction, ...]:
    return DUO_MOVES.get(cell_text(as_record(duo), "Status"), ())


def apply_duo_action(
    duo: Row, step: DuoStep, participants: pd.DataFrame | None, duos: pd.DataFrame | None
) -> Transition:
    """The cells an action writes in the duo's row and in its mentor's and mentee's rows.

    A person goes back to Ready (or on to Alumni) only when no other live duo keeps them
    In duo, and never leaves On hold or Withdrawn, which staff chose on purpose. A person
    missing from Participants gets no change (the consistency checks report the duo).
    """
    record = as_record(duo)
    duo_id = cell_text(record, "ID")
    if step.kind not in allowed_duo_actions(record):
        status = cell_text(record, "Status")
        raise TransitionError(workflow_message("duo_move_not_allowed", duo=duo_id, status=status))
    cells = _duo_cells(record, step)
    changes = [_change(DUOS_TAB, record, cells)]
    mentor_to, mentee_to = _people_after(step)
    people, all_duos = by_id(records(participants)), records(duos)
    for column, target in (("Mentor ID", mentor_to), ("Mentee ID", mentee_to)):
        person = people.get(cell_text(record, column))
        if target is not None and person is not None:
            changes.append(_release(person, duo_id, target, all_duos))
    message = workflow_message("duo_moved", duo=duo_id, status=cells["Status"])
    return Transition(tuple(change for change in changes if change is not None), message)


def _duo_cells(record: Mapping[str, Any], step: DuoStep) -> dict[str, Any]:
    match step:
        case PlanIntro(on=on, time=time, place=place):
            _not_before(on, record, "Proposed on")
            cells: dict[str, Any] = {"Status": INTRO_PLANNED, "Intro on": on}
            if time.strip():
                cells["Intro time"] = time.strip()
            if place.strip():
                cells["Intro place"] = place.strip()
            return cells
        case RecordAgreement(on=on, objectives=objectives):
            _not_before(on, record, "Intro on")
            objectives = objectives.strip() or cell_text(record, "Objectives")
            if not objectives:
                raise TransitionError(workflow_message("objectives_required"))
            end = add_months(on, PROGRAMME_MONTHS)
            return {
                "Status": ACTIVE,
                "Agreement on": on,
                "Planned end": end,
                "Objectives": objectives,
            }
        case Decline(on=on, by=by, reason=reason):
            _not_before(on, record, "Proposed on")
            if by not in DECLINED_BY:
                raise TransitionError(workflow_message("declined_by_unknown", by=by))
            reason = _required_reason(reason)
            return {"Status": DECLINED, "Ended on": on, "End reason": f"{by}: {reason}"}
        case Complete(on=on, confirmed=confirmed, reason=reason):
            _not_before(on, record, "Agreement on")
            warning = early_completion(record, on)
            if warning is None:
                return {"Status": COMPLETED, "Ended on": on}
            if not confirmed:
                raise TransitionError(warning)
            if not reason.strip():
                raise TransitionError(
                    workflow_message("early_completion_reason", end=planned_end_of(record))
                )
            return {"Status": COMPLETED, "Ended on": on, "End reason": reason.strip()}
        case EndEarly(on=on, reason=reason, mentor_to=mentor_to, mentee_to=mentee_to):
            _not_before(on, record, "Agreement on")
            for target in (mentor_to, mentee_to):
                if target not in (READY, ALUMNI):
                    raise TransitionError(workflow_message("end_target_not_allowed", status=target))
            return {"Status": ENDED_EARLY, "Ended on": on, "End reason": _required_reason(reason)}


def planned_end_of(duo: Row) -> date | None:
    """The duo's Planned end, else six months after its agreement (None: neither is known)."""
    record = as_record(duo)
    planned = cell_date(record, "Planned end")
    agreed = cell_date(record, "Agreement on")
    if planned is None and agreed is not None:
        return add_months(agreed, PROGRAMME_MONTHS)
    return planned


def early_completion(duo: Row, on: date) -> Msg | None:
    """Why "Programme completed" on `on` needs a confirmation and a reason, or None when it
    is a plain step: on or after the planned end (or when no end is known).

    Completing on the day the agreement was signed is said as such: that is most likely a
    click on the wrong step.
    """
    record = as_record(duo)
    end = planned_end_of(record)
    if end is None or on >= end:
        return None
    if on == cell_date(record, "Agreement on"):
        return workflow_message("completion_on_agreement_day", date=on, end=end)
    return workflow_message("completion_before_planned_end", date=on, end=end)


def _people_after(step: DuoStep) -> tuple[str | None, str | None]:
    """Where the mentor and the mentee go after the action (None: they stay as they are)."""
    match step:
        case Decline():
            return READY, READY
        case Complete(mentor_wants_another=again):
            return (READY if again else ALUMNI), ALUMNI
        case EndEarly(mentor_to=mentor_to, mentee_to=mentee_to):
            return mentor_to, mentee_to
        case _:
            return None, None


def _release(
    person: Mapping[str, Any], duo_id: str, target: str, duos: Sequence[Mapping[str, Any]]
) -> RecordChange | None:
    if cell_text(person, "Status") in KEPT_BY_STAFF:
        return None
    others = [
        duo for duo in live_duos_of(cell_text(person, "ID"), duos) if cell_text(duo, "ID") != duo_id
    ]
    return _change(PARTICIPANTS_TAB, person, {"Status": IN_DUO if others else target})


def _not_before(on: date, record: Mapping[str, Any], column: str) -> None:
    """A step of a duo is not dated before the step it follows."""
    earlier = cell_date(record, column)
    if earlier is None or on >= earlier:
        return
    params = {"date": on, "earlier": earlier}
    if column == "Proposed on":
        raise TransitionError(workflow_message("date_before_proposal", **params))
    if column == "Intro on":
        raise TransitionError(workflow_message("date_before_intro", **params))
    raise TransitionError(workflow_message("date_before_agreement", **params))


def _required_reason(reason: str) -> str:
    if not reason.strip():
        raise TransitionError(workflow_message("reason_required"))
    return reason.strip()


def propose_duo(
    mentor: Row,
    mentee: Row,
    duos: pd.DataFrame | None,
    *,
    on: date,
    coordinator: str,
    score: float | None = None,
    reasons: Sequence[str] = (),
    office: str = "",
) -> NewDuo:
    """A Proposed duo from a match the coordinator accepted; both people go In duo.

    `reasons` are the match reasons as shown to the coordinator (already translated); they are
    kept as one short text. The office defaults to the mentee's.
    """
    mentor_row, mentee_row = as_record(mentor), as_record(mentee)
    all_duos = records(duos)
    _check_proposal(mentor_row, mentee_row, all_duos)
    record: dict[str, Any] = {
        "Mentor ID": cell_text(mentor_row, "ID"),
        "Mentee ID": cell_text(mentee_row, "ID"),
        "Office": office or cell_text(mentee_row, "Office") or cell_text(mentor_row, "Office"),
        "Coordinator": coordinator,
        "Status": PROPOSED,
        "Proposed on": on,
        "Match score": None if score is None else round(float(score), 1),
        "Match reasons": _short_text(reasons),
        "Link version": 1,
    }
    changes = (
        _change(PARTICIPANTS_TAB, row, {"Status": IN_DUO}) for row in (mentor_row, mentee_row)
    )
    message = workflow_message(
        "duo_proposed", mentor=person_name(mentor_row), mentee=person_name(mentee_row)
    )
    return NewDuo(record, tuple(change for change in changes if change is not None), message)


def _check_proposal(
    mentor: Mapping[str, Any], mentee: Mapping[str, Any], duos: Sequence[Mapping[str, Any]]
) -> None:
    mentor_id, mentee_id = cell_text(mentor, "ID"), cell_text(mentee, "ID")
    if cell_text(mentor, "Role") != MENTOR or cell_text(mentee, "Role") != MENTEE:
        raise TransitionError(workflow_message("proposal_wrong_roles"))
    if cell_text(mentee, "Status") != READY or live_duos_of(mentee_id, duos):
        raise TransitionError(
            workflow_message(
                "mentee_not_ready", person=person_name(mentee), status=cell_text(mentee, "Status")
            )
        )
    if not _mentor_has_room(mentor, duos):
        raise TransitionError(
            workflow_message(
                "mentor_not_available",
                person=person_name(mentor),
                status=cell_text(mentor, "Status"),
            )
        )
    for duo in duos:
        same_pair = (cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")) == (
            mentor_id,
            mentee_id,
        )
        if same_pair and cell_text(duo, "Status") == DECLINED:
            raise TransitionError(
                workflow_message("pair_declined_before", duo=cell_text(duo, "ID"))
            )


def _mentor_has_room(mentor: Mapping[str, Any], duos: Sequence[Mapping[str, Any]]) -> bool:
    """Ready, or already In duo but with capacity for one more mentee."""
    status, live = cell_text(mentor, "Status"), live_duos_of(cell_text(mentor, "ID"), duos)
    if status == READY:
        return len(live) < mentor_capacity(mentor)
    return status == IN_DUO and 0 < len(live) < mentor_capacity(mentor)


def _short_text(reasons: Sequence[str]) -> str:
    text = "; ".join(reason.strip() for reason in reasons if reason.strip())
    if len(text) <= MATCH_REASONS_MAX_CHARS:
        return text
    return text[: MATCH_REASONS_MAX_CHARS - 1].rstrip() + "…"


# -- eligibility at intake ----------------------------------------------------------------

_LANGUAGE_NAMES = {normalise_key(spelling): names[0] for names in LANGUAGES for spelling in names}


def age_on(birth: date, on: date) -> int:
    """Full years of age on a given day: one more on each birthday.

    Someone born on 29 February turns a year older on 1 March in other years. (Not
    `relativedelta(on, birth).years`, which already counts the year on 28 February.)
    """
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def programme_languages(languages: Iterable[str]) -> list[str]:
    """The programme languages (French, Dutch, English) among those a person speaks."""
    names = {_LANGUAGE_NAMES.get(normalise_key(language)) for language in languages}
    return [language for language in PROGRAMME_LANGUAGES if language in names]


RESIDENCE_NOT_MET = frozenset({"Temporary"})
ORIGIN_NOT_MET = frozenset({"Neither"})
LOOKING_FOR_NOT_MET = frozenset({"Neither"})
"""The values of the mentee's conditions (Residence, Origin, Looking for) that do not meet
them; a blank or "Unknown" cell is not known, so it warns of nothing."""


def eligibility_findings(
    role: str,
    birth_date: date | None,
    languages: Iterable[str],
    on: date,
    *,
    residence: str = "",
    origin: str = "",
    looking_for: str = "",
) -> list[tuple[str, Msg]]:
    """Why a person may not join as `role` at the date `on`, each with the Participants
    column concerned (an empty list: eligible). The mentee's other conditions (legal
    long-term residence, non-EU nationality or a (grand)parent born outside the EU, looking
    for work or training) count for mentees only."""
    found: list[tuple[str, Msg]] = []
    if role not in ROLES:
        found.append(("Role", workflow_message("unknown_role", role=role)))
    if birth_date is None:
        found.append(("Birth date", workflow_message("birth_date_missing")))
    elif birth_date > on:
        found.append(("Birth date", workflow_message("birth_date_in_future", date=birth_date)))
    else:
        age = age_on(birth_date, on)
        if role == MENTEE and not MENTEE_MIN_AGE <= age <= MENTEE_MAX_AGE:
            found.append(
                (
                    "Birth date",
                    workflow_message(
                        "mentee_age", age=age, low=MENTEE_MIN_AGE, high=MENTEE_MAX_AGE
                    ),
                )
            )
        if role == MENTOR and age < MENTOR_MIN_AGE:
            found.append(
                ("Birth date", workflow_message("mentor_age", age=age, low=MENTOR_MIN_AGE))
            )
    if not programme_languages(languages):
        found.append(("Languages", workflow_message("no_programme_language")))
    if role == MENTEE:
        if residence in RESIDENCE_NOT_MET:
            found.append(("Residence", workflow_message("residence_not_met")))
        if origin in ORIGIN_NOT_MET:
            found.append(("Origin", workflow_message("origin_not_met")))
        if looking_for in LOOKING_FOR_NOT_MET:
            found.append(("Looking for", workflow_message("looking_for_not_met")))
    return found


def eligibility_problems(
    role: str,
    birth_date: date | None,
    languages: Iterable[str],
    on: date,
    *,
    residence: str = "",
    origin: str = "",
    looking_for: str = "",
) -> list[Msg]:
    """Why a person may not join as `role` at the intake date `on` (an empty list: eligible)."""
    found = eligibility_findings(
        role,
        birth_date,
        languages,
        on,
        residence=residence,
        origin=origin,
        looking_for=looking_for,
    )
    return [msg for _, msg in found]
