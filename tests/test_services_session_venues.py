"""A session's time and place through the use cases: planned, edited, offered to applicants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import clock
from services.applications import open_sessions
from services.offices import OutOfOffice
from services.sessions import (
    ONLINE,
    SessionDraft,
    edit_session,
    plan_session,
    sessions_overview,
)
from sheets.store import Store
from tests.apptest import ANTWERP, BRUSSELS, store_of
from venues import Venue
from workflow import TransitionError

TODAY = clock.today()
HALL = Venue("9h30", "11u30", "Rue de l'Exemple 12, 1000 Brussels", "", "Your CV")


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def draft(venue: Venue = HALL, *, days: int = 10, office: str = "Brussels") -> SessionDraft:
    on = TODAY + dt.timedelta(days=days)
    return SessionDraft("Info session", on, office, "French", 12, "", venue)


def planned(store: Store, venue: Venue = HALL, **options: Any) -> dict[str, Any]:
    [session_id] = plan_session(store, BRUSSELS, draft(venue, **options), TODAY).ids
    record = store.table("Sessions").record(session_id)
    assert record is not None
    return record


def test_a_planned_session_keeps_its_times_written_hh_mm_and_its_place(store: Store) -> None:
    row = planned(store)
    assert (row["Start time"], row["End time"]) == ("09:30", "11:30")
    assert (row["Address"], row["Video link"], row["What to bring"]) == (
        "Rue de l'Exemple 12, 1000 Brussels",
        "",
        "Your CV",
    )


def test_a_session_ending_before_it_starts_is_not_planned(store: Store) -> None:
    before = len(store.table("Sessions").frame)
    with pytest.raises(TransitionError) as refused:
        plan_session(store, BRUSSELS, draft(Venue("14:00", "13:00")), TODAY)
    assert refused.value.msg.key == "venues.end_before_start"
    assert len(store.table("Sessions").frame) == before


def test_an_edit_writes_only_what_changed_and_keeps_kind_and_office(store: Store) -> None:
    row = planned(store)
    online = Venue("9h30", "12:00", "", "https://video.example.org/s", "Your CV")
    changed = SessionDraft("Training", draft().on, "Antwerp", "French", 12, "", online)
    outcome = edit_session(store, BRUSSELS, row["ID"], changed, row, TODAY)
    assert outcome.ok and outcome.message.key == "sessions.edited"
    now = store.table("Sessions").record(row["ID"])
    assert now is not None
    assert (now["Kind"], now["Office"], now["End time"], now["Address"]) == (
        "Info session",
        "Brussels",
        "12:00",
        "",
    )
    assert now["Video link"] == "https://video.example.org/s"
    audit = store.table("Audit").frame
    mine = audit[(audit["Record ID"] == row["ID"]) & (audit["Action"] == "edit_session")]
    assert len(mine) == 1


def test_an_edit_that_changes_nothing_writes_nothing(store: Store) -> None:
    row = planned(store)
    same = SessionDraft("Info session", draft().on, "Brussels", "French", 12, "", HALL)
    outcome = edit_session(store, BRUSSELS, row["ID"], same, row, TODAY)
    assert outcome.message.key == "services.nothing_changed"


def test_a_coordinator_cannot_edit_another_office_s_session(store: Store) -> None:
    row = planned(store)
    with pytest.raises(OutOfOffice):
        edit_session(store, ANTWERP, row["ID"], draft(), row, TODAY)


def test_the_overview_and_the_apply_form_show_time_and_place(store: Store) -> None:
    hall = planned(store)
    online = planned(store, Venue("18u", "", "", "https://video.example.org/o"), days=11)
    frame = sessions_overview(store.table("Sessions").frame, store.table("Attendance").frame)
    shown = frame.set_index("ID").loc[[hall["ID"], online["ID"]], ["Time", "Place"]]
    assert shown.values.tolist() == [
        ["09:30–11:30", "Rue de l'Exemple 12, 1000 Brussels"],
        ["18:00", ONLINE],
    ]
    offered = {
        option.id: option
        for option in open_sessions(
            store.table("Sessions").frame, store.table("Attendance").frame, TODAY
        )
    }
    first, second = offered[hall["ID"]], offered[online["ID"]]
    assert (first.time, first.address, first.online, first.bring) == (
        "09:30–11:30",
        "Rue de l'Exemple 12, 1000 Brussels",
        False,
        "Your CV",
    )
    assert (second.time, second.address, second.online) == ("18:00", "", True)
