"""Follow-ups: the contacts with a mentee 3, 6 and 12 months after their duo started.

Use cases for the Follow-ups page: record a contact (one unit of work: the row and its
audit row, its ID made by the page's form so that sending it twice writes once), correct
one (only the cells that changed, each checked against the row as the user saw it) or
cancel one (kept, marked `Cancelled`, with the reason in the audit). A coordinator reaches
only the duos of their offices. When contacts fall due is `follow_ups.py`'s rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from access import User
from follow_ups import (
    CONTRACT_NEEDED_FOR,
    FOLLOW_UPS_TAB,
    SELF_FILLED,
    SITUATIONS,
    SOURCES,
    DueFollowUp,
    FollowUpSettings,
    counted,
    due_follow_ups,
)
from i18n import Messages, Msg
from meetings import InputRefused
from services.offices import check_office
from services.snapshot import Snapshot
from services.unit import Outcome, Unit, new_record_id, read_now, same
from settings import current_values, follow_up_settings
from sheets.schema import CANCELLED, CONTRACT
from sheets.store import RecordNotFound, Store
from workflow import (
    DUOS_TAB,
    RecordChange,
    TransitionError,
    by_id,
    cell_date,
    cell_text,
    duo_office,
    person_name,
    records,
)

CONTRACTS: tuple[str, ...] = tuple(choice.value for choice in CONTRACT)
MAX_NOTES_CHARS = 1000
RECENT_SHOWN = 200

follow_up_message = Messages("follow_ups")
"""A message of `i18n/follow_ups.toml`."""


@dataclass(frozen=True)
class FollowUpEntry:
    """A follow-up contact as the form holds it."""

    due_on: date | None
    done_on: date | None
    situation: str
    contract: str
    source: str
    notes: str = ""


def follow_up_problems(entry: FollowUpEntry, today: date) -> list[Msg]:
    """Why this contact cannot be saved (an empty list: it can)."""
    problems: list[Msg] = []
    if entry.done_on is None:
        problems.append(follow_up_message("date_required"))
    elif entry.done_on > today:
        problems.append(follow_up_message("date_in_future", date=entry.done_on))
    if entry.situation not in SITUATIONS:
        problems.append(follow_up_message("situation_required"))
    if entry.contract and entry.contract not in CONTRACTS:
        problems.append(follow_up_message("contract_required"))
    if entry.situation in CONTRACT_NEEDED_FOR and not entry.contract:
        problems.append(follow_up_message("contract_required"))
    if entry.source not in SOURCES:
        problems.append(follow_up_message("source_required"))
    if len(entry.notes.strip()) > MAX_NOTES_CHARS:
        problems.append(follow_up_message("notes_too_long", limit=MAX_NOTES_CHARS))
    return problems


def follow_up_cells(entry: FollowUpEntry) -> dict[str, Any]:
    """The cells a (checked) contact fills, when recorded or corrected."""
    return {
        "Due on": entry.due_on,
        "Done on": entry.done_on,
        "Situation": entry.situation,
        "Contract": entry.contract,
        "Source": entry.source,
        "Notes": entry.notes.strip(),
    }


def settings_of(data: Snapshot) -> FollowUpSettings:
    """The months of the contacts: the Settings tab's, else the defaults."""
    values, _ = current_values(data["Settings"])
    return follow_up_settings(values)


# -- what the page shows (pure, over a snapshot) ------------------------------------------


@dataclass(frozen=True)
class FollowUpsView:
    due: list[DueFollowUp]
    """The contacts due in the offices in view, most overdue first."""
    names: dict[str, str]
    """Person ID -> name, for the people the page names."""
    recorded: pd.DataFrame
    """The contacts recorded (not cancelled), newest first: ID, Duo ID, Person ID, Due on,
    Done on, Situation, Contract, Source, Notes (at most `RECENT_SHOWN`)."""
    self_filled: int = 0
    """How many of the contacts recorded came in from the mentees' own links."""


RECORDED_COLUMNS = (
    "ID",
    "Duo ID",
    "Person ID",
    "Due on",
    "Done on",
    "Situation",
    "Contract",
    "Source",
    "Notes",
)


def follow_ups_view(data: Snapshot, today: date) -> FollowUpsView:
    """The due contacts and the recorded ones, for the duos in view (the snapshot's)."""
    duo_ids = set(data.duos["ID"]) if not data.duos.empty else set()
    due = data.memo(
        "follow_ups_due",
        lambda: due_follow_ups(
            duos=data.duos,
            follow_ups=data[FOLLOW_UPS_TAB],
            participants=data.participants,
            today=today,
            settings=settings_of(data),
        ),
        today,
    )
    rows = [row for row in counted(data[FOLLOW_UPS_TAB]) if cell_text(row, "Duo ID") in duo_ids]
    rows.sort(key=lambda row: cell_date(row, "Done on") or date.min, reverse=True)
    recorded = pd.DataFrame(
        [{column: row.get(column) for column in RECORDED_COLUMNS} for row in rows[:RECENT_SHOWN]],
        columns=list(RECORDED_COLUMNS),
    )
    names = {cell_text(p, "ID"): person_name(p) for p in records(data.participants)}
    self_filled = sum(cell_text(row, "Source") == SELF_FILLED for row in rows)
    return FollowUpsView(due, names, recorded, self_filled)


