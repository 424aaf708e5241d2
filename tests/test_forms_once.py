"""Exactly once from the forms: a repeated submit of the same render writes nothing.

A double tap (or a browser resending a render after a reconnect) sends the same widget
values, submit trigger and hidden submission token twice. `submit_twice` replays exactly
that in AppTest: the widget states of one render, sent two times.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

import clock
from i18n import Msg, t
from services import applications, meeting_links
from services.people import IntakeChoice
from sheets import memory
from sheets.memory import MemoryStore
from sheets.store import Change, StoreBusy, Written
from tests.apptest import ADMIN, BRUSSELS, ROOT, assert_no_exception, store_of
from tests.test_page_apply import fill, open_apply, page_text, people
from tests.test_page_duos import a_duo, duo_page, generation, key, rows_of
from tests.test_page_intake import applicant as intake_applicant
from tests.test_page_intake import key as intake_key
from tests.test_page_intake import row as intake_row
from tests.test_page_matching import duo_count, new_duos, proposed_pairs, suggested_mentors, tick
from tests.test_page_meeting_log import active_duo, meetings, open_log, shown, token_for
from tests.test_page_participants import field, first, person_row
from tests.test_page_sessions import attendance_of, enrol, new_session, people_with, session_page
from tests.test_page_settings import QUIET, QUIET_INPUT, settings_rows
from ui import once
from ui.once import Memo
from workflow import PersonAction

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
    after = nodes[form + 1]
    while getattr(after, "children", None):  # a container (to scroll to): its first element
        after = next(iter(after.children.values()))
    return str(getattr(after, "value", ""))


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


# -- staff forms: people, matching, settings, privacy -------------------------------------


def audit_rows(workbook: Path) -> pd.DataFrame:
    """The Audit tab: one row per change written."""
    return store_of(workbook).table("Audit").frame


def staff_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """A staff page opened by the admin, from the shell's navigation (app.py runs first)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.session_state["user"] = ADMIN
    app.run()
    app.switch_page(str(ROOT / "pages" / page))
    if query:
        app.query_params.update(query)
    app.run()
    assert_no_exception(app)
    return app


def successes(app: AppTest) -> list[str]:
    return [str(s.value) for s in app.success]


def test_a_double_tap_on_the_intake_interview_writes_the_profile_once(workbook: Path) -> None:
    pid = intake_applicant(workbook, "Mentee")["ID"]
    before = len(audit_rows(workbook))
    app = staff_page("intake.py", {"id": pid})
    app.text_area(key=intake_key(pid, "Goal")).input("Become a bookkeeper")
    app.radio(key=intake_key(pid, "outcome")).set_value(IntakeChoice.SAVE_ONLY)
    submit_twice(app, intake_key(pid, "save"))
    added = audit_rows(workbook).iloc[before:]
    assert added["Record ID"].tolist() == [pid]
    assert intake_row(workbook, pid)["Goal"] == "Become a bookkeeper"
    assert successes(app).count("Saved.") == 1, "the confirmation, once, under the form"


def test_a_double_tap_on_an_intake_that_moves_the_person_moves_them_once(workbook: Path) -> None:
    pid = intake_applicant(workbook, "Mentee")["ID"]
    before = len(audit_rows(workbook))
    app = staff_page("intake.py", {"id": pid})
    app.radio(key=intake_key(pid, "outcome")).set_value(IntakeChoice.WITHDRAW)
    app.text_input(key=intake_key(pid, "reason")).input("Found a job")
    submit_twice(app, intake_key(pid, "save"))
    assert len(audit_rows(workbook).iloc[before:]) == 1
    after = intake_row(workbook, pid)
    assert after["Status"] == "Withdrawn"
    assert after["Notes"].count("Found a job") == 1


def test_a_double_tap_on_the_profile_form_saves_the_profile_once(workbook: Path) -> None:
    pid = first(workbook, status="Ready", role="Mentee")["ID"]
    before = len(audit_rows(workbook))
    app = staff_page("participants.py", {"id": pid})
    app.text_area(key=field(pid, "Goal")).input("Work as a lab technician")
    submit_twice(app, field(pid, "save"))
    assert audit_rows(workbook).iloc[before:]["Record ID"].tolist() == [pid]
    assert person_row(workbook, pid)["Goal"] == "Work as a lab technician"
    assert successes(app) == ["Saved."]


