"""Rules both store adapters share: rows from records, which cells an update writes,
conflicts, audit rows, IDs and what erasing a person blanks.

Pure functions over raw grids and header positions; the adapters only fetch and send cells.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import clock
from i18n import Msg
from sheets.ids import new_id
from sheets.reader import Headers, Table, locate_headers, read_grid
from sheets.schema import PARTICIPANTS, Column, Tab, tab
from sheets.store import Conflict, RecordNotFound, UpdateResult, Where
from sheets.values import as_text, canonical_cell

Cell = str | int | float
AUTO_STAMPS = ("Updated on", "Logged on")


def now() -> dt.datetime:
    return clock.now()


def blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def comparable(column: Column, value: Any) -> Cell:
    """A canonical value as it would be written, so that `seen` and sheet text compare."""
    if isinstance(value, list | tuple):
        return canonical_cell(column, list(value))
    if blank(value):
        return ""
    return canonical_cell(column, value)


def comparable_raw(column: Column, raw: Any) -> Cell:
    """A raw sheet cell as the canonical value the reader would give, written back."""
    table = read_grid(Tab("_", (column,), key=None), [[column.name], [raw]])
    if table.frame.empty:
        return ""
    return comparable(column, table.frame[column.name].iloc[0])


@dataclass
class HeaderPlan:
    headers: Headers
    added: list[tuple[int, str]] = field(default_factory=list)
    """Header cells to write: (0-based column index, canonical name)."""


def ensure_headers(tab_def: Tab, headers: Headers, needed: Collection[str]) -> HeaderPlan:
    """Headers with every needed column present, new ones added after the last used column.

    Staff's own columns and order are never touched.
    """
    positions = dict(headers.positions)
    width = headers.width
    added: list[tuple[int, str]] = []
    for name in tab_def.column_names:
        if name in needed and name not in positions:
            positions[name] = width
            added.append((width, name))
            width += 1
    return HeaderPlan(Headers(positions, dict(headers.extra), width), added)


def headers_of(tab_def: Tab, grid: Sequence[Sequence[Any]]) -> Headers:
    headers, _ = locate_headers(tab_def, grid[0] if grid else [])
    return headers


def record_to_row(tab_def: Tab, headers: Headers, record: Mapping[str, Any]) -> list[Cell]:
    """A record as a row of cells laid out by the sheet's own header positions."""
    row: list[Cell] = [""] * headers.width
    for name, value in record.items():
        if name in headers.positions:
            row[headers.positions[name]] = comparable(tab_def.column(name), value)
    return row


def complete_records(
    tab_def: Tab,
    records: Sequence[Mapping[str, Any]],
    taken_ids: Collection[str],
    stamp: dt.datetime,
) -> list[dict[str, Any]]:
    """Records with an ID (for tabs that have one) and their time stamps filled in."""
    taken = set(taken_ids)
    completed: list[dict[str, Any]] = []
    for record in records:
        unknown = set(record) - set(tab_def.column_names)
        if unknown:
            raise KeyError(f"{tab_def.name} has no column(s) {sorted(unknown)}")
        full = dict(record)
        if tab_def.id_prefix and blank(full.get("ID")):
            full["ID"] = new_id(tab_def.id_prefix, taken)
        if tab_def.id_prefix:
            taken.add(str(full["ID"]))
        for name in AUTO_STAMPS:
            if name in tab_def.column_names and blank(full.get(name)):
                full[name] = stamp
        completed.append(full)
    return completed


@dataclass
class AppendPlan:
    """The rows an append writes, and the ID of every record it was given."""

    records: list[dict[str, Any]]
    """The completed records not yet in the tab, in order."""
    ids: list[str]
    """One per given record ("" for tabs without IDs), those already there included."""


def plan_append(
    tab_def: Tab,
    records: Sequence[Mapping[str, Any]],
    grid: Sequence[Sequence[Any]],
    stamp: dt.datetime,
) -> AppendPlan:
    """Complete the records (IDs, stamps) and leave out those the tab already holds."""
    completed = complete_records(tab_def, records, existing_ids(tab_def, grid), stamp)
    ids = [str(record.get("ID", "")) for record in completed]
    return AppendPlan(not_yet_in(tab_def, completed, grid), ids)


def not_yet_in(
    tab_def: Tab, records: Sequence[dict[str, Any]], grid: Sequence[Sequence[Any]]
) -> list[dict[str, Any]]:
    """The records the tab does not hold yet: same ID, or the same identity columns for a tab
    without IDs, means already there. Repeating an append (a retry after a lost answer, a
    form sent twice) so writes nothing new."""
    ids = {record_id.casefold() for record_id in existing_ids(tab_def, grid)}
    held = _identities(tab_def, grid)
    return [
        record
        for record in records
        if as_text(record.get("ID")).casefold() not in ids
        and (not tab_def.identity or _identity(tab_def, record) not in held)
    ]


