"""The public intake form: what an applicant may choose, what is refused, what is written.

Anyone on the internet can send this form, so the rules here do not trust the page: every
length limit, every choice and every eligibility rule is checked again on submission (a
widget's `max_chars` is only a convenience), control characters are removed, and nothing is
written unless everything holds. A filled honeypot field (a bot) gets a pretend success and
no write; rate limits per source (the visitor's address), per e-mail address and per
process keep a flood out of the sheet.
An e-mail address that a participant already has is flagged in the new row's Notes for the
coordinator, and never told to the applicant (the confirmation is the same either way).

Text is stored as text: a value starting with `=`, `+`, `-` or `@` never becomes a formula
(the store writes every cell as plain text, see `sheets/local.py` and `sheets/google.py`).
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

import clock
import phones
import validation
from i18n import LANGUAGES, Messages, Msg
from messages import (
    APPLICATION_RECEIVED,
    DEFAULT_LANGUAGE,
    TEMPLATES_TAB,
    Draft,
    dedupe_key,
    draft,
    occasion_lines,
    participant_recipient,
    session_occasion,
    templates_from,
)
from ratelimit import EVERYONE, SlidingWindowLimiter, admit
from services.outbox import OUTBOX_TAB, add_to_unit, outbox_rows
from services.unit import Outcome, Unit, new_record_id, taken_ids
from settings import current_values
from sheets.ids import new_id
from sheets.schema import GENDER, PROGRAMME_LANGUAGES, SLOTS
from sheets.store import Store
from sheets.values import LIST_SEPARATORS
from validation import TEXT_LIMITS, person_problems, validation_message
from venues import time_span
from workflow import (
    APPLIED,
    TransitionError,
    by_id,
    cell_date,
    cell_number,
    cell_text,
    records,
)

SOURCE = "Website form"
"""The Participants "Source" of every application sent through the form."""
WHO = "Website form"
"""Who the audit names for the form's writes (an applicant has no account)."""
REGISTERED = "Registered"
INFO_SESSION_KIND = "Info session"
TAKEN_PLACE_STATUSES = frozenset({"Registered", "Attended"})
OLDEST_PLAUSIBLE_AGE = validation.OLDEST_PLAUSIBLE_AGE
MAX_OTHER_LANGUAGES = 10
MAX_LANGUAGE_CHARS = 40

COLUMNS_BY_FIELD: dict[str, str] = {
    "role": "Role",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "birth_date": "Birth date",
    "postcode": "Postcode",
    "country_of_origin": "Country of origin",
    "languages": "Languages",
    "goal": "Goal",
    "background": "Background",
}
"""The form's fields and the Participants columns whose rules (`validation.py`) judge them."""
FIELDS_BY_COLUMN = {column: name for name, column in COLUMNS_BY_FIELD.items()}
LIMITS_BY_FIELD: dict[str, int] = {
    "first_name": TEXT_LIMITS["First name"],
    "last_name": TEXT_LIMITS["Last name"],
    "email": TEXT_LIMITS["Email"],
    "phone": TEXT_LIMITS["Phone"],
    "postcode": TEXT_LIMITS["Postcode"],
    "country_of_origin": TEXT_LIMITS["Country of origin"],
    "other_languages": 120,
    "goal": TEXT_LIMITS["Goal"],
    "background": TEXT_LIMITS["Background"],
}
"""The most characters each text field takes (the page gives the widgets the same limits)."""
MULTILINE_FIELDS = frozenset({"goal", "background"})

apply_message = Messages("apply")
"""A message of `i18n/apply.toml`."""


# -- what the applicant may choose -----------------------------------------------------------


@dataclass(frozen=True)
class SessionOption:
    """An upcoming information session, as much as an applicant may see of it."""

    id: str
    date: dt.date
    office: str
    language: str
    places_left: int | None
    """None when the session has no capacity set (no limit known)."""
    time: str = ""
    """`09:30–11:30`, `09:30`, or "" (no time set)."""
    address: str = ""
    online: bool = False
    """A video link and no address: the session takes place online."""
    bring: str = ""
    """What to bring, as the coordinator wrote it."""


