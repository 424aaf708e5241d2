"""Exactly once from the forms: a repeated submit of the same render writes nothing.

A double tap (or a browser resending a render after a reconnect) sends the same widget
values, submit trigger and hidden submission token twice. `submit_twice` replays exactly
that in AppTest: the widget states of one render, sent two times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

import clock
from services import applications, meeting_links
from tests.apptest import BRUSSELS, assert_no_exception
from tests.test_page_apply import fill, open_apply, page_text, people
from tests.test_page_duos import a_duo, duo_page, generation, key, rows_of
from tests.test_page_meeting_log import active_duo, meetings, open_log, shown, token_for
from tests.test_page_sessions import attendance_of, enrol, new_session, people_with, session_page
from ui import once
from ui.once import Memo

TODAY = clock.today()


@pytest.fixture(autouse=True)
def fresh_memos() -> Iterator[None]:
    """The process-wide memos and rate limits start empty and are left empty."""

    def reset() -> None:
        once.USED.clear()
        once.RECENT.clear()
        meeting_links.LOG_LIMIT.reset()
        applications.LIMITS.reset()

    reset()
    yield
    reset()


def clicked(app: AppTest, button: str) -> WidgetStates:
    """What the browser sends when `button` of the render on screen is clicked."""
    app.button(key=button).click()
    return app._tree.get_widget_states()


def send(app: AppTest, states: WidgetStates) -> AppTest:
    app._run(states)
    assert_no_exception(app)
    return app


def submit_twice(app: AppTest, button: str) -> AppTest:
    """A double tap: the same render submitted two times."""
    states = clicked(app, button)
    return send(send(app, states), states)


# -- the meeting log (public) --------------------------------------------------------------


def fill_meeting(app: AppTest, **fields: Any) -> AppTest:
    values: dict[str, Any] = {"mode": "Video", "topics": ["CV"], "hours": 1.5}
    values |= {"summary": "Reworked the CV."} | fields
    app.selectbox(key="log-mode").set_value(values["mode"])
    app.multiselect(key="log-topics").set_value(values["topics"])
    app.number_input(key="log-hours").set_value(values["hours"])
    app.text_area(key="log-summary").set_value(values["summary"])
    return app


def right_after_the_form(app: AppTest) -> str:
    """The text of what the page shows right under the form's submit button."""
    nodes = list(app.main.children.values())
    form = next(index for index, node in enumerate(nodes) if node.type == "form")
    return str(getattr(nodes[form + 1], "value", ""))


@pytest.fixture
def log_page(tmp_path: Path, workbook: Path, no_signed_in_user: None) -> AppTest:
    return open_log(tmp_path, token_for(workbook, active_duo(workbook)["ID"]))


def test_a_double_tap_on_the_meeting_log_writes_one_meeting_and_shows_the_confirmation(
    log_page: AppTest, workbook: Path
) -> None:
    before = len(meetings(workbook))
    app = submit_twice(fill_meeting(log_page), "log-save")
    assert len(meetings(workbook)) == before + 1
    assert "the meeting of" in shown(app) and "is in the log" in shown(app)


def test_after_a_save_the_meeting_log_form_is_empty_and_the_confirmation_is_under_the_button(
    log_page: AppTest, workbook: Path
) -> None:
    app = fill_meeting(log_page)
    app.button(key="log-save").click().run()
    assert_no_exception(app)
    assert app.selectbox(key="log-mode").value is None
    assert app.multiselect(key="log-topics").value == []
    assert app.text_area(key="log-summary").value == ""
    assert app.number_input(key="log-hours").value == 2.0
    assert "is in the log" in right_after_the_form(app)


def test_a_new_session_resending_a_logged_render_writes_nothing(
    tmp_path: Path, workbook: Path, no_signed_in_user: None
) -> None:
    link = token_for(workbook, active_duo(workbook)["ID"])
    app = fill_meeting(open_log(tmp_path, link))
    states = clicked(app, "log-save")
    send(app, states)
    before = len(meetings(workbook))
    reloaded = send(open_log(tmp_path, link), states)
    assert len(meetings(workbook)) == before
    assert "is in the log" in shown(reloaded)


def test_the_same_meeting_again_from_the_same_link_is_asked_about_before_it_is_written(
    log_page: AppTest, workbook: Path
) -> None:
    before = len(meetings(workbook))
    app = fill_meeting(log_page)
    app.button(key="log-save").click().run()
    app = fill_meeting(app, summary="Same meeting, typed again.")
    app.button(key="log-save").click().run()
    assert_no_exception(app)
    assert "was just logged with this link" in shown(app)
    assert len(meetings(workbook)) == before + 1
    app.button(key="log-same-leave").click().run()
    assert len(meetings(workbook)) == before + 1
    assert app.text_area(key="log-summary").value == ""


