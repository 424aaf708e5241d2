"""The language switch at the top of the public pages (ui/language.py): one language state."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n import t
from tests.apptest import assert_no_exception
from tests.test_page_apply import fill, open_apply, send
from ui.language import PAGE_KEY

pytestmark = pytest.mark.usefixtures("no_signed_in_user")


def test_the_apply_page_offers_the_three_languages_at_its_top(
    tmp_path: Path, workbook: str
) -> None:
    app = open_apply(tmp_path, "nl")
    switch = app.segmented_control(key=PAGE_KEY)
    assert list(switch.options) == ["Français", "Nederlands", "English"]
    assert switch.value == "nl"


def test_switching_the_language_after_a_refused_send_keeps_every_answer(
    tmp_path: Path, workbook: str
) -> None:
    """Someone who cannot read the form's message switches language: nothing is lost (what
    a form holds reaches the server when it is sent; ticks and text stay in the browser)."""
    app = fill(open_apply(tmp_path, "en"), consent=False)
    app.selectbox(key="apply-gender").set_value("Woman")
    send(app)
    assert app.error, "refused: no consent"
    app.segmented_control(key=PAGE_KEY).set_value("fr").run()
    assert_no_exception(app)
    assert app.title[0].value == t("apply.title", "fr")
    assert app.session_state["lang"] == "fr"
    assert app.radio(key="apply-role").value == "Mentee"
    assert app.selectbox(key="apply-office").value == "Brussels"
    assert app.selectbox(key="apply-gender").value == "Woman"
    assert app.text_input(key="apply-first_name").value == "Amina"
    assert app.multiselect(key="apply-languages").value == ["French", "Arabic"]
    assert app.segmented_control(key=PAGE_KEY).value == "fr"


def test_choosing_the_language_already_shown_changes_nothing(tmp_path: Path, workbook: str) -> None:
    app = open_apply(tmp_path, "en")
    app.segmented_control(key=PAGE_KEY).set_value(None).run()
    assert app.session_state["lang"] == "en"
    assert app.segmented_control(key=PAGE_KEY).value == "en"
