"""Where messages start: the use cases that make drafts from the workbook, queue them in the
Outbox and send them (when a mail server is configured).

- `application_drafts`: the applicant's confirmation, with the chosen session (the Apply
  form's unit of work appends it with the application itself);
- `invite_session`: the people registered for a session, each with an `.ics`;
- `invite_intro`: a duo's intro meeting to mentor, mentee and the coordinator, with an `.ics`;
- `send_meeting_links`: the mentor's and the mentee's meeting-log links (again on request);
- `run_reminders`: what is due today (`messages.due_reminders`), queued then sent; a dry run
  says what would go and writes nothing; the end reminder carries the mentor's and the
  mentee's own evaluation links;
- `save_template`: an admin's wording of a message, in the Templates tab.

The Sessions tab's `Start time`, `End time`, `Address`, `Video link`, `What to bring` and the
Duos tab's `Intro time`, `Intro place` are read when the workbook has them; a message leaves
out what is unknown. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

import clock
from access import User
from i18n import LANGUAGES, Messages, Msg, catalogue, t
from invites import invitation
from links import MENTEE, MENTOR
from messages import (
    DEFAULT_LANGUAGE,
    INTRO_MEETING,
    MEETING_LOG_LINK,
    PLACEHOLDERS,
    SESSION_INVITATION,
    TEMPLATES_TAB,
    Draft,
    EvaluationLinks,
    Occasion,
    Recipient,
    StaffMember,
    Template,
    Workbook,
    dedupe_key,
    draft,
    due_reminders,
    duo_pair,
    intro_occasion,
    no_evaluation_links,
    occasion_lines,
    participant_recipient,
    render,
    sample_values,
    session_occasion,
    template_problems,
    templates_from,
)
from services.mail import SmtpSettings, smtp_settings
from services.meeting_links import link_for, secret_key
from services.offices import check_office
from services.outbox import (
    OUTBOX_TAB,
    SendReport,
    new_drafts,
    outbox_rows,
    queue,
    send_queued,
)
from services.self_evaluations import evaluation_link_for
from services.settings import require_admin
from services.staff import staff_rows
from services.unit import Outcome, Unit, read_now, write_planned
from settings import attention_settings, current_values
from sheets.store import RecordNotFound, Store, StoreError
from sheets.values import normalise_key
from workflow import TransitionError, by_id, cell_text, person_name, records

notify_message = Messages("outbox")
"""A message of `i18n/outbox.toml`."""

REGISTERED = "Registered"


class NothingToSend(TransitionError):
    """No one the message may go to (no consent, no address, no date ...)."""


def current_templates(store: Store) -> dict[tuple[str, str], Template]:
    """The defaults with the admins' wording over them (Templates tab)."""
    return templates_from(store.table(TEMPLATES_TAB).frame)


@dataclass
class Delivery:
    """What a use case queued and how it went out."""

    message: Msg
    queued: list[str] = field(default_factory=list)
    report: SendReport | None = None
    """None: no mail server configured; the queued rows wait to be sent from a mail app."""


def deliver(
    store: Store, secrets: Mapping[str, Any], ids: Collection[str], who: str
) -> SendReport | None:
    """Send the rows `ids` when a mail server is configured (else they stay queued)."""
    settings = smtp_settings(secrets)
    if settings is None or not ids:
        return None
    return send_queued(store, settings, ids=set(ids), who=who)


def deliver_about(
    store: Store, secrets: Mapping[str, Any], record_ids: Collection[str], who: str
) -> SendReport | None:
    """Send the queued rows about these records (the Apply form's confirmation), when a mail
    server is configured."""
    settings = smtp_settings(secrets)
    if settings is None or not record_ids:
        return None
    return send_queued(store, settings, record_ids=set(record_ids), who=who)


def _queue_and_deliver(
    store: Store, secrets: Mapping[str, Any], drafts: Sequence[Draft], who: str
) -> Delivery:
    if not drafts:
        raise NothingToSend(notify_message("nobody"))
    ids = queue(store, drafts, who)
    report = deliver(store, secrets, ids, who)
    return Delivery(
        notify_message("queued", count=len(ids), skipped=len(drafts) - len(ids)), ids, report
    )


