"""The figures DUO for a JOB publishes, per office and period, each with its base.

Every figure says over how many people (or duos) it is computed (`over`) and how many of
them are unknown (`unknown`), so that 72% of 12 answers is not read like 72% of 400. Rates
are computed over the known ones (`over - unknown`), except the conversion, computed over
every applicant. The definitions (`DEFINITIONS`, written out in the docs and on the Reports
page):

- positive exit within 12 months: the mentees of the duos whose 12 months after the start
  (Agreement on) fall in the period; positive when a follow-up done within those 12 months
  says job, internship or qualifying training, or the duo's evaluation (coordinator's or
  mentee's, dated within them) says job, internship or training. Unknown: no follow-up
  answer and no evaluation outcome within the 12 months; "Unreachable" is an answer (known,
  not positive), counted apart in `unreachable`.
- stable job within 12 months: the same mentees; a job with a contract of 3 months or more
  (Permanent, 3 months or more) by a follow-up or the evaluation within the 12 months.
- the three self-reported gains (more autonomous, a career plan, a wider network): the
  mentees of the duos that ended (Completed or Ended early) in the period; a gain when the
  mentee's own evaluation answers "Yes" (Partly and No are not). Unknown: no mentee
  evaluation, or the question unanswered (a workbook without the column: all unknown).
- reaching 6 months: the duos whose 6 months after the start fall in the period; reached
  when the duo is still active, completed, or ended early on or after that day. Unknown: an
  early end without a date, or a day still to come.
- conversion applicant → duo: the people who applied in the period; converted when they
  are in a duo that started (any office). Unknown: those still on their way (not in a duo,
  not withdrawn nor on hold); the rate is over all applicants.
- days intake → match: the mentees first proposed a duo in the period; the median of the
  days from their intake. Unknown: no intake date, or one after the match.
- satisfaction: the mentors and mentees of the duos that ended in the period; the mean of
  the score (1-5) of their own latest evaluation. Unknown: no score.
- cost per duo: an office's yearly budget (Budgets tab; a period shorter than a year takes
  its share of days) over the duos active in the period (agreement signed by its end, not
  ended before its start). Unknown: the duos of offices without a budget for every year the
  period touches (left out of both sides).

Pure functions over the store's DataFrames.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from follow_ups import ANSWERED_SITUATIONS, POSITIVE_SITUATIONS, UNREACHABLE
from follow_ups import counted as counted_follow_ups
from i18n import Messages
from sheets.schema import CANCELLED
from workflow import (
    COMPLETED,
    ENDED_DUO_STATUSES,
    ENDED_EARLY,
    KEPT_BY_STAFF,
    MENTEE,
    MENTOR,
    PRE_DUO_STATUSES,
    STARTED_DUO_STATUSES,
    add_months,
    by_id,
    cell_date,
    cell_number,
    cell_text,
    duo_office,
    records,
)

Unit = Literal["rate", "days", "score", "euros"]
Row = Mapping[str, Any]
Rows = Sequence[Row]

EXIT_MONTHS = 12
SIX_MONTHS = 6
POSITIVE_OUTCOMES = frozenset({"Job", "Internship", "Training"})
"""Evaluation outcomes that are a positive exit (the evaluation's Training is qualifying)."""
STABLE_CONTRACTS = frozenset({"Permanent", "3 months or more"})
OUTCOME_RESPONDENTS = frozenset({"Coordinator", "Mentee"})
YES, PARTLY, NO = "Yes", "Partly", "No"
GAINS: tuple[tuple[str, str], ...] = (
    ("autonomy", "Autonomy"),
    ("career_plan", "Career plan"),
    ("network", "Network"),
)
"""The self-reported gains: figure name, the Evaluations column that holds the answer."""
FIGURES: tuple[str, ...] = (
    "positive_exit",
    "stable_job",
    *(name for name, _ in GAINS),
    "six_months",
    "conversion",
    "days_to_match",
    "satisfaction",
    "cost_per_duo",
)

impact_message = Messages("impact")
"""A message of `i18n/impact.toml`: `<figure>` the name, `<figure>_definition` its definition."""

_ANSWERS: dict[str, str] = {
    "yes": YES,
    "oui": YES,
    "ja": YES,
    "partly": PARTLY,
    "en partie": PARTLY,
    "partiellement": PARTLY,
    "un peu": PARTLY,
    "gedeeltelijk": PARTLY,
    "deels": PARTLY,
    "no": NO,
    "non": NO,
    "nee": NO,
}


@dataclass(frozen=True)
class Figure:
    """One published figure: its value (None when nothing is known) and its base."""

    name: str
    unit: Unit
    value: float | None
    counted: int
    """Rates: how many have it (positive, converted, ...); means and medians: how many
    values they are taken over; cost: the duos it is shared over."""
    over: int
    """How many people (or duos) the figure is about."""
    unknown: int
    """Of those, how many it knows nothing of."""
    unreachable: int = 0
    """Positive exit and stable job: people answering "Unreachable" (known, not positive)."""
    amount: float | None = None
    """Cost per duo: the budget of the period it divides."""

    @property
    def known(self) -> int:
        return self.over - self.unknown


@dataclass(frozen=True)
class Impact:
    start: date
    end: date
    offices: tuple[str, ...]
    figures: dict[str, Figure]
    """For every office covered together, by name in `FIGURES` order."""
    by_office: pd.DataFrame = field(repr=False)
    """office, figure, unit, value, counted, over, unknown, unreachable: one row per office
    and figure."""


def yes_partly_no(value: Any) -> str:
    """Yes / Partly / No as typed in any of the three languages ("" when not one of them)."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip().casefold()
    return _ANSWERS.get(text, "")


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _in_force(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [row for row in records(frame) if not bool(row.get(CANCELLED.name) or False)]


# -- the figures, over one set of records ----------------------------------------------------


@dataclass(frozen=True)
class _Records:
    people: list[dict[str, Any]]
    duos: list[dict[str, Any]]
    """Each with the office it counts for in "Office"."""
    evaluations: dict[str, list[dict[str, Any]]]
    """By duo ID."""
    follow_ups: dict[str, list[dict[str, Any]]]
    """By duo ID."""
    all_duos: list[dict[str, Any]]
    """Every office's (people are followed across offices)."""


def _started(duo: Row) -> bool:
    return cell_text(duo, "Status") in STARTED_DUO_STATUSES


def _exit_answers(data: _Records, duo: Row) -> tuple[list[tuple[str, str]], date, date]:
    """(situation or outcome, contract) of every answer within 12 months of the start."""
    start = cell_date(duo, "Agreement on")
    assert start is not None
    until = add_months(start, EXIT_MONTHS)
    duo_id, answers = cell_text(duo, "ID"), []
    for row in data.follow_ups.get(duo_id, []):
        situation = cell_text(row, "Situation")
        if situation in ANSWERED_SITUATIONS and _within(cell_date(row, "Done on"), start, until):
            answers.append((situation, cell_text(row, "Contract")))
    for row in data.evaluations.get(duo_id, []):
        outcome = cell_text(row, "Outcome")
        if (
            cell_text(row, "Respondent") in OUTCOME_RESPONDENTS
            and outcome
            and _within(cell_date(row, "Date"), start, until)
        ):
            answers.append((outcome, cell_text(row, "Contract")))
    return answers, start, until


def _exit_cohort(data: _Records, start: date, end: date) -> list[dict[str, Any]]:
    return [
        duo
        for duo in data.duos
        if _started(duo)
        and (agreement := cell_date(duo, "Agreement on")) is not None
        and _within(add_months(agreement, EXIT_MONTHS), start, end)
    ]


def _exit_figure(
    data: _Records, start: date, end: date, name: str, good: Callable[[str, str], bool]
) -> Figure:
    cohort = _exit_cohort(data, start, end)
    counted = unknown = unreachable = 0
    for duo in cohort:
        answers, _, _ = _exit_answers(data, duo)
        if not answers:
            unknown += 1
        elif any(good(what, contract) for what, contract in answers):
            counted += 1
        elif all(what == UNREACHABLE for what, _ in answers):
            unreachable += 1
    known = len(cohort) - unknown
    return Figure(name, "rate", _rate(counted, known), counted, len(cohort), unknown, unreachable)


def _positive(what: str, _contract: str) -> bool:
    return what in POSITIVE_SITUATIONS or what in POSITIVE_OUTCOMES


def _stable(what: str, contract: str) -> bool:
    return what == "Job" and contract in STABLE_CONTRACTS


def _ended(data: _Records, start: date, end: date) -> list[dict[str, Any]]:
    return [
        duo
        for duo in data.duos
        if cell_text(duo, "Status") in ENDED_DUO_STATUSES
        and _within(cell_date(duo, "Ended on"), start, end)
    ]


def _latest(rows: Rows, respondent: str, answered: Callable[[Row], bool]) -> Row | None:
    """The latest evaluation of this respondent that answers (by date, then sheet order)."""
    mine = [row for row in rows if cell_text(row, "Respondent") == respondent and answered(row)]
    if not mine:
        return None
    return max(enumerate(mine), key=lambda pair: (cell_date(pair[1], "Date") or date.min, pair[0]))[
        1
    ]


def _gain_figure(data: _Records, start: date, end: date, name: str, column: str) -> Figure:
    ended = _ended(data, start, end)
    counted = unknown = 0
    for duo in ended:
        rows = data.evaluations.get(cell_text(duo, "ID"), [])
        answer = _latest(rows, MENTEE, lambda row: bool(yes_partly_no(row.get(column))))
        if answer is None:
            unknown += 1
        elif yes_partly_no(answer.get(column)) == YES:
            counted += 1
    return Figure(name, "rate", _rate(counted, len(ended) - unknown), counted, len(ended), unknown)


def _six_months_figure(data: _Records, start: date, end: date, today: date) -> Figure:
    counted = unknown = over = 0
    for duo in data.duos:
        agreement = cell_date(duo, "Agreement on")
        if not _started(duo) or agreement is None:
            continue
        mark = add_months(agreement, SIX_MONTHS)
        if not _within(mark, start, end):
            continue
        over += 1
        status, ended = cell_text(duo, "Status"), cell_date(duo, "Ended on")
        if mark > today or (status == ENDED_EARLY and ended is None):
            unknown += 1
        elif status == COMPLETED or ended is None or ended >= mark:
            counted += 1
    return Figure("six_months", "rate", _rate(counted, over - unknown), counted, over, unknown)


def _conversion_figure(data: _Records, start: date, end: date) -> Figure:
    in_duo = {
        cell_text(duo, column)
        for duo in data.all_duos
        if _started(duo)
        for column in ("Mentor ID", "Mentee ID")
    }
    applicants = [row for row in data.people if _within(cell_date(row, "Applied on"), start, end)]
    converted = sum(cell_text(row, "ID") in in_duo for row in applicants)
    on_the_way = sum(
        cell_text(row, "ID") not in in_duo
        and cell_text(row, "Status") in PRE_DUO_STATUSES | {""}
        and cell_text(row, "Status") not in KEPT_BY_STAFF
        for row in applicants
    )
    return Figure(
        "conversion",
        "rate",
        _rate(converted, len(applicants)),
        converted,
        len(applicants),
        on_the_way,
    )


def _days_to_match_figure(data: _Records, start: date, end: date) -> Figure:
    first_match: dict[str, date] = {}
    for duo in data.all_duos:
        proposed, mentee = cell_date(duo, "Proposed on"), cell_text(duo, "Mentee ID")
        if proposed is not None and proposed < first_match.get(mentee, date.max):
            first_match[mentee] = proposed
    days, over = [], 0
    for person in data.people:
        matched = first_match.get(cell_text(person, "ID"))
        if cell_text(person, "Role") != MENTEE or not _within(matched, start, end):
            continue
        assert matched is not None
        over += 1
        intake = cell_date(person, "Intake on")
        if intake is not None and intake <= matched:
            days.append((matched - intake).days)
    median = float(statistics.median(days)) if days else None
    return Figure("days_to_match", "days", median, len(days), over, over - len(days))


def _satisfaction_figure(data: _Records, start: date, end: date) -> Figure:
    scores, over = [], 0
    for duo in _ended(data, start, end):
        rows = data.evaluations.get(cell_text(duo, "ID"), [])
        for respondent in (MENTOR, MENTEE):
            over += 1
            answer = _latest(
                rows, respondent, lambda row: cell_number(row, "Satisfaction") is not None
            )
            if answer is not None:
                scores.append(cell_number(answer, "Satisfaction") or 0.0)
    mean = statistics.fmean(scores) if scores else None
    return Figure("satisfaction", "score", mean, len(scores), over, over - len(scores))


def period_budget(
    budgets: Mapping[tuple[str, int], float], office: str, start: date, end: date
) -> float | None:
    """The office's budget for [start, end]: each year's budget times the share of that
    year's days in the period (None when a year the period touches has no budget)."""
    total = 0.0
    for year in range(start.year, end.year + 1):
        amount = budgets.get((office, year))
        if amount is None:
            return None
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        total += amount * ((last - first).days + 1) / days_in_year
    return total


def budgets_by_office(frame: pd.DataFrame | None) -> dict[tuple[str, int], float]:
    """(office, year) -> budget of the Budgets tab: for each, the row updated last (then the
    lowest in the sheet) that reads; unreadable rows are skipped."""
    rows = sorted(
        enumerate(records(frame)),
        key=lambda pair: (cell_date(pair[1], "Updated on") or date.min, pair[0]),
    )
    found: dict[tuple[str, int], float] = {}
    for _, row in rows:
        office, year, amount = (
            cell_text(row, "Office"),
            cell_number(row, "Year"),
            cell_number(row, "Budget"),
        )
        if office and year is not None and year.is_integer() and amount is not None:
            found[(office, int(year))] = amount
    return found


def _active_in(duo: Row, start: date, end: date) -> bool:
    agreement, ended = cell_date(duo, "Agreement on"), cell_date(duo, "Ended on")
    return (
        _started(duo)
        and agreement is not None
        and agreement <= end
        and (ended is None or ended >= start)
    )


def _cost_figure(
    data: _Records, budgets: Mapping[tuple[str, int], float], start: date, end: date
) -> Figure:
    active = [duo for duo in data.duos if _active_in(duo, start, end)]
    offices = sorted({cell_text(duo, "Office") for duo in active})
    amount, shared, unknown = 0.0, 0, 0
    for office in offices:
        duos = sum(cell_text(duo, "Office") == office for duo in active)
        budget = period_budget(budgets, office, start, end)
        if budget is None:
            unknown += duos
        else:
            amount += budget
            shared += duos
    value = amount / shared if shared else None
    return Figure(
        "cost_per_duo",
        "euros",
        value,
        shared,
        len(active),
        unknown,
        amount=amount if shared else None,
    )


def _figures(
    data: _Records,
    budgets: Mapping[tuple[str, int], float],
    start: date,
    end: date,
    today: date,
) -> dict[str, Figure]:
    found = [
        _exit_figure(data, start, end, "positive_exit", _positive),
        _exit_figure(data, start, end, "stable_job", _stable),
        *(_gain_figure(data, start, end, name, column) for name, column in GAINS),
        _six_months_figure(data, start, end, today),
        _conversion_figure(data, start, end),
        _days_to_match_figure(data, start, end),
        _satisfaction_figure(data, start, end),
        _cost_figure(data, budgets, start, end),
    ]
    return {figure.name: figure for figure in found}


# -- the report ------------------------------------------------------------------------------

BY_OFFICE_COLUMNS = (
    "office",
    "figure",
    "unit",
    "value",
    "counted",
    "over",
    "unknown",
    "unreachable",
)


def _by_duo(rows: Rows, duo_ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        duo_id = cell_text(row, "Duo ID")
        if duo_id in duo_ids:
            grouped.setdefault(duo_id, []).append(dict(row))
    return grouped


def _narrow(
    people: Rows, duos: Rows, evaluations: Rows, follow_ups: Rows, offices: Collection[str] | None
) -> _Records:
    def kept(office: str) -> bool:
        return offices is None or office in offices

    mine = [dict(duo) for duo in duos if kept(cell_text(duo, "Office"))]
    ids = {cell_text(duo, "ID") for duo in mine}
    return _Records(
        people=[dict(row) for row in people if kept(cell_text(row, "Office"))],
        duos=mine,
        evaluations=_by_duo(evaluations, ids),
        follow_ups=_by_duo(follow_ups, ids),
        all_duos=[dict(duo) for duo in duos],
    )


def impact_report(
    *,
    participants: pd.DataFrame | None,
    duos: pd.DataFrame | None,
    evaluations: pd.DataFrame | None,
    follow_ups: pd.DataFrame | None,
    budgets: pd.DataFrame | None,
    start: date,
    end: date,
    today: date,
    offices: Collection[str] | None = None,
) -> Impact:
    """The published figures of [start, end] (both included) for the offices (None: all),
    together and per office."""
    people = records(participants)
    index = by_id(people)
    all_duos = [{**duo, "Office": duo_office(duo, index)} for duo in records(duos)]
    evaluation_rows = _in_force(evaluations)
    follow_up_rows = counted_follow_ups(follow_ups)
    amounts = budgets_by_office(budgets)
    scope = _narrow(people, all_duos, evaluation_rows, follow_up_rows, offices)
    covered = sorted(
        ({cell_text(row, "Office") for row in scope.people} | {d["Office"] for d in scope.duos})
        - {""}
        | set(offices or ())
    )
    rows = []
    for office in covered:
        part = _narrow(people, all_duos, evaluation_rows, follow_up_rows, {office})
        for figure in _figures(part, amounts, start, end, today).values():
            rows.append(
                {
                    "office": office,
                    "figure": figure.name,
                    "unit": figure.unit,
                    "value": figure.value,
                    "counted": figure.counted,
                    "over": figure.over,
                    "unknown": figure.unknown,
                    "unreachable": figure.unreachable,
                }
            )
    return Impact(
        start=start,
        end=end,
        offices=tuple(covered),
        figures=_figures(scope, amounts, start, end, today),
        by_office=pd.DataFrame(rows, columns=list(BY_OFFICE_COLUMNS)),
    )
