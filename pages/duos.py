"""Duos: the list by status, one duo's page, and the actions of steps 5 to 8.

Without `?id=` the page lists the duos in view; with `?id=D-...` it shows that duo: who,
where, how the match was made, its timeline, and the forms of the steps its status allows.
A form is sent with the duo as the user saw it, so that a Status someone changed in the
sheet meanwhile comes back as a conflict instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from access import User
from i18n import Msg
from meetings import MAX_HOURS, MEETING_MODES, MIN_HOURS, MeetingEntry
from services.bulk import bulk_duo_actions, move_duos
from services.duos import (
    ANOTHER_MENTEE_VALUES,
    CHECK_IN_WITH,
    CONTRACTS,
    GAINS,
    HEALTHS,
    OBJECTIVES_MET_VALUES,
    OUTCOMES,
    OVERVIEW_COLUMNS,
    RESPONDENTS,
    SATISFACTION_SCALE,
    CheckInEntry,
    EvaluationEntry,
    Event,
    can_log_meetings,
    cancel_entry,
    change_duo,
    check_in_checks,
    combined_reason,
    correct_check_in,
    correct_evaluation,
    correct_meeting,
    date_or_today,
    duo_entries,
    duo_overview,
    earlier_evaluations,
    entry_tab,
    evaluation_checks,
    evaluation_notice_days,
    evaluation_open,
    evaluation_opens_later,
    filter_overview,
    is_cancelled,
    log_check_in,
    log_evaluation,
    log_meeting,
    meeting_entry_checks,
    outcome_is_due,
    shown_kind,
    status_counts,
    step_problems,
    timeline,
)
from services.printouts import agreement_pdf, agreement_printable, person_language
from services.self_evaluations import missing_respondents, prefill
from services.snapshot import Snapshot
from services.unit import Outcome
from sheets.store import Store
from ui import context as ui
from ui.bulk import confirm_box, confirm_first, show_bulk_outcome, ticked_rows, ticked_summary
from ui.evaluation_link import evaluation_links, what_came_in
from ui.feedback import attempt, flash
from ui.meeting_link import meeting_links
from ui.navigation import allowed_specs
from ui.once import Once
from ui.outbox import intro_invitation
from ui.shell import require_shell
from ui.tables import downloads, selected_rows
from validation import Problem
from workflow import (
    ACTIVE,
    ALUMNI,
    DECLINED_BY,
    DUO_ACTION_LABELS,
    DUO_STATUSES,
    INTRO_PLANNED,
    PROPOSED,
    READY,
    Complete,
    Decline,
    DuoAction,
    DuoStep,
    EndEarly,
    PlanIntro,
    RecordAgreement,
    allowed_duo_actions,
    by_id,
    cell_date,
    cell_number,
    cell_text,
    duo_office,
    early_completion,
    person_name,
    records,
)

require_shell()

EntryT = TypeVar("EntryT")  # a correction form's entry: a meeting, a check-in or an evaluation

DATE_FORMAT = "DD/MM/YYYY"
GENERATION = "duos-forms"  # part of every form key: raised after a save to empty the forms
SHOWN = "duos-shown"  # the duo's row as the last run showed it: what a form is compared with
LIST_KEY = "duos-list"
BULK = Once("duos-bulk", render=show_bulk_outcome)
DEFAULT_STATUSES = (PROPOSED, INTRO_PLANNED, ACTIVE)
END_EARLY_TO = (READY, ALUMNI)  # where mentor and mentee go when their duo ends early
FORMS = (
    "plan-intro",
    "agreement",
    "decline",
    "meeting",
    "check-in",
    "evaluation",
    "complete",
    "complete-early",
    "end-early",
)
STATUS_COLORS: dict[str, Any] = {
    PROPOSED: "blue",
    INTRO_PLANNED: "violet",
    ACTIVE: "green",
    "Completed": "gray",
    "Ended early": "orange",
    "Declined": "red",
}
PARTICIPANTS_PAGE = "pages/participants.py"
People = Mapping[str, Mapping[str, Any]]


# -- small helpers -------------------------------------------------------------------------


def md(text: object) -> str:
    """Text from the sheet, shown as itself inside Markdown (bare links broken too)."""
    return ui.plain(text)


def form_key(duo_id: str, form: str, field: str = "") -> str:
    generation = st.session_state.get(GENERATION, 0)
    return f"duo-{duo_id}-{generation}-{form}" + (f"-{field}" if field else "")


def submit_key(duo_id: str, form: str) -> str:
    return form_key(duo_id, form, "submit")


def picked_date(value: object) -> date | None:
    return value if isinstance(value, date) else None


SPOTS: dict[str, dict[str, DeltaGenerator]] = {}
"""Per form of this run, the place under each field where its reason shows."""


def spot(form: str, column: str, where: Any = st) -> None:
    """Right under a field of `form` (a `form_key`): where its reason shows when refused."""
    SPOTS.setdefault(form, {})[column] = where.empty()


def refused(problems: Sequence[Msg | Problem], form: str = "") -> bool:
    """Show why the input cannot be saved, a field's reason right under it; True when there
    is any reason."""
    spots = SPOTS.get(form, {})
    for problem in problems:
        if isinstance(problem, Problem):
            place = spots.get(problem.field)
            target = place if place is not None else st
            target.error(ui.md_text(problem.msg), icon=":material/error:")
        else:
            st.error(ui.md_text(problem))
    return bool(problems)


def guard(duo_id: str, form: str) -> Once:
    """A form's exactly-once guard (its token outlives the form's keys of one generation)."""
    return Once(f"duo-{duo_id}-{form}")


def save(action: Callable[[], Outcome], once: Once, token: str, *, moves: bool = False) -> None:
    """Write once per render; once saved, the forms come back empty (new keys).

    A status move says so at the top of the page (its form makes way for the next step's);
    the other forms say so under their button.
    """

    def saved() -> Outcome | None:
        outcome = attempt(action)
        if outcome is not None and outcome.ok:
            st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
            if moves:
                flash(outcome.message)
        return outcome

    once.submit(token, saved)


def list_values(data: Snapshot, column: str) -> list[str]:
    """The values staff keep in a column of the Lists tab."""
    frame = data["Lists"]
    if column not in frame.columns:
        return []
    return list(dict.fromkeys(str(value).strip() for value in frame[column] if str(value).strip()))


def date_input(label: str, value: date, key: str) -> date | None:
    return picked_date(st.date_input(label, value=value, format=DATE_FORMAT, key=key))


# -- the list ------------------------------------------------------------------------------


def overview_titles() -> dict[str, str]:
    return {
        "Mentor": ui.tr("duos.mentor"),
        "Mentee": ui.tr("duos.mentee"),
        "Last check-in": ui.tr("duos.last_check_in"),
        "Days since last meeting": ui.tr("duos.days_since_meeting"),
    }


def show_list(data: Snapshot, user: User) -> None:
    overview = data.memo("duo_overview", lambda: duo_overview(data, ui.today()), ui.today())
    counts = status_counts(overview)
    label = ui.format_choices(DUO_STATUSES, lambda status: f"{ui.label(status)} ({counts[status]})")
    statuses = st.pills(
        ui.tr("duos.status_filter"),
        DUO_STATUSES,
        selection_mode="multi",
        default=list(DEFAULT_STATUSES),
        format_func=label,
        key="duos-statuses",
    )
    search = st.columns(2)[0].text_input(ui.tr("duos.search"), key="duos-search")
    shown = filter_overview(overview, statuses or [], search)
    bulk = st.toggle(ui.tr("bulk.tick_duos"), key="duos-bulk")
    if bulk:
        BULK.show()  # the last bulk action's result, even when it emptied the list
    if shown.empty:
        st.info(ui.tr("duos.none_found"))
        return
    st.caption(ui.tr("duos.list_hint", count=len(shown)))
    frame = translated(shown.loc[:, list(OVERVIEW_COLUMNS)], ("Status", "Health"))
    frame = frame.rename(columns=overview_titles())
    if bulk:
        bulk_panel(data, user, shown, frame)
        downloads(frame, "duos")
        return
    rows = selected_rows(frame, LIST_KEY, "single-row")
    if rows:
        open_duo(str(shown.iloc[rows[0]]["ID"]))
    downloads(frame, "duos")


def bulk_panel(data: Snapshot, user: User, shown: pd.DataFrame, frame: pd.DataFrame) -> None:
    """The list with a tick per row; one ending for every ticked duo."""
    st.caption(ui.tr("bulk.tick_help"))
    ids = [str(duo_id) for duo_id in shown["ID"]]
    ticked = ticked_rows(frame, ids, "duos-ticks")
    names = dict(zip(ids, shown["Duo"], strict=True))
    ticked_summary([names[duo_id] for duo_id in ticked])
    if not ticked:
        return
    actions = bulk_duo_actions([duo for duo in map(data.duo, ticked) if duo is not None])
    action = ui.step_choice(
        actions,
        DUO_ACTION_LABELS,
        ui.tr("bulk.duo_step"),
        ui.tr("bulk.no_duo_step"),
        key="duos-bulk-step",
    )
    if action is None:
        return
    form = f"bulk-{action.value}"
    with st.form(form_key("bulk", form), clear_on_submit=False):
        token = BULK.field()
        step = bulk_step_inputs(data, action, form)
        sure = confirm_box(form_key("bulk", form, "confirm"), len(ticked))
        sent = st.form_submit_button(
            ui.text(DUO_ACTION_LABELS[action]), type="primary", key=submit_key("bulk", form)
        )
    if not sent or step is None:
        return
    if not sure:
        confirm_first()
        return
    if refused(step_problems(step, ui.today())):
        return
    save(lambda: move_duos(ui.store(), user, ticked, step, ui.today()), BULK, token)


def bulk_step_inputs(data: Snapshot, action: DuoAction, form: str) -> DuoStep | None:
    """The inputs of an ending for several duos (one date for all), as the duo's own form."""
    label = "duos.date" if action is DuoAction.DECLINE else "duos.end_date"
    on = date_input(ui.tr(label), ui.today(), form_key("bulk", form, "date"))
    if action is DuoAction.DECLINE:
        by = declined_by_input("bulk", form)
        reason = reason_inputs(data, "bulk", form)
        return None if on is None else Decline(on, by, reason)
    if action is DuoAction.COMPLETE:
        again = st.checkbox(ui.tr("duos.mentor_wants_another"), key=form_key("bulk", form, "again"))
        st.caption(ui.tr("bulk.complete_early_help"))
        early = reason_inputs(data, "bulk", form)
        return None if on is None else Complete(on, bool(again), bool(early), early)
    reason = reason_inputs(data, "bulk", form)
    mentor_to, mentee_to = end_early_to_inputs("bulk", form)
    return None if on is None else EndEarly(on, reason, mentor_to, mentee_to)


def declined_by_input(duo_id: str, form: str) -> str:
    """Who declined the duo (a duo's own form, or the bulk form)."""
    return first_picked(st, ui.tr("duos.declined_by"), DECLINED_BY, form_key(duo_id, form, "by"))


def end_early_to_inputs(duo_id: str, form: str) -> tuple[str, str]:
    """Where the mentor and the mentee go after an early end, side by side."""
    left, right = st.columns(2)
    mentor_to = first_picked(
        left, ui.tr("duos.mentor_to"), END_EARLY_TO, form_key(duo_id, form, "mentor-to")
    )
    mentee_to = first_picked(
        right, ui.tr("duos.mentee_to"), END_EARLY_TO, form_key(duo_id, form, "mentee-to")
    )
    return mentor_to, mentee_to


def first_picked(where: Any, label: str, options: Sequence[str], key: str) -> str:
    """A row of choices, the first one picked until another is."""
    picked = where.radio(
        label, options, format_func=ui.format_choices(options), horizontal=True, key=key
    )
    return str(picked)


def translated(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Stored values in the user's language, looked up once per distinct value."""
    shown = frame.copy()
    for column in columns:
        shown[column] = shown[column].map(
            {value: ui.label(value) for value in shown[column].unique()}
        )
    return shown


def open_duo(duo_id: str) -> None:
    st.session_state.pop(LIST_KEY, None)
    st.query_params["id"] = duo_id
    st.rerun()


def back_to_list() -> None:
    st.session_state.pop(SHOWN, None)
    del st.query_params["id"]
    st.rerun()


# -- one duo -------------------------------------------------------------------------------


def submitting(duo_id: str) -> bool:
    return any(st.session_state.get(submit_key(duo_id, form)) for form in FORMS)


def duo_as_seen(data: Snapshot, duo_id: str) -> dict[str, Any] | None:
    """The duo as the user saw it: on the run that sends a form, the row of the run before."""
    fresh = data.duo(duo_id)
    if fresh is None:
        return None
    shown = st.session_state.get(SHOWN)
    if submitting(duo_id) and isinstance(shown, dict) and shown.get("ID") == duo_id:
        return shown
    st.session_state[SHOWN] = fresh
    return fresh


def show_duo(data: Snapshot, duo_id: str, user: User) -> None:
    if st.button(ui.tr("duos.back"), icon=":material/arrow_back:", key="duos-back"):
        back_to_list()
    duo = duo_as_seen(data, duo_id)
    if duo is None:
        st.error(ui.md_tr("duos.not_found", id=duo_id))
        return
    people = by_id(records(data.participants))
    show_header(duo, people, user)
    meeting_links(duo, user)
    agreement_button(duo, people)
    intro_invitation(duo, user)
    st.subheader(ui.tr("duos.actions"))
    show_actions(data, duo, user)
    st.subheader(ui.tr("duos.timeline"))
    show_timeline(data, duo)
    st.subheader(ui.tr("duos.entries"))
    show_entries(data, duo, user)


def person_line(role: str, person_id: str, people: People, user: User) -> None:
    person = people.get(person_id)
    name = person_id if person is None else person_name(person)
    linkable = person is not None and any(
        spec.file == "participants.py" for spec in allowed_specs(user)
    )
    if linkable:
        st.page_link(
            PARTICIPANTS_PAGE,
            label=f"{ui.tr(role)}: {md(name)}",
            icon=":material/person:",
            query_params={"id": person_id},
        )
    else:
        st.markdown(f"**{ui.tr(role)}:** {md(name) or '—'}")


def fact(label_key: str, value: object) -> None:
    st.markdown(f"**{ui.tr(label_key)}:** {md(value) if value not in (None, '') else '—'}")


def show_header(duo: Mapping[str, Any], people: People, user: User) -> None:
    status = cell_text(duo, "Status")
    mentor_id, mentee_id = cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")
    names = [person_name(people[pid]) if pid in people else pid for pid in (mentor_id, mentee_id)]
    st.subheader(md(" & ".join(names)))
    st.badge(ui.md_label(status), color=STATUS_COLORS.get(status, "gray"))
    st.caption(md(cell_text(duo, "ID")))
    who, where, when = st.columns(3)
    with who:
        person_line("duos.mentor", mentor_id, people, user)
        person_line("duos.mentee", mentee_id, people, user)
        fact("duos.coordinator", cell_text(duo, "Coordinator"))
    with where:
        fact("duos.office", ui.label(duo_office(duo, people)))
        score = cell_number(duo, "Match score")
        fact("duos.score", ui.fmt_number(score))
        fact("duos.reasons", cell_text(duo, "Match reasons"))
    with when:
        for column, key in HEADER_DATES:
            day = cell_date(duo, column)
            if day is not None:
                fact(key, ui.fmt_date(day))
        intro_facts(duo)
        fact_if("duos.end_reason", cell_text(duo, "End reason"))
    fact_if("duos.objectives", cell_text(duo, "Objectives"))


def intro_facts(duo: Mapping[str, Any]) -> None:
    """The intro meeting's time and place, when the row has them."""
    fact_if("duos.intro_time", cell_text(duo, "Intro time"))
    fact_if("duos.intro_place", cell_text(duo, "Intro place"))


def agreement_button(duo: Mapping[str, Any], people: People) -> None:
    """The mentoring agreement as a PDF in the mentee's language, built when clicked."""
    if not agreement_printable(duo):
        return
    mentor = people.get(cell_text(duo, "Mentor ID"), {"ID": cell_text(duo, "Mentor ID")})
    mentee = people.get(cell_text(duo, "Mentee ID"), {"ID": cell_text(duo, "Mentee ID")})
    lang = person_language(mentee, ui.lang())
    st.download_button(
        ui.tr("duos.agreement_pdf", language=ui.tr(f"duos.language_{lang}")),
        lambda: agreement_pdf(duo, mentor, mentee, lang),
        file_name=f"agreement-{cell_text(duo, 'ID')}.pdf",
        mime="application/pdf",
        icon=":material/contract:",
        key=f"agreement-pdf-{cell_text(duo, 'ID')}",
    )


HEADER_DATES = (
    ("Proposed on", "duos.proposed_on"),
    ("Intro on", "duos.intro_on"),
    ("Agreement on", "duos.agreement_on"),
    ("Planned end", "duos.planned_end"),
    ("Ended on", "duos.ended_on"),
)


def fact_if(label_key: str, value: str) -> None:
    if value:
        fact(label_key, value)


# -- timeline ------------------------------------------------------------------------------


def event_details(event: Event) -> str:
    """The facts of a timeline line, as Markdown (text from the sheet shown as itself)."""
    row = event.row
    text, value = partial_text(row), partial_label(row)
    match event.kind:
        case "proposed":
            score = cell_number(row, "Match score")
            parts = [text("Coordinator")]
            parts.append("" if score is None else ui.tr("duos.score_of", score=score))
        case "agreement":
            parts = [text("Objectives")]
        case "meeting":
            hours = cell_number(row, "Hours")
            parts = [
                "" if hours is None else ui.tr("duos.hours_of", hours=hours),
                value("Mode"),
                md(", ".join(row.get("Topics") or [])),
                text("Summary"),
                ui.tr("duos.logged_by", who=text("Logged by")) if text("Logged by") else "",
            ]
        case "check_in":
            follow_up = text("Follow-up")
            parts = [
                value("With"),
                health_badge(cell_text(row, "Health")),
                text("Notes"),
                ui.tr("duos.follow_up_of", text=follow_up) if follow_up else "",
                text("Coordinator"),
            ]
        case "evaluation":
            satisfaction = cell_number(row, "Satisfaction")
            parts = [
                value("Respondent"),
                ui.tr("duos.objectives_met_of", value=value("Objectives met")),
                value("Outcome"),
                value("Contract"),
                "" if satisfaction is None else f"{ui.fmt_number(satisfaction)}/5",
                text("Comments"),
            ]
        case "ended_early" | "declined":
            parts = [text("End reason")]
        case _:
            parts = []
    return " · ".join(part for part in parts if part)


def partial_text(row: Mapping[str, Any]) -> Callable[[str], str]:
    """Reads a text cell of `row`, escaped for Markdown."""
    return lambda column: md(cell_text(row, column))


def partial_label(row: Mapping[str, Any]) -> Callable[[str], str]:
    """Reads a choice cell of `row`, in the user's language, escaped for Markdown."""
    return lambda column: ui.md_label(cell_text(row, column))


def show_timeline(data: Snapshot, duo: Mapping[str, Any]) -> None:
    events = timeline(data, duo)
    if not events:
        st.info(ui.tr("duos.no_events"))
        return
    with st.container(border=True):
        for event in events:
            icon = EVENT_ICONS.get(event.kind, ":material/event:")
            details = event_details(event)
            line = f"{icon} **{ui.fmt_date(event.on)}** · {md(event_label(event))}"
            line = f"{line} — {details}" if details else line
            if event.kind in ENTRY_EVENTS and is_cancelled(event.row):
                line = f"~~{line}~~ · *{ui.tr('duos.cancelled_mark')}*"
            st.markdown(line)


EVENT_ICONS = {
    "proposed": ":material/join_inner:",
    "intro": ":material/groups:",
    "agreement": ":material/contract_edit:",
    "meeting": ":material/forum:",
    "check_in": ":material/support_agent:",
    "evaluation": ":material/grading:",
    "completed": ":material/flag:",
    "ended_early": ":material/block:",
    "declined": ":material/cancel:",
}
HEALTH_COLORS = {"Good": "green", "Some concerns": "orange", "At risk": "red"}


def event_label(event: Event) -> str:
    return ui.tr(f"duos.event_{shown_kind(event, ui.today())}")


def health_badge(health: str) -> str:
    color = HEALTH_COLORS.get(health)
    shown = ui.md_label(health)
    return f":{color}[{shown}]" if color and shown else shown


# -- actions -------------------------------------------------------------------------------

Form = Callable[[Snapshot, dict[str, Any], User], None]


def show_actions(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    notice_days = evaluation_notice_days(data["Settings"])
    forms = action_forms(duo, notice_days)
    if not forms:
        st.info(ui.md_tr("duos.no_actions", status=ui.md_label(cell_text(duo, "Status"))))
    else:
        titles = [title for title, _ in forms]
        due = outcome_is_due(duo, ui.today())
        tabs = st.tabs(titles, default=titles[1] if due else None)
        for tab, (_, form) in zip(tabs, forms, strict=True):
            with tab:
                form(data, duo, user)
    opens = evaluation_opens_later(duo, ui.today(), notice_days)
    if opens is not None:
        st.caption(ui.tr("duos.evaluation_opens", date=opens, days=notice_days))


def action_forms(duo: Mapping[str, Any], notice_days: int) -> list[tuple[str, Form]]:
    """The forms this duo's status allows, in the order of the programme's steps."""
    allowed = allowed_duo_actions(duo)
    forms: list[tuple[str, Form]] = [
        (ui.text(DUO_ACTION_LABELS[action]), form)
        for action, form in STEP_FORMS
        if action in allowed and action not in ENDINGS
    ]
    if can_log_meetings(duo):
        forms.append((ui.tr("duos.tab_meeting"), meeting_form))
        forms.append((ui.tr("duos.tab_check_in"), check_in_form))
    if evaluation_open(duo, ui.today(), notice_days):
        forms.append((ui.tr("duos.tab_evaluation"), evaluation_form))
    forms += [
        (ui.text(DUO_ACTION_LABELS[action]), form)
        for action, form in STEP_FORMS
        if action in allowed and action in ENDINGS
    ]
    return forms


def move(duo: Mapping[str, Any], user: User, step: DuoStep, once: Once, token: str) -> None:
    """Send a status move, with the duo as the user saw it."""
    if refused(step_problems(step, ui.today())):
        return
    duo_id = cell_text(duo, "ID")
    save(
        lambda: change_duo(ui.store(), user, duo_id, step, ui.today(), seen=duo),
        once,
        token,
        moves=True,
    )


def plan_intro_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    once = guard(duo_id, "plan-intro")
    with st.form(form_key(duo_id, "plan-intro"), clear_on_submit=False):
        token = once.field()
        st.caption(ui.tr("duos.plan_intro_help"))
        on = date_input(
            ui.tr("duos.intro_date"),
            cell_date(duo, "Intro on") or ui.today(),
            form_key(duo_id, "plan-intro", "date"),
        )
        time, place = intro_inputs(duo)
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "plan-intro"))
    if sent and on is not None:
        move(duo, user, PlanIntro(on, time, place), once, token)


def intro_inputs(duo: Mapping[str, Any]) -> tuple[str, str]:
    """Inside the plan-intro form: the intro's time and place (prefilled from the row)."""
    duo_id = cell_text(duo, "ID")
    left, right = st.columns([1, 3])
    time = left.text_input(
        ui.tr("duos.intro_time"),
        value=cell_text(duo, "Intro time"),
        placeholder="18:00",
        help=ui.tr("sessions.time_help"),
        key=form_key(duo_id, "plan-intro", "time"),
    )
    place = right.text_input(
        ui.tr("duos.intro_place"),
        value=cell_text(duo, "Intro place"),
        help=ui.tr("duos.intro_place_help"),
        key=form_key(duo_id, "plan-intro", "place"),
    )
    return time, place


def agreement_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    once = guard(duo_id, "agreement")
    with st.form(form_key(duo_id, "agreement"), clear_on_submit=False):
        token = once.field()
        st.caption(ui.tr("duos.agreement_help"))
        on = date_input(
            ui.tr("duos.agreement_date"),
            date_or_today(duo, "Intro on", ui.today()),
            form_key(duo_id, "agreement", "date"),
        )
        objectives = st.text_area(
            ui.tr("duos.objectives"),
            value=cell_text(duo, "Objectives"),
            key=form_key(duo_id, "agreement", "objectives"),
        )
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "agreement"))
    if sent and on is not None:
        move(duo, user, RecordAgreement(on, objectives), once, token)


