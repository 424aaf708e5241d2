"""Meeting log: a duo's mentor (or mentee) logs meetings through a personal link, no account.

`?t=<token>` opens it. A valid link shows only the first names of the pair and the duo's last
five meetings (date, hours, mode, topics), and a form to log one more; any other link gets a
polite refusal and nothing else. Never uses the signed-in user. The checks are in
`links.py` and `services/meeting_links.py`; what makes a meeting valid is in `meetings.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from i18n import Msg
from links import InvalidLink
from meetings import (
    MAX_HOURS,
    MEETING_MODES,
    MIN_HOURS,
    InputRefused,
    MeetingEntry,
)
from services import meeting_links
from services.meeting_links import LinkedDuo
from services.unit import Outcome
from sheets.store import StoreError
from ui import context as ui
from ui.language import page_language_switch
from ui.once import Once
from ui.personal_links import PublicLinkPage
from ui.scroll import scroll_to
from ui.shell import require_shell
from ui.tables import defused
from validation import meeting_problems

require_shell()

DEFAULT_HOURS = 2.0
SAME_MEETING_SECONDS = 10 * 60  # a meeting like one this link logged so recently is asked about
SAME_MEETING = "log-same-meeting"
DONE_KEY = "log-done"
DONE_SHOWN = "log-done-shown"
SPOTS: dict[str, DeltaGenerator] = {}  # this run's place under each field for its error
PAGE = PublicLinkPage("meeting_log")


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
    st.dataframe(defused(pd.DataFrame(rows)), hide_index=True, width="stretch", key="log-recent")


def form_once() -> Once:
    """The form's exactly-once guard; after a save the fields are back to these values."""
    defaults = {"log-date": ui.today(), "log-hours": DEFAULT_HOURS, "log-mode": None}
    defaults |= {"log-topics": [], "log-summary": ""}
    return Once("log-form", defaults=defaults, shared=True)


def meeting_form(duo: LinkedDuo, once: Once) -> tuple[str, MeetingEntry] | None:
    """The form; this render's token and the meeting when it was sent (None until then)."""
    today = ui.today()
    st.subheader(ui.tr("meeting_log.new_meeting"))
    with st.form("log-form", clear_on_submit=False, enter_to_submit=False):
        token = once.field()
        left, middle, right = st.columns(3)
        day = left.date_input(
            ui.tr("meeting_log.field_date"),
            value=today,
            min_value=duo.earliest_day(today),
            max_value=today,
            format="DD/MM/YYYY",
            key="log-date",
        )
        SPOTS["Date"] = left.empty()
        hours = middle.number_input(
            ui.tr("meeting_log.field_hours"),
            min_value=MIN_HOURS,
            max_value=MAX_HOURS,
            value=DEFAULT_HOURS,
            step=0.5,
            format="%.1f",
            key="log-hours",
        )
        SPOTS["Hours"] = middle.empty()
        mode = right.selectbox(
            ui.tr("meeting_log.field_mode"),
            MEETING_MODES,
            index=None,
            format_func=ui.format_choices(MEETING_MODES),
            placeholder="—",
            key="log-mode",
        )
        SPOTS["Mode"] = right.empty()
        topics = st.multiselect(
            ui.tr("meeting_log.field_topics"),
            duo.topics,
            format_func=ui.format_choices(duo.topics),
            placeholder="—",
            key="log-topics",
        )
        SPOTS["Topics"] = st.empty()
        summary = st.text_area(
            ui.tr("meeting_log.field_summary"),
            help=ui.tr("meeting_log.summary_help"),
            key="log-summary",
        )
        SPOTS["Summary"] = st.empty()
        sent = st.form_submit_button(ui.tr("meeting_log.save"), type="primary", key="log-save")
    if not sent:
        return None
    return token, MeetingEntry(
        on=day,
        hours=None if hours is None else float(hours),
        mode=mode or "",
        topics=tuple(topics),
        summary=summary,
    )