# -- a session's invitations -----------------------------------------------------------------


def session_kind_text(kind: str, lang: str) -> str:
    """A session's kind in the recipient's language (as the pages label it)."""
    key = f"values.{normalise_key(kind)}"
    return t(key, lang) if key in catalogue() else kind


def invite_session(
    store: Store, user: User, session_id: str, secrets: Mapping[str, Any]
) -> Delivery:
    """Invite each person registered for the session (with consent), each with an `.ics`
    naming them only; a person already invited to this date and time is not invited again."""
    tables = read_now(store, ["Sessions", "Attendance", "Participants", TEMPLATES_TAB])
    session = by_id(records(tables["Sessions"].frame)).get(session_id)
    if session is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": "Sessions", "key": session_id}))
    check_office(user, cell_text(session, "Office"), session_id)
    occasion = session_occasion(session)
    if occasion.day is None:
        raise NothingToSend(notify_message("no_date"))
    people = by_id(records(tables["Participants"].frame))
    templates = templates_from(tables[TEMPLATES_TAB].frame)
    drafts = []
    for row in records(tables["Attendance"].frame):
        if cell_text(row, "Session ID") != session_id or cell_text(row, "Status") != REGISTERED:
            continue
        person = people.get(cell_text(row, "Participant ID"))
        recipient = None if person is None else participant_recipient(person)
        if recipient is None:
            continue
        kind_text = session_kind_text(cell_text(session, "Kind"), recipient.language)
        values = {
            "session_kind": kind_text,
            "session": occasion_lines(occasion, recipient.language),
            "office": cell_text(session, "Office"),
            "coordinator": user.name,
        }
        calendar = invitation(
            session_id,
            f"DUO for a JOB – {kind_text}",
            occasion,
            clock.now(),
            description=values["session"],
            organizer=(user.email, user.name),
            attendees=[(recipient.email, recipient.name)],
        )
        key = dedupe_key(SESSION_INVITATION, session_id, recipient.person_id, _when(occasion))
        drafts.append(
            draft(templates, SESSION_INVITATION, recipient, values, session_id, key, calendar)
        )
    return _queue_and_deliver(store, secrets, drafts, user.email)


def _when(occasion: Occasion) -> str:
    """The date and time a key names: a session moved to another day is invited again."""
    day = occasion.day.isoformat() if occasion.day else ""
    return f"{day}T{occasion.start}" if occasion.start else day


# -- a duo's intro meeting and meeting-log links ---------------------------------------------


def _duo_and_people(
    store: Store, user: User, duo_id: str
) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]], dict[tuple[str, str], Template]]:
    tables = read_now(store, ["Duos", "Participants", TEMPLATES_TAB])
    duo = by_id(records(tables["Duos"].frame)).get(duo_id)
    if duo is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": "Duos", "key": duo_id}))
    check_office(user, cell_text(duo, "Office"), duo_id)
    people = dict(by_id(records(tables["Participants"].frame)))
    return dict(duo), people, templates_from(tables[TEMPLATES_TAB].frame)


