"""What needs attention: the coordinator's to-do list, and the records that disagree.

`attention_items` turns the workbook into the to-do list of `workflow.md` (thresholds in
`AttentionSettings`), most urgent first. `consistency_findings` lists the records whose
statuses, roles or contact details contradict each other, for the data-quality page.

Pure functions over the store's DataFrames; `today` is always given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import pandas as pd

from follow_ups import FollowUpSettings, due_follow_ups
from i18n import Msg
from sheets.schema import CANCELLED as CANCELLED_COLUMN
from workflow import (
    ACTIVE,
    APPLIED,
    DUOS_TAB,
    ENDED_DUO_STATUSES,
    IN_DUO,
    INTRO_PLANNED,
    MENTEE,
    MENTOR,
    PARTICIPANTS_TAB,
    PROPOSED,
    READY,
    by_id,
    cell_date,
    cell_text,
    duo_office,
    duos_by_person,
    live_duos_of,
    mentor_capacity,
    person_name,
    records,
    sheet_row,
    workflow_message,
)

PERSONAL_COLUMNS = ("First name", "Last name", "Email", "Phone")
PRE_AGREEMENT_STATUSES = frozenset({PROPOSED, INTRO_PLANNED})


@dataclass(frozen=True)
class AttentionSettings:
    """The thresholds of the to-do list, in days (adjustable per organisation)."""

    info_session_days: int = 14
    """An applicant still without an information session this many days after applying."""
    mentee_wait_days: int = 30
    """A ready mentee waiting more than this many days for a match."""
    intro_planning_days: int = 7
    """A proposed duo still without an intro date this many days after the proposal."""
    intro_outcome_days: int = 0
    """Days after the intro date before a missing outcome (agreement or decline) is flagged."""
    quiet_duo_days: int = 21
    """An active duo with no meeting logged for this many days."""
    first_month_days: int = 30
    first_month_check_ins: int = 2
    """Check-ins expected in the first month after the agreement, spread evenly over it."""
    check_in_interval_days: int = 30
    """After the first month: a check-in this many days after the previous one."""
    evaluation_notice_days: int = 14
    """Plan the evaluation when the planned end is this close and none is recorded."""
    evaluation_follow_up_days: int = 90
    """How long after a duo ended a missing evaluation stays on the list."""


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most urgent."""
        return list(Severity).index(self)


class AttentionKind(StrEnum):
    APPLICANT_WITHOUT_INFO_SESSION = "applicant_without_info_session"
    MENTEE_WAITING = "mentee_waiting"
    INTRO_NOT_PLANNED = "intro_not_planned"
    INTRO_WITHOUT_OUTCOME = "intro_without_outcome"
    QUIET_DUO = "quiet_duo"
    CHECK_IN_DUE = "check_in_due"
    EVALUATION_DUE = "evaluation_due"
    EVALUATION_MISSING = "evaluation_missing"
    FOLLOW_UP_DUE = "follow_up_due"
    NO_CONSENT = "no_consent"
    UNREADABLE_VALUES = "unreadable_values"


SEVERITY: dict[AttentionKind, Severity] = {
    AttentionKind.MENTEE_WAITING: Severity.HIGH,
    AttentionKind.QUIET_DUO: Severity.HIGH,
    AttentionKind.INTRO_WITHOUT_OUTCOME: Severity.MEDIUM,
    AttentionKind.CHECK_IN_DUE: Severity.MEDIUM,
    AttentionKind.INTRO_NOT_PLANNED: Severity.MEDIUM,
    AttentionKind.APPLICANT_WITHOUT_INFO_SESSION: Severity.MEDIUM,
    AttentionKind.EVALUATION_MISSING: Severity.MEDIUM,
    AttentionKind.NO_CONSENT: Severity.MEDIUM,
    AttentionKind.EVALUATION_DUE: Severity.LOW,
    AttentionKind.FOLLOW_UP_DUE: Severity.LOW,
    AttentionKind.UNREADABLE_VALUES: Severity.LOW,
}
"""A ready mentee left waiting and a duo gone quiet are when people drop out."""

