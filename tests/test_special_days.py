"""The date-sensitive parts of the app on the days calendars trip over: a leap day, a 31st,
New Year's Eve and the two days the clocks change in Belgium.

Each test lives on that day (`clock.frozen`) on a demo workbook generated for it, so that
waiting times, planned ends, upcoming sessions and report periods are computed around it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import clock
from privacy import due_for_erasure
from services.applications import form_choices
from services.duos import MeetingEntry, change_duo, duo_overview, log_meeting
from services.reports import today_view
from services.snapshot import load
from sheets import memory
from sheets.store import Store
from tests.apptest import (
    ADMIN,
    BRUSSELS,
    assert_no_exception,
    demo_grids_for_today,
    open_page,
    staff_row,
)
from ui.navigation import COORDINATOR_PAGES
from workflow import RecordAgreement, add_months, cell_date

SPECIAL_DAYS = {
    "leap-day": dt.date(2028, 2, 29),
    "a-31st-six-months-before-a-leap-day": dt.date(2027, 8, 31),
    "new-years-eve": dt.date(2026, 12, 31),
    "clocks-go-forward": dt.date(2027, 3, 28),
    "clocks-go-back": dt.date(2026, 10, 25),
}
ERASURE_TABS = ("Participants", "Duos", "Meetings", "Check-ins", "Evaluations", "Attendance")
_grids: dict[dt.date, dict[str, list[list[Any]]]] = {}


@pytest.fixture(params=list(SPECIAL_DAYS.values()), ids=list(SPECIAL_DAYS))
def day(request: pytest.FixtureRequest) -> Iterator[dt.date]:
    with clock.frozen(request.param) as frozen:
        yield frozen


@pytest.fixture
def store(day: dt.date, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The demo workbook as it would be generated on `day`, selected for the app."""
    if day not in _grids:
        built = memory.MemoryStore(demo_grids_for_today())
        built.append("Staff", [staff_row(user) for user in (ADMIN, BRUSSELS)], "tests")
        _grids[day] = built.grids
    name = f"special-{day.isoformat()}"
    memory.forget(name)
    store = memory.named(name, copy.deepcopy(_grids[day]))
    monkeypatch.setenv("DUO_WORKBOOK", memory.PREFIX + name)
    yield store
    memory.forget(name)


def first(frame: pd.DataFrame, **equal: str) -> dict[str, Any]:
    rows = frame
    for column, value in equal.items():
        rows = rows[rows[column] == value]
    assert not rows.empty, f"the demo of that day has a row with {equal}"
    return dict(rows.iloc[0])


@pytest.mark.parametrize("page", [spec.file for spec in COORDINATOR_PAGES])
def test_every_staff_page_runs_on_the_days_calendars_trip_over(store: Store, page: str) -> None:
    assert_no_exception(open_page(page, user=ADMIN))


def test_the_to_do_list_and_key_figures_are_computed_around_the_day(
    store: Store, day: dt.date
) -> None:
    data = load(store, ADMIN)
    view = today_view(data, day)
    assert view.items
    assert view.figures.active_duos > 0
    assert len(duo_overview(data, day)) == len(data.duos)


def test_an_agreement_signed_on_the_day_ends_six_months_later_on_a_real_date(
    store: Store, day: dt.date
) -> None:
    duos = store.table("Duos").frame
    duo = first(duos, Status="Intro planned")
    intro = cell_date(duo, "Intro on")
    store.update("Duos", duo["ID"], {"Intro on": min(intro or day, day)}, "tests")
    seen = store.table("Duos").record(duo["ID"])
    outcome = change_duo(store, ADMIN, duo["ID"], RecordAgreement(day, "A first job"), day, seen)
    assert outcome.ok, outcome.message
    saved = store.table("Duos").record(duo["ID"])
    assert saved is not None
    end = add_months(day, 6)
    assert cell_date(saved, "Agreement on") == day
    assert cell_date(saved, "Planned end") == end
    assert end.day <= day.day and (end.month - day.month) % 12 == 6


def test_a_meeting_is_logged_on_the_day_itself_and_not_the_next(store: Store, day: dt.date) -> None:
    duo = first(store.table("Duos").frame, Status="Active")
    entry = MeetingEntry(day, 2.0, "In person")
    outcome = log_meeting(store, ADMIN, duo["ID"], entry, day)
    assert outcome.ok, outcome.message
    meetings = store.table("Meetings").frame
    logged = meetings[meetings["Duo ID"] == duo["ID"]]
    assert logged["Date"].max() == pd.Timestamp(day)
    assert (logged["Date"] <= pd.Timestamp(day)).all()


def test_the_apply_form_offers_only_sessions_from_the_day_on(store: Store, day: dt.date) -> None:
    choices = form_choices(store, day)
    assert all(session.date >= day for session in choices.sessions)


def test_the_retention_rule_counts_years_back_from_the_day(store: Store, day: dt.date) -> None:
    frames = {name: table.frame for name, table in store.read(ERASURE_TABS).items()}
    due = due_for_erasure(frames, day, years=1)
    later = due_for_erasure(frames, add_months(day, 12), years=1)
    assert set(due["ID"]) < set(later["ID"])
