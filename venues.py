"""When and where something takes place: times of day as staff type them, addresses, video links.

A session (and a duo's intro meeting) has a start and an end time, a place (an address) or a
video link, and what to bring. Times are stored as text cells, written `HH:MM`; staff type
them in many ways (`9:30`, `09.30`, `9u30`, `9h30`, `9h`, `14`), and a spreadsheet may hand
back `09:30:00` or a fraction of a day: `parse_time` reads all of them. The rules of the
planning forms (`venue_problems`) are pure and return `Msg`s; the messages are in
`i18n/venues.toml`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from i18n import Messages, Msg

MAX_ADDRESS = 200
MAX_LINK = 500
MAX_BRING = 300
MAX_PLACE = 200
"""An intro meeting's place: an address, a café, "online" ..."""

venue_message = Messages("venues")
"""A message of `i18n/venues.toml`."""

_TIME = re.compile(r"^(\d{1,2})(?:\s*(?:[:.hHuU]|heures?|uur)\s*(\d{2})?)?(?::(\d{2}))?\s*$")
_DAY_FRACTION = re.compile(r"^0?\.\d{3,}$")


def parse_time(raw: object) -> dt.time | None:
    """A time of day from a cell (None: blank or unreadable).

    Reads `9:30`, `09:30`, `09.30`, `9u30`, `9h30`, `9h`, `9 h 30`, `14`, `09:30:00`, a
    `datetime.time` or `datetime.datetime`, and a fraction of a day (0.395833 = 09:30).
    """
    if isinstance(raw, dt.datetime):
        return raw.time().replace(second=0, microsecond=0)
    if isinstance(raw, dt.time):
        return raw.replace(second=0, microsecond=0)
    if isinstance(raw, float) and 0 <= raw < 1:
        return _from_fraction(raw)
    text = "" if raw is None else str(raw).strip()
    if not text or text.lower() == "nan":
        return None
    if _DAY_FRACTION.match(text):
        return _from_fraction(float(text))
    match = _TIME.match(text)
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return dt.time(hours, minutes)


def _from_fraction(fraction: float) -> dt.time | None:
    minutes = round(fraction * 24 * 60)
    if minutes >= 24 * 60:
        return None
    return dt.time(minutes // 60, minutes % 60)


def time_text(value: dt.time | None) -> str:
    """A time as stored and shown: `09:30` ("" for none)."""
    return "" if value is None else f"{value:%H:%M}"


def time_span(start: object, end: object) -> str:
    """`09:30–12:00`, `09:30`, or "" from two cells (read tolerantly)."""
    first, last = time_text(parse_time(start)), time_text(parse_time(end))
    if first and last:
        return f"{first}–{last}"
    return first or last


def is_web_link(text: str) -> bool:
    """An http(s) URL with a host: what a video link must be."""
    parsed = urlparse(text.strip())
    return (
        parsed.scheme in ("http", "https")
        and bool(parsed.netloc)
        and not any(c.isspace() for c in text.strip())
    )


@dataclass(frozen=True)
class Venue:
    """When and where, as typed in a form: times as typed (read with `parse_time`)."""

    start: str = ""
    end: str = ""
    address: str = ""
    video_link: str = ""
    bring: str = ""

    def cells(self) -> dict[str, str]:
        """The Sessions cells it fills (times written `HH:MM`, texts trimmed)."""
        return {
            "Start time": time_text(parse_time(self.start)),
            "End time": time_text(parse_time(self.end)),
            "Address": self.address.strip(),
            "Video link": self.video_link.strip(),
            "What to bring": self.bring.strip(),
        }


def time_problems(start: str, end: str) -> list[Msg]:
    """Times that cannot be read, and an end that is not after the start."""
    problems: list[Msg] = []
    first, last = parse_time(start), parse_time(end)
    if start.strip() and first is None:
        problems.append(venue_message("time_unreadable", text=start.strip()))
    if end.strip() and last is None:
        problems.append(venue_message("time_unreadable", text=end.strip()))
    if first is not None and last is not None and last <= first:
        problems.append(venue_message("end_before_start"))
    return problems


def venue_problems(venue: Venue) -> list[Msg]:
    """What is wrong with a session's time and place (an empty list: it can be saved)."""
    problems = time_problems(venue.start, venue.end)
    if venue.end.strip() and not venue.start.strip():
        problems.append(venue_message("start_required"))
    link = venue.video_link.strip()
    if link and not is_web_link(link):
        problems.append(venue_message("link_not_web"))
    for text, limit, field in (
        (venue.address, MAX_ADDRESS, "address"),
        (link, MAX_LINK, "video_link"),
        (venue.bring, MAX_BRING, "bring"),
    ):
        if len(text.strip()) > limit:
            problems.append(venue_message(f"too_long_{field}", limit=limit))
    return problems


def intro_problems(time: str, place: str) -> list[Msg]:
    """What is wrong with an intro meeting's time and place (both optional)."""
    problems = time_problems(time, "")
    if len(place.strip()) > MAX_PLACE:
        problems.append(venue_message("too_long_place", limit=MAX_PLACE))
    return problems
