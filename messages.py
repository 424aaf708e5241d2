"""The messages the tool sends: which, to whom, in which words, and never twice.

Pure: no Streamlit, no store, no clock (the day is always given), no sending. A message is a
`Draft` (kind, recipient, language, subject, body, the record it is about, its dedupe key,
an optional `.ics`); `services.outbox` queues drafts in the workbook's Outbox tab and sends
them.

- **Templates**: per kind and language (fr / nl / en), a subject and a body with named
  placeholders (`{first_name}`). The defaults are data (`message_templates.toml`); admins'
  wording lives in the Templates tab and wins. A template may use only its kind's
  placeholders (`PLACEHOLDERS`): `template_problems` says which are unknown, and `render`
  refuses such a template.
- **Consent**: a participant gets a message only when their consent date is set and they
  did not opt out (`can_contact`); every message ends with how to stop receiving them.
- **Language**: the person's Participants `Language` (the Apply form's), else the first
  programme language they speak, else the default given (`recipient_language`).
- **Never twice**: each draft has a dedupe key, kind + record (or person) + period; a
  reminder's key names the person and the period, not the duo, so a person gets at most
  one reminder of a kind per period.
- **Due reminders** (`due_reminders`): the quiet-duo rule and the evaluation notice of
  `attention.py` (thresholds in Settings) and each coordinator's weekly digest of their
  to-do list.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from attention import AttentionItem, AttentionKind, AttentionSettings, attention_items
from i18n import LANGUAGES, Messages, Msg, localised, t
from workflow import (
    MENTEE,
    MENTOR,
    by_id,
    cell_date,
    cell_text,
    person_name,
    programme_languages,
    records,
)

APPLICATION_RECEIVED = "application_received"
SESSION_INVITATION = "session_invitation"
INTRO_MEETING = "intro_meeting"
MEETING_LOG_LINK = "meeting_log_link"
QUIET_DUO_REMINDER = "quiet_duo_reminder"
END_REMINDER = "end_reminder"
WEEKLY_DIGEST = "weekly_digest"
KINDS: tuple[str, ...] = (
    APPLICATION_RECEIVED,
    SESSION_INVITATION,
    INTRO_MEETING,
    MEETING_LOG_LINK,
    QUIET_DUO_REMINDER,
    END_REMINDER,
    WEEKLY_DIGEST,
)

_COMMON = frozenset({"first_name", "name", "office", "coordinator"})
PLACEHOLDERS: dict[str, frozenset[str]] = {
    APPLICATION_RECEIVED: _COMMON | {"session"},
    SESSION_INVITATION: _COMMON | {"session_kind", "session"},
    INTRO_MEETING: _COMMON | {"mentor", "mentee", "meeting"},
    MEETING_LOG_LINK: _COMMON | {"mentor", "mentee", "link"},
    QUIET_DUO_REMINDER: _COMMON | {"partner", "days", "last_meeting"},
    END_REMINDER: _COMMON | {"partner", "planned_end", "days", "evaluation"},
    WEEKLY_DIGEST: _COMMON | {"count", "items", "week"},
}
"""The placeholders each kind's template may use; any other is refused."""

TEMPLATES_FILE = Path(__file__).with_name("message_templates.toml")
TEMPLATES_TAB = "Templates"
DEFAULT_LANGUAGE = "fr"
"""The language of a person the tool knows nothing about (the office's: French in Brussels)."""

message_text = Messages("messages")
"""A message of `i18n/messages.toml`."""


