"""Messages in a real browser, through a real SMTP server: the Apply form's confirmation with
its info session, the intro invitation with an `.ics` that parses, and the meeting-log link
whose link then opens the meeting log.

`streamlit run` gets `[smtp]` pointing at an aiosmtpd server on a free local port (in this
test's process); what the server received is read back. Screenshots: test-artifacts/mail-*.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser

import clock
from access import hash_password
from sheets.local import LocalStore
from tests.apptest import BRUSSELS
from tests.browser import (
    Server,
    copy_workbook,
    main_area,
    open_url,
    press,
    screenshot,
    see,
    start_app,
    stop_app,
    wait_for_app,
)
from tests.smtp_server import Inbox, Received, SmtpServer, calendar_of, smtp_server, text_of
from tests.test_browser_journey import (
    LANG,
    PASSWORD,
    Applicant,
    apply,
    new_window,
    say,
    shot_on_failure,
    sign_in,
)
from workflow import cell_text, records

__all__ = ["smtp_server"]
pytestmark = pytest.mark.browser
SECRET = "a-browser-test-secret-of-enough-length"
APPLICANT = Applicant(
    "Nadia", "Mailtest", "nadia.mailtest@example.org", clock.today().replace(year=1998)
)


@pytest.fixture
def server(demo_template: Path, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Server]:
    workbook = copy_workbook(demo_template, tmp_path)
    secrets = (
        f'[passwords]\n"{BRUSSELS.email}" = "{hash_password(PASSWORD)}"\n'
        f'[links]\nsecret_key = "{SECRET}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nsecurity = "none"\n'
        'from = "DUO for a JOB <tool@example.org>"\nattempts = 1\n'
    )
    running = start_app(tmp_path, workbook, secrets)
    yield running
    stop_app(running)


def received(inbox: Inbox, count: int, timeout: float = 30) -> list[Received]:
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(inbox.messages) >= count, [m.recipients for m in inbox.messages]
    return inbox.messages[:count]


def duo_in_brussels(workbook: Path, status: str) -> str:
    for duo in records(LocalStore(workbook).table("Duos").frame):
        if cell_text(duo, "Status") == status and cell_text(duo, "Office") == "Brussels":
            return cell_text(duo, "ID")
    raise AssertionError(f"no {status} duo in Brussels")


def test_messages_go_out_through_smtp_and_the_link_opens_the_meeting_log(
    chromium: Browser, server: Server, smtp_server: SmtpServer
) -> None:
    inbox = smtp_server.inbox
    page = new_window(chromium)
    with shot_on_failure(page, server, "mail-failed"):
        session = apply(page, server, APPLICANT)
        assert session is not None
        (confirmation,) = received(inbox, 1)
        assert confirmation.recipients == [APPLICANT.email]
        assert str(confirmation.message["Content-Language"]) == LANG
        assert session[:10] in text_of(confirmation.message)  # the session's date

        sign_in(page, server, "mail-signed-in")
        intro = duo_in_brussels(server.workbook, "Intro planned")
        open_url(page, f"{server.url}/duos?id={intro}")
        see(page, intro)
        press(page, say("outbox.invite_intro"))
        invitations = received(inbox, 4)[1:]
        assert BRUSSELS.email in {each.recipients[0] for each in invitations}
        for each in invitations:
            ics = calendar_of(each.message)
            assert ics is not None
            (event,) = Calendar.from_ical(ics).walk("VEVENT")
            assert str(event["uid"]).startswith(intro)
        screenshot(page, "mail-intro-sent")

        active = duo_in_brussels(server.workbook, "Active")
        open_url(page, f"{server.url}/duos?id={active}")
        see(page, active)
        main_area(page).get_by_text(say("duo_links.title")).click()
        press(page, say("outbox.send_links"))
        links = received(inbox, 6)[4:]
        screenshot(page, "mail-links-sent")

    mentor = new_window(chromium)
    with shot_on_failure(mentor, server, "mail-link-failed"):
        body = text_of(links[0].message)
        link = next(word for word in body.split() if "/log?t=" in word)
        assert link.startswith("http://127.0.0.1:")
        open_url(mentor, link)
        heading = main_area(mentor).get_by_role("heading", level=1, name=say("meeting_log.title"))
        heading.wait_for()
        see(mentor, say("meeting_log.new_meeting"))
        wait_for_app(mentor, rerun=False)
        screenshot(mentor, "mail-meeting-log")
