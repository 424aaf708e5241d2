"""The Staff page: admins add people, change their role and offices, deactivate them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from access import User
from services.settings import AdminOnly
from services.staff import StaffRefused, StaffRow, add_staff, deactivate_staff, staff_rows
from sheets import memory
from sheets.memory import MemoryStore
from tests.apptest import ADMIN, BRUSSELS, ROOT, assert_no_exception

PAGE = str(ROOT / "pages" / "staff.py")


def app(user: User) -> AppTest:
    test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    test.session_state["lang"] = "en"
    test.session_state["user"] = user
    test.run()
    return test


def staff_page(user: User = ADMIN) -> AppTest:
    test = app(user)
    test.switch_page(PAGE).run()
    assert_no_exception(test)
    return test


def store_of(workbook: str) -> MemoryStore:
    return memory.named(workbook.removeprefix(memory.PREFIX))


def row_of(workbook: str, email: str) -> StaffRow:
    rows = staff_rows(store_of(workbook).read(["Staff"], fresh=True)["Staff"].frame)
    return next(row for row in rows if row.email.casefold() == email)


def test_an_admin_adds_a_person(workbook: str) -> None:
    test = staff_page()
    test.text_input(key="staff-new-email").input("New.Person@example.org")
    test.text_input(key="staff-new-name").input("New Person")
    test.multiselect(key="staff-new-offices").select("Brussels")
    test.button(key="staff-add-submit").click().run()
    assert_no_exception(test)
    added = row_of(workbook, "new.person@example.org")
    assert (added.name, added.role, added.offices, added.active) == (
        "New Person",
        "Coordinator",
        ("Brussels",),
        True,
    )
    assert any("was added" in s.value for s in test.success)


def test_an_admin_changes_a_role_and_offices(workbook: str) -> None:
    test = staff_page()
    test.selectbox(key="staff-person").select(BRUSSELS.email).run()
    test.selectbox(key=f"staff-role-{BRUSSELS.email}").select("Admin")
    test.multiselect(key=f"staff-offices-{BRUSSELS.email}").select("Antwerp")
    test.button(key="staff-change-submit").click().run()
    assert_no_exception(test)
    changed = row_of(workbook, BRUSSELS.email)
    assert changed.role == "Admin"
    assert set(changed.offices) == {"Brussels", "Antwerp"}


def test_an_admin_deactivates_a_person_who_is_then_out(workbook: str) -> None:
    test = staff_page()
    test.selectbox(key="staff-person").select(BRUSSELS.email).run()
    test.button(key="staff-deactivate").click().run()
    assert_no_exception(test)
    assert row_of(workbook, BRUSSELS.email).active is False
    coordinator = app(BRUSSELS)
    assert [t.value for t in coordinator.title] == ["Sign in"]


def test_a_coordinator_cannot_open_the_staff_page(workbook: str) -> None:
    test = app(BRUSSELS)
    with pytest.raises(ValueError):
        test.switch_page(PAGE)


def test_the_service_refuses_coordinators_duplicates_and_self_deactivation(
    workbook: str,
) -> None:
    store = store_of(workbook)
    with pytest.raises(AdminOnly):
        add_staff(store, BRUSSELS, "x@example.org", "X", "Coordinator", [])
    with pytest.raises(StaffRefused):
        add_staff(store, ADMIN, BRUSSELS.email.upper(), "Again", "Coordinator", [])
    with pytest.raises(StaffRefused):
        add_staff(store, ADMIN, "not an e-mail", "X", "Coordinator", [])
    with pytest.raises(StaffRefused):
        deactivate_staff(store, ADMIN, row_of(workbook, ADMIN.email))


def test_a_change_typed_in_the_sheet_meanwhile_is_a_conflict(workbook: str) -> None:
    from services.staff import change_staff

    seen = row_of(workbook, BRUSSELS.email)
    store_of(workbook).update("Staff", BRUSSELS.email, {"Role": "Admin"}, "hand edit")
    outcome = change_staff(store_of(workbook), ADMIN, seen, "Coordinator", ["Ghent"])
    assert outcome.conflicts
    assert row_of(workbook, BRUSSELS.email).role == "Admin"
