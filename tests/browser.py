"""Browser tests: Debian's Chromium, driven by Playwright, against `streamlit run`.

The app runs in its own process on a free port, on a copy of the demo workbook, with a
secrets file of the test's making (passwords). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.apptest import ROOT

if TYPE_CHECKING:
    import datetime as dt

    from playwright.sync_api import Browser, BrowserContext, Locator, Page, WebSocket

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    workbook: Path
    process: subprocess.Popen[bytes]
    log: Path


def start_app(folder: Path, workbook: Path, secrets: str) -> Server:
    """`streamlit run app.py` on the workbook, waiting until it answers its health check.

    No file watcher: a source file saved meanwhile (by an editor, another developer) must not
    reload modules under a running test, which can end its session.
    """
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(secrets)
    log = folder / "streamlit.log"
    env = {**os.environ, "DUO_WORKBOOK": str(workbook), "PYTHONUNBUFFERED": "1"}
    env.pop("DUO_SPREADSHEET", None)
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--secrets.files", str(secrets_file),
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a busy 2-core machine starts Python slowly
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return Server(url, workbook, process, log)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}")


def stop_app(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is missing: scripts/test installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def copy_workbook(template: Path, folder: Path) -> Path:
    path = folder / "workbook.xlsx"
    shutil.copy(template, path)
    return path


MAX_SHOT_HEIGHT = 8_000
CONTENT_HEIGHT = """() => Math.max(document.body.scrollHeight, ...Array.from(
    document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]'),
    (element) => element.scrollHeight))"""
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def screenshot(page: Page, name: str) -> None:
    """The whole page as test-artifacts/<name>.png.

    Streamlit scrolls inside its main area, so a "full page" shot would stop at the window:
    the window grows to the content's height for the shot, then gets its size back.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    height = int(page.evaluate(CONTENT_HEIGHT))
    taller = size is not None and height > size["height"]
    if taller and size is not None:
        page.set_viewport_size({"width": size["width"], "height": min(height, MAX_SHOT_HEIGHT)})
        page.evaluate(NEXT_FRAME)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if taller and size is not None:
        page.set_viewport_size(size)


# -- driving Streamlit widgets like a person ----------------------------------------------------
# Streamlit marks its root element with the state of the script run; its own end-to-end tests
# wait on the same attributes. Widgets are found by their accessible names (their labels).

APP = '[data-testid="stApp"]'
WAIT_MS = 60_000
"""How long any one step may take on a loaded machine before the test gives up."""
RUN_START_MS = 1_500
"""How long a click may take to start a script run (a run may also finish within it)."""
OPEN_MS, OPEN_ATTEMPTS, PICK_MS, CLOSE_LIST_MS = 2_000, 3, 5_000, 2_000
"""Select boxes: how long their list may take to open, to offer an option, to close."""


def wait_for_app(page: Page, *, rerun: bool = True) -> None:
    """Until the script run that the last action started has finished.

    A click reaches the server a moment later: first wait (briefly) for the run to start,
    unless `rerun` is False (the caller knows nothing reruns), then for it to end.
    """
    if rerun:  # a timeout here: the run was over before we looked, or nothing reran
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_selector(
                f'{APP}:not([data-test-script-state="notRunning"])', timeout=RUN_START_MS
            )
    page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', timeout=WAIT_MS)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=WAIT_MS)


def open_url(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, rerun=False)


