"""Follow-ups: the calls to each mentee 3, 6 and 12 months after the start of their duo.

The contacts due (the same as on the Today page's to-do list) with a short form to record
one (`?duo=D-...` opens that duo's), then the contacts recorded, each of which may be
corrected or cancelled. The rules and writes are `services/follow_ups.py`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from access import User
from follow_ups import COORDINATOR_CALL, SITUATIONS, SOURCES, DueFollowUp
from i18n import Msg
from services.follow_ups import (
    CONTRACTS,
    FollowUpEntry,
    FollowUpsView,
    cancel_follow_up,
    correct_follow_up,
    follow_up_problems,
    follow_ups_view,
    log_follow_up,
    settings_of,
)
from services.unit import Outcome
from ui import context as ui
from ui.feedback import attempt, flash
from ui.follow_up_link import follow_up_link
from ui.once import Once
from ui.shell import require_shell
from ui.tables import table
from workflow import cell_date, cell_text, records

require_shell()

DATE_FORMAT = "DD/MM/YYYY"
GENERATION = "follow-ups-forms"  # part of every form key: raised after a save to empty the forms
SHOWN = "follow-ups-shown"  # the row as the last run showed it: what a correction is compared with
VALUE_COLUMNS = ("Situation", "Contract", "Source")


def key(*parts: object) -> str:
    generation = st.session_state.get(GENERATION, 0)
    return "-".join(["follow-up", str(generation), *(str(part) for part in parts)])


def refused(problems: Sequence[Msg]) -> bool:
    """Show why the input cannot be saved; True when there is any reason."""
    for problem in problems:
        st.error(ui.md_text(problem))
    return bool(problems)


def save(action: Callable[[], Outcome], once: Once, token: str, *, leaves: bool = False) -> None:
    """Write once per render; once saved, the forms come back empty (new keys).

    A recorded contact leaves the due list (its form with it): that one says so at the top
    of the page; the other forms say so under their button.
    """

    def saved() -> Outcome | None:
        outcome = attempt(action)
        if outcome is not None and outcome.ok:
            st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
            st.session_state.pop(SHOWN, None)
            if leaves:
                flash(outcome.message)
        return outcome

    once.submit(token, saved)


def picked_date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def index_of(values: Sequence[str], value: str) -> int | None:
    return values.index(value) if value in values else None


# -- the form's fields ----------------------------------------------------------------------


def entry_inputs(form: str, due_on: date | None, seen: Mapping[str, Any]) -> FollowUpEntry:
    """The fields of a contact, filled with `seen` (a row being corrected) or empty."""
    left, right = st.columns(2)
    done_on = left.date_input(
        ui.tr("follow_ups.done_on"),
        value=cell_date(seen, "Done on") or ui.today(),
        format=DATE_FORMAT,
        key=key(form, "done-on"),
    )
    source = right.radio(
        ui.tr("follow_ups.source"),
        SOURCES,
        index=index_of(SOURCES, cell_text(seen, "Source") or COORDINATOR_CALL),
        format_func=ui.format_choices(SOURCES),
        horizontal=True,
        key=key(form, "source"),
    )
    situation = st.radio(
        ui.tr("follow_ups.situation"),
        SITUATIONS,
        index=index_of(SITUATIONS, cell_text(seen, "Situation")),
        format_func=ui.format_choices(SITUATIONS),
        horizontal=True,
        key=key(form, "situation"),
    )
    contract = st.selectbox(
        ui.tr("follow_ups.contract"),
        CONTRACTS,
        index=index_of(CONTRACTS, cell_text(seen, "Contract")),
        format_func=ui.format_choices(CONTRACTS),
        placeholder=ui.tr("follow_ups.choose"),
        help=ui.tr("follow_ups.contract_help"),
        key=key(form, "contract"),
    )
    notes = st.text_area(
        ui.tr("follow_ups.notes"), value=cell_text(seen, "Notes"), key=key(form, "notes")
    )
    return FollowUpEntry(
        due_on,
        picked_date(done_on),
        str(situation or ""),
        str(contract or ""),
        str(source or ""),
        notes,
    )


# -- due contacts ---------------------------------------------------------------------------


def due_key(due: DueFollowUp) -> str:
    return f"{due.duo_id}:{due.months}"


def show_due(view: FollowUpsView, user: User) -> None:
    st.subheader(ui.tr("follow_ups.due", count=len(view.due)))
    if not view.due:
        st.success(ui.tr("follow_ups.nothing_due"))
        return
    by_key = {due_key(due): due for due in view.due}
    asked = st.query_params.get("duo")
    first = next((index for index, due in enumerate(view.due) if due.duo_id == asked), 0)

    label = ui.format_choices(by_key, lambda option: due_line(by_key[option], view.names))
    picked = st.selectbox(
        ui.tr("follow_ups.pick"),
        list(by_key),
        index=first,
        format_func=label,
        key="follow-up-pick",
    )
    if picked in by_key:
        record_form(by_key[picked], user)


def due_line(due: DueFollowUp, names: Mapping[str, str]) -> str:
    return ui.tr(
        "follow_ups.due_line",
        person=names.get(due.person_id, due.person_id),
        duo=due.duo_id,
        months=due.months,
        date=due.due_on,
    )


def record_form(due: DueFollowUp, user: User) -> None:
    form = f"record-{due.duo_id}-{due.months}"
    once = Once(f"follow-up-{form}")
    follow_up_link(due.duo_id, user)
    with st.form(key(form), clear_on_submit=False):
        token = once.field()
        st.caption(ui.tr("follow_ups.record"))
        entry = entry_inputs(form, due.due_on, {})
        sent = st.form_submit_button(ui.tr("follow_ups.save"), key=key(form, "submit"))
    once.show()
    if sent and not refused(follow_up_problems(entry, ui.today())):
        made = once.record_id(token, "F")
        save(
            lambda: log_follow_up(ui.store(), user, due.duo_id, entry, ui.today(), record_id=made),
            once,
            token,
            leaves=True,
        )


# -- recorded contacts ----------------------------------------------------------------------


def shown(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    out = frame.copy()
    for column in VALUE_COLUMNS:
        out[column] = out[column].map(ui.label)
    out.insert(3, ui.tr("follow_ups.person"), out["Person ID"].map(names).fillna(""))
    return out


def show_recorded(view: FollowUpsView, user: User) -> None:
    st.subheader(ui.tr("follow_ups.recorded"))
    if view.recorded.empty:
        st.caption(ui.tr("follow_ups.none_recorded"))
        return
    table(shown(view.recorded, view.names), key="follow-ups-recorded")
    st.caption(ui.tr("self_follow_up.self_filled", count=view.self_filled))
    with st.expander(ui.tr("follow_ups.change")):
        rows = {cell_text(row, "ID"): row for row in records(view.recorded)}
        row_id = st.selectbox(ui.tr("follow_ups.which"), list(rows), key="follow-up-change")
        if row_id is None:
            return
        seen = as_seen(row_id, rows[row_id])
        left, right = st.columns(2)
        with left:
            correct_form(row_id, seen, user)
        with right:
            cancel_form(row_id, user)


def as_seen(row_id: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row as the user saw it when the correction form was shown (kept while it is
    being sent, so that someone else's change since comes back as a conflict)."""
    kept: dict[str, dict[str, Any]] = st.session_state.setdefault(SHOWN, {})
    if row_id not in kept:
        kept[row_id] = dict(row)
    return kept[row_id]


