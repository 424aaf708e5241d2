"""The public pages work for everyone, on a phone too (issue 9).

axe-core (through `axe-playwright-python`) scans Apply, the meeting log (a valid link) and
sign-in at a phone's and a desktop's size in fr, nl and en: no violation may be "serious" or
"critical" (nor on the confirmations). On a phone the language switch is in the page and keeps
the choices, each session's label shows whole, and a confirmation is in view after sending.

One app process serves the module; each scan opens its own browser context (a new session).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

import clock
from access import hash_password
from i18n import LANGUAGES, t
from services.meeting_links import link_for
from sheets.local import LocalStore
from tests.apptest import BRUSSELS
from tests.browser import (
    Server,
    choose,
    fill,
    main_area,
    open_url,
    pick,
    screenshot,
    start_app,
    stop_app,
    wait_for_app,
)
from tests.test_browser_access import APPLICANTS, fill_application, label_in

LINK_SECRET = "k3Y-for-accessibility-tests-0123456789"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
BLOCKING = {"serious", "critical"}
OFFICE = "Brussels"
TODAY = clock.today()
PAGE_SWITCH = ".st-key-page-language"
"""The language switch at the top of a public page (ui/language.py)."""


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One app process for the module, on its own copy of the demo workbook."""
    folder = tmp_path_factory.mktemp("a11y")
    workbook = folder / "workbook.xlsx"
    shutil.copy(demo_template, workbook)
    secrets = (
        f'[passwords]\n"{BRUSSELS.email}" = "{hash_password("a11y pass phrase")}"\n\n'
        f'[links]\nsecret_key = "{LINK_SECRET}"\n'
    )  # a password: sign-in shows its form
    app = start_app(folder, workbook, secrets)
    yield app
    stop_app(app)


@pytest.fixture(scope="module")
def meeting_link(server: Server) -> str:
    """A valid meeting-log link: the mentor's of an active duo."""
    store = LocalStore(server.workbook)
    duos = store.table("Duos").frame
    duo_id = str(duos[duos["Status"] == "Active"]["ID"].iloc[0])
    return link_for(store, duo_id, server.url, LINK_SECRET)


@pytest.fixture
def phone(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new session in a phone-sized window; its screen kept in test-artifacts/ on failure."""
    failed_before = request.session.testsfailed
    page = new_page(chromium, PHONE, "en-GB")
    yield page
    if request.session.testsfailed > failed_before:
        screenshot(page, f"a11y-failed-{request.node.name}")
    page.context.close()


def new_page(chromium: Browser, size: dict[str, int], locale: str) -> Page:
    context = chromium.new_context(viewport=size, locale=locale)  # type: ignore[arg-type]
    context.set_default_timeout(60_000)
    return context.new_page()


def blocking(results: dict[str, Any]) -> list[str]:
    """The serious and critical violations, one line per element: rule, impact, where, why."""
    return [
        f"{violation['id']} ({violation['impact']}) at {', '.join(map(str, node['target']))}:"
        f" {node.get('failureSummary') or violation['help']} [{node['html'][:120]}]"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def title(page: Page) -> Locator:
    return main_area(page).get_by_role("heading", level=1)


def choose_role_and_office(page: Page, lang: str) -> None:
    """On Apply: a mentee of Brussels, which shows the form and the office's sessions."""
    pick(page, t("apply.role_question", lang), t("apply.role_mentee", lang))
    wait_for_app(page)
    choose(page, t("apply.office_question", lang), label_in(OFFICE, lang))
    wait_for_app(page)


# -- axe-core on the three public pages -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_public_pages_have_no_serious_accessibility_violation(
    server: Server, meeting_link: str, chromium: Browser, lang: str, size: str
) -> None:
    """Apply (its form open), the meeting log of a valid link and sign-in; the document's
    language is the page's. Nothing of Streamlit's is excluded from the scan."""
    page = new_page(chromium, SIZES[size], lang)
    found: dict[str, list[str]] = {}
    try:
        for name, url, heading in (
            ("apply", f"{server.url}/apply?lang={lang}", "apply.title"),
            ("meeting-log", f"{meeting_link}&lang={lang}", "meeting_log.title"),
            ("sign-in", f"{server.url}/?lang={lang}", "signin.title"),
        ):
            open_url(page, url)
            expect(title(page)).to_have_text(t(heading, lang))
            if name == "apply":
                choose_role_and_office(page, lang)
            if name == "sign-in":
                expect(page.get_by_label(t("signin.password", lang), exact=True)).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", lang)
            problems = blocking(Axe().run(page).response)
            if problems:
                screenshot(page, f"a11y-{name}-{lang}-{size}")
                found[name] = problems
    finally:
        page.context.close()
    report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in found.items())
    assert not found, f"serious or critical violations ({lang}, {size}):\n{report}"


# -- on a phone ----------------------------------------------------------------------------------


def page_switch(page: Page) -> Locator:
    switch = main_area(page).locator(PAGE_SWITCH)
    expect(switch).to_be_in_viewport()
    return switch