class TemplateError(ValueError):
    """A template that cannot be rendered: its unknown placeholders, or broken braces."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.key)
        self.msg = msg


# -- templates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    kind: str
    language: str
    subject: str
    body: str


@cache
def default_templates() -> dict[tuple[str, str], Template]:
    """The wording shipped with the tool, per (kind, language)."""
    with TEMPLATES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {
        (kind, language): Template(kind, language, str(text["subject"]), str(text["body"]))
        for kind, languages in data.items()
        for language, text in languages.items()
    }


def templates_from(frame: pd.DataFrame | None) -> dict[tuple[str, str], Template]:
    """The defaults, with the Templates tab's rows over them (the last row of a kind and
    language wins; a row of an unknown kind or language, or a blank one, is ignored)."""
    templates = dict(default_templates())
    for row in records(frame, ("Kind", "Language", "Subject", "Body")):
        kind, language = cell_text(row, "Kind"), cell_text(row, "Language").lower()
        subject, body = cell_text(row, "Subject"), cell_text(row, "Body")
        if kind in PLACEHOLDERS and language in LANGUAGES and subject and body:
            templates[(kind, language)] = Template(kind, language, subject, body)
    return templates


def placeholders_in(text: str) -> list[str]:
    """The named placeholders of a text, in order (raises ValueError on broken braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def template_problems(kind: str, subject: str, body: str) -> list[Msg]:
    """What stops a template from being used: broken braces, unknown or unnamed placeholders."""
    problems: list[Msg] = []
    allowed = PLACEHOLDERS.get(kind, frozenset())
    for part, text in (("subject", subject), ("body", body)):
        if not text.strip():
            problems.append(message_text("template_blank", part=part))
            continue
        try:
            names = placeholders_in(text)
        except ValueError:
            problems.append(message_text("template_braces", part=part))
            continue
        unknown = sorted({name for name in names if name not in allowed})
        if unknown:
            problems.append(
                message_text(
                    "template_unknown",
                    part=part,
                    names=", ".join("{" + name + "}" for name in unknown),
                    allowed=", ".join("{" + name + "}" for name in sorted(allowed)),
                )
            )
    return problems


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(template: Template, values: Mapping[str, Any]) -> Rendered:
    """The template filled in its language (dates and numbers written the language's way),
    with the line that says how to stop receiving messages. Raises `TemplateError` when the
    template uses a placeholder its kind does not know. A known placeholder without a value
    is left blank."""
    problems = template_problems(template.kind, template.subject, template.body)
    if problems:
        raise TemplateError(problems[0])
    allowed = PLACEHOLDERS[template.kind]
    filled = {name: "" for name in allowed}
    filled.update(localised({k: v for k, v in values.items() if k in allowed}, template.language))
    subject = template.subject.format_map(filled).replace("\n", " ").strip()
    body = template.body.format_map(filled).strip()
    stop = t("messages.stop_line", template.language)
    return Rendered(subject, f"{body}\n\n--\n{stop}\n")


# -- who may get a message, in which language -----------------------------------------------


def can_contact(person: Mapping[str, Any]) -> bool:
    """Consent given (a consent date), not opted out (no "Opted out on" date), and an
    e-mail address to write to."""
    return (
        cell_date(person, "Consent on") is not None
        and cell_date(person, "Opted out on") is None
        and "@" in cell_text(person, "Email")
    )


_LANGUAGE_OF = {"French": "fr", "Dutch": "nl", "English": "en"}


def recipient_language(person: Mapping[str, Any], default: str = DEFAULT_LANGUAGE) -> str:
    """The Participants `Language` (fr / nl / en), else the first programme language the
    person speaks (in the order they listed them), else `default`."""
    chosen = cell_text(person, "Language").lower()
    if chosen in LANGUAGES:
        return chosen
    spoken = person.get("Languages")
    if isinstance(spoken, str):
        spoken = [part for part in spoken.replace(";", ",").split(",")]
    for language in spoken if isinstance(spoken, list | tuple) else ():
        known = programme_languages([str(language)])
        if known:
            return _LANGUAGE_OF[known[0]]
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def dedupe_key(kind: str, *parts: object) -> str:
    """`kind:part:part...`: the same message about the same thing in the same period."""
    texts = [str(part.isoformat() if isinstance(part, date) else part).strip() for part in parts]
    return ":".join([kind, *texts])


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# -- drafts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to: a participant (`person_id`) or a staff member (no ID)."""

    email: str
    name: str
    first_name: str
    language: str
    person_id: str = ""


def participant_recipient(
    person: Mapping[str, Any], default_language: str = DEFAULT_LANGUAGE
) -> Recipient | None:
    """The person as a recipient, or None when they may not be written to."""
    if not can_contact(person):
        return None
    return Recipient(
        email=cell_text(person, "Email"),
        name=person_name(person),
        first_name=cell_text(person, "First name") or person_name(person),
        language=recipient_language(person, default_language),
        person_id=cell_text(person, "ID"),
    )


@dataclass(frozen=True)
class Draft:
    """One message ready to queue: what the Outbox row holds."""

    kind: str
    to: str
    name: str
    language: str
    subject: str
    body: str
    record_id: str
    dedupe_key: str
    calendar: str = ""
    """An `.ics` invitation (text), or blank."""
    person_id: str = ""


def draft(
    templates: Mapping[tuple[str, str], Template],
    kind: str,
    recipient: Recipient,
    values: Mapping[str, Any],
    record_id: str,
    key: str,
    calendar: str = "",
) -> Draft:
    """The kind's template in the recipient's language, filled with `values` and theirs."""
    template = templates.get((kind, recipient.language)) or default_templates()[(kind, "en")]
    own = {"first_name": recipient.first_name, "name": recipient.name}
    rendered = render(template, {**values, **own})
    return Draft(
        kind,
        recipient.email,
        recipient.name,
        template.language,
        rendered.subject,
        rendered.body,
        record_id,
        key,
        calendar,
        recipient.person_id,
    )


# -- what a session or a meeting looks like in a message ------------------------------------


@dataclass(frozen=True)
class Occasion:
    """A session or an intro meeting: what a message and an `.ics` say about it. Unknown
    parts (no time, no place) are None or blank and left out."""

    day: date | None
    start: str = ""
    end: str = ""
    address: str = ""
    video: str = ""
    bring: str = ""


def session_occasion(session: Mapping[str, Any]) -> Occasion:
    """A Sessions row; the time, place, video link and what to bring when the tab has them."""
    return Occasion(
        cell_date(session, "Date"),
        clock_text(cell_text(session, "Start time")),
        clock_text(cell_text(session, "End time")),
        cell_text(session, "Address"),
        cell_text(session, "Video link"),
        cell_text(session, "What to bring"),
    )


def intro_occasion(duo: Mapping[str, Any]) -> Occasion:
    """A Duos row's intro meeting: date, and time and place when the tab has them."""
    place = cell_text(duo, "Intro place")
    video = place if place.lower().startswith(("http://", "https://")) else ""
    return Occasion(
        cell_date(duo, "Intro on"),
        clock_text(cell_text(duo, "Intro time")),
        "",
        "" if video else place,
        video,
    )


def clock_text(value: str) -> str:
    """`HH:MM` from what staff typed (`9:30`, `09.30`, `9h30`, `18u`), blank if unreadable."""
    text = value.strip().lower().replace("h", ":").replace("u", ":").replace(".", ":")
    hours, _, minutes = text.partition(":")
    minutes = minutes or "0"
    if not (hours.isdigit() and minutes.isdigit()):
        return ""
    h, m = int(hours), int(minutes)
    return f"{h:02d}:{m:02d}" if 0 <= h < 24 and 0 <= m < 60 else ""


def occasion_lines(occasion: Occasion, lang: str) -> str:
    """The lines a message shows: date, time, place, video link, what to bring (the known
    ones)."""
    lines: list[str] = []
    if occasion.day is not None:
        lines.append(t("messages.line_date", lang, date=occasion.day))
    if occasion.start and occasion.end:
        lines.append(t("messages.line_time_range", lang, start=occasion.start, end=occasion.end))
    elif occasion.start:
        lines.append(t("messages.line_time", lang, start=occasion.start))
    if occasion.address:
        lines.append(t("messages.line_place", lang, place=occasion.address))
    if occasion.video:
        lines.append(t("messages.line_video", lang, link=occasion.video))
    if occasion.bring:
        lines.append(t("messages.line_bring", lang, bring=occasion.bring))
    return "\n".join(lines)


# -- reminders due on a day -------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    email: str
    name: str
    offices: tuple[str, ...]
    is_admin: bool
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Workbook:
    """The tabs the reminders are computed from (DataFrames as the store gives them)."""

    participants: pd.DataFrame | None
    duos: pd.DataFrame | None
    meetings: pd.DataFrame | None = None
    check_ins: pd.DataFrame | None = None
    evaluations: pd.DataFrame | None = None
    sessions: pd.DataFrame | None = None
    attendance: pd.DataFrame | None = None
    staff: Sequence[StaffMember] = field(default_factory=tuple)


EvaluationLinks = Callable[[str, str], str]
"""(duo ID, role) -> that person's own end-evaluation link, or blank when there is none."""


def no_evaluation_links(duo_id: str, role: str) -> str:
    return ""


def evaluation_lines(link: str, coordinator: str, lang: str) -> str:
    """What the end reminder says of the evaluation: the person's own link to fill it in,
    else that the coordinator will do it with them."""
    if link:
        return t("messages.evaluation_link", lang, link=link)
    return t("messages.evaluation_by_coordinator", lang, coordinator=coordinator or "DUO")


def due_reminders(
    book: Workbook,
    today: date,
    templates: Mapping[tuple[str, str], Template],
    settings: AttentionSettings | None = None,
    *,
    default_language: str = DEFAULT_LANGUAGE,
    evaluation_links: EvaluationLinks = no_evaluation_links,
) -> list[Draft]:
    """Every reminder due today, one per person, kind and period:

    - a duo quiet for the Settings' threshold (attention's rule): its mentor and mentee, once
      per quiet stretch (period: the day the stretch began);
    - a duo whose planned end is within the evaluation notice: mentor and mentee, once per
      planned end, each with their own evaluation link (`evaluation_links`; without one, the
      message says the coordinator will do the evaluation with them);
    - each active staff member with something on their to-do list: the weekly digest, once
      per ISO week.
    Drafts whose key is already in the Outbox are dropped by the outbox, not here.
    """
    s = settings or AttentionSettings()
    items = attention_items(
        participants=book.participants,
        duos=book.duos,
        today=today,
        meetings=book.meetings,
        check_ins=book.check_ins,
        evaluations=book.evaluations,
        sessions=book.sessions,
        attendance=book.attendance,
        settings=s,
    )
    people = by_id(records(book.participants))
    duos = by_id(records(book.duos))
    found: list[Draft] = []
    for item in items:
        duo = duos.get(item.record_id)
        if duo is None:
            continue
        if item.kind == AttentionKind.QUIET_DUO:
            found.extend(_quiet_reminders(item, duo, people, templates, today, default_language))
        elif item.kind == AttentionKind.EVALUATION_DUE:
            found.extend(
                _end_reminders(duo, people, templates, today, default_language, evaluation_links)
            )
    found.extend(_digests(book.staff, items, templates, today))
    return unique(found)


def unique(drafts: Iterable[Draft]) -> list[Draft]:
    """The first draft of each dedupe key, and of each kind and person in one run (a mentor
    of two quiet duos gets one reminder, about the quietest)."""
    seen: set[str] = set()
    kept = []
    for each in drafts:
        who = f"{each.kind}/{each.to.casefold()}"
        if each.dedupe_key not in seen and who not in seen:
            seen.update((each.dedupe_key, who))
            kept.append(each)
    return kept


def duo_pair(
    duo: Mapping[str, Any], people: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, Mapping[str, Any]]]:
    """The duo's mentor and mentee rows that exist, with their role."""
    pair = []
    for role, column in ((MENTOR, "Mentor ID"), (MENTEE, "Mentee ID")):
        person = people.get(cell_text(duo, column))
        if person is not None:
            pair.append((role, person))
    return pair


