"""The duo page: the intro meeting's time and place, and the mentoring agreement to print."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

import clock
from services.duos import change_duo
from tests.apptest import BRUSSELS, store_of
from tests.test_page_duos import a_duo, duo_page, errors, key, saved, send
from workflow import PlanIntro, apply_duo_action, cell_date, person_name

TODAY = clock.today()


def test_the_intro_is_planned_with_its_time_and_place(workbook: Path) -> None:
    duo = a_duo(workbook, "Proposed")
    app = duo_page(duo["ID"], lang="fr")
    on = TODAY + timedelta(days=4)
    app.date_input(key=key(duo["ID"], "plan-intro", "date")).set_value(on)
    app.text_input(key=key(duo["ID"], "plan-intro", "time")).set_value("18u30")
    app.text_input(key=key(duo["ID"], "plan-intro", "place")).set_value("Café Central, Bruxelles")
    send(app, duo["ID"], "plan-intro")
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], cell_date(row, "Intro on")) == ("Intro planned", on)
    assert (row["Intro time"], row["Intro place"]) == ("18:30", "Café Central, Bruxelles")
    shown = "\n".join(str(m.value).replace("\\", "") for m in app.markdown)
    assert "18:30" in shown and "Café Central, Bruxelles" in shown


def test_an_intro_time_that_is_no_time_is_refused(workbook: Path) -> None:
    duo = a_duo(workbook, "Proposed")
    app = duo_page(duo["ID"])
    app.text_input(key=key(duo["ID"], "plan-intro", "time")).set_value("after work")
    send(app, duo["ID"], "plan-intro")
    assert any("after work" in error for error in errors(app))
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Proposed"


def test_rescheduling_the_day_only_keeps_the_time_and_place() -> None:
    duo = {
        "ID": "D-1",
        "Status": "Intro planned",
        "Proposed on": date(2026, 1, 2),
        "Intro on": date(2026, 1, 9),
        "Intro time": "18:00",
        "Intro place": "Office",
    }
    changes = apply_duo_action(duo, PlanIntro(date(2026, 1, 16)), None, None).changes
    assert [change.cells for change in changes] == [{"Intro on": date(2026, 1, 16)}]
    moved = apply_duo_action(duo, PlanIntro(date(2026, 1, 16), "19:00", "Café"), None, None)
    assert moved.changes[0].cells == {
        "Intro on": date(2026, 1, 16),
        "Intro time": "19:00",
        "Intro place": "Café",
    }


def test_the_service_writes_the_intro_time_as_hh_mm(workbook: Path) -> None:
    store = store_of(workbook)
    duo = a_duo(workbook, "Proposed")
    step = PlanIntro(TODAY + timedelta(days=2), "9h", "Online (video)")
    assert change_duo(store, BRUSSELS, duo["ID"], step, TODAY, seen=duo).ok
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Intro time"], row["Intro place"]) == ("09:00", "Online (video)")


def test_the_agreement_prints_in_the_mentee_s_language_with_both_names(
    workbook: Path, downloads: dict[str, bytes]
) -> None:
    store = store_of(workbook)
    duo = a_duo(workbook, "Active")
    store.update("Participants", duo["Mentee ID"], {"Languages": ["Arabic", "Dutch"]}, "tests")
    store.update("Duos", duo["ID"], {"Objectives": "Een job in de logistiek vinden"}, "tests")
    duo_page(duo["ID"], lang="fr")
    pdf = downloads[f"agreement-{duo['ID']}.pdf"]
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    people = store.table("Participants")
    mentor, mentee = people.record(duo["Mentor ID"]), people.record(duo["Mentee ID"])
    assert mentor is not None and mentee is not None
    assert "Mentoringovereenkomst" in text and "Convention de mentorat" not in text
    assert person_name(mentor) in text and person_name(mentee) in text
    assert "Een job in de logistiek vinden" in text
    start, end = cell_date(duo, "Agreement on"), cell_date(duo, "Planned end")
    assert start is not None and end is not None
    assert f"{start:%d/%m/%Y}" in text and f"{end:%d/%m/%Y}" in text


def test_a_proposed_duo_has_no_agreement_to_print(
    workbook: Path, downloads: dict[str, bytes]
) -> None:
    duo = a_duo(workbook, "Proposed")
    duo_page(duo["ID"])
    assert f"agreement-{duo['ID']}.pdf" not in downloads