def reason_inputs(data: Snapshot, duo_id: str, form: str) -> str:
    """A reason from the Lists tab's End reasons, or in the coordinator's words, or both."""
    listed = st.selectbox(
        ui.tr("duos.reason_listed"),
        list_values(data, "End reasons"),
        index=None,
        placeholder=ui.tr("duos.reason_placeholder"),
        key=form_key(duo_id, form, "reason"),
    )
    own = st.text_input(ui.tr("duos.reason_own"), key=form_key(duo_id, form, "reason-own"))
    return combined_reason(listed, own)


def decline_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    once = guard(duo_id, "decline")
    with st.form(form_key(duo_id, "decline"), clear_on_submit=False):
        token = once.field()
        st.caption(ui.tr("duos.decline_help"))
        on = date_input(ui.tr("duos.date"), ui.today(), form_key(duo_id, "decline", "date"))
        by = declined_by_input(duo_id, "decline")
        reason = reason_inputs(data, duo_id, "decline")
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "decline"))
    if sent and on is not None:
        move(duo, user, Decline(on, by, reason), once, token)


def complete_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    default = date_or_today(duo, "Planned end", ui.today())
    once = guard(duo_id, "complete")
    with st.form(form_key(duo_id, "complete"), clear_on_submit=False):
        token = once.field()
        st.caption(ui.tr("duos.complete_help"))
        on = date_input(ui.tr("duos.end_date"), default, form_key(duo_id, "complete", "date"))
        again = st.checkbox(
            ui.tr("duos.mentor_wants_another"), key=form_key(duo_id, "complete", "again")
        )
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "complete"))
    pending_key = form_key(duo_id, "complete-pending")
    if sent and on is not None:
        step = Complete(on, bool(again))
        if early_completion(duo, on) is None:
            move(duo, user, step, once, token)
        elif not refused(step_problems(step, ui.today())):
            st.session_state[pending_key] = (step, token)
    pending = st.session_state.get(pending_key)
    if isinstance(pending, tuple):
        confirm_early_completion(data, duo, user, pending, pending_key)


