"""Sessions: information sessions, mentor trainings and peer exchanges, with their attendance.

Steps 1 and 3 of the programme. A coordinator plans a session for one of their offices,
registers the people who fit it (applicants for an information session, mentors whose intake
is done for a training, mentors in a duo or alumni for a peer exchange), then marks who came.
Attending moves people on through the workflow rules (`AttendInfoSession`, `MarkTrained`,
`MarkReady`); a person whose status does not allow the move is skipped and named, never an
error for the whole group. A full session is a warning, not a block: coordinators know that
some registered people never come.

The first half of this module is pure (DataFrames in, DataFrames out); the second half are
the use cases that write through the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from access import User
from i18n import Messages, Msg
from services.offices import check_office
from services.unit import Outcome, Unit, new_record_id, read_now, write_planned
from sheets.schema import PROGRAMME_LANGUAGES
from sheets.store import RecordNotFound, Store, Written
from workflow import (
    ALUMNI,
    APPLIED,
    IN_DUO,
    INTAKE_DONE,
    MENTEE,
    MENTOR,
    TRAINED,
    AttendInfoSession,
    MarkReady,
    MarkTrained,
    PersonStep,
    TransitionError,
    apply_person_action,
    by_id,
    cell_date,
    cell_number,
    cell_text,
    person_name,
    records,
)

INFO_SESSION_KIND, TRAINING, PEER_EXCHANGE = "Info session", "Training", "Peer exchange"
SESSION_KINDS: tuple[str, ...] = (INFO_SESSION_KIND, TRAINING, PEER_EXCHANGE)
SESSION_LANGUAGES: tuple[str, ...] = PROGRAMME_LANGUAGES
REGISTERED, ATTENDED, ABSENT = "Registered", "Attended", "Absent"
DEFAULT_CAPACITY: dict[str, int] = {INFO_SESSION_KIND: 25, TRAINING: 15, PEER_EXCHANGE: 20}
MAX_CAPACITY = 500

SESSIONS_TAB, ATTENDANCE_TAB = "Sessions", "Attendance"
PARTICIPANTS_TAB, DUOS_TAB = "Participants", "Duos"


@dataclass(frozen=True)
class Audience:
    """Who a kind of session is for: these roles, with one of these statuses."""

    roles: frozenset[str]
    statuses: frozenset[str]


AUDIENCES: dict[str, Audience] = {
    INFO_SESSION_KIND: Audience(frozenset({MENTOR, MENTEE}), frozenset({APPLIED})),
    TRAINING: Audience(frozenset({MENTOR}), frozenset({INTAKE_DONE})),
    PEER_EXCHANGE: Audience(frozenset({MENTOR}), frozenset({IN_DUO, ALUMNI})),
}


session_message = Messages("sessions")
"""A message of `i18n/sessions.toml`."""


# -- reading sessions (pure) ----------------------------------------------------------------


OVERVIEW_COLUMNS = (
    "ID",
    "Date",
    "Kind",
    "Office",
    "Language",
    "Registered",
    "Attended",
    "Absent",
    "Capacity",
    "Places left",
    "Notes",
)


def sessions_overview(sessions: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """Every session with its counts: Registered (everyone signed up, whatever came of it),
    Attended, Absent, and Places left (negative when over capacity; NaN without capacity)."""
    if sessions.empty:
        return pd.DataFrame(columns=[*OVERVIEW_COLUMNS, "_row"])
    counts = _attendance_counts(attendance)
    frame = sessions.copy()
    for column in ("Registered", "Attended", "Absent"):
        frame[column] = frame["ID"].map(counts[column]).fillna(0).astype(int)
    frame["Places left"] = frame["Capacity"] - frame["Registered"]
    return frame.loc[:, [*OVERVIEW_COLUMNS, "_row"]]


def _attendance_counts(attendance: pd.DataFrame) -> dict[str, pd.Series]:
    """Per session: everyone registered (whatever their mark), those Attended, those Absent."""
    if attendance.empty:
        empty = pd.Series(dtype="int64")
        return {"Registered": empty, "Attended": empty, "Absent": empty}
    marks = attendance.groupby(["Session ID", "Status"]).size().unstack(fill_value=0)
    zero = pd.Series(0, index=marks.index)
    return {
        "Registered": marks.sum(axis=1),
        "Attended": marks.get(ATTENDED, zero),
        "Absent": marks.get(ABSENT, zero),
    }


def filter_sessions(
    overview: pd.DataFrame,
    *,
    kinds: Collection[str] = (),
    offices: Collection[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """The sessions of these kinds and offices (none chosen: all), dated within start..end.

    A session whose date could not be read stays in, so that a row typed by hand is not lost.
    """
    keep = pd.Series(True, index=overview.index)
    if kinds:
        keep &= overview["Kind"].isin(list(kinds))
    if offices:
        keep &= overview["Office"].isin(list(offices))
    dates = overview["Date"]
    if start is not None:
        keep &= dates.isna() | (dates >= pd.Timestamp(start))
    if end is not None:
        keep &= dates.isna() | (dates <= pd.Timestamp(end))
    return overview[keep]


def split_upcoming(overview: pd.DataFrame, today: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Upcoming sessions (from today on, soonest first) and past ones (latest first).

    A session without a readable date counts as upcoming, so that it stays in sight.
    """
    dates = overview["Date"]
    upcoming = dates.isna() | (dates >= pd.Timestamp(today))
    return (
        overview[upcoming].sort_values("Date", na_position="first"),
        overview[~upcoming].sort_values("Date", ascending=False),
    )


