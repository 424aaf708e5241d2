"""Ticked rows on the Participants and Duos lists: one action for all, checked in the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

import clock
from tests.apptest import BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_forms_once import fresh_memos, submit_twice
from workflow import DuoAction, PersonAction, cell_date, cell_text, records

TODAY = clock.today()
GO = "participants-bulk-go"
CONFIRM = "participants-bulk-confirm"
__all__ = ["fresh_memos"]  # the exactly-once tests' fixture: process-wide memos start empty


def tick(app: AppTest, prefix: str, rows: Sequence[int]) -> AppTest:
    """Tick these rows of the list whose table key starts with `prefix`."""
    [table] = [t for t in app.dataframe if str(t.key or "").startswith(prefix)]
    app.session_state[str(table.key)] = {
        "selection": {"rows": list(rows), "columns": [], "cells": []}
    }
    app.run()
    assert_no_exception(app)
    return app


def ticked_list(app: AppTest, prefix: str) -> pd.DataFrame:
    """The list as shown, rows numbered as the table numbers them (0, 1, ...)."""
    [table] = [t for t in app.dataframe if str(t.key or "").startswith(prefix)]
    return table.value.reset_index(drop=True)


def positions(shown: pd.DataFrame, status: str) -> list[int]:
    return [number for number, value in enumerate(shown["Status"]) if value == status]


def people_page(statuses: Sequence[str]) -> AppTest:
    """The Participants list of the Brussels coordinator, these statuses, ticks on."""
    app = open_page("participants.py", user=BRUSSELS)
    app.multiselect(key="participants-statuses").set_value(list(statuses))
    app.toggle(key="participants-bulk").set_value(True).run()
    assert_no_exception(app)
    return app


def people(workbook: str) -> pd.DataFrame:
    return store_of(workbook).table("Participants").frame.set_index("ID")


def audit(workbook: str, action: str) -> list[str]:
    frame = store_of(workbook).table("Audit").frame
    return list(frame.loc[frame["Action"] == action, "Record ID"])


def warnings(app: AppTest) -> str:
    return "\n".join(str(w.value) for w in app.warning)


def successes(app: AppTest) -> list[str]:
    return [str(s.value) for s in app.success]


def status_move(app: AppTest, action: PersonAction) -> AppTest:
    app.radio(key="participants-bulk-action").set_value("status").run()
    app.selectbox(key="participants-bulk-step").set_value(action).run()
    assert_no_exception(app)
    return app


# -- Participants ---------------------------------------------------------------------------


def test_ticked_people_move_where_the_workflow_allows_and_the_others_are_named(
    workbook: str,
) -> None:
    app = people_page(["Trained", "Applied"])
    shown = ticked_list(app, "participants-ticks")
    tick(app, "participants-ticks", range(len(shown)))
    assert f"{len(shown)} ticked" in " ".join(str(m.value) for m in app.markdown)
    status_move(app, PersonAction.MARK_READY)
    app.checkbox(key=CONFIRM).check()
    app.button(key=GO).click().run()
    assert_no_exception(app)
    trained = shown.loc[shown["Status"] == "Trained", "ID"].tolist()
    applied = shown.loc[shown["Status"] == "Applied", "ID"].tolist()
    assert trained and applied
    after = people(workbook)
    assert set(after.loc[trained, "Status"]) == {"Ready"}
    assert set(after.loc[applied, "Status"]) == {"Applied"}
    assert sorted(audit(workbook, "mark_ready")) == sorted(trained)
    assert successes(app) == [f"Done: {len(trained)} moved, {len(applied)} skipped."]
    assert shown.loc[shown["ID"] == applied[0], "Name"].iloc[0] in warnings(app)


def test_a_bulk_move_is_not_sent_without_the_confirmation(workbook: str) -> None:
    app = people_page(["Trained"])
    tick(app, "participants-ticks", [0])
    status_move(app, PersonAction.MARK_READY)
    app.button(key=GO).click().run()
    assert "Tick the confirmation box first." in [str(e.value) for e in app.error]
    assert audit(workbook, "mark_ready") == []


def test_a_double_submit_of_a_bulk_move_moves_each_person_once_and_says_so_once(
    workbook: str,
) -> None:
    app = people_page(["Trained"])
    shown = ticked_list(app, "participants-ticks")
    tick(app, "participants-ticks", [0, 1])
    status_move(app, PersonAction.MARK_READY)
    app.checkbox(key=CONFIRM).check()
    submit_twice(app, GO)
    moved = shown["ID"].tolist()[:2]
    assert sorted(audit(workbook, "mark_ready")) == sorted(moved)
    assert successes(app) == ["Done: 2 moved, 0 skipped."], "the first result, not a second"


def test_withdrawing_ticked_people_needs_a_reason_and_writes_it_to_each_ones_notes(
    workbook: str,
) -> None:
    app = people_page(["Applied"])
    ids = ticked_list(app, "participants-ticks")["ID"].tolist()[:2]
    tick(app, "participants-ticks", [0, 1])
    app.radio(key="participants-bulk-action").set_value("withdraw").run()
    app.checkbox(key=CONFIRM).check()
    app.button(key=GO).click().run()
    assert "A reason is required." in [str(e.value) for e in app.error]
    assert audit(workbook, "withdraw") == []
    app.text_input(key="participants-bulk-reason").input("Moved to another region")
    app.button(key=GO).click().run()
    assert_no_exception(app)
    after = people(workbook)
    assert set(after.loc[ids, "Status"]) == {"Withdrawn"}
    assert all("Moved to another region" in str(note) for note in after.loc[ids, "Notes"])


def test_registering_ticked_people_for_a_full_session_asks_first_and_names_who_does_not_fit(
    workbook: str,
) -> None:
    store = store_of(workbook)
    session = {
        "ID": "S-BULK01",
        "Kind": "Info session",
        "Date": TODAY + dt.timedelta(days=7),
        "Office": "Brussels",
        "Capacity": 1,
    }
    store.append("Sessions", [session], "tests")
    app = people_page(["Applied", "Trained"])
    shown = ticked_list(app, "participants-ticks")
    applied = positions(shown, "Applied")[:2]
    trained = positions(shown, "Trained")[:1]
    tick(app, "participants-ticks", [*applied, *trained])
    app.radio(key="participants-bulk-action").set_value("register").run()
    app.selectbox(key="participants-bulk-register-session").set_value("S-BULK01")
    app.checkbox(key=CONFIRM).check()
    app.button(key=GO).click().run()
    assert_no_exception(app)
    assert "Not enough places" in warnings(app)
    assert registered(workbook, "S-BULK01") == []
    app.checkbox(key="participants-bulk-register-over").check()
    app.button(key=GO).click().run()
    assert_no_exception(app)
    assert registered(workbook, "S-BULK01") == sorted(shown["ID"].iloc[applied])
    assert shown["Name"].iloc[trained[0]] in warnings(app)


def registered(workbook: str, session_id: str) -> list[str]:
    frame = store_of(workbook).table("Attendance").frame
    return sorted(frame.loc[frame["Session ID"] == session_id, "Participant ID"])


def test_the_participants_list_starts_with_name_role_status_office_and_waiting_days(
    workbook: str,
) -> None:
    app = open_page("participants.py", user=BRUSSELS)
    shown = app.dataframe[0].value
    assert list(shown.columns[:5]) == ["Name", "Role", "Status", "Office", "Waiting (days)"]
    assert pd.api.types.is_integer_dtype(shown["Waiting (days)"]), "sorted as numbers"


# -- Duos -----------------------------------------------------------------------------------


def duos_page() -> AppTest:
    app = open_page("duos.py", user=BRUSSELS)
    app.toggle(key="duos-bulk").set_value(True).run()
    assert_no_exception(app)
    return app


def generation(app: AppTest) -> int:
    return int(app.session_state["duos-forms"]) if "duos-forms" in app.session_state else 0


def bulk_key(app: AppTest, action: DuoAction, field: str) -> str:
    return f"duo-bulk-{generation(app)}-bulk-{action.value}-{field}"


def duo_statuses(workbook: str) -> pd.Series:
    return store_of(workbook).table("Duos").frame.set_index("ID")["Status"]


def test_ending_ticked_duos_early_ends_the_active_ones_and_names_the_others(
    workbook: str,
) -> None:
    app = duos_page()
    shown = ticked_list(app, "duos-ticks")
    active = shown.index[shown["Status"] == "Active"].tolist()[:2]
    proposed = shown.index[shown["Status"] == "Proposed"].tolist()[:1]
    assert len(active) == 2 and proposed
    tick(app, "duos-ticks", [*active, *proposed])
    app.selectbox(key="duos-bulk-step").set_value(DuoAction.END_EARLY).run()
    action = DuoAction.END_EARLY
    app.text_input(key=bulk_key(app, action, "reason-own")).input("Programme review")
    app.checkbox(key=bulk_key(app, action, "confirm")).check()
    app.button(key=bulk_key(app, action, "submit")).click().run()
    assert_no_exception(app)
    after = duo_statuses(workbook)
    assert set(after[shown.loc[active, "ID"]]) == {"Ended early"}
    assert after[shown.loc[proposed[0], "ID"]] == "Proposed"
    assert successes(app) == ["Done: 2 moved, 1 skipped."]
    assert "Proposed" in warnings(app) or shown.loc[proposed[0], "ID"] in warnings(app)


def test_a_double_submit_of_completing_ticked_duos_completes_each_once(workbook: str) -> None:
    app = duos_page()
    shown = ticked_list(app, "duos-ticks")
    active = shown.index[shown["Status"] == "Active"].tolist()[:2]
    tick(app, "duos-ticks", active)
    app.selectbox(key="duos-bulk-step").set_value(DuoAction.COMPLETE).run()
    app.text_input(key=bulk_key(app, DuoAction.COMPLETE, "reason-own")).input("Both found work")
    app.checkbox(key=bulk_key(app, DuoAction.COMPLETE, "confirm")).check()
    submit_twice(app, bulk_key(app, DuoAction.COMPLETE, "submit"))
    ids = shown.loc[active, "ID"].tolist()
    assert set(duo_statuses(workbook)[ids]) == {"Completed"}
    ended = store_of(workbook).table("Duos").frame.set_index("ID")
    assert set(ended.loc[ids, "End reason"]) == {"Both found work"}, "early: the reason written"
    assert sorted(d for d in audit(workbook, "complete") if d in ids) == sorted(ids)
    assert successes(app) == ["Done: 2 moved, 0 skipped."]


def latest(frame: pd.DataFrame, duo_id: str) -> dict[str, Any] | None:
    """The duo's latest dated row up to today that was not cancelled (check-ins, meetings)."""
    rows = [
        row
        for row in records(frame)
        if cell_text(row, "Duo ID") == duo_id
        and not row.get("Cancelled")
        and (cell_date(row, "Date") or dt.date.max) <= TODAY
    ]
    return max(rows, key=lambda row: cell_date(row, "Date") or dt.date.min, default=None)


