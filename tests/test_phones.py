"""Phone numbers: the stored form, the shown form and the search key (`phones.py`)."""

from __future__ import annotations

import pandas as pd
import pytest

from phones import display, normalise, search_key
from services.quality import phone_issues
from workflow import ROW

SAME_NUMBER = ("0470 12 34 56", "+32 470 12 34 56", "0032470123456", "+32 (0)470/12.34.56")


@pytest.mark.parametrize("typed", SAME_NUMBER)
def test_a_belgian_number_in_any_shape_is_stored_in_one_form(typed: str) -> None:
    assert normalise(typed) == "+32470123456"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("+31 6 12345678", "+31612345678"),
    ],
)
def test_numbers_of_other_countries_keep_their_country_code(typed: str, stored: str) -> None:
    assert normalise(typed) == stored


def test_a_number_without_country_code_is_read_in_the_region_given() -> None:
    assert normalise("06 12 34 56 78", region="FR") == "+33612345678"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "call me", "12345", "470", "=1+2", "0470 12 34 56 ext. 3", "1" * 40],
)
def test_text_that_is_no_valid_phone_number_gives_none(typed: str) -> None:
    assert normalise(typed) is None


def test_a_stored_number_is_shown_in_the_international_format() -> None:
    assert display("+32470123456") == "+32 470 12 34 56"
    assert display("+33612345678") == "+33 6 12 34 56 78"


def test_a_number_typed_by_hand_is_shown_international_and_no_number_as_typed() -> None:
    assert display("0470 12 34 56") == "+32 470 12 34 56"
    assert display("ask her mother") == "ask her mother"
    assert display("") == ""


def test_every_shape_of_the_same_number_has_the_same_search_key() -> None:
    assert {search_key(typed) for typed in SAME_NUMBER} == {"32470123456"}


def test_the_search_key_of_what_is_no_number_is_its_digits() -> None:
    assert search_key("0470 12") == "047012"
    assert search_key("n/a") == ""


def test_data_quality_lists_the_phone_cells_that_are_no_phone_number() -> None:
    participants = pd.DataFrame(
        {
            "ID": ["P-1", "P-2", "P-3", "P-4"],
            "Phone": ["+32470123456", "0470 12 34 56", "", "ask her sister"],
            ROW: [2, 3, 4, 5],
        }
    )
    [issue] = phone_issues(participants)
    assert (issue.section, issue.tab, issue.row, issue.column) == (
        "store",
        "Participants",
        5,
        "Phone",
    )
    assert (issue.value, issue.record_id) == ("ask her sister", "P-4")
    assert issue.problem.key == "quality.phone_unreadable"
