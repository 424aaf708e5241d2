"""Key figures, the pipeline and the reports per office and period.

Pure functions over the store's DataFrames. Every table comes back tidy (one fact per row,
snake_case column names) so a page can chart it or offer it as a download; `COLUMN_LABELS`
holds the translatable header of each column.

Definitions the figures rely on:
- an applicant of a period applied (Applied on) within it; they "got a duo" when they are in
  a duo that started (agreement signed: Active, Completed or Ended early), in any office;
- intake to match: from a mentee's Intake on to the Proposed on of their first duo (any
  status); a match dated before the intake is a typing error and left out;
- a duo is active in a period when its agreement was signed by the end and it had not ended
  before the start;
- the outcomes, early endings and satisfaction are those of the duos that ended (Completed
  or Ended early) within the period. A duo's outcome is that of its coordinator's
  evaluation, else its mentee's (the latest one with an outcome); mentor evaluations count
  for satisfaction only.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from attention import in_force, waiting_mentees
from i18n import Msg
from workflow import (
    ACTIVE,
    DUO_STATUSES,
    ENDED_DUO_STATUSES,
    ENDED_EARLY,
    MENTEE,
    MENTOR,
    PERSON_STATUSES,
    READY,
    STARTED_DUO_STATUSES,
    TRAINED,
    by_id,
    cell_date,
    cell_number,
    cell_text,
    duo_office,
    person_name,
    records,
    workflow_message,
)

POSITIVE_OUTCOMES = frozenset({"Job", "Internship", "Training", "Studies"})
STABLE_CONTRACTS = frozenset({"Permanent", "3 months or more"})
OUTCOME_RESPONDENTS = ("Coordinator", "Mentee")
"""Whose evaluation gives a duo's outcome, preferred first."""
RESPONDENTS = ("Mentor", "Mentee", "Coordinator")
DUO_GROUP = "Duo"
MATCH_WINDOW_DAYS = 365

Rows = Sequence[Mapping[str, Any]]

COLUMN_LABELS: dict[str, Msg] = {
    "office": workflow_message("column_office"),
    "group": workflow_message("column_group"),
    "status": workflow_message("column_status"),
    "count": workflow_message("column_count"),
    "id": workflow_message("column_id"),
    "name": workflow_message("column_name"),
    "role": workflow_message("column_role"),
    "month": workflow_message("column_month"),
    "intake_on": workflow_message("column_intake_on"),
    "matched_on": workflow_message("column_matched_on"),
    "days": workflow_message("column_days"),
    "waiting_days": workflow_message("column_waiting_days"),
    "applicants": workflow_message("column_applicants"),
    "with_duo": workflow_message("column_with_duo"),
    "conversion": workflow_message("column_conversion"),
    "median_days_to_match": workflow_message("column_median_days_to_match"),
    "active_duos": workflow_message("column_active_duos"),
    "duos_started": workflow_message("column_duos_started"),
    "meetings": workflow_message("column_meetings"),
    "hours_met": workflow_message("column_hours_met"),
    "duos_ended": workflow_message("column_duos_ended"),
    "ended_early": workflow_message("column_ended_early"),
    "early_ending_rate": workflow_message("column_early_ending_rate"),
    "end_reason": workflow_message("column_end_reason"),
    "duos": workflow_message("column_duos"),
    "outcome": workflow_message("column_outcome"),
    "share": workflow_message("column_share"),
    "evaluated_duos": workflow_message("column_evaluated_duos"),
    "positive_exits": workflow_message("column_positive_exits"),
    "positive_exit_rate": workflow_message("column_positive_exit_rate"),
    "stable_jobs": workflow_message("column_stable_jobs"),
    "stable_job_rate": workflow_message("column_stable_job_rate"),
    "respondent": workflow_message("column_respondent"),
    "mean_satisfaction": workflow_message("column_mean_satisfaction"),
    "responses": workflow_message("column_responses"),
}
"""The header of every column the tables below use, for pages and downloads."""


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median(values: Iterable[int]) -> float | None:
    values = list(values)
    return float(statistics.median(values)) if values else None


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _in_offices(office: str, offices: Collection[str] | None) -> bool:
    return offices is None or office in offices


