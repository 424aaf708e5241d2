"""The retention rule (privacy.due_for_erasure): who has been quiet for longer than N years.

Every test names its own "today", so the rule is checked on fixed days, never on the clock's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from privacy import due_for_erasure
from tests.test_workflow import duo, duos, frame, people, person

TODAY = date(2026, 3, 16)
YEARS = 3
CUTOFF = date(2023, 3, 16)
"""TODAY less YEARS: activity on this day is exactly YEARS old, not older."""
LONG_AGO = date(2020, 5, 4)
RECENTLY = date(2025, 11, 2)
BLANK_PERSONAL: dict[str, Any] = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "birth_date": pd.NaT,
}
"""The personal cells the rule looks at, all blank (as after an erasure)."""


def quiet_since(person_id: str, day: date, status: str = "Alumni", **cells: Any) -> dict[str, Any]:
    """A person whose own row was last touched on `day` (applied, consented and updated then)."""
    dates = {"applied_on": day, "consent_on": day, "updated_on": day}
    return person(person_id, status=status, **{**dates, **cells})


def workbook(
    participants: list[dict[str, Any]],
    all_duos: list[dict[str, Any]] | None = None,
    **tabs: list[dict[str, Any]],
) -> dict[str, pd.DataFrame]:
    """The tabs the rule reads; Meetings, Check-ins and Evaluations empty unless given."""
    frames = {"Participants": people(*participants), "Duos": duos(*(all_duos or []))}
    for tab, key in (
        ("Meetings", "meetings"),
        ("Check-ins", "check_ins"),
        ("Evaluations", "evaluations"),
    ):
        frames[tab] = frame(tab, tabs.get(key, []))
    return frames


def due_ids(frames: dict[str, pd.DataFrame], today: date = TODAY, years: int = YEARS) -> list[str]:
    return list(due_for_erasure(frames, today, years)["ID"])


# -- the retention period ---------------------------------------------------------------------


def test_a_person_inactive_for_longer_than_the_retention_is_due_for_erasure() -> None:
    assert due_ids(workbook([quiet_since("P-OLD", LONG_AGO)])) == ["P-OLD"]


def test_a_person_active_within_the_retention_is_not_due() -> None:
    assert due_ids(workbook([quiet_since("P-NEW", RECENTLY)])) == []


def test_activity_exactly_the_retention_ago_is_not_yet_due_and_a_day_earlier_is() -> None:
    frames = workbook(
        [quiet_since("P-ON-CUTOFF", CUTOFF), quiet_since("P-DAY-BEFORE", date(2023, 3, 15))]
    )
    assert due_ids(frames) == ["P-DAY-BEFORE"]


def test_the_retention_counts_calendar_years_from_a_leap_day() -> None:
    leap_day = date(2028, 2, 29)
    frames = workbook(
        [quiet_since("P-FEB-28", date(2027, 2, 28)), quiet_since("P-FEB-27", date(2027, 2, 27))]
    )
    assert due_ids(frames, today=leap_day, years=1) == ["P-FEB-27"]


def test_a_longer_retention_keeps_a_person_a_shorter_one_lets_go() -> None:
    frames = workbook([quiet_since("P-1", date(2022, 6, 1))])
    assert due_ids(frames, years=3) == ["P-1"]
    assert due_ids(frames, years=5) == []


def test_the_same_workbook_gives_more_people_as_the_days_go_by() -> None:
    frames = workbook(
        [quiet_since("P-2021", date(2021, 9, 1)), quiet_since("P-2024", date(2024, 9, 1))]
    )
    assert due_ids(frames, today=date(2024, 9, 1)) == []
    assert due_ids(frames, today=date(2024, 9, 2)) == ["P-2021"]
    assert due_ids(frames, today=date(2027, 9, 2)) == ["P-2021", "P-2024"]


# -- what counts as activity ------------------------------------------------------------------


def test_the_latest_date_on_the_persons_row_counts() -> None:
    applied_long_ago_trained_lately = quiet_since(
        "P-1", LONG_AGO, role="Mentor", trained_on=RECENTLY
    )
    assert due_ids(workbook([applied_long_ago_trained_lately])) == []


def test_a_recent_date_on_one_of_their_duos_keeps_both_people() -> None:
    frames = workbook(
        [quiet_since("P-MENTOR", LONG_AGO, role="Mentor"), quiet_since("P-MENTEE", LONG_AGO)],
        [duo("D-1", status="Completed", proposed_on=LONG_AGO, ended_on=RECENTLY)],
    )
    assert due_ids(frames) == []


@pytest.mark.parametrize("tab", ["meetings", "check_ins", "evaluations"])
def test_a_recent_meeting_check_in_or_evaluation_of_their_duo_keeps_them(tab: str) -> None:
    frames = workbook(
        [quiet_since("P-MENTOR", LONG_AGO, role="Mentor"), quiet_since("P-MENTEE", LONG_AGO)],
        [duo("D-1", status="Completed", proposed_on=LONG_AGO, ended_on=LONG_AGO)],
        **{tab: [{"id": "X-1", "duo_id": "D-1", "date": RECENTLY}]},
    )
    assert due_ids(frames) == []


def test_another_duos_activity_does_not_keep_a_person() -> None:
    frames = workbook(
        [
            quiet_since("P-MENTOR", LONG_AGO, role="Mentor"),
            quiet_since("P-MENTEE", LONG_AGO),
            quiet_since("P-OTHER", LONG_AGO),
        ],
        [
            duo("D-OLD", status="Completed", proposed_on=LONG_AGO, ended_on=LONG_AGO),
            duo("D-NEW", mentee="P-OTHER", status="Completed", ended_on=RECENTLY),
        ],
        meetings=[{"id": "M-1", "duo_id": "D-NEW", "date": RECENTLY}],
    )
    assert due_ids(frames) == ["P-MENTEE"]


def test_an_old_duo_does_not_hide_a_persons_recent_activity() -> None:
    frames = workbook(
        [quiet_since("P-MENTOR", RECENTLY, role="Mentor"), quiet_since("P-MENTEE", LONG_AGO)],
        [duo("D-1", status="Completed", proposed_on=LONG_AGO, ended_on=LONG_AGO)],
    )
    assert due_ids(frames) == ["P-MENTEE"]


# -- who is never listed ----------------------------------------------------------------------


def test_a_person_in_a_duo_is_never_due_however_long_ago_their_last_date() -> None:
    assert due_ids(workbook([quiet_since("P-1", LONG_AGO, status="In duo")])) == []


def test_a_person_already_erased_is_not_listed_again() -> None:
    erased = quiet_since("P-1", LONG_AGO, **BLANK_PERSONAL)
    assert due_ids(workbook([erased])) == []


@pytest.mark.parametrize(
    "left",
    [
        {"first_name": "Amina"},
        {"last_name": "Peeters"},
        {"email": "amina@example.org"},
        {"phone": "+32 470 12 34 56"},
        {"birth_date": date(1990, 4, 1)},
    ],
    ids=["first name", "last name", "email", "phone", "birth date"],
)
def test_one_personal_cell_left_is_enough_to_be_listed(left: dict[str, Any]) -> None:
    one_left = quiet_since("P-1", LONG_AGO, **{**BLANK_PERSONAL, **left})
    assert due_ids(workbook([one_left])) == ["P-1"]


def test_personal_notes_left_after_the_name_was_blanked_still_make_a_person_due() -> None:
    notes_left = quiet_since(
        "P-1", LONG_AGO, notes="Lives with her sister; asylum file pending", **BLANK_PERSONAL
    )
    assert due_ids(workbook([notes_left])) == ["P-1"]


# -- the list ---------------------------------------------------------------------------------


def test_the_list_gives_id_role_status_office_and_last_activity_oldest_first() -> None:
    frames = workbook(
        [
            quiet_since("P-2019", date(2019, 1, 10), role="Mentor", office="Ghent"),
            quiet_since("P-2017", date(2017, 7, 3), status="Withdrawn", office="Antwerp"),
            quiet_since("P-2021", date(2021, 12, 24)),
        ]
    )
    listed = due_for_erasure(frames, TODAY, YEARS)
    assert list(listed.columns) == ["ID", "Role", "Status", "Office", "Last activity"]
    assert listed.to_dict("records") == [
        {
            "ID": "P-2017",
            "Role": "Mentee",
            "Status": "Withdrawn",
            "Office": "Antwerp",
            "Last activity": pd.Timestamp(2017, 7, 3),
        },
        {
            "ID": "P-2019",
            "Role": "Mentor",
            "Status": "Alumni",
            "Office": "Ghent",
            "Last activity": pd.Timestamp(2019, 1, 10),
        },
        {
            "ID": "P-2021",
            "Role": "Mentee",
            "Status": "Alumni",
            "Office": "Brussels",
            "Last activity": pd.Timestamp(2021, 12, 24),
        },
    ]


def test_an_empty_participants_tab_gives_an_empty_list_with_a_last_activity_column() -> None:
    listed = due_for_erasure(workbook([]), TODAY, YEARS)
    assert listed.empty
    assert "Last activity" in listed.columns