def confirm_early_completion(
    data: Snapshot,
    duo: dict[str, Any],
    user: User,
    sent: tuple[Complete, str],
    pending_key: str,
) -> None:
    """Completing before the planned end: said, confirmed, and with a reason (End reason)."""
    step, token = sent
    warning = early_completion(duo, step.on)
    if warning is None:
        st.session_state.pop(pending_key, None)
        return
    duo_id = cell_text(duo, "ID")
    st.warning(ui.md_text(warning))
    with st.form(form_key(duo_id, "complete-early"), clear_on_submit=False):
        reason = reason_inputs(data, duo_id, "complete-early")
        sure = st.form_submit_button(
            ui.tr("duos.complete_early_confirm"), key=submit_key(duo_id, "complete-early")
        )
    if st.button(ui.tr("duos.complete_early_back"), key=f"{pending_key}-back"):
        st.session_state.pop(pending_key, None)
        st.rerun()
    if sure:
        confirmed = replace(step, confirmed=True, reason=reason)
        move(duo, user, confirmed, guard(duo_id, "complete"), token)


def end_early_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    once = guard(duo_id, "end-early")
    with st.form(form_key(duo_id, "end-early"), clear_on_submit=False):
        token = once.field()
        st.caption(ui.tr("duos.end_early_help"))
        on = date_input(ui.tr("duos.end_date"), ui.today(), form_key(duo_id, "end-early", "date"))
        reason = reason_inputs(data, duo_id, "end-early")
        mentor_to, mentee_to = end_early_to_inputs(duo_id, "end-early")
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "end-early"))
    if sent and on is not None:
        step = EndEarly(on, reason, mentor_to, mentee_to)
        move(duo, user, step, once, token)


