"""Every page runs without an exception, in every language, on the demo workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager

from i18n import LANGUAGES
from tests.apptest import ADMIN, BRUSSELS, ROOT, assert_no_exception, open_page
from ui.navigation import (
    APPLY,
    COORDINATOR_PAGES,
    MEETING_LOG,
    PRIVACY,
    SELF_EVALUATION,
    SELF_FOLLOW_UP,
    SIGN_IN,
)

PAGES_MANAGER_INIT = PagesManager.__init__
"""Streamlit's own, before the autouse fixture of tests/apptest.py replaces it."""

STAFF_PAGES = [spec.file for spec in (*COORDINATOR_PAGES, PRIVACY)]


def test_every_page_of_the_navigation_exists() -> None:
    for spec in (
        *COORDINATOR_PAGES,
        PRIVACY,
        SIGN_IN,
        APPLY,
        MEETING_LOG,
        SELF_EVALUATION,
        SELF_FOLLOW_UP,
    ):
        assert (ROOT / "pages" / spec.file).is_file(), spec.file


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_each_staff_page_runs_for_an_admin_and_runs_again(
    workbook: Path, page: str, lang: str
) -> None:
    """The second run reads the widgets' labels back: a `format_func` whose text depends on
    the language must be made in the run (`ui.format_choices`), not when Streamlit calls it."""
    app = open_page(page, user=ADMIN, lang=lang)
    assert_no_exception(app)
    assert app.title, "every page has a title"
    app.run()
    assert_no_exception(app)


@pytest.mark.parametrize("page", [spec.file for spec in COORDINATOR_PAGES if not spec.admin_only])
def test_each_coordinator_page_runs_for_a_coordinator(workbook: Path, page: str) -> None:
    assert_no_exception(open_page(page, user=BRUSSELS, lang="nl"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "page", [APPLY.file, MEETING_LOG.file, SELF_EVALUATION.file, SELF_FOLLOW_UP.file, SIGN_IN.file]
)
def test_each_public_page_runs_for_a_signed_out_visitor(
    workbook: Path, page: str, lang: str
) -> None:
    assert_no_exception(open_page(page, user=None, lang=lang))


@pytest.mark.parametrize("page", ["privacy.py", "today.py"])
def test_a_page_reached_before_the_shell_ever_ran_runs_inside_the_shell(
    workbook: Path, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamlit's old `pages/` mode (a fresh server, a deep link): the page reruns via app.py."""
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.setattr(PagesManager, "__init__", PAGES_MANAGER_INIT)
    app = open_page(page, user=ADMIN)
    assert_no_exception(app)
    assert any("Test Admin" in caption.value for caption in app.sidebar.caption)