@pytest.mark.browser
def test_on_a_phone_the_language_switch_is_in_the_page_and_keeps_what_the_form_holds(
    server: Server, meeting_link: str, phone: Page
) -> None:
    open_url(phone, f"{server.url}/apply?lang=en")
    switch = page_switch(phone)
    choose_role_and_office(phone, "en")
    fill(phone, t("apply.field_first_name", "en"), "Amina")
    choose(phone, t("apply.field_languages", "en"), label_in("Dutch", "en"))
    switch.get_by_text("Français", exact=True).click()
    wait_for_app(phone)

    expect(title(phone)).to_have_text(t("apply.title", "fr"))
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    assert "lang=fr" in phone.url, "a reload stays in French"
    first_name = phone.get_by_role("textbox", name=t("apply.field_first_name", "fr"), exact=True)
    expect(first_name).to_have_value("Amina")
    role = phone.get_by_role("radiogroup", name=t("apply.role_question", "fr"), exact=True)
    expect(role.get_by_role("radio", name=t("apply.role_mentee", "fr"))).to_be_checked()
    office = phone.get_by_role("combobox", name=t("apply.office_question", "fr"), exact=True)
    expect(office).to_have_value(label_in(OFFICE, "fr"))
    languages = phone.locator(".st-key-apply-languages")
    expect(languages).not_to_contain_text(label_in("Dutch", "en"))  # never a stale label

    for url, heading in (
        (f"{meeting_link}&lang=en", "meeting_log.title"),
        (f"{server.url}/?lang=en", "signin.title"),
    ):
        open_url(phone, url)
        page_switch(phone).get_by_text("Nederlands", exact=True).click()
        wait_for_app(phone)
        expect(title(phone)).to_have_text(t(heading, "nl"))


CUT_OFF = """label => [label, ...label.querySelectorAll('*')].some(
    (e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1)"""
"""Whether some part of a label is wider than its box (cut, or ending in "…"); the radio's
visually hidden input (1 pixel wide, for screen readers) does not count."""


@pytest.mark.browser
def test_on_a_phone_each_sessions_label_shows_whole(server: Server, phone: Page) -> None:
    open_url(phone, f"{server.url}/apply?lang=nl")
    choose_role_and_office(phone, "nl")
    sessions = phone.get_by_role("radiogroup", name=t("apply.session_question", "nl"), exact=True)
    labels = sessions.locator("label")
    expect(labels.first).to_be_visible()
    texts = [text.strip() for text in labels.all_inner_texts()]
    assert texts[-1] == t("apply.session_not_now", "nl")
    assert len(texts) > 1 and all(" · " in text for text in texts[:-1])
    for label in labels.all():
        cut = label.evaluate(CUT_OFF)
        box = label.bounding_box()
        assert box is not None and not cut and box["x"] + box["width"] <= PHONE["width"], (
            label.inner_text()
        )
    pick(phone, t("apply.session_question", "nl"), texts[0])


def tap_at_the_bottom(page: Page, button: str) -> None:
    """Taps a button as a person on a phone does: scrolled until it just shows, at the
    bottom of the screen (what shows up under it is then out of sight)."""
    found = main_area(page).get_by_role("button", name=button, exact=True)
    found.evaluate("button => button.scrollIntoView({block: 'end'})")
    found.click()
    wait_for_app(page)


@pytest.mark.browser
def test_on_a_phone_the_application_received_is_in_view(server: Server, phone: Page) -> None:
    applicant = replace(APPLICANTS[0], first_name="Amina", tag=".phone")  # French, Brussels
    open_url(phone, f"{server.url}/apply?lang=fr")
    fill_application(phone, applicant)
    sessions = phone.get_by_role("radiogroup", name=t("apply.session_question", "fr"), exact=True)
    pick(phone, t("apply.session_question", "fr"), sessions.locator("label").first.inner_text())
    tap_at_the_bottom(phone, t("apply.send", "fr"))
    thanks = main_area(phone).get_by_text(t("apply.thanks", "fr", name="Amina"))
    expect(thanks).to_be_in_viewport()
    expect(phone.get_by_role("button", name=t("apply.send", "fr"))).to_have_count(0)
    screenshot(phone, "a11y-apply-sent-phone")
    assert blocking(Axe().run(phone).response) == []


@pytest.mark.browser
def test_on_a_phone_the_meeting_logged_is_in_view(meeting_link: str, phone: Page) -> None:
    open_url(phone, f"{meeting_link}&lang=en")
    choose(phone, t("meeting_log.field_mode", "en"), label_in("Video", "en"))
    tap_at_the_bottom(phone, t("meeting_log.save", "en"))
    logged = main_area(phone).get_by_text(
        t("meeting_log.logged", "en", date=TODAY.strftime("%d/%m/%Y"))
    )
    expect(logged).to_be_in_viewport()
    screenshot(phone, "a11y-meeting-logged-phone")
    assert blocking(Axe().run(phone).response) == []
