"""Meeting log: a duo's mentor (or mentee) logs meetings through a personal link, no account.

`?t=<token>` opens it. A valid link shows only the first names of the pair and the duo's last
five meetings (date, hours, mode, topics), and a form to log one more; any other link gets a
polite refusal and nothing else. Never uses the signed-in user. The checks are in
`links.py` and `services/meeting_links.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NoReturn

import pandas as pd
import streamlit as st

from links import InvalidLink
from services import meeting_links
from services.meeting_links import (
    MAX_HOURS,
    MIN_HOURS,
    MODES,
    TOKEN_PARAMETER,
    LinkedDuo,
    MeetingEntry,
    MeetingRefused,
)
from sheets.store import StoreError
from ui import context as ui
from ui.feedback import flash, show_flash
from ui.shell import require_shell

require_shell()

DEFAULT_HOURS = 2.0


def refuse() -> NoReturn:
    st.warning(ui.tr("meeting_log.refused"), icon=":material/link_off:")
    st.stop()


def unavailable() -> NoReturn:
    st.error(ui.tr("meeting_log.unavailable"))
    st.stop()


def fixed_labels(values: Iterable[str]) -> Callable[[str], str]:
    """A format function with the labels of this run's language (widgets may call it later)."""
    texts = {value: ui.label(value) for value in values}
    return lambda value: texts.get(value, str(value))


def recent_table(duo: LinkedDuo) -> None:
    st.subheader(ui.tr("meeting_log.recent"))
    if not duo.recent:
        st.caption(ui.tr("meeting_log.no_meetings"))
        return
    rows = [
        {
            ui.tr("meeting_log.column_date"): ui.fmt_date(meeting.date),
            ui.tr("meeting_log.column_hours"): meeting.hours,
            ui.tr("meeting_log.column_mode"): ui.label(meeting.mode) if meeting.mode else "",
            ui.tr("meeting_log.column_topics"): ", ".join(ui.label(t) for t in meeting.topics),
        }
        for meeting in duo.recent
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="log-recent")


def meeting_form(duo: LinkedDuo) -> MeetingEntry | None:
    """The form; the meeting when it was sent (None until then)."""
    today = ui.today()
    st.subheader(ui.tr("meeting_log.new_meeting"))
    with st.form("log-form", clear_on_submit=False, enter_to_submit=False):
        left, middle, right = st.columns(3)
        day = left.date_input(
            ui.tr("meeting_log.field_date"),
            value=today,
            min_value=duo.agreement_on if duo.agreement_on and duo.agreement_on <= today else None,
            max_value=today,
            format="DD/MM/YYYY",
            key="log-date",
        )
        hours = middle.number_input(
            ui.tr("meeting_log.field_hours"),
            min_value=MIN_HOURS,
            max_value=MAX_HOURS,
            value=DEFAULT_HOURS,
            step=0.5,
            format="%.1f",
            key="log-hours",
        )
        mode = right.selectbox(
            ui.tr("meeting_log.field_mode"),
            MODES,
            index=None,
            format_func=fixed_labels(MODES),
            placeholder="—",
            key="log-mode",
        )
        topics = st.multiselect(
            ui.tr("meeting_log.field_topics"),
            duo.topics,
            format_func=fixed_labels(duo.topics),
            placeholder="—",
            key="log-topics",
        )
        summary = st.text_area(
            ui.tr("meeting_log.field_summary"),
            help=ui.tr("meeting_log.summary_help"),
            key="log-summary",
        )
        sent = st.form_submit_button(ui.tr("meeting_log.save"), type="primary", key="log-save")
    if not sent:
        return None
    return MeetingEntry(
        date=day,
        hours=None if hours is None else float(hours),
        mode=mode or "",
        topics=tuple(topics),
        summary=summary,
    )


def save(token: str, secret: str, entry: MeetingEntry) -> None:
    try:
        outcome = meeting_links.log_meeting(ui.store(), token, secret, entry, ui.today())
    except InvalidLink:
        refuse()
    except MeetingRefused as refused:
        for problem in refused.problems:
            st.error(ui.text(problem))
        return
    except StoreError:
        unavailable()
    flash(outcome.message)
    for key in ("log-summary", "log-topics", "log-mode"):
        st.session_state.pop(key, None)
    st.rerun()


st.title(ui.tr("meeting_log.title"))
link_token = str(st.query_params.get(TOKEN_PARAMETER, "") or "")
if not link_token:
    refuse()
try:
    store = ui.store()
    link_secret = meeting_links.secret_key(ui.secrets(), store)
except StoreError:
    unavailable()
if link_secret is None:
    st.warning(ui.tr("meeting_log.disabled"))
    st.caption(ui.tr("meeting_log.disabled_admin"))
    st.stop()
try:
    linked = meeting_links.resolve(store, link_token, link_secret, ui.today())
except InvalidLink:
    refuse()
except StoreError:
    unavailable()
show_flash()
mentor_name = linked.mentor_first_name or "…"
mentee_name = linked.mentee_first_name or "…"
st.subheader(ui.tr("meeting_log.hello", mentor=mentor_name, mentee=mentee_name))
st.caption(ui.tr("meeting_log.intro"))
recent_table(linked)
new_entry = meeting_form(linked)
if new_entry is not None:
    save(link_token, link_secret, new_entry)
