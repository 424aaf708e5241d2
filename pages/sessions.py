"""Sessions: plan information sessions, trainings and peer exchanges; register; mark attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from access import User
from i18n import Msg
from services.printouts import attendance_sheet
from services.sessions import (
    ABSENT,
    ATTENDED,
    DEFAULT_CAPACITY,
    MAX_CAPACITY,
    ONLINE,
    REGISTERED,
    SESSION_KINDS,
    SESSION_LANGUAGES,
    TRAINING,
    SessionDraft,
    SessionOutcome,
    attendance_open,
    cancel_registration,
    draft_problems,
    edit_session,
    eligible_people,
    filter_sessions,
    is_past,
    mark_attendance,
    mark_trained_ready,
    move_registration,
    move_targets,
    plan_session,
    register_people,
    registrations,
    sessions_overview,
    split_upcoming,
    trained_attendees,
)
from services.snapshot import Snapshot
from services.unit import Outcome
from ui import context as ui
from ui.feedback import attempt, succeed
from ui.once import Once
from ui.outbox import session_invitations
from ui.shell import require_shell
from ui.tables import displayed, table
from venues import Venue, time_span
from workflow import cell_date, cell_text, person_name, records

require_shell()

NOTES = "sessions-notes"
PICK_KEY = "session-pick"
FOLLOWED_KEY = "session-pick-followed"
"""The `?id=` the session box last followed."""
PAST_DAYS, AHEAD_DAYS = 90, 120
LANGUAGE_OF_UI = {"fr": "French", "nl": "Dutch", "en": "English"}
COUNT_COLUMNS = ("Registered", "Attended", "Absent", "Places left")
SHOWN_COLUMNS = ("Date", "Time", "Place", "Kind", "Office", "Language")


def localised(msg: Msg) -> Msg:
    """The message with its stored values (kinds, statuses, roles) in the user's language."""
    return Msg(
        msg.key, {k: ui.label(v) if isinstance(v, str) else v for k, v in msg.params.items()}
    )


def finished(outcome: Outcome | None) -> Outcome | None:
    """Keep who was skipped (and a full session) for the next run; the message localised."""
    if outcome is None:
        return None
    if isinstance(outcome, SessionOutcome):
        st.session_state[NOTES] = (outcome.skipped, outcome.over_capacity)
    outcome.message = localised(outcome.message)
    return outcome


def finish(outcome: Outcome | None) -> None:
    """`finished`, then flash and rerun."""
    succeed(finished(outcome))


def show_notes() -> None:
    skipped, over = st.session_state.pop(NOTES, ([], None))
    if over is not None:
        st.warning(ui.tr("sessions.over_capacity", registered=over[0], capacity=over[1]))
    if skipped:
        lines = [
            ui.md_tr(
                "sessions.skipped_line",
                person=item.person,
                reason=ui.md_text(item.reason),
            )
            for item in skipped
        ]
        st.warning(ui.tr("sessions.skipped_intro") + "\n\n" + "\n".join(lines))


def overview_shown(frame: pd.DataFrame) -> pd.DataFrame:
    shown = displayed(
        frame,
        [*SHOWN_COLUMNS, *COUNT_COLUMNS, "Capacity", "Notes", "ID"],
        translate=["Kind", "Office", "Language"],
    )
    shown["Place"] = shown["Place"].replace({ONLINE: ui.tr("sessions.online")})
    shown["Capacity"] = shown["Capacity"].astype("Int64")
    shown["Places left"] = shown["Places left"].astype("Int64")
    return shown.rename(
        columns={c: ui.tr(f"sessions.col_{c.lower().replace(' ', '_')}") for c in COUNT_COLUMNS}
    )


def filters(data: Snapshot, today: dt.date) -> pd.DataFrame:
    left, middle, right = st.columns([2, 2, 3])
    kinds = left.multiselect(
        ui.tr("sessions.filter_kind"),
        SESSION_KINDS,
        format_func=ui.format_choices(SESSION_KINDS),
        placeholder=ui.tr("sessions.all"),
        key="sessions-kinds",
    )
    offices = middle.multiselect(
        ui.tr("sessions.filter_office"),
        data.offices,
        format_func=ui.format_choices(data.offices),
        placeholder=ui.tr("sessions.all"),
        key="sessions-offices",
    )
    period = right.date_input(
        ui.tr("sessions.filter_period"),
        value=(today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=AHEAD_DAYS)),
        format="DD/MM/YYYY",
        key="sessions-period",
    )
    start, end = picked_range(period)
    overview = data.memo(
        "sessions_overview", lambda: sessions_overview(data["Sessions"], data["Attendance"])
    )
    return filter_sessions(overview, kinds=kinds, offices=offices, start=start, end=end)