@dataclass(frozen=True)
class FormChoices:
    """The values the form offers, from the Lists tab, and the sessions open to applicants."""

    offices: tuple[str, ...]
    languages: tuple[str, ...]
    sectors: tuple[str, ...]
    topics: tuple[str, ...]
    sessions: tuple[SessionOption, ...]
    retention_years: int

    def sessions_at(self, office: str) -> list[SessionOption]:
        """The sessions an applicant of `office` may register for (soonest first)."""
        return [session for session in self.sessions if session.office == office]


def form_choices(store: Store, today: dt.date) -> FormChoices:
    """Offices, languages, sectors and topics of the Lists tab, and open info sessions."""
    tables = store.read(["Lists", "Sessions", "Attendance", "Settings"])
    lists = tables["Lists"].frame
    languages = _listed(lists, "Languages")
    values, _ = current_values(tables["Settings"].frame)
    return FormChoices(
        offices=tuple(_listed(lists, "Offices")),
        languages=tuple(dict.fromkeys([*PROGRAMME_LANGUAGES, *languages])),
        sectors=tuple(_listed(lists, "Sectors")),
        topics=tuple(_listed(lists, "Topics")),
        sessions=tuple(open_sessions(tables["Sessions"].frame, tables["Attendance"].frame, today)),
        retention_years=int(values["privacy.retention_years"]),
    )


def _listed(lists: pd.DataFrame, column: str) -> list[str]:
    if column not in lists.columns:
        return []
    return list(dict.fromkeys(str(value).strip() for value in lists[column] if str(value).strip()))


def open_sessions(
    sessions: pd.DataFrame, attendance: pd.DataFrame, today: dt.date
) -> list[SessionOption]:
    """Info sessions from today on that still have a place, soonest first."""
    taken = _places_taken(attendance)
    found: list[SessionOption] = []
    for row in records(sessions):
        day = cell_date(row, "Date")
        session_id = cell_text(row, "ID")
        if not session_id or cell_text(row, "Kind") != INFO_SESSION_KIND:
            continue
        if day is None or day < today or not cell_text(row, "Office"):
            continue
        capacity = cell_number(row, "Capacity")
        left = None if capacity is None else max(0, int(capacity) - taken.get(session_id, 0))
        if left == 0:
            continue
        found.append(
            SessionOption(
                session_id,
                day,
                cell_text(row, "Office"),
                cell_text(row, "Language"),
                left,
                time=time_span(row.get("Start time"), row.get("End time")),
                address=cell_text(row, "Address"),
                online=not cell_text(row, "Address") and bool(cell_text(row, "Video link")),
                bring=cell_text(row, "What to bring"),
            )
        )
    return sorted(found, key=lambda session: (session.date, session.id))


def _places_taken(attendance: pd.DataFrame) -> dict[str, int]:
    taken: dict[str, int] = {}
    for row in records(attendance, ["Session ID", "Status"]):
        if cell_text(row, "Status") in TAKEN_PLACE_STATUSES:
            session_id = cell_text(row, "Session ID")
            taken[session_id] = taken.get(session_id, 0) + 1
    return taken


# -- the application ------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """What the form sent, as typed (cleaned and checked by `problems` and `submit`)."""

    role: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    office: str = ""
    postcode: str = ""
    languages: tuple[str, ...] = ()
    other_languages: str = ""
    sectors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    goal: str = ""
    background: str = ""
    country_of_origin: str = ""
    consent: bool = False
    session_id: str = ""
    language: str = ""
    """The language the form was filled in (fr / nl / en): the tool writes to them in it."""
    honeypot: str = ""
    """A field people do not see; only a bot fills it."""


@dataclass(frozen=True)
class Problem:
    """Why the form cannot be sent: the field concerned ("" for the whole form) and why."""

    field: str
    msg: Msg


class ApplicationRefused(TransitionError):
    """The application was not written; `problems` says why, field by field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems[0].msg)
        self.problems = list(problems)


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Text without control characters (a workbook cannot hold them), trimmed.

    Single-line fields also lose their line breaks, which a form should not let in anyway.
    """
    text = unicodedata.normalize("NFC", str(value or ""))
    kept = "\n\t" if multiline else ""
    text = "".join(c if c in kept or unicodedata.category(c) != "Cc" else " " for c in text)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def cleaned(application: Application) -> Application:
    """The application with every text field cleaned and the choices de-duplicated."""
    texts: dict[str, Any] = {
        name: clean_text(getattr(application, name), multiline=name in MULTILINE_FIELDS)
        for name in (*LIMITS_BY_FIELD, "role", "gender", "office", "session_id", "honeypot")
    }
    lists: dict[str, Any] = {
        name: tuple(dict.fromkeys(clean_text(v) for v in getattr(application, name) if v))
        for name in ("languages", "sectors", "topics", "availability")
    }
    return replace(application, **texts, **lists)


