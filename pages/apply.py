"""Apply: the public intake form for future mentors and mentees (no account needed).

Shows nothing of the workbook but the Lists tab's choices and, per office, the upcoming
information sessions (date, time, place or "online", language, places left; what to bring
once registered). Never uses the signed-in user.
The rules (limits, eligibility, honeypot, rate limit, duplicates) are in
`services/applications.py`; the rate limit counts per source (the visitor's address, see
`source`), so that a reload does not start it afresh.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import access
from access import request_source
from services import applications
from services.applications import Application, ApplicationRefused, FormChoices, SessionOption
from sheets.schema import DAY_PARTS, DAYS, GENDER
from sheets.store import StoreError
from ui import context as ui
from ui.language import page_language_switch
from ui.once import Once
from ui.outbox import deliver_quietly
from ui.scroll import scroll_to
from ui.shell import require_shell
from workflow import MENTEE, MENTOR

require_shell()

APPLY_ONCE = Once("apply-form", shared=True)
SESSION_KEY = "apply-session-key"
DONE_KEY = "apply-done"
HONEYPOT_KEY = "apply-hp"
FORM_KEYS_PREFIX = "apply-"
ROLE_ORDER = (MENTEE, MENTOR)
GENDERS = tuple(choice.value for choice in GENDER)
LIMITS = applications.LIMITS_BY_FIELD
# The choice widgets, whose values a language switch sends again (ui/language.py).
CHOICE_KEYS = (
    "apply-role",
    "apply-office",
    "apply-gender",
    "apply-languages",
    "apply-sectors",
    "apply-topics",
    "apply-session",
)
SPOTS: dict[str, DeltaGenerator] = {}  # this run's place under each field for its error
HIDE_HONEYPOT = (
    f"<style>.st-key-{HONEYPOT_KEY}{{position:absolute;left:-10000px;top:auto;"
    "width:1px;height:1px;overflow:hidden;}</style>"
)


def field_label(field: str, role: str | None) -> str:
    """A form field's label; some depend on whether a mentor or a mentee fills in the form."""
    if field in {"sectors", "topics", "goal", "background"}:
        return ui.tr(f"apply.field_{field}_{(role or MENTEE).lower()}")
    return ui.tr(f"apply.field_{field}")


def role_label(role: str) -> str:
    return ui.tr(f"apply.role_{role.lower()}")


def language_name(language: str) -> str:
    """A language's name as it reads inside a sentence (French writes it in lower case)."""
    name = ui.label(language)
    return name.lower() if ui.lang() == "fr" else name


def session_label(session: SessionOption) -> str:
    if session.places_left is None:
        places = ui.tr("apply.places_open")
    elif session.places_left == 1:
        places = ui.tr("apply.place_left")
    else:
        places = ui.tr("apply.places_left", count=session.places_left)
    return ui.tr(
        "apply.session_option",
        when=session_when(session),
        place=session_place(session),
        language=language_name(session.language),
        places=places,
    )


def session_when(session: SessionOption) -> str:
    """The session's day, and its time when set: `26/11/2026, 09:30–11:30`."""
    if not session.time:
        return ui.fmt_date(session.date)
    return ui.tr("apply.session_when", date=ui.fmt_date(session.date), time=session.time)


def session_place(session: SessionOption) -> str:
    """Its address, else "online", else its office."""
    if session.address:
        return session.address
    return ui.tr("apply.session_online") if session.online else ui.label(session.office)


def registration(session: SessionOption) -> dict[str, str]:
    """What the confirmation says of the session the applicant registered for (what staff
    typed is escaped: the confirmation is Markdown)."""
    return {
        "when": session_when(session),
        "place": ui.plain(session_place(session)),
        "language": language_name(session.language),
        "bring": ui.plain(session.bring) if session.bring else "",
    }


def eligibility() -> None:
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(f"**{ui.tr('apply.mentee_heading')}**")
        st.markdown(ui.tr("apply.mentee_facts"))
    with right.container(border=True):
        st.markdown(f"**{ui.tr('apply.mentor_heading')}**")
        st.markdown(ui.tr("apply.mentor_facts"))


def confirmation(done: dict[str, Any]) -> None:
    """What was received, in place of the form, scrolled to the top of the window."""
    with st.container(key=DONE_KEY):
        confirmation_text(done)
    scroll_to(DONE_KEY)


def confirmation_text(done: dict[str, Any]) -> None:
    st.success(ui.tr("apply.thanks", name=done["first_name"]))
    st.markdown(ui.tr("apply.reference", reference=done["reference"]))
    if done["session"]:
        st.markdown(ui.tr("apply.registered_for", **done["session"]))
        if done["session"].get("bring"):
            st.markdown(ui.tr("apply.session_bring", bring=done["session"]["bring"]))
    st.markdown(ui.tr("apply.contact_soon"))
    st.subheader(ui.tr("apply.next_heading"))
    st.markdown(ui.tr(f"apply.next_{done['role'].lower()}"))
    if st.button(ui.tr("apply.another"), key="apply-another"):
        for key in [key for key in st.session_state if str(key).startswith(FORM_KEYS_PREFIX)]:
            if key != SESSION_KEY:
                del st.session_state[key]
        st.rerun()


