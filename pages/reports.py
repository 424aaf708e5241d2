"""Reports: the programme's figures per office and period, as charts and downloadable tables.

The figures come from `services.reports.report_view`; this page only picks the period (the
named ones are `reports.period_bounds`), formats numbers the Belgian way and draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from impact import FIGURES, Figure, Impact
from reports import (
    COLUMN_LABELS,
    PERIODS,
    RESPONDENTS,
    KeyFigures,
    Report,
    ReportSummary,
    period_bounds,
)
from services.annual_report import annual_report_pdf
from services.budgets import FIRST_YEAR, LAST_YEARS_AHEAD, budgets_table, set_budget
from services.reports import ReportView, period_impact, report_view
from services.snapshot import Snapshot
from ui import context as ui
from ui.feedback import attempt
from ui.once import Once
from ui.shell import require_shell
from ui.tables import downloads, table
from workflow import cell_text, records

require_shell()

CUSTOM = "custom"
CHOICES = (*PERIODS, CUSTOM)
DEFAULT_PERIOD = "this_year"
RATE_COLUMNS = frozenset(
    {"conversion", "early_ending_rate", "positive_exit_rate", "stable_job_rate", "share"}
)
OFFICE_RATES = ("conversion", "early_ending_rate", "positive_exit_rate", "stable_job_rate")
# Columns holding stored values, shown in the user's language.
VALUE_COLUMNS = frozenset({"office", "role", "outcome", "respondent", "end_reason"})
DECIMALS = {"hours_met": 1, "median_days_to_match": 1, "mean_satisfaction": 2}
COMMA_DECIMALS = ("fr", "nl")


# -- the period -----------------------------------------------------------------------------


def period_name(period: str) -> str:
    return ui.tr(f"reports_page.period_{period}")


def chosen_period(today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The period picked by the user; None (with a message) when the custom dates are crossed."""
    choice = st.segmented_control(
        ui.tr("reports_page.period"),
        CHOICES,
        default=DEFAULT_PERIOD,
        required=True,
        format_func=ui.format_choices(CHOICES, period_name),
        key="report-period",
    )
    if choice != CUSTOM:
        return period_bounds(choice or DEFAULT_PERIOD, today)
    default_start, _ = period_bounds(DEFAULT_PERIOD, today)
    left, right = st.columns(2)
    start = left.date_input(
        ui.tr("reports_page.from"),
        value=default_start,
        format="DD/MM/YYYY",
        key="report-from",
    )
    end = right.date_input(
        ui.tr("reports_page.to"), value=today, format="DD/MM/YYYY", key="report-to"
    )
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return None
    if start > end:
        st.error(ui.tr("reports_page.start_after_end"))
        return None
    return start, end


# -- numbers the Belgian way ----------------------------------------------------------------


def number(value: float | None, digits: int = 0) -> str:
    if value is None or value != value:
        return "—"
    shown = f"{value:.{digits}f}"
    return shown.replace(".", ",") if ui.lang() in COMMA_DECIMALS else shown


def percent(rate: float | None) -> str:
    if rate is None:
        return "—"
    space = "\u202f" if ui.lang() == "fr" else ""
    return f"{number(rate * 100)}{space}%"


def header(column: str) -> str:
    title = ui.text(COLUMN_LABELS[column]) if column in COLUMN_LABELS else column
    return f"{title} (%)" if column in RATE_COLUMNS else title


def month_label(month: str) -> str:
    """`2026-03` as `03/2026`."""
    year, _, number_of_month = month.partition("-")
    return f"{number_of_month}/{year}" if number_of_month else month


# -- the summary ----------------------------------------------------------------------------


def show_now(figures: KeyFigures) -> None:
    st.subheader(ui.tr("reports_page.now"))
    columns = st.columns(4)
    columns[0].metric(ui.tr("reports_page.active_duos_now"), figures.active_duos)
    columns[1].metric(ui.tr("reports_page.started_this_month"), figures.duos_started_this_month)
    columns[2].metric(ui.tr("reports_page.mentees_waiting"), figures.mentees_waiting)
    columns[3].metric(ui.tr("reports_page.mentors_ready"), figures.mentors_ready)


