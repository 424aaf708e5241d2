"""Self-filled follow-ups: the mentee's personal follow-up link, what it opens, and the
follow-up sent through it.

The link is signed like the meeting-log and evaluation links (`links.py`, with its own
purpose FOLLOW_UP, so that no other link opens this page) and checked the same way against
the Duos row at the moment of use (`services.link_access`: the duo exists, the mentee is
still in its row, the row's "Link version" is the token's, the duo has started). It is the
mentee's only: they are the one DUO for a JOB follows up. It answers the contact that is
due (`follow_ups.due_follow_ups`, the same rule as the coordinator's to-do list); with
none due, the page says so politely and takes nothing. A link holder sees only the pair's
first names and the contact's due day.

One follow-up per due contact: once it is in (from the link or from a coordinator's call),
the contact is no longer due. The row has Source "Self-filled". No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

import clock
from access import User
from follow_ups import (
    CONTRACT_NEEDED_FOR,
    FOLLOW_UPS_TAB,
    SELF_FILLED,
    SITUATIONS,
    UNKNOWN,
    UNREACHABLE,
    DueFollowUp,
    due_follow_ups,
)
from i18n import Messages
from links import FOLLOW_UP, MENTEE, InvalidLink, LinkClaims, Reason, verify
from meetings import InputRefused
from ratelimit import SlidingWindowLimiter
from services.applications import clean_text
from services.follow_ups import FollowUpEntry, follow_up_cells, follow_up_problems
from services.link_access import (
    LOGGED_BY,
    duo_to_link,
    first_names,
    linked_duo_row,
    signed_link,
)
from services.meeting_links import LinksDisabled
from services.unit import Outcome, Unit, new_record_id, read_now
from settings import current_values, follow_up_settings
from sheets.store import Store
from workflow import STARTED_DUO_STATUSES, TransitionError, add_months, cell_date, cell_text

FOLLOW_UP_URL_PATH = "follow-up"
"""The url path of the self-filled follow-up page (`pages/self_follow_up.py`)."""
SELF_SITUATIONS: tuple[str, ...] = tuple(
    situation for situation in SITUATIONS if situation not in (UNREACHABLE, UNKNOWN)
)
"""What a mentee answers about themselves (job, internship, qualifying training, studies,
looking); "Unreachable" and "Unknown" are a coordinator's."""
MIN_DAYS_VALID = 60
"""A follow-up link works at least this long after it is given."""
TABS = ["Duos", "Participants", FOLLOW_UPS_TAB, "Settings"]

SEND_LIMIT = SlidingWindowLimiter(5, 3600)
"""Follow-ups one link may try to send per hour (one per due contact is kept)."""

self_follow_up_message = Messages("self_follow_up")
"""A message of `i18n/self_follow_up.toml`."""


@dataclass(frozen=True)
class LinkedFollowUp:
    """All a link holder may see: the pair's first names and the contact that is due."""

    duo_id: str
    mentor_first_name: str
    mentee_first_name: str
    due: DueFollowUp | None
    """The contact the form answers (None: nothing is due today)."""


@dataclass(frozen=True)
class SelfFollowUp:
    """What the self-filled form holds."""

    situation: str
    contract: str = ""
    notes: str = ""


def resolve(store: Store, token: str, secret: str, today: dt.date) -> LinkedFollowUp:
    """What a follow-up link opens today; raises `InvalidLink` for any link that must not work."""
    claims = verify(token, secret, today, FOLLOW_UP)
    tables = store.read(TABS)
    return _linked({name: table.frame for name, table in tables.items()}, claims, today)


def _linked(
    frames: Mapping[str, pd.DataFrame], claims: LinkClaims, today: dt.date
) -> LinkedFollowUp:
    if claims.role != MENTEE:
        raise InvalidLink(Reason.WRONG_DUO)
    duo = linked_duo_row(frames["Duos"], claims, STARTED_DUO_STATUSES)
    settings = follow_up_settings(current_values(frames["Settings"])[0])
    due = due_follow_ups(
        duos=frames["Duos"][frames["Duos"]["ID"].astype(str).str.strip() == claims.duo_id],
        follow_ups=frames[FOLLOW_UPS_TAB],
        participants=frames["Participants"],
        today=today,
        settings=settings,
    )
    mentor_first_name, mentee_first_name = first_names(frames["Participants"], duo)
    return LinkedFollowUp(
        duo_id=claims.duo_id,
        mentor_first_name=mentor_first_name,
        mentee_first_name=mentee_first_name,
        due=min(due, key=lambda item: item.due_on) if due else None,
    )


