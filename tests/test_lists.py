"""The lists of Participants, Duos, Sessions and Data quality: what they show and let one do."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import clock
from services.duos import filter_overview
from sheets import memory
from sheets.values import looks_like_formula
from tests.apptest import ADMIN, BRUSSELS, assert_no_exception, open_page, store_of
from ui.tables import defused
from workflow import cell_text, records

TODAY = clock.today()
FORMULAS = ('=HYPERLINK("http://evil.example","Click")', "+32 1", "-1+2", "@SUM(A1)")
_names = itertools.count(1)

Grids = dict[str, list[list[Any]]]


def poison(grids: Grids, tab: str, headers: tuple[str, ...], every: int = 1) -> None:
    """Formula text in the named columns of every `every`-th row of a tab."""
    rows = grids[tab]
    columns = [i for i, header in enumerate(rows[0]) if header in headers]
    for number, row in enumerate(rows[1:]):
        if number % every == 0:
            for column in columns:
                row[column] = FORMULAS[number % len(FORMULAS)]


@pytest.fixture
def poisoned(demo_grids: Grids, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo workbook where names, coordinators, notes and a birth date hold formula text."""
    grids = copy.deepcopy(demo_grids)
    poison(grids, "Participants", ("Prénom", "First name", "Last name", "Notes"))
    poison(grids, "Participants", ("Date de naissance", "Date of birth"), every=7)
    poison(grids, "Duos", ("Coordinator", "Notes"))
    poison(grids, "Sessions", ("Notes",))
    name = f"lists-{next(_names)}"
    memory.named(name, grids)
    monkeypatch.setenv("DUO_WORKBOOK", memory.PREFIX + name)
    monkeypatch.delenv("DUO_SPREADSHEET", raising=False)
    yield memory.PREFIX + name
    memory.forget(name)


def undefused_cells(app: AppTest) -> list[str]:
    """Cells of the frames given to the page's tables that a spreadsheet would run."""
    return [
        value
        for table in app.dataframe
        for value in table.value.astype(object).to_numpy().ravel().tolist()
        if isinstance(value, str) and looks_like_formula(value)
    ]


def shows_tables(app: AppTest) -> AppTest:
    assert_no_exception(app)
    assert app.dataframe, "the page shows at least one table"
    return app


def first_id(workbook: str, tab: str, **wanted: str) -> str:
    for row in records(store_of(workbook).table(tab).frame):
        if all(cell_text(row, column) == value for column, value in wanted.items()):
            return cell_text(row, "ID")
    raise LookupError(f"no {tab} row with {wanted}")


def future_session_with_people(workbook: str) -> str:
    store = store_of(workbook)
    sessions = store.table("Sessions").frame
    attendance = store.table("Attendance").frame
    ahead = sessions[pd.to_datetime(sessions["Date"]).dt.date > TODAY]
    registered = set(attendance["Session ID"])
    return next(sid for sid in ahead["ID"] if sid in registered)


# -- (1) no table of the app can be downloaded with a formula in it --------------------------


def test_the_shown_frame_defuses_text_cells_lists_included_and_leaves_numbers_alone() -> None:
    frame = pd.DataFrame({"text": ["=1+1", "ok"], "list": [["@a", "b"], []], "n": [-1, 2]})
    out = defused(frame)
    assert out["text"].tolist() == ["'=1+1", "ok"]
    assert out["list"].tolist() == [["'@a", "b"], []]
    assert out["n"].tolist() == [-1, 2]
    assert frame["text"].tolist() == ["=1+1", "ok"], "the frame itself is left as it was"


def test_the_participants_list_and_a_profile_show_no_formula(poisoned: str) -> None:
    app = shows_tables(open_page("participants.py", user=ADMIN))
    assert undefused_cells(app) == []
    person = first_id(poisoned, "Participants", Status="In duo")
    app = shows_tables(open_page("participants.py", user=ADMIN, query={"id": person}))
    assert undefused_cells(app) == []


def test_the_duos_list_shows_no_formula(poisoned: str) -> None:
    app = shows_tables(open_page("duos.py", user=ADMIN))
    assert undefused_cells(app) == []


def test_the_sessions_lists_and_a_registration_list_show_no_formula(poisoned: str) -> None:
    app = shows_tables(open_page("sessions.py", user=ADMIN))
    assert undefused_cells(app) == []
    session = future_session_with_people(poisoned)
    app = shows_tables(open_page("sessions.py", user=ADMIN, query={"id": session}))
    assert undefused_cells(app) == []


def test_the_data_quality_tables_show_no_formula(poisoned: str) -> None:
    app = shows_tables(open_page("data_quality.py", user=ADMIN))
    assert undefused_cells(app) == []