def is_bot(application: Application) -> bool:
    return bool(clean_text(application.honeypot))


def other_languages(text: str) -> list[str]:
    """The languages typed in the "other" field, one per comma, semicolon, slash or line."""
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


def all_languages(application: Application) -> list[str]:
    return list(
        dict.fromkeys([*application.languages, *other_languages(application.other_languages)])
    )


def problems(application: Application, choices: FormChoices, today: dt.date) -> list[Problem]:
    """Everything that stops the (cleaned) application from being sent, in form order.

    The person's fields are judged by the same rules as the intake and the profile form
    (`validation.person_problems`). A warning there (a mentee aged 40, a mentor under 50,
    no programme language) is a judgement a coordinator confirms; an applicant on the public
    form cannot confirm it, so the form refuses it like an error, saying why, as it always
    has: the coordinator may still take the person on at intake.
    """
    found: list[Problem] = []
    found += _required(application)
    found += _person_rules(application, today)
    found += _not_offered(application, choices)
    found += _languages(application)
    found += _session(application, choices)
    if not application.consent:
        found.append(Problem("consent", apply_message("consent_required")))
    order = list(Application.__dataclass_fields__)
    return sorted(found, key=lambda p: order.index(p.field) if p.field in order else len(order))


def _required(application: Application) -> list[Problem]:
    """What the form needs beyond a person's rules: an e-mail, an office, a birth date."""
    found: list[Problem] = []
    for name in ("email", "office"):
        if not getattr(application, name):
            found.append(Problem(name, validation_message("required")))
    if application.birth_date is None:
        found.append(Problem("birth_date", validation_message("required")))
    return found


def person_record(application: Application) -> dict[str, Any]:
    """The application's fields as the Participants columns the rules judge."""
    return {
        "Role": application.role,
        "First name": application.first_name,
        "Last name": application.last_name,
        "Email": application.email,
        "Phone": application.phone,
        "Birth date": application.birth_date,
        "Postcode": application.postcode,
        "Country of origin": application.country_of_origin,
        "Languages": all_languages(application),
        "Goal": application.goal,
        "Background": application.background,
    }


def _person_rules(application: Application, today: dt.date) -> list[Problem]:
    found = [
        Problem(FIELDS_BY_COLUMN.get(problem.field, problem.field), problem.msg)
        for problem in person_problems(person_record(application), today)
        if problem.msg.key != "workflow.birth_date_missing"  # said by `_required`
    ]
    other = len(application.other_languages)
    if other > LIMITS_BY_FIELD["other_languages"]:
        limit = LIMITS_BY_FIELD["other_languages"]
        found.append(
            Problem("other_languages", validation_message("too_long", limit=limit, length=other))
        )
    return found


def _not_offered(application: Application, choices: FormChoices) -> list[Problem]:
    """Values a bypassed widget could send that the form never offered."""
    offered: dict[str, Iterable[str]] = {
        "languages": choices.languages,
        "sectors": choices.sectors,
        "topics": choices.topics,
        "availability": SLOTS,
    }
    found = [
        Problem(name, apply_message("unknown_choice"))
        for name, allowed in offered.items()
        if not set(getattr(application, name)) <= set(allowed)
    ]
    if application.office and application.office not in choices.offices:
        found.append(Problem("office", apply_message("unknown_choice")))
    if application.gender and application.gender not in {g.value for g in GENDER}:
        found.append(Problem("gender", apply_message("unknown_choice")))
    return found


def _languages(application: Application) -> list[Problem]:
    """The "other languages" field's shape (a programme language is the person rules')."""
    typed = other_languages(application.other_languages)
    if len(typed) > MAX_OTHER_LANGUAGES or any(len(name) > MAX_LANGUAGE_CHARS for name in typed):
        return [Problem("other_languages", apply_message("other_languages_shape"))]
    return []