def meeting_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    once = guard(duo_id, "meeting")
    with st.form(form_key(duo_id, "meeting"), clear_on_submit=False):
        token = once.field()
        form = form_key(duo_id, "meeting")
        left, middle, right = st.columns(3)
        with left:
            on = date_input(ui.tr("duos.date"), ui.today(), form_key(duo_id, "meeting", "date"))
            spot(form, "Date")
        hours = middle.number_input(
            ui.tr("duos.hours", low=MIN_HOURS, high=MAX_HOURS),
            min_value=0.0,
            max_value=24.0,
            value=2.0,
            step=0.5,
            format="%.1f",
            key=form_key(duo_id, "meeting", "hours"),
        )
        spot(form, "Hours", middle)
        mode = right.radio(
            ui.tr("duos.mode"),
            MEETING_MODES,
            format_func=ui.format_choices(MEETING_MODES),
            horizontal=True,
            key=form_key(duo_id, "meeting", "mode"),
        )
        spot(form, "Mode", right)
        topics = st.multiselect(
            ui.tr("duos.topics"),
            list_values(data, "Topics"),
            placeholder=ui.tr("duos.choose"),
            key=form_key(duo_id, "meeting", "topics"),
        )
        spot(form, "Topics")
        summary = st.text_area(ui.tr("duos.summary"), key=form_key(duo_id, "meeting", "summary"))
        spot(form, "Summary")
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "meeting"))
    once.show()
    if not sent or on is None:
        return
    entry = MeetingEntry(on, float(hours), str(mode), tuple(topics), summary)
    if not refused(meeting_entry_checks(duo, data["Lists"], entry, ui.today()), form):
        made = once.record_id(token, "M")
        save(
            lambda: log_meeting(ui.store(), user, duo_id, entry, ui.today(), record_id=made),
            once,
            token,
        )


