"""The mentor's personal meeting-log link: issuing it, revoking it, and logging through it.

A link is a token signed with the app's secret key (see `links.py`). The token proves who
it was given to and until when; this module checks the rest against the Duos row at the
moment of use: the duo exists, the person the link was given to is still in the row, the
row's "Link version" is the token's (staff or the duo page raise it to revoke every older
link), and the duo is Active. A visitor with a link sees only the first names of the pair and
their last meetings' date, hours, mode and topics, never a summary or anything else. What
makes a meeting valid is `meetings.py`'s, the same as for the coordinator's form.

The secret key comes from secrets (`[links] secret_key`). On the demo workbook only, when
none is configured, one is generated and kept beside the demo workbook (`data/.link-secret`,
readable by its owner only). Without a key on a real workbook, links are disabled.
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import secrets as random_secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import clock
import validation
from access import User
from i18n import Messages
from links import LOG, MENTOR, default_expiry, verify
from meetings import InputRefused, MeetingEntry, listed_topics
from ratelimit import SlidingWindowLimiter
from services.applications import clean_text
from services.link_access import (
    LOGGED_BY,
    duo_to_link,
    first_names,
    link_version,
    linked_duo_row,
    signed_link,
)
from services.unit import Outcome, Unit, apply_changes, new_record_id
from sheets.store import Store
from workflow import ACTIVE, RecordChange, TransitionError, cell_date, cell_text, records

LOG_URL_PATH = "log"
"""The url path of the meeting-log page (`pages/meeting_log.py`)."""
SECRET_FILE_NAME = ".link-secret"
MIN_SECRET_CHARS = 16
RECENT_MEETINGS = 5

LOG_LIMIT = SlidingWindowLimiter(12, 3600)
"""Meetings one link may log per hour: far above a real duo's needs, far below a flood."""


meeting_log_message = Messages("meeting_log")
"""A message of `i18n/meeting_log.toml`."""


class LinksDisabled(TransitionError):
    """No secret key is configured for a real workbook: links can be neither made nor used."""


# -- the secret key -------------------------------------------------------------------------


def secret_key(secrets: Mapping[str, Any], store: Store) -> str | None:
    """The key links are signed with, or None when links are disabled.

    `[links] secret_key` from secrets when set (at least 16 characters); else, on the demo
    workbook only, a key generated once and kept beside it; else None.
    """
    configured = str(dict(secrets.get("links", {}) or {}).get("secret_key", "") or "").strip()
    if configured:
        return configured if len(configured) >= MIN_SECRET_CHARS else None
    if store.is_demo:
        return demo_secret(Path(store.location).parent / SECRET_FILE_NAME)
    return None


def demo_secret(path: Path) -> str:
    """The key kept in `path`, created (readable by its owner only) on first use."""
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if len(existing) >= MIN_SECRET_CHARS:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    key = random_secrets.token_urlsafe(32)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _written_by_someone_else(path, key)
    with os.fdopen(handle, "w") as file:
        file.write(key + "\n")
    return key


def _written_by_someone_else(path: Path, key: str) -> str:
    """Another process created the file a moment ago (use its key), or left it empty."""
    existing = path.read_text().strip()
    if len(existing) >= MIN_SECRET_CHARS:
        return existing
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


# -- what a link opens ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecentMeeting:
    date: dt.date | None
    hours: float | None
    mode: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class LinkedDuo:
    """All a link holder may see of their duo."""

    duo_id: str
    role: str
    mentor_first_name: str
    mentee_first_name: str
    agreement_on: dt.date | None
    recent: tuple[RecentMeeting, ...]
    topics: tuple[str, ...]
    """The topics the log form offers (the Lists tab's Topics)."""

    @property
    def logged_by(self) -> str:
        return LOGGED_BY[self.role]

    def earliest_day(self, today: dt.date) -> dt.date | None:
        """The first day the log form offers: the agreement's (none while it lies ahead)."""
        agreement = self.agreement_on
        return agreement if agreement is not None and agreement <= today else None


def resolve(store: Store, token: str, secret: str, today: dt.date) -> LinkedDuo:
    """The duo a link opens today; raises `InvalidLink` for any link that must not work."""
    claims = verify(token, secret, today)
    tables = store.read(["Duos", "Participants", "Meetings", "Lists"])
    duo = linked_duo_row(tables["Duos"].frame, claims, {ACTIVE})
    mentor_first_name, mentee_first_name = first_names(tables["Participants"].frame, duo)
    return LinkedDuo(
        duo_id=claims.duo_id,
        role=claims.role,
        mentor_first_name=mentor_first_name,
        mentee_first_name=mentee_first_name,
        agreement_on=cell_date(duo, "Agreement on"),
        recent=tuple(recent_meetings(tables["Meetings"].frame, claims.duo_id)),
        topics=listed_topics(tables["Lists"].frame),
    )


