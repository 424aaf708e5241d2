"""Settings (admins only): thresholds and weights, the Lists tab, sheet set-up, store health."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from access import User
from services.settings import (
    LIST_COLUMNS,
    SettingsState,
    SetUpOutcome,
    add_list_value,
    list_values,
    reset_group,
    save_settings,
    set_up_workbook,
    setting_text,
    settings_of,
    settings_state,
    store_health,
)
from services.unit import Outcome
from settings import GROUPS, Setting
from sheets.values import normalise_key
from ui import context as ui
from ui.feedback import attempt
from ui.navigation import PAGES_DIR
from ui.once import Once
from ui.shell import require_shell
from ui.tables import table

require_shell()

# Session keys: the settings as the admin loaded them in a group's form (the `seen`), and
# a flag asking the form to start again from the sheet's values after a write.
LOADED = "settings-loaded-{group}"
RELOAD = "settings-reload-{group}"
SET_UP_STEPS = "settings-set-up-steps"
NEW_LIST_VALUE = "list-value"
LIST_ONCE = Once("add-list-value", defaults={NEW_LIST_VALUE: ""})
SET_UP_ONCE = Once("set-up")


# -- settings -------------------------------------------------------------------------------


def widget_key(setting: Setting) -> str:
    return f"setting-{setting.name}"


def loaded_state(group: str, current: SettingsState) -> SettingsState:
    """What this group's form shows: kept while the form is on screen, so that a change made
    in the sheet meanwhile is caught as a conflict on saving; the sheet's values when the
    form is new or was just saved.

    The widgets get their values through the session state (not `value=`): the browser then
    shows the reloaded values even where the widget itself stays the same.
    """
    key = LOADED.format(group=group)
    widgets = [widget_key(setting) for setting in settings_of(group)]
    reload = (
        st.session_state.pop(RELOAD.format(group=group), False)
        or key not in st.session_state
        or any(widget not in st.session_state for widget in widgets)
    )
    if reload:
        st.session_state[key] = current
        for setting, widget in zip(settings_of(group), widgets, strict=True):
            st.session_state[widget] = widget_value(setting, current.values[setting.name])
    loaded: SettingsState = st.session_state[key]
    return loaded


def widget_value(setting: Setting, value: Any) -> bool | int | float:
    if setting.kind == "toggle":
        return bool(value)
    return int(value) if setting.kind == "integer" else float(value)


def shown_default(setting: Setting) -> str:
    if setting.kind == "toggle":
        return ui.tr("common.yes") if setting.default else ui.tr("common.no")
    return setting_text(setting, setting.default)


def setting_input(setting: Setting) -> Any:
    """One widget, built from the setting's data: kind, bounds, label and help text."""
    label = ui.text(setting.label)
    help_text = "\n\n".join(
        (
            ui.text(setting.help),
            ui.tr("settings_page.default_value", value=shown_default(setting)),
        )
    )
    key = widget_key(setting)
    if setting.kind == "toggle":
        return st.toggle(label, help=help_text, key=key)
    if setting.kind == "integer":
        return st.number_input(
            label,
            min_value=None if setting.minimum is None else int(setting.minimum),
            max_value=None if setting.maximum is None else int(setting.maximum),
            step=1,
            help=help_text,
            key=key,
        )
    small = setting.maximum is not None and setting.maximum <= 1
    return st.number_input(
        label,
        min_value=None if setting.minimum is None else float(setting.minimum),
        max_value=None if setting.maximum is None else float(setting.maximum),
        step=0.05 if small else 1.0,
        format="%g",
        help=help_text,
        key=key,
    )


def settings_form(group: str, current: SettingsState, user: User) -> None:
    loaded = loaded_state(group, current)
    st.caption(ui.tr(f"settings_page.intro_{group}"))
    once = Once(f"settings-{group}")
    with st.form(f"settings-{group}", clear_on_submit=False):
        token = once.field()
        columns = st.columns(2)
        chosen: dict[str, Any] = {}
        for index, setting in enumerate(settings_of(group)):
            with columns[index % 2]:
                chosen[setting.name] = setting_input(setting)
        st.caption(ui.tr("settings_page.stored_in_sheet"))
        save, reset = st.columns(2)
        saved = save.form_submit_button(
            ui.tr("settings_page.save"), type="primary", key=f"save-{group}"
        )
        back = reset.form_submit_button(
            ui.tr("settings_page.back_to_default"), key=f"reset-{group}"
        )
    once.show()
    if saved:
        once.submit(
            token,
            lambda: settled(
                group, attempt(lambda: save_settings(ui.store(), user, chosen, loaded))
            ),
        )
    if back:
        once.submit(
            token,
            lambda: settled(group, attempt(lambda: reset_group(ui.store(), user, group, loaded))),
        )