def picked_range(period: Any) -> tuple[dt.date | None, dt.date | None]:
    """The dates a range widget holds: while the user is picking, only its start (or nothing)."""
    chosen = [day for day in (period if isinstance(period, tuple) else (period,)) if day]
    return (chosen[0] if chosen else None), (chosen[1] if len(chosen) > 1 else None)


def session_lists(shown: pd.DataFrame, today: dt.date) -> None:
    upcoming, past = split_upcoming(shown, today)
    st.subheader(ui.tr("sessions.upcoming", count=len(upcoming)))
    if upcoming.empty:
        st.info(ui.tr("sessions.none_upcoming"))
    else:
        table(overview_shown(upcoming), key="sessions-upcoming")
    with st.expander(ui.tr("sessions.past", count=len(past))):
        if past.empty:
            st.info(ui.tr("sessions.none_past"))
        else:
            table(overview_shown(past), key="sessions-past")


def plan_form(data: Snapshot, user: User, today: dt.date) -> None:
    once = Once(
        "plan-session",
        defaults={"plan-notes": "", "plan-capacity": None, **dict.fromkeys(venue_keys("plan"), "")},
    )
    with st.expander(ui.tr("sessions.plan"), icon=":material/add:"):
        with st.form("plan-session", clear_on_submit=False):
            token = once.field()
            sent = plan_fields(data, user, today)
        if sent is not None:
            made = once.record_id(token, "S")
            once.submit(token, lambda: planned(user, sent, today, made))
        once.show()


def plan_fields(data: Snapshot, user: User, today: dt.date) -> SessionDraft | None:
    """The plan form's fields; the draft when it was sent and fits (else None)."""
    left, right = st.columns(2)
    kind = left.selectbox(
        ui.tr("sessions.kind"),
        SESSION_KINDS,
        format_func=ui.format_choices(SESSION_KINDS),
        key="plan-kind",
    )
    on = right.date_input(
        ui.tr("sessions.date"),
        value=today + dt.timedelta(days=7),
        format="DD/MM/YYYY",
        key="plan-date",
    )
    offices = [office for office in data.offices if user.may_see(office)]
    office = left.selectbox(
        ui.tr("sessions.office"), offices, format_func=ui.format_choices(offices), key="plan-office"
    )
    language = right.selectbox(
        ui.tr("sessions.language"),
        SESSION_LANGUAGES,
        index=SESSION_LANGUAGES.index(LANGUAGE_OF_UI.get(ui.lang(), "English")),
        format_func=ui.format_choices(SESSION_LANGUAGES),
        key="plan-language",
    )
    capacity = left.number_input(
        ui.tr("sessions.capacity"),
        min_value=1,
        max_value=500,
        value=None,
        step=1,
        placeholder=ui.tr("sessions.capacity_placeholder", **_default_capacities()),
        key="plan-capacity",
    )
    notes = right.text_input(ui.tr("sessions.notes"), key="plan-notes")
    venue = venue_fields("plan")
    if st.form_submit_button(ui.tr("sessions.plan_submit"), type="primary"):
        size = None if capacity is None else int(capacity)
        draft = SessionDraft(kind, on, office or "", language, size, notes, venue)
        problems = draft_problems(draft, user, today)
        for problem in problems:
            st.error(ui.md_text(problem))
        if not problems:
            return draft
    return None


def venue_keys(prefix: str) -> list[str]:
    return [f"{prefix}-{name}" for name in ("start", "end", "address", "link", "bring")]