def check_in_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    once = guard(duo_id, "check-in")
    with st.form(form_key(duo_id, "check-in"), clear_on_submit=False):
        token = once.field()
        form = form_key(duo_id, "check-in")
        left, middle, right = st.columns(3)
        with left:
            on = date_input(ui.tr("duos.date"), ui.today(), form_key(duo_id, "check-in", "date"))
            spot(form, "Date")
        with_whom = middle.radio(
            ui.tr("duos.with"),
            CHECK_IN_WITH,
            index=len(CHECK_IN_WITH) - 1,
            format_func=ui.format_choices(CHECK_IN_WITH),
            horizontal=True,
            key=form_key(duo_id, "check-in", "with"),
        )
        spot(form, "With", middle)
        health = right.radio(
            ui.tr("duos.health"),
            HEALTHS,
            index=None,
            format_func=ui.format_choices(HEALTHS),
            horizontal=True,
            key=form_key(duo_id, "check-in", "health"),
        )
        spot(form, "Health", right)
        notes = st.text_area(ui.tr("duos.notes"), key=form_key(duo_id, "check-in", "notes"))
        spot(form, "Notes")
        follow_up = st.text_input(
            ui.tr("duos.follow_up"), key=form_key(duo_id, "check-in", "follow-up")
        )
        spot(form, "Follow-up")
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "check-in"))
    once.show()
    if not sent or on is None:
        return
    entry = CheckInEntry(on, str(with_whom), str(health or ""), notes, follow_up)
    if not refused(check_in_checks(entry, ui.today()), form):
        made = once.record_id(token, "C")
        save(
            lambda: log_check_in(ui.store(), user, duo_id, entry, ui.today(), record_id=made),
            once,
            token,
        )


