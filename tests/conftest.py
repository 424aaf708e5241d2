"""Shared fixtures: the Sheets API emulator and the store backends under contract."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from clock import ENV_TODAY
from sheets.store import Store
from tests.harness import Hands, google_backend, local_backend, memory_backend
from tests.sheets_emulator import SheetsEmulator

pytest_plugins = ["tests.apptest", "tests.browser"]
"""Page-test fixtures (`workbook`, a copy of the demo workbook per test) and the one
Chromium that every browser test shares (Playwright's sync API starts once per process)."""

MakeBackend = Callable[..., tuple[Store, Hands]]

TEST_DAY = dt.date(2026, 11, 26)
"""The day every test lives on, whatever the machine's clock says (see `clock.py`): the demo
workbook, "today" in the pages and the stamps all follow it, in this process and in the
`streamlit run` processes the browser tests start (they inherit the environment)."""
os.environ[ENV_TODAY] = TEST_DAY.isoformat()


@pytest.fixture(scope="session")
def emulator() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as server:
        yield server


@pytest.fixture(params=["local", "google", "memory"])
def make_backend(
    request: pytest.FixtureRequest, tmp_path: Path, emulator: SheetsEmulator
) -> MakeBackend:
    """Builds a workbook (all tabs with canonical headers, or the grids given) on each backend."""

    def make(grids: dict[str, list[list[Any]]] | None = None) -> tuple[Store, Hands]:
        if request.param == "local":
            return local_backend(tmp_path, grids)
        if request.param == "memory":
            return memory_backend(grids)
        emulator.clear_faults()
        return google_backend(emulator, grids)

    return make


@pytest.fixture
def backend(make_backend: MakeBackend) -> tuple[Store, Hands]:
    """A fresh workbook on each backend, with staff's hands on it."""
    return make_backend()