def fits(person: Mapping[str, Any], kind: str) -> bool:
    """Whether a person is among those a session of this kind is for."""
    audience = AUDIENCES.get(kind)
    return (
        audience is not None
        and cell_text(person, "Role") in audience.roles
        and cell_text(person, "Status") in audience.statuses
    )


def registered_ids(attendance: pd.DataFrame, session_id: str) -> set[str]:
    if attendance.empty:
        return set()
    return set(attendance.loc[attendance["Session ID"] == session_id, "Participant ID"])


def eligible_people(
    session: Mapping[str, Any], participants: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """The people of the session's office who fit it and are not registered yet, by name."""
    if participants.empty:
        return participants
    taken = registered_ids(attendance, cell_text(session, "ID"))
    kind, office = cell_text(session, "Kind"), cell_text(session, "Office")
    wanted = [
        cell_text(person, "ID")
        for person in records(participants)
        if fits(person, kind)
        and cell_text(person, "Office") == office
        and cell_text(person, "ID")
        and cell_text(person, "ID") not in taken
    ]
    people = participants[participants["ID"].isin(wanted)]
    return people.sort_values(["First name", "Last name", "ID"])


REGISTRATION_COLUMNS = ("Participant ID", "Name", "Role", "Person status", "Status", "Updated on")


def registrations(
    session_id: str, participants: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """The people registered for a session: attendance status, name, role and person status.

    Status is the attendance cell as it is (blank, in a row typed by hand, means registered),
    so that it can be sent back as the value seen. A registration of someone missing from
    Participants (or out of view) keeps its ID as name.
    """
    if attendance.empty:
        return pd.DataFrame(columns=list(REGISTRATION_COLUMNS))
    rows = attendance[attendance["Session ID"] == session_id]
    people = by_id(records(participants, ("ID", "First name", "Last name", "Role", "Status")))
    shown = []
    for row in records(rows):
        person_id = cell_text(row, "Participant ID")
        person = people.get(person_id, {"ID": person_id})
        shown.append(
            {
                "Participant ID": person_id,
                "Name": person_name(person),
                "Role": cell_text(person, "Role"),
                "Person status": cell_text(person, "Status"),
                "Status": cell_text(row, "Status"),
                "Updated on": row.get("Updated on"),
            }
        )
    frame = pd.DataFrame(shown, columns=list(REGISTRATION_COLUMNS))
    return frame.sort_values("Name", key=lambda names: names.str.casefold())


def trained_attendees(
    session_id: str, participants: pd.DataFrame, attendance: pd.DataFrame
) -> list[str]:
    """Mentors who attended this session and are still Trained: the ones to mark Ready."""
    return _trained(session_id, by_id(records(participants, ("ID", "Role", "Status"))), attendance)


def _trained(
    session_id: str, people: Mapping[str, Mapping[str, Any]], attendance: pd.DataFrame
) -> list[str]:
    found = []
    for row in records(attendance):
        person = people.get(cell_text(row, "Participant ID"), {})
        if (
            cell_text(row, "Session ID") == session_id
            and cell_text(row, "Status") == ATTENDED
            and cell_text(person, "Role") == MENTOR
            and cell_text(person, "Status") == TRAINED
        ):
            found.append(cell_text(row, "Participant ID"))
    return found


# -- planning (validation is pure) ----------------------------------------------------------


@dataclass(frozen=True)
class SessionDraft:
    """A session as typed in the planning form."""

    kind: str
    on: dt.date | None
    office: str
    language: str
    capacity: int | None
    """None: the usual capacity of the kind (`DEFAULT_CAPACITY`)."""
    notes: str = ""


def draft_problems(draft: SessionDraft, user: User, today: dt.date) -> list[Msg]:
    """What is wrong with a planned session (an empty list: it can be saved)."""
    problems: list[Msg] = []
    if draft.kind not in SESSION_KINDS:
        problems.append(session_message("kind_required"))
    if draft.on is None:
        problems.append(session_message("date_required"))
    elif draft.on < today - dt.timedelta(days=366):
        problems.append(session_message("date_too_old"))
    if not draft.office:
        problems.append(session_message("office_required"))
    elif not user.may_see(draft.office):
        problems.append(Msg("services.not_your_office", {"key": draft.office}))
    if not draft.language:
        problems.append(session_message("language_required"))
    if draft.capacity is not None and not 1 <= draft.capacity <= MAX_CAPACITY:
        problems.append(session_message("capacity_range", high=MAX_CAPACITY))
    return problems


def plan_session(
    store: Store, user: User, draft: SessionDraft, today: dt.date, *, record_id: str = ""
) -> Outcome:
    """Append a new session; refuses a draft with problems.

    Its ID is `record_id` when the page made it (once per form, so that sending the form
    again after an error whose write landed writes nothing twice), else made here before the
    write: the same unit written twice leaves one row.
    """
    problems = draft_problems(draft, user, today)
    if problems or draft.on is None:
        raise TransitionError(problems[0] if problems else session_message("date_required"))
    check_office(user, draft.office, draft.office)
    record = {
        "Kind": draft.kind,
        "Date": draft.on,
        "Office": draft.office,
        "Language": draft.language,
        "Capacity": draft.capacity or DEFAULT_CAPACITY[draft.kind],
        "Notes": draft.notes.strip(),
    }
    unit = Unit()
    record["ID"] = record_id or new_record_id(store, SESSIONS_TAB)
    index = unit.append(SESSIONS_TAB, [record], "plan_session")
    ids = list(unit.write(store, user.email).ids[index])
    message = session_message("planned", kind=draft.kind, date=draft.on.strftime("%d/%m/%Y"))
    return Outcome(message, ids=ids)


# -- registering and marking attendance ----------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A person an action left out, and why."""

    person: str
    reason: Msg


@dataclass
class SessionOutcome(Outcome):
    """An `Outcome` that also names the people skipped and says when the session is full."""

    skipped: list[Skipped] = field(default_factory=list)
    over_capacity: tuple[int, int] | None = None
    """(registered, capacity) when more people are registered than there are places."""


@dataclass(frozen=True)
class _Current:
    """The session and the tabs around it, as the workbook holds them at the moment of writing.

    `people` are plain dicts that the moves below keep up to date as they write.
    """

    session: Mapping[str, Any]
    people: dict[str, dict[str, Any]]
    attendance: pd.DataFrame
    duos: pd.DataFrame


def _current(store: Store, user: User, session_id: str) -> _Current:
    """Read the session afresh (past any read cache: a write is planned on it) and refuse one
    of another office (as if it did not exist)."""
    tables = read_now(store, [SESSIONS_TAB, ATTENDANCE_TAB, PARTICIPANTS_TAB, DUOS_TAB])
    session = tables[SESSIONS_TAB].record(session_id)
    if session is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": "Sessions", "key": session_id}))
    check_office(user, cell_text(session, "Office"), session_id)
    people = {
        cell_text(row, "ID"): row
        for row in records(tables[PARTICIPANTS_TAB].frame)
        if cell_text(row, "ID")
    }
    return _Current(session, people, tables[ATTENDANCE_TAB].frame, tables[DUOS_TAB].frame)


def _capacity_note(session: Mapping[str, Any], registered: int) -> tuple[int, int] | None:
    capacity = cell_number(session, "Capacity")
    if capacity is None or registered <= capacity:
        return None
    return registered, int(capacity)


def register_people(
    store: Store, user: User, session_id: str, person_ids: Sequence[str]
) -> SessionOutcome:
    """Append one Registered attendance row per person who fits the session, in one unit.

    The attendance is read afresh just before writing, so a person is never registered
    twice, even when a coordinator sends the same registration again or two register them
    from pages loaded earlier. People of another office, or whose role or status does not
    fit, are skipped and named. (Attendance rows have no ID: it is this read, not the store,
    that keeps a repeated registration out.)
    """
    now = _current(store, user, session_id)
    taken = registered_ids(now.attendance, session_id)
    kind, office = cell_text(now.session, "Kind"), cell_text(now.session, "Office")
    rows: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    for person_id in dict.fromkeys(person_ids):
        person = now.people.get(person_id)
        reason = _registration_problem(user, person, kind, office, person_id in taken)
        if reason is not None:
            skipped.append(Skipped(person_name(person or {"ID": person_id}), reason))
            continue
        rows.append({"Session ID": session_id, "Participant ID": person_id, "Status": REGISTERED})
    unit = Unit()
    if rows:
        unit.append(ATTENDANCE_TAB, rows, "register_session")
    unit.write(store, user.email)
    outcome = SessionOutcome(session_message("registered", count=len(rows)), skipped=skipped)
    outcome.over_capacity = _capacity_note(now.session, len(taken) + len(rows))
    return outcome


def _registration_problem(
    user: User, person: Mapping[str, Any] | None, kind: str, office: str, taken: bool
) -> Msg | None:
    if person is None:
        return session_message("unknown_person")
    if not user.may_see(cell_text(person, "Office")) or cell_text(person, "Office") != office:
        return session_message("other_office")
    if taken:
        return session_message("already_registered")
    if not fits(person, kind):
        role, status = cell_text(person, "Role"), cell_text(person, "Status")
        return session_message("does_not_fit", role=role, status=status, kind=kind)
    return None


def attendance_open(session: Mapping[str, Any], today: dt.date) -> bool:
    """Attendance is marked from the day of the session on (a session without date: any day)."""
    on = cell_date(session, "Date")
    return on is None or on <= today


def mark_attendance(
    store: Store,
    user: User,
    session_id: str,
    attended: Collection[str],
    seen: Mapping[str, str],
    *,
    today: dt.date,
    also_ready: bool = False,
) -> SessionOutcome:
    """Write Attended / Absent for each registered person shown, and move statuses on.

    `seen` maps each person the user marked to the attendance status they saw; those in
    `attended` become Attended, the others Absent. Only marks that change are written, with the
    status seen, so a mark someone else changed meanwhile is kept and named. Everyone newly
    marked Attended moves on (information session: Applied -> Info session; training:
    Intake done -> Trained, and on to Ready with `also_ready`), dated the day of the session.
    Someone whose status does not allow the move is skipped and named.

    ONE unit of work for the whole group: the marks, the moves and their audit rows land
    together. A move follows its mark, so the choice is: read the session's attendance and
    people afresh, check every mark's `seen` against it and plan the moves on the statuses
    as they are now, then write once. A mark someone else changed (or a registration gone)
    is skipped with its move before anything is written; only a mark changed in the moment
    between that read and the write would come back named with its move written (the move
    is still checked against the person's own status).
    """

    def plan() -> _Plan:
        now = _current(store, user, session_id)
        if not attendance_open(now.session, today):
            raise TransitionError(session_message("not_yet"))
        return _plan_marks(user, now, attended, seen, today, also_ready=also_ready)

    planned, written = write_planned(store, user.email, plan)
    outcome = planned.outcome
    counts = _counted_marks(planned, written)
    outcome.conflicts = planned.unit.conflicts(written)
    outcome.message = session_message(
        "attendance_saved",
        attended=counts[ATTENDED],
        absent=counts[ABSENT],
        moved=_moved(planned, written),
    )
    return outcome


@dataclass(frozen=True)
class _Mark:
    """An attendance mark planned: whose, which, and its update (None: it was already so)."""

    name: str
    status: str
    update: int | None


@dataclass
class _Plan:
    """A unit of work on a session's people, and how to read what the store did with it."""

    unit: Unit
    outcome: SessionOutcome
    marks: list[_Mark] = field(default_factory=list)
    moves: dict[str, list[int]] = field(default_factory=dict)
    """Per person moved on: the updates of their row (see `Unit.update`)."""


def _plan_marks(
    user: User,
    now: _Current,
    attended: Collection[str],
    seen: Mapping[str, str],
    today: dt.date,
    *,
    also_ready: bool,
) -> _Plan:
    session_id = cell_text(now.session, "ID")
    step = _step_after(cell_text(now.session, "Kind"), cell_date(now.session, "Date") or today)
    planned = _Plan(
        Unit(), SessionOutcome(session_message("attendance_saved", attended=0, absent=0, moved=0))
    )
    marks_now = _marks_now(now.attendance, session_id)
    for person_id, before in seen.items():
        status = ATTENDED if person_id in attended else ABSENT
        person = now.people.get(person_id)
        if not _plan_mark(
            planned, user, (session_id, person_id), (before, status), person, marks_now
        ):
            continue
        if status == ATTENDED and person is not None and step is not None:
            report = before != ATTENDED
            moved = _plan_move(planned, person, step, now, report)
            if also_ready and isinstance(step, MarkTrained):
                _plan_move(planned, person, MarkReady(), now, report=moved)
    return planned


def _marks_now(attendance: pd.DataFrame, session_id: str) -> dict[str, str]:
    """Each registered person's mark as the workbook holds it (the first row, as the store)."""
    marks: dict[str, str] = {}
    for row in records(attendance, ("Session ID", "Participant ID", "Status")):
        if cell_text(row, "Session ID") == session_id:
            marks.setdefault(cell_text(row, "Participant ID"), cell_text(row, "Status"))
    return marks


def _plan_mark(
    planned: _Plan,
    user: User,
    key: tuple[str, str],
    change: tuple[str, str],
    person: Mapping[str, Any] | None,
    marks_now: Mapping[str, str],
) -> bool:
    """Plan one attendance mark (unless unchanged); False when it is not to be written."""
    session_id, person_id = key
    before, status = change
    name = person_name(person or {"ID": person_id})
    if person is not None and not user.may_see(cell_text(person, "Office")):
        planned.outcome.skipped.append(Skipped(name, session_message("other_office")))
        return False
    if before == status:
        planned.marks.append(_Mark(name, status, None))
        return True
    if person_id not in marks_now:
        planned.outcome.skipped.append(Skipped(name, session_message("registration_gone")))
        return False
    current = marks_now[person_id]
    if current not in (before.strip(), status):
        planned.outcome.skipped.append(
            Skipped(name, session_message("changed_meanwhile", status=current))
        )
        return False
    where = {"Session ID": session_id, "Participant ID": person_id}
    seen = {"Status": before}
    index = planned.unit.update_where(
        ATTENDANCE_TAB, where, {"Status": status}, seen, "mark_attendance"
    )
    planned.marks.append(_Mark(name, status, index))
    return True


def _counted_marks(planned: _Plan, written: Written) -> dict[str, int]:
    """Attended and Absent marks that hold; a mark changed at the moment of writing is named."""
    counts = {ATTENDED: 0, ABSENT: 0}
    for mark in planned.marks:
        result = None if mark.update is None else written.updates[mark.update]
        if result is not None and not result.ok:
            for conflict in result.conflicts:
                current = str(conflict.current or "")
                reason = session_message("changed_meanwhile", status=current)
                planned.outcome.skipped.append(Skipped(mark.name, reason))
            continue
        counts[mark.status] += 1
    return counts


def _moved(planned: _Plan, written: Written) -> int:
    """People whose moves were all written without a conflict."""
    return sum(
        all(written.updates[index].ok for index in indexes) for indexes in planned.moves.values()
    )


def _step_after(kind: str, on: dt.date) -> PersonStep | None:
    """The status move that attending a session of this kind means (None: no move)."""
    if kind == INFO_SESSION_KIND:
        return AttendInfoSession(on=on)
    if kind == TRAINING:
        return MarkTrained(on=on)
    return None


def _plan_move(
    planned: _Plan, person: dict[str, Any], step: PersonStep, now: _Current, report: bool
) -> bool:
    """Plan a status move; True when there is one to write.

    A refusal is named only when `report`: someone marked Attended earlier has usually moved
    on since, which is no news. The person's record takes the move's cells, so that a next
    move starts from there (both are written as one update of their row).
    """
    try:
        transition = apply_person_action(person, step, now.duos)
    except TransitionError as error:
        if report:
            planned.outcome.skipped.append(Skipped(person_name(person), error.msg))
        return False
    if not transition.changes:
        return False
    indexes = planned.moves.setdefault(cell_text(person, "ID"), [])
    for change in transition.changes:
        index = planned.unit.update(change, str(step.kind))
        if index not in indexes:
            indexes.append(index)
        person.update(change.cells)
    return True


def mark_trained_ready(store: Store, user: User, session_id: str) -> SessionOutcome:
    """Mark Ready every mentor who attended this training and is still Trained.

    One unit of work for all of them, planned on their statuses read afresh.
    """

    def plan() -> _Plan:
        now = _current(store, user, session_id)
        planned = _Plan(Unit(), SessionOutcome(session_message("marked_ready", count=0)))
        for person_id in _trained(session_id, now.people, now.attendance):
            person = now.people[person_id]
            if not user.may_see(cell_text(person, "Office")):
                planned.outcome.skipped.append(
                    Skipped(person_name(person), session_message("other_office"))
                )
                continue
            _plan_move(planned, person, MarkReady(), now, report=True)
        return planned

    planned, written = write_planned(store, user.email, plan)
    outcome = planned.outcome
    outcome.conflicts = planned.unit.conflicts(written)
    outcome.message = session_message("marked_ready", count=_moved(planned, written))
    return outcome