KIND_LABELS: dict[AttentionKind, Msg] = {
    AttentionKind.APPLICANT_WITHOUT_INFO_SESSION: workflow_message(
        "kind_applicant_without_info_session"
    ),
    AttentionKind.MENTEE_WAITING: workflow_message("kind_mentee_waiting"),
    AttentionKind.INTRO_NOT_PLANNED: workflow_message("kind_intro_not_planned"),
    AttentionKind.INTRO_WITHOUT_OUTCOME: workflow_message("kind_intro_without_outcome"),
    AttentionKind.QUIET_DUO: workflow_message("kind_quiet_duo"),
    AttentionKind.CHECK_IN_DUE: workflow_message("kind_check_in_due"),
    AttentionKind.EVALUATION_DUE: workflow_message("kind_evaluation_due"),
    AttentionKind.EVALUATION_MISSING: workflow_message("kind_evaluation_missing"),
    AttentionKind.FOLLOW_UP_DUE: workflow_message("kind_follow_up_due"),
    AttentionKind.NO_CONSENT: workflow_message("kind_no_consent"),
    AttentionKind.UNREADABLE_VALUES: workflow_message("kind_unreadable_values"),
}
SEVERITY_LABELS: dict[Severity, Msg] = {
    Severity.HIGH: workflow_message("severity_high"),
    Severity.MEDIUM: workflow_message("severity_medium"),
    Severity.LOW: workflow_message("severity_low"),
}


@dataclass(frozen=True)
class AttentionItem:
    """One line of the to-do list, about one record (`tab`, `record_id`, sheet `row`)."""

    kind: AttentionKind
    severity: Severity
    office: str
    tab: str
    record_id: str
    row: int | None
    waiting_days: int | None
    """Days since the clock of this item started (applied, ready, last meeting, ...)."""
    overdue_days: int
    """Days past the threshold or due date (0 on the day it falls due or for a notice)."""
    message: Msg = field(compare=False)


Rows = Sequence[Mapping[str, Any]]
CANCELLED = CANCELLED_COLUMN.name


def attention_items(
    *,
    participants: pd.DataFrame | None,
    duos: pd.DataFrame | None,
    today: date,
    meetings: pd.DataFrame | None = None,
    check_ins: pd.DataFrame | None = None,
    evaluations: pd.DataFrame | None = None,
    sessions: pd.DataFrame | None = None,
    attendance: pd.DataFrame | None = None,
    unreadable_findings: int = 0,
    settings: AttentionSettings | None = None,
    offices: Collection[str] | None = None,
    follow_ups: pd.DataFrame | None = None,
    follow_up_settings: FollowUpSettings | None = None,
) -> list[AttentionItem]:
    """The coordinator's to-do list, most urgent first.

    `unreadable_findings` is the number of cells the store could not read. With `offices`,
    only items of those offices are kept (and those of no office, which nobody else sees).
    Sessions and attendance are optional: with them, an applicant registered for an upcoming
    information session is not flagged. With `follow_ups` (the Follow-ups tab), the follow-up
    contacts whose day has come are listed (`follow_ups.due_follow_ups`).
    """
    s = settings or AttentionSettings()
    people, all_duos = records(participants), records(duos)
    meetings, check_ins, evaluations = map(in_force, (meetings, check_ins, evaluations))
    about = _DuoItems(by_id(people))
    items = [
        *_applicants_without_info_session(people, _booked(sessions, attendance, today), today, s),
        *_mentees_waiting(people, all_duos, today, s),
        *_no_consent(people, today),
        *_unreadable(unreadable_findings),
        *_intros_not_planned(about, all_duos, today, s),
        *_intros_without_outcome(about, all_duos, today, s),
        *_quiet_duos(about, all_duos, _dates_by_duo(meetings), today, s),
        *_check_ins_due(about, all_duos, _dates_by_duo(check_ins), today, s),
        *_evaluations_due(about, all_duos, _evaluated(evaluations), today, s),
        *_follow_ups_due(about, duos, follow_ups, today, follow_up_settings),
    ]
    return sorted(for_offices(items, offices), key=_urgency)