def availability_grid() -> list[str]:
    """The 21 half-day slots as a week of checkboxes; the ticked ones."""
    st.caption(ui.tr("apply.availability_help"))
    ticked: list[str] = []
    for column, day in zip(st.columns(len(DAYS)), DAYS, strict=True):
        for part in DAY_PARTS:
            slot = f"{day[0]} {part[0]}"
            if column.checkbox(ui.label(slot), key=f"apply-slot-{slot}"):
                ticked.append(slot)
    return ticked


def session_choice(choices: FormChoices, office: str | None) -> str:
    st.caption(ui.tr("apply.session_help"))
    if not office:
        st.caption(ui.tr("apply.session_choose_office"))
        return ""
    sessions = choices.sessions_at(office)
    if not sessions:
        st.caption(ui.tr("apply.session_none"))
        return ""
    # Radio buttons, not a select box: a phone's select box cuts a long label (date, office,
    # language, places left) off; a radio's label wraps. "Not now" takes a choice back.
    texts = {session.id: session_label(session) for session in sessions}
    texts[""] = ui.tr("apply.session_not_now")
    chosen = st.radio(
        ui.tr("apply.session_question"),
        list(texts),
        index=None,
        format_func=texts.__getitem__,
        key="apply-session",
    )
    return chosen or ""


def spot(field: str) -> None:
    """Right under a field: the place its error shows when the form is refused."""
    SPOTS[field] = st.empty()


def text_field(field: str, role: str | None, **options: Any) -> str:
    """A one-line field. No `max_chars`: Streamlit would cut longer input silently, and
    an oversized answer must be refused with a message instead (the service checks it)."""
    typed = st.text_input(field_label(field, role), key=f"apply-{field}", **options)
    spot(field)
    return typed


def long_text_field(field: str, role: str | None) -> str:
    typed = st.text_area(
        field_label(field, role),
        help=ui.tr("apply.at_most", limit=LIMITS[field]),
        key=f"apply-{field}",
    )
    spot(field)
    return typed


def application_form(
    choices: FormChoices, role: str, office: str | None
) -> tuple[str, Application] | None:
    """The form; this render's token and the application when it was sent (None until then)."""
    today = ui.today()
    with st.form("apply-form", clear_on_submit=False, enter_to_submit=False):
        token = APPLY_ONCE.field()
        st.subheader(ui.tr("apply.section_you"))
        st.caption(ui.tr("apply.required_note"))
        left, right = st.columns(2)
        with left:
            first_name = text_field("first_name", role, autocomplete="given-name")
            email = text_field("email", role, autocomplete="email")
            birth_date = st.date_input(
                field_label("birth_date", role),
                value=None,
                min_value=dt.date(today.year - applications.OLDEST_PLAUSIBLE_AGE, 1, 1),
                max_value=today,
                format="DD/MM/YYYY",
                key="apply-birth_date",
            )
            spot("birth_date")
            postcode = text_field("postcode", role, autocomplete="postal-code")
        with right:
            last_name = text_field("last_name", role, autocomplete="family-name")
            phone = text_field("phone", role, autocomplete="tel", help=ui.tr("apply.phone_help"))
            gender = st.selectbox(
                field_label("gender", role),
                GENDERS,
                index=None,
                format_func=ui.format_choices(GENDERS),
                placeholder=ui.tr("apply.choose_placeholder"),
                key="apply-gender",
            )
            spot("gender")
            country = text_field("country_of_origin", role, autocomplete="country-name")
        languages = st.multiselect(
            field_label("languages", role),
            choices.languages,
            format_func=ui.format_choices(choices.languages),
            placeholder=ui.tr("apply.choose_placeholder"),
            key="apply-languages",
        )
        spot("languages")
        other = text_field("other_languages", role, autocomplete="off")

        st.subheader(ui.tr("apply.section_profile"))
        sectors = st.multiselect(
            field_label("sectors", role),
            choices.sectors,
            format_func=ui.format_choices(choices.sectors),
            placeholder=ui.tr("apply.choose_placeholder"),
            key="apply-sectors",
        )
        spot("sectors")
        topics = st.multiselect(
            field_label("topics", role),
            choices.topics,
            format_func=ui.format_choices(choices.topics),
            placeholder=ui.tr("apply.choose_placeholder"),
            key="apply-topics",
        )
        spot("topics")
        goal = long_text_field("goal", role)
        background = long_text_field("background", role)

        st.subheader(ui.tr("apply.section_availability"))
        slots = availability_grid()
        spot("availability")

        st.subheader(ui.tr("apply.section_session"))
        session_id = session_choice(choices, office)
        spot("session")

        st.subheader(ui.tr("apply.section_privacy"))
        st.markdown(ui.tr("apply.privacy_notice", years=choices.retention_years))
        consent = st.checkbox(ui.tr("apply.consent"), key="apply-consent")
        spot("consent")

        with st.container(key=HONEYPOT_KEY):
            honeypot = st.text_input(
                ui.tr("apply.honeypot"), key="apply-website", autocomplete="off"
            )
        sent = st.form_submit_button(ui.tr("apply.send"), type="primary", key="apply-send")
    if not sent:
        return None
    return token, Application(
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        birth_date=birth_date,
        gender=gender or "",
        office=office or "",
        postcode=postcode,
        languages=tuple(languages),
        other_languages=other,
        sectors=tuple(sectors),
        topics=tuple(topics),
        availability=tuple(slots),
        goal=goal,
        background=background,
        country_of_origin=country,
        consent=consent,
        session_id=session_id,
        language=ui.lang(),
        honeypot=honeypot,
    )