def test_the_messages_staff_follow_ups_and_reports_tables_show_no_formula(poisoned: str) -> None:
    store = store_of(poisoned)
    grids = store.grids  # type: ignore[attr-defined]
    name_column = grids["Staff"][0].index("Name")
    for row in grids["Staff"][1:]:
        row[name_column] = FORMULAS[0]
    store.refresh()
    queued = {"ID": "O-POISON", "Kind": "application_received", "To": "x@example.org"}
    queued |= {"Language": "en", "Subject": FORMULAS[0], "Status": "Queued", "Error": FORMULAS[3]}
    store.append("Outbox", [queued], "tests")
    for page in ("outbox.py", "staff.py", "follow_ups.py", "reports.py"):
        app = open_page(page, user=ADMIN)
        assert_no_exception(app)
        assert app.dataframe, page
        assert undefused_cells(app) == [], page


# -- (2) the Duos search looks through every status -------------------------------------------


def test_the_duos_search_finds_a_duo_whatever_its_status() -> None:
    overview = pd.DataFrame(
        {
            "ID": ["D-1", "D-2"],
            "Mentor": ["Ann", "Bob"],
            "Mentee": ["Cem", "Dia"],
            "Coordinator": ["x", "y"],
            "Status": ["Active", "Completed"],
        }
    )
    assert filter_overview(overview, ["Active"], "")["ID"].tolist() == ["D-1"]
    assert filter_overview(overview, ["Active"], "dia")["ID"].tolist() == ["D-2"]


def test_searching_the_duos_page_for_a_completed_duo_lists_it(workbook: str) -> None:
    duo = first_id(workbook, "Duos", Status="Completed", Office="Brussels")
    app = open_page("duos.py", user=BRUSSELS)
    assert "Completed" not in (app.session_state["duos-statuses"] or [])
    app.text_input(key="duos-search").input(duo).run()
    assert_no_exception(app)
    assert app.dataframe[0].value["ID"].tolist() == [duo]


# -- (3) everyone present in one tick ----------------------------------------------------------


def test_all_present_marks_every_registered_person_attended(workbook: str) -> None:
    store = store_of(workbook)
    [session] = store.append(
        "Sessions",
        [{"Kind": "Info session", "Date": TODAY, "Office": "Brussels", "Language": "French"}],
        "tests",
    )
    people = store.table("Participants").frame
    applied = people[(people["Office"] == "Brussels") & (people["Status"] == "Applied")]
    chosen = list(applied["ID"][:3])
    store.append(
        "Attendance",
        [{"Session ID": session, "Participant ID": p, "Status": "Registered"} for p in chosen],
        "tests",
    )
    app = open_page("sessions.py", user=BRUSSELS, query={"id": session})
    app.checkbox(key=f"all-present-{session}").check()
    [save] = [b for b in app.button if b.label == "Save attendance"]
    save.click().run()
    assert_no_exception(app)
    frame = store_of(workbook).table("Attendance").frame
    marks = frame[frame["Session ID"] == session]
    assert sorted(zip(marks["Participant ID"], marks["Status"], strict=True)) == sorted(
        (p, "Attended") for p in chosen
    )


# -- (4) the filtered lists can be downloaded --------------------------------------------------


@pytest.mark.parametrize(
    ("page", "name"), [("participants.py", "participants"), ("duos.py", "duos")]
)
def test_the_participants_and_duos_lists_offer_csv_and_excel(
    workbook: str, page: str, name: str
) -> None:
    app = open_page(page, user=BRUSSELS)
    assert_no_exception(app)
    keys = {button.proto.id for button in app.get("download_button")}
    assert any(f"csv-{name}" in key for key in keys), keys
    assert any(f"xlsx-{name}" in key for key in keys), keys


# -- (5) a data-quality line opens its record --------------------------------------------------


def test_an_unreadable_birth_date_links_to_the_participant(poisoned: str) -> None:
    app = open_page("data_quality.py", user=ADMIN)
    assert_no_exception(app)
    labels = [link.proto.label for link in app.get("page_link")]
    queries = [link.proto.query_string for link in app.get("page_link")]
    assert any("Birth date" in label for label in labels), labels
    assert all(query.startswith("id=") for query in queries)


# -- (6) the session picker follows ?id= without Streamlit's warning ---------------------------


def test_planning_a_session_opens_it_without_a_widget_state_warning(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    from streamlit.elements.lib import policies

    monkeypatch.setattr(policies._LOGGER, "warning", lambda *a, **k: warned.append(str(a)))
    app = open_page("sessions.py", user=BRUSSELS)
    app.date_input(key="plan-date").set_value(TODAY + dt.timedelta(days=9))
    [plan] = [b for b in app.button if b.label == "Plan the session"]
    plan.click().run()
    assert_no_exception(app)
    app.run()
    assert app.selectbox(key="session-pick").value == app.query_params["id"]
    assert not [w for w in warned if "session-pick" in w], warned


def test_a_download_has_the_headers_the_table_shows() -> None:
    from exports import to_csv
    from ui.tables import titled

    frame = pd.DataFrame({"Status": ["=cmd"], "Unknown column": ["x"]})
    text = to_csv(titled(frame)).decode("utf-8-sig")
    assert text.splitlines() == ["Status,Unknown column", "'=cmd,x"]
