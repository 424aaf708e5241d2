"""The app on the Google backend (the emulator): a page load costs one read call."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import demo
from demo.workbook import grids_from_records
from tests.apptest import ADMIN, ROOT, assert_no_exception, staff_row
from tests.sheets_emulator import SheetsEmulator


@pytest.fixture
def google_sheet(emulator: SheetsEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    records = demo.generate(scale=0.3)
    records["Staff"] = [*records["Staff"], staff_row(ADMIN)]
    key = f"app-{id(records)}"
    emulator.create_spreadsheet(key, tabs=grids_from_records(records), raw=True, locale="fr_BE")
    monkeypatch.delenv("DUO_WORKBOOK", raising=False)
    monkeypatch.setenv("DUO_SPREADSHEET", key)
    monkeypatch.setenv("DUO_SHEETS_API", emulator.url)
    monkeypatch.setenv("DUO_CACHE_SECONDS", "300")
    return key


def run_page(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state["user"] = ADMIN
    app.run()
    app.switch_page(str(ROOT / "pages" / page))
    return app.run()


@pytest.mark.parametrize("page", ["today.py", "duos.py", "matching_session.py", "reports.py"])
def test_a_cold_page_load_reads_the_sheet_in_one_call(
    emulator: SheetsEmulator, google_sheet: str, page: str, tmp_path: Path
) -> None:
    from ui.context import _open

    _open.clear()
    emulator.reset_log()
    app = run_page(page)
    assert_no_exception(app)
    assert emulator.count("values.batchGet") == 1
    emulator.reset_log()
    app.run()
    assert emulator.count() == 0, "a warm page load is served from the cache"


def test_the_configured_google_store_writes_into_the_sheet(
    emulator: SheetsEmulator, google_sheet: str
) -> None:
    from services.privacy import erase_person
    from sheets.config import current_config, open_store

    store = open_store(current_config())
    person = emulator.rows(google_sheet, "Participants")[1][0]
    erase_person(store, ADMIN, person)
    header = emulator.rows(google_sheet, "Participants")[0]
    erased = next(r for r in emulator.rows(google_sheet, "Participants") if r[0] == person)
    assert erased[header.index("First name")] == ""
    assert emulator.rows(google_sheet, "Audit")[-1][2] == "erase"
