"""Running pages in Streamlit's AppTest on a private copy of the demo workbook."""

from __future__ import annotations

import copy
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit import config
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import clock
import demo as demo_data
from access import User
from demo.workbook import grids_from_records, write_demo_workbook
from sheets import memory
from sheets.local import LocalStore
from sheets.memory import MemoryStore
from sheets.store import Store

ROOT = Path(__file__).resolve().parent.parent
config.set_option("client.showErrorDetails", "full")
"""Tests see the errors that the app's config hides from visitors."""
ADMIN = User("admin@example.org", "Test Admin", "Admin")
BRUSSELS = User("brussels@example.org", "Test Coordinator", "Coordinator", ("Brussels",))
ANTWERP = User("antwerp@example.org", "Antwerp Coordinator", "Coordinator", ("Antwerp",))


@pytest.fixture(autouse=True)
def shell_runs_like_a_live_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages run inside app.py, as on a server that has served its first page.

    AppTest re-detects the `pages/` folder before every run and would run a switched-to
    page alone (Streamlit's first multipage mode); `ui.shell.require_shell` would then
    rerun through the shell, but a button click of that run would be lost. A live server
    leaves that mode for good after its first run of app.py; so do the tests.
    `test_pages_smoke.py` checks the guard itself with the mode left on.
    """
    original = PagesManager.__init__

    def without_pages_folder(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", without_pages_folder)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file the page offers for download, by file name (built as a click would)."""
    files: dict[str, bytes] = {}
    original = MediaFileManager.add_deferred

    def keep(
        self: MediaFileManager,
        data_callable: Any,
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **kwargs: Any,
    ) -> str:
        if file_name:
            data = data_callable()
            files[file_name] = data if isinstance(data, bytes) else str(data).encode()
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return files


@pytest.fixture
def no_signed_in_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """A public page must work without ever asking who is signed in."""

    def forbidden() -> None:
        raise AssertionError("a public page asked for the signed-in user")

    monkeypatch.setattr("ui.context.user", forbidden)
    monkeypatch.setattr("ui.context.snapshot", forbidden)


@pytest.fixture(scope="session")
def demo_grids() -> dict[str, list[list[Any]]]:
    """The demo workbook's cells (generated for the tests' pinned day) with the test users."""
    store = MemoryStore(demo_grids_for_today())
    store.append("Staff", [staff_row(u) for u in (ADMIN, BRUSSELS, ANTWERP)], "tests")
    return store.grids


def demo_grids_for_today() -> dict[str, list[list[Any]]]:
    records = demo_data.generate(seed=2013, today=clock.today())
    grids = grids_from_records(records)
    demo_data.apply_quirks(grids)
    return grids


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook as an `.xlsx` file, for the tests of the file itself."""
    path = tmp_path_factory.mktemp("template") / "demo.xlsx"
    write_demo_workbook(path)
    LocalStore(path).append("Staff", [staff_row(u) for u in (ADMIN, BRUSSELS, ANTWERP)], "tests")
    return path


def staff_row(user: User) -> dict[str, Any]:
    """The Staff tab row that lets a test user in (sign-in checks the tab on every run)."""
    return {
        "Email": user.email,
        "Name": user.name,
        "Role": user.role,
        "Offices": list(user.offices),
        "Active": True,
    }


Workbook = str
"""What the app is pointed at: `memory:NAME` (an in-memory copy of the demo) or a file path."""
_names = itertools.count(1)


@pytest.fixture
def workbook(
    demo_grids: dict[str, list[list[Any]]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workbook]:
    """A fresh in-memory copy of the demo workbook, selected for the app through DUO_WORKBOOK."""
    name = f"test-{next(_names)}"
    memory.named(name, copy.deepcopy(demo_grids))
    monkeypatch.setenv("DUO_WORKBOOK", memory.PREFIX + name)
    monkeypatch.delenv("DUO_SPREADSHEET", raising=False)
    yield memory.PREFIX + name
    memory.forget(name)


@pytest.fixture
def file_workbook(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A fresh copy of the demo workbook as an `.xlsx` file, selected through DUO_WORKBOOK."""
    path = tmp_path / "workbook.xlsx"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("DUO_WORKBOOK", str(path))
    monkeypatch.delenv("DUO_SPREADSHEET", raising=False)
    yield path


def store_of(workbook: Workbook | Path) -> Store:
    """The store on the same workbook: what the app wrote, read back."""
    text = str(workbook)
    if text.startswith(memory.PREFIX):
        store = memory.named(text.removeprefix(memory.PREFIX))
        store.refresh()
        return store
    return LocalStore(workbook)


def open_page(
    page: str,
    *,
    user: User | None = ADMIN,
    lang: str = "en",
    query: dict[str, str] | None = None,
    state: dict[str, Any] | None = None,
    secrets: dict[str, Any] | None = None,
    timeout: float = 60,
) -> AppTest:
    """The app with `page` open (a file name in pages/, e.g. "duos.py"), already run once."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    app.session_state["lang"] = lang
    if user is not None:
        app.session_state["user"] = user
    for key, value in (state or {}).items():
        app.session_state[key] = value
    for key, value in (secrets or {}).items():
        app.secrets[key] = value
    if query:
        app.query_params.update(query)
    app.run()
    app.switch_page(str(ROOT / "pages" / page))
    if query:
        app.query_params.update(query)
    return app.run()


def assert_no_exception(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]


def error_under(app: AppTest, key: str) -> str:
    """The error shown right under the widget `key` ("" when the next element is no error):
    where a refused form puts each field's message."""
    from streamlit.testing.v1.element_tree import Block, Error

    elements = [node for node in app._tree if not isinstance(node, Block)]
    at = [index for index, node in enumerate(elements) if getattr(node, "key", None) == key]
    assert at, f"no widget {key!r}"
    following = elements[at[0] + 1 : at[0] + 2]
    if following and isinstance(following[0], Error):
        return str(following[0].value)
    return ""
