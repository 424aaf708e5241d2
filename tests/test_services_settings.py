"""The admin's use cases against an in-memory copy of the demo workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from i18n import Msg
from services.settings import (
    AdminOnly,
    ListValueRefused,
    SettingRefused,
    SettingsState,
    add_list_value,
    describe_step,
    list_values,
    reset_group,
    save_settings,
    set_up_workbook,
    settings_state,
    store_health,
)
from sheets.store import Store
from tests.apptest import ADMIN, BRUSSELS, store_of
from tests.test_services_duos import CountingStore

QUIET = "attention.quiet_duo_days"


@pytest.fixture
def store(workbook: Path) -> Store:
    """The store the use cases write through (one per test: the workbook is loaded once)."""
    return store_of(workbook)


def settings_rows(workbook: Path) -> dict[str, str]:
    """The Settings tab as read back by a separate store."""
    frame = store_of(workbook).table("Settings").frame
    return dict(zip(frame["Name"], frame["Value"], strict=True))


def loaded(store: Store) -> SettingsState:
    return settings_state(store.table("Settings").frame)


def test_a_changed_threshold_gets_a_settings_row_which_later_saves_change(
    workbook: Path, store: Store
) -> None:
    outcome = save_settings(store, ADMIN, {QUIET: 28}, loaded(store))
    assert outcome.ok
    assert outcome.message == Msg("settings_page.saved", {"count": 1})
    assert settings_rows(workbook) == {QUIET: "28"}
    assert loaded(store).values[QUIET] == 28
    save_settings(store, ADMIN, {QUIET: 35}, loaded(store))
    frame = store_of(workbook).table("Settings").frame
    assert list(frame["Name"]) == [QUIET]
    assert list(frame["Value"]) == ["35"]


def test_only_the_settings_that_changed_are_written(workbook: Path, store: Store) -> None:
    state = loaded(store)
    outcome = save_settings(store, ADMIN, dict(state.values), state)
    assert outcome.message == Msg("services.nothing_changed")
    assert settings_rows(workbook) == {}


def test_toggles_and_decimals_are_written_as_readable_text(workbook: Path, store: Store) -> None:
    chosen = {"matching.soft_capacity": True, "matching.related_sector_credit": 0.75}
    save_settings(store, ADMIN, chosen, loaded(store))
    assert settings_rows(workbook) == {
        "matching.soft_capacity": "yes",
        "matching.related_sector_credit": "0.75",
    }
    assert loaded(store).values["matching.soft_capacity"] is True


def test_a_value_out_of_bounds_is_refused_and_nothing_is_written(
    workbook: Path, store: Store
) -> None:
    with pytest.raises(SettingRefused):
        save_settings(store, ADMIN, {"attention.mentee_wait_days": 10, QUIET: 999}, loaded(store))
    assert settings_rows(workbook) == {}


def test_a_value_changed_in_the_sheet_meanwhile_comes_back_as_a_conflict(
    workbook: Path, store: Store
) -> None:
    save_settings(store, ADMIN, {QUIET: 28}, loaded(store))
    seen = loaded(store)
    store_of(workbook).update("Settings", QUIET, {"Value": "40"}, "staff@example.org")
    outcome = save_settings(store, ADMIN, {QUIET: 14}, seen)
    assert not outcome.ok
    change, conflict = outcome.conflicts[0]
    assert (change.tab, change.record_id, conflict.current) == ("Settings", QUIET, "40")
    assert settings_rows(workbook) == {QUIET: "40"}


def test_back_to_default_rewrites_the_groups_rows_and_adds_none(
    workbook: Path, store: Store
) -> None:
    save_settings(store, ADMIN, {QUIET: 28, "matching.top_n": 5}, loaded(store))
    outcome = reset_group(store, ADMIN, "attention", loaded(store))
    assert outcome.message == Msg("settings_page.reset_done", {"count": 1})
    assert settings_rows(workbook) == {QUIET: "21", "matching.top_n": "5"}
    again = reset_group(store, ADMIN, "attention", loaded(store))
    assert again.message == Msg("settings_page.already_default")


def test_settings_saved_together_go_in_one_write_whether_their_rows_exist_or_not(
    demo_grids: dict[str, list[list[Any]]],
) -> None:
    store = CountingStore(demo_grids)
    save_settings(store, ADMIN, {QUIET: 28}, loaded(store))
    store.units.clear()
    outcome = save_settings(store, ADMIN, {QUIET: 35, "matching.top_n": 5}, loaded(store))
    assert outcome.ok and len(store.units) == 1
    frame = store.table("Settings").frame
    assert dict(zip(frame["Name"], frame["Value"], strict=True)) == {
        QUIET: "35",
        "matching.top_n": "5",
    }


def test_rows_staff_typed_wrongly_are_reported_and_the_default_holds(
    workbook: Path, store: Store
) -> None:
    store.append("Settings", [{"Name": QUIET, "Value": "three weeks"}], "staff@example.org")
    store.append("Settings", [{"Name": "attention.nonsense", "Value": "1"}], "staff@example.org")
    state = loaded(store)
    assert state.values[QUIET] == 21
    assert state.cells[QUIET] == "three weeks"
    assert {problem.name for problem in state.problems} == {QUIET, "attention.nonsense"}


def test_a_coordinator_may_not_use_any_admin_action(workbook: Path, store: Store) -> None:
    with pytest.raises(AdminOnly):
        save_settings(store, BRUSSELS, {QUIET: 28}, loaded(store))
    with pytest.raises(AdminOnly):
        reset_group(store, BRUSSELS, "attention", loaded(store))
    with pytest.raises(AdminOnly):
        add_list_value(store, BRUSSELS, "Sectors", "Aviation")
    with pytest.raises(AdminOnly):
        set_up_workbook(store, BRUSSELS)
    with pytest.raises(AdminOnly):
        store_health(store, BRUSSELS)
    assert settings_rows(workbook) == {}


def test_a_new_list_value_fills_the_first_empty_cell_of_its_column(
    workbook: Path, store: Store
) -> None:
    before = store.table("Lists").frame
    first_gap = int(before.loc[before["Offices"] == "", "_row"].min())
    add_list_value(store, ADMIN, "Offices", "Ghent")
    after = store_of(workbook).table("Lists").frame
    assert after.loc[after["_row"] == first_gap, "Offices"].item() == "Ghent"
    assert len(after) == len(before)
    assert list_values(after)["Offices"][-1] == "Ghent"


def test_a_list_value_gets_a_row_of_its_own_when_the_column_has_no_gap(
    workbook: Path, store: Store
) -> None:
    before = store.table("Lists").frame
    longest = max(("Offices", "Sectors", "Languages"), key=lambda c: (before[c] != "").sum())
    add_list_value(store, ADMIN, longest, "Tamazight")
    after = store_of(workbook).table("Lists").frame
    new_row = after.iloc[-1]
    assert new_row[longest] == "Tamazight"
    assert all(new_row[column] == "" for column in after.columns if column not in (longest, "_row"))


def test_a_value_already_listed_is_refused_ignoring_case_and_accents(
    workbook: Path, store: Store
) -> None:
    with pytest.raises(ListValueRefused) as refused:
        add_list_value(store, ADMIN, "Offices", " liege ")
    assert refused.value.msg.key == "settings_page.list_value_exists"
    with pytest.raises(ListValueRefused):
        add_list_value(store, ADMIN, "Offices", "  ")
    with pytest.raises(ListValueRefused):
        add_list_value(store, ADMIN, "Hobbies", "Chess")
    assert list_values(store_of(workbook).table("Lists").frame)["Offices"] == [
        "Brussels",
        "Antwerp",
        "Liège",
    ]


def test_set_up_recreates_a_missing_tab_says_so_and_then_has_nothing_to_do(
    file_workbook: Path,
) -> None:
    book = openpyxl.load_workbook(file_workbook)
    del book["Settings"]
    book.save(file_workbook)
    store = store_of(file_workbook)
    outcome = set_up_workbook(store, ADMIN)
    assert Msg("settings_page.step_created_tab", {"tab": "Settings"}) in outcome.steps
    assert outcome.message.key == "settings_page.set_up_done"
    assert list(store_of(file_workbook).table("Settings").frame.columns[:3]) == [
        "Name",
        "Value",
        "Updated on",
    ]
    again = set_up_workbook(store, ADMIN)
    assert again.steps == []
    assert again.message == Msg("settings_page.set_up_nothing")


def test_each_kind_of_set_up_step_is_described_in_words() -> None:
    assert describe_step("added column Notes to Duos") == Msg(
        "settings_page.step_added_column", {"column": "Notes", "tab": "Duos"}
    )
    assert describe_step("froze the header row of Check-ins") == Msg(
        "settings_page.step_froze_header", {"tab": "Check-ins"}
    )
    assert describe_step("dropdown on Participants.Office") == Msg(
        "settings_page.step_dropdown", {"tab": "Participants", "column": "Office"}
    )
    assert describe_step("warning on editing Duos.ID") == Msg(
        "settings_page.step_protected", {"tab": "Duos", "column": "ID"}
    )
    assert describe_step("something new") == Msg(
        "settings_page.step_other", {"text": "something new"}
    )


def test_store_health_counts_the_values_the_app_could_not_read(store: Store) -> None:
    assert store_health(store, ADMIN).findings == 0
    person = store.table("Participants").frame["ID"].iloc[0]
    store.update("Participants", person, {"Birth date": "soon"}, "staff")
    health = store_health(store, ADMIN)
    assert health.findings == 1
    assert health.status.backend == store.backend == "memory"
    assert health.status.reads >= 1
