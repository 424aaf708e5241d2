"""The one place the app asks what day and what time it is.

Everything that needs "today" or "now" (the pages, the store's stamps, the demo generator)
asks here, so that a test, a demo or a training session can set the date once:

- `DUO_TODAY=2026-11-18` in the environment makes every process that reads it (the app,
  `streamlit run` started by a browser test, the admin commands) live on that day; the time
  of day keeps running, so stamps stay ordered;
- `frozen(day)` does the same inside one Python process, for a block of code.

Without either, the machine's clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator

ENV_TODAY = "DUO_TODAY"
_pinned: list[dt.date] = []


def today() -> dt.date:
    """The day the app lives on."""
    if _pinned:
        return _pinned[-1]
    return _day_from_environment() or dt.date.today()


def now() -> dt.datetime:
    """The moment, to the second, on `today()` (stamps for Updated on, Audit ...)."""
    moment = dt.datetime.now().replace(microsecond=0)
    return dt.datetime.combine(today(), moment.time())


@contextlib.contextmanager
def frozen(day: dt.date) -> Iterator[dt.date]:
    """Live on `day` inside the block (this process only)."""
    _pinned.append(day)
    try:
        yield day
    finally:
        _pinned.pop()


def _day_from_environment() -> dt.date | None:
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{ENV_TODAY} must be a date written YYYY-MM-DD, not {text!r}") from error
