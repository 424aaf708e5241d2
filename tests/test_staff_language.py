"""Each staff member's language: the Staff tab's `Language` (blank: French), set on the Staff
page, used by their weekly digest and their copy of an intro invitation."""

from __future__ import annotations

import pytest

import clock
from messages import INTRO_MEETING, WEEKLY_DIGEST
from services.notify import invite_intro, run_reminders, staff_members
from services.outbox import outbox_rows
from services.staff import StaffRefused, StaffRow, add_staff, change_staff
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, assert_no_exception
from tests.test_outbox import intro_duo
from tests.test_page_staff import row_of, staff_page, store_of


def test_a_blank_language_is_french_and_an_unknown_one_is_refused(workbook: str) -> None:
    assert StaffRow("a@example.org", "A", "Coordinator", (), True).message_language == "fr"
    assert StaffRow("a@example.org", "A", "Coordinator", (), True, "nl").message_language == "nl"
    store = store_of(workbook)
    with pytest.raises(StaffRefused):
        add_staff(store, ADMIN, "x@example.org", "X", "Coordinator", [], "de")
    with pytest.raises(StaffRefused):
        change_staff(store, ADMIN, row_of(workbook, BRUSSELS.email), "Coordinator", [], "de")


def test_a_person_added_in_dutch_and_changed_to_english_is_audited(workbook: str) -> None:
    store = store_of(workbook)
    add_staff(store, ADMIN, "lies@example.org", "Lies", "Coordinator", ["Antwerp"], "nl")
    seen = row_of(workbook, "lies@example.org")
    assert (seen.language, seen.message_language) == ("nl", "nl")
    outcome = change_staff(store, ADMIN, seen, "Coordinator", ["Antwerp"], "en")
    assert not outcome.conflicts
    assert row_of(workbook, "lies@example.org").language == "en"
    again = change_staff(
        store, ADMIN, row_of(workbook, "lies@example.org"), "Coordinator", ["Antwerp"]
    )
    assert again.message.key == "services.nothing_changed"
    audit = store.read(["Audit"], fresh=True)["Audit"].frame
    assert "change_staff" in set(audit["Action"])


def test_an_admin_sets_a_language_on_the_staff_page(workbook: str) -> None:
    test = staff_page()
    test.selectbox(key="staff-person").select(ANTWERP.email).run()
    test.selectbox(key=f"staff-language-{ANTWERP.email}").select("nl")
    test.button(key="staff-change-submit").click().run()
    assert_no_exception(test)
    assert row_of(workbook, ANTWERP.email).language == "nl"
    table = test.dataframe[0].value
    shown = dict(zip(table["E-mail"], table["Language of their messages"], strict=True))
    assert shown[ANTWERP.email] == "Nederlands"


def test_the_weekly_digest_goes_in_each_staff_members_language(workbook: str) -> None:
    store = store_of(workbook)
    store.update("Staff", BRUSSELS.email, {"Language": "nl"}, "tests")
    store.update("Staff", ANTWERP.email, {"Language": "en"}, "tests")
    members = {m.email: m for m in staff_members(store.read(["Staff"], fresh=True)["Staff"].frame)}
    assert members[BRUSSELS.email].language == "nl" and members[ANTWERP.email].language == "en"
    run = run_reminders(store, {}, clock.today(), dry_run=True)
    digests = {each.to: each for each in run.due if each.kind == WEEKLY_DIGEST}
    assert digests[BRUSSELS.email].language == "nl"
    assert "punten om op te volgen" in digests[BRUSSELS.email].subject
    assert digests[ANTWERP.email].language == "en"
    assert "need attention" in digests[ANTWERP.email].subject


def test_the_coordinators_copy_of_the_intro_invitation_is_in_their_staff_language(
    workbook: str,
) -> None:
    store = store_of(workbook)
    store.update("Staff", BRUSSELS.email, {"Language": "nl"}, "tests")
    invite_intro(store, BRUSSELS, intro_duo(store), {}, staff_language="en")
    rows = outbox_rows(store.read(["Outbox"], fresh=True)["Outbox"].frame)
    mine = [row for row in rows if row.kind == INTRO_MEETING and row.to == BRUSSELS.email]
    assert [row.language for row in mine] == ["nl"]