def same_meeting(link: str, entry: MeetingEntry) -> tuple[str, object, object]:
    """What makes two meetings logged through one link look like the same one."""
    return link, entry.on, entry.hours


def save(
    once: Once,
    duo: LinkedDuo,
    token: str,
    link: str,
    secret: str,
    entry: MeetingEntry,
    *,
    asked: bool = False,
) -> None:
    """Log the meeting once for this render of the form; first ask about a likely repeat."""
    recent = once.entry_seen_within(same_meeting(link, entry), SAME_MEETING_SECONDS)
    if recent and not asked and once.remembered(token) is None and valid(duo, entry):
        st.session_state[SAME_MEETING] = (token, entry)
        st.rerun()
    once.submit(token, lambda: write(once, token, link, secret, entry))


def valid(duo: LinkedDuo, entry: MeetingEntry) -> bool:
    """Whether the meeting can be logged as it is (else say why, under each field)."""
    problems = meeting_problems(entry, duo, ui.today())
    show_problems([p.msg for p in problems], [p.field for p in problems])
    return not problems


def show_problems(problems: Sequence[Msg], fields: Sequence[str]) -> None:
    """Each reason right under its field (on a phone, next to what to correct), any other
    under the form."""
    for problem, field in zip(problems, fields, strict=True):
        spot = SPOTS.get(field)
        target = spot if spot is not None else st
        target.error(ui.md_text(problem), icon=":material/error:")


def write(once: Once, token: str, link: str, secret: str, entry: MeetingEntry) -> Outcome | None:
    try:
        outcome = meeting_links.log_meeting(
            ui.store(), link, secret, entry, ui.today(), record_id=once.record_id(token, "M")
        )
    except InvalidLink:
        PAGE.refuse()
    except InputRefused as refused:
        show_problems(refused.problems, refused.fields)
        return None
    except StoreError:
        PAGE.unavailable()
    once.remember_entry(same_meeting(link, entry))
    return outcome


def ask_about_same_meeting(once: Once, duo: LinkedDuo, link: str, secret: str) -> None:
    """A meeting like one just logged: log another one, or leave it."""
    pending = st.session_state.get(SAME_MEETING)
    if not isinstance(pending, tuple):
        return
    token, entry = pending
    hours = "" if entry.hours is None else float(entry.hours)
    with st.container(border=True):
        st.warning(ui.tr("meeting_log.already_logged", date=entry.on, hours=hours))
        again, leave = st.columns(2)
        if again.button(ui.tr("meeting_log.log_another"), key="log-same-again", type="primary"):
            st.session_state.pop(SAME_MEETING, None)
            save(once, duo, token, link, secret, entry, asked=True)
        if leave.button(ui.tr("meeting_log.not_again"), key="log-same-leave"):
            st.session_state.pop(SAME_MEETING, None)
            once.restart()
            st.rerun()


def confirmation(once: Once) -> None:
    """The meeting just logged, under the form; scrolled into view once (the form was long
    on a phone: the message could land below the window)."""
    result = once.result()
    if result is None:
        return
    with st.container(key=DONE_KEY):
        once.show()
    logged = tuple(getattr(result, "ids", ()))
    if st.session_state.get(DONE_SHOWN) != logged:
        st.session_state[DONE_SHOWN] = logged
        scroll_to(DONE_KEY)


def main() -> None:
    page_language_switch(keep=("log-mode", "log-topics"))
    link, secret, duo = PAGE.start(meeting_links.resolve, admin_hint="meeting_log.disabled_admin")
    PAGE.hello(duo.mentor_first_name, duo.mentee_first_name)
    st.caption(ui.tr("meeting_log.intro"))
    recent_table(duo)
    once = form_once()
    sent = meeting_form(duo, once)
    if sent is not None:
        token, entry = sent
        save(once, duo, token, link, secret, entry)
    confirmation(once)
    ask_about_same_meeting(once, duo, link, secret)


main()