def main_area(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"]')


def sidebar(page: Page) -> Locator:
    return page.locator('[data-testid="stSidebar"]')


def see(page: Page, text: str, *, exact: bool = False, within: Locator | None = None) -> Locator:
    """Waits until `text` shows in the page's main area (or `within`); returns it."""
    found = (within or main_area(page)).get_by_text(text, exact=exact).first
    found.wait_for(timeout=WAIT_MS)
    return found


def go_to(page: Page, title: str, *, heading: str | None = None) -> None:
    """Opens a page through the sidebar's navigation, as a person does (the session stays).

    Waits for `heading`, the page's title (h1), when given; else for `title` to show.
    """
    page.get_by_role("navigation").get_by_role("link", name=title, exact=True).click()
    wait_for_app(page)
    if heading is None:
        see(page, title)
    else:
        main_area(page).get_by_role("heading", level=1, name=heading, exact=True).wait_for()


def fill(page: Page, label: str, text: str, *, within: Locator | None = None) -> None:
    """Types into a text input or text area; leaving it (Tab) hands the value to Streamlit."""
    box = (within or page).get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    box.press("Tab")


def open_list(field: Locator) -> None:
    """Opens the list of a select box from the keyboard (a click on a box that has not the
    focus yet only gives it the focus), checking that it opened."""
    for _ in range(OPEN_ATTEMPTS):
        if field.get_attribute("aria-expanded") == "true":
            return
        field.scroll_into_view_if_needed()  # scrolling closes an open list
        field.focus()
        field.press("ArrowDown")
        with contextlib.suppress(AssertionError):
            expect(field).to_have_attribute("aria-expanded", "true", timeout=OPEN_MS)
    expect(field).to_have_attribute("aria-expanded", "true", timeout=OPEN_MS)


def choose(
    page: Page, label: str, *options: str, within: Locator | None = None, exact: bool = True
) -> None:
    """Picks options of a selectbox or multiselect: types to filter, clicks the option.

    With `exact=False` an option is the first whose text contains the given one. An open
    list hides the rest of the page from the accessibility tree: the box is then found again
    by its id.
    """
    box = (within or page).get_by_role("combobox", name=label, exact=True)
    field = page.locator(f'[id="{box.get_attribute("id")}"]')  # found by id also when hidden
    for option in options:
        for attempt in range(OPEN_ATTEMPTS):  # the list may close again while the page settles
            open_list(field)
            field.press("ControlOrMeta+a")
            field.press_sequentially(option)  # filters the list: a long one shows only some
            wanted = page.get_by_role("option", name=option, exact=exact).first
            try:
                wanted.click(timeout=PICK_MS)
                break
            except PlaywrightTimeout:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
    # A multiselect keeps its list open (outside a form, a rerun may replace it meanwhile).
    opened = page.locator('input[role="combobox"][aria-expanded="true"]')
    if opened.count():
        with contextlib.suppress(PlaywrightTimeout):
            opened.press("Escape", timeout=CLOSE_LIST_MS)


def choose_first(page: Page, label: str, *, within: Locator | None = None) -> str:
    """Picks the first option a selectbox offers; returns its text."""
    box = (within or page).get_by_role("combobox", name=label, exact=True)
    open_list(page.locator(f'[id="{box.get_attribute("id")}"]'))
    option = page.get_by_role("option").first
    text = option.inner_text().strip()
    option.click()
    return text


def tick(page: Page, label: str, *, within: Locator | None = None) -> None:
    """Ticks a checkbox (by clicking its label, the visible part of a Streamlit checkbox)."""
    box = (within or page).get_by_role("checkbox", name=label, exact=True)
    if not box.is_checked():
        box.locator("xpath=ancestor::label[1]").click()
    assert box.is_checked(), label


def pick(page: Page, group: str, option: str, *, within: Locator | None = None) -> None:
    """Chooses an option of a radio group (by clicking its label)."""
    radios = (within or page).get_by_role("radiogroup", name=group, exact=True)
    radio = radios.get_by_role("radio", name=option, exact=True)
    radio.locator("xpath=ancestor::label[1]").click()
    assert radio.is_checked(), f"{group}: {option}"


def type_date(page: Page, label: str, day: dt.date, *, within: Locator | None = None) -> None:
    """Types a date into a date input (day, month and year fields, dd/mm/yyyy)."""
    scope = within or page
    for part, value in (("day", f"{day.day:02d}"), ("month", f"{day.month:02d}")):
        scope.get_by_role("spinbutton", name=f"{part}, {label}", exact=True).fill(value)
    scope.get_by_role("spinbutton", name=f"year, {label}", exact=True).fill(str(day.year))


def press(page: Page, name: str, *, within: Locator | None = None) -> None:
    """Clicks a button by its text and waits for the run it starts."""
    (within or page).get_by_role("button", name=name, exact=True).click()
    wait_for_app(page)


def expect_success(page: Page, text: str | re.Pattern[str]) -> None:
    """Waits for a success message containing `text`; an error shown instead fails at once."""
    main = main_area(page)
    success = main.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=text)
    error = main.locator('[data-testid="stAlertContentError"]')
    success.or_(error).first.wait_for(timeout=WAIT_MS)
    if not success.count():
        raise AssertionError(f"expected {text!r}, the page says: {error.first.inner_text()}")
    wait_for_app(page, rerun=False)  # the message comes first: the page is still being drawn