def in_force(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of a Meetings, Check-ins or Evaluations tab that count: all but those
    cancelled from the Duos page (kept in the sheet, marked in `Cancelled`)."""
    if frame is None or frame.empty or CANCELLED not in frame.columns:
        return frame
    return frame[~frame[CANCELLED].fillna(False).astype(bool)]


def for_offices(
    items: Iterable[AttentionItem], offices: Collection[str] | None
) -> list[AttentionItem]:
    """The items of these offices, and those of no office; all of them when `offices` is None."""
    if offices is None:
        return list(items)
    return [item for item in items if not item.office or item.office in offices]


def _urgency(item: AttentionItem) -> tuple[int, int, int, str, str]:
    waiting = item.waiting_days or 0
    return (item.severity.rank, -item.overdue_days, -waiting, item.office, item.record_id)


def _days(later: date, earlier: date) -> int:
    return (later - earlier).days


# -- people -------------------------------------------------------------------------------


def _about_person(
    kind: AttentionKind, person: Mapping[str, Any], waiting: int | None, overdue: int, message: Msg
) -> AttentionItem:
    office, person_id = cell_text(person, "Office"), cell_text(person, "ID")
    row = sheet_row(person)
    return AttentionItem(
        kind, SEVERITY[kind], office, PARTICIPANTS_TAB, person_id, row, waiting, overdue, message
    )


def _booked(
    sessions: pd.DataFrame | None, attendance: pd.DataFrame | None, today: date
) -> set[str]:
    """People registered for an information session still to come: they are on their way."""
    upcoming = {
        cell_text(session, "ID")
        for session in records(sessions)
        if cell_text(session, "Kind") == "Info session"
        and (cell_date(session, "Date") or date.min) >= today
    }
    return {
        cell_text(row, "Participant ID")
        for row in records(attendance)
        if cell_text(row, "Session ID") in upcoming and cell_text(row, "Status") == "Registered"
    }


def _applicants_without_info_session(
    people: Rows, booked: set[str], today: date, s: AttentionSettings
) -> list[AttentionItem]:
    items = []
    for person in people:
        applied = cell_date(person, "Applied on")
        if cell_text(person, "Status") != APPLIED or applied is None:
            continue
        waiting = _days(today, applied)
        if waiting >= s.info_session_days and cell_text(person, "ID") not in booked:
            message = workflow_message(
                "applicant_without_info_session", person=person_name(person), days=waiting
            )
            overdue = waiting - s.info_session_days
            kind = AttentionKind.APPLICANT_WITHOUT_INFO_SESSION
            items.append(_about_person(kind, person, waiting, overdue, message))
    return items


def ready_since(person: Mapping[str, Any], duos: Rows) -> date | None:
    """Since when a ready person has waited for a match: their intake (or training), or the end
    of their last duo that did not go on; their application date when nothing else is known."""
    person_id = cell_text(person, "ID")
    ends = [
        cell_date(duo, "Ended on")
        for duo in duos
        if person_id in (cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID"))
    ]
    starts = [cell_date(person, "Intake on"), cell_date(person, "Trained on"), *ends]
    known = [day for day in starts if day is not None]
    return max(known) if known else cell_date(person, "Applied on")


def waiting_mentees(people: Rows, duos: Rows, today: date) -> list[tuple[Mapping[str, Any], int]]:
    """Ready mentees with their days of waiting, longest first (unknown start: left out)."""
    waiting, duos_of = [], duos_by_person(duos)
    for person in people:
        if cell_text(person, "Role") != MENTEE or cell_text(person, "Status") != READY:
            continue
        since = ready_since(person, duos_of.get(cell_text(person, "ID"), []))
        if since is not None:
            waiting.append((person, _days(today, since)))
    return sorted(waiting, key=lambda pair: -pair[1])


def _mentees_waiting(
    people: Rows, duos: Rows, today: date, s: AttentionSettings
) -> list[AttentionItem]:
    return [
        _about_person(
            AttentionKind.MENTEE_WAITING,
            person,
            days,
            days - s.mentee_wait_days,
            workflow_message("mentee_waiting", person=person_name(person), days=days),
        )
        for person, days in waiting_mentees(people, duos, today)
        if days > s.mentee_wait_days
    ]


def _no_consent(people: Rows, today: date) -> list[AttentionItem]:
    """People whose personal data the workbook holds without a recorded consent."""
    items = []
    for person in people:
        holds_personal_data = any(cell_text(person, column) for column in PERSONAL_COLUMNS)
        if cell_date(person, "Consent on") is None and holds_personal_data:
            applied = cell_date(person, "Applied on")
            waiting = None if applied is None else _days(today, applied)
            message = workflow_message("no_consent", person=person_name(person))
            items.append(_about_person(AttentionKind.NO_CONSENT, person, waiting, 0, message))
    return items


def _unreadable(count: int) -> list[AttentionItem]:
    if count <= 0:
        return []
    message = workflow_message("unreadable_values", count=count)
    kind = AttentionKind.UNREADABLE_VALUES
    return [AttentionItem(kind, SEVERITY[kind], "", "", "", None, None, 0, message)]


# -- duos ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DuoItems:
    """Makes the items about duos: their office, and the two names their messages show."""

    people: Mapping[str, Mapping[str, Any]]

    def pair(self, duo: Mapping[str, Any]) -> str:
        names = []
        for column in ("Mentor ID", "Mentee ID"):
            person = self.people.get(cell_text(duo, column))
            names.append(cell_text(duo, column) if person is None else person_name(person))
        return " & ".join(names)

    def item(
        self,
        kind: AttentionKind,
        duo: Mapping[str, Any],
        waiting: int | None,
        overdue: int,
        message: Msg,
    ) -> AttentionItem:
        office, duo_id = duo_office(duo, self.people), cell_text(duo, "ID")
        row = sheet_row(duo)
        return AttentionItem(
            kind, SEVERITY[kind], office, DUOS_TAB, duo_id, row, waiting, overdue, message
        )


def _dates_by_duo(frame: pd.DataFrame | None) -> dict[str, list[date]]:
    dates: dict[str, list[date]] = defaultdict(list)
    for row in records(frame, ("Duo ID", "Date")):
        day = cell_date(row, "Date")
        if day is not None:
            dates[cell_text(row, "Duo ID")].append(day)
    return dates


def _evaluated(evaluations: pd.DataFrame | None) -> set[str]:
    return {cell_text(row, "Duo ID") for row in records(evaluations, ("Duo ID",))}


def _intros_not_planned(
    about: _DuoItems, duos: Rows, today: date, s: AttentionSettings
) -> list[AttentionItem]:
    items = []
    for duo in duos:
        proposed = cell_date(duo, "Proposed on")
        if cell_text(duo, "Status") not in PRE_AGREEMENT_STATUSES or proposed is None:
            continue
        waiting = _days(today, proposed)
        if cell_date(duo, "Intro on") is None and waiting >= s.intro_planning_days:
            message = workflow_message("intro_not_planned", duo=about.pair(duo), days=waiting)
            overdue = waiting - s.intro_planning_days
            items.append(
                about.item(AttentionKind.INTRO_NOT_PLANNED, duo, waiting, overdue, message)
            )
    return items


def _intros_without_outcome(
    about: _DuoItems, duos: Rows, today: date, s: AttentionSettings
) -> list[AttentionItem]:
    items = []
    for duo in duos:
        intro = cell_date(duo, "Intro on")
        if cell_text(duo, "Status") not in PRE_AGREEMENT_STATUSES or intro is None:
            continue
        since = _days(today, intro)
        if since > s.intro_outcome_days:
            message = workflow_message("intro_without_outcome", duo=about.pair(duo), date=intro)
            overdue = since - s.intro_outcome_days
            kind = AttentionKind.INTRO_WITHOUT_OUTCOME
            items.append(about.item(kind, duo, since, overdue, message))
    return items


def _quiet_duos(
    about: _DuoItems,
    duos: Rows,
    meetings: Mapping[str, list[date]],
    today: date,
    s: AttentionSettings,
) -> list[AttentionItem]:
    """Active duos with no meeting logged for a while; the clock starts at the agreement."""
    items = []
    for duo in duos:
        if cell_text(duo, "Status") != ACTIVE:
            continue
        logged = [day for day in meetings.get(cell_text(duo, "ID"), []) if day <= today]
        known = [day for day in (*logged, cell_date(duo, "Agreement on")) if day is not None]
        quiet = _days(today, max(known)) if known else -1
        if quiet >= s.quiet_duo_days:
            pair = about.pair(duo)
            message = (
                workflow_message("quiet_duo", duo=pair, days=quiet)
                if logged
                else workflow_message("quiet_duo_never_met", duo=pair, days=quiet)
            )
            overdue = quiet - s.quiet_duo_days
            items.append(about.item(AttentionKind.QUIET_DUO, duo, quiet, overdue, message))
    return items


def check_in_due_on(agreement_on: date, check_ins: Iterable[date], s: AttentionSettings) -> date:
    """When the next check-in of an active duo is due.

    In the first month the expected check-ins are spread evenly over it (with the defaults:
    day 15 and day 30 after the agreement). Once they are done, or once a check-in took place
    after the first month, the next one is due an interval after the last.
    """
    done = sorted(day for day in check_ins if day >= agreement_on)
    first_month_end = agreement_on + timedelta(days=s.first_month_days)
    in_first_month = [day for day in done if day < first_month_end]
    if len(in_first_month) < s.first_month_check_ins and len(in_first_month) == len(done):
        spacing = s.first_month_days // s.first_month_check_ins
        return agreement_on + timedelta(days=spacing * (len(done) + 1))
    return (done[-1] if done else agreement_on) + timedelta(days=s.check_in_interval_days)


def _check_ins_due(
    about: _DuoItems,
    duos: Rows,
    check_ins: Mapping[str, list[date]],
    today: date,
    s: AttentionSettings,
) -> list[AttentionItem]:
    items = []
    for duo in duos:
        agreement = cell_date(duo, "Agreement on")
        if cell_text(duo, "Status") != ACTIVE or agreement is None:
            continue
        done = [day for day in check_ins.get(cell_text(duo, "ID"), []) if agreement <= day <= today]
        due = check_in_due_on(agreement, done, s)
        if today >= due:
            message = workflow_message(
                "check_in_due", duo=about.pair(duo), date=due, count=len(done)
            )
            since_last = _days(today, max(done, default=agreement))
            items.append(
                about.item(AttentionKind.CHECK_IN_DUE, duo, since_last, _days(today, due), message)
            )
    return items


def _evaluations_due(
    about: _DuoItems, duos: Rows, evaluated: set[str], today: date, s: AttentionSettings
) -> list[AttentionItem]:
    """Evaluations to plan (planned end near) or missing (planned end passed, or duo ended)."""
    items = []
    for duo in duos:
        if cell_text(duo, "ID") not in evaluated:
            items.extend(_evaluation_item(about, duo, today, s))
    return items


def _evaluation_item(
    about: _DuoItems, duo: Mapping[str, Any], today: date, s: AttentionSettings
) -> list[AttentionItem]:
    status, pair = cell_text(duo, "Status"), about.pair(duo)
    planned_end, ended = cell_date(duo, "Planned end"), cell_date(duo, "Ended on")
    if status == ACTIVE and planned_end is not None:
        left = _days(planned_end, today)
        if 0 <= left <= s.evaluation_notice_days:
            message = workflow_message("evaluation_due", duo=pair, date=planned_end, days=left)
            return [about.item(AttentionKind.EVALUATION_DUE, duo, None, 0, message)]
        if left < 0:
            message = workflow_message("planned_end_passed", duo=pair, date=planned_end, days=-left)
            return [about.item(AttentionKind.EVALUATION_MISSING, duo, -left, -left, message)]
    if status in ENDED_DUO_STATUSES and ended is not None:
        since = _days(today, ended)
        if 0 <= since <= s.evaluation_follow_up_days:
            message = workflow_message("ended_without_evaluation", duo=pair, date=ended)
            return [about.item(AttentionKind.EVALUATION_MISSING, duo, since, since, message)]
    return []


def _follow_ups_due(
    about: _DuoItems,
    duos: pd.DataFrame | None,
    follow_ups: pd.DataFrame | None,
    today: date,
    settings: FollowUpSettings | None,
) -> list[AttentionItem]:
    """The follow-up contacts due (only when the Follow-ups tab is given)."""
    if follow_ups is None:
        return []
    rows = by_id(records(duos))
    items = []
    for due in due_follow_ups(duos=duos, follow_ups=follow_ups, today=today, settings=settings):
        duo = rows[due.duo_id]
        message = workflow_message(
            "follow_up_due", duo=about.pair(duo), months=due.months, date=due.due_on
        )
        kind = AttentionKind.FOLLOW_UP_DUE
        items.append(about.item(kind, duo, due.overdue_days, due.overdue_days, message))
    return items


# -- consistency of the records -----------------------------------------------------------


class FindingKind(StrEnum):
    DUPLICATE_EMAIL = "duplicate_email"
    DUPLICATE_PHONE = "duplicate_phone"
    IN_DUO_WITHOUT_DUO = "in_duo_without_duo"
    STATUS_NOT_IN_DUO = "status_not_in_duo"
    UNKNOWN_PARTICIPANT = "unknown_participant"
    WRONG_ROLE = "wrong_role"
    ACTIVE_WITHOUT_AGREEMENT = "active_without_agreement"
    OVER_CAPACITY = "over_capacity"


FINDING_LABELS: dict[FindingKind, Msg] = {
    FindingKind.DUPLICATE_EMAIL: workflow_message("finding_duplicate_email"),
    FindingKind.DUPLICATE_PHONE: workflow_message("finding_duplicate_phone"),
    FindingKind.IN_DUO_WITHOUT_DUO: workflow_message("finding_in_duo_without_duo"),
    FindingKind.STATUS_NOT_IN_DUO: workflow_message("finding_status_not_in_duo"),
    FindingKind.UNKNOWN_PARTICIPANT: workflow_message("finding_unknown_participant"),
    FindingKind.WRONG_ROLE: workflow_message("finding_wrong_role"),
    FindingKind.ACTIVE_WITHOUT_AGREEMENT: workflow_message("finding_active_without_agreement"),
    FindingKind.OVER_CAPACITY: workflow_message("finding_over_capacity"),
}


@dataclass(frozen=True)
class Finding:
    """A cell whose value contradicts another record; `row` is its sheet row (`_row`)."""

    kind: FindingKind
    tab: str
    row: int | None
    record_id: str
    column: str
    value: str
    message: Msg = field(compare=False)


def consistency_findings(
    participants: pd.DataFrame | None, duos: pd.DataFrame | None
) -> list[Finding]:
    """Duplicate people, statuses that contradict the duos, and duos that point nowhere."""
    people, all_duos = records(participants), records(duos)
    return [
        *_duplicates(people, "Email", email_key, FindingKind.DUPLICATE_EMAIL),
        *_duplicates(people, "Phone", phone_key, FindingKind.DUPLICATE_PHONE),
        *_status_findings(people, all_duos),
        *_over_capacity(people, all_duos),
        *_duo_findings(people, all_duos),
    ]


def _finding(
    kind: FindingKind, tab: str, row: Mapping[str, Any], column: str, message: Msg
) -> Finding:
    value = cell_text(row, column)
    return Finding(kind, tab, sheet_row(row), cell_text(row, "ID"), column, value, message)


def email_key(email: str) -> str:
    return email.strip().lower()


def phone_key(phone: str) -> str:
    """The digits of a phone number without the Belgian +32 / 0032 / 0 prefix ("" if too short)."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0032"):
        digits = digits[4:]
    elif digits.startswith("32") and len(digits) in (10, 11, 12):
        digits = digits[2:]
    digits = digits.removeprefix("0")
    return digits if len(digits) >= 8 else ""


