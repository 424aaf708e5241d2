"""The admin's Settings page: thresholds that change the to-do list, lists, set-up, health."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from i18n import LANGUAGES, t
from tests.apptest import ADMIN, BRUSSELS, ROOT, assert_no_exception, open_page, store_of

QUIET = "attention.quiet_duo_days"
QUIET_INPUT = f"setting-{QUIET}"


def settings_rows(workbook: Path) -> dict[str, str]:
    frame = store_of(workbook).table("Settings").frame
    return dict(zip(frame["Name"], frame["Value"], strict=True))


def quiet_duos_on_today(workbook: Path) -> int:
    """How many duos the Today page lists as without recent meetings."""
    app = open_page("today.py", user=ADMIN)
    title = t("workflow.kind_quiet_duo", "en")
    for expander in app.expander:
        if expander.label.startswith(title):
            return int(expander.label.split(" · ")[1])
    return 0


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [s.value for s in app.success] + [e.value for e in app.error]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_shows_every_setting_group_in_each_language(workbook: Path, lang: str) -> None:
    app = open_page("settings.py", lang=lang)
    assert_no_exception(app)
    assert [title.value for title in app.title] == [t("settings_page.title", lang)]
    assert [tab.label for tab in app.tabs][:3] == [
        t(f"settings_page.tab_{group}", lang) for group in ("attention", "matching", "privacy")
    ]
    assert app.number_input(key=QUIET_INPUT).value == 21
    assert app.toggle(key="setting-matching.soft_capacity").value is False


def test_a_lower_quiet_duo_threshold_is_saved_and_lengthens_todays_list(workbook: Path) -> None:
    before = quiet_duos_on_today(workbook)
    app = open_page("settings.py")
    app.number_input(key=QUIET_INPUT).set_value(7)
    app.button(key="save-attention").click().run()
    assert_no_exception(app)
    assert t("settings_page.saved", "en", count=1) in texts(app)
    assert settings_rows(workbook) == {QUIET: "7"}
    assert app.number_input(key=QUIET_INPUT).value == 7
    assert quiet_duos_on_today(workbook) > before


def test_back_to_default_puts_the_groups_values_back(workbook: Path) -> None:
    store_of(workbook).append("Settings", [{"Name": QUIET, "Value": "7"}], "staff")
    app = open_page("settings.py")
    assert app.number_input(key=QUIET_INPUT).value == 7
    app.button(key="reset-attention").click().run()
    assert settings_rows(workbook) == {QUIET: "21"}
    assert app.number_input(key=QUIET_INPUT).value == 21


def test_a_value_changed_in_the_sheet_meanwhile_is_shown_not_overwritten(workbook: Path) -> None:
    store_of(workbook).append("Settings", [{"Name": QUIET, "Value": "10"}], "staff")
    app = open_page("settings.py")
    store_of(workbook).update("Settings", QUIET, {"Value": "12"}, "someone-else")
    app.number_input(key=QUIET_INPUT).set_value(7)
    app.button(key="save-attention").click().run()
    assert_no_exception(app)
    assert settings_rows(workbook) == {QUIET: "12"}
    assert t("app.conflict_intro", "en") in [warning.value for warning in app.warning]


def test_rows_staff_typed_wrongly_are_pointed_out(workbook: Path) -> None:
    store_of(workbook).append("Settings", [{"Name": QUIET, "Value": "soon"}], "staff")
    app = open_page("settings.py")
    assert any("soon" in warning.value for warning in app.warning)
    assert app.number_input(key=QUIET_INPUT).value == 21


def test_a_coordinator_opening_the_settings_url_gets_nothing(workbook: Path) -> None:
    with pytest.raises(ValueError):
        open_page("settings.py", user=BRUSSELS)
    page = AppTest.from_file(str(ROOT / "pages" / "settings.py"), default_timeout=60)
    page.session_state["lang"] = "en"
    page.session_state["user"] = BRUSSELS
    page.run()
    assert [error.value for error in page.error] == [t("settings_page.admins_only", "en")]
    assert not page.number_input and not page.button and not page.text_input


def test_the_sheet_set_up_runs_and_lists_what_it_did(file_workbook: Path) -> None:
    book = openpyxl.load_workbook(file_workbook)
    del book["Settings"]
    book.save(file_workbook)
    app = open_page("settings.py")
    assert_no_exception(app)
    app.button(key="set-up").click().run()
    assert_no_exception(app)
    shown = texts(app)
    assert t("settings_page.step_created_tab", "en", tab="Settings") in shown
    assert "Settings" in openpyxl.load_workbook(file_workbook).sheetnames


def test_the_store_health_is_shown(workbook: Path) -> None:
    app = open_page("settings.py", lang="nl")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics[t("settings_page.findings", "nl")] == "0"
    assert int(metrics[t("settings_page.reads", "nl")]) >= 1
    assert str(workbook) in texts(app)


def test_an_added_list_value_lands_in_the_lists_tab(workbook: Path) -> None:
    app = open_page("settings.py", lang="fr")
    app.selectbox(key="list-column").select("Sectors")
    app.text_input(key="list-value").input("Aviation")
    app.button(key="add-list-value").click().run()
    assert_no_exception(app)
    sectors = list(store_of(workbook).table("Lists").frame["Sectors"])
    assert "Aviation" in sectors
    assert t("settings_page.list_value_added", "fr", value="Aviation") in texts(app)
    assert app.text_input(key="list-value").value == ""


def test_a_value_already_in_the_list_is_refused_with_a_message(workbook: Path) -> None:
    app = open_page("settings.py")
    app.selectbox(key="list-column").select("Sectors")
    app.text_input(key="list-value").input("ict")
    app.button(key="add-list-value").click().run()
    assert t("settings_page.list_value_exists", "en", value="ict") in texts(app)
    assert list(store_of(workbook).table("Lists").frame["Sectors"]).count("ICT") == 1
    assert app.text_input(key="list-value").value == "ict"