def show_summary(summary: ReportSummary) -> None:
    st.subheader(ui.tr("reports_page.in_period"))
    first = st.columns(4)
    first[0].metric(
        header("applicants"),
        summary.applicants,
        help=ui.tr("reports_page.applicants_help", with_duo=summary.applicants_with_duo),
    )
    first[1].metric(
        ui.tr("reports_page.conversion"),
        percent(summary.conversion_rate),
        help=ui.tr("reports_page.conversion_help"),
    )
    first[2].metric(
        ui.tr("reports_page.median_days"),
        number(summary.median_days_intake_to_match),
        help=ui.tr("reports_page.median_days_help"),
    )
    first[3].metric(
        ui.tr("reports_page.active_duos"),
        summary.active_duos,
        help=ui.tr("reports_page.active_duos_help"),
    )
    second = st.columns(4)
    second[0].metric(
        ui.tr("reports_page.hours_met"),
        number(summary.hours_met, 1),
        help=ui.tr("reports_page.hours_help", meetings=summary.meetings),
    )
    second[1].metric(
        ui.tr("reports_page.early_ending"),
        percent(summary.early_ending_rate),
        help=ui.tr(
            "reports_page.early_ending_help",
            early=summary.duos_ended_early,
            ended=summary.duos_ended,
        ),
    )
    second[2].metric(
        ui.tr("reports_page.positive_exits"),
        count_and_rate(summary.positive_exits, summary.positive_exit_rate),
        help=ui.tr("reports_page.positive_exits_help", evaluated=summary.evaluated_duos),
    )
    second[3].metric(
        ui.tr("reports_page.stable_jobs"),
        count_and_rate(summary.stable_jobs, summary.stable_job_rate),
        help=ui.tr("reports_page.stable_jobs_help", evaluated=summary.evaluated_duos),
    )
    show_satisfaction(summary.satisfaction)


def count_and_rate(count: int, rate: float | None) -> str:
    return ui.tr("reports_page.count_and_rate", count=count, rate=percent(rate))


def show_satisfaction(scores: dict[str, float]) -> None:
    if not scores:
        st.caption(ui.tr("reports_page.no_satisfaction"))
        return
    columns = st.columns(4)
    for column, (respondent, mean) in zip(columns, scores.items(), strict=False):
        column.metric(
            ui.tr("reports_page.satisfaction", respondent=ui.label(respondent)),
            ui.tr("reports_page.out_of_five", value=number(mean, 1)),
            help=ui.tr("reports_page.satisfaction_help"),
        )


# -- the figures DUO publishes ------------------------------------------------------------


def figure_value(figure: Figure) -> str:
    if figure.unit == "rate":
        return percent(figure.value)
    if figure.value is None:
        return "—"
    if figure.unit == "days":
        return ui.tr("impact.days", value=number(figure.value))
    if figure.unit == "score":
        return ui.tr("impact.out_of_five", value=number(figure.value, 1))
    return ui.tr("impact.euros", value=float(round(figure.value)))


def figure_base(figure: Figure) -> str:
    """Over how many it is computed and how many are unknown."""
    if figure.unit == "euros":
        amount = "—" if figure.amount is None else float(round(figure.amount))
        return ui.tr(
            "impact.base_cost", amount=amount, counted=figure.counted, unknown=figure.unknown
        )
    if figure.unit == "rate":
        base = ui.tr(
            "impact.base_rate",
            counted=figure.counted,
            known=figure.known,
            over=figure.over,
            unknown=figure.unknown,
        )
    else:
        base = ui.tr("impact.base", over=figure.over, unknown=figure.unknown)
    if figure.unreachable:
        base += " · " + ui.tr("impact.base_unreachable", unreachable=figure.unreachable)
    return base


PER_ROW = 3


def show_impact(impact: Impact) -> None:
    st.subheader(ui.tr("impact.title"))
    st.caption(ui.tr("impact.intro"))
    names = [name for name in FIGURES if name in impact.figures]
    for first in range(0, len(names), PER_ROW):
        columns = st.columns(PER_ROW)
        for column, name in zip(columns, names[first : first + PER_ROW], strict=False):
            figure = impact.figures[name]
            with column.container(border=True, key=f"impact-{name}"):
                st.metric(ui.tr(f"impact.{name}"), figure_value(figure))
                st.caption(figure_base(figure))
                st.caption(ui.tr(f"impact.{name}_definition"))
    if not impact.by_office.empty:
        with st.expander(ui.tr("impact.by_office")):
            readable = impact_table(impact.by_office)
            table(readable, key="impact-by-office")
            downloads(readable, f"figures-{impact.start:%Y%m%d}-{impact.end:%Y%m%d}")


