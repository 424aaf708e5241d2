"""A coordinator's journey in a real browser, from the public Apply form to the end evaluation.

One applicant goes through the programme's steps on `streamlit run`, driven in Chromium the way
people use the app: the applicant fills the Apply form signed out; the Brussels coordinator signs
in with a password, marks the information session, completes the intake, proposes a duo on the
matching page and takes it from the first meeting to the evaluation. On the way the coordinator
corrects what went wrong: the applicant applied twice (the two rows are merged), cannot come to
the info session chosen (the registration moves to the next one), and a meeting is logged twice
(the duplicate is cancelled). After every step a fresh store reads the workbook back to check
what landed there. Screenshots of every page visited go to
test-artifacts/journey-*.png. A second test checks that a session just planned stays open
after the next click.

Texts on screen come from the message catalogues (`say`, `label`), so a reworded message does not
break the test, and a missing key does at once.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

import clock
import phones
import tests.browser as harness
from access import hash_password
from attention import in_force
from i18n import catalogue, t
from services.duos import is_cancelled
from sheets.local import LocalStore
from sheets.values import normalise_key
from tests.apptest import BRUSSELS
from tests.browser import (
    Server,
    choose,
    choose_first,
    copy_workbook,
    expect_success,
    fill,
    go_to,
    main_area,
    open_url,
    pick,
    press,
    screenshot,
    see,
    select_row,
    sidebar,
    start_app,
    stop_app,
    tick,
    type_date,
    wait_for_app,
)

"""The session's browser (the fixture of tests/browser.py)."""

LANG = "en"
PASSWORD = "a long journey starts with one form"
OFFICE = "Brussels"
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
PHONE = "0470 12 34 56"
"""Given only on the second application: the merge brings it to the first row."""


@dataclass(frozen=True)
class Applicant:
    first_name: str
    last_name: str
    email: str
    birth_date: dt.date
    languages: tuple[str, ...] = ("French", "English", "Dutch")
    sectors: tuple[str, ...] = ("ICT",)
    topics: tuple[str, ...] = ("CV", "Network")
    slots: tuple[str, ...] = ("Mon EVE", "Thu EVE", "Fri EVE", "Sat AM")
    """Broad enough for the demo's free Brussels mentors to be suggested."""
    phone: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def say(key: str, /, **params: Any) -> str:
    """A message as the app shows it in LANG."""
    assert key in catalogue(), f"no message {key!r} in the catalogues"
    return t(key, LANG, **params)


def label(value: str) -> str:
    """A stored value (status, role, slot ...) as the app shows it in LANG."""
    key = f"values.{normalise_key(value)}"
    return t(key, LANG) if key in catalogue() else value


def say_any(key: str, /) -> re.Pattern[str]:
    """A message in LANG, whatever the values of its placeholders."""
    pieces = re.split(r"\{\w+\}", say(key))
    return re.compile(".*?".join(re.escape(piece) for piece in pieces))


