"""Calendar invitations (`.ics`, RFC 5545) for a session and for a duo's intro meeting.

Pure: the time stamp is given. Times are Brussels local time (the time zone goes in the
file); an occasion without a start time is an all-day event on its date; without an end
time, a session lasts `DEFAULT_HOURS`. The place is the address, else the video link; the
video link is also the event's URL. Each attendee is listed with their name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from messages import Occasion

TIME_ZONE = ZoneInfo("Europe/Brussels")
DEFAULT_HOURS = 2
PRODUCT = "-//DUO for a JOB//coordinators' tool//EN"
UID_DOMAIN = "duoforajob.tool"


def invitation(
    uid: str,
    summary: str,
    occasion: Occasion,
    stamp: dt.datetime,
    *,
    description: str = "",
    organizer: tuple[str, str] | None = None,
    attendees: Sequence[tuple[str, str]] = (),
) -> str:
    """The `.ics` text of one event (`uid` stays the same for the same occasion, so a calendar
    updates the event instead of adding a second). `organizer` and `attendees`: (e-mail,
    name). Raises ValueError for an occasion without a date."""
    if occasion.day is None:
        raise ValueError("an invitation needs a date")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC))
    event.add("summary", summary)
    start, end = _times(occasion)
    event.add("dtstart", start)
    event.add("dtend", end)
    place = occasion.address or occasion.video
    if place:
        event.add("location", place)
    if occasion.video:
        event.add("url", occasion.video)
    if description:
        event.add("description", description)
    if organizer is not None:
        event.add("organizer", _address(*organizer))
    for email, name in attendees:
        attendee = _address(email, name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def _times(occasion: Occasion) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    assert occasion.day is not None
    if not occasion.start:
        return occasion.day, occasion.day + dt.timedelta(days=1)
    start = _at(occasion.day, occasion.start)
    end = _at(occasion.day, occasion.end) if occasion.end else None
    if end is None or end <= start:
        end = start + dt.timedelta(hours=DEFAULT_HOURS)
    return start, end


def _at(day: dt.date, clock: str) -> dt.datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=TIME_ZONE)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address
