"""Participants and intake: finding people, their profile, status moves and the intake interview.

The read-side helpers are pure functions over the snapshot's DataFrames (the pages call them
once per run); the write-side use cases take the store and the user, keep a coordinator to
their own offices, and write only the cells that change, with the values the user saw, so that
a cell someone else changed meanwhile comes back as a conflict instead of being overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import pandas as pd

import clock
import phones
from access import User
from attention import ready_since
from i18n import Msg
from services.offices import check_office
from services.unit import (
    Outcome,
    Unit,
    apply_changes,
    apply_transition,
    read_now,
    same,
    save_record,
)
from sheets.schema import PARTICIPANTS
from sheets.store import Store
from sheets.values import normalise_key
from validation import Problem, check, judged, person_problems, warnings
from workflow import (
    APPLIED,
    INFO_SESSION,
    INTAKE_DONE,
    MENTEE,
    MERGEABLE_STATUSES,
    PARTICIPANTS_TAB,
    READY,
    TRAINED,
    UNDOABLE_ACTIONS,
    AttendInfoSession,
    CompleteIntake,
    PersonAction,
    PersonStep,
    RecordChange,
    Transition,
    TransitionError,
    Withdraw,
    allowed_participant_actions,
    apply_person_action,
    cell_date,
    cell_text,
    check_undo,
    duos_by_person,
    merge_applicants,
    person_name,
    records,
    status_before,
    status_before_hold,
    undo_person_move,
    workflow_message,
)

NOT_EDITABLE = ("ID", "Status", "Updated on")
"""The status moves only through workflow steps; the ID and the time stamp belong to the app."""
PROFILE_COLUMNS: tuple[str, ...] = tuple(
    name for name in PARTICIPANTS.column_names if name not in NOT_EDITABLE
)
WAITING_FOR_INTAKE: tuple[str, ...] = (APPLIED, INFO_SESSION)
WAITING_SINCE_APPLICATION = frozenset({APPLIED, INFO_SESSION, INTAKE_DONE, TRAINED})
"""Statuses whose waiting time counts from the application (Ready counts from when ready)."""
PRE_DUO = (APPLIED, INFO_SESSION, INTAKE_DONE, TRAINED, READY)
"""The statuses before a duo, in workflow order."""
NAME, WAITING_DAYS, INFO_SESSION_ON = "Name", "Waiting days", "Info session on"
ATTENDED = "Attended"
_DIGITS = re.compile(r"\D")
_PHONE_PIECE = re.compile(r"[0-9+()./-]+")
"""A search word that can be part of a phone number."""


# -- finding people ---------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleFilter:
    """What the coordinator searches for; empty collections mean "any"."""

    text: str = ""
    roles: Collection[str] = ()
    statuses: Collection[str] = ()
    offices: Collection[str] = ()
    languages: Collection[str] = ()
    sectors: Collection[str] = ()
    min_waiting_days: int = 0


def waiting_since(person: Mapping[str, Any], duos: Sequence[Mapping[str, Any]]) -> date | None:
    """Since when a person waits: for a match once Ready, else since applying (None: not waiting).

    `duos` are the person's own duos (the end of a duo that did not go on restarts the wait).
    """
    status = cell_text(person, "Status")
    if status == READY:
        return ready_since(person, duos)
    if status in WAITING_SINCE_APPLICATION:
        return cell_date(person, "Applied on")
    return None


def with_waiting(people: pd.DataFrame, duos: pd.DataFrame, today: date) -> pd.DataFrame:
    """The people with two more columns: `Name` and `Waiting days` (blank: not waiting)."""
    shown = people.copy()
    rows = records(people)
    duos_of = duos_by_person(records(duos))
    days: list[int | None] = []
    for person in rows:
        since = waiting_since(person, duos_of.get(cell_text(person, "ID"), []))
        days.append(None if since is None else (today - since).days)
    shown[NAME] = [person_name(person) for person in rows]
    shown[WAITING_DAYS] = pd.array(days, dtype="Int64")
    return shown


def find_people(
    people: pd.DataFrame, duos: pd.DataFrame, wanted: PeopleFilter, today: date
) -> pd.DataFrame:
    """The people matching the search and every filter, with `Name` and `Waiting days`, by name."""
    found = with_waiting(people, duos, today)
    if found.empty:
        return found
    keep = pd.Series(True, index=found.index)
    for column, values in (
        ("Role", wanted.roles),
        ("Status", wanted.statuses),
        ("Office", wanted.offices),
    ):
        if values:
            keep &= found[column].isin(list(values))
    for column, values in (("Languages", wanted.languages), ("Sectors", wanted.sectors)):
        if values:
            keep &= found[column].map(lambda items, v=set(values): bool(v.intersection(items)))
    if wanted.min_waiting_days > 0:
        keep &= (found[WAITING_DAYS] >= wanted.min_waiting_days).fillna(False).astype(bool)
    words = wanted.text.split()
    if words:
        keep &= pd.Series(
            [matches_search(person, words) for person in records(found)], index=found.index
        )
    result = found[keep]
    order = result["Last name"].map(normalise_key) + " " + result["First name"].map(normalise_key)
    return result.loc[order.sort_values(kind="stable").index]


def matches_search(person: Mapping[str, Any], words: Iterable[str]) -> bool:
    """Every word is found in the name, e-mail or ID (ignoring case and accents) or the phone.

    Phone numbers compare by `phones.search_key`, so `0470 12 34 56`, `+32 470 12 34 56` and
    `0032470123456` find the same person whichever way the number was stored; the words of a
    number typed in groups are read together, and a part of a number (`0470 12`) finds it too.
    """
    words = list(words)
    text = normalise_key(
        " ".join(cell_text(person, c) for c in ("First name", "Last name", "Email", "ID"))
    )
    stored = cell_text(person, "Phone")
    keys = {phones.search_key(stored), _DIGITS.sub("", stored)} - {""}

    def in_text(word: str) -> bool:
        return normalise_key(word) in text

    def in_phone(query: str) -> bool:
        wanted = {phones.search_key(query), _DIGITS.sub("", query).lstrip("0")}
        return any(len(part) >= 3 and part in key for part in wanted for key in keys)

    if all(in_text(word) or in_phone(word) for word in words):
        return True
    number = [word for word in words if _PHONE_PIECE.fullmatch(word)]
    others = [word for word in words if not _PHONE_PIECE.fullmatch(word)]
    return bool(number) and all(map(in_text, others)) and in_phone(" ".join(number))


# -- choices the forms offer ------------------------------------------------------------


def list_options(lists: pd.DataFrame, column: str, *current: Iterable[str]) -> list[str]:
    """The values of a Lists column, then any value the record already holds that is not listed."""
    listed = [str(v).strip() for v in lists.get(column, pd.Series(dtype=str)) if str(v).strip()]
    held = [str(v) for values in current for v in values if str(v).strip()]
    return list(dict.fromkeys([*listed, *held]))


def office_choices(lists: pd.DataFrame, user: User, current: str = "") -> list[str]:
    """The offices this user may place a person in (admins: those of the Lists tab), and the
    person's current one."""
    offices = list_options(lists, "Offices") if user.is_admin else list(user.offices)
    return list(dict.fromkeys([*offices, *([current] if current else [])]))