def shown(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# -- the workbook, read back by a store of its own ------------------------------------------------


def tab(workbook: Path, name: str) -> pd.DataFrame:
    return LocalStore(workbook).read([name])[name].frame


def rows(workbook: Path, name: str, column: str, value: str) -> list[dict[str, Any]]:
    frame = tab(workbook, name)
    return [dict(row) for _, row in frame[frame[column] == value].iterrows()]


def one_row(workbook: Path, name: str, column: str, value: str) -> dict[str, Any]:
    found = rows(workbook, name, column, value)
    assert len(found) == 1, f"{name}: {len(found)} rows with {column} = {value!r}"
    return found[0]


def once_written(
    read: Callable[[], list[dict[str, Any]]], done: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """What `read` finds once `done` holds (or at the end of the wait, for the assertion).

    The success message of a form can still be the one of its previous send when the next
    send's run has not started yet (a busy machine): the workbook itself says when it landed.
    """
    deadline = time.monotonic() + harness.WAIT_MS / 1000
    found = read()
    while not done(found) and time.monotonic() < deadline:
        time.sleep(0.5)
        found = read()
    return found


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip()


def day_of(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def six_months_after(day: dt.date) -> dt.date:
    return (pd.Timestamp(day) + pd.DateOffset(months=6)).date()


# -- the server and the two browser windows --------------------------------------------------------


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[Server]:
    """`streamlit run` on a copy of the demo workbook; the Brussels coordinator has a password."""
    workbook = copy_workbook(demo_template, tmp_path)
    secrets = f'[passwords]\n"{BRUSSELS.email}" = "{hash_password(PASSWORD)}"\n'
    running = start_app(tmp_path, workbook, secrets)
    yield running
    stop_app(running)


def new_window(browser: Browser) -> Page:
    """A browser window of its own (its own Streamlit session), patient on a loaded machine."""
    page = browser.new_context(viewport=VIEWPORT, locale="en-US").new_page()
    page.set_default_timeout(harness.WAIT_MS)
    return page


@contextmanager
def shot_on_failure(page: Page, server: Server, name: str) -> Iterator[None]:
    """On a failure: a screenshot of where it happened, and the end of the server's log."""
    try:
        yield
    except BaseException as error:
        screenshot(page, name)
        log = server.log.read_text(errors="replace")[-3000:]
        error.add_note(f"screenshot: test-artifacts/{name}.png\nstreamlit log:\n{log}")
        raise


# -- step 1: the application -----------------------------------------------------------------------


def apply(page: Page, server: Server, applicant: Applicant, *, again: bool = False) -> str | None:
    """Fills and sends the Apply form signed out; returns the info session chosen, if any.

    `again`: the same person applies a second time (with a phone number given this time, no
    info session chosen), as people do who forgot they had already applied.
    """
    shots = "journey-02b-apply-again" if again else "journey-01-apply-form"
    open_url(page, f"{server.url}/apply?lang={LANG}")
    main_area(page).get_by_role("heading", level=1, name=say("apply.title")).wait_for()
    pick(page, say("apply.role_question"), say("apply.role_mentee"))
    wait_for_app(page)
    choose(page, say("apply.office_question"), label(OFFICE))
    wait_for_app(page)
    see(page, say("apply.section_session"))
    fill(page, say("apply.field_first_name"), applicant.first_name)
    fill(page, say("apply.field_last_name"), applicant.last_name)
    fill(page, say("apply.field_email"), applicant.email)
    type_date(page, say("apply.field_birth_date"), applicant.birth_date)
    if applicant.phone:
        fill(page, say("apply.field_phone"), applicant.phone)
    choose(page, say("apply.field_languages"), *map(label, applicant.languages))
    choose(page, say("apply.field_sectors_mentee"), *map(label, applicant.sectors))
    choose(page, say("apply.field_topics_mentee"), *map(label, applicant.topics))
    for slot in applicant.slots:
        tick(page, label(slot))
    session = None
    sessions = page.get_by_role("radiogroup", name=say("apply.session_question"), exact=True)
    if not again and sessions.count():
        session = sessions.locator("label").first.inner_text().strip()
        pick(page, say("apply.session_question"), session)
    tick(page, say("apply.consent"))
    screenshot(page, shots)
    press(page, say("apply.send"))
    see(page, say("apply.thanks", name=applicant.first_name))
    if not again:
        screenshot(page, "journey-02-apply-sent")
    return session


def check_application(page: Page, workbook: Path, applicant: Applicant, session: str | None) -> str:
    """The new Participants row (and its registration); returns the participant's ID."""
    person = one_row(workbook, "Participants", "Email", applicant.email)
    assert (person["Role"], person["Status"], person["Office"]) == ("Mentee", "Applied", OFFICE)
    assert (person["First name"], person["Last name"]) == (
        applicant.first_name,
        applicant.last_name,
    )
    assert day_of(person["Birth date"]) == applicant.birth_date
    assert list(person["Languages"]) == list(applicant.languages)
    assert list(person["Availability"]) == list(applicant.slots)
    assert person["Source"] == "Website form"
    assert day_of(person["Consent on"]) == clock.today()
    see(page, person["ID"])  # the reference the applicant is told is the row's ID
    registrations = rows(workbook, "Attendance", "Participant ID", person["ID"])
    if session is None:
        assert registrations == []
    else:
        assert [row["Status"] for row in registrations] == ["Registered"]
        chosen = one_row(workbook, "Sessions", "ID", registrations[0]["Session ID"])
        on = day_of(chosen["Date"])
        assert on is not None and on >= clock.today() and session.startswith(shown(on))
        assert (chosen["Office"], chosen["Kind"]) == (OFFICE, "Info session")
    return str(person["ID"])


def check_second_application(workbook: Path, applicant: Applicant, first_id: str) -> str:
    """The second row of the same person (flagged as a possible duplicate); returns its ID."""
    found = once_written(
        lambda: rows(workbook, "Participants", "Email", applicant.email),
        lambda found: len(found) == 2,
    )
    others = [row for row in found if row["ID"] != first_id]
    assert len(found) == 2 and len(others) == 1, found
    other = others[0]
    assert (other["Role"], other["Status"], other["Office"]) == ("Mentee", "Applied", OFFICE)
    assert other["Phone"] == phones.normalise(applicant.phone)
    assert first_id in str(other["Notes"]), other["Notes"]  # told to the coordinator
    assert rows(workbook, "Attendance", "Participant ID", other["ID"]) == []
    assert blank(one_row(workbook, "Participants", "ID", first_id)["Phone"])
    return str(other["ID"])


# -- step 2: signing in, merging the two applications, the information session --------------------


def sign_in(page: Page, server: Server, shot: str = "journey-03-signed-in") -> None:
    open_url(page, f"{server.url}/?lang={LANG}")
    fill(page, say("signin.email"), BRUSSELS.email)
    fill(page, say("signin.password"), PASSWORD)
    press(page, say("signin.submit"))
    see(page, say("signin.signed_in_as", name=BRUSSELS.name), within=sidebar(page))
    main_area(page).get_by_role("heading", level=1, name=say("nav.today")).wait_for()
    screenshot(page, shot)


def merge_applications(page: Page, applicant: Applicant, keep_id: str, other_id: str) -> None:
    """On the first row's record: "Merge with…" the second row."""
    go_to(page, say("nav.participants"), heading=say("participants.title"))
    choose(page, say("participants.open"), keep_id, exact=False)
    wait_for_app(page)
    record = f"{applicant.name} · {keep_id}"
    main_area(page).get_by_role("heading", name=record, exact=True).wait_for()
    page.get_by_role("tab", name=say("participants.tab_status"), exact=True).click()
    merge = (
        main_area(page)
        .get_by_test_id("stExpander")
        .filter(has_text=say("participants.merge_title"))
    )
    merge.locator("summary").click()
    form = merge.get_by_test_id("stForm")
    choose(page, say("participants.merge_with"), other_id, exact=False, within=form)
    tick(page, say("participants.merge_confirm"), within=form)
    screenshot(page, "journey-03b-merge")
    press(page, say("participants.merge_go"), within=form)
    expect_success(page, say("workflow.merged", other=other_id, person=applicant.name, id=keep_id))


def check_merged(workbook: Path, applicant: Applicant, keep_id: str, other_id: str) -> None:
    """The kept row has the phone only the other gave; the other is Withdrawn, noted merged."""
    gone = once_written(
        lambda: rows(workbook, "Participants", "ID", other_id),
        lambda found: [row["Status"] for row in found] == ["Withdrawn"],
    )
    assert [row["Status"] for row in gone] == ["Withdrawn"], gone
    assert f"merged into {keep_id}" in str(gone[0]["Notes"]), gone[0]["Notes"]
    kept = one_row(workbook, "Participants", "ID", keep_id)
    assert (kept["Status"], kept["Email"]) == ("Applied", applicant.email)
    assert (kept["First name"], kept["Last name"]) == (applicant.first_name, applicant.last_name)
    assert kept["Phone"] == phones.normalise(applicant.phone)


def registered_session(workbook: Path, person_id: str) -> dict[str, Any] | None:
    """The info session the applicant registered for on the Apply form, if any."""
    registrations = rows(workbook, "Attendance", "Participant ID", person_id)
    if not registrations:
        return None
    return one_row(workbook, "Sessions", "ID", registrations[0]["Session ID"])


def open_session(page: Page, session_id: str) -> None:
    choose(page, say("sessions.open"), session_id, exact=False)
    wait_for_app(page)
    page.wait_for_url(re.compile(f"[?&]id={session_id}"))
    see(page, say("sessions.attendance"))


def plan_session_today(page: Page) -> str:
    """Plans an info session today at the office; returns its ID (the page opens it)."""
    main_area(page).get_by_text(say("sessions.plan"), exact=True).click()
    form = page.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name=say("sessions.plan_submit"))
    )
    choose(page, say("sessions.kind"), label("Info session"), within=form)
    type_date(page, say("sessions.date"), clock.today(), within=form)
    choose(page, say("sessions.office"), label(OFFICE), within=form)
    choose(page, say("sessions.language"), label("English"), within=form)
    press(page, say("sessions.plan_submit"), within=form)
    expect_success(
        page, say("sessions.planned", kind=label("Info session"), date=shown(clock.today()))
    )
    return parse_qs(urlparse(page.url).query)["id"][0]


def register(page: Page, applicant: Applicant) -> None:
    person = f"{applicant.name} · {label('Mentee')} · {label('Applied')}"
    choose(page, say("sessions.people"), person)
    press(page, say("sessions.register_submit"))
    expect_success(page, say("sessions.registered", count=1))


def move_registration(page: Page, applicant: Applicant) -> str:
    """On the session open: moves the applicant's registration to the first session offered
    (the soonest other one); returns that session's ID."""
    form = page.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name=say("sessions.move_submit"))
    )
    choose(page, say("sessions.manage_person"), applicant.name, within=form)
    target = choose_first(page, say("sessions.move_to"), within=form).rsplit(" · ", 1)[-1]
    screenshot(page, "journey-04-session-move")
    press(page, say("sessions.move_submit"), within=form)
    expect_success(page, say("sessions.moved", person=applicant.name))
    return target


