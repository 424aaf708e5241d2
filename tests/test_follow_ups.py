"""Follow-up contacts: when they fall due (`follow_ups.py`), recording, correcting and
cancelling one (`services/follow_ups.py`), and the Follow-ups page."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import clock
from attention import AttentionKind, attention_items
from follow_ups import FollowUpSettings, due_dates, due_follow_ups
from i18n import t
from meetings import InputRefused
from services.follow_ups import (
    FollowUpEntry,
    cancel_follow_up,
    correct_follow_up,
    follow_up_problems,
    log_follow_up,
    settings_of,
)
from services.offices import OutOfOffice
from services.privacy import export_person
from services.reports import today_view
from services.snapshot import load
from sheets.store import Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_services_duos import CountingStore, audit_rows, row_of
from tests.test_workflow import assert_renders, duo, duos, frame
from workflow import TransitionError, cell_text, records

TODAY = clock.today()


# -- when a contact falls due ---------------------------------------------------------------


def a_duo(status: str = "Active", agreement: str = "2026-01-15", **cells: Any) -> pd.DataFrame:
    return duos(duo("D-1", "P-M", "P-E", status, agreement_on=agreement, **cells))


def answered(*rows: dict[str, Any]) -> pd.DataFrame:
    return frame("Follow-ups", [{"duo_id": "D-1", **row} for row in rows])


def due_on(
    today: date,
    follow_ups: pd.DataFrame | None = None,
    settings: FollowUpSettings | None = None,
    **duo_cells: Any,
) -> list[tuple[int, date, int]]:
    found = due_follow_ups(
        duos=a_duo(**duo_cells), follow_ups=follow_ups, today=today, settings=settings
    )
    return [(item.months, item.due_on, item.overdue_days) for item in found]


def test_contacts_fall_due_3_6_and_12_months_after_the_agreement() -> None:
    only_3 = FollowUpSettings(first_months=3, second_months=0, third_months=0)
    [(months, day)] = due_dates({"Status": "Active", "Agreement on": date(2026, 1, 15)}, only_3)
    assert (months, day) == (3, date(2026, 4, 15))
    assert due_on(date(2026, 4, 14)) == []
    assert due_on(date(2026, 4, 15)) == [(3, date(2026, 4, 15), 0)]
    assert due_on(date(2026, 7, 20)) == [(6, date(2026, 7, 15), 5)]
    assert due_on(date(2027, 1, 15), status="Completed", ended_on="2026-07-15") == [
        (12, date(2027, 1, 15), 0)
    ]


def test_a_month_end_start_falls_due_on_the_last_day_of_a_shorter_month() -> None:
    assert due_on(date(2026, 2, 28), agreement="2025-08-31") == [(6, date(2026, 2, 28), 0)]


def test_a_due_contact_stays_on_the_list_for_the_window_then_leaves_it() -> None:
    assert due_on(date(2026, 4, 15) + timedelta(days=60)) == [(3, date(2026, 4, 15), 60)]
    assert due_on(date(2026, 4, 15) + timedelta(days=61)) == []
    short = FollowUpSettings(window_days=10)
    assert due_on(date(2026, 4, 26), settings=short) == []


def test_a_recorded_contact_is_no_longer_due_but_a_cancelled_one_is() -> None:
    later = date(2026, 4, 20)
    assert due_on(later, answered({"due_on": "2026-04-15", "done_on": "2026-04-18"})) == []
    cancelled = answered({"due_on": "2026-04-15", "done_on": "2026-04-18", "cancelled": True})
    assert due_on(later, cancelled) == [(3, date(2026, 4, 15), 5)]
    another_duo = frame("Follow-ups", [{"duo_id": "D-2", "due_on": "2026-04-15"}])
    assert due_on(later, another_duo) == [(3, date(2026, 4, 15), 5)]


def test_a_row_typed_without_its_due_day_answers_the_contact_nearest_its_day() -> None:
    typed = answered({"done_on": "2026-07-01", "situation": "Job"})
    assert due_on(date(2026, 7, 20), typed) == []  # nearest the 6-month contact
    assert due_on(date(2026, 4, 20), typed) == [(3, date(2026, 4, 15), 5)]


def test_no_contact_before_a_duo_started_and_the_months_are_settings() -> None:
    assert due_on(date(2026, 4, 15), status="Proposed") == []
    assert due_on(date(2026, 4, 15), status="Declined") == []
    assert due_on(date(2026, 4, 15), agreement=None) == []
    two = FollowUpSettings(first_months=2, second_months=0, third_months=0)
    assert due_on(date(2026, 3, 15), settings=two) == [(2, date(2026, 3, 15), 0)]
    assert FollowUpSettings(first_months=6, second_months=6, third_months=0).months == (6,)


def test_due_contacts_are_on_the_to_do_list_with_a_message_in_every_language() -> None:
    items = attention_items(
        participants=None,
        duos=a_duo(office="Brussels"),
        today=date(2026, 4, 20),
        follow_ups=answered(),
    )
    [item] = [item for item in items if item.kind is AttentionKind.FOLLOW_UP_DUE]
    assert (item.record_id, item.office, item.overdue_days) == ("D-1", "Brussels", 5)
    assert item.message.params["months"] == 3
    assert_renders(item.message)
    without_tab = attention_items(participants=None, duos=a_duo(), today=date(2026, 4, 20))
    assert AttentionKind.FOLLOW_UP_DUE not in {item.kind for item in without_tab}


# -- the form's rules -----------------------------------------------------------------------


def entry(**changes: Any) -> FollowUpEntry:
    base = FollowUpEntry(TODAY, TODAY, "Job", "Permanent", "Coordinator call", "Signed today")
    return replace(base, **changes)


def test_a_contact_needs_a_day_not_to_come_a_situation_a_source_and_a_job_its_contract() -> None:
    assert follow_up_problems(entry(), TODAY) == []
    assert follow_up_problems(entry(situation="Unreachable", contract=""), TODAY) == []
    keys = [
        problem.key
        for problem in follow_up_problems(
            entry(done_on=TODAY + timedelta(days=1), situation="Job", contract="", source=""),
            TODAY,
        )
    ]
    assert keys == [
        "follow_ups.date_in_future",
        "follow_ups.contract_required",
        "follow_ups.source_required",
    ]
    assert [p.key for p in follow_up_problems(entry(done_on=None, situation=""), TODAY)] == [
        "follow_ups.date_required",
        "follow_ups.situation_required",
    ]


# -- the use cases --------------------------------------------------------------------------


@pytest.fixture
def counting(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    return CountingStore(demo_grids)


def started_duo(store: Store, office: str = "Brussels") -> dict[str, Any]:
    frames = store.read(["Duos"])
    for row in records(frames["Duos"].frame):
        if cell_text(row, "Office") == office and cell_text(row, "Status") == "Active":
            return row
    raise LookupError(office)


def test_recording_a_contact_writes_one_row_about_the_mentee_with_its_audit_once(
    counting: CountingStore,
) -> None:
    duo_row = started_duo(counting)
    before = counting.rows("Follow-ups")
    outcome = log_follow_up(counting, BRUSSELS, duo_row["ID"], entry(), TODAY, record_id="F-TEST1")
    assert outcome.ids == ["F-TEST1"] and len(counting.units) == 1
    saved = row_of(counting, "Follow-ups", "F-TEST1")
    assert (saved["Duo ID"], saved["Person ID"]) == (duo_row["ID"], duo_row["Mentee ID"])
    assert (saved["Situation"], saved["Contract"], saved["Source"]) == (
        "Job",
        "Permanent",
        "Coordinator call",
    )
    counting.again()
    assert counting.rows("Follow-ups") == before + 1
    assert audit_rows(counting, "F-TEST1") == ["log_follow_up"]


def test_a_contact_is_refused_for_another_office_a_duo_not_started_or_wrong_input(
    counting: CountingStore,
) -> None:
    duo_row = started_duo(counting)
    with pytest.raises(OutOfOffice):
        log_follow_up(counting, ANTWERP, duo_row["ID"], entry(), TODAY)
    with pytest.raises(InputRefused):
        log_follow_up(counting, BRUSSELS, duo_row["ID"], entry(situation=""), TODAY)
    proposed = next(
        row
        for row in records(counting.table("Duos").frame)
        if cell_text(row, "Status") == "Proposed"
    )
    with pytest.raises(TransitionError):
        log_follow_up(counting, ADMIN, proposed["ID"], entry(), TODAY)
    assert not counting.units


def test_a_contact_is_corrected_cell_by_cell_and_cancelled_with_its_reason(
    counting: CountingStore,
) -> None:
    duo_row = started_duo(counting)
    [row_id] = log_follow_up(counting, BRUSSELS, duo_row["ID"], entry(), TODAY).ids
    seen = row_of(counting, "Follow-ups", row_id)
    seen = {key: (value.date() if isinstance(value, pd.Timestamp) else value)
            for key, value in seen.items()}  # fmt: skip
    fixed = entry(situation="Internship", contract="Under 3 months")
    assert correct_follow_up(counting, BRUSSELS, row_id, fixed, seen, TODAY).ok
    saved = row_of(counting, "Follow-ups", row_id)
    assert (saved["Situation"], saved["Contract"], saved["Notes"]) == (
        "Internship",
        "Under 3 months",
        "Signed today",
    )
    with pytest.raises(InputRefused):
        cancel_follow_up(counting, BRUSSELS, row_id, "  ")
    assert cancel_follow_up(counting, BRUSSELS, row_id, "Typed on the wrong duo").ok
    assert row_of(counting, "Follow-ups", row_id)["Cancelled"] is True
    assert audit_rows(counting, row_id) == [
        "log_follow_up",
        "correct_follow_up",
        "cancel_follow_up",
        "cancel_follow_up",
    ]
    with pytest.raises(TransitionError):
        cancel_follow_up(counting, BRUSSELS, row_id, "Again")


# -- the page -------------------------------------------------------------------------------


def due_count(workbook: Path) -> int:
    view = today_view(load(store_of(workbook), BRUSSELS), TODAY)
    return sum(item.kind is AttentionKind.FOLLOW_UP_DUE for item in view.items)


def due_on_today_page(workbook: Path) -> int:
    """The count the Today page shows on its follow-ups line (0 when it has none)."""
    app = open_page("today.py", user=BRUSSELS)
    assert_no_exception(app)
    title = t("workflow.kind_follow_up_due", "en")
    counts = [
        int(expander.label.split(" · ")[1])
        for expander in app.expander
        if expander.label.startswith(f"{title} · ")
    ]
    return counts[0] if counts else 0


def test_the_demo_has_follow_ups_due_on_the_to_do_list(workbook: Path) -> None:
    assert due_count(workbook) > 0


def test_a_coordinator_records_a_due_follow_up_in_a_few_clicks_and_the_list_shrinks(
    workbook: Path,
) -> None:
    before = due_on_today_page(workbook)
    assert before == due_count(workbook) > 0
    app = open_page("follow_ups.py", user=BRUSSELS)
    assert_no_exception(app)
    duo_id, months = str(app.selectbox(key="follow-up-pick").value).split(":")
    form = f"follow-up-0-record-{duo_id}-{months}"
    app.radio(key=f"{form}-situation").set_value("Unreachable")
    app.button(key=f"{form}-submit").click().run()
    assert_no_exception(app)
    rows = records(store_of(workbook).table("Follow-ups").frame)
    mine = [row for row in rows if cell_text(row, "Duo ID") == duo_id]
    assert [cell_text(row, "Situation") for row in mine].count("Unreachable") == 1
    assert due_on_today_page(workbook) == before - 1
    assert [success.value for success in app.success] == [t("follow_ups.logged", "en", duo=duo_id)]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_follow_ups_page_opens_a_duos_due_contact_from_the_to_do_list_link(
    workbook: Path, lang: str
) -> None:
    view = today_view(load(store_of(workbook), BRUSSELS), TODAY)
    last = [item for item in view.items if item.kind is AttentionKind.FOLLOW_UP_DUE][-1]
    app = open_page("follow_ups.py", user=BRUSSELS, lang=lang, query={"duo": last.record_id})
    assert_no_exception(app)
    assert str(app.selectbox(key="follow-up-pick").value).startswith(f"{last.record_id}:")


def test_a_subject_access_export_holds_the_persons_follow_ups(counting: CountingStore) -> None:
    row = records(counting.table("Follow-ups").frame)[0]
    data = export_person(counting, ADMIN, cell_text(row, "Person ID"))
    sheets = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert "Follow-ups" in sheets


def test_the_months_of_the_contacts_are_read_from_the_settings_tab(
    counting: CountingStore,
) -> None:
    assert settings_of(load(counting, ADMIN)).months == (3, 6, 12)
    counting.append(
        "Settings",
        [
            {"Name": "follow_ups.first_months", "Value": "2"},
            {"Name": "follow_ups.third_months", "Value": "0"},
            {"Name": "follow_ups.window_days", "Value": "999"},
        ],
        "t",
    )
    settings = settings_of(load(counting, ADMIN))
    assert settings.months == (2, 6) and settings.window_days == 60  # 999: out of bounds
