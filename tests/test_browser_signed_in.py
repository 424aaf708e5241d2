"""Staying signed in, in a real browser: the session cookie across reloads, tabs and deep links.

A password sign-in gives the browser a signed, expiring `duo_session` cookie (app.py). A reload
or a new tab of the same browser starts a new Streamlit session that finds the cookie and is
signed in at once, on the page its address names; a browser without the cookie is asked to
sign in first and then lands on that page. The AppTest side of the same rules is in
tests/test_stay_signed_in.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from access import SESSION_COOKIE
from i18n import t
from sheets.local import LocalStore
from tests.apptest import BRUSSELS
from tests.browser import (
    WAIT_MS,
    Server,
    main_area,
    open_url,
    screenshot,
    see,
    sidebar,
    sign_in_with_password,
    stop_app,
    wait_for_app,
)
from tests.test_browser_access import PASSWORD, start_on_copy

COOKIE_WAIT_SECONDS = 30


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    app = start_on_copy(demo_template, tmp_path_factory.mktemp("signed-in"))
    yield app
    stop_app(app)


@pytest.fixture(scope="module")
def brussels_records(demo_template: Path) -> tuple[str, str, str]:
    """An active Brussels duo's ID, its mentee's ID and the mentee's name."""
    tables = LocalStore(demo_template).read(["Duos", "Participants"])
    duos, people = tables["Duos"].frame, tables["Participants"].frame
    duo = duos[(duos["Office"] == "Brussels") & (duos["Status"] == "Active")].iloc[0]
    mentee = people[people["ID"] == duo["Mentee ID"]].iloc[0]
    name = f"{mentee['First name']} {mentee['Last name']}"
    return str(duo["ID"]), str(duo["Mentee ID"]), name


def new_context(chromium: Browser) -> BrowserContext:
    context = chromium.new_context(viewport={"width": 1400, "height": 1800}, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    return context


def session_cookie(context: BrowserContext) -> str:
    """The session cookie's value once the page's script has set it ("" if it never does)."""
    deadline = time.monotonic() + COOKIE_WAIT_SECONDS
    while time.monotonic() < deadline:
        for cookie in context.cookies():
            if cookie.get("name") == SESSION_COOKIE and cookie.get("value"):
                return str(cookie["value"])
        time.sleep(0.2)
    return ""


def assert_signed_in(page: Page) -> None:
    see(page, t("signin.signed_in_as", "en", name=BRUSSELS.name), within=sidebar(page))
    expect(page.get_by_role("button", name=t("signin.submit", "en"), exact=True)).to_have_count(0)


def assert_duo_page(page: Page, duo_id: str) -> None:
    """The one-duo view of `duo_id`: its Back button and its ID under the names."""
    main_area(page).get_by_role("button", name=t("duos.back", "en")).wait_for()
    see(page, duo_id, exact=True)


def assert_person_page(page: Page, name: str) -> None:
    main_area(page).get_by_role("heading", name=name).first.wait_for()


@pytest.mark.browser
def test_a_signed_in_person_stays_signed_in_across_a_reload_and_a_new_tab(
    server: Server, chromium: Browser, brussels_records: tuple[str, str, str]
) -> None:
    duo_id, person_id, name = brussels_records
    context = new_context(chromium)
    try:
        page = context.new_page()
        sign_in_with_password(page, server.url, BRUSSELS.email, PASSWORD)
        assert_signed_in(page)
        assert session_cookie(context), "the page gives the browser its session cookie"

        page.reload()
        wait_for_app(page, rerun=False)
        assert_signed_in(page)
        screenshot(page, "signed-in-after-reload")

        tab = context.new_page()
        open_url(tab, f"{server.url}/duos?id={duo_id}")
        assert_signed_in(tab)
        assert_duo_page(tab, duo_id)
        screenshot(tab, "signed-in-new-tab-duo")

        other = context.new_page()
        open_url(other, f"{server.url}/participants?id={person_id}")
        assert_signed_in(other)
        assert_person_page(other, name)
    finally:
        context.close()


@pytest.mark.browser
def test_a_browser_without_the_cookie_signs_in_first_and_lands_on_the_deep_link(
    server: Server, chromium: Browser, brussels_records: tuple[str, str, str]
) -> None:
    duo_id, _, _ = brussels_records
    context = new_context(chromium)
    try:
        page = context.new_page()
        open_url(page, f"{server.url}/duos?id={duo_id}")
        see(page, t("signin.title", "en"))
        email = page.get_by_role("textbox", name="E-mail", exact=True)
        email.wait_for()
        wait_for_app(page, rerun=False)
        assert main_area(page).get_by_role("button", name=t("duos.back", "en")).count() == 0
        assert session_cookie_now(context) == ""
        email.fill(BRUSSELS.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name=t("signin.submit", "en"), exact=True).click()
        wait_for_app(page)
        assert_signed_in(page)
        assert_duo_page(page, duo_id)
        screenshot(page, "signed-in-deep-link-after-sign-in")
    finally:
        context.close()


def session_cookie_now(context: BrowserContext) -> str:
    return next(
        (str(c.get("value", "")) for c in context.cookies() if c.get("name") == SESSION_COOKIE),
        "",
    )
