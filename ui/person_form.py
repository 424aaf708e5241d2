"""The widgets of a participant's profile fields, shared by the Participants and Intake pages.

Each field widget shows the value as the form first loaded it and returns what the user
chose, in the shape the store writes (dates as `datetime.date`, lists as `list[str]`).
`loaded_record` keeps that first-loaded record for as long as the form's widgets live, so
that the values sent as `seen` are the ones on screen, not a fresher read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import phones
from services.people import kept_order, list_options
from sheets.schema import DAY_PARTS, DAYS, PARTICIPANTS, SLOTS, Kind
from sheets.values import normalise_key
from ui.context import format_choices, label, md_text, tr
from validation import Problem, by_field, errors, warnings
from workflow import MENTEE, ROLES, cell_date, cell_number, cell_text

DATE_FORMAT = "DD/MM/YYYY"
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
LONG_TEXT = frozenset({"Personality", "Preferences", "Goal", "Background", "Notes"})
BY_ROLE = frozenset({"Topics", "Goal", "Background"})
"""Fields whose meaning depends on the role: a mentee's needs are a mentor's strengths."""
CONDITIONS = ("Residence", "Origin", "Looking for")
"""The mentee's other conditions of the programme, recorded at intake."""
Spots = MutableMapping[str, DeltaGenerator]
"""Per field, the place right under its widget where its errors show."""


def loaded_record(prefix: str, person: Mapping[str, Any], sentinel: str) -> tuple[str, dict]:
    """The widget key prefix of a form and the record as the form first showed it.

    The record is taken afresh whenever the form's widgets are new (first visit, back from
    another page, or after `forget_form`); `sentinel` is a field the form always shows.
    """
    generation = st.session_state.setdefault(f"{prefix}-generation", 0)
    keys = f"{prefix}-{generation}"
    if (
        f"{prefix}-seen" not in st.session_state
        or field_key(keys, sentinel) not in st.session_state
    ):
        st.session_state[f"{prefix}-seen"] = dict(person)
    return keys, st.session_state[f"{prefix}-seen"]


def forget_form(prefix: str) -> None:
    """After a write: the next run shows the form anew, from the workbook as it is then."""
    st.session_state[f"{prefix}-generation"] = st.session_state.get(f"{prefix}-generation", 0) + 1
    st.session_state.pop(f"{prefix}-seen", None)


def field_key(keys: str, column: str) -> str:
    return f"{keys}-{column}"


def field_label(column: str, role: str) -> str:
    """The column's name in the user's language; role-dependent fields say what they hold."""
    if column in BY_ROLE and role in ROLES:
        return tr(f"participants.field_{normalise_key(column)}_{normalise_key(role)}")
    return tr(f"columns.{normalise_key(column)}")


def profile_field(
    column: str,
    person: Mapping[str, Any],
    keys: str,
    *,
    lists: pd.DataFrame,
    offices: Sequence[str] = (),
) -> Any:
    """One field of the Participants tab as a widget; returns the value chosen."""
    kind = PARTICIPANTS.column(column).kind
    text = field_label(column, cell_text(person, "Role"))
    key = field_key(keys, column)
    if kind is Kind.DATE:
        return date_field(text, cell_date(person, column), key)
    if kind is Kind.CHOICE:
        return choice_field(text, column, cell_text(person, column), key, offices)
    if kind is Kind.LIST:
        return list_field(text, column, _items(person, column), key, lists)
    if kind is Kind.SLOTS:
        return availability_grid(text, _items(person, column), key)
    if kind is Kind.NUMBER:
        return number_field(text, cell_number(person, column), key)
    if column in LONG_TEXT:
        return st.text_area(text, cell_text(person, column), key=key, height=100)
    if column == "Phone":
        return st.text_input(text, phones.display(cell_text(person, column)), key=key)
    return st.text_input(text, cell_text(person, column), key=key)


def date_field(text: str, value: dt.date | None, key: str) -> dt.date | None:
    return st.date_input(
        text, value, min_value=EARLIEST, max_value=LATEST, key=key, format=DATE_FORMAT
    )


def choice_field(text: str, column: str, current: str, key: str, offices: Sequence[str]) -> str:
    """A selectbox of the column's values in the user's language ("—" for blank)."""
    values = offices if column == "Office" else PARTICIPANTS.column(column).choice_values
    options = list(values)
    if column != "Role" or not current:
        options = ["", *options]
    if current not in options:
        options.append(current)
    return str(
        st.selectbox(
            text,
            options,
            index=options.index(current),
            format_func=format_choices(options, lambda v: label(v) if v else "—"),
            key=key,
        )
    )


def list_field(
    text: str, column: str, current: list[str], key: str, lists: pd.DataFrame
) -> list[str]:
    """A multiselect offering the Lists tab's values plus those the person already has."""
    source = PARTICIPANTS.column(column).lists_column or column
    options = list_options(lists, source, current)
    chosen = st.multiselect(
        text,
        options,
        default=current,
        format_func=format_choices(options),
        placeholder=tr("participants.choose"),
        key=key,
    )
    return kept_order(current, chosen)


def number_field(text: str, value: float | None, key: str) -> int | None:
    start = None if value is None else max(1, int(value))
    chosen = st.number_input(text, min_value=1, max_value=20, value=start, step=1, key=key)
    return None if chosen is None else int(chosen)


def availability_grid(text: str, current: list[str], key: str) -> list[str]:
    """The 21 half-day slots as a grid of checkboxes, a row per day."""
    st.markdown(f"**{text}**")
    widths = [2, 1, 1, 1]
    header = st.columns(widths)
    for column, part in zip(header[1:], DAY_PARTS, strict=True):
        column.caption(tr(f"participants.part_{normalise_key(part[0])}"))
    chosen: list[str] = []
    for day in DAYS:
        row = st.columns(widths, vertical_alignment="center")
        row[0].markdown(tr(f"participants.day_{normalise_key(day[0])}"))
        for column, part in zip(row[1:], DAY_PARTS, strict=True):
            slot = f"{day[0]} {part[0]}"
            if column.checkbox(
                label(slot),
                value=slot in current,
                key=f"{key}-{slot}",
                label_visibility="collapsed",
            ):
                chosen.append(slot)
    return kept_order(current, [slot for slot in SLOTS if slot in chosen])


def is_mentee(person: Mapping[str, Any]) -> bool:
    return cell_text(person, "Role") == MENTEE


def _items(person: Mapping[str, Any], column: str) -> list[str]:
    value = person.get(column)
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def spot_under(spots: Spots, column: str) -> None:
    """Right after a field's widget: the place its errors show when the form is refused."""
    spots[column] = st.empty()


def show_errors(spots: Spots, problems: Sequence[Problem]) -> None:
    """Each error of the values in the form right under its field (the form keeps them);
    an error of a field the form does not show, above the button."""
    for column, found in by_field(errors(problems)).items():
        text = "\n\n".join(md_text(problem.msg) for problem in found)
        place = spots.get(column)
        if place is None:
            st.error(text, icon=":material/error:")
        else:
            place.error(text, icon=":material/error:")


def confirm_warnings(problems: Sequence[Problem], key: str) -> bool:
    """The warnings of the values in the form, and the box that confirms them (True when
    ticked, or when there is nothing to confirm)."""
    found = warnings(problems)
    if not found:
        return True
    lines = [f"- {md_text(problem.msg)}" for problem in found]
    st.warning("\n".join([tr("validation.warnings_intro"), *lines]), icon=":material/warning:")
    return bool(st.checkbox(tr("validation.confirm"), key=key))
