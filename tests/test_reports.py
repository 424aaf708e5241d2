"""Key figures, the pipeline and the reports, on a small hand-computed example.

Two offices, the first quarter of 2026, today 16 March 2026:

Brussels: mentors M1 (in duo D-1), M2 (applied in January; declined D-3), M3 (alumnus of
D-2); mentees E1 (applied 5 Jan, intake 15 Jan, D-1 proposed 25 Jan, signed 2 Mar),
E2 (applied 1 Feb, intake 10 Feb, D-3 proposed 20 Feb, declined 27 Feb), E3 (D-2, from
2025, completed 15 Jan 2026), E4 (applied 10 Mar, nothing else).
Antwerp: mentor M4; mentees E5 (applied 20 Jan, intake 30 Jan, D-4 proposed 19 Feb,
signed 25 Feb, ended early 10 Mar) and E6 (intake 15 Dec 2025, still waiting).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import pytest

from reports import (
    COLUMN_LABELS,
    PERIODS,
    Report,
    duo_outcomes,
    is_stable_job,
    key_figures,
    office_report,
    period_bounds,
    status_counts,
)
from tests.test_workflow import assert_renders, duo, duos, frame, people, person

TODAY = date(2026, 3, 16)
START, END = date(2026, 1, 1), date(2026, 3, 31)


def participants() -> pd.DataFrame:
    def mentor(pid: str, status: str, applied: str, office: str = "Brussels") -> dict[str, Any]:
        return person(pid, "Mentor", status, applied_on=applied, office=office)

    def mentee(
        pid: str, status: str, applied: str, intake: str | None, office: str = "Brussels"
    ) -> dict[str, Any]:
        return person(pid, "Mentee", status, applied_on=applied, intake_on=intake, office=office)

    return people(
        mentor("P-M1", "In duo", "2025-11-10"),
        mentor("P-M2", "Ready", "2026-01-10"),
        mentor("P-M3", "Alumni", "2025-03-01"),
        mentee("P-E1", "In duo", "2026-01-05", "2026-01-15"),
        mentee("P-E2", "Ready", "2026-02-01", "2026-02-10"),
        mentee("P-E3", "Alumni", "2025-06-01", "2025-06-10"),
        mentee("P-E4", "Applied", "2026-03-10", None),
        mentor("P-M4", "Ready", "2025-05-01", "Antwerp"),
        mentee("P-E5", "Ready", "2026-01-20", "2026-01-30", "Antwerp"),
        mentee("P-E6", "Ready", "2025-12-01", "2025-12-15", "Antwerp"),
    )


def all_duos() -> pd.DataFrame:
    in_brussels = {"office": "Brussels"}
    return duos(
        duo("D-1", "P-M1", "P-E1", "Active", **in_brussels,
            proposed_on="2026-01-25", agreement_on="2026-03-02"),
        duo("D-2", "P-M3", "P-E3", "Completed", **in_brussels,
            proposed_on="2025-07-01", agreement_on="2025-07-15", ended_on="2026-01-15"),
        duo("D-3", "P-M2", "P-E2", "Declined", **in_brussels,
            proposed_on="2026-02-20", ended_on="2026-02-27"),
        duo("D-4", "P-M4", "P-E5", "Ended early", end_reason="Mentee moved",
            proposed_on="2026-02-19", agreement_on="2026-02-25", ended_on="2026-03-10"),
    )  # fmt: skip


def meetings() -> pd.DataFrame:
    return frame(
        "Meetings",
        [
            {"duo_id": duo_id, "date": day, "hours": hours}
            for duo_id, day, hours in [
                ("D-1", "2026-03-05", 2.0),
                ("D-1", "2026-03-12", 1.5),
                ("D-1", "2026-04-02", 2.0),
                ("D-2", "2025-12-20", 2.0),
                ("D-2", "2026-01-08", 2.5),
                ("D-4", "2026-03-01", None),
                ("D-4", "2026-03-05", 1.0),
            ]
        ],
    )


def evaluations() -> pd.DataFrame:
    def evaluation(
        duo_id: str, respondent: str, when: str, outcome: str, contract: str, score: float
    ) -> dict[str, Any]:
        return {
            "duo_id": duo_id,
            "respondent": respondent,
            "date": when,
            "outcome": outcome,
            "contract": contract,
            "satisfaction": score,
        }

    return frame(
        "Evaluations",
        [
            evaluation("D-2", "Mentor", "2026-01-15", "Job", "Permanent", 5),
            evaluation("D-2", "Mentee", "2026-01-16", "Training", "", 4),
            evaluation("D-2", "Coordinator", "2026-01-20", "Job", "3 months or more", 4),
            evaluation("D-4", "Mentee", "2026-03-11", "Still searching", "", 2),
            evaluation("D-4", "Coordinator", "2026-03-12", "", "", 3),
            evaluation("D-1", "Mentee", "2026-03-13", "Job", "Permanent", 1),
        ],
    )


def report(**options: Any) -> Report:
    return office_report(
        participants=participants(),
        duos=all_duos(),
        meetings=meetings(),
        evaluations=evaluations(),
        start=START,
        end=END,
        **options,
    )


def records(data: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a table, a missing rate (NaN in a float column) shown as None."""
    return [
        {
            str(key): None if isinstance(value, float) and math.isnan(value) else value
            for key, value in row.items()
        }
        for row in data.to_dict("records")
    ]


