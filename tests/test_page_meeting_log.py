"""The public meeting-log page, end to end, opened with a duo's personal link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import clock
from links import LinkClaims, sign
from services import meeting_links
from services.meeting_links import link_for, revoke
from tests.apptest import ROOT, assert_no_exception, error_under, store_of

SECRET = "a-test-secret-that-is-long-enough"
TODAY = clock.today()


@pytest.fixture(autouse=True)
def fresh_limit() -> Iterator[None]:
    meeting_links.LOG_LIMIT.reset()
    yield
    meeting_links.LOG_LIMIT.reset()


pytestmark = pytest.mark.usefixtures("no_signed_in_user")


def open_log(
    tmp_path: Path, token: str | None, lang: str = "en", secret: str | None = SECRET
) -> AppTest:
    """The page alone, as the navigation runs it for a visitor who is not signed in."""
    entry = tmp_path / "entry.py"
    page = ROOT / "pages" / "meeting_log.py"
    entry.write_text(
        f"import streamlit as st\nst.navigation([st.Page({str(page)!r}, url_path='log')]).run()\n"
    )
    app = AppTest.from_file(str(entry), default_timeout=60)
    app.session_state["lang"] = lang
    if secret:
        app.secrets["links"] = {"secret_key": secret}
    if token is not None:
        app.query_params["t"] = token
    app.run()
    assert_no_exception(app)
    return app


def active_duo(workbook: Path) -> dict[str, Any]:
    """An active duo with meetings, and its people's names and meeting summaries."""
    store = store_of(workbook)
    tables = store.read(["Duos", "Participants", "Meetings"])
    duos, people, meetings = (tables[name].frame for name in ("Duos", "Participants", "Meetings"))
    active = duos[(duos["Status"] == "Active") & duos["ID"].isin(meetings["Duo ID"])]
    duo: dict[str, Any] = {str(k): v for k, v in active.iloc[0].to_dict().items()}
    names = people.set_index("ID")
    duo["mentor"] = names.loc[duo["Mentor ID"], "First name"]
    duo["mentee"] = names.loc[duo["Mentee ID"], "First name"]
    duo["last names"] = [names.loc[duo[c], "Last name"] for c in ("Mentor ID", "Mentee ID")]
    duo["summaries"] = [s for s in meetings[meetings["Duo ID"] == duo["ID"]]["Summary"] if s]
    return duo


def token_for(workbook: Path, duo_id: str, role: str = "mentor") -> str:
    link = link_for(store_of(workbook), duo_id, "https://duo.example.org", SECRET, role)
    return link.split("?t=", 1)[1]


def shown(app: AppTest) -> str:
    parts = [*app.title, *app.subheader, *app.markdown, *app.caption, *app.warning, *app.error]
    parts += [*app.success]
    tables = "\n".join(frame.value.to_string() for frame in app.dataframe)
    return "\n".join(str(element.value) for element in parts) + tables


def assert_refused(app: AppTest, duo: dict[str, Any]) -> None:
    """A polite refusal, and nothing of the duo: no names, no meetings, no form."""
    assert "does not open a meeting log" in shown(app)
    assert not app.dataframe and not app.button and not app.text_area
    text = shown(app)
    for secret in (duo["mentor"], duo["mentee"], duo["ID"], *duo["last names"]):
        assert secret not in text


def meetings(workbook: Path) -> pd.DataFrame:
    return store_of(workbook).table("Meetings").frame


def log(app: AppTest, **fields: Any) -> AppTest:
    values: dict[str, Any] = {"mode": "Video", "topics": ["CV"], "hours": 1.5}
    values["summary"] = "Reworked the CV."
    values |= fields
    app.selectbox(key="log-mode").set_value(values["mode"])
    app.multiselect(key="log-topics").set_value(values["topics"])
    app.number_input(key="log-hours").set_value(values["hours"])
    app.text_area(key="log-summary").set_value(values["summary"])
    if "date" in values:
        app.date_input(key="log-date").set_value(values["date"])
    app.button(key="log-save").click().run()
    assert_no_exception(app)
    return app


