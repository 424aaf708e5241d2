"""Intake: the applicants waiting for their intake interview, and the interview form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import streamlit as st

from access import User
from services.people import (
    INFO_SESSION_ON,
    NAME,
    WAITING_DAYS,
    WAITING_FOR_INTAKE,
    IntakeChoice,
    IntakeOutcome,
    info_session_attended_on,
    intake_choices,
    intake_problems,
    intake_queue,
    profile_problems,
    record_intake,
)
from services.snapshot import Snapshot
from services.unit import Outcome
from ui import context as ui
from ui.feedback import attempt, flash
from ui.once import Once
from ui.person_form import (
    CONDITIONS,
    Spots,
    date_field,
    forget_form,
    is_mentee,
    loaded_record,
    profile_field,
    show_errors,
    spot_under,
)
from ui.picker import PeoplePicker
from ui.shell import require_shell
from ui.tables import displayed
from workflow import MENTOR, CompleteIntake, Withdraw, cell_date, cell_text, person_name

require_shell()

PICKER = PeoplePicker("intake")
ATTENDED_COL = "Attended info session"
QUEUE_COLUMNS = ["ID", NAME, "Role", "Status", "Office", "Applied on", WAITING_DAYS, ATTENDED_COL]
INTERVIEW_FIELDS: tuple[tuple[str, ...], ...] = (
    ("Birth date", "Languages"),
    ("Sectors", "Topics"),
    ("Personality", "Preferences"),
    ("Goal", "Background"),
)


# -- who is waiting ---------------------------------------------------------------------


def waiting_list(data: Snapshot) -> None:
    queue = intake_queue(data.participants, data["Attendance"], data["Sessions"], ui.today())
    if queue.empty:
        st.success(ui.tr("intake.nobody_waiting"))
        return
    st.caption(ui.tr("intake.waiting_count", count=len(queue)))
    queue[ATTENDED_COL] = queue[INFO_SESSION_ON].notna()
    shown = displayed(queue, QUEUE_COLUMNS, translate=["Role", "Status"]).rename(
        columns={
            WAITING_DAYS: ui.tr("participants.waiting_days"),
            ATTENDED_COL: ui.tr("intake.attended_info_session"),
        }
    )
    names = dict(zip(queue["ID"], queue[NAME], strict=True))
    PICKER.show(shown, names, ui.tr("intake.open"))


# -- the interview ----------------------------------------------------------------------


def interview(data: Snapshot, user: User, person_id: str) -> None:
    st.button(ui.tr("participants.back"), icon=":material/arrow_back:", on_click=PICKER.close)
    person = data.person(person_id)
    if person is None:
        st.warning(ui.md_tr("participants.not_found", id=person_id))
        return
    st.subheader(f"{ui.plain(person_name(person))} · {ui.plain(person_id)}")
    status = cell_text(person, "Status")
    st.caption(" · ".join(ui.md_label(v) for v in (cell_text(person, "Role"), status) if v))
    if status not in WAITING_FOR_INTAKE:
        st.info(ui.md_tr("intake.not_waiting", status=ui.md_label(status)))
        st.page_link(
            "pages/participants.py",
            label=ui.tr("intake.open_profile"),
            query_params={"id": person_id},
        )
        return
    attended_on = info_session_attended_on(data["Attendance"], data["Sessions"], person_id)
    applied = ui.fmt_date(cell_date(person, "Applied on")) or "—"
    if attended_on is None:
        st.caption(ui.md_tr("intake.applied_no_session", applied=applied))
    else:
        session = ui.fmt_date(attended_on)
        st.caption(ui.md_tr("intake.applied_and_session", applied=applied, session=session))
    interview_form(data, user, person, attended_on)


def interview_form(
    data: Snapshot, user: User, person: Mapping[str, Any], attended_on: date | None
) -> None:
    prefix = f"intake-{cell_text(person, 'ID')}"
    keys, seen = loaded_record(prefix, person, "Goal")
    choices = intake_choices(seen, data.duos, attended_on)
    once = Once(prefix)  # its token outlives the form's keys of one generation
    with st.form(f"{keys}-form", clear_on_submit=False):
        token = once.field()
        consent_today = consent(seen, keys)
        spots: Spots = {}
        profile = interview_fields(data, seen, keys, spots)
        st.markdown(f"##### {ui.tr('intake.section_outcome')}")
        if IntakeChoice.COMPLETE not in choices:
            st.caption(ui.tr("intake.session_first"))
        left, right = st.columns(2)
        with left:
            on = date_field(ui.tr("intake.date"), ui.today(), f"{keys}-on") or ui.today()
            choice = st.radio(
                ui.tr("intake.outcome"),
                choices,
                format_func=ui.format_choices(choices, lambda c: ui.tr(f"intake.choice_{c}")),
                key=f"{keys}-outcome",
            )
        with right:
            ready = is_mentee(seen) and st.checkbox(ui.tr("intake.ready"), key=f"{keys}-ready")
            reason = st.text_input(ui.tr("intake.withdraw_reason"), key=f"{keys}-reason")
        show_errors(spots, profile_problems(seen, profile, on))
        acknowledged = eligibility(seen, profile, on, keys)
        submitted = st.form_submit_button(ui.tr("intake.save"), type="primary", key=f"{keys}-save")
    once.show()
    if not submitted:
        return
    if consent_today:
        profile["Consent on"] = ui.today()
    step = outcome_step(IntakeChoice(choice), on, ready=ready, reason=reason)

    def recorded() -> Outcome | None:
        """Write the interview; a status move goes back to the queue and says so at the top."""
        outcome = attempt(
            lambda: record_intake(
                ui.store(),
                user,
                seen,
                profile,
                step,
                duos=data.duos,
                attended_on=attended_on,
                acknowledged=acknowledged,
            )
        )
        if outcome is not None:
            forget_form(prefix)
            if outcome.ok and step is not None:
                st.query_params.pop("id", None)
                flash(outcome.message)
        return outcome

    once.submit(token, recorded)


def consent(person: Mapping[str, Any], keys: str) -> bool:
    """Shows the consent date; when there is none, offers to record it as given today."""
    given = cell_date(person, "Consent on")
    if given is not None:
        st.markdown(ui.md_tr("intake.consent_given", date=given))
        return False
    st.warning(ui.tr("intake.consent_missing"))
    return st.checkbox(ui.tr("intake.consent_today"), key=f"{keys}-consent")


def interview_fields(
    data: Snapshot, person: Mapping[str, Any], keys: str, spots: Spots
) -> dict[str, Any]:
    """The profile the interview completes: needs or strengths, personality, availability...
    and for a mentee the programme's other conditions. Each field's errors show under it."""
    st.markdown(f"##### {ui.tr('intake.section_profile')}")
    values: dict[str, Any] = {}
    rows = [*INTERVIEW_FIELDS, *([CONDITIONS] if is_mentee(person) else [])]
    for row in rows:
        for column, field in zip(st.columns(len(row)), row, strict=True):
            with column:
                values[field] = profile_field(field, person, keys, lists=data["Lists"])
                spot_under(spots, field)
    if cell_text(person, "Role") == MENTOR:
        values["Capacity"] = profile_field("Capacity", person, keys, lists=data["Lists"])
        spot_under(spots, "Capacity")
    values["Availability"] = profile_field("Availability", person, keys, lists=data["Lists"])
    return values


def eligibility(person: Mapping[str, Any], profile: Mapping[str, Any], on: date, keys: str) -> bool:
    """The eligibility warnings for the values in the form; True once acknowledged (or none).

    Each names the condition not met: age, a programme language, and for a mentee legal
    long-term residence, a non-EU nationality or origin, looking for work or training."""
    st.markdown(f"##### {ui.tr('intake.section_eligibility')}")
    problems = intake_problems({**person, **profile}, on)
    if not problems:
        st.success(ui.tr("intake.eligible"))
        return True
    for problem in problems:
        st.warning(ui.md_text(problem.msg))
    return st.checkbox(ui.tr("intake.acknowledge"), key=f"{keys}-acknowledge")


def outcome_step(choice: IntakeChoice, on: date, *, ready: bool, reason: str) -> IntakeOutcome:
    if choice is IntakeChoice.COMPLETE:
        return CompleteIntake(on, ready=ready)
    if choice is IntakeChoice.WITHDRAW:
        return Withdraw(on, reason)
    return None


def main() -> None:
    st.title(ui.tr("intake.title"))
    data = ui.snapshot()
    user = ui.signed_in()
    person_id = st.query_params.get("id")
    if person_id:
        interview(data, user, person_id)
    else:
        waiting_list(data)


main()
