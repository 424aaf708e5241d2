"""Every setting an admin can change, as data: name, default, bounds, label and help text.

Values live in the workbook's Settings tab (one row per setting that differs from its
default), so that all coordinators and all app processes share them; a value staff typed
there that does not fit is ignored (the default holds) and reported on the data-quality page.
Store configuration (which workbook, credentials) is not here: it lives in secrets and the
environment, see `sheets/config.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import pandas as pd

from attention import AttentionSettings
from follow_ups import FollowUpSettings
from i18n import Msg
from matching import MatchSettings, setting_fields
from sheets.values import parse_bool, parse_number

Kind = Literal["number", "integer", "toggle"]


@dataclass(frozen=True)
class Setting:
    name: str
    """`group.field`, as written in the Settings tab's Name column."""
    group: str
    default: float | int | bool
    kind: Kind
    minimum: float | None
    maximum: float | None
    label: Msg
    help: Msg


def _integer_settings(
    group: str,
    defaults: AttentionSettings | FollowUpSettings,
    bounds: Callable[[str], tuple[int, int]],
) -> tuple[Setting, ...]:
    """A whole-number setting per field of `defaults`' dataclass: `group.field`, its default,
    its bounds, and the label and help `settings.group_field(_help)`."""
    return tuple(
        Setting(
            f"{group}.{spec.name}",
            group,
            getattr(defaults, spec.name),
            "integer",
            *bounds(spec.name),
            Msg(f"settings.{group}_{spec.name}"),
            Msg(f"settings.{group}_{spec.name}_help"),
        )
        for spec in fields(defaults)
    )


def _matching_settings() -> tuple[Setting, ...]:
    return tuple(
        Setting(
            f"matching.{field.name}",
            "matching",
            field.default,
            field.kind,
            field.minimum,
            field.maximum,
            field.label,
            field.help,
        )
        for field in setting_fields()
    )


PRIVACY = (
    Setting(
        "privacy.retention_years",
        "privacy",
        3,
        "integer",
        1,
        20,
        Msg("settings.privacy_retention_years"),
        Msg("settings.privacy_retention_years_help"),
    ),
)

FOLLOW_UP_BOUNDS: dict[str, tuple[int, int]] = {
    "first_months": (0, 36),
    "second_months": (0, 36),
    "third_months": (0, 36),
    "window_days": (0, 366),
}
"""The follow-up contacts' months after the start (0: that contact is not asked), and how
long a due contact stays on the to-do list."""


SETTINGS: tuple[Setting, ...] = (
    _integer_settings("attention", AttentionSettings(), lambda _: (0, 366))
    + _matching_settings()
    + PRIVACY
    + _integer_settings("follow_ups", FollowUpSettings(), FOLLOW_UP_BOUNDS.__getitem__)
)
BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
GROUPS = ("attention", "matching", "privacy", "follow_ups")


@dataclass(frozen=True)
class SettingProblem:
    row: int
    name: str
    raw: str


def parse_value(setting: Setting, raw: Any) -> float | int | bool | None:
    """The value typed in the sheet, or None when it does not fit the setting."""
    if setting.kind == "toggle":
        value, problem = parse_bool(raw)
        return None if problem else value
    number, problem = parse_number(raw)
    if problem or number is None:
        return None
    if setting.kind == "integer":
        if not float(number).is_integer():
            return None
        number = int(number)
    low, high = setting.minimum, setting.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def current_values(frame: pd.DataFrame) -> tuple[dict[str, Any], list[SettingProblem]]:
    """Every setting's value: the Settings tab's where it fits, else the default."""
    values: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}
    problems: list[SettingProblem] = []
    if frame.empty:
        return values, problems
    for name, raw, row in zip(frame["Name"], frame["Value"], frame["_row"], strict=True):
        setting = BY_NAME.get(str(name).strip())
        parsed = None if setting is None else parse_value(setting, raw)
        if setting is None or parsed is None:
            problems.append(SettingProblem(int(row), str(name), str(raw)))
            continue
        values[setting.name] = parsed
    return values, problems


def attention_settings(values: Mapping[str, Any]) -> AttentionSettings:
    return replace(
        AttentionSettings(),
        **{spec.name: values[f"attention.{spec.name}"] for spec in fields(AttentionSettings)},
    )


def match_settings(values: Mapping[str, Any]) -> MatchSettings:
    return replace(
        MatchSettings(),
        **{spec.name: values[f"matching.{spec.name}"] for spec in fields(MatchSettings)},
    )


def follow_up_settings(values: Mapping[str, Any]) -> FollowUpSettings:
    return replace(
        FollowUpSettings(),
        **{spec.name: values[f"follow_ups.{spec.name}"] for spec in fields(FollowUpSettings)},
    )