def check_moved(workbook: Path, person_id: str, from_session: str, to_session: str) -> None:
    """The old registration stays, Cancelled; the new one is Registered."""
    wanted = {from_session: "Cancelled", to_session: "Registered"}

    def statuses(found: list[dict[str, Any]]) -> dict[str, str]:
        return {row["Session ID"]: row["Status"] for row in found}

    found = once_written(
        lambda: rows(workbook, "Attendance", "Participant ID", person_id),
        lambda found: statuses(found) == wanted,
    )
    assert len(found) == 2 and statuses(found) == wanted, found


def mark_attended(page: Page, applicant: Applicant, *, alone: bool) -> None:
    """Ticks the applicant as present; the others registered (unless `alone`) count absent."""
    marked = say("sessions.marked", status=label("Registered"))
    line = f"{applicant.name} · {label('Mentee')} · {label('Applied')} · {marked}"
    tick(page, line)
    press(page, say("sessions.attendance_submit"))
    if alone:
        expect_success(page, say("sessions.attendance_saved", attended=1, absent=0, moved=1))
    else:
        expect_success(page, say_any("sessions.attendance_saved"))


def information_session(page: Page, workbook: Path, applicant: Applicant, person_id: str) -> str:
    """Marks the applicant present at an info session held today; returns that session's ID.

    Attendance is marked from the session's day on: when the applicant chose a later session,
    the page says so; the applicant's registration there moves to the next session (they
    cannot come that day), and the coordinator plans a session today and registers them there.
    """
    go_to(page, say("nav.sessions"), heading=say("sessions.title"))
    chosen = registered_session(workbook, person_id)
    today = clock.today()
    if chosen is not None and day_of(chosen["Date"]) == today:
        open_session(page, chosen["ID"])
        mark_attended(page, applicant, alone=False)
        screenshot(page, "journey-04-session-attended")
        return str(chosen["ID"])
    if chosen is not None:
        open_session(page, chosen["ID"])
        see(page, say("sessions.not_yet"))
        screenshot(page, "journey-04-session-not-yet")
        # The applicant cannot come that day after all: the registration moves to the next one.
        moved_to = move_registration(page, applicant)
        check_moved(workbook, person_id, str(chosen["ID"]), moved_to)
    planned = plan_session_today(page)
    if chosen is not None:  # opened again by hand: see the test of a planned session below
        open_session(page, planned)
    register(page, applicant)
    mark_attended(page, applicant, alone=True)
    screenshot(page, "journey-04-session-attended")
    attended = [
        row
        for row in rows(workbook, "Attendance", "Participant ID", person_id)
        if row["Status"] == "Attended"
    ]
    assert len(attended) == 1, attended
    return str(attended[0]["Session ID"])


