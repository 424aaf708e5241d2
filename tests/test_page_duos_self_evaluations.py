"""The duo page's evaluation part with self-filled evaluations: what came in, the personal
evaluation links, and the coordinator's form filling only what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import clock
from links import EVALUATION, verify
from services import self_evaluations
from services.duos import cancel_entry
from services.self_evaluations import SelfAnswers, evaluation_link_for, send_evaluation
from tests.apptest import BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_page_duos import a_duo, key, rows_of, send
from workflow import cell_text

SECRET = "a-test-key-of-more-than-16-chars"
LINK_SECRETS = {"links": {"secret_key": SECRET}}
TODAY = clock.today()
MENTEE = SelfAnswers(
    objectives_met="Yes",
    satisfaction=5,
    outcome="Job",
    contract="Permanent",
    autonomy="Yes",
    career_plan="No",
    network="Partly",
)


@pytest.fixture(autouse=True)
def fresh_limit() -> None:
    self_evaluations.SEND_LIMIT.reset()


def completed_duo_with_the_mentees_answers(workbook: Path) -> str:
    """A Completed Brussels duo whose only evaluation is the mentee's, self-filled."""
    store = store_of(workbook)
    duo_id = cell_text(a_duo(workbook, "Completed"), "ID")
    for row in rows_of(workbook, "Evaluations", duo_id):
        if not row.get("Cancelled"):
            cancel_entry(store, BRUSSELS, "Evaluations", row["ID"], "test starts over")
    link = evaluation_link_for(store, duo_id, "https://x", SECRET, "mentee", today=TODAY)
    send_evaluation(store, link.split("?t=", 1)[1], SECRET, MENTEE, TODAY)
    return duo_id


def evaluation_part(duo_id: str, lang: str = "en") -> AppTest:
    app = open_page("duos.py", user=BRUSSELS, lang=lang, query={"id": duo_id}, secrets=LINK_SECRETS)
    assert_no_exception(app)
    return app


def captions(app: AppTest) -> str:
    """The captions' text as read on screen (Markdown escapes taken out)."""
    return "\n".join(str(caption.value) for caption in app.caption).replace("\\", "")


def test_the_duo_page_shows_what_came_in_and_what_is_missing(workbook: Path) -> None:
    duo_id = completed_duo_with_the_mentees_answers(workbook)
    app = evaluation_part(duo_id)
    text = captions(app)
    assert f"Self-filled from their link: Mentee ({TODAY:%d/%m/%Y})." in text
    assert "Still missing: Mentor, Coordinator." in text
    french = captions(evaluation_part(duo_id, "fr"))
    assert f"Remplies via leur lien : Mentoré(e) ({TODAY:%d/%m/%Y})." in french


def test_the_duo_page_offers_each_persons_evaluation_link(workbook: Path) -> None:
    duo_id = completed_duo_with_the_mentees_answers(workbook)
    links = [code.value for code in evaluation_part(duo_id).code]
    assert len(links) == 2 and all("/evaluation?t=" in link for link in links)
    roles = [verify(link.split("t=", 1)[1], SECRET, TODAY, EVALUATION).role for link in links]
    assert roles == ["mentee", "mentor"]


def test_the_coordinators_form_starts_from_what_came_in_and_fills_what_is_missing(
    workbook: Path,
) -> None:
    duo_id = completed_duo_with_the_mentees_answers(workbook)
    app = evaluation_part(duo_id)
    assert "filled in below" in captions(app)
    assert app.radio(key=key(duo_id, "evaluation", "respondent")).value == "Mentor"
    assert app.selectbox(key=key(duo_id, "evaluation", "outcome")).value == "Job"
    assert app.selectbox(key=key(duo_id, "evaluation", "contract")).value == "Permanent"
    assert app.radio(key=key(duo_id, "evaluation", "autonomy")).value == "Yes"
    assert app.radio(key=key(duo_id, "evaluation", "network")).value == "Partly"
    assert app.radio(key=key(duo_id, "evaluation", "another-mentee")).value is None
    app.radio(key=key(duo_id, "evaluation", "respondent")).set_value("Coordinator")
    app.radio(key=key(duo_id, "evaluation", "objectives-met")).set_value("Partly")
    app.radio(key=key(duo_id, "evaluation", "satisfaction")).set_value(4)
    app.radio(key=key(duo_id, "evaluation", "another-mentee")).set_value("Yes")
    send(app, duo_id, "evaluation")
    rows = [row for row in rows_of(workbook, "Evaluations", duo_id) if not row.get("Cancelled")]
    assert [(row["Respondent"], row["Source"]) for row in rows] == [
        ("Mentee", "Self-filled"),
        ("Coordinator", "Coordinator"),
    ]
    mine = rows[-1]
    assert (mine["Outcome"], mine["Contract"], mine["Autonomy"], mine["Career plan"]) == (
        "Job",
        "Permanent",
        "Yes",
        "No",
    )
    assert mine["Another mentee"] == "Yes"
    assert "Still missing: Mentor." in captions(app)
