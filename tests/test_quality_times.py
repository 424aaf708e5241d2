"""Data quality: times of day typed by hand that cannot be read are listed with their cell."""

from __future__ import annotations

from pathlib import Path

from services.quality import quality_report, time_issues
from services.snapshot import load
from tests.apptest import ADMIN, store_of


def test_an_unreadable_session_time_or_intro_time_is_listed_where_it_is(workbook: Path) -> None:
    store = store_of(workbook)
    sessions, duos = store.table("Sessions").frame, store.table("Duos").frame
    session_id, duo_id = str(sessions["ID"].iloc[0]), str(duos["ID"].iloc[0])
    store.update("Sessions", session_id, {"Start time": "9h30", "End time": "half past"}, "staff")
    store.update("Duos", duo_id, {"Intro time": "25:00"}, "staff")
    found = time_issues(load(store, ADMIN).frames)
    assert [(i.tab, i.column, i.value, i.record_id) for i in found] == [
        ("Sessions", "End time", "half past", session_id),
        ("Duos", "Intro time", "25:00", duo_id),
    ]
    assert all(issue.row is not None and issue.row >= 2 for issue in found)
    assert found[0].problem.key == "quality.time_unreadable"
    listed = quality_report(load(store, ADMIN)).store
    assert {(i.tab, i.column) for i in listed} >= {("Sessions", "End time"), ("Duos", "Intro time")}


def test_the_demo_s_times_all_read(workbook: Path) -> None:
    assert time_issues(load(store_of(workbook), ADMIN).frames) == []