def evaluation_form(data: Snapshot, duo: dict[str, Any], user: User) -> None:
    duo_id = cell_text(duo, "ID")
    evaluations = data["Evaluations"]
    answered = [
        f"{ui.label(cell_text(row, 'Respondent'))} ({ui.fmt_date(cell_date(row, 'Date'))})"
        for row in records(evaluations[evaluations["Duo ID"] == duo_id])
        if not is_cancelled(row)
    ]
    st.caption(
        ui.md_tr("duos.answered", who=", ".join(answered))
        if answered
        else ui.tr("duos.none_answered")
    )
    what_came_in(evaluations, duo_id)
    evaluation_links(duo, user)
    start = prefill(evaluations, duo_id)
    if start:
        st.caption(ui.tr("self_evaluation.prefilled"))
    missing = missing_respondents(evaluations, duo_id)
    once = guard(duo_id, "evaluation")
    with st.form(form_key(duo_id, "evaluation"), clear_on_submit=False):
        token = once.field()
        entry = evaluation_inputs(
            duo_id, start=start, respondent_first=missing[0] if missing else None
        )
        sent = st.form_submit_button(ui.tr("duos.save"), key=submit_key(duo_id, "evaluation"))
    once.show()
    pending_key = form_key(duo_id, "evaluation-pending")
    checks = [] if entry is None else evaluation_checks(entry, ui.today())
    if sent and entry is not None and not refused(checks, form_key(duo_id, "evaluation")):
        if earlier_evaluations(data["Evaluations"], duo_id, entry.respondent):
            st.session_state[pending_key] = (entry, token)
        else:
            save(second_or_first(user, duo_id, entry, token, second=False), once, token)
    pending = st.session_state.get(pending_key)
    if isinstance(pending, tuple):
        confirm_second_evaluation(data, user, duo_id, pending, pending_key)


def evaluation_inputs(
    duo_id: str,
    form: str = "evaluation",
    seen: Mapping[str, Any] | None = None,
    start: Mapping[str, str] | None = None,
    respondent_first: str | None = None,
) -> EvaluationEntry | None:
    """The evaluation's fields: empty to record one, or filled with `seen` to correct it;
    `start`: answers that came in (the choices picked at first), `respondent_first`: the
    respondent picked at first (the first one still missing)."""
    start = start or {}

    def key(field: str) -> str:
        return form_key(duo_id, form, field)

    def current(column: str) -> str:
        return start.get(column, "") if seen is None else cell_text(seen, column)

    area = form_key(duo_id, form)
    left, right = st.columns(2)
    respondent = choice_radio(
        left,
        ui.tr("duos.respondent"),
        RESPONDENTS,
        current("Respondent") or respondent_first or "",
        key("respondent"),
    )
    spot(area, "Respondent", left)
    with right:
        day = None if seen is None else cell_date(seen, "Date")
        on = date_input(ui.tr("duos.date"), day or ui.today(), key("date"))
        spot(area, "Date")
    objectives_met = choice_radio(
        left,
        ui.tr("duos.objectives_met"),
        OBJECTIVES_MET_VALUES,
        "" if seen is None else current("Objectives met"),
        key("objectives-met"),
    )
    spot(area, "Objectives met", left)
    scale = list(SATISFACTION_SCALE)
    given = None if seen is None else cell_number(seen, "Satisfaction")
    satisfaction = right.radio(
        ui.tr("duos.satisfaction"),
        scale,
        index=scale.index(int(given)) if given in scale else None,
        horizontal=True,
        key=key("satisfaction"),
    )
    spot(area, "Satisfaction", right)
    outcome = left.selectbox(
        ui.tr("duos.outcome"),
        OUTCOMES,
        index=choice_index(OUTCOMES, current("Outcome")),
        format_func=ui.format_choices(OUTCOMES),
        placeholder=ui.tr("duos.choose"),
        key=key("outcome"),
    )
    spot(area, "Outcome", left)
    contract = right.selectbox(
        ui.tr("duos.contract"),
        CONTRACTS,
        index=choice_index(CONTRACTS, current("Contract")),
        format_func=ui.format_choices(CONTRACTS),
        placeholder=ui.tr("duos.choose"),
        help=ui.tr("duos.contract_help"),
        key=key("contract"),
    )
    spot(area, "Contract", right)
    later = later_questions(duo_id, form, {column: current(column) for column in LATER_COLUMNS})
    comments = st.text_area(ui.tr("duos.comments"), current("Comments"), key=key("comments"))
    spot(area, "Comments")
    if on is None:
        return None
    return EvaluationEntry(
        str(respondent or ""),
        on,
        str(objectives_met or ""),
        str(outcome or ""),
        str(contract or ""),
        None if satisfaction is None else int(satisfaction),
        comments,
        **later,
    )