def problem_list(refused: ApplicationRefused, role: str) -> str:
    """The summary under the button: the fields to check by name (each one's message is
    under it), and in full the problems of no field shown (a rate limit)."""
    lines = [ui.tr("apply.problems_intro"), ""]
    for problem in refused.problems:
        text = ui.text(problem.msg)
        if problem.field in SPOTS:
            name = field_label(problem.field, role).rstrip(" *")
            lines.append(f"- **{name}**")
        elif problem.field:
            name = field_label(problem.field, role).rstrip(" *")
            lines.append(ui.tr("apply.problem_line", field=name, problem=text))
        else:
            lines.append(f"- {text}")
    return "\n".join(dict.fromkeys(lines))


def show_problems(refused: ApplicationRefused, role: str) -> None:
    """Each problem right under its field, and the summary under the button."""
    by_field: dict[str, list[str]] = {}
    for problem in refused.problems:
        by_field.setdefault(problem.field, []).append(ui.text(problem.msg))
    for field, texts in by_field.items():
        if field in SPOTS:
            SPOTS[field].error("\n\n".join(texts), icon=":material/error:")
    st.error(problem_list(refused, role))


def source() -> str:
    """Where this visitor comes from (their address), else this browser session: on a local
    connection (or a proxy on this machine not declared in secrets) there is no address."""
    found = request_source(
        st.context.ip_address,
        st.context.headers.get_all(access.FORWARDED_FOR),
        behind_proxy=access.behind_proxy(ui.secrets()),
    )
    return found or f"session:{st.session_state.setdefault(SESSION_KEY, secrets.token_hex(16))}"


def send(application: Application, choices: FormChoices, record_id: str) -> dict[str, Any] | None:
    """Submit; the confirmation's facts on success, else None (and say what is wrong)."""
    try:
        outcome = applications.submit(
            ui.store(), application, ui.today(), source=source(), record_id=record_id
        )
    except ApplicationRefused as refused:
        show_problems(refused, application.role)
        return None
    except StoreError:
        st.error(ui.tr("apply.unavailable"))
        return None
    deliver_quietly(outcome.ids[:1])
    sessions = {session.id: session for session in choices.sessions}
    chosen = sessions.get(application.session_id)
    return {
        "reference": outcome.ids[0],
        "role": application.role,
        "first_name": applications.clean_text(application.first_name),
        "session": registration(chosen) if chosen else {},
    }


def choices_or_stop() -> FormChoices:
    """What the form offers; the page stops (saying why) when the workbook cannot tell."""
    try:
        choices = applications.form_choices(ui.store(), ui.today())
    except StoreError:
        st.error(ui.tr("apply.unavailable_page"))
        st.stop()
    if not choices.offices:
        st.warning(ui.tr("apply.no_offices"))
        st.stop()
    return choices


def role_and_office(choices: FormChoices) -> tuple[str | None, str | None]:
    role = st.radio(
        ui.tr("apply.role_question"),
        ROLE_ORDER,
        index=None,
        format_func=ui.format_choices(ROLE_ORDER, role_label),
        horizontal=True,
        key="apply-role",
    )
    office = st.selectbox(
        ui.tr("apply.office_question"),
        choices.offices,
        index=None,
        format_func=ui.format_choices(choices.offices),
        placeholder=ui.tr("apply.office_placeholder"),
        key="apply-office",
    )
    spot("office")
    return role, office


def main() -> None:
    st.html(HIDE_HONEYPOT)
    page_language_switch(keep=CHOICE_KEYS)
    st.title(ui.tr("apply.title"))
    sent_before = APPLY_ONCE.result()
    if sent_before is not None:
        confirmation(sent_before)
        st.stop()
    st.markdown(ui.tr("apply.intro"))
    eligibility()
    choices = choices_or_stop()
    role, office = role_and_office(choices)
    if role is None:
        st.info(ui.tr("apply.choose_role"))
        st.stop()
    sent = application_form(choices, role, office)
    if sent is not None:
        token, application = sent
        record_id = APPLY_ONCE.record_id(token, "P")
        APPLY_ONCE.submit(token, lambda: send(application, choices, record_id))


main()
