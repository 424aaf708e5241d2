"""Passwords, the guessing delay and the staff list (pure)."""

from __future__ import annotations

import pandas as pd

from access import Throttle, check_password, hash_password, staff_member, verify_password

HASHES = {"coordinator@example.org": hash_password("a long enough secret")}


def staff(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["Email", "Name", "Role", "Offices", "Active"])


def test_a_password_matches_only_its_own_hash() -> None:
    stored = hash_password("correct horse battery staple")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("correct horse battery stapler", stored)


def test_two_hashes_of_one_password_differ_by_their_salt() -> None:
    assert hash_password("same password!") != hash_password("same password!")


def test_a_malformed_hash_never_matches() -> None:
    assert not verify_password("anything", "plain-text-password")
    assert not verify_password("anything", "scrypt$1$2$3$not-base64$!!")


def test_each_failure_makes_the_next_attempt_wait_longer() -> None:
    waits: list[float] = []
    throttle = Throttle(first_delay=0.5, max_delay=30)
    for _ in range(5):
        check_password("coordinator@example.org", "wrong", HASHES, throttle, "s1", waits.append)
    assert waits == [0.0, 0.5, 1.0, 2.0, 4.0]


def test_the_wait_is_capped() -> None:
    throttle = Throttle(first_delay=1, max_delay=3)
    for _ in range(10):
        throttle.failed("account:x")
    assert throttle.delay("account:x") == 3


def test_a_new_browser_session_does_not_reset_the_wait_for_an_account() -> None:
    waits: list[float] = []
    throttle = Throttle()
    for session in ("s1", "s2", "s3"):
        check_password("coordinator@example.org", "wrong", HASHES, throttle, session, waits.append)
    assert waits[-1] > 0


def test_success_clears_the_wait() -> None:
    waits: list[float] = []
    throttle = Throttle()
    check_password("coordinator@example.org", "wrong", HASHES, throttle, "s", waits.append)
    assert check_password(
        "Coordinator@Example.org", "a long enough secret", HASHES, throttle, "s", waits.append
    )
    assert throttle.delay("account:coordinator@example.org", "session:s") == 0


def test_an_unknown_account_is_refused_and_slowed_down_too() -> None:
    waits: list[float] = []
    throttle = Throttle()
    for _ in range(2):
        assert not check_password("who@example.org", "x", HASHES, throttle, "s", waits.append)
    assert waits == [0.0, 0.5]


def test_active_staff_enter_with_their_role_and_offices() -> None:
    rows = staff(
        {"Email": "Ana@Example.org", "Name": "Ana", "Role": "Coordinator",
         "Offices": ["Antwerp", "Ghent"], "Active": True}
    )  # fmt: skip
    user = staff_member("ana@example.org", rows, [])
    assert user is not None
    assert (user.role, user.offices, user.name) == ("Coordinator", ("Antwerp", "Ghent"), "Ana")


def test_inactive_or_unlisted_staff_do_not_enter() -> None:
    rows = staff(
        {"Email": "old@example.org", "Name": "Old", "Role": "Admin", "Offices": [], "Active": False}
    )
    assert staff_member("old@example.org", rows, ["old@example.org"]) is None
    assert staff_member("nobody@example.org", rows, []) is None


def test_a_bootstrap_admin_enters_before_the_staff_tab_has_rows() -> None:
    user = staff_member("first@example.org", staff(), ["first@example.org"])
    assert user is not None and user.is_admin