def test_the_duos_list_starts_with_the_duo_status_health_and_days_since_the_last_meeting(
    workbook: str,
) -> None:
    store = store_of(workbook)
    check_ins, meetings = store.table("Check-ins").frame, store.table("Meetings").frame
    app = open_page("duos.py", user=BRUSSELS)
    shown = app.dataframe[0].value
    columns = ["Duo", "Status", "Health", "Days since last meeting", "Coordinator"]
    assert list(shown.columns[:5]) == columns
    assert pd.api.types.is_integer_dtype(shown["Days since last meeting"]), "sorted as numbers"
    people = store.table("Participants").frame.set_index("ID")
    checked = 0
    for row in records(shown):
        check_in, meeting = latest(check_ins, row["ID"]), latest(meetings, row["ID"])
        if check_in is None or meeting is None:
            continue
        duo = store.table("Duos").record(row["ID"])
        assert duo is not None
        names = [
            f"{people.loc[duo[c], 'First name']} {people.loc[duo[c], 'Last name']}"
            for c in ("Mentor ID", "Mentee ID")
        ]
        assert row["Duo"] == " & ".join(names)
        assert row["Health"] == check_in["Health"]
        met = cell_date(meeting, "Date")
        assert met is not None and row["Days since last meeting"] == (TODAY - met).days
        checked += 1
    assert checked, "a demo duo with a check-in and a meeting is in the list"


def test_ticked_duos_before_their_planned_end_are_skipped_without_a_reason(
    workbook: str,
) -> None:
    app = duos_page()
    shown = ticked_list(app, "duos-ticks")
    active = shown.index[shown["Status"] == "Active"].tolist()[:2]
    tick(app, "duos-ticks", active)
    app.selectbox(key="duos-bulk-step").set_value(DuoAction.COMPLETE).run()
    app.checkbox(key=bulk_key(app, DuoAction.COMPLETE, "confirm")).check()
    app.button(key=bulk_key(app, DuoAction.COMPLETE, "submit")).click().run()
    ids = shown.loc[active, "ID"].tolist()
    assert set(duo_statuses(workbook)[ids]) == {"Active"}
    assert successes(app) == ["Done: 0 moved, 2 skipped."]
