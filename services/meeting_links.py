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
from i18n import Messages, Msg
from links import MENTEE, MENTOR, InvalidLink, LinkClaims, Reason, default_expiry, sign, verify
from meetings import InputRefused, MeetingEntry, listed_topics
from ratelimit import SlidingWindowLimiter
from services.applications import clean_text
from services.offices import check_office
from services.unit import Outcome, Unit, apply_changes, new_record_id
from sheets.store import RecordNotFound, Store
from workflow import ACTIVE, RecordChange, TransitionError, cell_date, cell_text, records

LOG_URL_PATH = "log"
"""The url path of the meeting-log page (`pages/meeting_log.py`)."""
TOKEN_PARAMETER = "t"
SECRET_FILE_NAME = ".link-secret"
MIN_SECRET_CHARS = 16
LOGGED_BY = {MENTOR: "Mentor (link)", MENTEE: "Mentee (link)"}
PERSON_COLUMN = {MENTOR: "Mentor ID", MENTEE: "Mentee ID"}
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
    duo = _duo_of(tables["Duos"].frame, claims)
    first_names = _first_names(tables["Participants"].frame, duo)
    return LinkedDuo(
        duo_id=claims.duo_id,
        role=claims.role,
        mentor_first_name=first_names.get(cell_text(duo, "Mentor ID"), ""),
        mentee_first_name=first_names.get(cell_text(duo, "Mentee ID"), ""),
        agreement_on=cell_date(duo, "Agreement on"),
        recent=tuple(recent_meetings(tables["Meetings"].frame, claims.duo_id)),
        topics=listed_topics(tables["Lists"].frame),
    )


def _duo_of(duos: pd.DataFrame, claims: LinkClaims) -> dict[str, Any]:
    """The duo's row, if the link still fits it (else InvalidLink with the reason)."""
    rows = _rows_with(duos, "ID", claims.duo_id)
    if not rows:
        raise InvalidLink(Reason.WRONG_DUO)
    duo = rows[0]
    if cell_text(duo, PERSON_COLUMN[claims.role]) != claims.person_id:
        raise InvalidLink(Reason.WRONG_DUO)
    if link_version(duo) != claims.version:
        raise InvalidLink(Reason.REVOKED)
    if cell_text(duo, "Status") != ACTIVE:
        raise InvalidLink(Reason.INACTIVE)
    return duo


def link_version(duo: Mapping[str, Any]) -> int:
    """The row's link version; a blank cell counts as 1 (the first link)."""
    value = duo.get("Link version")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 1
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 1


def _first_names(participants: pd.DataFrame, duo: Mapping[str, Any]) -> dict[str, str]:
    wanted = {cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")} - {""}
    return {
        cell_text(row, "ID"): cell_text(row, "First name")
        for row in records(participants, ["ID", "First name"])
        if cell_text(row, "ID") in wanted
    }


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
    duo = _row(store, duo_id, user)
    if cell_text(duo, "Status") != ACTIVE:
        raise TransitionError(meeting_log_message("duo_not_active", duo=duo_id))
    claims = LinkClaims(
        duo_id=duo_id,
        person_id=cell_text(duo, PERSON_COLUMN[role]),
        version=link_version(duo),
        role=role,
        expires=default_expiry(cell_date(duo, "Planned end"), day),
    )
    return f"{base_url.rstrip('/')}/{LOG_URL_PATH}?{TOKEN_PARAMETER}={sign(claims, secret)}"


def revoke(store: Store, duo_id: str, who: str, *, user: User | None = None) -> Outcome:
    """Raise the duo's link version by one: every link given out so far stops working.

    Written with the version seen, so that two revocations at once do not skip a number
    silently (the second comes back as a conflict); the store audits the change.
    """
    duo = _row(store, duo_id, user)
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


def _row(store: Store, duo_id: str, user: User | None) -> dict[str, Any]:
    rows = _rows_with(store.table("Duos").frame, "ID", duo_id)
    if not rows:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": "Duos", "key": duo_id}))
    if user is not None:
        check_office(user, cell_text(rows[0], "Office"), duo_id)
    return rows[0]