def self_entry(due: DueFollowUp, answers: SelfFollowUp, today: dt.date) -> FollowUpEntry:
    """The follow-up the answers make: answering the due contact, done today, Source
    Self-filled, a contract only for a job, the notes cleaned of control characters."""
    return FollowUpEntry(
        due_on=due.due_on,
        done_on=today,
        situation=answers.situation,
        contract=answers.contract if answers.situation in CONTRACT_NEEDED_FOR else "",
        source=SELF_FILLED,
        notes=clean_text(answers.notes, multiline=True),
    )


def send_follow_up(
    store: Store,
    token: str,
    secret: str,
    answers: SelfFollowUp,
    today: dt.date,
    *,
    record_id: str = "",
) -> Outcome:
    """Add the mentee's Follow-ups row (Source Self-filled) answering the due contact, in
    one unit.

    The link and the follow-ups are read afresh at the moment of writing (a link revoked
    while the form was open writes nothing). Raises `InvalidLink`, `TransitionError`
    (nothing is due: the row with `record_id`, the one this form makes, does not count, so
    sending the same form again writes nothing twice) or `InputRefused` (what is missing,
    then the link's rate limit).
    """
    claims = verify(token, secret, today, FOLLOW_UP)
    frames = {name: table.frame for name, table in read_now(store, TABS).items()}
    rows = frames[FOLLOW_UPS_TAB]
    if record_id and not rows.empty:
        frames[FOLLOW_UPS_TAB] = rows[rows["ID"].astype(str).str.strip() != record_id]
    linked = _linked(frames, claims, today)
    if linked.due is None:
        raise TransitionError(self_follow_up_message("nothing_due"))
    entry = self_entry(linked.due, answers, today)
    problems = follow_up_problems(entry, today)
    if answers.situation and answers.situation not in SELF_SITUATIONS:
        problems.append(self_follow_up_message("situation_required"))
    if problems:
        raise InputRefused(problems)
    if not SEND_LIMIT.hit(linked.duo_id):
        raise InputRefused([self_follow_up_message("too_many")])
    record = {
        "ID": record_id or new_record_id(store, FOLLOW_UPS_TAB),
        "Duo ID": linked.duo_id,
        "Person ID": claims.person_id,
        **follow_up_cells(entry),
    }
    unit = Unit()
    index = unit.append(FOLLOW_UPS_TAB, [record], "self_follow_up")
    ids = list(unit.write(store, LOGGED_BY[MENTEE]).ids[index])
    return Outcome(self_follow_up_message("sent"), ids=ids)


def follow_up_expiry(
    start: dt.date, last_months: int, window_days: int, issued: dt.date
) -> dt.date:
    """Until the last contact leaves the to-do list, and at least 60 days from issue."""
    last = add_months(start, last_months) + dt.timedelta(days=window_days)
    return max(last, issued + dt.timedelta(days=MIN_DAYS_VALID))


def follow_up_link_for(
    store: Store,
    duo_id: str,
    base_url: str,
    secret: str | None,
    *,
    today: dt.date | None = None,
    user: User | None = None,
) -> str:
    """The mentee's personal link to their follow-ups.

    Raises `LinksDisabled` without a key, `RecordNotFound` for an unknown duo (or one of
    another office, when `user` is given) and `TransitionError` for a duo that has not
    started (no agreement: no follow-up falls due). Revoked with the duo's other links
    (`meeting_links.revoke`).
    """
    if not secret:
        raise LinksDisabled(self_follow_up_message("links_disabled"))
    day = today or clock.today()
    duo = duo_to_link(store, duo_id, user)
    start = cell_date(duo, "Agreement on")
    if start is None or cell_text(duo, "Status") not in STARTED_DUO_STATUSES:
        raise TransitionError(self_follow_up_message("no_link", duo=duo_id))
    settings = follow_up_settings(current_values(store.table("Settings").frame)[0])
    expires = follow_up_expiry(start, max(settings.months, default=0), settings.window_days, day)
    return signed_link(
        duo,
        MENTEE,
        expires,
        secret=secret,
        purpose=FOLLOW_UP,
        base_url=base_url,
        url_path=FOLLOW_UP_URL_PATH,
    )
