"""The figures DUO publishes, on a small hand-built workbook whose answers are written here.

The period is the first half of 2026 (1 January to 30 June), today 15 July 2026; two
offices, Brussels (B) and Antwerp (A).

Positive exit and stable job (the duos whose 12 months after the agreement end in the
period: agreements from 1 January to 30 June 2025):
- D-1 (B) signed 1 Jan 2025 (12 months = 1 Jan 2026, the period's first day): a follow-up on
  exactly that day says job, permanent: positive and stable.
- D-2 (B) signed 10 Mar 2025: a follow-up one day after the 12 months says job (too late);
  the coordinator's evaluation says still searching: known, not positive.
- D-3 (B) signed 30 Jun 2025 (12 months = 30 Jun 2026, the period's last day): the only
  follow-up says unreachable: known, not positive, counted unreachable.
- D-4 (A) signed 1 Apr 2025: no follow-up, the mentee's evaluation says internship (under 3
  months): positive, not stable.
- D-5 (A) signed 1 May 2025: nothing but a cancelled follow-up: unknown.
- D-6 (B) signed 31 Dec 2024 and D-7 (B) signed 1 Jul 2025: just outside.
So 5 mentees, 1 unknown, 2 positive of 4 known (50%), 1 stable (25%), 1 unreachable.

Self-reported gains and satisfaction (the duos that ended in the period): D-8 (B, ended 15
Jan; the mentee answers "Oui", "Partly", "No"; mentee 5 (an earlier evaluation said 2), mentor
4, coordinator 1), D-9 (B, ended early 28 Feb; "Yes", "Yes", blank; mentee 3), D-10 (A,
ended 30 Jun; only the mentor: 4).

Six months (agreements from 1 Jul to 31 Dec 2025): D-7 active, D-8 completed, D-10 completed:
reached; D-9 ended early the day before its 6 months: not; D-11 (A) ended early without a
date: unknown. 3 of 4 known (75%), over 5.

Conversion and days to match: P-N1 (mentee, applied 1 Feb, intake 15 Feb, proposed 17 Mar
in D-14, started) and P-N2 (its mentor, applied 5 Jan): converted; P-N3 (ready) and P-N5
(applied on 30 Jun): on their way; P-N4 withdrew; P-N6 applied on 31 Dec 2025: outside.
Mentees first proposed in the period: P-N1 (30 days), P-N8 (10 days), P-N7 (no intake).

Cost per duo: Brussels's 2026 budget is 36,500 (the period: 181 of 365 days = 18,100) over
its 4 duos active in the period (D-7, D-8, D-9, D-14): 4,525; Antwerp has no budget: its 2
active duos (D-10, D-11) are unknown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from impact import (
    FIGURES,
    Figure,
    Impact,
    impact_report,
    period_budget,
    yes_partly_no,
)
from tests.test_workflow import duo, duos, frame, people, person

TODAY = date(2026, 7, 15)
START, END = date(2026, 1, 1), date(2026, 6, 30)
B, A = {"office": "Brussels"}, {"office": "Antwerp"}


def participants() -> pd.DataFrame:
    return people(
        person("P-N1", "Mentee", "In duo", applied_on="2026-02-01", intake_on="2026-02-15"),
        person("P-N2", "Mentor", "In duo", applied_on="2026-01-05"),
        person("P-N3", "Mentee", "Ready", applied_on="2026-03-01", intake_on="2026-03-10"),
        person("P-N4", "Mentee", "Withdrawn", applied_on="2026-04-01", office="Antwerp"),
        person("P-N5", "Mentor", "Applied", applied_on="2026-06-30", office="Antwerp"),
        person("P-N6", "Mentee", "Applied", applied_on="2025-12-31"),
        person("P-N7", "Mentee", "Ready", applied_on="2025-11-01", office="Antwerp"),
        person(
            "P-N8", "Mentee", "In duo", applied_on="2025-11-01", intake_on="2026-01-01",
            office="Antwerp",
        ),
    )  # fmt: skip


def all_duos() -> pd.DataFrame:
    return duos(
        duo("D-1", "P-M1", "P-E1", "Completed", **B, agreement_on="2025-01-01",
            ended_on="2025-07-01"),
        duo("D-2", "P-M2", "P-E2", "Completed", **B, agreement_on="2025-03-10",
            ended_on="2025-09-10"),
        duo("D-3", "P-M3", "P-E3", "Ended early", **B, agreement_on="2025-06-30",
            ended_on="2025-10-01"),
        duo("D-4", "P-M4", "P-E4", "Completed", **A, agreement_on="2025-04-01",
            ended_on="2025-10-01"),
        duo("D-5", "P-M5", "P-E5", "Completed", **A, agreement_on="2025-05-01",
            ended_on="2025-11-01"),
        duo("D-6", "P-M6", "P-E6", "Completed", **B, agreement_on="2024-12-31",
            ended_on="2025-06-30"),
        duo("D-7", "P-M7", "P-E7", "Active", **B, agreement_on="2025-07-01"),
        duo("D-8", "P-M8", "P-E8", "Completed", **B, agreement_on="2025-07-15",
            ended_on="2026-01-15"),
        duo("D-9", "P-M9", "P-E9", "Ended early", **B, agreement_on="2025-09-01",
            ended_on="2026-02-28"),
        duo("D-10", "P-M10", "P-E10", "Completed", **A, agreement_on="2025-12-01",
            ended_on="2026-06-30"),
        duo("D-11", "P-M11", "P-E11", "Ended early", **A, agreement_on="2025-10-01"),
        duo("D-12", "P-M12", "P-E12", "Declined", **B, ended_on="2026-02-01"),
        duo("D-14", "P-N2", "P-N1", "Active", **B, proposed_on="2026-03-17",
            agreement_on="2026-05-01"),
        duo("D-15", "P-M15", "P-N7", "Declined", **A, proposed_on="2026-02-01",
            ended_on="2026-02-10"),
        duo("D-16", "P-M16", "P-N8", "Proposed", **A, proposed_on="2026-01-11"),
    )  # fmt: skip


def follow_ups() -> pd.DataFrame:
    def row(duo_id: str, done: str, situation: str, contract: str = "", **cells: Any) -> dict:
        return {"duo_id": duo_id, "done_on": done, "situation": situation,
                "contract": contract, **cells}  # fmt: skip

    return frame(
        "Follow-ups",
        [
            row("D-1", "2026-01-01", "Job", "Permanent"),
            row("D-2", "2026-03-11", "Job", "Permanent"),
            row("D-3", "2025-12-30", "Unreachable"),
            row("D-5", "2026-03-01", "Job", "Permanent", cancelled=True),
            row("D-6", "2025-06-01", "Job", "Permanent"),
        ],
    )


SELF_REPORTED = ("Autonomy", "Career plan", "Network")


def evaluations() -> pd.DataFrame:
    def row(duo_id: str, who: str, day: str, **cells: Any) -> dict[str, Any]:
        return {"duo_id": duo_id, "respondent": who, "date": day, **cells}

    rows = [
        row("D-2", "Coordinator", "2025-09-12", outcome="Still searching", contract="None"),
        row("D-4", "Mentee", "2025-10-05", outcome="Internship", contract="Under 3 months"),
        row("D-8", "Mentee", "2026-01-16", satisfaction=2),
        row("D-8", "Mentee", "2026-01-20", satisfaction=5),
        row("D-8", "Mentor", "2026-01-20", satisfaction=4),
        row("D-8", "Coordinator", "2026-01-21", satisfaction=1),
        row("D-9", "Mentee", "2026-03-02", satisfaction=3),
        row("D-10", "Mentor", "2026-07-01", satisfaction=4),
    ]
    data = frame("Evaluations", rows)
    # The self-reported answers, in columns the workbook may or may not define (read by name).
    answers = {3: ("Oui", "Partly", "No"), 6: ("Yes", "Yes", "")}
    for column, index in zip(SELF_REPORTED, range(3), strict=True):
        data[column] = [answers.get(i, ("", "", ""))[index] for i in range(len(rows))]
    return data


def budgets() -> pd.DataFrame:
    return frame("Budgets", [{"office": "Brussels", "year": 2026, "budget": 36_500}])


def impact(offices: tuple[str, ...] | None = None) -> Impact:
    """The report of the tabs above over [START, END], for the offices (None: all)."""
    return impact_report(
        participants=participants(),
        duos=all_duos(),
        evaluations=evaluations(),
        follow_ups=follow_ups(),
        budgets=budgets(),
        start=START,
        end=END,
        today=TODAY,
        offices=offices,
    )


def report(offices: tuple[str, ...] | None = None) -> dict[str, Figure]:
    return impact(offices).figures


def base(figure: Figure) -> tuple[float | None, int, int, int]:
    value = None if figure.value is None else round(figure.value, 4)
    return value, figure.counted, figure.over, figure.unknown


def test_positive_exit_within_12_months_counts_the_window_edges_and_leaves_out_the_unknown() -> (
    None
):
    figure = report()["positive_exit"]
    assert base(figure) == (0.5, 2, 5, 1)
    assert figure.unreachable == 1


def test_a_stable_job_is_a_job_of_3_months_or_more_within_the_12_months() -> None:
    assert base(report()["stable_job"]) == (0.25, 1, 5, 1)


def test_the_self_reported_gains_count_yes_in_any_language_and_unknown_when_unanswered() -> None:
    figures = report()
    assert base(figures["autonomy"]) == (1.0, 2, 3, 1)
    assert base(figures["career_plan"]) == (0.5, 1, 3, 1)
    assert base(figures["network"]) == (0.0, 0, 3, 2)


def test_the_gains_are_unknown_on_a_workbook_without_their_columns() -> None:
    figures = impact_report(
        participants=participants(),
        duos=all_duos(),
        evaluations=evaluations().drop(columns=list(SELF_REPORTED)),
        follow_ups=None,
        budgets=None,
        start=START,
        end=END,
        today=TODAY,
    ).figures
    assert base(figures["autonomy"]) == (None, 0, 3, 3)
    assert base(figures["positive_exit"]) == (0.5, 1, 5, 3)  # D-2 and D-4 by evaluation


def test_six_months_are_reached_by_the_duos_still_running_or_ended_after_the_mark() -> None:
    assert base(report()["six_months"]) == (0.75, 3, 5, 1)


def test_conversion_is_over_every_applicant_of_the_period_with_those_on_their_way_unknown() -> None:
    assert base(report()["conversion"]) == (0.4, 2, 5, 2)


def test_days_from_intake_to_match_is_the_median_of_the_mentees_first_proposed() -> None:
    assert base(report()["days_to_match"]) == (20.0, 2, 3, 1)


def test_satisfaction_is_the_mean_of_the_mentors_and_mentees_latest_scores() -> None:
    assert base(report()["satisfaction"]) == (4.0, 4, 6, 2)


def test_cost_per_duo_shares_the_periods_budget_over_the_active_duos_of_offices_with_one() -> None:
    figure = report()["cost_per_duo"]
    assert base(figure) == (4525.0, 4, 6, 2)
    assert figure.amount == pytest.approx(18_100)


def test_each_office_gets_its_own_figures() -> None:
    brussels, antwerp = report(("Brussels",)), report(("Antwerp",))
    assert base(brussels["positive_exit"]) == (round(1 / 3, 4), 1, 3, 0)
    assert base(antwerp["positive_exit"]) == (1.0, 1, 2, 1)
    assert base(antwerp["cost_per_duo"]) == (None, 0, 2, 2)
    by_office = impact().by_office
    assert set(by_office["office"]) == {"Brussels", "Antwerp"}
    assert list(by_office[by_office["office"] == "Brussels"]["figure"]) == list(FIGURES)
    row = by_office[(by_office["office"] == "Antwerp") & (by_office["figure"] == "autonomy")]
    assert (int(row["over"].iloc[0]), int(row["unknown"].iloc[0])) == (1, 1)


def test_a_period_over_two_years_takes_each_years_share_of_days() -> None:
    budgets = {("Brussels", 2025): 36_500.0, ("Brussels", 2026): 73_000.0}
    assert period_budget(budgets, "Brussels", date(2025, 12, 1), date(2026, 1, 31)) == (
        pytest.approx(31 * 100 + 31 * 200)
    )
    assert period_budget(budgets, "Brussels", date(2026, 12, 1), date(2027, 1, 31)) is None
    assert period_budget(budgets, "Antwerp", date(2026, 1, 1), date(2026, 1, 31)) is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [("Oui", "Yes"), ("ja", "Yes"), ("En partie", "Partly"), ("Deels", "Partly"),
     (" Nee ", "No"), ("Maybe", ""), ("", ""), (None, "")],
)  # fmt: skip
def test_yes_partly_no_reads_the_three_languages(typed: object, read: str) -> None:
    assert yes_partly_no(typed) == read


def test_every_figure_has_a_name_and_a_definition_in_every_language() -> None:
    from i18n import t

    for name in FIGURES:
        for lang in ("fr", "nl", "en"):
            assert t(f"impact.{name}", lang) != f"impact.{name}"
            assert len(t(f"impact.{name}_definition", lang)) > 40
