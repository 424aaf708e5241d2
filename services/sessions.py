"""Sessions: information sessions, mentor trainings and peer exchanges, with their attendance.

Steps 1 and 3 of the programme. A coordinator plans a session for one of their offices,
registers the people who fit it (applicants for an information session, mentors whose intake
is done for a training, mentors in a duo or alumni for a peer exchange), then marks who came.
Attending moves people on through the workflow rules (`AttendInfoSession`, `MarkTrained`,
`MarkReady`); a person whose status does not allow the move is skipped and named, never an
error for the whole group. A full session asks before registering more people, but does not
block: coordinators know that some registered people never come. A registration is cancelled
(or moved to another session) by marking its row Cancelled; such a row counts nowhere.

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
from services.unit import Outcome, Unit, new_record_id, read_now, same, write_planned
from sheets.schema import PROGRAMME_LANGUAGES
from sheets.store import RecordNotFound, Store, Table, Written
from venues import Venue, time_span, venue_problems
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
    RecordChange,
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
CANCELLED = "Cancelled"
"""A registration called off: the row stays (who and when are in Audit), counted nowhere."""
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
    "Time",
    "Place",
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
    """Every session with its counts: Registered (everyone signed up, whatever came of it,
    cancelled registrations aside), Attended, Absent, and Places left (never below 0; NaN
    without capacity)."""
    if sessions.empty:
        return pd.DataFrame(columns=[*OVERVIEW_COLUMNS, "_row"])
    counts = _attendance_counts(attendance)
    frame = sessions.copy()
    for column in ("Registered", "Attended", "Absent"):
        frame[column] = frame["ID"].map(counts[column]).fillna(0).astype(int)
    frame["Places left"] = (frame["Capacity"] - frame["Registered"]).clip(lower=0)
    frame["Time"] = [
        time_span(row.get("Start time"), row.get("End time")) for row in records(frame)
    ]
    frame["Place"] = [place_text(row) for row in records(frame)]
    return frame.loc[:, [*OVERVIEW_COLUMNS, "_row"]]


ONLINE = "online"
"""`place_text` of a session with a video link and no address (pages translate it)."""


def place_text(session: Mapping[str, Any]) -> str:
    """Where a session takes place: its address, else `ONLINE` for a video link, else ""."""
    address = cell_text(session, "Address")
    if address:
        return address
    return ONLINE if cell_text(session, "Video link") else ""


def _attendance_counts(attendance: pd.DataFrame) -> dict[str, pd.Series]:
    """Per session: everyone registered (whatever their mark, cancelled aside), those Attended,
    those Absent."""
    kept = active(attendance)
    if kept.empty:
        empty = pd.Series(dtype="int64")
        return {"Registered": empty, "Attended": empty, "Absent": empty}
    marks = kept.groupby(["Session ID", "Status"]).size().unstack(fill_value=0)
    zero = pd.Series(0, index=marks.index)
    return {
        "Registered": marks.sum(axis=1),
        "Attended": marks.get(ATTENDED, zero),
        "Absent": marks.get(ABSENT, zero),
    }


def active(attendance: pd.DataFrame) -> pd.DataFrame:
    """The attendance rows that count: every one but the cancelled registrations."""
    if attendance.empty:
        return attendance
    return attendance[attendance["Status"].astype(str).str.strip() != CANCELLED]


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
    """The people registered for a session (a cancelled registration aside)."""
    kept = active(attendance)
    if kept.empty:
        return set()
    return set(kept.loc[kept["Session ID"] == session_id, "Participant ID"])


def cancelled_ids(attendance: pd.DataFrame, session_id: str) -> set[str]:
    """The people whose registration for a session was cancelled (their row stays)."""
    if attendance.empty:
        return set()
    rows = attendance[attendance["Session ID"] == session_id]
    return set(rows.loc[rows["Status"].astype(str).str.strip() == CANCELLED, "Participant ID"])


def places_left(session: Mapping[str, Any], attendance: pd.DataFrame) -> int | None:
    """Capacity minus the people registered, never below 0 (None: no capacity)."""
    capacity = cell_number(session, "Capacity")
    if capacity is None:
        return None
    return max(0, int(capacity) - len(registered_ids(attendance, cell_text(session, "ID"))))


def is_past(session: Mapping[str, Any], today: dt.date) -> bool:
    """A session dated before today (one without a date is not)."""
    on = cell_date(session, "Date")
    return on is not None and on < today


def move_targets(
    session: Mapping[str, Any],
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    person_id: str,
    today: dt.date,
) -> list[str]:
    """The sessions a registration may move to: same kind and office, not past, not this one,
    and the person not registered there yet; soonest first."""
    kind, office = cell_text(session, "Kind"), cell_text(session, "Office")
    found = [
        row
        for row in records(sessions)
        if cell_text(row, "ID")
        and cell_text(row, "ID") != cell_text(session, "ID")
        and cell_text(row, "Kind") == kind
        and cell_text(row, "Office") == office
        and not is_past(row, today)
        and person_id not in registered_ids(attendance, cell_text(row, "ID"))
    ]
    found.sort(key=lambda row: (cell_date(row, "Date") or dt.date.max, cell_text(row, "ID")))
    return [cell_text(row, "ID") for row in found]


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
    kept = active(attendance)
    rows = kept[kept["Session ID"] == session_id]
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
    venue: Venue = field(default_factory=Venue)
    """Start and end time, address, video link, what to bring (all optional)."""


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
    return problems + venue_problems(draft.venue)


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
        **draft.venue.cells(),
    }
    unit = Unit()
    record["ID"] = record_id or new_record_id(store, SESSIONS_TAB)
    index = unit.append(SESSIONS_TAB, [record], "plan_session")
    ids = list(unit.write(store, user.email).ids[index])
    message = session_message("planned", kind=draft.kind, date=draft.on)
    return Outcome(message, ids=ids)


EDITABLE = (
    "Date",
    "Start time",
    "End time",
    "Language",
    "Capacity",
    "Address",
    "Video link",
    "What to bring",
    "Notes",
)
"""The cells of a session its edit form changes (its kind and office stay: people registered
for it were chosen for them)."""


def edit_session(
    store: Store,
    user: User,
    session_id: str,
    draft: SessionDraft,
    seen: Mapping[str, Any],
    today: dt.date,
) -> Outcome:
    """Change a session's date, times, place, language, capacity and notes, in one unit.

    `seen` is the session's row as the user loaded it: only the cells that differ from it are
    written, each checked against it, so a cell someone changed in the sheet meanwhile comes
    back as a conflict instead of being overwritten. The draft's kind and office are the
    session's own (the form does not change them).
    """
    session = _current(store, user, session_id).session
    draft_now = SessionDraft(
        cell_text(session, "Kind"),
        draft.on,
        cell_text(session, "Office"),
        draft.language,
        draft.capacity,
        draft.notes,
        draft.venue,
    )
    problems = draft_problems(draft_now, user, today)
    if problems or draft.on is None:
        raise TransitionError(problems[0] if problems else session_message("date_required"))
    cells: dict[str, Any] = {
        "Date": draft.on,
        "Language": draft.language,
        "Capacity": draft.capacity or DEFAULT_CAPACITY.get(draft_now.kind, 1),
        "Notes": draft.notes.strip(),
        **draft.venue.cells(),
    }
    changed = {name: value for name, value in cells.items() if not same(value, seen.get(name))}
    if not changed:
        return Outcome(Msg("services.nothing_changed"))
    was = {name: _plain(seen.get(name)) for name in changed}
    unit = Unit()
    unit.update(RecordChange(SESSIONS_TAB, session_id, changed, was), "edit_session")
    conflicts = unit.conflicts(unit.write(store, user.email))
    message = session_message("edited", kind=draft_now.kind, date=draft.on.strftime("%d/%m/%Y"))
    return Outcome(message, ids=[session_id], conflicts=conflicts)


def _plain(value: Any) -> Any:
    """A cell as read, in the form a change to it is compared in (a day, None for blank)."""
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


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
    needs_confirmation: tuple[int, int] | None = None
    """(people to register, places left) when that is more than the places left: nothing was
    written; the same call with `confirmed=True` writes it."""


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
    return _current_in(tables, user, session_id)


def _current_in(tables: Mapping[str, Table], user: User, session_id: str) -> _Current:
    """`_current` from tables already read (two sessions read at once)."""
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
    store: Store,
    user: User,
    session_id: str,
    person_ids: Sequence[str],
    *,
    confirmed: bool = False,
) -> SessionOutcome:
    """Register each person who fits the session, in one unit.

    The attendance is read afresh just before writing, so a person is never registered
    twice, even when a coordinator sends the same registration again or two register them
    from pages loaded earlier. People of another office, or whose role or status does not
    fit, are skipped and named. Someone whose registration was cancelled gets that row back
    as Registered (one row per person and session). More people than places left writes
    nothing unless `confirmed`: the outcome's `needs_confirmation` says so.
    """
    now = _current(store, user, session_id)
    taken = registered_ids(now.attendance, session_id)
    kind, office = cell_text(now.session, "Kind"), cell_text(now.session, "Office")
    chosen: list[str] = []
    skipped: list[Skipped] = []
    for person_id in dict.fromkeys(person_ids):
        person = now.people.get(person_id)
        reason = _registration_problem(user, person, kind, office, person_id in taken)
        if reason is not None:
            skipped.append(Skipped(person_name(person or {"ID": person_id}), reason))
            continue
        chosen.append(person_id)
    left = places_left(now.session, now.attendance)
    if chosen and not confirmed and left is not None and len(chosen) > left:
        message = session_message("confirm_over_capacity", count=len(chosen), left=left)
        return SessionOutcome(message, skipped=skipped, needs_confirmation=(len(chosen), left))
    unit = Unit()
    _plan_registrations(unit, now.attendance, session_id, chosen, "register_session")
    unit.write(store, user.email)
    outcome = SessionOutcome(session_message("registered", count=len(chosen)), skipped=skipped)
    outcome.over_capacity = _capacity_note(now.session, len(taken) + len(chosen))
    return outcome


def _plan_registrations(
    unit: Unit, attendance: pd.DataFrame, session_id: str, person_ids: Sequence[str], action: str
) -> None:
    """Registered rows for these people: a cancelled row back, else a new row."""
    cancelled = cancelled_ids(attendance, session_id)
    rows = []
    for person_id in person_ids:
        if person_id in cancelled:
            where = {"Session ID": session_id, "Participant ID": person_id}
            unit.update_where(
                ATTENDANCE_TAB, where, {"Status": REGISTERED}, {"Status": CANCELLED}, action
            )
        else:
            rows.append(
                {"Session ID": session_id, "Participant ID": person_id, "Status": REGISTERED}
            )
    if rows:
        unit.append(ATTENDANCE_TAB, rows, action)


def cancel_registration(
    store: Store, user: User, session_id: str, person_id: str, seen: str
) -> Outcome:
    """Mark a registration Cancelled (the row stays; who and when go to Audit), one unit.

    `seen` is the attendance status the user saw: a mark someone changed meanwhile is kept
    and comes back as a conflict.
    """
    now = _current(store, user, session_id)
    person = now.people.get(person_id)
    _check_person_office(user, person)
    if person_id not in registered_ids(now.attendance, session_id):
        raise TransitionError(session_message("registration_gone"))
    unit = Unit()
    _plan_cancel(unit, session_id, person_id, seen, "cancel_registration")
    written = unit.write(store, user.email)
    name = person_name(person or {"ID": person_id})
    outcome = Outcome(session_message("cancelled", person=name))
    outcome.conflicts = unit.conflicts(written)
    return outcome


def _plan_cancel(unit: Unit, session_id: str, person_id: str, seen: str, action: str) -> int:
    where = {"Session ID": session_id, "Participant ID": person_id}
    return unit.update_where(ATTENDANCE_TAB, where, {"Status": CANCELLED}, {"Status": seen}, action)


def _check_person_office(user: User, person: Mapping[str, Any] | None) -> None:
    if person is not None and not user.may_see(cell_text(person, "Office")):
        raise TransitionError(session_message("other_office"))


def move_registration(
    store: Store,
    user: User,
    from_session: str,
    to_session: str,
    person_id: str,
    *,
    today: dt.date,
    confirmed: bool = False,
) -> SessionOutcome:
    """Cancel a registration and register the person for another session, in one unit.

    Refused when the new session is past, of another office, or the person is already
    registered there (or does not fit it); a full session asks first (`needs_confirmation`)
    unless `confirmed`.
    """
    tables = read_now(store, [SESSIONS_TAB, ATTENDANCE_TAB, PARTICIPANTS_TAB, DUOS_TAB])
    old = _current_in(tables, user, from_session)
    new = _current_in(tables, user, to_session)
    if person_id not in registered_ids(new.attendance, from_session):
        raise TransitionError(session_message("registration_gone"))
    seen = _marks_now(new.attendance, from_session).get(person_id, "")
    _check_move(user, old, new, person_id, today)
    left = places_left(new.session, new.attendance)
    if not confirmed and left is not None and left < 1:
        message = session_message("confirm_over_capacity", count=1, left=left)
        return SessionOutcome(message, needs_confirmation=(1, left))
    unit = Unit()
    index = _plan_cancel(unit, from_session, person_id, seen, "move_registration")
    _plan_registrations(unit, new.attendance, to_session, [person_id], "move_registration")
    written = unit.write(store, user.email)
    name = person_name(new.people.get(person_id) or {"ID": person_id})
    outcome = SessionOutcome(session_message("moved", person=name))
    outcome.conflicts = unit.conflicts(written)
    if not written.updates[index].ok:
        outcome.message = session_message("changed_meanwhile", status=seen)
    taken = len(registered_ids(new.attendance, to_session)) + 1
    outcome.over_capacity = _capacity_note(new.session, taken)
    return outcome


def _check_move(user: User, old: _Current, new: _Current, person_id: str, today: dt.date) -> None:
    """Refuse a move to a past session, to one of another office or kind, or to one where
    the person is already registered."""
    if is_past(new.session, today):
        raise TransitionError(session_message("move_past"))
    kind, office = cell_text(new.session, "Kind"), cell_text(new.session, "Office")
    if office != cell_text(old.session, "Office"):
        raise TransitionError(session_message("other_office"))
    person = new.people.get(person_id)
    taken = person_id in registered_ids(new.attendance, cell_text(new.session, "ID"))
    if taken:
        raise TransitionError(session_message("already_registered"))
    if kind != cell_text(old.session, "Kind"):
        reason = _registration_problem(user, person, kind, office, taken)
        if reason is not None:
            raise TransitionError(reason)
    _check_person_office(user, person)
    if person is not None and cell_text(person, "Office") != office:
        raise TransitionError(session_message("other_office"))


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
