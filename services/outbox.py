"""The Outbox tab: queue messages, send them once, cancel or mark them by hand.

The tab is the truth, across processes and restarts:
- **queue**: one append of the new rows, in one unit of work, planned from a fresh read; a
  draft whose dedupe key already has a row that is Queued, Sending, Sent or Cancelled is not
  queued again (a Failed one may be). The rows' IDs are made before the write, so a retry of
  the same unit writes nothing twice.
- **send**: re-read fresh, then each Queued row is first taken (Status Sending, written with
  the Queued value seen: a second process that took it first makes this write a conflict,
  and this process leaves the row alone), then sent, then marked Sent (or Failed with the
  error). A row left Sending (a process stopped mid-send) is shown to staff, never re-sent
  by itself: whether it went out is unknown.
- **cancel**: a Queued row becomes Cancelled (staff may also type it in the sheet).
- **mark sent**: without a mail server, the coordinator sent it from their mail app.
- **office rights**: an admin works every row; a coordinator the rows about a duo, session
  or person of their offices and the messages to themselves (`rows_in_view`,
  `cancel_for`, `mark_sent_for`, checked here with `offices.check_office`).
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pandas as pd

import clock
from access import User
from i18n import Messages
from messages import Draft
from services.mail import SendFailed, SmtpSettings, email_message, send
from services.offices import check_office
from services.unit import Outcome, Unit, new_id_for, read_now, taken_ids, write_planned
from sheets.store import Store, StoreError
from workflow import RecordChange, cell_number, cell_text

OUTBOX_TAB = "Outbox"
QUEUED, SENDING, SENT, FAILED, CANCELLED = "Queued", "Sending", "Sent", "Failed", "Cancelled"
BLOCKING = frozenset({QUEUED, SENDING, SENT, CANCELLED})
"""A dedupe key with a row in one of these statuses is never queued again."""
VIA_SMTP, VIA_MAIL_APP = "SMTP", "Mail app"
WHO = "Messages"
"""Who the audit names for the sending (the reminders command has no user)."""
MAX_ERROR_CHARS = 500

outbox_message = Messages("outbox")
"""A message of `i18n/outbox.toml`."""


class OutboxRefused(StoreError):
    """A change of an Outbox row that cannot be made (not queued any more, unknown row)."""


@dataclass(frozen=True)
class OutboxRow:
    id: str
    kind: str
    to: str
    language: str
    subject: str
    body: str
    calendar: str
    record_id: str
    dedupe_key: str
    status: str
    queued_on: dt.datetime | None
    sent_on: dt.datetime | None
    via: str
    attempts: int
    error: str


def outbox_rows(frame: pd.DataFrame | None) -> list[OutboxRow]:
    """The Outbox's rows with an ID, in sheet order."""
    if frame is None or frame.empty:
        return []
    rows = frame.to_dict("records")  # timestamps kept whole (`records` keeps the day only)
    plain = [{str(name): value for name, value in row.items()} for row in rows]
    return [_row(row) for row in plain if cell_text(row, "ID")]


def _row(row: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=cell_text(row, "ID"),
        kind=cell_text(row, "Kind"),
        to=cell_text(row, "To"),
        language=cell_text(row, "Language"),
        subject=cell_text(row, "Subject"),
        body=_multiline(row.get("Body")),
        calendar=_multiline(row.get("Calendar")),
        record_id=cell_text(row, "Record ID"),
        dedupe_key=cell_text(row, "Dedupe key"),
        status=cell_text(row, "Status"),
        queued_on=_stamp(row.get("Queued on")),
        sent_on=_stamp(row.get("Sent on")),
        via=cell_text(row, "Via"),
        attempts=int(cell_number(row, "Attempts") or 0),
        error=cell_text(row, "Error"),
    )


