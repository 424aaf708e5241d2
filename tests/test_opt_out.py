"""Opting out of messages: the profile form's box, the person's page, and no message after."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from messages import participant_recipient
from services.people import opted_out_on
from tests.apptest import BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_page_participants import field, flashed, person_row, record
from workflow import cell_date

TODAY = date(2026, 11, 26)


def test_the_box_keeps_the_recorded_date_sets_today_when_newly_ticked_and_clears() -> None:
    recorded = {"Opted out on": date(2026, 3, 1)}
    assert opted_out_on(recorded, True, TODAY) == date(2026, 3, 1)
    assert opted_out_on({"Opted out on": None}, True, TODAY) == TODAY
    assert opted_out_on(recorded, False, TODAY) is None
    assert opted_out_on({}, False, TODAY) is None


def contactable_in_brussels(workbook: Path) -> dict[str, Any]:
    frame = store_of(workbook).table("Participants").frame
    rows = [record(row) for _, row in frame.iterrows()]
    return next(
        row
        for row in rows
        if row["Office"] == "Brussels" and participant_recipient(row) is not None
    )


def opted_out_date(workbook: Path, person_id: str) -> date | None:
    return cell_date(person_row(workbook, person_id), "Opted out on")


def test_a_coordinator_records_an_opt_out_then_clears_it_audited_and_shown(
    workbook: Path,
) -> None:
    person = contactable_in_brussels(workbook)
    pid = person["ID"]
    app = open_page("participants.py", user=BRUSSELS, query={"id": pid})
    app.checkbox(key=field(pid, "optout")).check()
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert flashed(app) == ["Saved."]
    assert opted_out_date(workbook, pid) == TODAY
    assert participant_recipient(person_row(workbook, pid)) is None
    history = app.dataframe[-1].value
    assert history["Who"].tolist()[0] == BRUSSELS.email
    assert "Opted out on" in history["Details"].iloc[0]

    again = open_page("participants.py", user=BRUSSELS, lang="fr", query={"id": pid})
    assert_no_exception(again)
    shown = [each.value for each in again.info]
    assert any("Désinscrit des messages le 26/11/2026" in text for text in shown), shown
    assert again.checkbox(key=field(pid, "optout")).value is True
    again.checkbox(key=field(pid, "optout")).uncheck()
    again.button(key=field(pid, "save")).click().run()
    assert_no_exception(again)
    assert opted_out_date(workbook, pid) is None
    assert participant_recipient(person_row(workbook, pid)) is not None


def test_an_untouched_box_keeps_the_date_recorded_before(workbook: Path) -> None:
    pid = contactable_in_brussels(workbook)["ID"]
    store_of(workbook).update("Participants", pid, {"Opted out on": date(2026, 3, 1)}, "staff")
    app = open_page("participants.py", user=BRUSSELS, query={"id": pid})
    assert app.checkbox(key=field(pid, "optout")).value is True
    app.text_area(key=field(pid, "Notes")).input("Asked by phone")
    app.button(key=field(pid, "save")).click().run()
    assert_no_exception(app)
    assert opted_out_date(workbook, pid) == date(2026, 3, 1)
    assert person_row(workbook, pid)["Notes"] == "Asked by phone"