def test_a_valid_mentor_link_shows_first_names_and_logs_a_meeting_in_french(
    tmp_path: Path, workbook: Path
) -> None:
    duo = active_duo(workbook)
    app = open_log(tmp_path, token_for(workbook, duo["ID"]), "fr")
    assert app.subheader[0].value == f"Le duo de {duo['mentor']} et {duo['mentee']}"
    recent = app.dataframe[0].value
    assert list(recent.columns) == ["Date", "Heures", "Comment", "Thèmes"]
    assert 1 <= len(recent) <= 5
    assert all(len(day) == 10 and day[2] == "/" for day in recent["Date"])
    text = shown(app)
    assert not any(summary in text for summary in duo["summaries"]), "no summary is shown"
    assert not any(name in text for name in duo["last names"])

    before = len(meetings(workbook))
    log(app, summary="=cmd|' /C calc'!A0")
    rows = meetings(workbook)
    assert len(rows) == before + 1
    new = rows.iloc[-1]
    assert (new["Duo ID"], new["Date"].date(), new["Hours"], new["Mode"]) == (
        duo["ID"],
        TODAY,
        1.5,
        "Video",
    )
    assert (new["Topics"], new["Logged by"]) == (["CV"], "Mentor (link)")
    assert new["Summary"] == "=cmd|' /C calc'!A0"
    assert f"la rencontre du {TODAY:%d/%m/%Y} est notée" in shown(app)
    assert app.dataframe[0].value.iloc[0]["Date"] == f"{TODAY:%d/%m/%Y}"


def test_a_mentee_link_logs_as_the_mentee_in_dutch(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    app = open_log(tmp_path, token_for(workbook, duo["ID"], "mentee"), "nl")
    assert app.subheader[0].value.startswith("De duo van")
    log(app, mode="In person", topics=[], hours=2.0, summary="")
    assert meetings(workbook).iloc[-1]["Logged by"] == "Mentee (link)"


def test_a_tampered_link_is_refused_with_nothing_of_the_duo(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    payload, mac = token_for(workbook, duo["ID"]).split(".")
    flipped = ("B" if mac[0] == "A" else "A") + mac[1:]
    assert_refused(open_log(tmp_path, f"{payload}.{flipped}"), duo)


def test_a_revoked_link_is_refused_and_the_new_one_works(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    old = token_for(workbook, duo["ID"])
    revoke(store_of(workbook), duo["ID"], "admin@example.org")
    assert_refused(open_log(tmp_path, old), duo)
    assert open_log(tmp_path, token_for(workbook, duo["ID"])).dataframe


def test_a_link_for_another_duo_or_person_is_refused(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    version = 1 if pd.isna(duo["Link version"]) else int(duo["Link version"])
    expires = TODAY + dt.timedelta(days=30)
    for claims in (
        LinkClaims("D-NOSUCH", duo["Mentor ID"], version, "mentor", expires),
        LinkClaims(duo["ID"], duo["Mentee ID"], version, "mentor", expires),
    ):
        assert_refused(open_log(tmp_path, sign(claims, SECRET)), duo)


def test_an_expired_link_is_refused(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    version = 1 if pd.isna(duo["Link version"]) else int(duo["Link version"])
    yesterday = TODAY - dt.timedelta(days=1)
    token = sign(LinkClaims(duo["ID"], duo["Mentor ID"], version, "mentor", yesterday), SECRET)
    assert_refused(open_log(tmp_path, token), duo)


def test_a_missing_or_malformed_token_is_refused(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    assert_refused(open_log(tmp_path, None), duo)
    assert_refused(open_log(tmp_path, "not-a-token"), duo)


def test_a_link_revoked_while_the_form_is_open_logs_nothing(tmp_path: Path, workbook: Path) -> None:
    duo = active_duo(workbook)
    app = open_log(tmp_path, token_for(workbook, duo["ID"]))
    before = len(meetings(workbook))
    revoke(store_of(workbook), duo["ID"], "admin@example.org")
    log(app)
    assert "does not open a meeting log" in shown(app)
    assert len(meetings(workbook)) == before


def test_a_meeting_without_a_mode_or_with_an_overlong_summary_is_refused_with_reasons(
    tmp_path: Path, workbook: Path
) -> None:
    """(Dates and hours out of range cannot be picked: the widgets hold the same bounds.)"""
    duo = active_duo(workbook)
    app = open_log(tmp_path, token_for(workbook, duo["ID"]))
    before = len(meetings(workbook))
    log(app, mode=None, summary="x" * 1001)
    assert error_under(app, "log-mode") == "Please choose how you met."
    assert "at most 1000 characters" in error_under(app, "log-summary")
    assert error_under(app, "log-date") == ""
    assert app.text_area(key="log-summary").value == "x" * 1001, "what was typed stays"
    assert len(meetings(workbook)) == before


def test_without_a_key_on_a_real_workbook_links_are_disabled(
    tmp_path: Path, workbook: Path
) -> None:
    duo = active_duo(workbook)
    app = open_log(tmp_path, token_for(workbook, duo["ID"]), secret=None)
    text = shown(app)
    assert "not available at the moment" in text and "[links]" in text
    assert duo["mentor"] not in text and not app.dataframe and not app.button
