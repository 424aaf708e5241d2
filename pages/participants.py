"""Participants: find anyone in view, open their profile, edit it, move their status on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from access import User
from i18n import catalogue
from services.bulk import (
    bulk_person_actions,
    bulk_step,
    move_people,
    upcoming_sessions,
    withdraw_people,
)
from services.people import (
    NAME,
    PROFILE_COLUMNS,
    WAITING_DAYS,
    PeopleFilter,
    change_status,
    duos_of,
    find_people,
    history,
    list_options,
    merge_candidates,
    merge_people,
    office_choices,
    opted_out_on,
    profile_problems,
    resume_targets,
    save_profile,
    sessions_of,
    undo_last_move,
    undo_target,
)
from services.sessions import register_people
from services.snapshot import Snapshot
from services.unit import Outcome
from sheets.values import normalise_key
from ui import context as ui
from ui.bulk import (
    asked_or_done,
    capacity_box,
    confirm_box,
    confirm_first,
    show_bulk_outcome,
    ticked_rows,
    ticked_summary,
)
from ui.feedback import attempt
from ui.navigation import PAGES_DIR
from ui.once import Once
from ui.person_form import (
    CONDITIONS,
    DATE_FORMAT,
    Spots,
    confirm_warnings,
    forget_form,
    is_mentee,
    loaded_record,
    profile_field,
    show_errors,
    spot_under,
)
from ui.picker import PeoplePicker
from ui.shell import require_shell
from ui.tables import displayed, downloads, table, titled
from workflow import (
    DUO_ACTION_LABELS,
    MENTEE,
    MENTOR,
    PERSON_ACTION_LABELS,
    PERSON_STATUSES,
    READY,
    ROLES,
    AttendInfoSession,
    CompleteIntake,
    DuoAction,
    MarkReady,
    MarkTrained,
    PersonAction,
    PersonStep,
    PutOnHold,
    Resume,
    ReturnToPool,
    Withdraw,
    allowed_participant_actions,
    cell_date,
    cell_text,
    person_name,
    records,
)

require_shell()

PICKER = PeoplePicker("participants")
BULK_ACTIONS = ("status", "register", "withdraw")
BULK_REASON, BULK_CONFIRM = "participants-bulk-reason", "participants-bulk-confirm"
BULK_GO = "participants-bulk-go"
BULK = Once(
    "participants-bulk",
    defaults={BULK_REASON: "", BULK_CONFIRM: False},
    render=show_bulk_outcome,
)
TRANSLATED = ("Role", "Status", "Languages")
LIST_COLUMNS = [
    NAME,
    "Role",
    "Status",
    "Office",
    WAITING_DAYS,
    "ID",
    "Applied on",
    "Languages",
    "Sectors",
]
# The profile form's sections: message key, fields, columns.
SECTIONS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    (
        "section_identity",
        (
            "First name",
            "Last name",
            "Role",
            "Gender",
            "Birth date",
            "Country of origin",
            "Email",
            "Phone",
            "Postcode",
            "Office",
            "Coordinator",
            "Source",
        ),
        3,
    ),
    ("section_conditions", CONDITIONS, 3),
    ("section_matching", ("Languages", "Sectors", "Topics", "Capacity"), 2),
    ("section_availability", ("Availability",), 1),
    ("section_story", ("Personality", "Preferences", "Goal", "Background", "Notes"), 2),
    ("section_dates", ("Applied on", "Consent on", "Intake on", "Trained on"), 4),
)
MENTORS_ONLY = frozenset({"Capacity", "Trained on"})
MENTEES_ONLY = frozenset(CONDITIONS)
NEEDS_DATE = frozenset(
    {
        PersonAction.ATTEND_INFO_SESSION,
        PersonAction.COMPLETE_INTAKE,
        PersonAction.MARK_TRAINED,
        PersonAction.PUT_ON_HOLD,
        PersonAction.WITHDRAW,
    }
)


# -- the list ---------------------------------------------------------------------------


def filters(data: Snapshot) -> PeopleFilter:
    people, lists = data.participants, data["Lists"]
    text = st.text_input(
        ui.tr("participants.search"),
        placeholder=ui.tr("participants.search_hint"),
        key="participants-search",
    )
    anything = ui.tr("participants.any")
    row = st.columns(3)
    roles = row[0].multiselect(
        ui.tr("columns.role"),
        ROLES,
        format_func=ui.format_choices(ROLES),
        placeholder=anything,
        key="participants-roles",
    )
    statuses = row[1].multiselect(
        ui.tr("columns.status"),
        PERSON_STATUSES,
        format_func=ui.format_choices(PERSON_STATUSES),
        placeholder=anything,
        key="participants-statuses",
    )
    offices = row[2].multiselect(
        ui.tr("columns.office"),
        data.offices,
        format_func=ui.format_choices(data.offices),
        placeholder=anything,
        key="participants-offices",
    )
    row = st.columns(3)
    spoken = list_options(lists, "Languages", *people["Languages"])
    languages = row[0].multiselect(
        ui.tr("columns.languages"),
        spoken,
        format_func=ui.format_choices(spoken),
        placeholder=anything,
        key="participants-languages",
    )
    sectors = row[1].multiselect(
        ui.tr("columns.sectors"),
        list_options(lists, "Sectors", *people["Sectors"]),
        placeholder=anything,
        key="participants-sectors",
    )
    waiting = row[2].number_input(
        ui.tr("participants.min_waiting"),
        min_value=0,
        value=0,
        step=1,
        help=ui.tr("participants.min_waiting_help"),
        key="participants-waiting",
    )
    return PeopleFilter(text, roles, statuses, offices, languages, sectors, int(waiting or 0))


def people_list(data: Snapshot, user: User) -> None:
    criteria = filters(data)
    found = data.memo(
        "find_people",
        lambda: find_people(data.participants, data.duos, criteria, ui.today()),
        repr(criteria),
        ui.today(),
    )
    st.caption(ui.tr("participants.found", count=len(found), total=len(data.participants)))
    bulk = st.toggle(ui.tr("bulk.tick_people"), key="participants-bulk")
    if bulk:
        BULK.show()  # the last bulk action's result, even when it emptied the list
    if found.empty:
        st.info(ui.tr("participants.none_found"))
        return
    shown = data.memo(
        "people_shown",
        lambda: displayed(found, LIST_COLUMNS, translate=TRANSLATED),
        repr(criteria),
        ui.today(),
        ui.lang(),
    ).rename(columns={WAITING_DAYS: ui.tr("participants.waiting_days")})
    names = dict(zip(found["ID"], found[NAME], strict=True))
    if bulk:
        bulk_panel(data, user, shown, names)
    else:
        PICKER.show(shown, names, ui.tr("participants.open"))
    downloads(titled(shown), "participants")


# -- bulk actions on the ticked people --------------------------------------------------


def bulk_panel(data: Snapshot, user: User, shown: pd.DataFrame, names: dict[str, str]) -> None:
    """The list with a tick per row; one action for every ticked person."""
    st.caption(ui.tr("bulk.tick_help"))
    ticked = ticked_rows(shown, list(names), "participants-ticks")
    ticked_summary([names[person_id] for person_id in ticked])
    if not ticked:
        return
    action = st.radio(
        ui.tr("bulk.action"),
        BULK_ACTIONS,
        format_func=ui.format_choices(BULK_ACTIONS, lambda key: ui.tr(f"bulk.action_{key}")),
        horizontal=True,
        key="participants-bulk-action",
    )
    if action == "status":
        people = [person for person in map(data.person, ticked) if person is not None]
        bulk_status(data, user, people, ticked)
    elif action == "register":
        bulk_register(data, user, ticked)
    else:
        bulk_withdraw(user, ticked)


def bulk_status(
    data: Snapshot, user: User, people: list[dict[str, Any]], ticked: list[str]
) -> None:
    actions = [a for a in bulk_person_actions(people, data.duos) if a is not PersonAction.WITHDRAW]
    action = ui.step_choice(
        actions,
        PERSON_ACTION_LABELS,
        ui.tr("bulk.step"),
        ui.tr("bulk.no_step"),
        key="participants-bulk-step",
    )
    if action is None:
        return
    with st.form(f"participants-bulk-{action}", clear_on_submit=False):
        token = BULK.field()
        on = ui.today()
        if action in NEEDS_DATE:
            on = bulk_date()
        reason = ""
        if action is PersonAction.PUT_ON_HOLD:
            reason = st.text_input(ui.tr("bulk.reason"), key=BULK_REASON)
        ready = action is PersonAction.COMPLETE_INTAKE and st.checkbox(
            ui.tr("bulk.straight_to_ready"), key="participants-bulk-ready"
        )
        if action is PersonAction.RESUME:
            st.caption(ui.tr("bulk.resume_each"))
        sure = confirm_box(BULK_CONFIRM, len(ticked))
        sent = st.form_submit_button(
            ui.text(PERSON_ACTION_LABELS[action]), type="primary", key=BULK_GO
        )
    if not sent:
        return
    if not sure:
        confirm_first()
        return
    step_for = bulk_step(action, on, reason, ready=bool(ready))
    BULK.submit(
        token,
        lambda: attempt(lambda: move_people(ui.store(), user, ticked, step_for, str(action))),
    )


def bulk_register(data: Snapshot, user: User, ticked: list[str]) -> None:
    sessions = upcoming_sessions(data["Sessions"], data["Attendance"], ui.today())
    if sessions.empty:
        st.info(ui.tr("bulk.no_session"))
        return
    labels = {
        str(row["ID"]): " · ".join(
            part
            for part in (
                ui.fmt_date(row["Date"]),
                ui.label(row["Kind"]),
                ui.label(row["Office"]),
                ui.tr("bulk.places_left", count=int(row["Places left"]))
                if not pd.isna(row["Places left"])
                else "",
                str(row["ID"]),
            )
            if part
        )
        for row in records(sessions)
    }
    form = "participants-bulk-register"
    with st.form(form, clear_on_submit=False):
        token = BULK.field()
        session_id = st.selectbox(
            ui.tr("bulk.session"),
            list(labels),
            index=None,
            format_func=lambda key: labels.get(key, key),
            placeholder=ui.tr("bulk.session_hint"),
            key=f"{form}-session",
        )
        over = capacity_box(form)
        sure = confirm_box(BULK_CONFIRM, len(ticked))
        sent = st.form_submit_button(ui.tr("bulk.action_register"), type="primary", key=BULK_GO)
    if not sent:
        return
    if session_id is None:
        st.error(ui.tr("bulk.session_first"))
        return
    if not sure:
        confirm_first()
        return
    BULK.submit(
        token,
        lambda: asked_or_done(
            form,
            lambda: register_people(ui.store(), user, str(session_id), ticked, confirmed=over),
        ),
    )


def bulk_withdraw(user: User, ticked: list[str]) -> None:
    with st.form("participants-bulk-withdraw", clear_on_submit=False):
        token = BULK.field()
        on = bulk_date()
        reason = st.text_input(ui.tr("bulk.reason_required_label"), key=BULK_REASON)
        sure = confirm_box(BULK_CONFIRM, len(ticked))
        sent = st.form_submit_button(ui.tr("bulk.action_withdraw"), type="primary", key=BULK_GO)
    if not sent:
        return
    if not reason.strip():
        st.error(ui.tr("bulk.reason_required"))
        return
    if not sure:
        confirm_first()
        return
    BULK.submit(
        token,
        lambda: attempt(lambda: withdraw_people(ui.store(), user, ticked, on, reason)),
    )


def bulk_date() -> date:
    on = st.date_input(
        ui.tr("bulk.date"), ui.today(), key="participants-bulk-date", format=DATE_FORMAT
    )
    return on if isinstance(on, date) else ui.today()


# -- one person -------------------------------------------------------------------------


def profile(data: Snapshot, user: User, person_id: str) -> None:
    st.button(ui.tr("participants.back"), icon=":material/arrow_back:", on_click=PICKER.close)
    person = data.person(person_id)
    if person is None:
        st.warning(ui.md_tr("participants.not_found", id=person_id))
        return
    status, role = cell_text(person, "Status"), cell_text(person, "Role")
    st.subheader(f"{ui.plain(person_name(person))} · {ui.plain(person_id)}")
    st.caption(" · ".join(ui.md_label(v) for v in (role, status, cell_text(person, "Office")) if v))
    opted_out = cell_date(person, "Opted out on")
    if opted_out is not None:
        st.info(
            ui.tr("participants.opted_out_since", date=opted_out), icon=":material/unsubscribe:"
        )
    tabs = st.tabs(
        [
            ui.tr("participants.tab_profile"),
            ui.tr("participants.tab_status"),
            ui.tr("participants.tab_duos"),
            ui.tr("participants.tab_history"),
        ]
    )
    with tabs[0]:
        profile_form(data, user, person)
    with tabs[1]:
        status_steps(data, user, person)
        undo_control(data, user, person)
        merge_control(data, user, person)
    with tabs[2]:
        duos_and_sessions(data, person_id)
    with tabs[3]:
        audit_history(user, person)


def profile_form(data: Snapshot, user: User, person: Mapping[str, Any]) -> None:
    prefix = f"profile-{cell_text(person, 'ID')}"
    keys, seen = loaded_record(prefix, person, "First name")
    offices = office_choices(data["Lists"], user, cell_text(seen, "Office"))
    values: dict[str, Any] = {}
    spots: Spots = {}
    once = Once(prefix)  # its token outlives the form's keys of one generation
    with st.form(f"{keys}-form", clear_on_submit=False):
        token = once.field()
        role = cell_text(seen, "Role")
        for title, fields, width in SECTIONS:
            shown = [f for f in fields if shown_for(f, role)]
            if not shown:
                continue
            st.markdown(f"##### {ui.tr(f'participants.{title}')}")
            columns = st.columns(width)
            for index, field in enumerate(shown):
                with columns[index % width]:
                    values[field] = profile_field(
                        field, seen, keys, lists=data["Lists"], offices=offices
                    )
                    spot_under(spots, field)
        st.markdown(f"##### {ui.tr('participants.section_messages')}")
        no_messages = cell_date(seen, "Opted out on") is not None
        no_messages = st.checkbox(
            ui.tr("participants.opted_out"), no_messages, key=f"{keys}-optout"
        )
        values["Opted out on"] = opted_out_on(seen, no_messages, ui.today())
        changes = {f: v for f, v in values.items() if f in PROFILE_COLUMNS}
        problems = profile_problems(seen, changes, ui.today())
        show_errors(spots, problems)
        confirmed = confirm_warnings(problems, f"{keys}-confirm")
        submitted = st.form_submit_button(
            ui.tr("participants.save"), type="primary", key=f"{keys}-save"
        )
    once.show()
    if not submitted:
        return

    def saved() -> Outcome | None:
        outcome = attempt(
            lambda: save_profile(ui.store(), user, seen, changes, acknowledged=confirmed)
        )
        if outcome is not None:
            forget_form(prefix)
        return outcome

    once.submit(token, saved)


def shown_for(field: str, role: str) -> bool:
    """Whether the profile form shows a field to a person of this role."""
    if field in MENTORS_ONLY:
        return role == MENTOR
    return field not in MENTEES_ONLY or role == MENTEE


def status_steps(data: Snapshot, user: User, person: Mapping[str, Any]) -> None:
    person_id = cell_text(person, "ID")
    st.markdown(ui.md_tr("participants.current_status", status=ui.md_label(person.get("Status"))))
    once = Once(f"step-{person_id}")
    once.show()  # the step just taken, whichever form the new status offers next
    actions = allowed_participant_actions(person, data.duos)
    action = ui.step_choice(
        actions,
        PERSON_ACTION_LABELS,
        ui.tr("participants.step"),
        ui.tr("participants.no_step"),
        key=f"step-{person_id}",
    )
    if action is None:
        return
    with st.form(f"step-{person_id}-{action}", clear_on_submit=False):
        token = once.field()
        step = step_inputs(action, person, f"step-{person_id}-{action}")
        submitted = st.form_submit_button(
            ui.text(PERSON_ACTION_LABELS[action]), type="primary", key=f"step-{person_id}-go"
        )
    if submitted:
        once.submit(
            token,
            lambda: attempt(lambda: change_status(ui.store(), user, person, step(), data.duos)),
        )


def undo_control(data: Snapshot, user: User, person: Mapping[str, Any]) -> None:
    """ "Undo last move", when the person's last status move was made today."""
    person_id, status = cell_text(person, "ID"), cell_text(person, "Status")
    once = Once(f"undo-{person_id}")
    once.show()
    target = undo_target(ui.store(), person, ui.today(), data.duos)
    if target is None:
        return
    with st.form(f"undo-{person_id}", clear_on_submit=False, border=False):
        token = once.field()
        label = ui.tr("participants.undo_go", status=ui.label(target))
        submitted = st.form_submit_button(label, icon=":material/undo:", key=f"undo-{person_id}-go")
    if submitted:
        once.submit(
            token,
            lambda: attempt(
                lambda: undo_last_move(ui.store(), user, person_id, ui.today(), seen_status=status)
            ),
        )