ROW_PIXELS = 35
"""The height of a row (and of the header) in `st.dataframe`'s grid."""


def select_row(page: Page, grid: Locator, index: int = 0) -> None:
    """Clicks a row's selection box in an `st.dataframe` (a canvas: by position)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None, "the table is not on screen"
    middle = box["y"] + ROW_PIXELS * (index + 1) + ROW_PIXELS / 2
    page.mouse.click(box["x"] + ROW_PIXELS / 2, middle)
    wait_for_app(page)


# -- what reaches the browser; URLs inside a session (tests/test_browser_access.py) -------------


class Received:
    """Every websocket message the server sent a page since the last `clear()`.

    What a visitor may not see must not even reach their browser: a check on these bytes
    also catches what is sent but not (or not yet) shown. Streamlit's messages are protobuf,
    whose strings are plain UTF-8.
    """

    def __init__(self, page: Page) -> None:
        self.messages: list[bytes] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._keep)

    def _keep(self, payload: str | bytes) -> None:
        self.messages.append(payload.encode() if isinstance(payload, str) else payload)

    def clear(self) -> None:
        self.messages.clear()

    def found(self, words: Iterable[str]) -> list[str]:
        """The words that occur in some message (empty words are ignored)."""
        return [
            word
            for word in words
            if word and any(word.encode() in message for message in self.messages)
        ]


RECORD_SHOWN = """
window.__shownText = [];
window.__shownHeadings = [];
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      if (node.textContent) window.__shownText.push(node.textContent);
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const headings = node.matches('h1') ? [node] : [...node.querySelectorAll('h1')];
      for (const h of headings) window.__shownHeadings.push(h.textContent.trim());
    }
    if (change.type === 'characterData') window.__shownText.push(change.target.data);
  }
}).observe(document, {childList: true, characterData: true, subtree: true});
"""


def record_everything_shown(context: BrowserContext) -> None:
    """From now on, pages of `context` keep every text and h1 they ever show, even briefly."""
    context.add_init_script(RECORD_SHOWN)


def text_ever_shown(page: Page) -> str:
    return "\n".join(page.evaluate("window.__shownText"))


def headings_ever_shown(page: Page) -> list[str]:
    return list(page.evaluate("window.__shownHeadings"))


def open_in_session(page: Page, path: str) -> None:
    """Opens `path` (e.g. "/duos?id=D-ABC123") in the page's current Streamlit session.

    Typing a URL reloads the page, which starts a new session (signed out, with passwords);
    inside a session a URL is reached by a link or by the browser's back and forward buttons,
    which is what this does: change the address, then tell the app as "back" does.
    """
    page.evaluate(
        "path => { history.pushState(null, '', path);"
        " window.dispatchEvent(new PopStateEvent('popstate')); }",
        path,
    )
    wait_for_app(page)


def sign_in_with_password(page: Page, base_url: str, email: str, password: str) -> None:
    """Opens the sign-in page (in English) and sends the password form."""
    open_url(page, f"{base_url}/?lang=en")
    page.get_by_role("textbox", name="E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_app(page)


def navigation_titles(page: Page) -> list[str]:
    """The titles of the pages the sidebar's navigation offers, in order."""
    links = page.locator('[data-testid="stSidebarNavLink"] span[label]')
    return [str(link.get_attribute("label")) for link in links.all()]
