"""The public self-filled evaluation page, end to end, opened with a mentee's or mentor's link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import clock
from i18n import t
from services import self_evaluations
from services.meeting_links import link_for, revoke
from services.self_evaluations import evaluation_link_for
from tests.apptest import ROOT, assert_no_exception, store_of
from tests.test_forms_once import submit_twice
from ui import once

SECRET = "a-test-secret-that-is-long-enough"
TODAY = clock.today()
THANKS = {"en": "Thank you! Your evaluation", "fr": "Merci ! Votre évaluation", "nl": "Bedankt!"}

pytestmark = pytest.mark.usefixtures("no_signed_in_user")


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    self_evaluations.SEND_LIMIT.reset()
    once.USED.clear()
    yield
    self_evaluations.SEND_LIMIT.reset()
    once.USED.clear()


def open_evaluation(
    tmp_path: Path, token: str | None, lang: str = "en", secret: str | None = SECRET
) -> AppTest:
    """The page alone, as the navigation runs it for a visitor who is not signed in."""
    entry = tmp_path / "entry.py"
    page = ROOT / "pages" / "self_evaluation.py"
    entry.write_text(
        "import streamlit as st\n"
        f"st.navigation([st.Page({str(page)!r}, url_path='evaluation')]).run()\n"
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


def ended_duo(workbook: Path, without: str = "Mentee") -> dict[str, Any]:
    """A Completed duo that `without` has not evaluated, with its people's names."""
    store = store_of(workbook)
    tables = store.read(["Duos", "Participants", "Evaluations"])
    duos, people, evaluations = (tables[n].frame for n in ("Duos", "Participants", "Evaluations"))
    answered = set(evaluations.loc[evaluations["Respondent"] == without, "Duo ID"])
    completed = duos[(duos["Status"] == "Completed") & ~duos["ID"].isin(answered)]
    duo: dict[str, Any] = {str(k): v for k, v in completed.iloc[0].to_dict().items()}
    names = people.set_index("ID")
    duo["mentor"] = names.loc[duo["Mentor ID"], "First name"]
    duo["mentee"] = names.loc[duo["Mentee ID"], "First name"]
    duo["last names"] = [names.loc[duo[c], "Last name"] for c in ("Mentor ID", "Mentee ID")]
    return duo


def token_for(workbook: Path, duo_id: str, role: str = "mentee") -> str:
    link = evaluation_link_for(store_of(workbook), duo_id, "https://x", SECRET, role, today=TODAY)
    return link.split("?t=", 1)[1]


def shown(app: AppTest) -> str:
    parts = [*app.title, *app.subheader, *app.markdown, *app.caption, *app.warning, *app.error]
    parts += [*app.success, *app.info]
    return "\n".join(str(element.value) for element in parts)


def evaluations_of(workbook: Path, duo_id: str) -> pd.DataFrame:
    frame = store_of(workbook).table("Evaluations").frame
    return frame[frame["Duo ID"] == duo_id]


def answer_as_mentee(app: AppTest, **fields: Any) -> AppTest:
    values: dict[str, Any] = {"objectives": "Yes", "satisfaction": 5, "outcome": "Job"}
    values |= {"contract": "Permanent", "autonomy": "Yes", "career-plan": "Partly"}
    values |= {"network": "No", "comments": "Merci pour tout"} | fields
    for field in ("objectives", "satisfaction", "contract", "autonomy", "career-plan", "network"):
        app.radio(key=f"self-evaluation-{field}").set_value(values[field])
    app.selectbox(key="self-evaluation-outcome").set_value(values["outcome"])
    app.text_area(key="self-evaluation-comments").set_value(values["comments"])
    return app


def send(app: AppTest) -> AppTest:
    app.button(key="self-evaluation-send").click().run()
    assert_no_exception(app)
    return app


def assert_refused(app: AppTest, duo: dict[str, Any]) -> None:
    """A polite refusal, and nothing of the duo: no names, no form."""
    assert "does not open an evaluation" in shown(app)
    assert not app.button and not app.text_area and not app.radio
    text = shown(app)
    for secret in (duo["mentor"], duo["mentee"], duo["ID"], *duo["last names"]):
        assert secret not in text


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_a_mentee_sends_their_evaluation_as_one_self_filled_row_in_each_language(
    tmp_path: Path, workbook: Path, lang: str
) -> None:
    duo = ended_duo(workbook)
    app = open_evaluation(tmp_path, token_for(workbook, duo["ID"]), lang)
    assert app.subheader[0].value == t("self_evaluation.hello", lang, **duo)
    assert app.radio(key="self-evaluation-autonomy").label == t("self_evaluation.autonomy", lang)
    assert duo["last names"][0] not in shown(app) and duo["last names"][1] not in shown(app)
    before = len(evaluations_of(workbook, duo["ID"]))
    send(answer_as_mentee(app))
    rows = evaluations_of(workbook, duo["ID"])
    assert len(rows) == before + 1
    new = rows.iloc[-1]
    assert (new["Respondent"], new["Source"], new["Date"].date()) == (
        "Mentee",
        "Self-filled",
        TODAY,
    )
    assert (new["Outcome"], new["Contract"], new["Autonomy"], new["Career plan"]) == (
        "Job",
        "Permanent",
        "Yes",
        "Partly",
    )
    assert (new["Network"], new["Satisfaction"], new["Comments"]) == ("No", 5, "Merci pour tout")
    assert THANKS[lang] in shown(app)
    assert not app.radio, "once it is in, no form: a thank-you"