LATER_QUESTIONS = (
    ("autonomy", "Autonomy", "self_evaluation.coordinator_autonomy", GAINS),
    ("career_plan", "Career plan", "self_evaluation.coordinator_career_plan", GAINS),
    ("network", "Network", "self_evaluation.coordinator_network", GAINS),
    (
        "another_mentee",
        "Another mentee",
        "self_evaluation.coordinator_another_mentee",
        ANOTHER_MENTEE_VALUES,
    ),
)
"""The programme's questions asked at the end (entry field, column, label, choices)."""
LATER_COLUMNS = tuple(column for _, column, _, _ in LATER_QUESTIONS)


def later_questions(duo_id: str, form: str, start: Mapping[str, str]) -> dict[str, str]:
    """The gains and another mentee, two by two, each with the answer that came in picked."""
    answers: dict[str, str] = {}
    columns = st.columns(2)
    for index, (field, column, label, values) in enumerate(LATER_QUESTIONS):
        answers[field] = (
            choice_radio(
                columns[index % 2],
                ui.tr(label),
                values,
                start.get(column, ""),
                form_key(duo_id, form, field.replace("_", "-")),
            )
            or ""
        )
    return answers


def second_or_first(
    user: User, duo_id: str, entry: EvaluationEntry, token: str, *, second: bool
) -> Callable[[], Outcome]:
    made = guard(duo_id, "evaluation").record_id(token, "E")
    return lambda: log_evaluation(
        ui.store(), user, duo_id, entry, ui.today(), second=second, record_id=made
    )


def confirm_second_evaluation(
    data: Snapshot,
    user: User,
    duo_id: str,
    sent: tuple[EvaluationEntry, str],
    pending_key: str,
) -> None:
    """One evaluation per respondent: a second one is recorded only when confirmed."""
    pending, token = sent
    earlier = earlier_evaluations(data["Evaluations"], duo_id, pending.respondent)
    dates = [day or "?" for day in earlier]
    st.warning(
        ui.md_tr("duos.second_evaluation", respondent=ui.md_label(pending.respondent), dates=dates)
    )
    confirm, cancel = st.columns(2)
    if confirm.button(ui.tr("duos.second_confirm"), key=f"{pending_key}-confirm"):
        st.session_state.pop(pending_key, None)
        save(
            second_or_first(user, duo_id, pending, token, second=True),
            guard(duo_id, "evaluation"),
            token,
        )
    if cancel.button(ui.tr("duos.second_cancel"), key=f"{pending_key}-cancel"):
        st.session_state.pop(pending_key, None)
        st.rerun()


# -- correcting or cancelling a meeting, check-in or evaluation ----------------------------

ENTRY_EVENTS = frozenset({"meeting", "check_in", "evaluation"})
ENTRIES_SHOWN = "duos-entries-shown"  # each entry's row as the last run showed it
EntryForm = Callable[[Snapshot, Mapping[str, Any], User, Event], None]


def show_entries(data: Snapshot, duo: Mapping[str, Any], user: User) -> None:
    """Each meeting, check-in and evaluation that counts, with its Correct and Cancel."""
    entries = duo_entries(data, cell_text(duo, "ID"))
    if not entries:
        st.caption(ui.tr("duos.no_entries"))
        return
    st.caption(ui.tr("duos.entries_help"))
    for event in entries:
        title = f"{ui.fmt_date(event.on)} · {event_label(event)} · {cell_text(event.row, 'ID')}"
        with st.expander(title):
            details = event_details(event)
            if details:
                st.markdown(details)
            correct, cancel = st.tabs([ui.tr("duos.correct"), ui.tr("duos.cancel_entry")])
            with correct:
                CORRECT_FORMS[event.kind](data, duo, user, event)
            with cancel:
                cancel_form(duo, user, event)


def entry_form(event: Event, action: str) -> str:
    """The form name of an action on one entry (its ID in it)."""
    return f"{action}-{cell_text(event.row, 'ID')}"


def choice_radio(
    where: Any, label: str, options: Sequence[str], current: str, key: str
) -> str | None:
    """A row of choices with the stored value picked (none when it is not among them)."""
    picked = where.radio(
        label,
        options,
        index=choice_index(options, current),
        format_func=ui.format_choices(options),
        horizontal=True,
        key=key,
    )
    return None if picked is None else str(picked)


def entry_form_for(
    duo: Mapping[str, Any], event: Event, action: str
) -> tuple[str, str, str, dict[str, Any], Once]:
    """What a form about one entry needs: the duo's ID, the entry's ID, the form's name, the
    entry as the user saw it, and the form's exactly-once guard."""
    duo_id, form = cell_text(duo, "ID"), entry_form(event, action)
    seen = entry_as_seen(duo_id, form, event.row)
    return duo_id, cell_text(event.row, "ID"), form, seen, guard(duo_id, form)


