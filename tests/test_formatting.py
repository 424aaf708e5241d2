"""Dates and numbers inside messages are written the way the tables and the language write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from i18n import LANGUAGES, Msg, t
from tests.apptest import ADMIN, assert_no_exception, open_page
from tests.test_page_matching import tables, tick
from ui import context as ui

DAY = dt.date(2026, 11, 26)
DECIMAL_MARKS = {"fr": "0,5", "nl": "0,5", "en": "0.5"}


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session's language, as `ui.text` reads it."""
    monkeypatch.setattr(ui, "lang", lambda: request.param)
    return str(request.param)


def test_a_date_in_a_message_is_day_first_in_every_language(lang: str) -> None:
    message = Msg("duos.evaluation_opens", {"date": DAY, "days": 14})
    assert "26/11/2026" in ui.text(message)
    assert "26/11/2026" in ui.md_text(message)
    assert "26/11/2026" in message.text(lang)


def test_a_timestamp_in_a_message_shows_its_day_as_the_tables_do(lang: str) -> None:
    when = pd.Timestamp("2026-11-26 14:30")
    assert "26/11/2026" in ui.text(Msg("duos.evaluation_opens", {"date": when, "days": 14}))
    assert ui.fmt_date(when) == ui.fmt_date(DAY) == "26/11/2026"


def test_a_decimal_in_a_message_has_the_languages_decimal_mark(lang: str) -> None:
    message = Msg("duos.score_of", {"score": 0.5})
    assert DECIMAL_MARKS[lang] in ui.text(message)
    assert DECIMAL_MARKS[lang] in ui.md_text(message)
    assert t("duos.score_of", lang, score=0.5).endswith(DECIMAL_MARKS[lang])


def test_a_placeholders_own_format_is_kept_with_the_languages_decimal_mark() -> None:
    assert "33" in t("matching.below_minimum", "fr", score=33.3, minimum=40.0)
    assert "40" in t("matching.below_minimum", "fr", score=33.3, minimum=40.0)
    assert "33.3" not in t("matching.below_minimum", "en", score=33.3, minimum=40.0)


def test_whole_numbers_and_text_in_a_message_are_left_as_they_are() -> None:
    assert t("duos.score_of", "fr", score=1234).endswith("1234")
    assert t("duos.score_of", "fr", score="0.5").endswith("0.5")


def test_a_missing_date_is_blank() -> None:
    assert ui.fmt_date(pd.NaT) == ui.fmt_date(None) == ""


# -- the matching page: below-minimum matches, new duos -----------------------------------------


def test_a_match_below_the_minimum_is_muted_and_says_its_shortfall_first(workbook: Path) -> None:
    app = open_page("matching_session.py", user=ADMIN, state={"matching-setting-min_score": 100})
    assert_no_exception(app)
    titles = [m.value for m in app.markdown if str(m.value).startswith(":gray[**1. ")]
    shortfalls = [c.value for c in app.caption if str(c.value).startswith("Below the minimum:")]
    assert titles and shortfalls
    assert "points short of 100" in shortfalls[0]


def test_a_good_match_is_not_muted(workbook: Path) -> None:
    app = open_page("matching_session.py", user=ADMIN, state={"matching-setting-min_score": 0})
    assert_no_exception(app)
    assert any(str(m.value).startswith("**1. ") for m in app.markdown)
    assert not [m for m in app.markdown if str(m.value).startswith(":gray[")]
    assert not [c for c in app.caption if str(c.value).startswith("Below the minimum:")]


def test_creating_duos_from_the_whole_pool_stays_on_its_tab_and_links_the_new_duos(
    workbook: Path,
) -> None:
    app = open_page("matching_session.py", user=ADMIN, state={"matching-tab": "Whole pool"})
    assert_no_exception(app)
    tick(app, {0: {"accept": True}})
    app.button(key="matching-create").click().run()
    app.button(key="matching-confirm-batch").click().run()
    assert_no_exception(app)
    assert app.session_state["matching-tab"] == "Whole pool"
    duo_id = str(tables(workbook)[1]["ID"].iloc[-1])
    links = [link for link in app.get("page_link") if duo_id in str(link.proto.label)]
    assert links and links[0].proto.query_string == f"id={duo_id}"