def check_attended(workbook: Path, person_id: str, session_id: str) -> None:
    session = one_row(workbook, "Sessions", "ID", session_id)
    assert (session["Kind"], session["Office"]) == ("Info session", OFFICE)
    assert day_of(session["Date"]) == clock.today()
    person = one_row(workbook, "Participants", "ID", person_id)
    assert person["Status"] == "Info session"


# -- step 3: the intake ----------------------------------------------------------------------------


def intake(page: Page, applicant: Applicant, person_id: str) -> None:
    go_to(page, say("nav.intake"), heading=say("intake.title"))
    choose(page, say("intake.open"), f"{applicant.name} · {person_id}")
    wait_for_app(page)
    see(page, f"{applicant.name} · {person_id}")
    fill(page, say("columns.personality"), "Curious and well organised")
    fill(page, say("participants.field_goal_mentee"), "A first job as a web developer")
    choose(page, say("participants.field_topics_mentee"), label("Interview practice"))
    tick(page, label("Wed EVE"))
    pick(page, say("intake.outcome"), say("intake.choice_complete"))
    tick(page, say("intake.ready"))
    if page.get_by_role("checkbox", name=say("intake.acknowledge")).count():
        tick(page, say("intake.acknowledge"))
    screenshot(page, "journey-05-intake")
    press(page, say("intake.save"))
    expect_success(page, say("workflow.person_moved", person=applicant.name, status=label("Ready")))