def _identity(tab_def: Tab, record: Mapping[str, Any]) -> tuple[str, ...] | None:
    if not tab_def.identity:
        return None
    return tuple(
        as_text(comparable(tab_def.column(n), record.get(n))).casefold() for n in tab_def.identity
    )


def _identities(tab_def: Tab, grid: Sequence[Sequence[Any]]) -> set[tuple[str, ...] | None]:
    """The identity of every row of a tab without IDs (empty for other tabs)."""
    if not tab_def.identity:
        return set()
    headers = headers_of(tab_def, grid)
    if any(name not in headers.positions for name in tab_def.identity):
        return set()
    indexes = [headers.positions[name] for name in tab_def.identity]
    return {
        tuple(as_text(row[i] if i < len(row) else "").casefold() for i in indexes)
        for row in grid[1:]
    }


def existing_ids(tab_def: Tab, grid: Sequence[Sequence[Any]]) -> set[str]:
    headers = headers_of(tab_def, grid)
    index = headers.positions.get("ID")
    if index is None:
        return set()
    return {as_text(row[index]) for row in grid[1:] if index < len(row) and as_text(row[index])}


def ids_to_assign(tab_def: Tab, grid: Sequence[Sequence[Any]], index: int) -> list[tuple[int, str]]:
    """(sheet row, new ID) for every row holding values but no ID in column `index`."""
    assert tab_def.id_prefix
    taken = existing_ids(tab_def, grid)
    assigned: list[tuple[int, str]] = []
    for number, row in enumerate(grid[1:], start=2):
        if all(blank(cell) for cell in row):
            continue
        if blank(row[index] if index < len(row) else None):
            new = new_id(tab_def.id_prefix, taken)
            taken.add(new)
            assigned.append((number, new))
    return assigned


def where_of(tab_def: Tab, where: Where) -> dict[str, str]:
    if isinstance(where, str):
        if tab_def.key is None:
            raise ValueError(f"{tab_def.name} rows are found by several columns, not one ID")
        return {tab_def.key: where}
    return dict(where)


def find_row(tab_def: Tab, grid: Sequence[Sequence[Any]], where: Mapping[str, str]) -> int:
    """The 0-based grid index of the row matching `where` now; raises RecordNotFound."""
    headers = headers_of(tab_def, grid)
    indexes = {name: headers.positions.get(name) for name in where}
    if all(index is not None for index in indexes.values()):
        wanted = {name: value.strip().casefold() for name, value in where.items()}
        for number, row in enumerate(grid[1:], start=1):
            if all(
                as_text(row[index] if index is not None and index < len(row) else "").casefold()
                == wanted[name]
                for name, index in indexes.items()
            ):
                return number
    raise RecordNotFound(
        Msg(
            "store.record_not_found",
            {"tab": tab_def.name, "key": " / ".join(where.values())},
        )
    )


@dataclass
class UpdatePlan:
    """The cells an update writes in one row, and what it refused to overwrite."""

    row: int
    """0-based grid index (sheet row number - 1)."""
    cells: list[tuple[int, Cell]]
    result: UpdateResult


def plan_update(
    tab_def: Tab,
    headers: Headers,
    grid: Sequence[Sequence[Any]],
    row: int,
    changes: Mapping[str, Any],
    seen: Mapping[str, Any] | None,
    stamp: dt.datetime,
) -> UpdatePlan:
    """Decide, cell by cell, what to write in `grid[row]` (headers must cover `changes`)."""
    current_row = grid[row] if row < len(grid) else []
    cells: list[tuple[int, Cell]] = []
    written: list[str] = []
    conflicts: list[Conflict] = []
    for name, value in changes.items():
        located = _located(tab_def, headers, name)
        if located is None:
            continue
        column, index = located
        raw = current_row[index] if index < len(current_row) else None
        current = comparable_raw(column, raw)
        proposed = comparable(column, value)
        if current == proposed:
            continue
        if seen is not None and name in seen and current != comparable(column, seen[name]):
            conflicts.append(Conflict(name, seen[name], current, value))
            continue
        cells.append((index, proposed))
        written.append(name)
    if written and "Updated on" in headers.positions and "Updated on" not in changes:
        cells.append(
            (
                headers.positions["Updated on"],
                comparable(tab_def.column("Updated on"), stamp),
            )
        )
    key = _record_key(tab_def, headers, current_row)
    result = UpdateResult(key, row + 1, tuple(written), tuple(conflicts))
    return UpdatePlan(row, cells, result)


