"""Passwords, the guessing delay and the staff list (pure)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pandas as pd

from access import (
    Throttle,
    account_key,
    behind_proxy,
    check_password,
    hash_password,
    request_source,
    staff_member,
    verify_password,
)

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
    assert throttle.delay(account_key("coordinator@example.org")) == 0


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


# -- per account and per source, whatever the session -----------------------------------------


class FakeTime:
    """A clock that only moves when someone sleeps on it: tests never wait for real."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@dataclass
class AnsweringThrottle(Throttle):
    """A throttle that notes when (on its clock) each failed attempt was answered."""

    answered: list[float] = field(default_factory=list)

    def failed(self, *keys: str) -> None:
        self.answered.append(self.clock())
        super().failed(*keys)


def test_four_sessions_guessing_one_account_in_parallel_are_answered_one_after_another() -> None:
    time = FakeTime()
    throttle = AnsweringThrottle(clock=time.clock, sleep=time.sleep)
    start = threading.Barrier(4)

    def guess(number: int) -> None:
        start.wait()
        source = f"ip:198.51.100.{number}"
        assert not check_password("coordinator@example.org", "wrong", HASHES, throttle, source)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert time.waits == [0.0, 0.5, 1.0, 2.0], "each waits after the failures before it"
    assert throttle.answered == [0.0, 0.5, 1.5, 3.5], "one after another, never together"


def test_a_right_password_is_not_slowed_down_by_guesses_on_another_account() -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep)
    hashes = {**HASHES, "other@example.org": hash_password("another long secret")}
    for _ in range(5):
        check_password("other@example.org", "wrong", hashes, throttle, "ip:203.0.113.7")
    assert check_password(
        "coordinator@example.org", "a long enough secret", hashes, throttle, "ip:198.51.100.9"
    )
    assert time.waits[-1] == 0


def test_a_source_guessing_one_account_after_another_is_slowed_down_on_each() -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep)
    for number in range(4):
        check_password(f"user{number}@example.org", "wrong", HASHES, throttle, "ip:203.0.113.7")
    assert time.waits == [0.0, 0.5, 1.0, 2.0]


def test_a_right_password_clears_the_account_but_not_the_guessing_source() -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep)
    for _ in range(2):
        check_password("coordinator@example.org", "wrong", HASHES, throttle, "ip:203.0.113.7")
    right = "a long enough secret"
    assert check_password("coordinator@example.org", right, HASHES, throttle, "ip:198.51.100.9")
    assert throttle.delay(account_key("coordinator@example.org")) == 0
    assert throttle.delay("source:ip:203.0.113.7") == 1.0


def test_failures_are_forgotten_after_a_quiet_quarter_of_an_hour() -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        check_password("coordinator@example.org", "wrong", HASHES, throttle, "ip:203.0.113.7")
    time.now += 14 * 60
    assert throttle.delay(account_key("coordinator@example.org")) == 2.0
    time.now += 60
    assert throttle.delay(account_key("coordinator@example.org")) == 0
    assert throttle.failures == {}, "nothing is kept of keys no longer used"


def test_an_attempt_on_one_account_does_not_wait_for_the_turn_of_another() -> None:
    throttle = Throttle(sleep=lambda seconds: None)
    done = threading.Event()

    def sign_in() -> None:
        check_password("coordinator@example.org", "wrong", HASHES, throttle, "ip:198.51.100.9")
        done.set()

    with throttle.turn(account_key("other@example.org")):
        threading.Thread(target=sign_in).start()
        assert done.wait(timeout=30)


def test_the_source_is_the_client_address_and_ipv6_counts_by_its_network() -> None:
    assert request_source("203.0.113.7") == "ip:203.0.113.7"
    assert request_source("2001:db8:1:2:aaaa::1") == request_source("2001:db8:1:2:bbbb::9")
    assert request_source("2001:db8:1:2::1") == "ip:2001:db8:1:2::/64"
    assert request_source(None) == "", "a local connection has no address"


def test_a_forwarded_address_counts_only_when_the_app_is_declared_behind_a_proxy() -> None:
    forwarded = ["198.51.100.66, 203.0.113.7"]
    assert request_source("10.0.0.2", forwarded) == "ip:10.0.0.2", "a client can forge it"
    assert request_source("10.0.0.2", forwarded, behind_proxy=True) == "ip:203.0.113.7"
    assert request_source(None, [], behind_proxy=True) == ""
    assert behind_proxy({"access": {"behind_proxy": True}}) and not behind_proxy({})
