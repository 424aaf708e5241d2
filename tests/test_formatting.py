"""Dates and numbers inside messages are written the way the tables and the language write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import clock
from i18n import LANGUAGES, Msg, t
from meetings import DuoTerms, MeetingEntry, meeting_problems
from services.duos import EvaluationEntry, log_evaluation, log_meeting
from services.settings import SettingRefused, checked_value
from settings import SETTINGS, Setting
from tests.apptest import ADMIN, BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_attention import evaluation_items
from tests.test_page_matching import tables, tick
from tests.test_workflow import duo, first, pair
from ui import context as ui
from workflow import Complete, TransitionError, apply_duo_action, records

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


def test_a_list_of_dates_in_a_message_is_written_item_by_item(lang: str) -> None:
    message = Msg("duos.evaluation_exists", {"dates": [DAY, dt.date(2026, 12, 1), "?"]})
    for shown in (ui.text(message), ui.md_text(message), message.text(lang)):
        assert "26/11/2026, 01/12/2026, ?" in shown


# -- messages the rules and the use cases make: raw dates and numbers, written once -------------

SIGNED = dt.date(2026, 1, 20)


def refusal(block: Callable[[], object]) -> Msg:
    with pytest.raises(TransitionError) as refused:
        block()
    return refused.value.msg


def test_a_duo_step_refused_for_its_date_says_both_dates_day_first(lang: str) -> None:
    participants, all_duos = pair("Active")
    step = Complete(dt.date(2026, 1, 19))
    message = refusal(lambda: apply_duo_action(first(all_duos), step, participants, all_duos))
    assert "19/01/2026" in ui.text(message) and "20/01/2026" in ui.text(message)
    assert "2026-01" not in ui.text(message)


def test_completing_on_the_agreement_day_says_the_day_and_the_planned_end(lang: str) -> None:
    participants, all_duos = pair("Active")
    message = refusal(
        lambda: apply_duo_action(first(all_duos), Complete(SIGNED), participants, all_duos)
    )
    assert "20/01/2026" in ui.md_text(message) and "20/07/2026" in ui.md_text(message)


def test_a_to_do_sentence_writes_its_date_day_first(lang: str) -> None:
    late = duo("D-1", agreement_on=dt.date(2025, 9, 1), planned_end=dt.date(2026, 3, 13))
    (item,) = [i for i in evaluation_items(late) if i.message.key.endswith("planned_end_passed")]
    assert "13/03/2026" in ui.text(item.message)
    assert "2026-03-13" not in ui.text(item.message)


def test_meeting_hours_out_of_range_use_the_languages_decimal_mark(lang: str) -> None:
    entry = MeetingEntry(DAY, 8.5, "Video")
    (message,) = meeting_problems(entry, DuoTerms(None, ()), DAY)
    shown = ui.text(message)
    mark = DECIMAL_MARKS[lang][1]
    assert f"8{mark}5" in shown and f"0{mark}5" in shown
    too_early = meeting_problems(MeetingEntry(SIGNED, 2.0, "Video"), DuoTerms(DAY, ()), DAY)
    assert "20/01/2026" in ui.text(too_early[0]) and "26/11/2026" in ui.text(too_early[0])


def test_a_settings_bounds_go_into_its_refusal_as_numbers(lang: str) -> None:
    credit = next(setting for setting in SETTINGS if setting.name.endswith("sector_credit"))
    message = refusal_of_setting(credit)
    assert (message.params["low"], message.params["high"]) == (0.0, 1.0)
    assert " 0 " in ui.text(message) and "1.0" not in ui.text(message)


def refusal_of_setting(setting: Setting) -> Msg:
    with pytest.raises(SettingRefused) as refused:
        checked_value(setting, -1_000_000)
    return refused.value.msg


def test_what_a_use_case_says_carries_raw_dates_written_day_first(workbook: Path) -> None:
    store = store_of(workbook)
    duo_row = next(
        row
        for row in records(store.table("Duos").frame)
        if row["Status"] == "Active" and row["Office"] == "Brussels"
    )
    entry = MeetingEntry(clock.today(), 2.5, "Video")
    outcome = log_meeting(store, BRUSSELS, duo_row["ID"], entry, clock.today())
    assert outcome.message.params["date"] == clock.today()
    for lang in LANGUAGES:
        assert "26/11/2026" in outcome.message.text(lang)
    ended = next(
        row
        for row in records(store.table("Duos").frame)
        if row["Status"] == "Completed" and row["Office"] == "Brussels"
    )
    evaluation = EvaluationEntry("Mentee", clock.today(), "Yes", "Training", "", 4)
    log_evaluation(store, BRUSSELS, ended["ID"], evaluation, clock.today())
    again = refusal(lambda: log_evaluation(store, BRUSSELS, ended["ID"], evaluation, clock.today()))
    assert "26/11/2026" in again.text("fr")


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


# -- the duo page: hours and scores with the language's decimal mark ----------------------------


@pytest.mark.parametrize(("lang", "hours"), [("fr", "2,5 h"), ("nl", "2,5 u"), ("en", "2.5 h")])
def test_the_duo_page_writes_hours_with_the_languages_decimal_mark(
    workbook: Path, lang: str, hours: str
) -> None:
    store = store_of(workbook)
    duo_row = next(
        row
        for row in records(store.table("Duos").frame)
        if row["Status"] == "Active" and row["Office"] == "Brussels"
    )
    log_meeting(store, BRUSSELS, duo_row["ID"], MeetingEntry(DAY, 2.5, "Video"), DAY)
    app = open_page("duos.py", user=BRUSSELS, lang=lang, query={"id": duo_row["ID"]})
    assert_no_exception(app)
    shown = "\n".join(str(line.value) for line in app.markdown)
    assert hours in shown
    assert ("2.5" in shown) == (lang == "en")
