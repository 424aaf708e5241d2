"""The Today page: key figures, the to-do list, the pipeline, per office."""

from __future__ import annotations

from pathlib import Path

import clock
from attention import attention_items
from reports import key_figures
from services import load
from tests.apptest import ADMIN, ANTWERP, assert_no_exception, open_page, store_of


def test_key_figures_are_those_of_the_reports_module(workbook: Path) -> None:
    app = open_page("today.py", user=ADMIN)
    assert_no_exception(app)
    data = load(store_of(workbook), ADMIN)
    figures = key_figures(data.participants, data.duos, today=clock.today())
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Active duos"] == str(figures.active_duos)
    assert shown["Mentees waiting for a match"] == str(figures.mentees_waiting)


def test_the_to_do_list_counts_every_item_in_view(workbook: Path) -> None:
    app = open_page("today.py", user=ADMIN)
    data = load(store_of(workbook), ADMIN)
    items = attention_items(
        participants=data.participants,
        duos=data.duos,
        meetings=data["Meetings"],
        check_ins=data["Check-ins"],
        evaluations=data["Evaluations"],
        sessions=data["Sessions"],
        attendance=data["Attendance"],
        today=clock.today(),
    )
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