# -- periods ------------------------------------------------------------------------------

PERIODS = ("this_month", "last_3_months", "this_year", "last_12_months")
"""The named report periods: calendar periods ending today."""


def first_of_month_before(day: date, months: int) -> date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """The first and last day of a named period: "last 3 months" is this month and the two
    before, up to today. A name not in `PERIODS` raises `KeyError`."""
    starts = {
        "this_month": first_of_month_before(today, 0),
        "last_3_months": first_of_month_before(today, 2),
        "this_year": date(today.year, 1, 1),
        "last_12_months": first_of_month_before(today, 11),
    }
    return starts[period], today


# -- key figures and pipeline -------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    active_duos: int
    duos_started_this_month: int
    """Duos whose agreement was signed since the first of the current month."""
    median_days_intake_to_match: float | None
    """Over the mentees first matched in the last 12 months."""
    mentees_waiting: int
    mentors_ready: int
    status_counts: pd.DataFrame = field(repr=False)
    """office, group (Mentor / Mentee / Duo), status, count."""
    waiting: pd.DataFrame = field(repr=False)
    """Ready mentees: id, name, office, waiting_days; longest wait first."""


def key_figures(
    participants: pd.DataFrame | None,
    duos: pd.DataFrame | None,
    *,
    today: date,
    offices: Collection[str] | None = None,
) -> KeyFigures:
    everyone = records(participants)
    people = [row for row in everyone if _in_offices(cell_text(row, "Office"), offices)]
    all_duos = _duos_with_office(everyone, records(duos))
    office_duos = [duo for duo in all_duos if _in_offices(duo["Office"], offices)]
    month_start, _ = period_bounds("this_month", today)
    since = today - timedelta(days=MATCH_WINDOW_DAYS)
    recent_matches = _intake_to_match(people, all_duos, since, today)
    waiting = pd.DataFrame(
        [
            {
                "id": cell_text(person, "ID"),
                "name": person_name(person),
                "office": cell_text(person, "Office"),
                "waiting_days": days,
            }
            for person, days in waiting_mentees(people, all_duos, today)
        ],
        columns=["id", "name", "office", "waiting_days"],
    )
    return KeyFigures(
        active_duos=sum(cell_text(duo, "Status") == ACTIVE for duo in office_duos),
        duos_started_this_month=sum(
            _within(cell_date(duo, "Agreement on"), month_start, today) for duo in office_duos
        ),
        median_days_intake_to_match=_median(recent_matches["days"]),
        mentees_waiting=_count(people, MENTEE, READY),
        mentors_ready=_count(people, MENTOR, READY),
        status_counts=_status_counts(everyone, all_duos, offices),
        waiting=waiting,
    )


def _count(people: Rows, role: str, status: str) -> int:
    return sum(
        cell_text(person, "Role") == role and cell_text(person, "Status") == status
        for person in people
    )


def _duos_with_office(people: Rows, duos: Rows) -> list[dict[str, Any]]:
    """The duos, each with the office it counts for (its own, else its mentee's)."""
    index = by_id(people)
    return [{**duo, "Office": duo_office(duo, index)} for duo in duos]


def status_counts(
    participants: pd.DataFrame | None,
    duos: pd.DataFrame | None,
    offices: Collection[str] | None = None,
) -> pd.DataFrame:
    """The pipeline: people per role and duos per status and office, in workflow order.

    Every known status appears for every office (zero included) so charts keep their shape;
    a status the app could not read is counted as typed, after the known ones.
    """
    people = records(participants)
    return _status_counts(people, _duos_with_office(people, records(duos)), offices)