# -- key figures --------------------------------------------------------------------------


def test_key_figures_count_active_duos_new_agreements_and_waiting_mentees() -> None:
    figures = key_figures(participants(), all_duos(), today=TODAY)
    assert figures.active_duos == 1
    assert figures.duos_started_this_month == 1
    assert figures.median_days_intake_to_match == 15.0
    assert (figures.mentees_waiting, figures.mentors_ready) == (3, 2)
    assert records(figures.waiting) == [
        {"id": "P-E6", "name": "P-E6", "office": "Antwerp", "waiting_days": 91},
        {"id": "P-E2", "name": "P-E2", "office": "Brussels", "waiting_days": 17},
        {"id": "P-E5", "name": "P-E5", "office": "Antwerp", "waiting_days": 6},
    ]


def test_key_figures_can_be_kept_to_one_office() -> None:
    figures = key_figures(participants(), all_duos(), today=TODAY, offices={"Antwerp"})
    assert (figures.active_duos, figures.duos_started_this_month) == (0, 0)
    assert figures.median_days_intake_to_match == 20.0
    assert list(figures.waiting["id"]) == ["P-E6", "P-E5"]
    assert set(figures.status_counts["office"]) == {"Antwerp"}


def test_the_pipeline_counts_every_status_per_office_in_workflow_order() -> None:
    counts = status_counts(participants(), all_duos())
    assert len(counts) == 2 * (9 + 8 + 6)
    brussels = counts[(counts["office"] == "Brussels") & (counts["count"] > 0)]
    assert [
        tuple(row) for row in brussels[["group", "status", "count"]].itertuples(index=False)
    ] == [
        ("Mentor", "Ready", 1),
        ("Mentor", "In duo", 1),
        ("Mentor", "Alumni", 1),
        ("Mentee", "Applied", 1),
        ("Mentee", "Ready", 1),
        ("Mentee", "In duo", 1),
        ("Mentee", "Alumni", 1),
        ("Duo", "Active", 1),
        ("Duo", "Completed", 1),
        ("Duo", "Declined", 1),
    ]
    antwerp_duos = counts[(counts["office"] == "Antwerp") & (counts["group"] == "Duo")]
    assert dict(zip(antwerp_duos["status"], antwerp_duos["count"], strict=True))["Ended early"] == 1


def test_a_status_the_app_could_not_read_is_counted_as_typed_after_the_known_ones() -> None:
    counts = status_counts(people(person("P-1", status="Stand-by")), duos())
    mentees = counts[counts["group"] == "Mentee"]
    assert list(mentees["status"])[-1] == "Stand-by"
    assert list(mentees["count"])[-1] == 1