def entry_as_seen(duo_id: str, form: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The entry as the user saw it: on the run that sends its form, the row of the run before."""
    shown: dict[str, dict[str, Any]] = st.session_state.setdefault(ENTRIES_SHOWN, {})
    if st.session_state.get(submit_key(duo_id, form)) and form in shown:
        return shown[form]
    shown[form] = dict(row)
    return shown[form]


def cancel_form(duo: Mapping[str, Any], user: User, event: Event) -> None:
    """Cancel an entry: a reason and a confirmation; the row stays, marked cancelled."""
    duo_id, row_id, form, _, once = entry_form_for(duo, event, "cancel")
    with st.form(form_key(duo_id, form), clear_on_submit=False):
        token = once.field()
        reason = st.text_input(ui.tr("duos.cancel_reason"), key=form_key(duo_id, form, "reason"))
        sure = st.checkbox(ui.tr("duos.cancel_confirm"), key=form_key(duo_id, form, "confirm"))
        sent = st.form_submit_button(ui.tr("duos.cancel_entry"), key=submit_key(duo_id, form))
    once.show()
    if not sent:
        return
    problems = [] if reason.strip() else [Msg("duos.reason_required")]
    if not refused(problems) and not sure:
        st.warning(ui.tr("duos.cancel_confirm"))
        return
    if not problems:
        tab_name = entry_tab(event)
        save(lambda: cancel_entry(ui.store(), user, tab_name, row_id, reason), once, token)


def correct_meeting_form(data: Snapshot, duo: Mapping[str, Any], user: User, event: Event) -> None:
    duo_id, row_id, form, seen, once = entry_form_for(duo, event, "correct")
    spots = form_key(duo_id, form)
    with st.form(form_key(duo_id, form), clear_on_submit=False):
        token = once.field()
        left, middle, right = st.columns(3)
        with left:
            on = date_input(ui.tr("duos.date"), event.on, form_key(duo_id, form, "date"))
            spot(spots, "Date")
        hours = middle.number_input(
            ui.tr("duos.hours", low=MIN_HOURS, high=MAX_HOURS),
            min_value=0.0,
            max_value=24.0,
            value=cell_number(seen, "Hours") or 0.0,
            step=0.5,
            format="%.1f",
            key=form_key(duo_id, form, "hours"),
        )
        spot(spots, "Hours", middle)
        mode = choice_radio(
            right,
            ui.tr("duos.mode"),
            MEETING_MODES,
            cell_text(seen, "Mode"),
            form_key(duo_id, form, "mode"),
        )
        spot(spots, "Mode", right)
        listed = list_values(data, "Topics")
        topics = st.multiselect(
            ui.tr("duos.topics"),
            listed,
            default=[topic for topic in seen.get("Topics") or [] if topic in listed],
            placeholder=ui.tr("duos.choose"),
            key=form_key(duo_id, form, "topics"),
        )
        spot(spots, "Topics")
        summary = st.text_area(
            ui.tr("duos.summary"), cell_text(seen, "Summary"), key=form_key(duo_id, form, "summary")
        )
        spot(spots, "Summary")
        sent = st.form_submit_button(ui.tr("duos.correct"), key=submit_key(duo_id, form))
    entry = (
        None
        if on is None
        else MeetingEntry(on, float(hours), str(mode or ""), tuple(topics), summary)
    )
    checks = partial(meeting_entry_checks, duo, data["Lists"])
    shown = (row_id, seen, spots)
    send_correction(sent, entry, checks, correct_meeting, shown, user, (once, token))


def correct_check_in_form(data: Snapshot, duo: Mapping[str, Any], user: User, event: Event) -> None:
    duo_id, row_id, form, seen, once = entry_form_for(duo, event, "correct")
    spots = form_key(duo_id, form)
    with st.form(form_key(duo_id, form), clear_on_submit=False):
        token = once.field()
        left, middle, right = st.columns(3)
        with left:
            on = date_input(ui.tr("duos.date"), event.on, form_key(duo_id, form, "date"))
            spot(spots, "Date")
        with_whom = choice_radio(
            middle,
            ui.tr("duos.with"),
            CHECK_IN_WITH,
            cell_text(seen, "With"),
            form_key(duo_id, form, "with"),
        )
        spot(spots, "With", middle)
        health = choice_radio(
            right,
            ui.tr("duos.health"),
            HEALTHS,
            cell_text(seen, "Health"),
            form_key(duo_id, form, "health"),
        )
        spot(spots, "Health", right)
        notes = st.text_area(
            ui.tr("duos.notes"), cell_text(seen, "Notes"), key=form_key(duo_id, form, "notes")
        )
        spot(spots, "Notes")
        follow_up = st.text_input(
            ui.tr("duos.follow_up"),
            cell_text(seen, "Follow-up"),
            key=form_key(duo_id, form, "follow-up"),
        )
        spot(spots, "Follow-up")
        sent = st.form_submit_button(ui.tr("duos.correct"), key=submit_key(duo_id, form))
    entry = (
        None
        if on is None
        else CheckInEntry(on, str(with_whom or ""), str(health or ""), notes, follow_up)
    )
    shown = (row_id, seen, spots)
    send_correction(sent, entry, check_in_checks, correct_check_in, shown, user, (once, token))


def choice_index(values: Sequence[str], value: str) -> int | None:
    """Where a cell's value stands among a radio's choices (None: none picked)."""
    return values.index(value) if value in values else None


def correct_evaluation_form(
    data: Snapshot, duo: Mapping[str, Any], user: User, event: Event
) -> None:
    """The evaluation's fields as recorded; only the cells changed are written."""
    duo_id, row_id, form, seen, once = entry_form_for(duo, event, "correct")
    with st.form(form_key(duo_id, form), clear_on_submit=False):
        token = once.field()
        entry = evaluation_inputs(duo_id, form, seen)
        sent = st.form_submit_button(ui.tr("duos.correct"), key=submit_key(duo_id, form))
    shown = (row_id, seen, form_key(duo_id, form))
    send_correction(sent, entry, evaluation_checks, correct_evaluation, shown, user, (once, token))


def send_correction(
    sent: bool,
    entry: EntryT | None,
    checks: Callable[[EntryT, date], Sequence[Problem]],
    correct: Callable[[Store, User, str, EntryT, Mapping[str, Any], date], Outcome],
    seen: tuple[str, Mapping[str, Any], str],
    user: User,
    once: tuple[Once, str],
) -> None:
    """Once sent: the entry's reasons under their fields (`seen`: the row's ID, the row as the
    user saw it, the form's place of reasons), else the correction saved exactly once."""
    (row_id, row, spots), (guard, token) = seen, once
    guard.show()
    if not sent or entry is None or refused(checks(entry, ui.today()), spots):
        return
    save(lambda: correct(ui.store(), user, row_id, entry, row, ui.today()), guard, token)


CORRECT_FORMS: dict[str, EntryForm] = {
    "meeting": correct_meeting_form,
    "check_in": correct_check_in_form,
    "evaluation": correct_evaluation_form,
}


STEP_FORMS: tuple[tuple[DuoAction, Form], ...] = (
    (DuoAction.PLAN_INTRO, plan_intro_form),
    (DuoAction.RECORD_AGREEMENT, agreement_form),
    (DuoAction.DECLINE, decline_form),
    (DuoAction.COMPLETE, complete_form),
    (DuoAction.END_EARLY, end_early_form),
)
ENDINGS = frozenset({DuoAction.COMPLETE, DuoAction.END_EARLY})


def main() -> None:
    st.title(ui.tr("duos.title"))
    data = ui.snapshot()
    duo_id = st.query_params.get("id")
    if duo_id:
        show_duo(data, duo_id, ui.signed_in())
    else:
        show_list(data, ui.signed_in())


main()