def venue_fields(prefix: str, session: dict[str, Any] | None = None) -> Venue:
    """Inside a form: start and end time, address, video link, what to bring (prefilled from
    the session when editing one)."""
    start_key, end_key, address_key, link_key, bring_key = venue_keys(prefix)
    shown = session or {}
    left, right = st.columns(2)
    start = left.text_input(
        ui.tr("sessions.start_time"),
        value=cell_text(shown, "Start time"),
        placeholder="09:30",
        help=ui.tr("sessions.time_help"),
        key=start_key,
    )
    end = right.text_input(
        ui.tr("sessions.end_time"),
        value=cell_text(shown, "End time"),
        placeholder="11:30",
        help=ui.tr("sessions.time_help"),
        key=end_key,
    )
    address = left.text_input(
        ui.tr("sessions.address"), value=cell_text(shown, "Address"), key=address_key
    )
    link = right.text_input(
        ui.tr("sessions.video_link"),
        value=cell_text(shown, "Video link"),
        placeholder="https://",
        key=link_key,
    )
    bring = st.text_input(
        ui.tr("sessions.bring"), value=cell_text(shown, "What to bring"), key=bring_key
    )
    return Venue(start, end, address, link, bring)


def venue_lines(session: dict[str, Any]) -> None:
    """The session's place, video link and what to bring, as typed (plain text); its time is
    in its title."""
    parts = [cell_text(session, "Address"), cell_text(session, "Video link")]
    line = " · ".join(part for part in parts if part)
    if line:
        st.markdown(ui.plain(line))
    if cell_text(session, "What to bring"):
        st.markdown(
            ui.plain(ui.tr("sessions.bring_line", bring=cell_text(session, "What to bring")))
        )


def edit_form(user: User, session: dict[str, Any], today: dt.date) -> None:
    """Change the session's date, time, place, language, capacity and notes.

    The edit is checked against the session as the form showed it (kept from the run before
    the one that sends it), so a cell changed in the sheet meanwhile comes back as a conflict.
    """
    session_id = session["ID"]
    form = f"edit-{session_id}"
    seen = st.session_state.get(f"{form}-seen", session)
    once = Once(form)
    with st.expander(ui.tr("sessions.edit"), icon=":material/edit:"):
        with st.form(form, clear_on_submit=False):
            token = once.field()
            left, right = st.columns(2)
            on = left.date_input(
                ui.tr("sessions.date"),
                value=cell_date(session, "Date"),
                format="DD/MM/YYYY",
                key=f"{form}-date",
            )
            languages = list(dict.fromkeys([*SESSION_LANGUAGES, cell_text(session, "Language")]))
            languages = [language for language in languages if language]
            language = right.selectbox(
                ui.tr("sessions.language"),
                languages,
                index=languages.index(cell_text(session, "Language") or languages[0]),
                format_func=ui.format_choices(languages),
                key=f"{form}-language",
            )
            capacity = left.number_input(
                ui.tr("sessions.capacity"),
                min_value=1,
                max_value=500,
                value=shown_capacity(session),
                step=1,
                key=f"{form}-capacity",
            )
            notes = right.text_input(
                ui.tr("sessions.notes"), value=cell_text(session, "Notes"), key=f"{form}-notes"
            )
            venue = venue_fields(form, session)
            sent = st.form_submit_button(ui.tr("sessions.edit_submit"), type="primary")
        if sent:
            draft = SessionDraft(
                cell_text(session, "Kind"),
                on if isinstance(on, dt.date) else None,
                cell_text(session, "Office"),
                language or "",
                None if capacity is None else int(capacity),
                notes,
                venue,
            )
            problems = draft_problems(draft, user, today)
            for problem in problems:
                st.error(ui.md_text(problem))
            if not problems:
                once.submit(token, lambda: edited(user, seen, draft, today))
        else:
            st.session_state[f"{form}-seen"] = session
        once.show()


def shown_capacity(session: dict[str, Any]) -> int | None:
    """The session's capacity as the form's number box can hold it (1 to 500)."""
    capacity = session["Capacity"]
    return None if pd.isna(capacity) else min(max(int(capacity), 1), MAX_CAPACITY)


def edited(
    user: User, session: dict[str, Any], draft: SessionDraft, today: dt.date
) -> Outcome | None:
    """Save the edit against the session as the page showed it."""
    store, session_id = ui.store(), session["ID"]
    return finished(attempt(lambda: edit_session(store, user, session_id, draft, session, today)))


def attendance_sheet_button(session: dict[str, Any], people: pd.DataFrame) -> None:
    """The printable attendance sheet of the session (built when the button is clicked, in
    the language of the page)."""
    lang = ui.lang()
    st.download_button(
        ui.tr("sessions.attendance_sheet"),
        lambda: attendance_sheet(session, people, lang),
        file_name=f"attendance-{session['ID']}.pdf",
        mime="application/pdf",
        icon=":material/print:",
        key=f"attendance-sheet-{session['ID']}",
    )