def _partner(role: str, duo: Mapping[str, Any], people: Mapping[str, Mapping[str, Any]]) -> str:
    other = people.get(cell_text(duo, "Mentee ID" if role == MENTOR else "Mentor ID"))
    return "" if other is None else cell_text(other, "First name") or person_name(other)


def _quiet_reminders(
    item: AttentionItem,
    duo: Mapping[str, Any],
    people: Mapping[str, Mapping[str, Any]],
    templates: Mapping[tuple[str, str], Template],
    today: date,
    default_language: str,
) -> list[Draft]:
    days = item.waiting_days or 0
    since = today - timedelta(days=days)
    values = {"days": days, "last_meeting": since}
    return _duo_reminders(
        QUIET_DUO_REMINDER, since, duo, people, templates, default_language, lambda *_: values
    )


def _end_reminders(
    duo: Mapping[str, Any],
    people: Mapping[str, Mapping[str, Any]],
    templates: Mapping[tuple[str, str], Template],
    today: date,
    default_language: str,
    evaluation_links: EvaluationLinks = no_evaluation_links,
) -> list[Draft]:
    planned_end = cell_date(duo, "Planned end")
    if planned_end is None:
        return []

    def values(role: str, recipient: Recipient) -> dict[str, Any]:
        links = evaluation_links(cell_text(duo, "ID"), role)
        return {
            "planned_end": planned_end,
            "days": (planned_end - today).days,
            "evaluation": evaluation_lines(
                links, cell_text(duo, "Coordinator"), recipient.language
            ),
        }

    return _duo_reminders(
        END_REMINDER, planned_end, duo, people, templates, default_language, values
    )


