"""The sliding-window limiter of the public forms, on a clock moved by hand."""

from __future__ import annotations

import pytest

from ratelimit import SlidingWindowLimiter, admit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_hits_up_to_the_limit_are_accepted_and_the_next_is_refused(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(3, 600, clock)
    assert [limiter.hit("a") for _ in range(4)] == [True, True, True, False]


def test_a_refused_hit_is_not_counted(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 60, clock)
    assert limiter.hit()
    clock.advance(30)
    assert not limiter.hit()
    clock.advance(31)
    assert limiter.hit(), "the refused hit at 30 s must not have restarted the window"


def test_the_window_slides_one_hit_at_a_time(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(2, 100, clock)
    assert limiter.hit("a")
    clock.advance(40)
    assert limiter.hit("a")
    clock.advance(59)
    assert not limiter.hit("a")
    assert limiter.retry_after("a") == pytest.approx(1)
    clock.advance(1)
    assert limiter.hit("a"), "the first hit left the window after exactly 100 s"
    assert not limiter.hit("a")
    assert limiter.retry_after("a") == pytest.approx(40)


def test_keys_are_counted_apart(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 60, clock)
    assert limiter.hit("session-1")
    assert limiter.hit("session-2")
    assert not limiter.hit("session-1")


def test_allows_asks_without_counting(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 60, clock)
    assert limiter.allows() and limiter.allows()
    assert limiter.hit()
    assert not limiter.allows()
    assert limiter.retry_after() == pytest.approx(60)


def test_admit_takes_from_every_limiter_or_from_none(clock: Clock) -> None:
    per_session = SlidingWindowLimiter(3, 600, clock)
    overall = SlidingWindowLimiter(2, 3600, clock)
    assert admit([(per_session, "s1"), (overall, "")])
    assert admit([(per_session, "s2"), (overall, "")])
    assert not admit([(per_session, "s3"), (overall, "")])
    assert per_session.allows("s3") and per_session.retry_after("s3") == 0
    assert admit([(per_session, "s1")]), "the refused hit took nothing from the session"


def test_idle_keys_are_forgotten(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 10, clock)
    for number in range(100):
        limiter.hit(f"session-{number}")
    clock.advance(11)
    limiter.hit("late")
    assert list(limiter._hits) == ["late"]


def test_reset_forgets_every_hit(clock: Clock) -> None:
    limiter = SlidingWindowLimiter(1, 60, clock)
    limiter.hit()
    limiter.reset()
    assert limiter.hit()


def test_a_limiter_needs_a_positive_limit_and_window() -> None:
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0, 60)
    with pytest.raises(ValueError):
        SlidingWindowLimiter(1, 0)


def test_a_share_per_key_keeps_one_key_from_using_up_the_shared_limit(clock: Clock) -> None:
    share = SlidingWindowLimiter(2, 3600, clock)
    overall = SlidingWindowLimiter(3, 3600, clock)
    assert [admit([(share, "ip:a"), (overall, "")]) for _ in range(3)] == [True, True, False]
    assert admit([(share, "ip:b"), (overall, "")]), "the refused hit of a left room for b"
    assert not admit([(share, "ip:c"), (overall, "")]), "the shared limit still holds"