# -- the quarterly report -----------------------------------------------------------------


def test_the_report_summary_matches_the_hand_computed_figures() -> None:
    summary = report().summary
    assert (summary.applicants, summary.applicants_with_duo, summary.conversion_rate) == (5, 2, 0.4)
    assert summary.median_days_intake_to_match == 10.0
    assert summary.active_duos == 3
    assert (summary.meetings, summary.hours_met) == (5, 7.0)
    assert (summary.duos_ended, summary.duos_ended_early, summary.early_ending_rate) == (2, 1, 0.5)
    assert (summary.evaluated_duos, summary.positive_exits, summary.positive_exit_rate) == (
        2,
        1,
        0.5,
    )
    assert (summary.stable_jobs, summary.stable_job_rate) == (1, 0.5)
    assert summary.satisfaction == {"Mentor": 5.0, "Mentee": 3.0, "Coordinator": 3.5}


def test_the_report_gives_the_same_figures_per_office() -> None:
    by_office = report().by_office.set_index("office")
    assert by_office.loc["Brussels", "applicants"] == 4
    assert by_office.loc["Brussels", "conversion"] == 0.25
    assert by_office.loc["Antwerp", "conversion"] == 1.0
    assert by_office.loc["Brussels", "median_days_to_match"] == 10.0
    assert by_office.loc["Antwerp", "median_days_to_match"] == 20.0
    assert list(by_office["active_duos"]) == [1, 2]
    assert list(by_office["hours_met"]) == [1.0, 6.0]
    assert list(by_office["early_ending_rate"]) == [1.0, 0.0]
    assert list(by_office["stable_jobs"]) == [0, 1]


def test_applicants_and_conversion_are_split_by_role() -> None:
    assert records(report().applicants) == [
        {"office": "Antwerp", "role": "Mentor", "applicants": 0, "with_duo": 0, "conversion": None},
        {"office": "Antwerp", "role": "Mentee", "applicants": 1, "with_duo": 1, "conversion": 1.0},
        {"office": "Brussels", "role": "Mentor", "applicants": 1, "with_duo": 0, "conversion": 0.0},
        {
            "office": "Brussels",
            "role": "Mentee",
            "applicants": 3,
            "with_duo": 1,
            "conversion": 1 / 3,
        },
    ]


def test_the_monthly_table_spreads_applicants_new_duos_and_hours() -> None:
    monthly = report(offices={"Brussels"}).monthly
    assert records(monthly) == [
        {
            "month": "2026-01",
            "office": "Brussels",
            "applicants": 2,
            "duos_started": 0,
            "hours_met": 2.5,
        },
        {
            "month": "2026-02",
            "office": "Brussels",
            "applicants": 1,
            "duos_started": 0,
            "hours_met": 0.0,
        },
        {
            "month": "2026-03",
            "office": "Brussels",
            "applicants": 1,
            "duos_started": 1,
            "hours_met": 3.5,
        },
    ]


def test_early_endings_are_counted_by_reason() -> None:
    assert records(report().end_reasons) == [
        {"office": "Antwerp", "end_reason": "Mentee moved", "duos": 1}
    ]


def test_outcomes_come_from_the_coordinator_else_the_mentee() -> None:
    assert records(report().outcomes) == [
        {"office": "Antwerp", "outcome": "Still searching", "duos": 1, "share": 1.0},
        {"office": "Brussels", "outcome": "Job", "duos": 1, "share": 1.0},
    ]
    chosen = duo_outcomes(evaluations().to_dict("records"))  # type: ignore[arg-type]
    assert {duo_id: row["Respondent"] for duo_id, row in chosen.items()} == {
        "D-2": "Coordinator",
        "D-4": "Mentee",
        "D-1": "Mentee",
    }