def merge_control(data: Snapshot, user: User, person: Mapping[str, Any]) -> None:
    """ "Merge with…": this applicant's row is kept, the other chosen row merged into it."""
    person_id = cell_text(person, "ID")
    candidates = merge_candidates(data.participants, person)
    once = Once(f"merge-{person_id}")
    if candidates.empty and once.result() is None:
        return
    with st.expander(ui.tr("participants.merge_title")):
        once.show()
        if candidates.empty:
            st.caption(ui.tr("participants.merge_none"))
            return
        names = {cell_text(c, "ID"): f"{person_name(c)} · {c['ID']}" for c in records(candidates)}
        with st.form(f"merge-{person_id}", clear_on_submit=False):
            token = once.field()
            st.caption(ui.tr("participants.merge_hint"))
            other = st.selectbox(
                ui.tr("participants.merge_with"),
                list(names),
                index=None,
                format_func=lambda key: names.get(key, key),
                key=f"merge-{person_id}-other",
            )
            sure = st.checkbox(
                ui.tr("participants.merge_confirm"), key=f"merge-{person_id}-confirm"
            )
            submitted = st.form_submit_button(
                ui.tr("participants.merge_go"), type="primary", key=f"merge-{person_id}-go"
            )
    if submitted:
        once.submit(token, lambda: merged(data, user, person, other if sure else None))


