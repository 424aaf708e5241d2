"""The field rules of every form: one function per record kind, the same wherever it is typed.

A person (the public Apply form, the intake interview, the profile form), a meeting (the
coordinator's form and the mentor's link, see `meetings.py`), a check-in and an evaluation
(the Duos page) are judged here, field by field. Each problem names the column of its tab
(`"First name"`, `"Hours"` ...), a translatable `Msg` of `i18n/validation.toml` (or of the
catalogue whose rule it reuses: `workflow` for eligibility, `meetings`, `duos`) and a
severity:

- an ERROR blocks the save (a blank first name, `not-an-email`, `call me maybe`, a birth date
  in the future, 5,000 characters of notes): the service raises `InvalidInput`, nothing is
  written, and the page shows each message under its field;
- a WARNING is a judgement the coordinator confirms (a 34-year-old mentee, a mentor under 50,
  a residence that is temporary): the service refuses it until it is `acknowledged`. The
  public Apply form has nobody to confirm, so it refuses its warnings like errors.

Hand-typed values already in the sheet that break a rule must not stop an unrelated change:
`judged` keeps the problems of the fields being changed only (a changed role judges the
fields eligibility depends on). The Data quality page lists the rest (`person_problems` over
whole rows). Pure: no Streamlit, no store, no clock (`today` is given).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import phones
from i18n import Messages, Msg
from meetings import DuoTerms, MeetingDuo, MeetingEntry, meeting_findings
from sheets.schema import (
    ANOTHER_MENTEE,
    CONTRACT,
    GAIN,
    HEALTH,
    OBJECTIVES_MET,
    OUTCOME,
    RESPONDENT,
    SOURCE,
    WITH,
)
from venues import intro_problems
from workflow import (
    ROLES,
    Decline,
    DuoStep,
    EndEarly,
    PlanIntro,
    TransitionError,
    age_on,
    cell_date,
    cell_number,
    cell_text,
    eligibility_findings,
)

validation_message = Messages("validation")
"""A message of `i18n/validation.toml`."""
duo_message = Messages("duos")
"""A message of `i18n/duos.toml` (the check-in and evaluation rules say them)."""


class Severity(StrEnum):
    ERROR = "error"
    """The value cannot be saved."""
    WARNING = "warning"
    """A judgement: saved once the user confirms it."""


ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field (`field`: the tab's column; "" for the whole record)."""

    field: str
    msg: Msg
    severity: Severity = ERROR

    @property
    def blocks(self) -> bool:
        return self.severity is ERROR