def planned(user: User, draft: SessionDraft, today: dt.date, record_id: str) -> Outcome | None:
    outcome = attempt(lambda: plan_session(ui.store(), user, draft, today, record_id=record_id))
    if outcome is not None:
        outcome.message = localised(outcome.message)
        if outcome.ids:
            st.query_params["id"] = outcome.ids[0]
    return outcome


def _default_capacities() -> dict[str, int]:
    return {
        "info": DEFAULT_CAPACITY["Info session"],
        "training": DEFAULT_CAPACITY[TRAINING],
        "peer": DEFAULT_CAPACITY["Peer exchange"],
    }


def session_title(session: Any) -> str:
    """Date, time, kind, office and language (two sessions may share them: lists add the ID)."""
    parts = [
        ui.fmt_date(session["Date"]) or "—",
        time_span(session.get("Start time"), session.get("End time")),
        ui.label(session["Kind"]),
        ui.label(session["Office"]),
        ui.label(session["Language"]),
    ]
    return " · ".join(str(part) for part in parts if part)


def pick_session(data: Snapshot, shown: pd.DataFrame, today: dt.date) -> str | None:
    """The session to open: chosen in the list, or named by `?id=` (also outside the filters)."""
    asked = st.query_params.get("id")
    upcoming, past = split_upcoming(shown, today)
    options = [*upcoming["ID"], *past["ID"]]
    if asked and asked not in options:
        if data.record("Sessions", asked) is None:
            st.error(ui.md_tr("sessions.not_found", id=asked))
            asked = None
        else:
            options.insert(0, asked)
    titles = {sid: f"{session_title(data.record('Sessions', sid))} · {sid}" for sid in options}
    if asked in options and asked != st.session_state.get(FOLLOWED_KEY):
        # The widget follows a new `?id=` (a link, a session just planned) through its state
        # alone: no default value as well, which Streamlit would warn about ("created with a
        # default value but also had its value set via the Session State API"). An `?id=` it
        # followed already is left alone, so a session picked in the box stays picked.
        st.session_state[PICK_KEY] = asked
        st.session_state[FOLLOWED_KEY] = asked
    picked = st.selectbox(
        ui.tr("sessions.open"),
        options,
        index=None,
        format_func=lambda sid: titles.get(sid, sid),
        placeholder=ui.tr("sessions.choose"),
        key=PICK_KEY,
    )
    if picked and st.query_params.get("id") != picked:
        st.query_params["id"] = picked
    st.session_state[FOLLOWED_KEY] = picked
    return picked


def session_detail(data: Snapshot, user: User, session_id: str, today: dt.date) -> None:
    session = data.record("Sessions", session_id)
    if session is None:
        return
    people = registrations(session_id, data.participants, data["Attendance"])
    st.subheader(ui.plain(session_title(session)))
    capacity = session["Capacity"]
    columns = st.columns(4)
    columns[0].metric(ui.tr("sessions.col_registered"), len(people))
    columns[1].metric(ui.tr("sessions.col_attended"), int((people["Status"] == ATTENDED).sum()))
    columns[2].metric(ui.tr("sessions.col_absent"), int((people["Status"] == ABSENT).sum()))
    columns[3].metric(ui.tr("sessions.capacity"), "—" if pd.isna(capacity) else int(capacity))
    if session["Notes"]:
        st.caption(ui.plain(session["Notes"]))
    venue_lines(session)
    if not pd.isna(capacity) and len(people) > capacity:
        st.warning(ui.tr("sessions.over_capacity", registered=len(people), capacity=int(capacity)))
    if is_past(session, today):
        st.info(ui.tr("sessions.register_past"))
    else:
        register_form(data, user, session)
        session_invitations(session_id, user)
    manage_form(data, user, session, people, today)
    attendance_form(user, session, people, today)
    if session["Kind"] == TRAINING:
        ready_button(data, user, session_id)
    edit_form(user, session, today)
    attendance_sheet_button(session, people)