def check_intake(workbook: Path, person_id: str) -> None:
    person = one_row(workbook, "Participants", "ID", person_id)
    assert person["Status"] == "Ready"
    assert day_of(person["Intake on"]) == clock.today()
    assert person["Personality"] == "Curious and well organised"
    assert person["Goal"] == "A first job as a web developer"
    assert "Interview practice" in person["Topics"]
    assert "Wed EVE" in person["Availability"]


# -- step 4: the matching session ------------------------------------------------------------------


@dataclass(frozen=True)
class Suggested:
    mentor_id: str
    mentor_name: str


def propose_first_mentor(page: Page, applicant: Applicant) -> Suggested:
    go_to(page, say("nav.matching"), heading=say("matching_page.title"))
    choose(page, say("matching_page.office"), label(OFFICE))
    wait_for_app(page)
    choose(page, say("matching_page.mentee"), applicant.name, exact=False)
    wait_for_app(page)
    see(page, say("matching_page.ranking_title", name=applicant.name))
    panel = page.get_by_role("tabpanel", name=say("matching_page.tab_one"))
    first = panel.locator("strong").filter(has_text=re.compile(r"^1\. "))
    if not first.count():
        screenshot(page, "journey-06-matching")
        pytest.fail(f"no mentor is suggested for {applicant.name}: see journey-06-matching.png")
    mentor_name = first.first.inner_text().removeprefix("1. ").strip()
    record = panel.get_by_role("link", name=say("matching_page.open_record"), exact=True).first
    mentor_id = str(record.get_attribute("href")).rsplit("id=", 1)[-1]
    screenshot(page, "journey-06-matching")
    panel.get_by_role("button", name=say("matching_page.propose")).first.click()
    wait_for_app(page)
    see(page, say("matching_page.confirm_propose", mentor=mentor_name, mentee=applicant.name))
    press(page, say("matching_page.confirm"), within=panel)
    expect_success(page, say("workflow.duo_proposed", mentor=mentor_name, mentee=applicant.name))
    return Suggested(mentor_id, mentor_name)