def _duplicates(
    people: Rows, column: str, key: Callable[[str], str], kind: FindingKind
) -> list[Finding]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for person in people:
        if normalised := key(cell_text(person, column)):
            groups[normalised].append(person)
    findings = []
    for group in (group for group in groups.values() if len(group) > 1):
        for person in group:
            others = ", ".join(cell_text(other, "ID") for other in group if other is not person)
            params = {"person": person_name(person), "others": others}
            message = (
                workflow_message("duplicate_email", **params)
                if kind is FindingKind.DUPLICATE_EMAIL
                else workflow_message("duplicate_phone", **params)
            )
            findings.append(_finding(kind, PARTICIPANTS_TAB, person, column, message))
    return sorted(findings, key=lambda finding: finding.row or 0)


def _status_findings(people: Rows, duos: Rows) -> list[Finding]:
    findings, duos_of = [], duos_by_person(duos)
    for person in people:
        person_id = cell_text(person, "ID")
        live = live_duos_of(person_id, duos_of.get(person_id, []))
        status, name = cell_text(person, "Status"), person_name(person)
        if status == IN_DUO and not live:
            message = workflow_message("in_duo_without_duo", person=name)
            findings.append(
                _finding(
                    FindingKind.IN_DUO_WITHOUT_DUO, PARTICIPANTS_TAB, person, "Status", message
                )
            )
        elif live and status != IN_DUO:
            message = workflow_message(
                "status_not_in_duo", person=name, status=status, duo=cell_text(live[0], "ID")
            )
            findings.append(
                _finding(FindingKind.STATUS_NOT_IN_DUO, PARTICIPANTS_TAB, person, "Status", message)
            )
    return findings