def register_form(data: Snapshot, user: User, session: dict[str, Any]) -> None:
    session_id = session["ID"]
    st.markdown(f"#### {ui.tr('sessions.register')}")
    st.caption(ui.tr(f"sessions.who_fits_{_kind_key(session['Kind'])}"))
    eligible = eligible_people(session, data.participants, data["Attendance"])
    if eligible.empty:
        st.info(ui.tr("sessions.nobody_fits"))
        return
    names = {
        row["ID"]: f"{person_name(row)} · {ui.label(row['Role'])} · {ui.label(row['Status'])}"
        for row in records(eligible)
    }
    once = Once(f"register-{session_id}", defaults={f"register-people-{session_id}": []})
    with st.form(f"register-{session_id}", clear_on_submit=False):
        token = once.field()
        chosen = st.multiselect(
            ui.tr("sessions.people"),
            list(names),
            format_func=lambda pid: names.get(pid, pid),
            placeholder=ui.tr("sessions.choose_people"),
            key=f"register-people-{session_id}",
        )
        confirmed = confirm_box(f"register-{session_id}")
        if st.form_submit_button(ui.tr("sessions.register_submit"), type="primary"):
            if not chosen:
                st.error(ui.tr("sessions.nobody_chosen"))
            else:
                once.submit(
                    token,
                    lambda: confirmed_or_asked(
                        f"register-{session_id}",
                        lambda: register_people(
                            ui.store(), user, session_id, chosen, confirmed=confirmed
                        ),
                    ),
                )
    once.show()


def confirm_box(form: str) -> bool:
    """Inside a form: when its last send asked for confirmation, why, and the box to give it."""
    asked: Msg | None = st.session_state.get(f"{form}-asking")
    if asked is None:
        return False
    st.warning(ui.tr(asked.key, **asked.params))
    return st.checkbox(ui.tr("sessions.confirm_register"), key=f"{form}-confirmed")


def confirmed_or_asked(form: str, action: Callable[[], SessionOutcome]) -> Outcome | None:
    """Run the action; when it asks for confirmation, run the page again to ask (nothing
    written, the form as typed)."""
    outcome = attempt(action)
    if isinstance(outcome, SessionOutcome) and outcome.needs_confirmation is not None:
        st.session_state[f"{form}-asking"] = outcome.message
        st.rerun()
    st.session_state.pop(f"{form}-asking", None)
    st.session_state.pop(f"{form}-confirmed", None)
    return finished(outcome)


def manage_form(
    data: Snapshot, user: User, session: dict[str, Any], people: pd.DataFrame, today: dt.date
) -> None:
    """Per registered person: cancel the registration, or move it to another session."""
    if people.empty:
        return
    session_id = session["ID"]
    form = f"manage-{session_id}"
    st.markdown(f"#### {ui.tr('sessions.manage')}")
    names = dict(zip(people["Participant ID"], people["Name"], strict=True))
    marks = dict(zip(people["Participant ID"], people["Status"], strict=True))
    once = Once(form, defaults={f"{form}-person": None, f"{form}-target": None})
    with st.form(form, clear_on_submit=False):
        token = once.field()
        person = st.selectbox(
            ui.tr("sessions.manage_person"),
            list(names),
            index=None,
            format_func=lambda pid: names.get(pid, pid),
            placeholder=ui.tr("sessions.choose"),
            key=f"{form}-person",
        )
        targets = move_targets(session, data["Sessions"], data["Attendance"], person or "", today)
        target = st.selectbox(
            ui.tr("sessions.move_to"),
            targets,
            index=None,
            format_func=lambda sid: f"{session_title(data.record('Sessions', sid))} · {sid}",
            placeholder=ui.tr("sessions.choose"),
            key=f"{form}-target",
        )
        confirmed = confirm_box(form)
        left, right = st.columns(2)
        cancel = left.form_submit_button(ui.tr("sessions.cancel_submit"))
        move = right.form_submit_button(ui.tr("sessions.move_submit"), type="primary")
    if (cancel or move) and not person:
        st.error(ui.tr("sessions.nobody_chosen"))
    elif cancel and person:
        once.submit(
            token,
            lambda: finished(
                attempt(
                    lambda: cancel_registration(
                        ui.store(), user, session_id, person, marks.get(person, "")
                    )
                )
            ),
        )
    elif move and person and not target:
        st.error(ui.tr("sessions.choose_target"))
    elif move and person and target:
        once.submit(
            token,
            lambda: confirmed_or_asked(
                form,
                lambda: move_registration(
                    ui.store(), user, session_id, target, person, today=today, confirmed=confirmed
                ),
            ),
        )
    once.show()


def _kind_key(kind: str) -> str:
    return {"Info session": "info", "Training": "training"}.get(kind, "peer")


def attendance_key(session_id: str, person_id: str) -> str:
    return f"attended-{session_id}-{person_id}"


