"""A mentee answers their due follow-up from their personal link on a phone, in a real browser.

The same phone as the evaluation's (390 × 844, French): the page fits the width, the
situation and the contract are taps, and the workbook holds one new Follow-ups row,
Self-filled, answering the contact that was due; opened again, the link has nothing to ask.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from follow_ups import due_follow_ups
from services.self_follow_ups import follow_up_link_for
from sheets.local import LocalStore
from tests.browser import Server, fill, open_url, pick, press, screenshot, see
from tests.test_browser_self_evaluation import (  # noqa: F401 (fixtures)
    LINK_SECRET,
    PHONE,
    TODAY,
    label,
    phone,
    say,
    server,
)
from workflow import cell_date, cell_text, records


def self_filled(workbook: Path, duo_id: str) -> list[dict[str, object]]:
    rows = records(LocalStore(workbook).table("Follow-ups").frame)
    return [
        row
        for row in rows
        if cell_text(row, "Duo ID") == duo_id and cell_text(row, "Source") == "Self-filled"
    ]


@pytest.mark.browser
def test_a_mentee_answers_their_follow_up_from_their_link_on_a_phone(
    server: Server,  # noqa: F811 (the fixture imported above)
    phone: Page,  # noqa: F811
) -> None:
    store = LocalStore(server.workbook)
    tables = store.read(["Duos", "Follow-ups"])
    due = due_follow_ups(
        duos=tables["Duos"].frame, follow_ups=tables["Follow-ups"].frame, today=TODAY
    )
    # one contact due for the duo, so that once answered, nothing is left to ask
    once_due = [item for item in due if [d.duo_id for d in due].count(item.duo_id) == 1]
    item = once_due[0]
    before = len(self_filled(server.workbook, item.duo_id))
    link = follow_up_link_for(store, item.duo_id, server.url, LINK_SECRET)

    open_url(phone, server.url)
    open_url(phone, link)
    see(phone, say("self_follow_up.situation"))
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing to scroll sideways on a phone"
    screenshot(phone, "self-follow-up-phone-form")

    pick(phone, say("self_follow_up.situation"), label("Job"))
    pick(phone, say("self_follow_up.contract"), label("3 months or more"))
    fill(phone, say("self_follow_up.notes"), "CDD de 6 mois, merci !")
    press(phone, say("self_follow_up.send"))
    see(phone, say("self_follow_up.sent"))
    screenshot(phone, "self-follow-up-phone-sent")

    rows = self_filled(server.workbook, item.duo_id)
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row["Situation"], row["Contract"], row["Notes"]) == (
        "Job",
        "3 months or more",
        "CDD de 6 mois, merci !",
    )
    assert (cell_date(row, "Due on"), cell_date(row, "Done on")) == (item.due_on, TODAY)

    open_url(phone, link)
    see(phone, say("self_follow_up.nothing_due"))
    assert phone.get_by_role("button", name=say("self_follow_up.send")).count() == 0
