"""The programme's rules for a mentoring meeting: what makes one valid to log.

One place for them, whoever logs the meeting: the coordinator on the Duos page
(`services/duos.py`) or the mentor or mentee through their personal link
(`services/meeting_links.py`). Pure: no Streamlit, no store, no clock (`today` is given).
The reasons come back as `Msg` objects of the `meetings` catalogue (`i18n/meetings.toml`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import pandas as pd

from i18n import Messages, Msg
from sheets.schema import MEETING_MODE
from workflow import TransitionError

MIN_HOURS, MAX_HOURS = 0.5, 8.0
MAX_SUMMARY_CHARS = 1000
MEETING_MODES: tuple[str, ...] = tuple(choice.value for choice in MEETING_MODE)
TOPICS_COLUMN = "Topics"
"""The column of the Lists tab that holds the topics a meeting may be about."""


meeting_message = Messages("meetings")
"""A message of `i18n/meetings.toml`."""


class InputRefused(TransitionError):
    """Input that may not be saved; `problems` lists every reason, `msg` is the first.

    `fields` names the column of each reason ("" for none), when the rule knows it, so that
    a form can show each reason under its field."""

    def __init__(self, problems: Sequence[Msg], fields: Sequence[str] = ()) -> None:
        super().__init__(problems[0])
        self.problems = tuple(problems)
        self.fields = tuple(fields) or ("",) * len(self.problems)


@dataclass(frozen=True)
class MeetingEntry:
    """A meeting as a form holds it (a cleared date or duration is None)."""

    on: date | None
    hours: float | None
    mode: str
    topics: tuple[str, ...] = ()
    summary: str = ""


class MeetingDuo(Protocol):
    """What the rules need to know of the duo: when it started, which topics are listed."""

    @property
    def agreement_on(self) -> date | None: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class DuoTerms:
    """A `MeetingDuo` made from a Duos row and the Lists tab (see `services.duos`)."""

    agreement_on: date | None
    topics: tuple[str, ...]


def listed_topics(lists: pd.DataFrame) -> tuple[str, ...]:
    """The topics of the Lists tab, in its order, each once (none without the column)."""
    if TOPICS_COLUMN not in lists.columns:
        return ()
    texts = lists[TOPICS_COLUMN].fillna("").astype(str).str.strip()
    return tuple(dict.fromkeys(text for text in texts if text))


def summary_length(summary: str) -> int:
    """The summary's length as it is kept: composed characters, trimmed."""
    return len(unicodedata.normalize("NFC", summary).strip())


def meeting_problems(entry: MeetingEntry, duo: MeetingDuo, today: date) -> list[Msg]:
    """Why this meeting cannot be logged for this duo (an empty list: it can)."""
    return [msg for _, msg in meeting_findings(entry, duo, today)]


def meeting_findings(entry: MeetingEntry, duo: MeetingDuo, today: date) -> list[tuple[str, Msg]]:
    """The same reasons, each with the Meetings column it is about (for `validation.py`)."""
    return [
        *(("Date", msg) for msg in _date_problems(entry.on, duo.agreement_on, today)),
        *(("Hours", msg) for msg in _hours_problems(entry.hours)),
        *_choice_problems(entry, duo.topics),
        *(("Summary", msg) for msg in _summary_problems(entry.summary)),
    ]


def _date_problems(on: date | None, agreement_on: date | None, today: date) -> list[Msg]:
    """A date is given, not in the future, and not before the agreement was signed."""
    if on is None:
        return [meeting_message("date_required")]
    if on > today:
        return [meeting_message("date_in_future", date=on)]
    if agreement_on is not None and on < agreement_on:
        return [meeting_message("date_before_agreement", date=on, earlier=agreement_on)]
    return []


def _hours_problems(hours: float | None) -> list[Msg]:
    if hours is not None and MIN_HOURS <= hours <= MAX_HOURS:
        return []
    shown: float | str = "—" if hours is None else float(hours)
    return [meeting_message("hours_out_of_range", hours=shown, low=MIN_HOURS, high=MAX_HOURS)]


def _choice_problems(entry: MeetingEntry, topics: Sequence[str]) -> list[tuple[str, Msg]]:
    """A mode of the list, and topics of the Lists tab only."""
    found = [] if entry.mode in MEETING_MODES else [("Mode", meeting_message("mode_required"))]
    if not set(entry.topics) <= set(topics):
        found.append(("Topics", meeting_message("unknown_topic")))
    return found


def _summary_problems(summary: str) -> list[Msg]:
    if summary_length(summary) > MAX_SUMMARY_CHARS:
        return [meeting_message("summary_too_long", limit=MAX_SUMMARY_CHARS)]
    return []