def marks_as_shown(session_id: str, people: pd.DataFrame) -> dict[str, str]:
    """Each registered person's attendance as the form first showed it (the `seen`).

    Kept while the person's checkbox lives, so that a mark someone changed in the sheet
    meanwhile is caught on saving instead of being overwritten.
    """
    key = f"attendance-shown-{session_id}"
    stored: dict[str, str] = st.session_state.get(key, {})
    shown = {
        pid: stored[pid]
        if pid in stored and attendance_key(session_id, pid) in st.session_state
        else status
        for pid, status in zip(people["Participant ID"], people["Status"], strict=True)
    }
    st.session_state[key] = shown
    return shown


def all_present_key(session_id: str) -> str:
    return f"all-present-{session_id}"


def forget_marks(session_id: str, person_ids: list[str]) -> None:
    """After saving: the next run shows the form anew, from the workbook as it is then."""
    st.session_state.pop(f"attendance-shown-{session_id}", None)
    st.session_state.pop(all_present_key(session_id), None)
    for pid in person_ids:
        st.session_state.pop(attendance_key(session_id, pid), None)


def attendance_form(
    user: User, session: dict[str, Any], people: pd.DataFrame, today: dt.date
) -> None:
    session_id = session["ID"]
    st.markdown(f"#### {ui.tr('sessions.attendance')}")
    if people.empty:
        st.info(ui.tr("sessions.nobody_registered"))
        return
    if not attendance_open(session, today):
        translated = ["Role", "Person status", "Status"]
        shown = displayed(
            people.replace({"Status": {"": REGISTERED}}), ["Name", *translated], translated
        )
        shown = shown.rename(columns={"Person status": ui.tr("sessions.col_person_status")})
        table(shown, key="registered")
        st.info(ui.tr("sessions.not_yet"))
        return
    st.caption(ui.tr(f"sessions.attendance_help_{_kind_key(session['Kind'])}"))
    seen = marks_as_shown(session_id, people)
    once = Once(f"attendance-{session_id}")
    with st.form(f"attendance-{session_id}", clear_on_submit=False):
        token = once.field()
        ticked = [
            pid
            for pid, row in zip(people["Participant ID"], records(people), strict=True)
            if st.checkbox(
                person_line(row, seen[pid]),
                value=seen[pid] == ATTENDED,
                key=attendance_key(session_id, pid),
            )
        ]
        if st.checkbox(ui.tr("sessions.all_present"), key=all_present_key(session_id)):
            ticked = list(people["Participant ID"])
        also_ready = session["Kind"] == TRAINING and st.checkbox(
            ui.tr("sessions.also_ready"), key=f"also-ready-{session_id}"
        )
        sent = st.form_submit_button(ui.tr("sessions.attendance_submit"), type="primary")
    if sent:

        def save() -> Outcome | None:
            outcome = attempt(
                lambda: mark_attendance(
                    ui.store(),
                    user,
                    session_id,
                    set(ticked),
                    seen,
                    today=today,
                    also_ready=also_ready,
                )
            )
            if outcome is not None:
                forget_marks(session_id, list(seen))
            return finished(outcome)

        once.submit(token, save)
    once.show()


def person_line(row: dict[str, Any], mark: str) -> str:
    """Name, role, status, and the attendance as shown: one checkbox label."""
    parts = [
        row["Name"],
        ui.label(row["Role"]) if row["Role"] else "",
        ui.label(row["Person status"]) if row["Person status"] else "",
        ui.tr("sessions.marked", status=ui.label(mark or REGISTERED)),
    ]
    return " · ".join(part for part in parts if part)


def ready_button(data: Snapshot, user: User, session_id: str) -> None:
    trained = trained_attendees(session_id, data.participants, data["Attendance"])
    if not trained:
        return
    st.caption(ui.tr("sessions.trained_waiting", count=len(trained)))
    if st.button(ui.tr("sessions.mark_ready", count=len(trained)), key=f"ready-{session_id}"):
        finish(attempt(lambda: mark_trained_ready(ui.store(), user, session_id)))


def main() -> None:
    st.title(ui.tr("sessions.title"))
    user = ui.signed_in()
    data = ui.snapshot()
    today = ui.today()
    show_notes()
    shown = filters(data, today)
    session_lists(shown, today)
    plan_form(data, user, today)
    st.divider()
    picked = pick_session(data, shown, today)
    if picked:
        session_detail(data, user, picked, today)


main()