def check_proposed(workbook: Path, person_id: str, mentor: Suggested) -> str:
    """The Proposed duo of the applicant and the suggested mentor; returns its ID."""
    duo = one_row(workbook, "Duos", "Mentee ID", person_id)
    assert (duo["Mentor ID"], duo["Status"], duo["Office"]) == (
        mentor.mentor_id,
        "Proposed",
        OFFICE,
    )
    assert day_of(duo["Proposed on"]) == clock.today()
    assert duo["Coordinator"] == BRUSSELS.name
    for pid in (person_id, mentor.mentor_id):
        assert one_row(workbook, "Participants", "ID", pid)["Status"] == "In duo"
    return str(duo["ID"])


# -- step 5: the duo, from the first meeting to the evaluation -------------------------------------


def open_duo(page: Page, duo_id: str) -> None:
    go_to(page, say("nav.duos"), heading=say("duos.title"))
    fill(page, say("duos.search"), duo_id)
    wait_for_app(page)
    see(page, say("duos.list_hint", count=1))
    select_row(page, main_area(page).get_by_test_id("stDataFrame").first)
    see(page, duo_id)
    see(page, say("duos.actions"))


def duo_tab(page: Page, title: str) -> Locator:
    """Opens one of the duo's action tabs; returns its panel."""
    page.get_by_role("tab", name=title, exact=True).click()
    panel = page.get_by_role("tabpanel", name=title, exact=True)
    panel.wait_for()
    return panel


def plan_intro(page: Page, duo_id: str) -> None:
    today = clock.today()
    panel = duo_tab(page, say("workflow.action_plan_intro"))
    type_date(page, say("duos.intro_date"), today, within=panel)
    press(page, say("duos.save"), within=panel)
    expect_success(page, say("duos.done_plan_intro", duo=duo_id, date=shown(today)))


def record_agreement(page: Page, duo_id: str, objectives: str) -> None:
    today = clock.today()
    panel = duo_tab(page, say("workflow.action_record_agreement"))
    type_date(page, say("duos.agreement_date"), today, within=panel)
    fill(page, say("duos.objectives"), objectives, within=panel)
    press(page, say("duos.save"), within=panel)
    end = shown(six_months_after(today))
    expect_success(page, say("duos.done_record_agreement", duo=duo_id, date=shown(today), end=end))


def log_meeting(page: Page, duo_id: str) -> None:
    panel = duo_tab(page, say("duos.tab_meeting"))
    pick(page, say("duos.mode"), label("In person"), within=panel)
    choose(page, say("duos.topics"), "CV", within=panel)
    fill(page, say("duos.summary"), "Rewrote the CV together", within=panel)
    press(page, say("duos.save"), within=panel)
    expect_success(page, say("duos.meeting_logged", duo=duo_id, date=shown(clock.today())))


def cancel_entry(page: Page, entry_id: str, reason: str) -> None:
    """Below the timeline: the entry's Cancel tab, with a reason and the confirmation."""
    entry = main_area(page).get_by_test_id("stExpander").filter(has_text=entry_id)
    entry.locator("summary").click()
    entry.get_by_role("tab", name=say("duos.cancel_entry"), exact=True).click()
    panel = entry.get_by_role("tabpanel", name=say("duos.cancel_entry"), exact=True)
    panel.wait_for()
    fill(page, say("duos.cancel_reason"), reason, within=panel)
    tick(page, say("duos.cancel_confirm"), within=panel)
    screenshot(page, "journey-08a-cancel-duplicate")
    press(page, say("duos.cancel_entry"), within=panel)


def check_cancelled(workbook: Path, duo_id: str, kept_id: str, cancelled_id: str) -> None:
    """The duplicate stays in the workbook, marked Cancelled; only the other one counts."""
    found = once_written(
        lambda: rows(workbook, "Meetings", "Duo ID", duo_id),
        lambda found: any(row["ID"] == cancelled_id and is_cancelled(row) for row in found),
    )
    cancelled = {row["ID"]: is_cancelled(row) for row in found}
    assert cancelled == {kept_id: False, cancelled_id: True}, found
    meetings = in_force(tab(workbook, "Meetings"))
    assert meetings is not None
    assert list(meetings.loc[meetings["Duo ID"] == duo_id, "ID"]) == [kept_id]


