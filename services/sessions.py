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

from i18n import Msg
from services import Outcome, User, apply_transition, check_office
from sheets.schema import PROGRAMME_LANGUAGES
from sheets.store import RecordNotFound, Store
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


def smsg(key: str, /, **params: Any) -> Msg:
    """A message of the `sessions` catalogue (`i18n/sessions.toml`)."""
    return Msg(f"sessions.{key}", params)


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
        problems.append(smsg("kind_required"))
    if draft.on is None:
        problems.append(smsg("date_required"))
    elif draft.on < today - dt.timedelta(days=366):
        problems.append(smsg("date_too_old"))
    if not draft.office:
        problems.append(smsg("office_required"))
    elif not user.may_see(draft.office):
        problems.append(Msg("services.not_your_office", {"key": draft.office}))
    if not draft.language:
        problems.append(smsg("language_required"))
    if draft.capacity is not None and not 1 <= draft.capacity <= MAX_CAPACITY:
        problems.append(smsg("capacity_range", high=MAX_CAPACITY))
    return problems


def plan_session(store: Store, user: User, draft: SessionDraft, today: dt.date) -> Outcome:
    """Append a new session (the store gives its ID); refuses a draft with problems."""
    problems = draft_problems(draft, user, today)
    if problems or draft.on is None:
        raise TransitionError(problems[0] if problems else smsg("date_required"))
    check_office(user, draft.office, draft.office)
    record = {
        "Kind": draft.kind,
        "Date": draft.on,
        "Office": draft.office,
        "Language": draft.language,
        "Capacity": draft.capacity or DEFAULT_CAPACITY[draft.kind],
        "Notes": draft.notes.strip(),
    }
    ids = store.append(SESSIONS_TAB, [record], user.email, action="plan_session")
    message = smsg("planned", kind=draft.kind, date=draft.on.strftime("%d/%m/%Y"))
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
    """Read the session afresh and refuse one of another office (as if it did not exist)."""
    tables = store.read([SESSIONS_TAB, ATTENDANCE_TAB, PARTICIPANTS_TAB, DUOS_TAB])
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
    """Append one Registered attendance row per person who fits the session.

    The attendance is read at the moment of writing, so a person is never registered twice,
    even when two coordinators register them at once from pages loaded earlier. People of
    another office, or whose role or status does not fit, are skipped and named.
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
    if rows:
        store.append(ATTENDANCE_TAB, rows, user.email, action="register_session")
    outcome = SessionOutcome(smsg("registered", count=len(rows)), skipped=skipped)
    outcome.over_capacity = _capacity_note(now.session, len(taken) + len(rows))
    return outcome


def _registration_problem(
    user: User, person: Mapping[str, Any] | None, kind: str, office: str, taken: bool
) -> Msg | None:
    if person is None:
        return smsg("unknown_person")
    if not user.may_see(cell_text(person, "Office")) or cell_text(person, "Office") != office:
        return smsg("other_office")
    if taken:
        return smsg("already_registered")
    if not fits(person, kind):
        role, status = cell_text(person, "Role"), cell_text(person, "Status")
        return smsg("does_not_fit", role=role, status=status, kind=kind)
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
    """Write Attended / Absent for each registered person shown, then move statuses on.

    `seen` maps each person the user marked to the attendance status they saw; those in
    `attended` become Attended, the others Absent. Only marks that change are written, with the
    status seen, so a mark someone else changed meanwhile is kept and named. Everyone newly
    marked Attended moves on (information session: Applied -> Info session; training:
    Intake done -> Trained, and on to Ready with `also_ready`), dated the day of the session.
    Someone whose status does not allow the move is skipped and named. People's rows are read
    at the moment of writing: the move is decided on their status as it is now.
    """
    now = _current(store, user, session_id)
    if not attendance_open(now.session, today):
        raise TransitionError(smsg("not_yet"))
    step = _step_after(cell_text(now.session, "Kind"), cell_date(now.session, "Date") or today)
    outcome = SessionOutcome(smsg("attendance_saved", attended=0, absent=0, moved=0))
    counts = {ATTENDED: 0, ABSENT: 0}
    moved = 0
    for person_id, before in seen.items():
        status = ATTENDED if person_id in attended else ABSENT
        person = now.people.get(person_id)
        written = _write_mark(store, user, (session_id, person_id), before, status, outcome, person)
        counts[status] += 1 if written else 0
        if written and status == ATTENDED and person is not None and step is not None:
            report = before != ATTENDED
            moves = _move_on(store, user, person, step, now, outcome, report)
            if also_ready and isinstance(step, MarkTrained):
                moves += _move_on(store, user, person, MarkReady(), now, outcome, report=moves > 0)
            moved += 1 if moves else 0
    outcome.message = smsg(
        "attendance_saved", attended=counts[ATTENDED], absent=counts[ABSENT], moved=moved
    )
    return outcome


def _write_mark(
    store: Store,
    user: User,
    key: tuple[str, str],
    before: str,
    status: str,
    outcome: SessionOutcome,
    person: Mapping[str, Any] | None,
) -> bool:
    """Write one attendance mark (unless unchanged); False when it was not written."""
    session_id, person_id = key
    name = person_name(person or {"ID": person_id})
    if person is not None and not user.may_see(cell_text(person, "Office")):
        outcome.skipped.append(Skipped(name, smsg("other_office")))
        return False
    if before == status:
        return True
    try:
        result = store.update(
            ATTENDANCE_TAB,
            {"Session ID": session_id, "Participant ID": person_id},
            {"Status": status},
            user.email,
            seen={"Status": before},
            action="mark_attendance",
        )
    except RecordNotFound:
        outcome.skipped.append(Skipped(name, smsg("registration_gone")))
        return False
    for conflict in result.conflicts:
        current = str(conflict.current or "")
        outcome.skipped.append(Skipped(name, smsg("changed_meanwhile", status=current)))
    return result.ok


def _step_after(kind: str, on: dt.date) -> PersonStep | None:
    """The status move that attending a session of this kind means (None: no move)."""
    if kind == INFO_SESSION_KIND:
        return AttendInfoSession(on=on)
    if kind == TRAINING:
        return MarkTrained(on=on)
    return None


def _move_on(
    store: Store,
    user: User,
    person: dict[str, Any],
    step: PersonStep,
    now: _Current,
    outcome: SessionOutcome,
    report: bool,
) -> int:
    """Apply a status move; 1 when it was written.

    A refusal is named only when `report`: someone marked Attended earlier has usually moved
    on since, which is no news.
    """
    try:
        transition = apply_person_action(person, step, now.duos)
    except TransitionError as error:
        if report:
            outcome.skipped.append(Skipped(person_name(person), error.msg))
        return 0
    written = apply_transition(store, transition, user.email, str(step.kind))
    outcome.conflicts.extend(written.conflicts)
    if not written.ok or not transition.changes:
        return 0
    for change in transition.changes:
        person.update(change.cells)
    return 1


def mark_trained_ready(store: Store, user: User, session_id: str) -> SessionOutcome:
    """Mark Ready every mentor who attended this training and is still Trained."""
    now = _current(store, user, session_id)
    outcome = SessionOutcome(smsg("marked_ready", count=0))
    moved = 0
    for person_id in _trained(session_id, now.people, now.attendance):
        person = now.people[person_id]
        if not user.may_see(cell_text(person, "Office")):
            outcome.skipped.append(Skipped(person_name(person), smsg("other_office")))
            continue
        moved += _move_on(store, user, person, MarkReady(), now, outcome, report=True)
    outcome.message = smsg("marked_ready", count=moved)
    return outcome