@pytest.mark.parametrize(
    ("outcome", "contract", "stable"),
    [
        ("Job", "Permanent", True),
        ("Job", "3 months or more", True),
        ("Job", "Under 3 months", False),
        ("Job", "", False),
        ("Internship", "Permanent", False),
    ],
)
def test_a_stable_job_is_a_job_of_three_months_or_more(
    outcome: str, contract: str, stable: bool
) -> None:
    assert is_stable_job({"Outcome": outcome, "Contract": contract}) is stable


def test_satisfaction_is_averaged_per_office_and_respondent() -> None:
    assert records(report().satisfaction) == [
        {"office": "Antwerp", "respondent": "Mentee", "mean_satisfaction": 2.0, "responses": 1},
        {
            "office": "Antwerp",
            "respondent": "Coordinator",
            "mean_satisfaction": 3.0,
            "responses": 1,
        },
        {"office": "Brussels", "respondent": "Mentor", "mean_satisfaction": 5.0, "responses": 1},
        {"office": "Brussels", "respondent": "Mentee", "mean_satisfaction": 4.0, "responses": 1},
        {
            "office": "Brussels",
            "respondent": "Coordinator",
            "mean_satisfaction": 4.0,
            "responses": 1,
        },
    ]


def test_a_period_without_data_gives_no_rates_and_empty_tables() -> None:
    empty = office_report(
        participants=people(), duos=duos(), meetings=None, evaluations=None, start=START, end=END
    )
    summary = empty.summary
    assert (summary.applicants, summary.conversion_rate, summary.median_days_intake_to_match) == (
        0,
        None,
        None,
    )
    assert (summary.early_ending_rate, summary.positive_exit_rate, summary.satisfaction) == (
        None,
        None,
        {},
    )
    assert empty.by_office.empty and empty.outcomes.empty
    assert list(empty.outcomes.columns) == ["office", "outcome", "duos", "share"]


def test_an_office_asked_for_appears_even_without_records() -> None:
    asked = report(offices={"Liège"})
    assert asked.offices == ("Liège",)
    assert records(asked.by_office)[0]["applicants"] == 0


def test_every_column_of_every_table_has_a_translated_header() -> None:
    result = report()
    figures = key_figures(participants(), all_duos(), today=TODAY)
    tables = [
        result.by_office,
        result.applicants,
        result.monthly,
        result.end_reasons,
        result.outcomes,
        result.satisfaction,
        figures.status_counts,
        figures.waiting,
    ]
    columns = {str(column) for table in tables for column in table.columns}
    assert columns <= set(COLUMN_LABELS)
    for label in COLUMN_LABELS.values():
        assert_renders(label)


@pytest.mark.parametrize(
    ("period", "today", "start"),
    [
        ("this_month", date(2028, 2, 29), date(2028, 2, 1)),
        ("last_3_months", date(2026, 3, 16), date(2026, 1, 1)),
        ("last_3_months", date(2027, 1, 31), date(2026, 11, 1)),
        ("this_year", date(2026, 12, 31), date(2026, 1, 1)),
        ("last_12_months", date(2026, 3, 16), date(2025, 4, 1)),
        ("last_12_months", date(2026, 12, 31), date(2026, 1, 1)),
    ],
)
def test_a_named_period_runs_from_the_first_of_a_month_to_today(
    period: str, today: date, start: date
) -> None:
    assert period_bounds(period, today) == (start, today)


def test_every_named_period_has_bounds_and_an_unknown_one_has_none() -> None:
    assert all(period_bounds(period, TODAY)[1] == TODAY for period in PERIODS)
    with pytest.raises(KeyError):
        period_bounds("custom", TODAY)


def test_duos_started_this_month_are_those_of_the_this_month_period() -> None:
    start, _ = period_bounds("this_month", TODAY)
    report = office_report(
        participants=participants(),
        duos=all_duos(),
        meetings=None,
        evaluations=None,
        start=start,
        end=TODAY,
    )
    started = int(report.monthly["duos_started"].sum())
    assert key_figures(participants(), all_duos(), today=TODAY).duos_started_this_month == started