def _duo_reminders(
    kind: str,
    period: date,
    duo: Mapping[str, Any],
    people: Mapping[str, Mapping[str, Any]],
    templates: Mapping[tuple[str, str], Template],
    default_language: str,
    values_of: Callable[[str, Recipient], Mapping[str, Any]],
) -> list[Draft]:
    """A reminder of `kind` to the duo's mentor and mentee who may be written to, keyed by
    the period it is about (one per person and period); `values_of` adds what the kind says."""
    drafts = []
    for role, person in duo_pair(duo, people):
        recipient = participant_recipient(person, default_language)
        if recipient is None:
            continue
        values = {
            "partner": _partner(role, duo, people),
            "office": cell_text(duo, "Office"),
            "coordinator": cell_text(duo, "Coordinator"),
            **values_of(role, recipient),
        }
        key = dedupe_key(kind, recipient.person_id, period)
        drafts.append(draft(templates, kind, recipient, values, cell_text(duo, "ID"), key))
    return drafts


def _digests(
    staff: Sequence[StaffMember],
    items: Sequence[AttentionItem],
    templates: Mapping[tuple[str, str], Template],
    today: date,
) -> list[Draft]:
    drafts = []
    week = iso_week(today)
    for member in staff:
        mine = _items_of(member, items)
        if not mine or "@" not in member.email:
            continue
        lines = "\n".join(f"- {item.message.text(member.language)}" for item in mine)
        recipient = Recipient(member.email, member.name, member.name, member.language)
        values = {
            "count": len(mine),
            "items": lines,
            "week": week,
            "office": ", ".join(member.offices),
        }
        key = dedupe_key(WEEKLY_DIGEST, member.email.casefold(), week)
        drafts.append(draft(templates, WEEKLY_DIGEST, recipient, values, "", key))
    return drafts