def merged(
    data: Snapshot, user: User, person: Mapping[str, Any], other_id: str | None
) -> Outcome | None:
    """The merge the form asked for (None: not confirmed, or refused, and said why)."""
    other = data.person(other_id) if other_id else None
    if other is None:
        st.error(ui.tr("participants.merge_confirm_first"))
        return None
    keep_id = cell_text(person, "ID")
    return attempt(lambda: merge_people(ui.store(), user, keep_id, other_id or "", person, other))


def step_inputs(
    action: PersonAction, person: Mapping[str, Any], key: str
) -> Callable[[], PersonStep]:
    """The inputs a step needs; returns how to build the step from them once submitted."""
    on = ui.today()
    if action in NEEDS_DATE:
        on = (
            st.date_input(
                ui.tr("participants.step_date"), ui.today(), key=f"{key}-on", format=DATE_FORMAT
            )
            or ui.today()
        )
    if action is PersonAction.ATTEND_INFO_SESSION:
        return lambda: AttendInfoSession(on)
    if action is PersonAction.COMPLETE_INTAKE:
        ready = is_mentee(person) and st.checkbox(
            ui.tr("participants.straight_to_ready"), key=f"{key}-ready"
        )
        return lambda: CompleteIntake(on, ready=ready)
    if action is PersonAction.MARK_TRAINED:
        return lambda: MarkTrained(on)
    if action is PersonAction.RESUME:
        targets = resume_targets(person)
        target = st.selectbox(
            ui.tr("participants.resume_to"),
            targets,
            index=targets.index(READY),
            format_func=ui.format_choices(targets),
            key=f"{key}-to",
        )
        return lambda: Resume(str(target))
    if action in (PersonAction.PUT_ON_HOLD, PersonAction.WITHDRAW):
        withdraw = action is PersonAction.WITHDRAW
        reason = st.text_input(
            ui.tr("participants.reason_required" if withdraw else "participants.reason"),
            key=f"{key}-reason",
        )
        return (lambda: Withdraw(on, reason)) if withdraw else (lambda: PutOnHold(on, reason))
    if action is PersonAction.RETURN_TO_POOL:
        return ReturnToPool
    return MarkReady


