"""Ticked rows in a real browser: a coordinator ticks two applicants on the Participants list
and withdraws both with one action; the workbook is read back afterwards."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser import (
    Server,
    choose,
    expect_success,
    fill,
    go_to,
    main_area,
    pick,
    press,
    screenshot,
    see,
    select_row,
    tick,
    wait_for_app,
)
from tests.test_browser_journey import label, new_window, say, server, shot_on_failure, sign_in, tab

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the journey's fixture: `streamlit run` on a copy of the demo workbook

REASON = "Moved to another region"


def test_two_ticked_applicants_are_withdrawn_with_one_action(
    chromium: Browser, server: Server
) -> None:
    people = tab(server.workbook, "Participants")
    applied = people[(people["Office"] == "Brussels") & (people["Status"] == "Applied")]
    assert len(applied) >= 2
    page = new_window(chromium)
    with shot_on_failure(page, server, "bulk-failed"):
        sign_in(page, server, shot="bulk-signed-in")
        go_to(page, say("nav.participants"), heading=say("participants.title"))
        choose(page, say("columns.status"), label("Applied"))
        wait_for_app(page)
        main_area(page).get_by_text(say("bulk.tick_people"), exact=True).click()
        wait_for_app(page)
        grid = main_area(page).get_by_test_id("stDataFrame").first
        select_row(page, grid, 0)
        select_row(page, grid, 1)
        see(page, "2 ticked")
        pick(page, say("bulk.action"), say("bulk.action_withdraw"))
        wait_for_app(page)
        fill(page, say("bulk.reason_required_label"), REASON)
        tick(page, say("bulk.confirm", count=2))
        press(page, say("bulk.action_withdraw"))
        expect_success(page, say("bulk.done", moved=2, skipped=0))
        screenshot(page, "bulk-withdrawn")
    after = tab(server.workbook, "Participants")
    withdrawn = after[after["Notes"].astype(str).str.contains(REASON, regex=False)]
    assert len(withdrawn) == 2
    assert set(withdrawn["Status"]) == {"Withdrawn"}
    assert set(withdrawn["ID"]) <= set(applied["ID"])
