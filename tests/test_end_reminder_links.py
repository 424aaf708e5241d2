"""The end-of-programme reminder carries the mentor's and the mentee's own evaluation links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import clock
from messages import (
    END_REMINDER,
    Draft,
    Workbook,
    default_templates,
    due_reminders,
    evaluation_lines,
)
from services.notify import app_url, run_reminders
from services.self_evaluations import EVALUATION_URL_PATH, resolve
from sheets.store import Store
from tests.apptest import store_of
from tests.test_messages import TODAY as MARCH_16
from tests.test_messages import ago
from tests.test_workflow import duo, duos, frame, people, person
from workflow import MENTEE, MENTOR

TODAY = clock.today()
SECRET = "a-test-secret-of-enough-length"
URL = "https://duo.example.org"
LINKS = {"links": {"secret_key": SECRET, "base_url": URL + "/"}}


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def end_reminders(store: Store, secrets: Mapping[str, Any], base_url: str = "") -> list[Draft]:
    run = run_reminders(store, secrets, TODAY, dry_run=True, base_url=base_url)
    return [each for each in run.due if each.kind == END_REMINDER]


def link_in(body: str) -> str:
    found = re.search(rf"{re.escape(URL)}/{EVALUATION_URL_PATH}\?t=\S+", body)
    assert found is not None, body
    return found.group(0)


def test_each_persons_end_reminder_opens_their_own_evaluation(store: Store) -> None:
    reminders = end_reminders(store, LINKS)
    assert reminders, "the demo workbook has duos near their planned end"
    for each in reminders:
        opened = resolve(store, link_in(each.body).split("t=", 1)[1], SECRET, TODAY)
        assert opened.duo_id == each.record_id
        duo = store.table("Duos").frame.set_index("ID").loc[each.record_id]
        assert duo["Mentor ID" if opened.role == "mentor" else "Mentee ID"] == each.person_id


def test_the_pages_address_wins_over_the_configured_one(store: Store) -> None:
    reminders = end_reminders(store, {"links": {"secret_key": SECRET}}, base_url=URL)
    assert reminders and all(link_in(each.body) for each in reminders)
    assert app_url(LINKS) == URL and app_url(LINKS, "https://other.org") == "https://other.org"


def test_without_the_apps_address_the_reminder_says_the_coordinator_will_do_it(
    store: Store,
) -> None:
    reminders = end_reminders(store, {"links": {"secret_key": SECRET}})
    assert reminders
    for each in reminders:
        assert f"/{EVALUATION_URL_PATH}?t=" not in each.body
        duo = store.table("Duos").frame.set_index("ID").loc[each.record_id]
        assert evaluation_lines("", str(duo["Coordinator"]), each.language) in each.body


def test_the_end_reminder_puts_the_roles_link_in_the_recipients_language() -> None:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo", email="m@example.org", language="nl"),
        person("P-MENTEE", "Mentee", "In duo", email="e@example.org", language="fr"),
    )
    book_duos = duos(duo("D-END", agreement_on=ago(170), planned_end=ago(-10)))
    meetings = frame("Meetings", [{"duo_id": "D-END", "date": ago(2)}])
    book = Workbook(participants, book_duos, meetings)
    asked: list[tuple[str, str]] = []

    def links(duo_id: str, role: str) -> str:
        asked.append((duo_id, role))
        return f"{URL}/{EVALUATION_URL_PATH}?t={role}"

    due = due_reminders(book, MARCH_16, default_templates(), evaluation_links=links)
    by_to = {each.to: each for each in due if each.kind == END_REMINDER}
    assert sorted(asked) == [("D-END", MENTEE), ("D-END", MENTOR)]
    assert f"?t={MENTOR}" in by_to["m@example.org"].body
    assert "persoonlijke link" in by_to["m@example.org"].body
    assert f"?t={MENTEE}" in by_to["e@example.org"].body
    assert "lien personnel" in by_to["e@example.org"].body


def test_no_link_means_the_coordinator_line() -> None:
    assert "Sofie" in evaluation_lines("", "Sofie", "en")
    assert "https://x" in evaluation_lines("https://x", "Sofie", "en")
