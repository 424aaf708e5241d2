"""Times of day as staff type them, and the rules of a session's time and place (venues.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from i18n import LANGUAGES, Msg
from venues import (
    MAX_ADDRESS,
    MAX_BRING,
    MAX_LINK,
    MAX_PLACE,
    Venue,
    intro_problems,
    is_web_link,
    parse_time,
    time_span,
    time_text,
    venue_problems,
)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("9:30", dt.time(9, 30)),
        ("09:30", dt.time(9, 30)),
        ("09.30", dt.time(9, 30)),
        ("9u30", dt.time(9, 30)),
        ("9h30", dt.time(9, 30)),
        ("9H30", dt.time(9, 30)),
        ("9 h 30", dt.time(9, 30)),
        ("9h", dt.time(9, 0)),
        ("18u", dt.time(18, 0)),
        ("14", dt.time(14, 0)),
        (" 18:05 ", dt.time(18, 5)),
        ("09:30:00", dt.time(9, 30)),
        ("0:00", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        (dt.time(9, 30, 12), dt.time(9, 30)),
        (dt.datetime(1899, 12, 30, 14, 15), dt.time(14, 15)),
        (0.375, dt.time(9, 0)),
        ("0.3958333333", dt.time(9, 30)),
    ],
)
def test_a_time_is_read_however_staff_typed_it(typed: object, read: dt.time) -> None:
    assert parse_time(typed) == read


@pytest.mark.parametrize(
    "typed", ["", "  ", None, float("nan"), "24:00", "9:60", "half past nine", "9:3", "930", "-1"]
)
def test_what_is_not_a_time_of_day_reads_as_none(typed: object) -> None:
    assert parse_time(typed) is None


def test_times_are_written_hh_mm_and_a_span_shows_what_is_known() -> None:
    assert time_text(dt.time(9, 5)) == "09:05" and time_text(None) == ""
    assert time_span("9h30", "11u") == "09:30–11:00"
    assert time_span("9h30", "") == "09:30"
    assert time_span("", "nonsense") == ""


def test_a_venue_writes_its_times_canonically_and_trims_its_texts() -> None:
    venue = Venue("9u30", "12.00", " Rue Haute 1, 1000 Bruxelles ", " https://meet.example.org/x ")
    assert venue.cells() == {
        "Start time": "09:30",
        "End time": "12:00",
        "Address": "Rue Haute 1, 1000 Bruxelles",
        "Video link": "https://meet.example.org/x",
        "What to bring": "",
    }


def keys(problems: list[Msg]) -> list[str]:
    return [problem.key for problem in problems]


def test_an_empty_venue_and_a_good_one_have_no_problem() -> None:
    assert venue_problems(Venue()) == []
    good = Venue("09:30", "11:30", "Rue Haute 1", "https://meet.example.org/abc", "Your CV")
    assert venue_problems(good) == []


def test_the_end_must_come_after_the_start() -> None:
    assert keys(venue_problems(Venue("11:30", "09:30"))) == ["venues.end_before_start"]
    assert keys(venue_problems(Venue("9h30", "9u30"))) == ["venues.end_before_start"]
    assert keys(venue_problems(Venue("", "11:30"))) == ["venues.start_required"]


def test_an_unreadable_time_is_named_as_typed() -> None:
    [problem] = venue_problems(Venue("half nine", ""))
    assert problem.key == "venues.time_unreadable" and problem.params == {"text": "half nine"}
    assert "half nine" in problem.text("fr") and "9h30" in problem.text("fr")


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://meet.example.org/abc", True),
        ("http://video.example.org", True),
        ("meet.example.org/abc", False),
        ("javascript:alert(1)", False),
        ("ftp://files.example.org", False),
        ("https://", False),
        ("https://meet.example.org/a b", False),
    ],
)
def test_a_video_link_must_be_an_http_or_https_address(link: str, ok: bool) -> None:
    assert is_web_link(link) is ok
    assert (venue_problems(Venue(video_link=link)) == []) is ok


def test_texts_are_bounded() -> None:
    long = Venue(
        address="a" * (MAX_ADDRESS + 1),
        video_link="https://example.org/" + "a" * MAX_LINK,
        bring="b" * (MAX_BRING + 1),
    )
    assert keys(venue_problems(long)) == [
        "venues.too_long_address",
        "venues.too_long_video_link",
        "venues.too_long_bring",
    ]
    assert keys(intro_problems("18:00", "p" * (MAX_PLACE + 1))) == ["venues.too_long_place"]
    assert keys(intro_problems("18h", "Café Central")) == []
    assert keys(intro_problems("late", "")) == ["venues.time_unreadable"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_messages_read_in_each_language(lang: str) -> None:
    problems = venue_problems(Venue("11:30", "09:30", "a" * 300, "x"))
    texts = [problem.text(lang) for problem in problems]
    assert len(set(texts)) == 3 and all("venues." not in text for text in texts)