def recent_meetings(meetings: pd.DataFrame, duo_id: str) -> list[RecentMeeting]:
    """The duo's last meetings, newest first: date, hours, mode and topics only."""
    rows = _rows_with(meetings, "Duo ID", duo_id)
    rows.sort(key=lambda row: cell_date(row, "Date") or dt.date.min, reverse=True)
    return [
        RecentMeeting(
            date=cell_date(row, "Date"),
            hours=_hours(row.get("Hours")),
            mode=cell_text(row, "Mode"),
            topics=tuple(row.get("Topics") or ()),
        )
        for row in rows[:RECENT_MEETINGS]
    ]


def _hours(value: Any) -> float | None:
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return float(value)
    return None


# -- logging a meeting ----------------------------------------------------------------------


def log_meeting(
    store: Store,
    token: str,
    secret: str,
    entry: MeetingEntry,
    today: dt.date,
    *,
    record_id: str = "",
) -> Outcome:
    """Add a Meetings row for the link's duo, "Logged by" the link's role, in one unit.

    The link is checked again at the moment of writing (a link revoked while the form was
    open logs nothing). Raises `InvalidLink`, or `InputRefused` with every problem and its
    field (the rules of `validation.meeting_problems`, then the link's rate limit). The
    row's ID is `record_id` when the page made it (once per form, so that sending it again
    after an error whose write landed writes nothing twice), else made here before the write.
    """
    duo = resolve(store, token, secret, today)
    found = validation.meeting_problems(entry, duo, today)
    if found:
        raise InputRefused([p.msg for p in found], [p.field for p in found])
    if not LOG_LIMIT.hit(f"{duo.duo_id}/{duo.role}"):
        raise InputRefused([meeting_log_message("too_many")])
    assert entry.on is not None and entry.hours is not None, "refused above"
    record = {
        "Duo ID": duo.duo_id,
        "Date": entry.on,
        "Hours": entry.hours,
        "Mode": entry.mode,
        "Topics": list(entry.topics),
        "Summary": clean_text(entry.summary, multiline=True),
        "Logged by": duo.logged_by,
    }
    unit = Unit()
    record["ID"] = record_id or new_record_id(store, "Meetings")
    index = unit.append("Meetings", [record], "log_meeting")
    ids = list(unit.write(store, duo.logged_by).ids[index])
    return Outcome(meeting_log_message("logged", date=entry.on), ids=ids)


# -- for the duo page: copy the link, revoke it ---------------------------------------------


def link_for(
    store: Store,
    duo_id: str,
    base_url: str,
    secret: str | None,
    role: str = MENTOR,
    *,
    today: dt.date | None = None,
    user: User | None = None,
) -> str:
    """The personal link of the duo's mentor (or mentee) to its meeting log.

    `base_url` is the app's address (e.g. `https://duo.example.org`). The link works until
    the planned end + 60 days (240 days from today without a planned end) and until the
    duo's link version is raised (`revoke`). Raises `LinksDisabled` without a key,
    `RecordNotFound` for an unknown duo (or one of another office, when `user` is given) and
    `TransitionError` for a duo that is not Active (its link would not open).
    """
    if not secret:
        raise LinksDisabled(meeting_log_message("links_disabled"))
    day = today or clock.today()
    duo = duo_to_link(store, duo_id, user)
    if cell_text(duo, "Status") != ACTIVE:
        raise TransitionError(meeting_log_message("duo_not_active", duo=duo_id))
    expires = default_expiry(cell_date(duo, "Planned end"), day)
    return signed_link(
        duo, role, expires, secret=secret, purpose=LOG, base_url=base_url, url_path=LOG_URL_PATH
    )


def revoke(store: Store, duo_id: str, who: str, *, user: User | None = None) -> Outcome:
    """Raise the duo's link version by one: every link given out so far stops working.

    Written with the version seen, so that two revocations at once do not skip a number
    silently (the second comes back as a conflict); the store audits the change.
    """
    duo = duo_to_link(store, duo_id, user)
    current = link_version(duo)
    seen = duo.get("Link version")
    if isinstance(seen, float) and math.isnan(seen):
        seen = None
    change = RecordChange("Duos", duo_id, {"Link version": current + 1}, {"Link version": seen})
    return apply_changes(
        store, [change], who, "revoke_link", meeting_log_message("revoked", duo=duo_id)
    )


def _rows_with(frame: pd.DataFrame, column: str, value: str) -> list[dict[str, Any]]:
    """The rows whose `column` holds `value` (the tab's own order)."""
    if frame.empty or column not in frame.columns:
        return []
    return records(frame[frame[column].astype(str).str.strip() == value])