def test_logging_another_meeting_after_the_question_writes_it_once(
    log_page: AppTest, workbook: Path
) -> None:
    before = len(meetings(workbook))
    app = fill_meeting(log_page)
    app.button(key="log-save").click().run()
    app = fill_meeting(app, summary="A second meeting that day.")
    app.button(key="log-save").click().run()
    submit_twice(app, "log-same-again")
    rows = meetings(workbook)
    assert len(rows) == before + 2
    assert rows.iloc[-1]["Summary"] == "A second meeting that day."
    assert "is in the log" in shown(app)


def test_a_refused_meeting_keeps_its_token_and_can_be_corrected_and_sent(
    log_page: AppTest, workbook: Path
) -> None:
    before = len(meetings(workbook))
    app = fill_meeting(log_page, mode=None)
    app.button(key="log-save").click().run()
    assert "Please choose how you met." in shown(app)
    app.selectbox(key="log-mode").set_value("Phone")
    app.button(key="log-save").click().run()
    assert len(meetings(workbook)) == before + 1


# -- Apply (public) ------------------------------------------------------------------------


def test_a_double_tap_on_apply_creates_one_applicant(
    tmp_path: Path, workbook: Path, no_signed_in_user: None
) -> None:
    before = len(people(workbook))
    app = submit_twice(fill(open_apply(tmp_path, "en")), "apply-send")
    assert len(people(workbook)) == before + 1
    assert "Thank you, Amina" in page_text(app)


def test_a_new_session_resending_a_sent_application_creates_no_second_applicant(
    tmp_path: Path, workbook: Path, no_signed_in_user: None
) -> None:
    app = fill(open_apply(tmp_path, "en"))
    states = clicked(app, "apply-send")
    send(app, states)
    before = len(people(workbook))
    reloaded = send(open_apply(tmp_path, "en"), states)
    assert len(people(workbook)) == before
    assert "Thank you, Amina" in page_text(reloaded)
    reference = people(workbook).iloc[-1]["ID"]
    assert reference in page_text(reloaded), "the same reference as the first time"


# -- the helper ----------------------------------------------------------------------------


def test_the_process_memo_forgets_the_oldest_tokens_beyond_its_size() -> None:
    memo = Memo(size=3)
    for number in range(5):
        memo.put(f"token-{number}", number)
    assert len(memo) == 3
    assert "token-1" not in memo and memo.get("token-4") == 4


def test_a_memo_entry_older_than_the_window_no_longer_counts() -> None:
    memo = Memo()
    memo.put("entry", True, now=100.0)
    assert memo.get("entry", within=60, now=150.0) is True
    assert memo.get("entry", within=60, now=161.0) is None


# -- staff forms ---------------------------------------------------------------------------


def test_a_double_tap_on_session_attendance_writes_each_mark_once_without_a_conflict(
    workbook: Path,
) -> None:
    session_id = new_session(workbook, "Info session", "Brussels", TODAY - dt.timedelta(days=1))
    came = people_with(workbook, "Brussels", "Mentee", "Applied")[0]
    absent = people_with(workbook, "Brussels", "Mentor", "Applied")[0]
    enrol(workbook, session_id, came, absent)
    app = session_page(session_id, BRUSSELS)
    app.checkbox(key=f"attended-{session_id}-{came}").check()
    [button] = [b for b in app.button if b.label == "Save attendance"]
    button.click()
    states = app._tree.get_widget_states()
    send(send(app, states), states)
    assert attendance_of(workbook, session_id) == sorted([(came, "Attended"), (absent, "Absent")])
    assert not app.warning, "no conflict with the first tap's own marks"
    assert any("Attendance saved" in str(s.value) for s in app.success)


def test_a_double_tap_on_a_duo_check_in_writes_one_check_in(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    before = len(rows_of(workbook, "Check-ins", duo["ID"]))
    app = duo_page(duo["ID"])
    app.radio(key=key(duo["ID"], "check-in", "health")).set_value("Some concerns")
    submit_twice(app, key(duo["ID"], "check-in", "submit"))
    assert len(rows_of(workbook, "Check-ins", duo["ID"])) == before + 1
    assert app.radio(key=key(duo["ID"], "check-in", "health", generation(app))).value is None


def test_a_double_tap_on_a_duo_meeting_writes_one_meeting_and_confirms_under_the_form(
    workbook: Path,
) -> None:
    duo = a_duo(workbook, "Active")
    before = len(rows_of(workbook, "Meetings", duo["ID"]))
    app = duo_page(duo["ID"])
    app.text_area(key=key(duo["ID"], "meeting", "summary")).input("Mock interview")
    submit_twice(app, key(duo["ID"], "meeting", "submit"))
    assert len(rows_of(workbook, "Meetings", duo["ID"])) == before + 1
    assert app.success, "the confirmation is shown"