def _multiline(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _stamp(value: Any) -> dt.datetime | None:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    return value if isinstance(value, dt.datetime) else None


def blocked_keys(rows: Iterable[OutboxRow]) -> set[str]:
    """The dedupe keys that must not be queued again."""
    return {row.dedupe_key for row in rows if row.dedupe_key and row.status in BLOCKING}


def new_drafts(drafts: Iterable[Draft], rows: Iterable[OutboxRow]) -> list[Draft]:
    """The drafts whose key has no blocking row (and the first of each key)."""
    blocked = blocked_keys(rows)
    fresh = []
    for each in drafts:
        if each.dedupe_key not in blocked:
            blocked.add(each.dedupe_key)
            fresh.append(each)
    return fresh


# -- queue ------------------------------------------------------------------------------------


def outbox_record(each: Draft, row_id: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "ID": row_id,
        "Kind": each.kind,
        "To": each.to,
        "Language": each.language,
        "Subject": each.subject,
        "Body": each.body,
        "Calendar": each.calendar,
        "Record ID": each.record_id,
        "Dedupe key": each.dedupe_key,
        "Status": QUEUED,
        "Queued on": now,
        "Attempts": 0,
    }


def add_to_unit(
    unit: Unit,
    drafts: Sequence[Draft],
    rows: Iterable[OutboxRow],
    taken: Collection[str],
    now: dt.datetime,
    ids: Sequence[str] = (),
) -> list[str]:
    """Append the drafts not yet queued to `unit` (one append); their new IDs (`ids` when
    the caller made them from its own record's ID, one per draft, else made here)."""
    fresh = new_drafts(drafts, rows)
    if not fresh:
        return []
    made: list[str] = list(ids[: len(fresh)])
    while len(made) < len(fresh):
        made.append(new_id_for(OUTBOX_TAB, {*taken, *made}))
    ids = made
    unit.append(
        OUTBOX_TAB,
        [outbox_record(each, row_id, now) for each, row_id in zip(fresh, ids, strict=True)],
        "queue_message",
    )
    return ids


@dataclass
class _Planned:
    unit: Unit
    ids: list[str] = field(default_factory=list)


def queue(store: Store, drafts: Sequence[Draft], who: str) -> list[str]:
    """Queue the drafts not queued or sent before, in one append; the new rows' IDs."""
    if not drafts:
        return []

    def plan() -> _Planned:
        frame = read_now(store, [OUTBOX_TAB])[OUTBOX_TAB].frame
        unit = Unit()
        ids = add_to_unit(unit, drafts, outbox_rows(frame), taken_ids(frame), clock.now())
        return _Planned(unit, ids)

    planned, _ = write_planned(store, who, plan)
    return planned.ids


# -- send -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendReport:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(row ID, error)."""
    skipped: list[str] = field(default_factory=list)
    """Rows another process took first, or that were cancelled meanwhile."""


Sender = Callable[[SmtpSettings, EmailMessage], int]


def send_queued(
    store: Store,
    settings: SmtpSettings,
    *,
    ids: Collection[str] | None = None,
    record_ids: Collection[str] | None = None,
    who: str = WHO,
    sender: Sender = send,
) -> SendReport:
    """Send the Queued rows (only `ids`, or only those about `record_ids`, when given)."""
    report = SendReport()
    frame = read_now(store, [OUTBOX_TAB])[OUTBOX_TAB].frame
    due = [
        row
        for row in outbox_rows(frame)
        if row.status == QUEUED
        and (ids is None or row.id in ids)
        and (record_ids is None or row.record_id in record_ids)
    ]
    taken = _take(store, due, who)
    for row in due:
        if row.id not in taken:
            report.skipped.append(row.id)
            continue
        message = email_message(
            settings, row.to, row.subject, row.body, row.language, row.calendar, row.id
        )
        try:
            attempts = sender(settings, message)
        except SendFailed as failure:
            error = failure.error[:MAX_ERROR_CHARS]
            _finish(store, row, who, FAILED, row.attempts + failure.attempts, error)
            report.failed.append((row.id, error))
            continue
        _finish(store, row, who, SENT, row.attempts + attempts, "")
        report.sent.append(row.id)
    return report


def _take(store: Store, rows: Sequence[OutboxRow], who: str) -> set[str]:
    """Status Queued -> Sending for all the rows in one unit, each written with Queued as
    seen: the IDs taken (a row someone changed first comes back as a conflict, not taken)."""
    if not rows:
        return set()
    unit = Unit()
    for row in rows:
        change = RecordChange(OUTBOX_TAB, row.id, {"Status": SENDING}, {"Status": QUEUED})
        unit.update(change, "send_message")
    lost = {source.record_id for source, _ in unit.conflicts(unit.write(store, who))}
    return {row.id for row in rows} - lost


def _finish(store: Store, row: OutboxRow, who: str, status: str, attempts: int, error: str) -> None:
    cells: dict[str, Any] = {"Status": status, "Attempts": attempts, "Error": error}
    if status == SENT:
        cells.update({"Sent on": clock.now(), "Via": VIA_SMTP})
    unit = Unit()
    unit.update(RecordChange(OUTBOX_TAB, row.id, cells, {"Status": SENDING}), "send_message")
    unit.write(store, who)


# -- by hand ---------------------------------------------------------------------------------


def cancel(store: Store, row_id: str, who: str) -> Outcome:
    """A Queued row becomes Cancelled: it is not sent, and its key is not queued again."""
    return _by_hand(store, row_id, who, {"Status": CANCELLED}, "cancel_message", "cancelled")


def mark_sent(store: Store, row_id: str, who: str) -> Outcome:
    """The coordinator sent a Queued row from their mail app (no mail server configured)."""
    cells = {"Status": SENT, "Sent on": clock.now(), "Via": VIA_MAIL_APP}
    return _by_hand(store, row_id, who, cells, "mark_message_sent", "marked_sent")


def queue_again(store: Store, row_id: str, who: str) -> Outcome:
    """A Failed row back to Queued (the next send tries it), unless its message was queued
    or sent again meanwhile."""
    rows = outbox_rows(read_now(store, [OUTBOX_TAB])[OUTBOX_TAB].frame)
    row = next((each for each in rows if each.id == row_id), None)
    if row is None or row.status != FAILED:
        raise OutboxRefused(outbox_message("not_failed", id=row_id))
    if row.dedupe_key in blocked_keys(rows):
        raise OutboxRefused(outbox_message("not_failed", id=row_id))
    unit = Unit()
    change = RecordChange(OUTBOX_TAB, row_id, {"Status": QUEUED}, {"Status": FAILED})
    unit.update(change, "queue_message_again")
    conflicts = unit.conflicts(unit.write(store, who))
    return Outcome(outbox_message("queued_again", id=row_id), conflicts=conflicts)


def _by_hand(
    store: Store, row_id: str, who: str, cells: dict[str, Any], action: str, done: str
) -> Outcome:
    rows = {row.id: row for row in outbox_rows(read_now(store, [OUTBOX_TAB])[OUTBOX_TAB].frame)}
    row = rows.get(row_id)
    if row is None or row.status != QUEUED:
        raise OutboxRefused(outbox_message("not_queued", id=row_id))
    unit = Unit()
    unit.update(RecordChange(OUTBOX_TAB, row_id, cells, {"Status": QUEUED}), action)
    conflicts = unit.conflicts(unit.write(store, who))
    return Outcome(outbox_message(done, id=row_id), conflicts=conflicts)


def queued_rows(store: Store, ids: Collection[str] | None = None) -> list[OutboxRow]:
    """The Queued rows (of `ids` when given), as the tab holds them now."""
    rows = outbox_rows(read_now(store, [OUTBOX_TAB])[OUTBOX_TAB].frame)
    return [row for row in rows if row.status == QUEUED and (ids is None or row.id in ids)]


# -- a coordinator's rows ---------------------------------------------------------------------

ABOUT_TABS = ("Duos", "Sessions", "Participants")
"""The tabs whose records a message is about (its `Record ID`), each with an Office."""


def record_offices(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Record ID -> office, for the duos, sessions and people of the workbook."""
    offices: dict[str, str] = {}
    for name in ABOUT_TABS:
        frame = frames.get(name)
        if frame is None or frame.empty or "ID" not in frame or "Office" not in frame:
            continue
        for record_id, office in zip(frame["ID"], frame["Office"], strict=True):
            if str(record_id).strip():
                offices.setdefault(str(record_id).strip(), str(office or "").strip())
    return offices


def may_work(user: User, row: OutboxRow, offices: Mapping[str, str]) -> bool:
    """An admin: any row. A coordinator: a row to themselves, or about a record of one of
    their offices (a row about no known record is the admins')."""
    if user.is_admin or row.to.casefold() == user.email.casefold():
        return True
    office = offices.get(row.record_id)
    return office is not None and user.may_see(office)


def rows_in_view(store: Store, user: User) -> list[OutboxRow]:
    """The Outbox rows the user may see and work, in sheet order."""
    tables = read_now(store, [OUTBOX_TAB, *ABOUT_TABS])
    offices = record_offices({name: table.frame for name, table in tables.items()})
    return [row for row in outbox_rows(tables[OUTBOX_TAB].frame) if may_work(user, row, offices)]


def _check_row(store: Store, user: User, row_id: str) -> None:
    """Refuse a row of another office (as if it did not exist)."""
    if user.is_admin:
        return
    tables = read_now(store, [OUTBOX_TAB, *ABOUT_TABS])
    offices = record_offices({name: table.frame for name, table in tables.items()})
    row = next((each for each in outbox_rows(tables[OUTBOX_TAB].frame) if each.id == row_id), None)
    if row is None or row.to.casefold() == user.email.casefold():
        return  # unknown: `_by_hand` says it is not queued; to themselves: theirs
    check_office(user, offices.get(row.record_id, ""), row_id)


def cancel_for(store: Store, user: User, row_id: str) -> Outcome:
    """`cancel`, for a row the user may work (`may_work`)."""
    _check_row(store, user, row_id)
    return cancel(store, row_id, user.email)


def mark_sent_for(store: Store, user: User, row_id: str) -> Outcome:
    """`mark_sent`, for a row the user may work (`may_work`)."""
    _check_row(store, user, row_id)
    return mark_sent(store, row_id, user.email)