def test_a_double_tap_on_send_writes_one_evaluation(tmp_path: Path, workbook: Path) -> None:
    duo = ended_duo(workbook)
    app = answer_as_mentee(open_evaluation(tmp_path, token_for(workbook, duo["ID"])))
    before = len(evaluations_of(workbook, duo["ID"]))
    submit_twice(app, "self-evaluation-send")
    assert len(evaluations_of(workbook, duo["ID"])) == before + 1
    assert "Thank you! Your evaluation has been received." in shown(app)


def test_the_link_opened_again_after_sending_thanks_and_offers_no_second_form(
    tmp_path: Path, workbook: Path
) -> None:
    duo = ended_duo(workbook)
    token = token_for(workbook, duo["ID"])
    send(answer_as_mentee(open_evaluation(tmp_path, token)))
    again = open_evaluation(tmp_path, token, "fr")
    assert "votre évaluation nous est déjà parvenue" in shown(again)
    assert f"Reçue le {TODAY:%d/%m/%Y}" in shown(again)
    assert not again.radio and not again.button


def test_a_revoked_link_is_refused_and_the_new_one_works(tmp_path: Path, workbook: Path) -> None:
    duo = ended_duo(workbook)
    old = token_for(workbook, duo["ID"])
    revoke(store_of(workbook), duo["ID"], "admin@example.org")
    assert_refused(open_evaluation(tmp_path, old), duo)
    assert open_evaluation(tmp_path, token_for(workbook, duo["ID"])).radio


def test_a_link_revoked_while_the_form_is_open_writes_nothing(
    tmp_path: Path, workbook: Path
) -> None:
    duo = ended_duo(workbook)
    app = answer_as_mentee(open_evaluation(tmp_path, token_for(workbook, duo["ID"])))
    before = len(evaluations_of(workbook, duo["ID"]))
    revoke(store_of(workbook), duo["ID"], "admin@example.org")
    send(app)
    assert "does not open an evaluation" in shown(app)
    assert len(evaluations_of(workbook, duo["ID"])) == before


def test_a_tampered_link_or_a_meeting_log_link_is_refused(tmp_path: Path, workbook: Path) -> None:
    duo = ended_duo(workbook)
    payload, mac = token_for(workbook, duo["ID"]).split(".")
    flipped = ("B" if mac[0] == "A" else "A") + mac[1:]
    assert_refused(open_evaluation(tmp_path, f"{payload}.{flipped}"), duo)
    assert_refused(open_evaluation(tmp_path, None), duo)
    store = store_of(workbook)
    duos = store.table("Duos").frame
    active = str(duos.loc[duos["Status"] == "Active", "ID"].iloc[0])
    log_token = link_for(store, active, "https://x", SECRET, today=TODAY).split("?t=", 1)[1]
    assert "does not open an evaluation" in shown(open_evaluation(tmp_path, log_token))


def test_a_mentor_is_asked_about_another_mentee_and_not_the_mentees_outcome(
    tmp_path: Path, workbook: Path
) -> None:
    duo = ended_duo(workbook, "Mentor")
    app = open_evaluation(tmp_path, token_for(workbook, duo["ID"], "mentor"), "nl")
    keys = {str(radio.key) for radio in app.radio}
    assert "self-evaluation-another" in keys and "self-evaluation-autonomy" not in keys
    assert not app.selectbox, "no outcome for the mentor"
    app.radio(key="self-evaluation-objectives").set_value("Partly")
    app.radio(key="self-evaluation-satisfaction").set_value(4)
    app.radio(key="self-evaluation-another").set_value("Maybe")
    send(app)
    new = evaluations_of(workbook, duo["ID"]).iloc[-1]
    assert (new["Respondent"], new["Another mentee"], new["Source"]) == (
        "Mentor",
        "Maybe",
        "Self-filled",
    )
    assert THANKS["nl"] in shown(app)


def test_missing_answers_are_named_and_what_was_typed_stays(tmp_path: Path, workbook: Path) -> None:
    duo = ended_duo(workbook)
    app = open_evaluation(tmp_path, token_for(workbook, duo["ID"]))
    before = len(evaluations_of(workbook, duo["ID"]))
    app.text_area(key="self-evaluation-comments").set_value("Half done")
    send(app)
    errors = "\n".join(str(error.value) for error in app.error)
    assert "objectives were met" in errors and "three questions" in errors
    assert app.text_area(key="self-evaluation-comments").value == "Half done"
    assert len(evaluations_of(workbook, duo["ID"])) == before


def test_without_a_key_on_a_real_workbook_the_page_says_links_are_off(
    tmp_path: Path, workbook: Path
) -> None:
    duo = ended_duo(workbook)
    app = open_evaluation(tmp_path, token_for(workbook, duo["ID"]), secret=None)
    assert "not available at the moment" in shown(app)
    assert duo["mentee"] not in shown(app) and not app.radio
