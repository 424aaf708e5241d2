"""A mentee fills their end evaluation from their personal link on a phone, in a real browser.

The phone is 390 × 844 CSS pixels (a common phone), the browser French: the page fits the
width (nothing to scroll sideways), every question is answered by taps, and the workbook
holds one new row, Self-filled, afterwards. And the figure it feeds moves: a coordinator
reads "feel more autonomous" on the Reports page (the last 12 months, which hold the duo's
end), the mentee answers Yes from the link, and the figure is then computed over one more
known answer, with one more Yes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, ViewportSize

import clock
from access import hash_password
from i18n import catalogue, t
from impact import Figure, impact_report
from reports import period_bounds
from services.self_evaluations import evaluation_link_for
from sheets.local import LocalStore
from sheets.values import normalise_key
from tests.browser import (
    Server,
    choose,
    fill,
    go_to,
    open_url,
    pick,
    press,
    screenshot,
    see,
    start_app,
    stop_app,
    wait_for_app,
)
from tests.test_browser_journey import BRUSSELS, PASSWORD, sign_in
from tests.test_browser_journey import LANG as STAFF_LANG
from workflow import cell_date, cell_text, records

LINK_SECRET = "k3Y-for-browser-tests-0123456789"
TODAY = clock.today()
PHONE = ViewportSize(width=390, height=844)
LANG = "fr"


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("self-evaluation")
    workbook = folder / "workbook.xlsx"
    shutil.copy(demo_template, workbook)
    secrets = f'[links]\nsecret_key = "{LINK_SECRET}"\n'
    secrets += f'[passwords]\n"{BRUSSELS.email}" = "{hash_password(PASSWORD)}"\n'
    app = start_app(folder, workbook, secrets)
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


def autonomy(server: Server) -> Figure:
    """The Reports page's "feel more autonomous" for Brussels over the last 12 months."""
    start, end = period_bounds("last_12_months", TODAY)
    tables = LocalStore(server.workbook).read(
        ["Participants", "Duos", "Evaluations", "Follow-ups", "Budgets"]
    )
    frames = {name: table.frame for name, table in tables.items()}
    return impact_report(
        participants=frames["Participants"],
        duos=frames["Duos"],
        evaluations=frames["Evaluations"],
        follow_ups=frames["Follow-ups"],
        budgets=frames["Budgets"],
        start=start,
        end=end,
        today=TODAY,
        offices=("Brussels",),
    ).figures["autonomy"]


def base(figure: Figure) -> str:
    return t(
        "impact.base_rate",
        STAFF_LANG,
        counted=figure.counted,
        known=figure.known,
        over=figure.over,
        unknown=figure.unknown,
    )


def reports_autonomy(page: Page) -> str:
    """The text of the autonomy figure's box on the Reports page, over the last 12 months."""
    go_to(page, t("nav.reports", STAFF_LANG), heading=t("reports_page.title", STAFF_LANG))
    periods = page.locator(".st-key-report-period")
    periods.get_by_text(t("reports_page.period_last_12_months", STAFF_LANG), exact=True).click()
    wait_for_app(page)
    box = page.locator(".st-key-impact-autonomy")
    box.wait_for()
    return box.inner_text()


def unanswered_brussels_duo(server: Server) -> str:
    """A Brussels duo ended in the last 12 months whose mentee has not evaluated it."""
    store = LocalStore(server.workbook)
    frame = store.table("Evaluations").frame
    answered = set(frame.loc[frame["Respondent"] == "Mentee", "Duo ID"])
    start, _ = period_bounds("last_12_months", TODAY)
    return next(
        cell_text(duo, "ID")
        for duo in records(store.table("Duos").frame)
        if cell_text(duo, "Status") == "Completed"
        and cell_text(duo, "Office") == "Brussels"
        and cell_text(duo, "ID") not in answered
        and start <= (cell_date(duo, "Ended on") or dt.date.min) <= TODAY
    )


@pytest.mark.browser
def test_a_mentees_yes_from_their_phone_moves_the_figure_on_the_reports_page(
    server: Server, phone: Page, chromium: Browser
) -> None:
    duo_id = unanswered_brussels_duo(server)
    before = autonomy(server)
    assert before.unknown > 0
    office = chromium.new_context(viewport={"width": 1400, "height": 1000})
    office.set_default_timeout(60_000)
    coordinator = office.new_page()
    try:
        sign_in(coordinator, server, shot="figure-signed-in")
        shown = reports_autonomy(coordinator)
        assert base(before) in shown, shown
        screenshot(coordinator, "figure-before")

        link = evaluation_link_for(LocalStore(server.workbook), duo_id, server.url, LINK_SECRET)
        open_url(phone, server.url)
        open_url(phone, link)
        pick(phone, say("self_evaluation.objectives_met"), label("Yes"))
        pick(phone, say("self_evaluation.satisfaction"), "5")
        choose(phone, say("self_evaluation.outcome"), label("Still searching"))
        pick(phone, say("self_evaluation.autonomy"), label("Yes"))
        pick(phone, say("self_evaluation.career_plan"), label("Yes"))
        pick(phone, say("self_evaluation.network"), label("No"))
        press(phone, say("self_evaluation.send"))
        see(phone, say("self_evaluation.sent"))

        after = autonomy(server)
        assert (after.counted, after.known, after.over, after.unknown) == (
            before.counted + 1,
            before.known + 1,
            before.over,
            before.unknown - 1,
        )
        shown = reports_autonomy(coordinator)
        assert base(after) in shown, shown
        screenshot(coordinator, "figure-after")
    finally:
        office.close()