def _names(duo: Mapping[str, Any], people: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    names = {}
    for role, column in ((MENTOR, "Mentor ID"), (MENTEE, "Mentee ID")):
        person = people.get(cell_text(duo, column))
        names[role] = cell_text(duo, column) if person is None else person_name(person)
    return names


def invite_intro(
    store: Store,
    user: User,
    duo_id: str,
    secrets: Mapping[str, Any],
    staff_language: str = DEFAULT_LANGUAGE,
) -> Delivery:
    """The intro meeting to the mentor and mentee (with consent) and to the coordinator (the
    user, in their Staff `Language`; `staff_language` for someone not on the Staff tab),
    each with an `.ics` naming the three; sent once per intro date and time."""
    duo, people, templates = _duo_and_people(store, user, duo_id)
    occasion = intro_occasion(duo)
    if occasion.day is None:
        raise NothingToSend(notify_message("no_intro_date"))
    names = _names(duo, people)
    recipients: list[Recipient] = []
    for _, person in duo_pair(duo, people):
        recipient = participant_recipient(person)
        if recipient is not None:
            recipients.append(recipient)
    if not recipients:
        raise NothingToSend(notify_message("nobody"))
    language = staff_language_of(store, user.email, staff_language)
    coordinator = Recipient(user.email, user.name, user.name, language)
    everyone = [*recipients, coordinator]
    attendees = [(each.email, each.name) for each in everyone]
    drafts = []
    for recipient in everyone:
        values = {
            "mentor": names[MENTOR],
            "mentee": names[MENTEE],
            "meeting": occasion_lines(occasion, recipient.language),
            "office": cell_text(duo, "Office"),
            "coordinator": user.name,
        }
        summary = t("outbox.intro_summary", recipient.language, **names)
        calendar = invitation(
            f"{duo_id}-intro",
            summary,
            occasion,
            clock.now(),
            description=values["meeting"],
            organizer=(user.email, user.name),
            attendees=attendees,
        )
        who = recipient.person_id or recipient.email.casefold()
        key = dedupe_key(INTRO_MEETING, duo_id, who, _when(occasion))
        drafts.append(draft(templates, INTRO_MEETING, recipient, values, duo_id, key, calendar))
    return _queue_and_deliver(store, secrets, drafts, user.email)


def send_meeting_links(
    store: Store,
    user: User,
    duo_id: str,
    base_url: str,
    secret: str | None,
    secrets: Mapping[str, Any],
    request: str,
) -> Delivery:
    """Each of the duo's two people (with consent) gets their own meeting-log link.
    `request` names this request (a form token): asking again sends them again."""
    duo, people, templates = _duo_and_people(store, user, duo_id)
    names = _names(duo, people)
    drafts = []
    for role, person in duo_pair(duo, people):
        recipient = participant_recipient(person)
        if recipient is None:
            continue
        link = link_for(store, duo_id, base_url, secret, role.lower(), user=user)
        values = {
            "mentor": names[MENTOR],
            "mentee": names[MENTEE],
            "link": link,
            "office": cell_text(duo, "Office"),
            "coordinator": user.name,
        }
        key = dedupe_key(MEETING_LOG_LINK, duo_id, recipient.person_id, request)
        drafts.append(draft(templates, MEETING_LOG_LINK, recipient, values, duo_id, key))
    return _queue_and_deliver(store, secrets, drafts, user.email)


# -- reminders --------------------------------------------------------------------------------

REMINDER_TABS = (
    "Participants",
    "Duos",
    "Meetings",
    "Check-ins",
    "Evaluations",
    "Sessions",
    "Attendance",
    "Staff",
    "Settings",
    TEMPLATES_TAB,
    OUTBOX_TAB,
)


@dataclass
class ReminderRun:
    due: list[Draft]
    """The reminders due today that were never queued before."""
    queued: list[str] = field(default_factory=list)
    report: SendReport | None = None
    dry_run: bool = True


def staff_members(frame: pd.DataFrame) -> list[StaffMember]:
    """The active staff, for their weekly digest in their own language (Staff `Language`,
    blank meaning French)."""
    return [
        StaffMember(row.email, row.name, row.offices, row.role == "Admin", row.message_language)
        for row in staff_rows(frame)
        if row.active
    ]


def staff_language_of(store: Store, email: str, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The language of the messages to this staff member: their Staff row's, else
    `fallback` (someone not on the Staff tab)."""
    frame = read_now(store, ["Staff"])["Staff"].frame
    for row in staff_rows(frame):
        if row.email.casefold() == email.casefold():
            return row.message_language
    return fallback if fallback in LANGUAGES else DEFAULT_LANGUAGE


def app_url(secrets: Mapping[str, Any], base_url: str = "") -> str:
    """The app's address links start with: the one given (the page's own), else
    `[links] base_url` from secrets (the reminders command has no browser), else blank."""
    configured = str(dict(secrets.get("links", {}) or {}).get("base_url", "") or "")
    return (base_url or configured).strip().rstrip("/")


def evaluation_links(
    store: Store, secrets: Mapping[str, Any], base_url: str, today: dt.date
) -> EvaluationLinks:
    """Each duo person's own end-evaluation link (`self_evaluations.evaluation_link_for`),
    or none at all when links are disabled or the app's address is unknown; a duo whose
    evaluation no link opens gets none."""
    secret = secret_key(secrets, store)
    address = app_url(secrets, base_url)
    if secret is None or not address:
        return no_evaluation_links

    def link(duo_id: str, role: str) -> str:
        try:
            return evaluation_link_for(store, duo_id, address, secret, role.lower(), today=today)
        except (StoreError, TransitionError):
            return ""

    return link


def run_reminders(
    store: Store,
    secrets: Mapping[str, Any],
    today: dt.date,
    *,
    dry_run: bool = False,
    who: str = "Reminders",
    settings: SmtpSettings | None = None,
    base_url: str = "",
) -> ReminderRun:
    """What is due today, queued and sent (a dry run only computes it). Run it again: what
    was queued or sent is not again. The end reminders carry each person's evaluation link
    when links are on and the app's address is known (`app_url`)."""
    tables = read_now(store, REMINDER_TABS)
    frames = {name: table.frame for name, table in tables.items()}
    values, _ = current_values(frames["Settings"])
    book = Workbook(
        participants=frames["Participants"],
        duos=frames["Duos"],
        meetings=frames["Meetings"],
        check_ins=frames["Check-ins"],
        evaluations=frames["Evaluations"],
        sessions=frames["Sessions"],
        attendance=frames["Attendance"],
        staff=tuple(staff_members(frames["Staff"])),
    )
    templates = templates_from(frames[TEMPLATES_TAB])
    links = evaluation_links(store, secrets, base_url, today)
    due = due_reminders(book, today, templates, attention_settings(values), evaluation_links=links)
    fresh = new_drafts(due, outbox_rows(frames[OUTBOX_TAB]))
    run = ReminderRun(fresh, dry_run=dry_run)
    if dry_run:
        return run
    run.queued = queue(store, fresh, who)
    smtp = settings or smtp_settings(secrets)
    if smtp is not None:
        run.report = send_queued(store, smtp, who=who)
    return run


# -- templates --------------------------------------------------------------------------------


class TemplateRefused(StoreError):
    """A template that cannot be saved: unknown kind or language, or its problems."""


@dataclass(frozen=True)
class _Planned:
    unit: Unit


def save_template(
    store: Store, user: User, kind: str, language: str, subject: str, body: str
) -> Outcome:
    """An admin's wording of one kind in one language: refused while a placeholder is
    unknown; the Templates row of that kind and language is changed, else added."""
    require_admin(user)
    if kind not in PLACEHOLDERS or language not in LANGUAGES:
        raise TemplateRefused(notify_message("unknown_template", kind=kind, language=language))
    problems = template_problems(kind, subject, body)
    if problems:
        raise TemplateRefused(problems[0])
    cells = {"Subject": subject.strip(), "Body": body.strip(), "Updated on": clock.now()}

    def plan() -> _Planned:
        frame = read_now(store, [TEMPLATES_TAB])[TEMPLATES_TAB].frame
        unit = Unit()
        if _has_row(frame, kind, language):
            where = {"Kind": kind, "Language": language}
            unit.update_where(TEMPLATES_TAB, where, cells, None, "edit_template")
        else:
            row = {"Kind": kind, "Language": language, **cells}
            unit.append(TEMPLATES_TAB, [row], "edit_template")
        return _Planned(unit)

    write_planned(store, user.email, plan)
    return Outcome(notify_message("template_saved", kind=kind, language=language))


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    problems: list[Msg]


def preview(kind: str, language: str, subject: str, body: str, today: dt.date) -> Preview:
    """A template as a message would read (made-up values), or why it cannot be used."""
    problems = template_problems(kind, subject, body)
    if problems:
        return Preview("", "", problems)
    rendered = render(Template(kind, language, subject, body), sample_values(kind, language, today))
    return Preview(rendered.subject, rendered.body, [])


def _has_row(frame: pd.DataFrame, kind: str, language: str) -> bool:
    return any(
        cell_text(row, "Kind") == kind and cell_text(row, "Language").lower() == language
        for row in records(frame, ("Kind", "Language"))
    )