def _located(tab_def: Tab, headers: Headers, name: str) -> tuple[Column, int] | None:
    """A contract column where the sheet has it, or a column staff added (read as text);
    None for a staff column that is gone (there is nothing left to change)."""
    if name in headers.positions:
        return tab_def.column(name), headers.positions[name]
    if name in headers.extra:
        return Column(name), headers.extra[name]
    return None


def _record_key(tab_def: Tab, headers: Headers, row: Sequence[Any]) -> str:
    if tab_def.key and tab_def.key in headers.positions:
        index = headers.positions[tab_def.key]
        return as_text(row[index]) if index < len(row) else ""
    return ""


def audit_record(
    who: str,
    action: str,
    tab_name: str,
    record_id: str,
    details: str,
    stamp: dt.datetime,
) -> dict[str, Any]:
    """An Audit row: column names and IDs only, never the personal values themselves."""
    return {
        "When": stamp,
        "Who": who,
        "Action": action,
        "Tab": tab_name,
        "Record ID": record_id,
        "Details": details,
    }


def append_audit(
    who: str, action: str, tab_name: str, ids: Sequence[str], stamp: dt.datetime, each: bool
) -> list[dict[str, Any]]:
    """Audit rows for an append: one per record, or one that sums up a bulk load."""
    if each:
        return [audit_record(who, action, tab_name, record_id, "", stamp) for record_id in ids]
    return [audit_record(who, action, tab_name, "", f"{len(ids)} rows", stamp)]


def change_details(written: Sequence[str]) -> str:
    return ", ".join(written)


ERASE_TABS = (
    "Participants",
    "Duos",
    "Meetings",
    "Check-ins",
    "Evaluations",
    "Follow-ups",
    "Outbox",
)
"""The tabs that erasing a person touches (and reads, to find what to blank)."""

ErasePlan = dict[str, list[tuple[dict[str, str], dict[str, Any]]]]


def erase_plan(tables: Mapping[str, Table], participant_id: str) -> ErasePlan:
    """What erasing a person blanks: their personal cells, the columns staff added to their
    row (the app cannot know what those hold), and free text about their duos."""
    people = tables[PARTICIPANTS.name].frame
    if people.empty or participant_id not in set(people["ID"]):
        raise RecordNotFound(
            Msg(
                "store.record_not_found",
                {"tab": PARTICIPANTS.name, "key": participant_id},
            )
        )
    personal = {column.name: "" for column in PARTICIPANTS.columns if column.personal}
    staff_columns = {name: "" for name in tables[PARTICIPANTS.name].headers.extra}
    plan: ErasePlan = {PARTICIPANTS.name: [({"ID": participant_id}, {**personal, **staff_columns})]}
    duos = tables["Duos"].frame
    duo_ids: list[str] = []
    if not duos.empty:
        mine = duos[(duos["Mentor ID"] == participant_id) | (duos["Mentee ID"] == participant_id)]
        duo_ids = [str(value) for value in mine["ID"] if value]
    for tab_name in ERASE_TABS[1:]:
        tab_def = tab(tab_name)
        frame = tables[tab_name].frame
        if frame.empty or not tab_def.free_text:
            continue
        key_column = "ID" if tab_name == "Duos" else "Duo ID"
        rows = frame[frame[key_column].isin(duo_ids)]
        blanks = {name: "" for name in tab_def.free_text}
        plan[tab_name] = [({"ID": str(record_id)}, blanks) for record_id in rows["ID"] if record_id]
    outbox = tables["Outbox"].frame if "Outbox" in tables else pd.DataFrame()
    if not outbox.empty:
        email = str(people.loc[people["ID"] == participant_id, "Email"].iloc[0]).strip().casefold()
        about = {participant_id, *duo_ids}
        mine = outbox[
            (outbox["To"].astype(str).str.strip().str.casefold() == email) & (email != "")
            | outbox["Record ID"].isin(about)
        ]
        blanks = {name: "" for name in OUTBOX_ERASED}
        plan["Outbox"] = [({"ID": str(record_id)}, blanks) for record_id in mine["ID"] if record_id]
    return plan


OUTBOX_ERASED = ("To", "Subject", "Body", "Calendar")
"""What erasing a person blanks in the Outbox rows sent to them or about them or their duos
(the kind, status and dates stay, as the statistics' rows do)."""