# -- the use cases --------------------------------------------------------------------------


def _refuse(problems: Sequence[Msg]) -> None:
    if problems:
        raise InputRefused(problems)


def _duo_in_reach(store: Store, user: User, duo_id: str) -> dict[str, Any]:
    """The duo as the workbook holds it now; another office's is refused as if absent."""
    frames = {
        name: table.frame
        for name, table in read_now(store, ["Duos", "Participants", FOLLOW_UPS_TAB]).items()
    }
    duo = by_id(records(frames["Duos"])).get(duo_id)
    if duo is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": DUOS_TAB, "key": duo_id}))
    check_office(user, duo_office(duo, by_id(records(frames["Participants"]))), duo_id)
    return dict(duo)


def log_follow_up(
    store: Store,
    user: User,
    duo_id: str,
    entry: FollowUpEntry,
    today: date,
    *,
    record_id: str = "",
) -> Outcome:
    """A Follow-ups row about the duo's mentee, with its audit row, in one unit.

    `record_id`: the new row's ID when the page made it (once per form render), so that a
    form sent again after a save whose answer was lost writes nothing twice.
    """
    duo = _duo_in_reach(store, user, duo_id)
    if cell_date(duo, "Agreement on") is None:
        raise TransitionError(follow_up_message("not_started", duo=duo_id))
    _refuse(follow_up_problems(entry, today))
    record = {
        "ID": record_id or new_record_id(store, FOLLOW_UPS_TAB),
        "Duo ID": duo_id,
        "Person ID": cell_text(duo, "Mentee ID"),
        **follow_up_cells(entry),
    }
    unit = Unit()
    index = unit.append(FOLLOW_UPS_TAB, [record], "log_follow_up")
    ids = list(unit.write(store, user.email).ids[index])
    return Outcome(follow_up_message("logged", duo=duo_id), ids=ids)


def _row_in_reach(store: Store, user: User, row_id: str) -> dict[str, Any]:
    """The Follow-ups row as it is now, of a duo in the user's offices, not cancelled."""
    names = ["Duos", "Participants", FOLLOW_UPS_TAB]
    frames = {name: table.frame for name, table in read_now(store, names).items()}
    row = by_id(records(frames[FOLLOW_UPS_TAB])).get(row_id)
    if row is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": FOLLOW_UPS_TAB, "key": row_id}))
    duo_id = cell_text(row, "Duo ID")
    duo = by_id(records(frames["Duos"])).get(duo_id)
    office = "" if duo is None else duo_office(duo, by_id(records(frames["Participants"])))
    check_office(user, office, row_id)
    if bool(row.get(CANCELLED.name) or False):
        raise TransitionError(follow_up_message("already_cancelled", entry=row_id))
    return dict(row)


def correct_follow_up(
    store: Store,
    user: User,
    row_id: str,
    entry: FollowUpEntry,
    seen: Mapping[str, Any],
    today: date,
) -> Outcome:
    """Write only the cells that differ from the row as the user saw it, each checked
    against it (someone else's change since comes back as a conflict)."""
    _row_in_reach(store, user, row_id)
    _refuse(follow_up_problems(entry, today))
    cells = follow_up_cells(entry)
    changed = {name: value for name, value in cells.items() if not same(value, seen.get(name))}
    if not changed:
        return Outcome(Msg("services.nothing_changed"))
    was = {name: seen.get(name) for name in changed}
    unit = Unit()
    unit.update(RecordChange(FOLLOW_UPS_TAB, row_id, changed, was), "correct_follow_up")
    conflicts = unit.conflicts(unit.write(store, user.email))
    return Outcome(follow_up_message("corrected", entry=row_id), conflicts=conflicts)


def cancel_follow_up(store: Store, user: User, row_id: str, reason: str) -> Outcome:
    """Mark a follow-up cancelled (never deleted), with the reason in an audit note."""
    _row_in_reach(store, user, row_id)
    _refuse([] if reason.strip() else [follow_up_message("reason_required")])
    unit = Unit()
    unit.update(
        RecordChange(FOLLOW_UPS_TAB, row_id, {CANCELLED.name: True}, {}), "cancel_follow_up"
    )
    unit.note("cancel_follow_up", FOLLOW_UPS_TAB, row_id, reason.strip())
    conflicts = unit.conflicts(unit.write(store, user.email))
    return Outcome(follow_up_message("cancelled", entry=row_id), conflicts=conflicts)
