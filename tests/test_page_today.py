"""The Today page: key figures, the to-do list, the pipeline, per office."""

from __future__ import annotations

from pathlib import Path

import clock
from access import User
from services.reports import TodayView, today_view
from services.snapshot import load
from tests.apptest import ADMIN, ANTWERP, assert_no_exception, open_page, store_of


def expected_view(workbook: Path, user: User = ADMIN) -> TodayView:
    """What the page should show: the service's view of the workbook."""
    return today_view(load(store_of(workbook), user), clock.today())


def test_key_figures_are_those_of_the_today_view(workbook: Path) -> None:
    app = open_page("today.py", user=ADMIN)
    assert_no_exception(app)
    figures = expected_view(workbook).figures
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Active duos"] == str(figures.active_duos)
    assert shown["Mentees waiting for a match"] == str(figures.mentees_waiting)


def test_the_to_do_list_counts_every_item_in_view(workbook: Path) -> None:
    app = open_page("today.py", user=ADMIN)
    items = expected_view(workbook).items
    assert items, "the demo workbook always has something to do"
    assert any(f"({len(items)})" in header.value for header in app.subheader)


def test_a_coordinator_sees_only_their_offices_items(workbook: Path) -> None:
    app = open_page("today.py", user=ANTWERP, lang="nl")
    assert_no_exception(app)
    links = [link.proto.label for link in app.get("page_link")]
    brussels_ids = set(load(store_of(workbook), ADMIN, ["Brussels"]).participants["ID"])
    assert links
    assert not any(person in label for label in links for person in brussels_ids)
    pipeline = app.dataframe[0].value
    assert "Brussels" not in pipeline.columns and "Antwerp" in pipeline.columns


def test_the_page_speaks_french_and_dutch(workbook: Path) -> None:
    assert open_page("today.py", lang="fr").title[0].value == "Aujourd'hui"
    assert open_page("today.py", lang="nl").title[0].value == "Vandaag"