REPORT_YEARS = 3


def show_annual_report(data: Snapshot) -> None:
    """One click: the year's figures beside the year before, as a PDF to print."""
    today = ui.today()
    with st.expander(ui.tr("impact.annual_report")):
        st.caption(ui.tr("impact.annual_report_help"))
        left, right = st.columns(2)
        year = left.selectbox(
            ui.tr("impact.annual_report_year"),
            [today.year - back for back in range(REPORT_YEARS)],
            key="annual-report-year",
        )
        scopes = ["", *data.offices]
        office = right.selectbox(
            ui.tr("impact.annual_report_scope"),
            scopes,
            format_func=ui.format_choices(
                scopes, lambda name: ui.label(name) if name else ui.tr("impact.pdf_all_offices")
            ),
            key="annual-report-office",
        )
        chosen, lang = int(year or today.year), ui.lang()
        st.download_button(
            ui.tr("impact.annual_report_download"),
            lambda: annual_report_pdf(data, chosen, lang, today, office or None),
            file_name=f"duo-annual-report-{chosen}-{office or 'all'}-{lang}.pdf".lower(),
            mime="application/pdf",
            key="annual-report-pdf",
        )


def show_budgets(data: Snapshot) -> None:
    """Admins: the offices' yearly budgets (what the cost per duo divides), and setting one."""
    user = ui.user()
    if user is None or not user.is_admin:
        return
    with st.expander(ui.tr("impact.budgets")):
        st.caption(ui.tr("impact.budgets_help"))
        current = budgets_table(data["Budgets"])
        if current.empty:
            st.caption(ui.tr("impact.no_budgets"))
        else:
            shown_budgets = current.assign(office=current["office"].map(ui.label)).rename(
                columns={
                    "office": ui.tr("impact.budget_office"),
                    "year": ui.tr("impact.budget_year"),
                    "budget": ui.tr("impact.budget_amount"),
                }
            )
            table(shown_budgets, key="budgets")
        budget_form(data, ui.today())


def budget_form(data: Snapshot, today: dt.date) -> None:
    once = Once("budget", defaults={"budget-amount": None})
    with st.form("budget-form", clear_on_submit=False):
        token = once.field()
        left, middle, right = st.columns(3)
        office = left.selectbox(
            ui.tr("impact.budget_office"),
            list(data.offices),
            index=None,
            format_func=ui.label,
            placeholder="—",
            key="budget-office",
        )
        year = middle.number_input(
            ui.tr("impact.budget_year"),
            min_value=FIRST_YEAR,
            max_value=today.year + LAST_YEARS_AHEAD,
            value=today.year,
            step=1,
            key="budget-year",
        )
        amount = right.number_input(
            ui.tr("impact.budget_amount"),
            min_value=0.0,
            step=1000.0,
            value=None,
            key="budget-amount",
        )
        sent = st.form_submit_button(ui.tr("impact.budget_save"), key="budget-save")
    once.show()
    if sent:
        user = ui.signed_in()
        once.submit(
            token,
            lambda: attempt(
                lambda: set_budget(
                    ui.store(), user, str(office or ""), int(year), amount, ui.today()
                )
            ),
        )


def impact_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures per office, values formatted, headers in the user's language."""
    figures = [
        Figure(
            cell_text(row, "figure"),
            row["unit"],
            None if pd.isna(row["value"]) else float(row["value"]),
            int(row["counted"]),
            int(row["over"]),
            int(row["unknown"]),
            int(row["unreachable"]),
        )
        for row in records(frame)
    ]
    return pd.DataFrame(
        {
            header("office"): frame["office"].map(ui.label).to_list(),
            ui.tr("impact.column_figure"): [ui.tr(f"impact.{f.name}") for f in figures],
            ui.tr("impact.column_value"): [figure_value(f) for f in figures],
            ui.tr("impact.column_counted"): [f.counted for f in figures],
            ui.tr("impact.column_over"): [f.over for f in figures],
            ui.tr("impact.column_unknown"): [f.unknown for f in figures],
            ui.tr("impact.column_unreachable"): [f.unreachable for f in figures],
        }
    )