def duos_and_sessions(data: Snapshot, person_id: str) -> None:
    st.markdown(f"##### {ui.tr('participants.duos')}")
    duos = duos_of(data.duos, data.participants, person_id)
    if duos.empty:
        st.caption(ui.tr("participants.no_duos"))
    duo_page = (PAGES_DIR / "duos.py").exists()
    for duo in duos.to_dict("records"):
        started = ui.fmt_date(duo["Agreement on"]) or ui.fmt_date(duo["Proposed on"])
        line = ui.md_tr(
            "participants.duo_line",
            duo=duo["ID"],
            role=ui.md_label(duo["Role"]),
            other=duo["With"],
            status=ui.md_label(duo["Status"]),
            date=started,
        )
        if duo_page:
            st.page_link("pages/duos.py", label=line, query_params={"id": duo["ID"]})
        else:
            st.markdown(f"- {line}")
    st.markdown(f"##### {ui.tr('participants.sessions')}")
    sessions = sessions_of(data["Attendance"], data["Sessions"], person_id)
    if sessions.empty:
        st.caption(ui.tr("participants.no_sessions"))
        return
    table(
        displayed(sessions, list(sessions.columns), translate=["Kind", "Language", "Status"]),
        key=f"sessions-{person_id}",
    )


def audit_history(user: User, person: Mapping[str, Any]) -> None:
    rows = history(ui.store(), user, person)
    if rows.empty:
        st.caption(ui.tr("participants.no_history"))
        return
    rows["When"] = rows["When"].map(
        lambda when: when.strftime("%d/%m/%Y %H:%M") if not pd.isna(when) else ""
    )
    rows["Action"] = rows["Action"].map(action_label)
    rows["Details"] = rows["Details"].map(column_names)
    table(rows, key=f"history-{cell_text(person, 'ID')}")


def action_label(action: str) -> str:
    """An Audit action in the user's language: a status step, or a known kind of write."""
    if action in set(PersonAction):
        return ui.text(PERSON_ACTION_LABELS[PersonAction(action)])
    if action in set(DuoAction):
        return ui.text(DUO_ACTION_LABELS[DuoAction(action)])
    key = f"participants.audit_{action}"
    return ui.tr(key) if key in catalogue() else action


def column_names(details: str) -> str:
    """The changed columns an Audit row lists, named in the user's language."""
    names = [name.strip() for name in str(details).split(",") if name.strip()]
    known = [f"columns.{normalise_key(name)}" for name in names]
    return ", ".join(ui.tr(k) if k in catalogue() else n for k, n in zip(known, names, strict=True))


def main() -> None:
    st.title(ui.tr("participants.title"))
    data = ui.snapshot()
    user = ui.signed_in()
    person_id = st.query_params.get("id")
    if person_id:
        profile(data, user, person_id)
    else:
        people_list(data, user)


main()
