"""The Reports page: the figures of `services.reports.report_view`, per period and office, and
safe downloads."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import clock
from access import User
from i18n import LANGUAGES, t
from impact import FIGURES
from reports import Report, period_bounds
from services.reports import period_impact, report_view
from services.snapshot import load
from tests.apptest import ADMIN, BRUSSELS, assert_no_exception, open_page, store_of

FORMULA = '=HYPERLINK("http://attacker.example","Click me")'


def expected_report(
    workbook: Path, start: dt.date, end: dt.date, user: User = ADMIN, chosen: tuple[str, ...] = ()
) -> Report:
    """The service's report of the workbook, as the page should show it."""
    return report_view(load(store_of(workbook), user, chosen), start, end, clock.today()).report


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def this_year() -> tuple[dt.date, dt.date]:
    return period_bounds("this_year", clock.today())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_shows_figures_charts_and_tables_in_each_language(
    workbook: Path, lang: str
) -> None:
    app = open_page("reports.py", lang=lang)
    assert_no_exception(app)
    assert [title.value for title in app.title] == [t("reports_page.title", lang)]
    assert t("reports_page.conversion", lang) in metrics(app)
    assert [tab.label for tab in app.tabs] == [
        t(f"reports_page.tab_{name}", lang)
        for name in (
            "by_office",
            "applicants",
            "monthly",
            "end_reasons",
            "outcomes",
            "satisfaction",
        )
    ]
    # the six report tables, the published figures per office, the budgets (an admin sees them)
    assert len(app.dataframe) == 8
    assert len(app.get("vega_lite_chart")) == 7


def test_the_figures_shown_are_those_of_the_office_report(workbook: Path) -> None:
    app = open_page("reports.py", lang="fr")
    summary = expected_report(workbook, *this_year()).summary
    shown = metrics(app)
    assert shown[t("workflow.column_applicants", "fr")] == str(summary.applicants)
    assert shown[t("reports_page.active_duos", "fr")] == str(summary.active_duos)
    assert shown[t("reports_page.hours_met", "fr")] == f"{summary.hours_met:.1f}".replace(".", ",")
    rate = summary.conversion_rate
    assert rate is not None
    assert shown[t("reports_page.conversion", "fr")] == f"{rate * 100:.0f}\u202f%"


def test_another_period_gives_that_periods_figures(workbook: Path) -> None:
    app = open_page("reports.py")
    app.segmented_control(key="report-period").set_value("last_3_months").run()
    start, today = period_bounds("last_3_months", clock.today())
    summary = expected_report(workbook, start, today).summary
    assert metrics(app)[t("workflow.column_applicants", "en")] == str(summary.applicants)
    assert t(
        "reports_page.scope",
        "en",
        start=f"{start:%d/%m/%Y}",
        end=f"{today:%d/%m/%Y}",
        offices=t("reports_page.all_offices", "en"),
    ) in [caption.value for caption in app.caption]


def test_a_custom_period_with_crossed_dates_is_refused_with_a_message(workbook: Path) -> None:
    app = open_page("reports.py")
    app.segmented_control(key="report-period").set_value("custom").run()
    app.date_input(key="report-from").set_value(dt.date(2025, 6, 1))
    app.date_input(key="report-to").set_value(dt.date(2025, 1, 1)).run()
    assert [error.value for error in app.error] == [t("reports_page.start_after_end", "en")]
    assert not app.metric


def test_a_custom_period_gives_its_figures(workbook: Path) -> None:
    app = open_page("reports.py")
    app.segmented_control(key="report-period").set_value("custom").run()
    app.date_input(key="report-from").set_value(dt.date(2025, 1, 1))
    app.date_input(key="report-to").set_value(dt.date(2025, 12, 31)).run()
    summary = expected_report(workbook, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).summary
    assert metrics(app)[t("workflow.column_applicants", "en")] == str(summary.applicants)


def test_a_coordinator_gets_the_report_of_their_office_only(workbook: Path) -> None:
    app = open_page("reports.py", user=BRUSSELS)
    report = expected_report(workbook, *this_year(), user=BRUSSELS)
    assert report.offices == ("Brussels",)
    assert metrics(app)[t("workflow.column_applicants", "en")] == str(report.summary.applicants)
    by_office = app.dataframe[0].value
    assert list(by_office[t("workflow.column_office", "en")]) == ["Brussels"]


def test_the_office_filter_narrows_an_admins_report(workbook: Path) -> None:
    app = open_page("reports.py", state={"offices": ["Antwerp"]})
    report = expected_report(workbook, *this_year(), chosen=("Antwerp",))
    assert metrics(app)[t("workflow.column_applicants", "en")] == str(report.summary.applicants)
    assert list(app.dataframe[0].value[t("workflow.column_office", "en")]) == ["Antwerp"]


def test_downloads_keep_formula_like_text_from_becoming_a_formula(
    workbook: Path, downloads: dict[str, bytes]
) -> None:
    store = store_of(workbook)
    people = store.table("Participants").frame
    start, _ = this_year()
    applied = people[people["Applied on"] >= str(start)]
    store.update("Participants", applied["ID"].iloc[0], {"Office": FORMULA}, "staff")
    app = open_page("reports.py")
    assert_no_exception(app)
    csv_name = next(name for name in downloads if name.endswith("-by_office.csv"))
    csv = downloads[csv_name].decode("utf-8-sig")
    assert f"'{FORMULA}".replace('"', '""') in csv
    assert not any(line.startswith("=") for line in csv.splitlines())
    book = openpyxl.load_workbook(io.BytesIO(downloads[csv_name.replace(".csv", ".xlsx")]))
    offices = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert f"'{FORMULA}" in offices
    assert all(not str(cell).startswith("=") for cell in offices)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_published_figures_show_their_base_unknown_and_definition_in_each_language(
    workbook: Path, lang: str
) -> None:
    app = open_page("reports.py", lang=lang)
    assert_no_exception(app)
    impact = period_impact(load(store_of(workbook), ADMIN), *this_year(), clock.today())
    shown = metrics(app)
    captions = [caption.value for caption in app.caption]
    for name in FIGURES:
        assert t(f"impact.{name}", lang) in shown, name
        assert t(f"impact.{name}_definition", lang) in captions, name
    exits = impact.figures["positive_exit"]
    assert exits.over > 0 and exits.unknown < exits.over  # the demo has real figures
    base = t(
        "impact.base_rate",
        lang,
        counted=exits.counted,
        known=exits.known,
        over=exits.over,
        unknown=exits.unknown,
    )
    assert any(caption.startswith(base) for caption in captions)
    assert shown[t("impact.positive_exit", lang)] != "—"
    satisfaction = impact.figures["satisfaction"]
    assert t("impact.base", lang, over=satisfaction.over, unknown=satisfaction.unknown) in captions
    assert impact.figures["cost_per_duo"].value is not None
    assert impact.figures["autonomy"].known > 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_click_gives_the_annual_report_pdf_in_the_users_language(
    workbook: Path, downloads: dict[str, bytes], lang: str
) -> None:
    app = open_page("reports.py", user=BRUSSELS, lang=lang)
    assert_no_exception(app)
    year = clock.today().year
    pdf = downloads[f"duo-annual-report-{year}-all-{lang}.pdf"]
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert t("impact.pdf_footer", lang, year=year, scope=t("impact.pdf_all_offices", lang)) in (
        text.replace("  ", " ")
    )
    assert t("impact.satisfaction_definition", lang)[:40] in text
    app.selectbox(key="annual-report-office").set_value("Brussels").run()
    assert f"duo-annual-report-{year}-brussels-{lang}.pdf" in downloads