# -- tables and charts ----------------------------------------------------------------------


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A report table for people: values translated, rates in %, headers in their language."""
    out = frame.copy()
    for column in out.columns:
        if column in VALUE_COLUMNS:
            out[column] = out[column].map(ui.label)
        elif column in RATE_COLUMNS:
            out[column] = (pd.to_numeric(out[column], errors="coerce") * 100).round(1)
        elif column in DECIMALS:
            out[column] = pd.to_numeric(out[column], errors="coerce").round(DECIMALS[column])
        elif column == "month":
            out[column] = out[column].map(month_label)
    return out.rename(columns={column: header(column) for column in out.columns})


def for_chart(frame: pd.DataFrame) -> pd.DataFrame:
    """The tidy table with stored values translated (field names stay snake_case)."""
    out = frame.copy()
    for column in VALUE_COLUMNS & set(out.columns):
        out[column] = out[column].map(ui.label)
    if "month" in out.columns:
        out["month"] = out["month"].map(month_label)
    return out


FLAT_LABELS = alt.Axis(labelAngle=0)
LONG_LABELS = alt.Axis(labelLimit=260)
WHOLE_NUMBERS = alt.Axis(format="d", tickMinStep=1)


def office_color() -> alt.Color:
    return alt.Color("office:N", title=header("office"))


def rates_chart(frame: pd.DataFrame) -> alt.Chart:
    long = for_chart(frame).melt(
        id_vars=["office"], value_vars=list(OFFICE_RATES), var_name="figure", value_name="rate"
    )
    long["figure"] = long["figure"].map(lambda column: ui.text(COLUMN_LABELS[column]))
    long["rate"] = pd.to_numeric(long["rate"], errors="coerce") * 100
    order = [ui.text(COLUMN_LABELS[column]) for column in OFFICE_RATES]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("figure:N", title=None, sort=order, axis=LONG_LABELS),
            yOffset=alt.YOffset("office:N"),
            x=alt.X(
                "rate:Q", title=ui.tr("reports_page.percent"), scale=alt.Scale(domain=[0, 100])
            ),
            color=office_color(),
            tooltip=[
                alt.Tooltip("office:N", title=header("office")),
                alt.Tooltip("figure:N", title=ui.tr("reports_page.figure")),
                alt.Tooltip("rate:Q", title=ui.tr("reports_page.percent"), format=".0f"),
            ],
        )
    )


def applicants_chart(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(for_chart(frame))
        .mark_bar()
        .encode(
            x=alt.X("office:N", title=header("office"), axis=FLAT_LABELS),
            xOffset=alt.XOffset("role:N"),
            y=alt.Y("applicants:Q", title=header("applicants"), axis=WHOLE_NUMBERS),
            color=alt.Color("role:N", title=header("role")),
            tooltip=[
                alt.Tooltip("office:N", title=header("office")),
                alt.Tooltip("role:N", title=header("role")),
                alt.Tooltip("applicants:Q", title=header("applicants")),
                alt.Tooltip("with_duo:Q", title=header("with_duo")),
                alt.Tooltip("conversion:Q", title=header("conversion"), format=".0%"),
            ],
        )
    )


def monthly_chart(frame: pd.DataFrame) -> alt.Chart:
    table_ = for_chart(frame)
    months = list(dict.fromkeys(table_["month"]))
    long = table_.melt(
        id_vars=["month", "office"],
        value_vars=["applicants", "duos_started"],
        var_name="figure",
        value_name="count",
    )
    long["figure"] = long["figure"].map(header)
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=header("month"), sort=months),
            y=alt.Y("count:Q", title=header("count"), axis=WHOLE_NUMBERS),
            color=office_color(),
            strokeDash=alt.StrokeDash("figure:N", title=ui.tr("reports_page.figure")),
            tooltip=[
                alt.Tooltip("month:O", title=header("month")),
                alt.Tooltip("office:N", title=header("office")),
                alt.Tooltip("figure:N", title=ui.tr("reports_page.figure")),
                alt.Tooltip("count:Q", title=header("count")),
            ],
        )
    )


def hours_chart(frame: pd.DataFrame) -> alt.Chart:
    table_ = for_chart(frame)
    months = list(dict.fromkeys(table_["month"]))
    return (
        alt.Chart(table_)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=header("month"), sort=months),
            y=alt.Y("sum(hours_met):Q", title=header("hours_met")),
            color=office_color(),
            tooltip=[
                alt.Tooltip("month:O", title=header("month")),
                alt.Tooltip("office:N", title=header("office")),
                alt.Tooltip("hours_met:Q", title=header("hours_met"), format=".1f"),
            ],
        )
    )


def counted_bars(column: str) -> Callable[[pd.DataFrame], alt.Chart]:
    """Horizontal bars: duos per value of `column` (end reason, outcome), stacked by office."""

    def chart(frame: pd.DataFrame) -> alt.Chart:
        return (
            alt.Chart(for_chart(frame))
            .mark_bar()
            .encode(
                y=alt.Y(f"{column}:N", title=header(column), sort="-x", axis=LONG_LABELS),
                x=alt.X("sum(duos):Q", title=header("duos"), axis=WHOLE_NUMBERS),
                color=office_color(),
                tooltip=[
                    alt.Tooltip(f"{column}:N", title=header(column)),
                    alt.Tooltip("office:N", title=header("office")),
                    alt.Tooltip("duos:Q", title=header("duos")),
                ],
            )
        )

    return chart


def satisfaction_chart(frame: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(for_chart(frame))
        .mark_bar()
        .encode(
            x=alt.X(
                "respondent:N",
                title=header("respondent"),
                sort=[ui.label(respondent) for respondent in RESPONDENTS],
                axis=FLAT_LABELS,
            ),
            xOffset=alt.XOffset("office:N"),
            y=alt.Y(
                "mean_satisfaction:Q",
                title=header("mean_satisfaction"),
                scale=alt.Scale(domain=[0, 5]),
            ),
            color=office_color(),
            tooltip=[
                alt.Tooltip("office:N", title=header("office")),
                alt.Tooltip("respondent:N", title=header("respondent")),
                alt.Tooltip("mean_satisfaction:Q", title=header("mean_satisfaction"), format=".2f"),
                alt.Tooltip("responses:Q", title=header("responses")),
            ],
        )
    )


Chart = Callable[[pd.DataFrame], alt.Chart]
# Each table of the report: its tab title and its charts (title key, chart).
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, Chart], ...]], ...] = (
    ("by_office", "tab_by_office", (("rates_chart", rates_chart),)),
    ("applicants", "tab_applicants", (("applicants_chart", applicants_chart),)),
    ("monthly", "tab_monthly", (("monthly_chart", monthly_chart), ("hours_chart", hours_chart))),
    ("end_reasons", "tab_end_reasons", (("end_reasons_chart", counted_bars("end_reason")),)),
    ("outcomes", "tab_outcomes", (("outcomes_chart", counted_bars("outcome")),)),
    ("satisfaction", "tab_satisfaction", (("satisfaction_chart", satisfaction_chart),)),
)


def show_tables(report: Report) -> None:
    stem = f"report-{report.start:%Y%m%d}-{report.end:%Y%m%d}"
    tabs = st.tabs(
        [ui.tr(f"reports_page.{title}") for _, title, _ in SECTIONS],
        key="report-tabs",
        on_change="rerun",
    )
    for tab, (name, _, charts) in zip(tabs, SECTIONS, strict=True):
        frame: pd.DataFrame = getattr(report, name)
        with tab:
            if frame.empty:
                st.info(ui.tr("reports_page.no_data"))
                continue
            for column, (title, draw) in zip(st.columns(len(charts)), charts, strict=True):
                column.caption(ui.tr(f"reports_page.{title}"))
                column.altair_chart(draw(frame), width="stretch")
            readable = shown(frame)
            table(readable, key=f"report-table-{name}")
            downloads(readable, f"{stem}-{name}")


# -- the page -------------------------------------------------------------------------------


def show_scope(view: ReportView) -> None:
    covered = ", ".join(ui.label(office) for office in view.offices or ())
    st.caption(
        ui.md_tr(
            "reports_page.scope",
            start=view.report.start,
            end=view.report.end,
            offices=covered or ui.tr("reports_page.all_offices"),
        )
    )


def main() -> None:
    st.title(ui.tr("reports_page.title"))
    data = ui.snapshot()
    today = ui.today()
    period = chosen_period(today)
    if period is None:
        st.stop()
    view = report_view(data, *period, today)
    show_scope(view)
    show_now(view.now)
    show_summary(view.report.summary)
    show_tables(view.report)
    show_impact(period_impact(data, *period, today))
    show_annual_report(data)
    show_budgets(data)


main()
