"""A small sliding-window rate limiter for the public forms (no account, so no other brake).

Pure: no Streamlit, no store. The clock is injectable so that tests move time by hand.
A limiter counts the hits of the last `window_seconds` per key (a visitor's address, an
e-mail address, a duo, or one shared key for the whole process); a hit is refused once
`limit` hits are in the window, and refused hits are not counted. `admit` takes a hit from
several limiters at once or from none, so that a refusal by the process-wide limit does not
use up a visitor's quota. Safe to share between the threads of a Streamlit process; the
counts live in the process's memory (several processes count apart, see the README).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

Clock = Callable[[], float]
EVERYONE = ""
"""The key of a limiter that counts every hit together (the whole process)."""

_LOCK = threading.RLock()


class SlidingWindowLimiter:
    """At most `limit` hits per key within any `window_seconds` long stretch of time."""

    def __init__(self, limit: int, window_seconds: float, clock: Clock = time.monotonic) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("a limiter needs a positive limit and window")
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def allows(self, key: str = EVERYONE) -> bool:
        """Whether a hit for `key` would be accepted now (nothing is counted)."""
        with _LOCK:
            return len(self._recent(key, self._clock())) < self.limit

    def hit(self, key: str = EVERYONE) -> bool:
        """Count a hit for `key` if the window has room; return whether it was accepted."""
        return admit([(self, key)])

    def retry_after(self, key: str = EVERYONE) -> float:
        """Seconds until a hit for `key` would be accepted again (0 when it would be now)."""
        with _LOCK:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return 0.0
            return max(0.0, hits[len(hits) - self.limit] + self.window_seconds - now)

    def reset(self) -> None:
        """Forget every hit (tests; an admin's restart does the same)."""
        with _LOCK:
            self._hits.clear()

    def _recent(self, key: str, now: float) -> deque[float]:
        """The hits of `key` still inside the window; expired ones (and idle keys) dropped."""
        self._forget_idle_keys(now)
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window_seconds:
            hits.popleft()
        return hits

    def _forget_idle_keys(self, now: float) -> None:
        """Keys whose newest hit left the window: so that many sessions do not pile up."""
        idle = [
            key
            for key, hits in self._hits.items()
            if not hits or hits[-1] <= now - self.window_seconds
        ]
        for key in idle:
            del self._hits[key]

    def _record(self, key: str) -> None:
        self._hits.setdefault(key, deque()).append(self._clock())


def admit(checks: Iterable[tuple[SlidingWindowLimiter, str]]) -> bool:
    """Take one hit from every (limiter, key) if all of them have room, else take none."""
    pairs = list(checks)
    with _LOCK:
        if not all(limiter.allows(key) for limiter, key in pairs):
            return False
        for limiter, key in pairs:
            limiter._record(key)
        return True