def test_a_double_tap_on_a_status_step_moves_the_person_once(workbook: Path) -> None:
    pid = first(workbook, status="Ready", role="Mentee")["ID"]
    before = len(audit_rows(workbook))
    app = staff_page("participants.py", {"id": pid})
    app.selectbox(key=f"step-{pid}").set_value(PersonAction.PUT_ON_HOLD).run()
    app.text_input(key=f"step-{pid}-{PersonAction.PUT_ON_HOLD}-reason").input("Travelling")
    submit_twice(app, f"step-{pid}-go")
    assert audit_rows(workbook).iloc[before:]["Record ID"].tolist() == [pid]
    after = person_row(workbook, pid)
    assert after["Status"] == "On hold"
    assert after["Notes"].count("Travelling") == 1
    assert len(successes(app)) == 1, "the step's confirmation, in the status tab"


def antwerp_matching() -> AppTest:
    app = staff_page("matching_session.py")
    if app.selectbox(key="matching-office").value != "Antwerp":
        app.selectbox(key="matching-office").set_value("Antwerp").run()
    return app


def test_a_double_click_on_confirming_a_proposed_duo_creates_one_duo(workbook: Path) -> None:
    app = antwerp_matching()
    mentee = str(app.selectbox(key="matching-mentee").value)
    mentor = suggested_mentors(app)[0]
    before = duo_count(workbook)
    app.button(key=f"matching-propose-{mentor}").click().run()
    submit_twice(app, f"matching-confirm-{mentor}")
    assert new_duos(workbook, before) == [(mentee, mentor, "Proposed")]
    assert [s for s in successes(app) if "Duo proposed" in s], "the confirmation is shown"


def test_a_double_click_on_creating_the_accepted_pairs_creates_each_duo_once(
    workbook: Path,
) -> None:
    app = antwerp_matching()
    pairs = proposed_pairs(app)[:2]
    before = duo_count(workbook)
    tick(app, {0: {"accept": True}, 1: {"accept": True}})
    app.button(key="matching-create").click().run()
    submit_twice(app, "matching-confirm-batch")
    assert [(mentee, mentor) for mentee, mentor, _ in new_duos(workbook, before)] == pairs
    assert len(successes(app)) == 1, "the batch's report, once"


def test_a_double_tap_on_saving_settings_writes_the_setting_once(workbook: Path) -> None:
    before = len(audit_rows(workbook))
    app = staff_page("settings.py")
    app.number_input(key=QUIET_INPUT).set_value(7)
    submit_twice(app, "save-attention")
    assert settings_rows(workbook) == {QUIET: "7"}
    assert len(audit_rows(workbook).iloc[before:]) == 1
    assert successes(app) == [t("settings_page.saved", "en", count=1)]


def test_a_double_tap_on_back_to_default_writes_the_defaults_once(workbook: Path) -> None:
    store_of(workbook).append("Settings", [{"Name": QUIET, "Value": "7"}], "staff")
    before = len(audit_rows(workbook))
    app = staff_page("settings.py")
    submit_twice(app, "reset-attention")
    assert settings_rows(workbook) == {QUIET: "21"}
    assert len(audit_rows(workbook).iloc[before:]) == 1
    assert successes(app) == [t("settings_page.reset_done", "en", count=1)]


def test_a_double_tap_on_adding_a_list_value_adds_it_once(workbook: Path) -> None:
    before = len(audit_rows(workbook))
    app = staff_page("settings.py")
    app.selectbox(key="list-column").select("Sectors")
    app.text_input(key="list-value").input("Aviation")
    submit_twice(app, "add-list-value")
    assert list(store_of(workbook).table("Lists").frame["Sectors"]).count("Aviation") == 1
    assert len(audit_rows(workbook).iloc[before:]) == 1
    assert successes(app) == [t("settings_page.list_value_added", "en", value="Aviation")]
    assert app.text_input(key="list-value").value == ""