def _session(application: Application, choices: FormChoices) -> list[Problem]:
    if not application.session_id:
        return []
    open_here = {session.id for session in choices.sessions_at(application.office)}
    if application.session_id not in open_here:
        return [Problem("session", apply_message("session_unavailable"))]
    return []


# -- sending it -----------------------------------------------------------------------------


@dataclass
class SubmissionLimits:
    """How many applications the form takes, counted in this process (see the README for
    several processes): per source, the visitor's address, so that a reload or a new
    browser session starts nothing afresh (3 in 10 minutes, and 10 an hour: one source
    cannot use up the process's share); per e-mail address, whatever the source (5 a
    day); and for the whole process (60 an hour)."""

    per_source: SlidingWindowLimiter = field(
        default_factory=lambda: SlidingWindowLimiter(3, 10 * 60)
    )
    overall: SlidingWindowLimiter = field(default_factory=lambda: SlidingWindowLimiter(60, 3600))
    per_email: SlidingWindowLimiter = field(
        default_factory=lambda: SlidingWindowLimiter(5, 24 * 3600)
    )
    source_share: SlidingWindowLimiter = field(
        default_factory=lambda: SlidingWindowLimiter(10, 3600)
    )

    @property
    def per_session(self) -> SlidingWindowLimiter:
        """The former name of `per_source` (the limit used to count per browser session)."""
        return self.per_source

    def refusal(self, source: str, email: str = "") -> Msg | None:
        """Count one application and say nothing, or say why not (and count nothing)."""
        checks = [(self.per_source, source), (self.source_share, source), (self.overall, EVERYONE)]
        address = email_key(email)
        if address:
            checks.append((self.per_email, address))
        if admit(checks):
            return None
        email_used_up = bool(address) and not self.per_email.allows(address)
        if email_used_up or not self.source_share.allows(source):
            return apply_message("too_many_later")
        return apply_message("too_many")

    def admit(self, source: str, email: str = "") -> bool:
        """Count one application, unless a source, the e-mail or the process had its share."""
        return self.refusal(source, email) is None

    def reset(self) -> None:
        for limiter in (self.per_source, self.overall, self.per_email, self.source_share):
            limiter.reset()


def email_key(email: str) -> str:
    """An e-mail address as the limit counts it: case and a `+tag` do not make another."""
    local, at, domain = email.strip().casefold().rpartition("@")
    if not at:
        return domain
    return f"{local.split('+', 1)[0]}@{domain}"


LIMITS = SubmissionLimits()
"""The process-wide limits the Apply page uses (one app process, many sessions)."""


def submit(
    store: Store,
    application: Application,
    today: dt.date,
    *,
    source: str = "",
    session_key: str = "",
    limits: SubmissionLimits = LIMITS,
    record_id: str = "",
) -> Outcome:
    """Write the application as a Participants row (and an Attendance row for a session),
    together in one unit of work.

    The participant's ID is `record_id` when the page made it (once per form, so that
    sending the form again after an error whose write landed writes nothing twice), else
    made here before the write; a registration already there is not added again.

    `source` is where the visitor comes from (`access.request_source`, else their browser
    session); `session_key` is its former name. Raises `ApplicationRefused` with every
    problem, or when a rate limit is reached (per source, per e-mail, per process); then
    nothing is written. A bot (filled honeypot) gets the same outcome as a person, with a
    reference that belongs to no row, and counts against no limit: a flood of bots must not
    use up the places of real applicants. The outcome's `ids` hold the new participant's ID.
    """
    application = cleaned(application)
    if is_bot(application):
        return Outcome(apply_message("received"), ids=[new_id("P")])
    choices = form_choices(store, today)
    found = problems(application, choices, today)
    if found:
        raise ApplicationRefused(found)
    refusal = limits.refusal(source or session_key, application.email)
    if refusal is not None:
        raise ApplicationRefused([Problem("", refusal)])
    person_id = record_id or new_record_id(store, "Participants")
    unit = Unit()
    person = _participant(store, application, today, person_id)
    index = unit.append("Participants", [person], "apply")
    tables = store.read(["Attendance"])
    if application.session_id and not _registered(
        tables["Attendance"].frame, application.session_id, person_id
    ):
        registration = {
            "Session ID": application.session_id,
            "Participant ID": person_id,
            "Status": REGISTERED,
        }
        unit.append("Attendance", [registration], "register_info_session")
    _queue_confirmation(store, unit, person, application.session_id, person_id)
    return Outcome(apply_message("received"), ids=list(unit.write(store, WHO).ids[index]))