def log_check_in(page: Page, duo_id: str) -> None:
    panel = duo_tab(page, say("duos.tab_check_in"))
    pick(page, say("duos.with"), label("Both"), within=panel)
    pick(page, say("duos.health"), label("Good"), within=panel)
    fill(page, say("duos.notes"), "Good start, they get on well", within=panel)
    press(page, say("duos.save"), within=panel)
    expect_success(page, say("duos.check_in_logged", duo=duo_id, date=shown(clock.today())))


def complete(page: Page, duo_id: str, reason: str) -> None:
    """Completed on the day the agreement was signed: the page asks to confirm, with a reason."""
    today = clock.today()
    panel = duo_tab(page, say("workflow.action_complete"))
    tick(page, say("duos.mentor_wants_another"), within=panel)
    press(page, say("duos.save"), within=panel)
    end = six_months_after(today)
    see(page, say("workflow.completion_on_agreement_day", date=today, end=end), within=panel)
    fill(page, say("duos.reason_own"), reason, within=panel)
    press(page, say("duos.complete_early_confirm"), within=panel)
    expect_success(page, say("duos.done_complete", duo=duo_id, date=shown(today)))


@dataclass(frozen=True)
class Evaluation:
    respondent: str
    objectives_met: str
    satisfaction: int
    outcome: str
    contract: str = ""


def evaluate(page: Page, evaluation: Evaluation) -> None:
    panel = duo_tab(page, say("duos.tab_evaluation"))
    pick(page, say("duos.respondent"), label(evaluation.respondent), within=panel)
    pick(page, say("duos.objectives_met"), label(evaluation.objectives_met), within=panel)
    pick(page, say("duos.satisfaction"), str(evaluation.satisfaction), within=panel)
    choose(page, say("duos.outcome"), label(evaluation.outcome), within=panel)
    if evaluation.contract:
        choose(page, say("duos.contract"), label(evaluation.contract), within=panel)
    fill(page, say("duos.comments"), f"Evaluation by the {evaluation.respondent}", within=panel)
    press(page, say("duos.save"), within=panel)