def _over_capacity(people: Rows, duos: Rows) -> list[Finding]:
    findings, duos_of = [], duos_by_person(duos)
    for person in people:
        person_id = cell_text(person, "ID")
        if cell_text(person, "Role") != MENTOR:
            continue
        own = duos_of.get(person_id, [])
        live = [
            duo for duo in live_duos_of(person_id, own) if cell_text(duo, "Mentor ID") == person_id
        ]
        capacity = mentor_capacity(person)
        if len(live) > capacity:
            message = workflow_message(
                "over_capacity", person=person_name(person), duos=len(live), capacity=capacity
            )
            findings.append(
                _finding(FindingKind.OVER_CAPACITY, PARTICIPANTS_TAB, person, "Capacity", message)
            )
    return findings


def _duo_findings(people: Rows, duos: Rows) -> list[Finding]:
    roles = {cell_text(person, "ID"): cell_text(person, "Role") for person in people}
    findings = []
    for duo in duos:
        duo_id = cell_text(duo, "ID")
        for column, role in (("Mentor ID", MENTOR), ("Mentee ID", MENTEE)):
            person_id = cell_text(duo, column)
            if person_id not in roles:
                message = workflow_message("unknown_participant", duo=duo_id, person=person_id)
                findings.append(
                    _finding(FindingKind.UNKNOWN_PARTICIPANT, DUOS_TAB, duo, column, message)
                )
            elif roles[person_id] != role:
                params = {"duo": duo_id, "person": person_id, "role": roles[person_id]}
                message = (
                    workflow_message("mentor_not_a_mentor", **params)
                    if role == MENTOR
                    else workflow_message("mentee_not_a_mentee", **params)
                )
                findings.append(_finding(FindingKind.WRONG_ROLE, DUOS_TAB, duo, column, message))
        if cell_text(duo, "Status") == ACTIVE and cell_date(duo, "Agreement on") is None:
            message = workflow_message("active_without_agreement", duo=duo_id)
            findings.append(
                _finding(
                    FindingKind.ACTIVE_WITHOUT_AGREEMENT, DUOS_TAB, duo, "Agreement on", message
                )
            )
    return findings
