"""The rules of a mentoring meeting (`meetings.py`), one set for both ways of logging one:
the coordinator's form (`services/duos.py`) and the personal link (`services/meeting_links.py`).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from i18n import LANGUAGES, Msg
from meetings import (
    MAX_SUMMARY_CHARS,
    DuoTerms,
    InputRefused,
    MeetingEntry,
    listed_topics,
    meeting_problems,
)
from workflow import TransitionError

TODAY = date(2026, 3, 16)
AGREEMENT = date(2025, 11, 3)
DUO = DuoTerms(AGREEMENT, ("CV", "Network", "Interview practice"))


def keys(problems: list[Msg]) -> list[str]:
    return [problem.key.removeprefix("meetings.") for problem in problems]


def test_a_meeting_within_the_rules_has_no_problem() -> None:
    for entry in (
        MeetingEntry(TODAY, 0.5, "Phone"),
        MeetingEntry(AGREEMENT, 8.0, "In person", ("CV", "Network"), "x" * MAX_SUMMARY_CHARS),
        MeetingEntry(TODAY - timedelta(days=3), 1.5, "Video", (), "  Mock interview  "),
    ):
        assert meeting_problems(entry, DUO, TODAY) == [], entry


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            MeetingEntry(TODAY + timedelta(days=1), 0.25, "Telepathy", ("Astrology",), "x" * 1001),
            [
                "date_in_future",
                "hours_out_of_range",
                "mode_required",
                "unknown_topic",
                "summary_too_long",
            ],
        ),
        (
            MeetingEntry(AGREEMENT - timedelta(days=1), 8.5, "", (), ""),
            ["date_before_agreement", "hours_out_of_range", "mode_required"],
        ),
        (MeetingEntry(None, None, "Video", (), ""), ["date_required", "hours_out_of_range"]),
        (
            MeetingEntry(TODAY + timedelta(days=1), 9, "Phone"),
            ["date_in_future", "hours_out_of_range"],
        ),
    ],
)
def test_every_problem_of_a_meeting_is_named_in_the_order_of_the_form(
    entry: MeetingEntry, expected: list[str]
) -> None:
    assert keys(meeting_problems(entry, DUO, TODAY)) == expected


def test_the_messages_name_the_dates_and_the_bounds_in_every_language() -> None:
    early = meeting_problems(MeetingEntry(date(2025, 11, 2), 10, "Video"), DUO, TODAY)
    assert [problem.text("en") for problem in early] == [
        "The meeting date 02/11/2025 is before the signature of the agreement (03/11/2025).",
        "A meeting lasts between 0.5 and 8 hours, not 10.",
    ]
    late = meeting_problems(MeetingEntry(date(2026, 3, 17), 1, "Video"), DUO, TODAY)
    assert "17/03/2026" in late[0].text("en")
    for problem in [*early, *late, *meeting_problems(MeetingEntry(None, 1, ""), DUO, TODAY)]:
        for lang in LANGUAGES:
            text = problem.text(lang)
            assert text != problem.key and "{" not in text, (problem.key, lang)


def test_a_duo_without_an_agreement_or_topics_takes_any_past_date_and_no_topic() -> None:
    bare = DuoTerms(None, ())
    assert meeting_problems(MeetingEntry(date(2020, 1, 1), 1, "Video"), bare, TODAY) == []
    assert keys(meeting_problems(MeetingEntry(TODAY, 1, "Video", ("CV",)), bare, TODAY)) == [
        "unknown_topic"
    ]


def test_the_summary_is_measured_as_it_is_kept() -> None:
    padded = MeetingEntry(TODAY, 1, "Video", (), f"  {'x' * MAX_SUMMARY_CHARS}\n")
    assert meeting_problems(padded, DUO, TODAY) == []
    decomposed = MeetingEntry(TODAY, 1, "Video", (), "e\u0301" * MAX_SUMMARY_CHARS)
    assert meeting_problems(decomposed, DUO, TODAY) == [], "é typed as e + accent is one letter"


def test_the_listed_topics_are_the_lists_tabs_own_each_once_in_order() -> None:
    lists = pd.DataFrame({"Topics": [" CV", "Network", "", "CV", None], "Offices": list("abcde")})
    assert listed_topics(lists) == ("CV", "Network")
    assert listed_topics(pd.DataFrame({"Offices": ["Brussels"]})) == ()


def test_a_refusal_carries_every_problem_and_says_the_first() -> None:
    problems = meeting_problems(MeetingEntry(None, None, ""), DUO, TODAY)
    refused = InputRefused(problems)
    assert isinstance(refused, TransitionError)
    assert refused.problems == tuple(problems) and refused.msg == problems[0]