class InvalidInput(TransitionError):
    """Input that was not saved: `problems` lists every reason, field by field.

    Its own `msg` is the summary: fix the fields marked, or confirm the warnings."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        blocking = any(problem.blocks for problem in problems)
        super().__init__(validation_message("fix_fields" if blocking else "confirm_first"))
        self.problems = list(problems)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings(self.problems)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.blocks]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if not problem.blocks]


def check(problems: Sequence[Problem], *, acknowledged: bool = False) -> None:
    """Raise `InvalidInput` on any error, or on warnings not `acknowledged`; else nothing."""
    if errors(problems) or (warnings(problems) and not acknowledged):
        raise InvalidInput(problems)


def by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """The problems grouped by their field, in the order found."""
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.field, []).append(problem)
    return grouped


# -- a person -------------------------------------------------------------------------------

TEXT_LIMITS: dict[str, int] = {
    "First name": 80,
    "Last name": 80,
    "Email": 120,
    "Phone": 40,
    "Postcode": 12,
    "Country of origin": 80,
    "Coordinator": 120,
    "Source": 120,
    "Personality": 1000,
    "Preferences": 1000,
    "Goal": 1000,
    "Background": 1000,
    "Notes": 2000,
}
"""The most characters each text column of a person takes (Apply's widgets say the same)."""
REQUIRED: tuple[str, ...] = ("First name", "Last name")
OLDEST_PLAUSIBLE_AGE = 100
ELIGIBILITY_FIELDS = frozenset(
    {"Role", "Birth date", "Languages", "Residence", "Origin", "Looking for"}
)
"""The columns eligibility is judged on: a changed role judges them all again."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"[0-9+()./\s-]+")


def person_problems(person: Mapping[str, Any], today: date) -> list[Problem]:
    """Every rule a person's record (a Participants row, or a form's values) breaks, in the
    order of the profile form: identity errors first, then the eligibility warnings judged
    on `today` (the intake's date at intake)."""
    return [
        *_required(person),
        *_too_long(person),
        *_shapes(person),
        *_birth_date(person, today),
        *_eligibility(person, today),
    ]


def judged(problems: Iterable[Problem], changed: Collection[str]) -> list[Problem]:
    """The problems of the fields being changed (a changed role: of eligibility's too).

    A value typed by hand in the sheet that breaks a rule does not stop the coordinator from
    saving another field; it is judged again the day someone changes it."""
    fields = set(changed) | (ELIGIBILITY_FIELDS if "Role" in changed else set())
    return [problem for problem in problems if problem.field in fields]


def _required(person: Mapping[str, Any]) -> list[Problem]:
    found = [
        Problem(column, validation_message("required"))
        for column in REQUIRED
        if not cell_text(person, column)
    ]
    if cell_text(person, "Role") not in ROLES:
        found.insert(0, Problem("Role", validation_message("role_required")))
    return found


def _too_long(person: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    for column, limit in TEXT_LIMITS.items():
        value = person.get(column)
        length = len(value) if isinstance(value, str) else len(cell_text(person, column))
        if length > limit:
            found.append(
                Problem(column, validation_message("too_long", limit=limit, length=length))
            )
    return found


def email_ok(email: str) -> bool:
    """Whether a typed e-mail address has an address's shape (a blank one is not judged)."""
    return not email or bool(_EMAIL.fullmatch(email))


def phone_ok(phone: str) -> bool:
    """Whether a typed phone number can be read as one (a blank one is not judged)."""
    return not phone or (bool(_PHONE.fullmatch(phone)) and phones.normalise(phone) is not None)


def _shapes(person: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    if not email_ok(cell_text(person, "Email")):
        found.append(Problem("Email", validation_message("email_shape")))
    if not phone_ok(cell_text(person, "Phone")):
        found.append(Problem("Phone", validation_message("phone_shape")))
    return found


def birth_date_plausible(birth: date, today: date) -> bool:
    return birth <= today and age_on(birth, today) <= OLDEST_PLAUSIBLE_AGE


def _birth_date(person: Mapping[str, Any], today: date) -> list[Problem]:
    birth = cell_date(person, "Birth date")
    if birth is None or birth_date_plausible(birth, today):
        return []
    return [Problem("Birth date", validation_message("birth_date_implausible"))]


def _eligibility(person: Mapping[str, Any], today: date) -> list[Problem]:
    """The programme's conditions as warnings (an unknown role and an impossible birth date
    are errors, said once by the rules above)."""
    role, birth = cell_text(person, "Role"), cell_date(person, "Birth date")
    if role not in ROLES:
        return []
    if birth is not None and not birth_date_plausible(birth, today):
        birth = None
        missing_said = True
    else:
        missing_said = False
    found = eligibility_findings(
        role,
        birth,
        _items(person, "Languages"),
        today,
        residence=cell_text(person, "Residence"),
        origin=cell_text(person, "Origin"),
        looking_for=cell_text(person, "Looking for"),
    )
    return [
        Problem(column, msg, WARNING)
        for column, msg in found
        if not (missing_said and msg.key == "workflow.birth_date_missing")
    ]


def _items(person: Mapping[str, Any], column: str) -> list[str]:
    value = person.get(column)
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


# -- a meeting, a check-in, an evaluation ------------------------------------------------------

CHECK_IN_WITH: tuple[str, ...] = tuple(choice.value for choice in WITH)
HEALTHS: tuple[str, ...] = tuple(choice.value for choice in HEALTH)
RESPONDENTS: tuple[str, ...] = tuple(choice.value for choice in RESPONDENT)
OBJECTIVES_MET_VALUES: tuple[str, ...] = tuple(choice.value for choice in OBJECTIVES_MET)
OUTCOMES: tuple[str, ...] = tuple(choice.value for choice in OUTCOME)
CONTRACTS: tuple[str, ...] = tuple(choice.value for choice in CONTRACT)
CONTRACT_NEEDED_FOR = frozenset({"Job"})
"""Outcomes whose contract matters for the reports (a stable job is 3 months or more)."""
SATISFACTION_SCALE = range(1, 6)
GAINS: tuple[str, ...] = tuple(choice.value for choice in GAIN)
ANOTHER_MENTEE_VALUES: tuple[str, ...] = tuple(choice.value for choice in ANOTHER_MENTEE)
SOURCES: tuple[str, ...] = tuple(choice.value for choice in SOURCE)
LATER_ANSWERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "autonomy": ("Autonomy", GAINS),
    "career_plan": ("Career plan", GAINS),
    "network": ("Network", GAINS),
    "another_mentee": ("Another mentee", ANOTHER_MENTEE_VALUES),
    "source": ("Source", SOURCES),
}
"""The evaluation's questions added later: entry field -> (column, allowed values)."""
DATED_STEPS_THAT_MAY_BE_PLANNED = (PlanIntro,)
"""Duo steps whose date may lie ahead (an intro is planned); the others record what happened."""
ENTRY_TEXT_LIMIT = 2000
"""The most characters of a check-in's notes and follow-up, and of an evaluation's comments."""


@dataclass(frozen=True)
class CheckInEntry:
    on: date
    with_whom: str
    health: str
    notes: str = ""
    follow_up: str = ""


@dataclass(frozen=True)
class EvaluationEntry:
    respondent: str
    on: date
    objectives_met: str
    outcome: str
    contract: str
    satisfaction: int | None
    comments: str = ""
    autonomy: str | None = None
    career_plan: str | None = None
    network: str | None = None
    another_mentee: str | None = None
    source: str | None = None
    """The questions added later: None leaves the cell as it is (a form that does not ask
    them, e.g. a correction of an older evaluation), "" blanks it."""


def meeting_problems(entry: MeetingEntry, duo: MeetingDuo, today: date) -> list[Problem]:
    """Why this meeting cannot be logged for this duo (`meetings.py`'s rules), by field."""
    return [Problem(column, msg) for column, msg in meeting_findings(entry, duo, today)]


def not_in_future(on: date, today: date, column: str = "Date") -> list[Problem]:
    if on > today:
        return [Problem(column, duo_message("date_in_future", date=on))]
    return []


def _one_of(column: str, value: str, allowed: Sequence[str], missing: str) -> list[Problem]:
    return [] if value in allowed else [Problem(column, duo_message(missing))]


def _text_limit(column: str, text: str) -> list[Problem]:
    length = len(text.strip())
    if length <= ENTRY_TEXT_LIMIT:
        return []
    return [Problem(column, validation_message("too_long", limit=ENTRY_TEXT_LIMIT, length=length))]


def duo_step_problems(step: DuoStep, today: date) -> list[Problem]:
    """A duo's status move: its date not ahead (an intro may be planned), and a reason to
    decline or end early ("Ended on" / "End reason" are where the Duos tab keeps them)."""
    found: list[Problem] = []
    if not isinstance(step, DATED_STEPS_THAT_MAY_BE_PLANNED):
        found += not_in_future(step.on, today)
    if isinstance(step, Decline | EndEarly) and not step.reason.strip():
        found.append(Problem("End reason", duo_message("reason_required")))
    if isinstance(step, PlanIntro):
        found += [Problem("Intro time", msg) for msg in intro_problems(step.time, step.place)]
    return found


def check_in_problems(entry: CheckInEntry, today: date) -> list[Problem]:
    return [
        *not_in_future(entry.on, today),
        *_one_of("With", entry.with_whom, CHECK_IN_WITH, "with_required"),
        *_one_of("Health", entry.health, HEALTHS, "health_required"),
        *_text_limit("Notes", entry.notes),
        *_text_limit("Follow-up", entry.follow_up),
    ]


def evaluation_problems(entry: EvaluationEntry, today: date) -> list[Problem]:
    found = [
        *not_in_future(entry.on, today),
        *_one_of("Respondent", entry.respondent, RESPONDENTS, "respondent_required"),
        *_one_of(
            "Objectives met", entry.objectives_met, OBJECTIVES_MET_VALUES, "objectives_met_required"
        ),
        *_one_of("Outcome", entry.outcome, OUTCOMES, "outcome_required"),
    ]
    if (entry.contract and entry.contract not in CONTRACTS) or (
        entry.outcome in CONTRACT_NEEDED_FOR and not entry.contract
    ):
        found.append(Problem("Contract", duo_message("contract_required")))
    if entry.satisfaction not in SATISFACTION_SCALE:
        found.append(Problem("Satisfaction", duo_message("satisfaction_required")))
    return [*found, *answer_problems(entry), *_text_limit("Comments", entry.comments)]


def answer_problems(entry: EvaluationEntry) -> list[Problem]:
    """The gains, another mentee and the source, when given, must be among their values."""
    return [
        Problem(column, duo_message("answer_not_listed"))
        for field, (column, allowed) in LATER_ANSWERS.items()
        if (value := getattr(entry, field)) and value not in allowed
    ]


# -- rows typed by hand (the Data quality page) -------------------------------------------


def meeting_row_problems(row: Mapping[str, Any], today: date) -> list[Problem]:
    """The rules a Meetings row of the sheet breaks: a date, 0.5 to 8 hours, a short summary
    (its mode and topics are the store's to read; the agreement date is the duo's)."""
    entry = MeetingEntry(
        on=cell_date(row, "Date"),
        hours=cell_number(row, "Hours"),
        mode="",
        summary=cell_text(row, "Summary"),
    )
    judged_here = {"Date", "Hours", "Summary"}
    return [
        Problem(column, msg)
        for column, msg in meeting_findings(entry, DuoTerms(None, ()), today)
        if column in judged_here
    ]


def check_in_row_problems(row: Mapping[str, Any], today: date) -> list[Problem]:
    """The rules a Check-ins row of the sheet breaks: a date ahead, notes or a follow-up too
    long (who and how it goes are choices: the store reports a value it cannot read)."""
    on = cell_date(row, "Date")
    return [
        *([] if on is None else not_in_future(on, today)),
        *_text_limit("Notes", cell_text(row, "Notes")),
        *_text_limit("Follow-up", cell_text(row, "Follow-up")),
    ]
