"""The admin's use cases: settings, the Lists tab, sheet set-up and the store's health.

Settings live in the workbook's Settings tab, one row per setting (Name, Value), so that every
coordinator and every app process shares them. A save changes the Value cell of the row named
after the setting (found by Name at the moment of writing) and appends a row when there is
none yet; the value the admin loaded goes along as `seen`, so that a value someone else typed
in the sheet meanwhile is shown as a conflict instead of being overwritten. Whether a row is
there is decided on a fresh read, and every setting of one save goes in ONE unit of work.

Every function here refuses a user who is not an admin, whatever the page shows.
No Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from access import User
from i18n import Msg
from services.unit import Outcome, Unit, read_now, write_planned
from settings import BY_NAME, SETTINGS, Setting, SettingProblem, current_values, parse_value
from sheets.schema import tab
from sheets.store import Conflict, Store, StoreError, StoreStatus
from sheets.values import normalise_key
from workflow import RecordChange

SETTINGS_TAB = "Settings"
LISTS_TAB = "Lists"
LIST_COLUMNS: tuple[str, ...] = tuple(tab(LISTS_TAB).column_names)
"""Offices, Sectors, Languages, Topics, End reasons: the Lists tab's columns, in order."""

Conflicts = list[tuple[RecordChange, Conflict]]


class AdminOnly(StoreError):
    """Someone who is not an admin asked for an admin action."""


class SettingRefused(StoreError):
    """A setting's value is out of its bounds, or the setting does not exist."""


class ListValueRefused(StoreError):
    """A list value that is blank, already listed, or for a list that does not exist."""


def require_admin(user: User) -> None:
    """Refuse anyone but an admin (pages hide admin actions; this is the rule itself)."""
    if not user.is_admin:
        raise AdminOnly(Msg("settings_page.admins_only"))


# -- settings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsState:
    """The settings as loaded: what the page shows, and what the sheet's cells said."""

    values: dict[str, Any]
    """Every setting's value in force (the sheet's where it fits, else the default)."""
    cells: dict[str, str | None]
    """The Value cell of each setting's row as read (None: the setting has no row)."""
    problems: list[SettingProblem] = field(default_factory=list)
    """Rows whose name or value the app could not use (the default holds for them)."""


def settings_state(frame: pd.DataFrame) -> SettingsState:
    """The state of the Settings tab, from the DataFrame the store read."""
    values, problems = current_values(frame)
    cells: dict[str, str | None] = {setting.name: None for setting in SETTINGS}
    if not frame.empty:
        for name, raw in zip(frame["Name"], frame["Value"], strict=True):
            key = str(name).strip()
            if key in cells and cells[key] is None:
                cells[key] = str(raw)
    return SettingsState(values, cells, problems)


def settings_of(group: str) -> tuple[Setting, ...]:
    return tuple(setting for setting in SETTINGS if setting.group == group)


def setting_text(setting: Setting, value: Any) -> str:
    """How a value is written in the Value cell: `yes` / `no`, `28`, `0.5`."""
    if setting.kind == "toggle":
        return "yes" if value else "no"
    if setting.kind == "integer":
        return str(int(value))
    return f"{float(value):g}"


def checked_value(setting: Setting, value: Any) -> float | int | bool:
    """The value if it fits the setting (kind and bounds); refused otherwise."""
    parsed = parse_value(setting, value)
    if parsed is None:
        raise SettingRefused(
            Msg(
                "settings_page.value_refused",
                {
                    "name": setting.name,
                    "low": _bound(setting.minimum),
                    "high": _bound(setting.maximum),
                },
            )
        )
    return parsed


def _bound(value: float | None) -> float | str:
    """A bound in a message: the number (i18n writes it the language's way), or a dash."""
    return "—" if value is None else float(value)


def save_settings(
    store: Store, user: User, chosen: Mapping[str, Any], loaded: SettingsState
) -> Outcome:
    """Write the settings whose chosen value differs from the value loaded.

    Every value is checked before anything is written, so a refused value writes nothing.
    """
    require_admin(user)
    changed: dict[str, Any] = {}
    for name, value in chosen.items():
        if name not in BY_NAME:
            raise SettingRefused(Msg("settings_page.unknown_setting", {"name": name}))
        checked = checked_value(BY_NAME[name], value)
        if checked != loaded.values.get(name):
            changed[name] = checked
    if not changed:
        return Outcome(Msg("services.nothing_changed"))
    texts = [
        (BY_NAME[name], setting_text(BY_NAME[name], value), loaded.cells.get(name))
        for name, value in changed.items()
    ]
    outcome = Outcome(Msg("settings_page.saved", {"count": len(changed)}))
    outcome.conflicts = _write_settings(store, user, texts)
    return outcome


def reset_group(store: Store, user: User, group: str, loaded: SettingsState) -> Outcome:
    """Put every setting of a group back to its default, in the rows the Settings tab has.

    A setting without a row already runs on its default: nothing is added for it.
    """
    require_admin(user)
    if not settings_of(group):
        raise SettingRefused(Msg("settings_page.unknown_setting", {"name": group}))
    to_reset = [
        setting
        for setting in settings_of(group)
        if (cell := loaded.cells.get(setting.name)) is not None
        and cell.strip() != setting_text(setting, setting.default)
    ]
    if not to_reset:
        return Outcome(Msg("settings_page.already_default"))
    texts = [
        (setting, setting_text(setting, setting.default), loaded.cells[setting.name])
        for setting in to_reset
    ]
    outcome = Outcome(Msg("settings_page.reset_done", {"count": len(to_reset)}))
    outcome.conflicts = _write_settings(store, user, texts)
    return outcome


