"""Today and Reports: the snapshot unpacked into the to-do list, key figures and reports.

The one place that knows which tabs of a `Snapshot` each rule of `attention` and `reports`
needs, which settings and offices go with them, and how long a result may be reused: each
figure is computed once per data version, office view and day (`Snapshot.memo`) and shared
by every session, so a page that asks again costs nothing. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from attention import AttentionItem, AttentionKind, AttentionSettings, attention_items
from impact import Impact, impact_report
from reports import KeyFigures, Report, key_figures, office_report
from services.snapshot import Snapshot
from settings import attention_settings, current_values, follow_up_settings

PIPELINE_INDEX = ["group", "status"]
"""The rows of the pipeline table; one column per office holds the counts."""


@dataclass(frozen=True)
class TodayView:
    """What the Today page shows: the to-do list, the key figures and the pipeline."""

    items: list[AttentionItem]
    """Most urgent first."""
    figures: KeyFigures
    pipeline: pd.DataFrame = field(repr=False)
    """group, status, then one column of counts per office (empty when nothing to count)."""

    @property
    def by_kind(self) -> dict[AttentionKind, list[AttentionItem]]:
        """The to-do list per kind, kinds in the order of their most urgent item."""
        groups: dict[AttentionKind, list[AttentionItem]] = {}
        for item in self.items:
            groups.setdefault(item.kind, []).append(item)
        return groups


@dataclass(frozen=True)
class ReportView:
    """What the Reports page shows: the report of a period and the figures of today."""

    report: Report
    now: KeyFigures
    offices: tuple[str, ...] | None
    """The offices asked for; None for every office (an admin's unfiltered view)."""


def today_view(data: Snapshot, today: dt.date) -> TodayView:
    """The Today page's figures for the offices in view, with the thresholds of the
    Settings tab."""
    figures = current_figures(data, today)
    return TodayView(
        items=to_do_list(data, today, thresholds(data)),
        figures=figures,
        pipeline=pipeline_table(figures.status_counts),
    )


def report_view(data: Snapshot, start: dt.date, end: dt.date, today: dt.date) -> ReportView:
    """The report of [start, end] (both included) and today's figures, for the offices in view."""
    return ReportView(
        report=period_report(data, start, end),
        now=current_figures(data, today),
        offices=offices_asked(data),
    )


# -- the parts, each computed once per data version -------------------------------------------


def to_do_list(data: Snapshot, today: dt.date, settings: AttentionSettings) -> list[AttentionItem]:
    """`attention.attention_items` over every tab it reads, with the unreadable cells counted."""
    unreadable = unreadable_cells(data)
    return data.memo(
        "attention",
        lambda: attention_items(
            participants=data.participants,
            duos=data.duos,
            meetings=data["Meetings"],
            check_ins=data["Check-ins"],
            evaluations=data["Evaluations"],
            sessions=data["Sessions"],
            attendance=data["Attendance"],
            today=today,
            unreadable_findings=unreadable,
            settings=settings,
            follow_ups=data["Follow-ups"],
            follow_up_settings=follow_up_settings(current_values(data["Settings"])[0]),
        ),
        today,
        unreadable,
        settings,
    )


def current_figures(data: Snapshot, today: dt.date) -> KeyFigures:
    """`reports.key_figures` for the offices in view: the same figures on Today and Reports."""
    offices = offices_asked(data)
    return data.memo(
        "key_figures",
        lambda: key_figures(data.participants, data.duos, today=today, offices=offices),
        today,
    )


def period_report(data: Snapshot, start: dt.date, end: dt.date) -> Report:
    """`reports.office_report` of [start, end] for the offices in view."""
    offices = offices_asked(data)
    return data.memo(
        "office_report",
        lambda: office_report(
            participants=data.participants,
            duos=data.duos,
            meetings=data["Meetings"],
            evaluations=data["Evaluations"],
            start=start,
            end=end,
            offices=offices,
        ),
        start,
        end,
    )


def period_impact(data: Snapshot, start: dt.date, end: dt.date, today: dt.date) -> Impact:
    """`impact_of` [start, end] for the offices in view, computed once per data version."""
    offices = offices_asked(data)
    return data.memo(
        "impact_report", lambda: impact_of(data, start, end, today, offices), start, end, today
    )


def impact_of(
    data: Snapshot, start: dt.date, end: dt.date, today: dt.date, offices: Sequence[str] | None
) -> Impact:
    """`impact.impact_report` of [start, end] (the figures DUO publishes) for `offices` (None:
    all), with the Follow-ups and Budgets tabs: the Reports page's and the annual report's."""
    return impact_report(
        participants=data.participants,
        duos=data.duos,
        evaluations=data["Evaluations"],
        follow_ups=data["Follow-ups"],
        budgets=data["Budgets"],
        start=start,
        end=end,
        today=today,
        offices=offices,
    )


# -- helpers ----------------------------------------------------------------------------------


def offices_asked(data: Snapshot) -> tuple[str, ...] | None:
    """The offices a report covers: None (all, records without an office included) for an
    admin's unfiltered view, else the offices in view."""
    return data.offices if data.limited else None


def thresholds(data: Snapshot) -> AttentionSettings:
    """The to-do list's thresholds: the Settings tab's values, else the defaults."""
    values, _ = current_values(data["Settings"])
    return attention_settings(values)


def unreadable_cells(data: Snapshot) -> int:
    """The store's findings about values it could not read (a missing tab is not one)."""
    return sum(1 for finding in data.findings if finding.problem != "missing_tab")


def pipeline_table(counts: pd.DataFrame) -> pd.DataFrame:
    """`KeyFigures.status_counts` as group, status and one column of counts per office."""
    if counts.empty:
        return pd.DataFrame(columns=PIPELINE_INDEX)
    return counts.pivot_table(
        index=PIPELINE_INDEX, columns="office", values="count", aggfunc="sum", fill_value=0
    ).reset_index()
