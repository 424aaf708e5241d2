"""Follow-up contacts after the start of a duo: when they fall due, and what they answer.

DUO for a JOB calls each mentee 3, 6 and 12 months after their duo started (the agreement:
`Agreement on`); the months are settings (`FollowUpSettings`). A Follow-ups row answers the
due contact whose date it names in `Due on` (a row typed by hand without it answers the
contact nearest its `Done on`). "Unreachable" is an answer: the contact is done, and the
figures count it as such (neither unknown nor a positive exit).

Pure functions over the store's DataFrames; `today` is always given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from sheets.schema import CANCELLED, FOLLOW_UP_SOURCE, SITUATION
from workflow import (
    STARTED_DUO_STATUSES,
    add_months,
    by_id,
    cell_date,
    cell_text,
    duo_office,
    records,
    sheet_row,
)

FOLLOW_UPS_TAB = "Follow-ups"
SITUATIONS: tuple[str, ...] = tuple(choice.value for choice in SITUATION)
SOURCES: tuple[str, ...] = tuple(choice.value for choice in FOLLOW_UP_SOURCE)
COORDINATOR_CALL, SELF_FILLED = SOURCES
JOB, INTERNSHIP, QUALIFYING_TRAINING = "Job", "Internship", "Qualifying training"
UNREACHABLE, UNKNOWN = "Unreachable", "Unknown"
POSITIVE_SITUATIONS = frozenset({JOB, INTERNSHIP, QUALIFYING_TRAINING})
"""A positive exit: a job, an internship or a qualifying training."""
ANSWERED_SITUATIONS = frozenset(SITUATIONS) - {UNKNOWN}
"""What a contact can tell, "Unreachable" included; "Unknown" (or a blank) tells nothing."""
CONTRACT_NEEDED_FOR = frozenset({JOB})


@dataclass(frozen=True)
class FollowUpSettings:
    """When the follow-up contacts fall due, in months after the start (0: not asked)."""

    first_months: int = 3
    second_months: int = 6
    third_months: int = 12
    window_days: int = 60
    """How long a due contact stays on the to-do list (later, it is counted unknown)."""

    @property
    def months(self) -> tuple[int, ...]:
        """The months of the contacts, each once, in order (0 left out)."""
        chosen = (self.first_months, self.second_months, self.third_months)
        return tuple(sorted({months for months in chosen if months > 0}))


@dataclass(frozen=True)
class DueFollowUp:
    """A contact not recorded yet whose day has come."""

    duo_id: str
    person_id: str
    office: str
    months: int
    due_on: date
    overdue_days: int
    row: int | None = None
    """The duo's sheet row."""


def counted(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The Follow-ups rows that count: all but those cancelled from the app."""
    rows = records(frame)
    return [row for row in rows if not _cancelled(row)]


def _cancelled(row: Mapping[str, Any]) -> bool:
    value = row.get(CANCELLED.name)
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes"))


def due_dates(duo: Mapping[str, Any], settings: FollowUpSettings) -> list[tuple[int, date]]:
    """The contacts a started duo calls for: (months, due day); none before the agreement."""
    start = cell_date(duo, "Agreement on")
    if start is None or cell_text(duo, "Status") not in STARTED_DUO_STATUSES:
        return []
    return [(months, add_months(start, months)) for months in settings.months]


def answered_due_dates(
    follow_ups: Sequence[Mapping[str, Any]], duo: Mapping[str, Any], settings: FollowUpSettings
) -> set[date]:
    """The due days of this duo that a follow-up row answers (cancelled rows left out)."""
    duo_id, due = cell_text(duo, "ID"), [day for _, day in due_dates(duo, settings)]
    answered: set[date] = set()
    for row in follow_ups:
        if cell_text(row, "Duo ID") != duo_id:
            continue
        named, done = cell_date(row, "Due on"), cell_date(row, "Done on")
        if named is not None:
            answered.add(named)
        elif done is not None and due:
            answered.add(min(due, key=lambda day: (abs((day - done).days), day)))
    return answered


def due_follow_ups(
    *,
    duos: pd.DataFrame | None,
    follow_ups: pd.DataFrame | None,
    today: date,
    participants: pd.DataFrame | None = None,
    settings: FollowUpSettings | None = None,
) -> list[DueFollowUp]:
    """The contacts whose day has come (up to `window_days` ago) and that no row answers,
    the most overdue first. The person called is the duo's mentee."""
    s = settings or FollowUpSettings()
    people = by_id(records(participants))
    rows_by_duo: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in counted(follow_ups):
        rows_by_duo[cell_text(row, "Duo ID")].append(row)
    due: list[DueFollowUp] = []
    for duo in records(duos):
        duo_id = cell_text(duo, "ID")
        answered = answered_due_dates(rows_by_duo.get(duo_id, []), duo, s)
        for months, day in due_dates(duo, s):
            overdue = (today - day).days
            if day in answered or not 0 <= overdue <= s.window_days:
                continue
            due.append(
                DueFollowUp(
                    duo_id,
                    cell_text(duo, "Mentee ID"),
                    duo_office(duo, people),
                    months,
                    day,
                    overdue,
                    sheet_row(duo),
                )
            )
    return sorted(due, key=lambda item: (-item.overdue_days, item.duo_id, item.months))