@dataclass(frozen=True)
class _Planned:
    unit: Unit


def _write_settings(
    store: Store, user: User, texts: Sequence[tuple[Setting, str, str | None]]
) -> Conflicts:
    """Change the Value of each setting's row (key column: Name), or append the row, all in
    one unit; whether the row is there is read afresh just before writing."""

    def plan() -> _Planned:
        named = _named_rows(read_now(store, [SETTINGS_TAB])[SETTINGS_TAB].frame)
        unit = Unit()
        for setting, text, seen in texts:
            if setting.name.casefold() in named:
                change = RecordChange(
                    SETTINGS_TAB, setting.name, {"Value": text}, {"Value": seen or ""}
                )
                unit.update(change, "setting")
            else:
                unit.append(SETTINGS_TAB, [{"Name": setting.name, "Value": text}], "setting")
        return _Planned(unit)

    planned, written = write_planned(store, user.email, plan)
    return planned.unit.conflicts(written)


def _named_rows(frame: pd.DataFrame) -> set[str]:
    """The names the tab's rows hold, as the store finds a row by its key (ignoring case)."""
    if frame.empty or "Name" not in frame.columns:
        return set()
    return {str(name).strip().casefold() for name in frame["Name"] if str(name).strip()}


# -- the Lists tab --------------------------------------------------------------------------


def list_values(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Each column of the Lists tab: its values, top to bottom, blanks left out."""
    return {
        column: [str(value).strip() for value in frame.get(column, []) if str(value).strip()]
        for column in LIST_COLUMNS
    }


def add_list_value(store: Store, user: User, column: str, value: str) -> Outcome:
    """Add a value to one list of the Lists tab, as staff would type it in.

    It goes into the first empty cell of that column (the column's gaps are filled first);
    when the column has none, a new row holds it alone. A value already listed (ignoring case,
    accents and punctuation) is refused.
    """
    require_admin(user)
    if column not in LIST_COLUMNS:
        raise ListValueRefused(Msg("settings_page.unknown_list", {"list": column}))
    text = value.strip()
    if not normalise_key(text):
        raise ListValueRefused(Msg("settings_page.list_value_blank"))

    def plan() -> _Planned:
        frame = read_now(store, [LISTS_TAB])[LISTS_TAB].frame
        listed = list_values(frame)[column]
        if normalise_key(text) in {normalise_key(item) for item in listed}:
            raise ListValueRefused(Msg("settings_page.list_value_exists", {"value": text}))
        unit = Unit()
        if _has_gap(frame, column):
            unit.update_where(
                LISTS_TAB, {column: ""}, {column: text}, {column: ""}, "add_list_value"
            )
        else:
            unit.append(LISTS_TAB, [{column: text}], "add_list_value")
        return _Planned(unit)

    write_planned(store, user.email, plan)
    return Outcome(Msg("settings_page.list_value_added", {"value": text}))


def _has_gap(frame: pd.DataFrame, column: str) -> bool:
    """Whether a row of the Lists tab has this column empty (the value goes there)."""
    if frame.empty or column not in frame.columns:
        return False
    return any(not str(value).strip() for value in frame[column])


# -- sheet set-up and the store's health ----------------------------------------------------


@dataclass
class SetUpOutcome(Outcome):
    steps: list[Msg] = field(default_factory=list)
    """What the set-up did, one message per step."""


_SET_UP_STEPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"created tab (?P<tab>.+)"), "settings_page.step_created_tab"),
    (re.compile(r"added column (?P<column>.+) to (?P<tab>.+)"), "settings_page.step_added_column"),
    (re.compile(r"froze the header row of (?P<tab>.+)"), "settings_page.step_froze_header"),
    (re.compile(r"dropdown on (?P<tab>[^.]+)\.(?P<column>.+)"), "settings_page.step_dropdown"),
    (
        re.compile(r"warning on editing (?P<tab>[^.]+)\.(?P<column>.+)"),
        "settings_page.step_protected",
    ),
)


def describe_step(step: str) -> Msg:
    """A step the store reported (English text) as a message in the user's language."""
    for pattern, key in _SET_UP_STEPS:
        match = pattern.fullmatch(step.strip())
        if match:
            return Msg(key, match.groupdict())
    return Msg("settings_page.step_other", {"text": step})


def set_up_workbook(store: Store, user: User) -> SetUpOutcome:
    """Create missing tabs and header columns and the sheet's helpers; say what was done."""
    require_admin(user)
    done = store.set_up(who=user.email)
    message = (
        Msg("settings_page.set_up_done", {"count": len(done)})
        if done
        else Msg("settings_page.set_up_nothing")
    )
    return SetUpOutcome(message, steps=[describe_step(step) for step in done])


@dataclass(frozen=True)
class StoreHealth:
    status: StoreStatus
    findings: int
    """Values the app could not read, over every tab."""


def store_health(store: Store, user: User) -> StoreHealth:
    """The store's counters and how many values it could not read."""
    require_admin(user)
    findings = len(store.findings())
    return StoreHealth(store.status(), findings)