def correct_form(row_id: str, seen: Mapping[str, Any], user: User) -> None:
    form = f"correct-{row_id}"
    once = Once(f"follow-up-{form}")
    with st.form(key(form), clear_on_submit=False):
        token = once.field()
        entry = entry_inputs(form, cell_date(seen, "Due on"), seen)
        sent = st.form_submit_button(ui.tr("follow_ups.correct"), key=key(form, "submit"))
    once.show()
    if sent and not refused(follow_up_problems(entry, ui.today())):
        save(
            lambda: correct_follow_up(ui.store(), user, row_id, entry, seen, ui.today()),
            once,
            token,
        )


def cancel_form(row_id: str, user: User) -> None:
    form = f"cancel-{row_id}"
    once = Once(f"follow-up-{form}")
    with st.form(key(form), clear_on_submit=False):
        token = once.field()
        reason = st.text_input(ui.tr("follow_ups.cancel_reason"), key=key(form, "reason"))
        sure = st.checkbox(ui.tr("follow_ups.cancel_confirm"), key=key(form, "confirm"))
        sent = st.form_submit_button(ui.tr("follow_ups.cancel"), key=key(form, "submit"))
    once.show()
    if not sent:
        return
    if refused([] if reason.strip() else [Msg("follow_ups.reason_required")]):
        return
    if not sure:
        st.warning(ui.tr("follow_ups.cancel_confirm"))
        return
    save(lambda: cancel_follow_up(ui.store(), user, row_id, reason), once, token)


def main() -> None:
    st.title(ui.tr("follow_ups.title"))
    user = ui.signed_in()
    data = ui.snapshot()
    view = follow_ups_view(data, ui.today())
    months = ", ".join(str(months) for months in settings_of(data).months)
    st.caption(ui.tr("follow_ups.intro", months=months or "—"))
    show_due(view, user)
    show_recorded(view, user)


main()