def _status_counts(
    people: Rows, duos: Sequence[dict[str, Any]], offices: Collection[str] | None
) -> pd.DataFrame:
    counts: Counter[tuple[str, str, str]] = Counter()
    for person in people:
        counts[
            (cell_text(person, "Office"), cell_text(person, "Role"), cell_text(person, "Status"))
        ] += 1
    for duo in duos:
        counts[(duo["Office"], DUO_GROUP, cell_text(duo, "Status"))] += 1
    seen_offices = sorted({office for office, _, _ in counts} | set(offices or ()))
    rows = []
    for office in (office for office in seen_offices if _in_offices(office, offices)):
        for group, statuses in _PIPELINE:
            known = [(group, status) for status in statuses]
            unknown = sorted(
                {(g, s) for o, g, s in counts if o == office and g == group and s not in statuses}
            )
            rows += [
                {"office": office, "group": g, "status": s, "count": counts[(office, g, s)]}
                for g, s in known + unknown
            ]
    return pd.DataFrame(rows, columns=["office", "group", "status", "count"])


_PIPELINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (MENTOR, PERSON_STATUSES),
    (MENTEE, tuple(status for status in PERSON_STATUSES if status != TRAINED)),
    (DUO_GROUP, DUO_STATUSES),
)


def intake_to_match(
    participants: pd.DataFrame | None,
    duos: pd.DataFrame | None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Per mentee first matched within [start, end]: id, office, intake_on, matched_on, days."""
    return _intake_to_match(records(participants), records(duos), start, end)


def _intake_to_match(
    people: Rows, duos: Rows, start: date | None, end: date | None
) -> pd.DataFrame:
    first_match: dict[str, date] = {}
    for duo in duos:
        proposed, mentee_id = cell_date(duo, "Proposed on"), cell_text(duo, "Mentee ID")
        if proposed is not None and proposed < first_match.get(mentee_id, date.max):
            first_match[mentee_id] = proposed
    rows = []
    for person in people:
        intake, matched = cell_date(person, "Intake on"), first_match.get(cell_text(person, "ID"))
        if cell_text(person, "Role") != MENTEE or intake is None or matched is None:
            continue
        in_period = (start is None or matched >= start) and (end is None or matched <= end)
        if in_period and matched >= intake:
            rows.append(
                {
                    "id": cell_text(person, "ID"),
                    "office": cell_text(person, "Office"),
                    "intake_on": intake,
                    "matched_on": matched,
                    "days": (matched - intake).days,
                }
            )
    return pd.DataFrame(rows, columns=["id", "office", "intake_on", "matched_on", "days"])


# -- reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSummary:
    """The figures of one report, for all the offices it covers (rates in 0..1, None if no data)."""

    applicants: int
    applicants_with_duo: int
    conversion_rate: float | None
    median_days_intake_to_match: float | None
    active_duos: int
    meetings: int
    hours_met: float
    duos_ended: int
    duos_ended_early: int
    early_ending_rate: float | None
    evaluated_duos: int
    """Ended duos with an outcome from their coordinator's or mentee's evaluation."""
    positive_exits: int
    positive_exit_rate: float | None
    stable_jobs: int
    stable_job_rate: float | None
    satisfaction: dict[str, float]
    """Mean satisfaction (1-5) per respondent kind that answered."""


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    offices: tuple[str, ...]
    summary: ReportSummary
    by_office: pd.DataFrame = field(repr=False)
    """One row per office with the summary's figures."""
    applicants: pd.DataFrame = field(repr=False)
    """office, role, applicants, with_duo, conversion."""
    monthly: pd.DataFrame = field(repr=False)
    """month (YYYY-MM), office, applicants, duos_started, hours_met."""
    end_reasons: pd.DataFrame = field(repr=False)
    """office, end_reason, duos: the early endings of the period."""
    outcomes: pd.DataFrame = field(repr=False)
    """office, outcome, duos, share (of the office's evaluated duos)."""
    satisfaction: pd.DataFrame = field(repr=False)
    """office, respondent, mean_satisfaction, responses."""


@dataclass(frozen=True)
class _Scope:
    """The records of some offices, with every duo kept aside to follow people across offices."""

    people: list[dict[str, Any]]
    duos: list[dict[str, Any]]
    meetings: list[dict[str, Any]]
    evaluations: list[dict[str, Any]]
    all_duos: list[dict[str, Any]]


def office_report(
    *,
    participants: pd.DataFrame | None,
    duos: pd.DataFrame | None,
    meetings: pd.DataFrame | None,
    evaluations: pd.DataFrame | None,
    start: date,
    end: date,
    offices: Collection[str] | None = None,
) -> Report:
    """The report of the period [start, end] (both included) for the given offices (None: all)."""
    people = records(participants)
    all_duos = _duos_with_office(people, records(duos))
    meeting_rows = records(in_force(meetings), ("Duo ID", "Date", "Hours"))
    evaluation_rows = records(in_force(evaluations))
    everything = _Scope(people, all_duos, meeting_rows, evaluation_rows, all_duos)
    scope = _narrow(everything, offices)
    covered = sorted(
        {cell_text(row, "Office") for row in scope.people}
        | {duo["Office"] for duo in scope.duos}
        | set(offices or ())
    )
    per_office = {office: _narrow(scope, {office}) for office in covered}
    summaries = {office: _summary(part, start, end) for office, part in per_office.items()}
    return Report(
        start=start,
        end=end,
        offices=tuple(covered),
        summary=_summary(scope, start, end),
        by_office=_by_office_frame(summaries),
        applicants=_applicants_frame(per_office, start, end),
        monthly=_monthly_frame(per_office, start, end),
        end_reasons=_end_reasons_frame(per_office, start, end),
        outcomes=_outcomes_frame(per_office, start, end),
        satisfaction=_satisfaction_frame(per_office, start, end),
    )


def _narrow(scope: _Scope, offices: Collection[str] | None) -> _Scope:
    duos = [duo for duo in scope.duos if _in_offices(duo["Office"], offices)]
    duo_ids = {cell_text(duo, "ID") for duo in duos}
    return _Scope(
        people=[row for row in scope.people if _in_offices(cell_text(row, "Office"), offices)],
        duos=duos,
        meetings=[row for row in scope.meetings if cell_text(row, "Duo ID") in duo_ids],
        evaluations=[row for row in scope.evaluations if cell_text(row, "Duo ID") in duo_ids],
        all_duos=scope.all_duos,
    )


def _applicants(scope: _Scope, start: date, end: date) -> list[dict[str, Any]]:
    return [row for row in scope.people if _within(cell_date(row, "Applied on"), start, end)]


def _with_duo(scope: _Scope) -> set[str]:
    """People in a duo that started, whatever its office."""
    started = [duo for duo in scope.all_duos if cell_text(duo, "Status") in STARTED_DUO_STATUSES]
    return {cell_text(duo, column) for duo in started for column in ("Mentor ID", "Mentee ID")}


def _active_in(duo: Mapping[str, Any], start: date, end: date) -> bool:
    agreement, ended = cell_date(duo, "Agreement on"), cell_date(duo, "Ended on")
    started = cell_text(duo, "Status") in STARTED_DUO_STATUSES
    return (
        started and agreement is not None and agreement <= end and (ended is None or ended >= start)
    )


def _ended(scope: _Scope, start: date, end: date) -> list[dict[str, Any]]:
    return [
        duo
        for duo in scope.duos
        if cell_text(duo, "Status") in ENDED_DUO_STATUSES
        and _within(cell_date(duo, "Ended on"), start, end)
    ]


def _meetings_in(scope: _Scope, start: date, end: date) -> list[dict[str, Any]]:
    return [row for row in scope.meetings if _within(cell_date(row, "Date"), start, end)]


def _hours(meetings: Rows) -> float:
    return float(sum(cell_number(row, "Hours") or 0.0 for row in meetings))


def duo_outcomes(evaluations: Rows) -> dict[str, Mapping[str, Any]]:
    """Per duo, the evaluation that gives its outcome: the coordinator's, else the mentee's;
    the latest of them when there are several; only evaluations that name an outcome."""
    best: dict[str, Mapping[str, Any]] = {}
    for row in evaluations:
        respondent = cell_text(row, "Respondent")
        if respondent not in OUTCOME_RESPONDENTS or not cell_text(row, "Outcome"):
            continue
        duo_id = cell_text(row, "Duo ID")
        if duo_id not in best or _preference(row) > _preference(best[duo_id]):
            best[duo_id] = row
    return best


def _preference(evaluation: Mapping[str, Any]) -> tuple[int, date]:
    rank = len(OUTCOME_RESPONDENTS) - OUTCOME_RESPONDENTS.index(cell_text(evaluation, "Respondent"))
    return rank, cell_date(evaluation, "Date") or date.min


def is_stable_job(evaluation: Mapping[str, Any]) -> bool:
    return (
        cell_text(evaluation, "Outcome") == "Job"
        and cell_text(evaluation, "Contract") in STABLE_CONTRACTS
    )


def _ended_outcomes(scope: _Scope, start: date, end: date) -> list[Mapping[str, Any]]:
    ended_ids = {cell_text(duo, "ID") for duo in _ended(scope, start, end)}
    return [row for duo_id, row in duo_outcomes(scope.evaluations).items() if duo_id in ended_ids]


def _ended_evaluations(scope: _Scope, start: date, end: date) -> list[dict[str, Any]]:
    ended_ids = {cell_text(duo, "ID") for duo in _ended(scope, start, end)}
    return [row for row in scope.evaluations if cell_text(row, "Duo ID") in ended_ids]


def _satisfaction(evaluations: Rows) -> dict[str, list[float]]:
    scores: dict[str, list[float]] = {}
    for row in evaluations:
        score, respondent = cell_number(row, "Satisfaction"), cell_text(row, "Respondent")
        if score is not None and respondent in RESPONDENTS:
            scores.setdefault(respondent, []).append(score)
    return {respondent: scores[respondent] for respondent in RESPONDENTS if respondent in scores}


def _match_days(scope: _Scope, start: date, end: date) -> list[int]:
    return list(_intake_to_match(scope.people, scope.all_duos, start, end)["days"])


def _summary(scope: _Scope, start: date, end: date) -> ReportSummary:
    applicants, with_duo = _applicants(scope, start, end), _with_duo(scope)
    converted = sum(cell_text(row, "ID") in with_duo for row in applicants)
    ended = _ended(scope, start, end)
    early = sum(cell_text(duo, "Status") == ENDED_EARLY for duo in ended)
    outcomes = _ended_outcomes(scope, start, end)
    positive = sum(cell_text(row, "Outcome") in POSITIVE_OUTCOMES for row in outcomes)
    stable = sum(is_stable_job(row) for row in outcomes)
    meetings = _meetings_in(scope, start, end)
    scores = _satisfaction(_ended_evaluations(scope, start, end))
    return ReportSummary(
        applicants=len(applicants),
        applicants_with_duo=converted,
        conversion_rate=_rate(converted, len(applicants)),
        median_days_intake_to_match=_median(_match_days(scope, start, end)),
        active_duos=sum(_active_in(duo, start, end) for duo in scope.duos),
        meetings=len(meetings),
        hours_met=_hours(meetings),
        duos_ended=len(ended),
        duos_ended_early=early,
        early_ending_rate=_rate(early, len(ended)),
        evaluated_duos=len(outcomes),
        positive_exits=positive,
        positive_exit_rate=_rate(positive, len(outcomes)),
        stable_jobs=stable,
        stable_job_rate=_rate(stable, len(outcomes)),
        satisfaction={
            respondent: statistics.fmean(values) for respondent, values in scores.items()
        },
    )


BY_OFFICE_COLUMNS = (
    "office",
    "applicants",
    "with_duo",
    "conversion",
    "median_days_to_match",
    "active_duos",
    "meetings",
    "hours_met",
    "duos_ended",
    "ended_early",
    "early_ending_rate",
    "evaluated_duos",
    "positive_exits",
    "positive_exit_rate",
    "stable_jobs",
    "stable_job_rate",
)


def _by_office_frame(summaries: Mapping[str, ReportSummary]) -> pd.DataFrame:
    rows = [
        dict(
            zip(
                BY_OFFICE_COLUMNS,
                (
                    office,
                    s.applicants,
                    s.applicants_with_duo,
                    s.conversion_rate,
                    s.median_days_intake_to_match,
                    s.active_duos,
                    s.meetings,
                    s.hours_met,
                    s.duos_ended,
                    s.duos_ended_early,
                    s.early_ending_rate,
                    s.evaluated_duos,
                    s.positive_exits,
                    s.positive_exit_rate,
                    s.stable_jobs,
                    s.stable_job_rate,
                ),
                strict=True,
            )
        )
        for office, s in summaries.items()
    ]
    return pd.DataFrame(rows, columns=list(BY_OFFICE_COLUMNS))


def _applicants_frame(per_office: Mapping[str, _Scope], start: date, end: date) -> pd.DataFrame:
    rows = []
    for office, scope in per_office.items():
        applicants, converted = _applicants(scope, start, end), _with_duo(scope)
        for role in (MENTOR, MENTEE):
            ids = [cell_text(row, "ID") for row in applicants if cell_text(row, "Role") == role]
            with_duo = sum(person_id in converted for person_id in ids)
            rows.append(
                {
                    "office": office,
                    "role": role,
                    "applicants": len(ids),
                    "with_duo": with_duo,
                    "conversion": _rate(with_duo, len(ids)),
                }
            )
    return pd.DataFrame(rows, columns=["office", "role", "applicants", "with_duo", "conversion"])


def _months(start: date, end: date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(f"{day:%Y-%m}")
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _monthly_frame(per_office: Mapping[str, _Scope], start: date, end: date) -> pd.DataFrame:
    rows = []
    for office, scope in per_office.items():
        applied = Counter(
            f"{cell_date(row, 'Applied on'):%Y-%m}" for row in _applicants(scope, start, end)
        )
        started = Counter(
            f"{day:%Y-%m}"
            for duo in scope.duos
            if (day := cell_date(duo, "Agreement on")) is not None and _within(day, start, end)
        )
        hours: dict[str, float] = defaultdict(float)
        for meeting in _meetings_in(scope, start, end):
            hours[f"{cell_date(meeting, 'Date'):%Y-%m}"] += cell_number(meeting, "Hours") or 0.0
        rows += [
            {
                "month": month,
                "office": office,
                "applicants": applied[month],
                "duos_started": started[month],
                "hours_met": float(hours[month]),
            }
            for month in _months(start, end)
        ]
    return pd.DataFrame(
        rows, columns=["month", "office", "applicants", "duos_started", "hours_met"]
    )


def _end_reasons_frame(per_office: Mapping[str, _Scope], start: date, end: date) -> pd.DataFrame:
    rows = []
    for office, scope in per_office.items():
        reasons = Counter(
            cell_text(duo, "End reason")
            for duo in _ended(scope, start, end)
            if cell_text(duo, "Status") == ENDED_EARLY
        )
        rows += [
            {"office": office, "end_reason": reason, "duos": count}
            for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
        ]
    return pd.DataFrame(rows, columns=["office", "end_reason", "duos"])


def _outcomes_frame(per_office: Mapping[str, _Scope], start: date, end: date) -> pd.DataFrame:
    rows = []
    for office, scope in per_office.items():
        outcomes = _ended_outcomes(scope, start, end)
        counts = Counter(cell_text(row, "Outcome") for row in outcomes)
        rows += [
            {"office": office, "outcome": outcome, "duos": count, "share": count / len(outcomes)}
            for outcome, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
    return pd.DataFrame(rows, columns=["office", "outcome", "duos", "share"])


def _satisfaction_frame(per_office: Mapping[str, _Scope], start: date, end: date) -> pd.DataFrame:
    rows = [
        {
            "office": office,
            "respondent": respondent,
            "mean_satisfaction": statistics.fmean(scores),
            "responses": len(scores),
        }
        for office, scope in per_office.items()
        for respondent, scores in _satisfaction(_ended_evaluations(scope, start, end)).items()
    ]
    return pd.DataFrame(rows, columns=["office", "respondent", "mean_satisfaction", "responses"])
