"""The public self-filled follow-up page, end to end, opened with a mentee's link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import clock
from follow_ups import due_follow_ups
from i18n import t
from services import self_follow_ups
from services.meeting_links import revoke
from services.self_follow_ups import follow_up_link_for
from tests.apptest import ROOT, assert_no_exception, store_of
from tests.test_forms_once import submit_twice
from ui import once
from workflow import by_id, cell_date, cell_text, records

SECRET = "a-test-secret-that-is-long-enough"
TODAY = clock.today()

pytestmark = pytest.mark.usefixtures("no_signed_in_user")


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    self_follow_ups.SEND_LIMIT.reset()
    once.USED.clear()
    yield
    self_follow_ups.SEND_LIMIT.reset()
    once.USED.clear()


def open_follow_up(tmp_path: Path, token: str | None, lang: str = "en") -> AppTest:
    """The page alone, as the navigation runs it for a visitor who is not signed in."""
    entry = tmp_path / "entry.py"
    page = ROOT / "pages" / "self_follow_up.py"
    entry.write_text(
        "import streamlit as st\n"
        f"st.navigation([st.Page({str(page)!r}, url_path='follow-up')]).run()\n"
    )
    app = AppTest.from_file(str(entry), default_timeout=60)
    app.session_state["lang"] = lang
    app.secrets["links"] = {"secret_key": SECRET}
    if token is not None:
        app.query_params["t"] = token
    app.run()
    assert_no_exception(app)
    return app


def due_duo(workbook: Path) -> dict[str, Any]:
    """A duo with a follow-up contact due today, its mentee's names and the contact."""
    tables = store_of(workbook).read(["Duos", "Participants", "Follow-ups"])
    duos, people = tables["Duos"].frame, tables["Participants"].frame
    [*_, item] = due_follow_ups(duos=duos, follow_ups=tables["Follow-ups"].frame, today=TODAY)
    duo = dict(by_id(records(duos))[item.duo_id])
    names = by_id(records(people))
    duo["mentor"] = cell_text(names[duo["Mentor ID"]], "First name")
    duo["mentee"] = cell_text(names[duo["Mentee ID"]], "First name")
    duo["last name"] = cell_text(names[duo["Mentee ID"]], "Last name")
    duo["due"] = item
    return duo


def token_for(workbook: Path, duo_id: str) -> str:
    link = follow_up_link_for(store_of(workbook), duo_id, "https://x", SECRET, today=TODAY)
    return link.split("?t=", 1)[1]


def shown(app: AppTest) -> str:
    parts = [*app.title, *app.subheader, *app.markdown, *app.caption, *app.warning, *app.error]
    parts += [*app.success, *app.info]
    return "\n".join(str(element.value) for element in parts)


def self_filled(workbook: Path, duo_id: str) -> list[dict[str, Any]]:
    rows = records(store_of(workbook).table("Follow-ups").frame)
    return [
        row
        for row in rows
        if cell_text(row, "Duo ID") == duo_id
        and cell_text(row, "Source") == "Self-filled"
        and cell_date(row, "Done on") == TODAY
    ]


def answer(app: AppTest, situation: str = "Job", contract: str | None = "Permanent") -> AppTest:
    app.radio(key="self-follow-up-situation").set_value(situation)
    if contract is not None:
        app.radio(key="self-follow-up-contract").set_value(contract)
    app.text_area(key="self-follow-up-notes").set_value("Merci")
    return app


def send(app: AppTest) -> AppTest:
    app.button(key="self-follow-up-send").click().run()
    assert_no_exception(app)
    return app


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_mentee_answers_their_due_follow_up_as_one_self_filled_row_in_each_language(
    tmp_path: Path, workbook: Path, lang: str
) -> None:
    duo = due_duo(workbook)
    app = open_follow_up(tmp_path, token_for(workbook, duo["ID"]), lang)
    assert app.subheader[0].value == t(
        "self_follow_up.hello", lang, mentor=duo["mentor"], mentee=duo["mentee"]
    )
    assert app.radio(key="self-follow-up-situation").label == t("self_follow_up.situation", lang)
    assert duo["last name"] not in shown(app)
    send(answer(app))
    [row] = self_filled(workbook, duo["ID"])
    assert (row["Situation"], row["Contract"], row["Notes"]) == ("Job", "Permanent", "Merci")
    assert cell_date(row, "Due on") == duo["due"].due_on
    assert t("self_follow_up.sent", lang) in shown(app)


def test_a_double_tap_on_send_writes_one_follow_up(tmp_path: Path, workbook: Path) -> None:
    duo = due_duo(workbook)
    app = answer(open_follow_up(tmp_path, token_for(workbook, duo["ID"])))
    submit_twice(app, "self-follow-up-send")
    assert len(self_filled(workbook, duo["ID"])) == 1
    assert "Thank you! Your answer has been received." in shown(app)


def test_a_job_without_its_contract_is_asked_for_it_and_nothing_is_written(
    tmp_path: Path, workbook: Path
) -> None:
    duo = due_duo(workbook)
    app = send(answer(open_follow_up(tmp_path, token_for(workbook, duo["ID"])), contract=None))
    assert t("follow_ups.contract_required", "en") in shown(app)
    assert not self_filled(workbook, duo["ID"])


def test_a_revoked_link_is_refused_with_nothing_of_the_duo(tmp_path: Path, workbook: Path) -> None:
    duo = due_duo(workbook)
    old = token_for(workbook, duo["ID"])
    revoke(store_of(workbook), duo["ID"], "admin@example.org")
    app = open_follow_up(tmp_path, old)
    assert "does not open a follow-up" in shown(app)
    assert not app.radio and not app.button
    for secret in (duo["mentor"], duo["mentee"], duo["ID"], duo["last name"]):
        assert secret not in shown(app)
    assert open_follow_up(tmp_path, token_for(workbook, duo["ID"])).radio


def test_with_nothing_due_the_link_thanks_and_offers_no_form(
    tmp_path: Path, workbook: Path
) -> None:
    duo = due_duo(workbook)
    token = token_for(workbook, duo["ID"])
    send(answer(open_follow_up(tmp_path, token), "Studies", None))
    again = open_follow_up(tmp_path, token, "nl")
    if again.radio:  # another contact of this duo was due too: answer it as well
        send(answer(again, "Looking", None))
        again = open_follow_up(tmp_path, token, "nl")
    assert t("self_follow_up.nothing_due", "nl") in shown(again)
    assert not again.radio and not again.button
