"""A mentee fills their end evaluation from their personal link on a phone, in a real browser.

The phone is 390 × 844 CSS pixels (a common phone), the browser French: the page fits the
width (nothing to scroll sideways), every question is answered by taps, and the workbook
holds one new row, Self-filled, afterwards.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, ViewportSize

import clock
from i18n import catalogue, t
from services.self_evaluations import evaluation_link_for
from sheets.local import LocalStore
from sheets.values import normalise_key
from tests.browser import (
    Server,
    choose,
    fill,
    open_url,
    pick,
    press,
    screenshot,
    see,
    start_app,
    stop_app,
)

LINK_SECRET = "k3Y-for-browser-tests-0123456789"
TODAY = clock.today()
PHONE = ViewportSize(width=390, height=844)
LANG = "fr"


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("self-evaluation")
    workbook = folder / "workbook.xlsx"
    shutil.copy(demo_template, workbook)
    app = start_app(folder, workbook, f'[links]\nsecret_key = "{LINK_SECRET}"\n')
    yield app
    stop_app(app)


@pytest.fixture
def phone(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized browser context in French (its own Streamlit session)."""
    context = chromium.new_context(
        viewport=PHONE, locale="fr-BE", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(60_000)
    failed_before = request.session.testsfailed
    opened = context.new_page()
    yield opened
    if request.session.testsfailed > failed_before:
        screenshot(opened, f"self-evaluation-failed-{request.node.name}")
    context.close()


def label(value: str) -> str:
    key = f"values.{normalise_key(value)}"
    return t(key, LANG) if key in catalogue() else value


def evaluations(server: Server) -> pd.DataFrame:
    return LocalStore(server.workbook).table("Evaluations").frame


def say(key: str) -> str:
    return t(key, LANG)


@pytest.mark.browser
def test_a_mentee_fills_their_evaluation_from_their_link_on_a_phone(
    server: Server, phone: Page
) -> None:
    store = LocalStore(server.workbook)
    duos = store.table("Duos").frame
    before = evaluations(server)
    answered = set(before.loc[before["Respondent"] == "Mentee", "Duo ID"])
    duo_id = str(
        duos.loc[(duos["Status"] == "Completed") & ~duos["ID"].isin(answered)].iloc[0]["ID"]
    )
    link = evaluation_link_for(store, duo_id, server.url, LINK_SECRET, "mentee")

    # The very first page of a fresh server process is found by Streamlit's `pages/` folder
    # mode (a "page not found" dialog over a hidden page's URL): warm the process up first.
    open_url(phone, server.url)
    open_url(phone, link)
    see(phone, say("self_evaluation.intro_mentee"))
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing to scroll sideways on a phone"
    screenshot(phone, "self-evaluation-phone-form")

    pick(phone, say("self_evaluation.objectives_met"), label("Partly"))
    pick(phone, say("self_evaluation.satisfaction"), "4")
    choose(phone, say("self_evaluation.outcome"), label("Job"))
    pick(phone, say("self_evaluation.contract"), label("3 months or more"))
    pick(phone, say("self_evaluation.autonomy"), label("Yes"))
    pick(phone, say("self_evaluation.career_plan"), label("Partly"))
    pick(phone, say("self_evaluation.network"), label("Yes"))
    fill(phone, say("self_evaluation.comments"), "Merci à mon mentor !")
    press(phone, say("self_evaluation.send"))
    see(phone, say("self_evaluation.sent"))
    screenshot(phone, "self-evaluation-phone-sent")

    after = evaluations(server)
    assert len(after) == len(before) + 1
    row = after[after["Duo ID"] == duo_id].iloc[-1]
    assert (row["Respondent"], row["Source"], row["Date"].date()) == (
        "Mentee",
        "Self-filled",
        TODAY,
    )
    assert (row["Objectives met"], row["Satisfaction"], row["Outcome"], row["Contract"]) == (
        "Partly",
        4,
        "Job",
        "3 months or more",
    )
    assert (row["Autonomy"], row["Career plan"], row["Network"]) == ("Yes", "Partly", "Yes")
    assert row["Comments"] == "Merci à mon mentor !"

    open_url(phone, link)
    see(phone, say("self_evaluation.already_answered"))
    assert phone.get_by_role("button", name=say("self_evaluation.send")).count() == 0
    assert len(evaluations(server)) == len(before) + 1