def _queue_confirmation(
    store: Store, unit: Unit, person: dict[str, Any], session_id: str, person_id: str
) -> None:
    """The applicant's confirmation, queued in the Outbox by the application's own unit of
    work (its row's ID made from the participant's: a retry of the unit adds it once)."""
    drafts = application_drafts(store, person, session_id)
    if not drafts:
        return
    frame = store.table(OUTBOX_TAB).frame
    outbox_id = f"O-{person_id.removeprefix('P-')}"
    add_to_unit(unit, drafts, outbox_rows(frame), taken_ids(frame), clock.now(), [outbox_id])


def application_drafts(store: Store, person: Mapping[str, Any], session_id: str) -> list[Draft]:
    """The confirmation of an application (the Participants record with its ID), with the
    chosen session's date, time and place (those known); none without consent or address."""
    recipient = participant_recipient(person, cell_text(person, "Language") or DEFAULT_LANGUAGE)
    if recipient is None:
        return []
    session_lines = ""
    if session_id:
        session = by_id(records(store.table("Sessions").frame)).get(session_id)
        if session is not None:
            session_lines = occasion_lines(session_occasion(session), recipient.language)
    values = {"session": session_lines, "office": cell_text(person, "Office")}
    key = dedupe_key(APPLICATION_RECEIVED, recipient.person_id)
    templates = templates_from(store.table(TEMPLATES_TAB).frame)
    return [draft(templates, APPLICATION_RECEIVED, recipient, values, recipient.person_id, key)]


def _participant(
    store: Store, application: Application, today: dt.date, person_id: str
) -> dict[str, Any]:
    """The Participants row with its ID, and a note of the others with the same e-mail."""
    found = same_email(store.table("Participants").frame, application.email)
    duplicates = [other for other in found if other != person_id]
    return {**participant_record(application, today, duplicates), "ID": person_id}


def _registered(attendance: pd.DataFrame, session_id: str, person_id: str) -> bool:
    """Whether the person has a row for that session already (the same form sent again)."""
    if attendance.empty:
        return False
    rows = attendance[
        (attendance["Session ID"].astype(str).str.strip() == session_id)
        & (attendance["Participant ID"].astype(str).str.strip() == person_id)
    ]
    return not rows.empty


def same_email(participants: pd.DataFrame, email: str) -> list[str]:
    """IDs of the participants who already gave this e-mail address (case does not matter)."""
    wanted = email.strip().casefold()
    if not wanted or participants.empty:
        return []
    return [
        cell_text(row, "ID")
        for row in records(participants, ["ID", "Email"])
        if cell_text(row, "Email").casefold() == wanted and cell_text(row, "ID")
    ]


def duplicate_note(duplicates: Sequence[str]) -> str:
    """The note that tells the coordinator to look at a possible double application."""
    if not duplicates:
        return ""
    return f"Possible duplicate of {', '.join(duplicates)} (same e-mail)"


def participant_record(
    application: Application, today: dt.date, duplicates: Sequence[str] = ()
) -> dict[str, Any]:
    """The Participants row of a (cleaned, checked) application."""
    record: dict[str, Any] = {
        "Role": application.role,
        "Status": APPLIED,
        "First name": application.first_name,
        "Last name": application.last_name,
        "Email": application.email,
        "Phone": phones.normalise(application.phone) or application.phone,
        "Birth date": application.birth_date,
        "Gender": application.gender,
        "Office": application.office,
        "Postcode": application.postcode,
        "Languages": all_languages(application),
        "Sectors": list(application.sectors),
        "Topics": list(application.topics),
        "Availability": [slot for slot in SLOTS if slot in application.availability],
        "Goal": application.goal,
        "Background": application.background,
        "Country of origin": application.country_of_origin,
        "Source": SOURCE,
        "Applied on": today,
        "Consent on": today,
        "Language": application.language if application.language in LANGUAGES else "",
        "Notes": duplicate_note(duplicates),
    }
    return {name: value for name, value in record.items() if value not in ("", None, [])}