def settled(group: str, outcome: Outcome | None) -> Outcome | None:
    """After a write (saved, or left as a conflict to settle): reload the form next run."""
    if outcome is not None:
        st.session_state[RELOAD.format(group=group)] = True
    return outcome


def show_problems(state: SettingsState) -> None:
    if not state.problems:
        return
    lines = [
        ui.md_tr("settings_page.problem_row", row=problem.row, name=problem.name, raw=problem.raw)
        for problem in state.problems
    ]
    st.warning("\n".join([ui.tr("settings_page.problems_intro"), *(f"- {line}" for line in lines)]))


# -- lists ----------------------------------------------------------------------------------


def list_title(column: str) -> str:
    return ui.tr(f"columns.{normalise_key(column)}")


def lists_section(frame: pd.DataFrame, user: User) -> None:
    st.caption(ui.tr("settings_page.lists_intro"))
    values = list_values(frame)
    grid = pd.DataFrame(
        {column: pd.Series(items, dtype=object) for column, items in values.items()}
    )
    table(grid.fillna(""), key="lists-table")
    with st.form("add-list-value", clear_on_submit=False):
        token = LIST_ONCE.field()
        left, right = st.columns(2)
        titles = {name: list_title(name) for name in LIST_COLUMNS}
        column = left.selectbox(
            ui.tr("settings_page.list"),
            LIST_COLUMNS,
            format_func=titles.__getitem__,
            key="list-column",
        )
        value = right.text_input(ui.tr("settings_page.new_value"), key=NEW_LIST_VALUE)
        submitted = st.form_submit_button(ui.tr("settings_page.add_value"), key="add-list-value")
    LIST_ONCE.show()
    if submitted:
        LIST_ONCE.submit(
            token, lambda: attempt(lambda: add_list_value(ui.store(), user, str(column), value))
        )


# -- workbook -------------------------------------------------------------------------------


def set_up_section(user: User) -> None:
    st.subheader(ui.tr("settings_page.set_up_title"))
    st.caption(ui.tr("settings_page.set_up_intro"))
    token = SET_UP_ONCE.field()
    if st.button(ui.tr("settings_page.set_up_button"), icon=":material/build:", key="set-up"):

        def set_up() -> Outcome | None:
            outcome = attempt(lambda: set_up_workbook(ui.store(), user))
            if isinstance(outcome, SetUpOutcome):
                st.session_state[SET_UP_STEPS] = outcome.steps
            return outcome

        SET_UP_ONCE.submit(token, set_up)
    SET_UP_ONCE.show()
    steps = st.session_state.get(SET_UP_STEPS)
    if steps:
        st.markdown(ui.tr("settings_page.set_up_last"))
        st.markdown("\n".join(f"- {ui.md_text(step)}" for step in steps))


def health_section(user: User) -> None:
    st.subheader(ui.tr("settings_page.health_title"))
    health = store_health(ui.store(), user)
    status = health.status
    backend = "app.backend_google" if status.backend == "google" else "app.backend_local"
    last_read = (
        status.last_read.strftime("%d/%m/%Y %H:%M:%S")
        if status.last_read
        else ui.tr("settings_page.never")
    )
    st.caption(
        ui.md_tr(
            "settings_page.where",
            backend=ui.tr(backend),
            location=status.location,
            last_read=last_read,
        )
    )
    columns = st.columns(5)
    columns[0].metric(ui.tr("settings_page.calls"), status.calls)
    columns[1].metric(ui.tr("settings_page.reads"), status.reads)
    columns[2].metric(ui.tr("settings_page.writes"), status.writes)
    columns[3].metric(ui.tr("settings_page.cache_seconds"), ui.fmt_number(status.cache_seconds))
    columns[4].metric(
        ui.tr("settings_page.findings"),
        health.findings,
        help=ui.tr("settings_page.findings_help"),
    )
    if health.findings and (PAGES_DIR / "data_quality.py").exists():
        st.page_link(
            "pages/data_quality.py",
            label=ui.tr("settings_page.to_data_quality"),
            icon=":material/rule:",
        )


# -- the page -------------------------------------------------------------------------------


def main() -> None:
    st.title(ui.tr("settings_page.title"))
    admin = ui.signed_in_admin("settings_page.admins_only")
    data = ui.snapshot()
    state = settings_state(data["Settings"])
    show_problems(state)
    tabs = st.tabs(
        [ui.tr(f"settings_page.tab_{group}") for group in GROUPS]
        + [ui.tr("settings_page.tab_lists"), ui.tr("settings_page.tab_workbook")],
        key="settings-tabs",
        on_change="rerun",
    )
    for tab, group in zip(tabs, GROUPS, strict=False):
        with tab:
            settings_form(group, state, admin)
    with tabs[len(GROUPS)]:
        lists_section(data["Lists"], admin)
    with tabs[len(GROUPS) + 1]:
        set_up_section(admin)
        health_section(admin)


main()