def _items_of(member: StaffMember, items: Sequence[AttentionItem]) -> list[AttentionItem]:
    """An admin's list is every office's; a coordinator's, their offices' (and no office's)."""
    if member.is_admin and not member.offices:
        return list(items)
    offices: Collection[str] = set(member.offices)
    return [item for item in items if not item.office or item.office in offices]


def sample_values(kind: str, lang: str, today: date) -> dict[str, Any]:
    """Made-up values for a template's preview (every placeholder of the kind filled)."""
    session = Occasion(today + timedelta(days=7), "18:00", "20:00", "Rue de la Loi 1, 1000")
    values: dict[str, Any] = {
        "first_name": "Amina",
        "name": "Amina Benali",
        "office": "Brussels",
        "coordinator": "Sofie Janssens",
        "session": occasion_lines(session, lang),
        "session_kind": t("values.infosession", lang),
        "mentor": "Marc Dubois",
        "mentee": "Amina Benali",
        "meeting": occasion_lines(replace(session, address="Café Central"), lang),
        "link": "https://duo.example.org/log?t=...",
        "partner": "Marc",
        "days": 21,
        "last_meeting": today - timedelta(days=21),
        "planned_end": today + timedelta(days=14),
        "count": 3,
        "items": "- ...\n- ...\n- ...",
        "week": iso_week(today),
        "evaluation": evaluation_lines("https://duo.example.org/evaluation?t=...", "", lang),
    }
    return {name: value for name, value in values.items() if name in PLACEHOLDERS[kind]}
