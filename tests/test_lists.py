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