def test_a_double_click_on_erasing_a_person_erases_once(workbook: Path) -> None:
    pid = first(workbook, status="Alumni")["ID"]
    before = len(audit_rows(workbook))
    app = staff_page("privacy.py")
    app.selectbox(key="privacy-person").set_value(pid).run()
    app.text_input(key="privacy-typed").input(pid)
    submit_twice(app, "privacy-erase-button")
    assert_no_exception(app)
    added = audit_rows(workbook).iloc[before:]
    assert pid in set(added["Record ID"]) and added["Record ID"].is_unique, "each row erased once"
    assert not person_row(workbook, pid)["Last name"]
    assert len([s for s in successes(app) if pid in s]) == 1, "the confirmation, once"


def test_a_double_click_on_preparing_an_export_audits_it_once(workbook: Path) -> None:
    pid = first(workbook, status="Alumni")["ID"]
    before = len(audit_rows(workbook))
    app = staff_page("privacy.py")
    app.selectbox(key="privacy-person").set_value(pid).run()
    submit_twice(app, "privacy-export")
    assert audit_rows(workbook).iloc[before:]["Action"].tolist() == ["export"]
    assert app.get("download_button"), "the export is ready to download"


# -- a save whose answer was lost ----------------------------------------------------------


class AnswerLostOnce(MemoryStore):
    """A workbook whose first write lands but answers "busy" (Google applied the request,
    its answer never came back, and the retry bound ran out)."""

    def __init__(self, grids: dict[str, list[list[Any]]]) -> None:
        super().__init__(grids)
        self.lost = 0

    def write(self, changes: Sequence[Change], who: str) -> Written:
        written = super().write(changes, who)
        if not self.lost:
            self.lost += 1
            raise StoreBusy(Msg("store.google_busy"))
        return written


def losing_the_first_answer(workbook: Path) -> AnswerLostOnce:
    name = str(workbook).removeprefix(memory.PREFIX)
    store = AnswerLostOnce(copy.deepcopy(memory.named(name).grids))
    memory.register(name, store)
    return store


def test_a_meeting_sent_again_after_a_busy_answer_whose_write_landed_is_written_once(
    tmp_path: Path, workbook: Path, no_signed_in_user: None
) -> None:
    link = token_for(workbook, active_duo(workbook)["ID"])
    store = losing_the_first_answer(workbook)
    before = len(meetings(workbook))
    app = fill_meeting(open_log(tmp_path, link))
    states = clicked(app, "log-save")
    send(app, states)
    assert store.lost == 1 and len(meetings(workbook)) == before + 1
    send(app, states)
    assert len(meetings(workbook)) == before + 1
    assert "is in the log" in shown(app)


def test_an_application_sent_again_after_a_busy_answer_whose_write_landed_is_one_applicant(
    tmp_path: Path, workbook: Path, no_signed_in_user: None
) -> None:
    store = losing_the_first_answer(workbook)
    before = len(people(workbook))
    app = fill(open_apply(tmp_path, "en"))
    states = clicked(app, "apply-send")
    send(app, states)
    assert store.lost == 1 and len(people(workbook)) == before + 1
    send(app, states)
    assert len(people(workbook)) == before + 1
    assert "Thank you, Amina" in page_text(app)


def test_a_duo_meeting_saved_again_after_a_busy_answer_whose_write_landed_is_one_meeting(
    workbook: Path,
) -> None:
    duo = a_duo(workbook, "Active")
    store = losing_the_first_answer(workbook)
    before = len(rows_of(workbook, "Meetings", duo["ID"]))
    app = duo_page(duo["ID"])
    app.text_area(key=key(duo["ID"], "meeting", "summary")).input("Mock interview")
    states = clicked(app, key(duo["ID"], "meeting", "submit"))
    send(app, states)
    assert store.lost == 1 and len(rows_of(workbook, "Meetings", duo["ID"])) == before + 1
    send(app, states)
    assert len(rows_of(workbook, "Meetings", duo["ID"])) == before + 1