# -- the journey -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_coordinator_takes_an_applicant_from_the_apply_form_to_the_end_evaluation(
    chromium: Browser, server: Server
) -> None:
    today = clock.today()
    workbook = server.workbook
    applicant = Applicant(
        "Amina", "Voyageuse", "amina.voyageuse@example.org", dt.date(today.year - 25, 3, 15)
    )

    visitor = new_window(chromium)
    with shot_on_failure(visitor, server, "journey-failed-apply"):
        session = apply(visitor, server, applicant)
        person_id = check_application(visitor, workbook, applicant, session)
    visitor.context.close()

    with_phone = replace(applicant, phone=PHONE)
    again = new_window(chromium)  # the same person applies again, giving a phone number
    with shot_on_failure(again, server, "journey-failed-apply-again"):
        apply(again, server, with_phone, again=True)
        other_id = check_second_application(workbook, with_phone, person_id)
    again.context.close()

    page = new_window(chromium)
    with shot_on_failure(page, server, "journey-failed"):
        sign_in(page, server)

        merge_applications(page, applicant, person_id, other_id)
        check_merged(workbook, with_phone, person_id, other_id)

        session_id = information_session(page, workbook, applicant, person_id)
        check_attended(workbook, person_id, session_id)

        intake(page, applicant, person_id)
        check_intake(workbook, person_id)

        mentor = propose_first_mentor(page, applicant)
        duo_id = check_proposed(workbook, person_id, mentor)

        open_duo(page, duo_id)
        screenshot(page, "journey-07-duo-proposed")
        plan_intro(page, duo_id)
        duo = one_row(workbook, "Duos", "ID", duo_id)
        assert (duo["Status"], day_of(duo["Intro on"])) == ("Intro planned", today)

        record_agreement(page, duo_id, "A CV in Dutch; three applications a month")
        duo = one_row(workbook, "Duos", "ID", duo_id)
        assert duo["Status"] == "Active"
        assert day_of(duo["Agreement on"]) == today
        assert day_of(duo["Planned end"]) == six_months_after(today)
        assert duo["Objectives"] == "A CV in Dutch; three applications a month"

        log_meeting(page, duo_id)
        meeting = one_row(workbook, "Meetings", "Duo ID", duo_id)
        assert (day_of(meeting["Date"]), meeting["Hours"], meeting["Mode"]) == (
            today,
            2.0,
            "In person",
        )
        assert list(meeting["Topics"]) == ["CV"]

        log_meeting(page, duo_id)  # the same meeting once more, by mistake
        logged = once_written(
            lambda: rows(workbook, "Meetings", "Duo ID", duo_id), lambda found: len(found) == 2
        )
        duplicate = [row["ID"] for row in logged if row["ID"] != meeting["ID"]]
        assert len(logged) == 2 and len(duplicate) == 1, logged
        cancel_entry(page, duplicate[0], "Logged twice")
        check_cancelled(workbook, duo_id, meeting["ID"], duplicate[0])
        expect(
            main_area(page).get_by_test_id("stExpander").filter(has_text=duplicate[0])
        ).to_have_count(0)
        see(page, say("duos.cancelled_mark"))

        log_check_in(page, duo_id)
        check_in = one_row(workbook, "Check-ins", "Duo ID", duo_id)
        assert (day_of(check_in["Date"]), check_in["With"], check_in["Health"]) == (
            today,
            "Both",
            "Good",
        )
        screenshot(page, "journey-08-duo-active")

        complete(page, duo_id, "Found a job on the second week")
        duo = one_row(workbook, "Duos", "ID", duo_id)
        assert (duo["Status"], day_of(duo["Ended on"])) == ("Completed", today)
        assert duo["End reason"] == "Found a job on the second week"
        assert one_row(workbook, "Participants", "ID", person_id)["Status"] == "Alumni"
        assert one_row(workbook, "Participants", "ID", mentor.mentor_id)["Status"] == "Ready"

        by_coordinator = Evaluation("Coordinator", "Yes", 5, "Job", "3 months or more")
        by_mentee = Evaluation("Mentee", "Partly", 4, "Training")
        evaluate(page, by_coordinator)
        expect_success(page, say("duos.evaluation_logged", duo=duo_id))
        evaluate(page, by_mentee)
        answered = f"{label('Coordinator')} ({shown(today)}), {label('Mentee')} ({shown(today)})"
        see(page, say("duos.answered", who=answered))
        screenshot(page, "journey-09-duo-evaluated")

        evaluations = {
            row["Respondent"]: row for row in rows(workbook, "Evaluations", "Duo ID", duo_id)
        }
        assert set(evaluations) == {"Coordinator", "Mentee"}
        for expected in (by_coordinator, by_mentee):
            row = evaluations[expected.respondent]
            assert (row["Objectives met"], row["Satisfaction"], row["Outcome"]) == (
                expected.objectives_met,
                expected.satisfaction,
                expected.outcome,
            )
            assert row["Contract"] == expected.contract
            assert day_of(row["Date"]) == today


class OtherSessionReopened(Exception):
    """The Sessions page went back to the session open before the new one was planned."""


@pytest.mark.browser
def test_a_session_just_planned_stays_open_after_the_next_click(
    chromium: Browser, server: Server
) -> None:
    """Planning a session opens it; a click elsewhere (a filter) must not reopen another one."""
    today = clock.today()
    sessions = tab(server.workbook, "Sessions")
    later = sessions[
        (sessions["Office"] == OFFICE)
        & (sessions["Kind"] == "Info session")
        & (sessions["Date"] > pd.Timestamp(today))
    ]
    page = new_window(chromium)
    with shot_on_failure(page, server, "session-planned-failed"):
        sign_in(page, server, shot="session-planned-signed-in")
        go_to(page, say("nav.sessions"), heading=say("sessions.title"))
        open_session(page, str(later.sort_values("Date")["ID"].iloc[0]))
        planned = plan_session_today(page)
        choose(page, say("sessions.filter_kind"), label("Info session"))
        wait_for_app(page)
        screenshot(page, "session-planned-after-a-click")
    opened = parse_qs(urlparse(page.url).query)["id"]
    if opened != [planned]:
        raise OtherSessionReopened(f"planned {planned}, the page shows {opened}")