def resume_targets(person: Mapping[str, Any]) -> list[str]:
    """Where a person on hold may go back to: the status before the pause (if the app noted
    it) or Ready; when unknown, any status before a duo that fits their role."""
    before = status_before_hold(person)
    if before is not None:
        return list(dict.fromkeys([before, READY]))
    mentee = cell_text(person, "Role") == MENTEE
    return [status for status in PRE_DUO if not (mentee and status == TRAINED)]


def kept_order(seen: Sequence[str], chosen: Iterable[str]) -> list[str]:
    """The chosen values in the order the cell held them, new ones after: no change for nothing."""
    picked = list(chosen)
    return [v for v in seen if v in picked] + [v for v in picked if v not in seen]


# -- what a profile shows ---------------------------------------------------------------


def duos_of(duos: pd.DataFrame, people: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """The person's duos: ID, their part in it, the other person, status and dates."""
    names = {cell_text(p, "ID"): person_name(p) for p in records(people, ["ID", *_NAMES])}
    rows = []
    for duo in records(duos):
        mentor, mentee = cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")
        if person_id not in (mentor, mentee):
            continue
        other = mentee if person_id == mentor else mentor
        rows.append(
            {
                "ID": cell_text(duo, "ID"),
                "Role": "Mentor" if person_id == mentor else MENTEE,
                "With": names.get(other, other),
                "Status": cell_text(duo, "Status"),
                "Proposed on": cell_date(duo, "Proposed on"),
                "Agreement on": cell_date(duo, "Agreement on"),
                "Ended on": cell_date(duo, "Ended on"),
            }
        )
    frame = pd.DataFrame(rows, columns=list(_DUO_COLUMNS))
    return _dates(frame, ("Proposed on", "Agreement on", "Ended on"))


_NAMES = ("First name", "Last name")
_DUO_COLUMNS = ("ID", "Role", "With", "Status", "Proposed on", "Agreement on", "Ended on")
_SESSION_COLUMNS = ("Session ID", "Kind", "Date", "Office", "Language", "Status")


def sessions_of(attendance: pd.DataFrame, sessions: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """The sessions the person registered for or attended, latest first."""
    if attendance.empty:
        return pd.DataFrame(columns=list(_SESSION_COLUMNS))
    mine = attendance.loc[attendance["Participant ID"] == person_id, ["Session ID", "Status"]]
    about = sessions.loc[:, ["ID", "Kind", "Date", "Office", "Language"]]
    joined = mine.merge(about, left_on="Session ID", right_on="ID", how="left")
    joined = joined.sort_values("Date", ascending=False, na_position="last")
    return joined.loc[:, list(_SESSION_COLUMNS)].reset_index(drop=True)


HISTORY_ROWS = 20_000
"""How far back a person's history looks in the Audit tab (rows, all people together)."""


def history(store: Store, user: User, person: Mapping[str, Any]) -> pd.DataFrame:
    """What the app changed in this person's row (the Audit tab), latest first.

    Only for admins and coordinators of the person's office. Only the last `HISTORY_ROWS`
    rows of the Audit tab are read: it grows with every change, forever.
    """
    person_id = cell_text(person, "ID")
    check_office(user, cell_text(person, "Office"), person_id)
    audit = store.recent("Audit", HISTORY_ROWS).frame
    columns = ["When", "Who", "Action", "Details"]
    if audit.empty:
        return pd.DataFrame(columns=columns)
    mine = audit[audit["Record ID"] == person_id]
    return mine.sort_values("When", ascending=False).loc[:, columns].reset_index(drop=True)


def info_session_attended_on(
    attendance: pd.DataFrame, sessions: pd.DataFrame, person_id: str
) -> date | None:
    """The last information session the person attended (None: none recorded)."""
    attended = sessions_of(attendance, sessions, person_id)
    attended = attended[(attended["Status"] == ATTENDED) & (attended["Kind"] == INFO_SESSION)]
    dates = [cell_date(row, "Date") for row in records(attended)]
    known = [day for day in dates if day is not None]
    return max(known) if known else None


def intake_queue(
    people: pd.DataFrame, attendance: pd.DataFrame, sessions: pd.DataFrame, today: date
) -> pd.DataFrame:
    """Applicants waiting for their intake, longest waiting first, with their info session."""
    waiting = people[people["Status"].isin(WAITING_FOR_INTAKE)].copy()
    rows = records(waiting)
    applied = [cell_date(person, "Applied on") for person in rows]
    waiting[NAME] = [person_name(person) for person in rows]
    waiting[WAITING_DAYS] = pd.array(
        [None if day is None else (today - day).days for day in applied], dtype="Int64"
    )
    attended = _info_sessions_attended(attendance, sessions)
    waiting[INFO_SESSION_ON] = pd.to_datetime(waiting["ID"].map(attended))
    return waiting.sort_values(WAITING_DAYS, ascending=False, na_position="last")


def _info_sessions_attended(attendance: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """Per participant ID, the date of the last information session they attended."""
    if attendance.empty or sessions.empty:
        return pd.Series(dtype="datetime64[ns]")
    attended = attendance[attendance["Status"] == ATTENDED]
    info = sessions.loc[sessions["Kind"] == INFO_SESSION, ["ID", "Date"]]
    joined = attended.merge(info, left_on="Session ID", right_on="ID")
    return joined.groupby("Participant ID")["Date"].max()


def _dates(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


# -- changing a person ------------------------------------------------------------------


def save_profile(
    store: Store,
    user: User,
    person: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    acknowledged: bool = False,
) -> Outcome:
    """Save the profile form: the fields that differ from `person` (the record as shown).

    The status is not a profile field (it moves through `change_status`); a coordinator can
    neither change a person of another office nor move one into an office not theirs. The
    fields changed are judged by `validation.py`'s rules: an error raises `InvalidInput` and
    nothing is written; a warning (a mentee aged 45) needs `acknowledged`. A value typed by
    hand in the sheet that breaks a rule does not stop a change to another field.
    """
    person_id = _check_may_change(user, person, changes)
    changes = with_phone_stored(changes, person)
    check(profile_problems(person, changes, clock.today()), acknowledged=acknowledged)
    return save_record(store, PARTICIPANTS_TAB, person_id, changes, person, user.email)


def opted_out_on(person: Mapping[str, Any], opted_out: bool, today: date) -> date | None:
    """The `Opted out on` the profile form saves for its "no more messages" box: the date
    already recorded while the box stays ticked, today when it is newly ticked, blank when it
    is cleared (the consent rule of `messages.can_contact` reads this column)."""
    if not opted_out:
        return None
    return cell_date(person, "Opted out on") or today


def edited_fields(person: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that differ from the record as shown (the phone compared as a number)."""
    changes = with_phone_stored(changes, person)
    return {name: value for name, value in changes.items() if not same(value, person.get(name))}


def profile_problems(
    person: Mapping[str, Any], changes: Mapping[str, Any], today: date
) -> list[Problem]:
    """What `validation.py` says of the fields the form changes, as the form holds them."""
    edited = edited_fields(person, changes)
    return judged(person_problems({**person, **edited}, today), edited)


def with_phone_stored(changes: Mapping[str, Any], person: Mapping[str, Any]) -> dict[str, Any]:
    """The changes with the phone in its stored form (E.164, see `phones`).

    The same number in another shape (the form showing `+32 470 12 34 56` for a cell staff
    typed as `0470 12 34 56`) is no change, so an untouched number is not rewritten; a new
    number that cannot be read as one is kept as typed (the data-quality page lists it).
    """
    if "Phone" not in changes:
        return dict(changes)
    typed = str(changes["Phone"] or "").strip()
    shown = cell_text(person, "Phone")
    number = phones.normalise(typed)
    if typed == shown or (number is not None and number == phones.normalise(shown)):
        return {**changes, "Phone": person.get("Phone")}
    return {**changes, "Phone": number or typed}


def change_status(
    store: Store,
    user: User,
    person: Mapping[str, Any],
    step: PersonStep,
    duos: pd.DataFrame | None,
) -> Outcome:
    """A status move of the workflow (illegal ones raise `TransitionError`)."""
    check_office(user, cell_text(person, "Office"), cell_text(person, "ID"))
    transition = apply_person_action(person, step, duos)
    return apply_transition(store, transition, user.email, str(step.kind))


class IntakeChoice(StrEnum):
    """How the intake interview ends."""

    COMPLETE = "complete"
    WITHDRAW = "withdraw"
    SAVE_ONLY = "save_only"


IntakeOutcome = CompleteIntake | Withdraw | None
"""The status step that ends the interview (None: the profile is saved, the status stays)."""


def intake_choices(
    person: Mapping[str, Any], duos: pd.DataFrame | None, attended_on: date | None
) -> tuple[IntakeChoice, ...]:
    """The ways this intake may end: completing it needs an information session behind it."""
    allowed = allowed_participant_actions(person, duos)
    complete = PersonAction.COMPLETE_INTAKE in allowed or (
        attended_on is not None and PersonAction.ATTEND_INFO_SESSION in allowed
    )
    choices = [IntakeChoice.COMPLETE] if complete else []
    if PersonAction.WITHDRAW in allowed:
        choices.append(IntakeChoice.WITHDRAW)
    return (*choices, IntakeChoice.SAVE_ONLY)


def intake_problems(person: Mapping[str, Any], on: date) -> list[Problem]:
    """The eligibility warnings for the person as the form now holds them (at date `on`)."""
    return warnings(person_problems(person, on))


def intake_checks(
    person: Mapping[str, Any], profile: Mapping[str, Any], on: date, *, completing: bool
) -> list[Problem]:
    """What the interview must settle before it is written: the rules broken by the fields it
    changes and, to complete the intake, every eligibility warning of the person."""
    found = profile_problems(person, profile, on)
    if completing:
        after = {**person, **edited_fields(person, profile)}
        found += [p for p in intake_problems(after, on) if p not in found]
    return found


def record_intake(
    store: Store,
    user: User,
    person: Mapping[str, Any],
    profile: Mapping[str, Any],
    outcome: IntakeOutcome,
    *,
    duos: pd.DataFrame | None,
    attended_on: date | None = None,
    acknowledged: bool = False,
) -> Outcome:
    """The intake interview: the completed profile and the status step, in one row write.

    The fields changed are judged by `validation.py`'s rules (an error raises `InvalidInput`,
    nothing written); their warnings, and to complete the intake every eligibility warning
    (age, languages, residence, origin, looking for work or training), need `acknowledged`
    (withdrawing the applicant needs no confirmation of why they may not be eligible).
    An applicant whose attendance at an information session is recorded (`attended_on`) but
    whose status still says Applied moves through Info session on that date first.
    """
    person_id = _check_may_change(user, person, profile)
    edited = edited_fields(person, profile)
    after = {**person, **edited}
    cells, message = dict(edited), Msg("services.saved")
    on = clock.today() if outcome is None else outcome.on
    completing = isinstance(outcome, CompleteIntake)
    withdrawing = isinstance(outcome, Withdraw)  # a person not eligible may be why
    found = intake_checks(person, profile, on, completing=completing)
    check(found, acknowledged=acknowledged or withdrawing)
    if outcome is not None:
        transition = _intake_transition(after, outcome, duos, attended_on)
        cells.update(_cells(transition))
        message = transition.message
    if not cells:
        return Outcome(Msg("services.nothing_changed"))
    seen = {name: person.get(name) for name in cells}
    change = RecordChange(PARTICIPANTS_TAB, person_id, cells, seen)
    return apply_changes(store, [change], user.email, "intake", message)


def _intake_transition(
    person: Mapping[str, Any],
    outcome: CompleteIntake | Withdraw,
    duos: pd.DataFrame | None,
    attended_on: date | None,
) -> Transition:
    applied = cell_text(person, "Status") == APPLIED
    if not (isinstance(outcome, CompleteIntake) and applied and attended_on is not None):
        return apply_person_action(person, outcome, duos)
    first = apply_person_action(person, AttendInfoSession(attended_on), duos)
    second = apply_person_action({**person, **dict(_cells(first))}, outcome, duos)
    return Transition((*first.changes, *second.changes), second.message)


def _check_may_change(user: User, person: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    person_id = cell_text(person, "ID")
    unknown = set(changes) - set(PROFILE_COLUMNS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    check_office(user, cell_text(person, "Office"), person_id)
    new_office = changes.get("Office")
    if new_office and new_office != cell_text(person, "Office"):
        check_office(user, str(new_office), person_id)
    return person_id


def _cells(transition: Transition) -> Iterable[tuple[str, Any]]:
    for change in transition.changes:
        yield from change.cells.items()


# -- merging two rows of one applicant ----------------------------------------------------

MERGE = "merge"
UNDO = "undo"
ATTENDANCE_TAB = "Attendance"


def merge_candidates(people: pd.DataFrame, person: Mapping[str, Any]) -> pd.DataFrame:
    """The other applicants of the person's office, by name: the rows it may be merged with."""
    if cell_text(person, "Status") not in MERGEABLE_STATUSES or people.empty:
        return people.iloc[0:0]
    others = people[
        people["Status"].isin(list(MERGEABLE_STATUSES))
        & (people["Office"] == cell_text(person, "Office"))
        & (people["ID"] != cell_text(person, "ID"))
    ]
    order = others["Last name"].map(normalise_key) + " " + others["First name"].map(normalise_key)
    return others.loc[order.sort_values(kind="stable").index]


def merge_people(
    store: Store,
    user: User,
    keep_id: str,
    other_id: str,
    seen_keep: Mapping[str, Any],
    seen_other: Mapping[str, Any],
) -> Outcome:
    """Merge two rows of one applicant in one unit of work (audited as `merge`).

    The kept row gets every field it lacks from the other (a filled cell is never
    overwritten), the other is Withdrawn with "merged into <keep_id>" in its Notes, and the
    other's registrations move to the kept ID (one the kept person already has stays).
    Both rows are checked against what the user saw: a cell changed meanwhile is a conflict.
    """
    for seen, person_id in ((seen_keep, keep_id), (seen_other, other_id)):
        if cell_text(seen, "ID") != person_id:
            raise ValueError(f"the record seen is not {person_id}")
        check_office(user, cell_text(seen, "Office"), person_id)
    transition = merge_applicants(seen_keep, seen_other, clock.today(), PARTICIPANTS.column_names)
    unit = Unit()
    for change in transition.changes:
        unit.update(change, MERGE)
    attendance = read_now(store, [ATTENDANCE_TAB])[ATTENDANCE_TAB].frame
    for session_id in registrations_to_move(attendance, keep_id, other_id):
        where = {"Session ID": session_id, "Participant ID": other_id}
        unit.update_where(
            ATTENDANCE_TAB, where, {"Participant ID": keep_id}, {"Participant ID": other_id}, MERGE
        )
    return Outcome(transition.message, conflicts=unit.conflicts(unit.write(store, user.email)))


def registrations_to_move(attendance: pd.DataFrame, keep_id: str, other_id: str) -> list[str]:
    """The sessions of the other row's registrations that the kept person does not have."""
    if attendance.empty:
        return []
    ids = attendance["Participant ID"].map(lambda v: str(v).strip())
    sessions = attendance["Session ID"].map(lambda v: str(v).strip())
    kept = set(sessions[ids == keep_id])
    return list(dict.fromkeys(s for s in sessions[ids == other_id] if s and s not in kept))


# -- undoing the last status move -----------------------------------------------------------


@dataclass(frozen=True)
class LastMove:
    """The last status move of a person the app wrote: its Audit action and day."""

    action: str
    on: date | None


def last_move(store: Store, person_id: str) -> LastMove | None:
    """The person's last Audit row that changed their status (None: none in recent history)."""
    audit = store.recent("Audit", HISTORY_ROWS).frame
    if audit.empty:
        return None
    mine = audit[(audit["Record ID"] == person_id) & (audit["Tab"] == PARTICIPANTS_TAB)]
    moved = mine[mine["Details"].map(lambda details: "Status" in _columns_of(details))]
    if moved.empty:
        return None
    row = moved.sort_values(["When", "_row"], kind="stable").iloc[-1]
    when = row["When"]
    return LastMove(str(row["Action"]), None if pd.isna(when) else pd.Timestamp(when).date())


def _columns_of(details: Any) -> list[str]:
    return [name.strip() for name in str(details).split(",")]


def undo_target(
    store: Store, person: Mapping[str, Any], today: date, duos: pd.DataFrame | None = None
) -> str | None:
    """The status "Undo last move" would put the person back to (None: nothing to offer)."""
    move = last_move(store, cell_text(person, "ID"))
    if move is None or move.on != today or move.action not in UNDOABLE_ACTIONS:
        return None
    try:
        undo_person_move(person, move.action, duos)
    except TransitionError:
        return None
    return status_before(person, move.action)


def undo_last_move(
    store: Store,
    user: User,
    person_id: str,
    today: date,
    seen_status: str | None = None,
) -> Outcome:
    """Move the person back to the status before their last move, if it was made today by
    the app and the status has not changed since (`seen_status`: the status the user saw).

    A workflow move like any other (the rules check it), audited as `undo`.
    """
    tables = read_now(store, [PARTICIPANTS_TAB, "Duos"])
    people = tables[PARTICIPANTS_TAB].frame
    found = people[people["ID"] == person_id]
    if found.empty:
        raise TransitionError(workflow_message("undo_nothing"))
    person = records(found)[0]
    check_office(user, cell_text(person, "Office"), person_id)
    move = last_move(store, person_id)
    if move is None or move.action not in UNDOABLE_ACTIONS:
        raise TransitionError(workflow_message("undo_nothing"))
    check_undo(move.on, today, cell_text(person, "Status"), seen_status)
    transition = undo_person_move(person, move.action, tables["Duos"].frame)
    return apply_transition(store, transition, user.email, UNDO)
