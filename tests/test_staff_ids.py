"""IDs as staff write them: a team that brings its own sheet keeps its own ID scheme.

Any non-empty ID used on one row only is valid, whatever its shape; the app's own format
(`P-7KQ4M2`) is only for the IDs it creates. Runs on the local backend (no memory kept
between reads of the file).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from sheets.__main__ import check_workbook
from sheets.ids import looks_like_id, new_id
from sheets.local import EMPTY_TABS
from sheets.store import Store
from tests.harness import FileHands, local_backend

PEOPLE = ["ID", "First name", "Last name", "Role", "Notes"]
DUOS = ["ID", "Mentor ID", "Mentee ID", "Notes"]


def own_sheet(
    tmp_path: Path, people: list[list[Any]], duos: list[list[Any]] | None = None
) -> tuple[Store, FileHands]:
    """A workbook as a team brings it: their rows, their IDs, the app's other tabs empty."""
    grids = dict(EMPTY_TABS)
    grids["Participants"] = [PEOPLE, *people]
    grids["Duos"] = [DUOS, *(duos or [])]
    return local_backend(tmp_path, grids)


def staff_scheme(tmp_path: Path) -> tuple[Store, FileHands]:
    return own_sheet(
        tmp_path,
        [
            ["P-001", "Ann", "Peeters", "Mentor", ""],
            ["2024-17", "Bilal", "Amrani", "Mentee", ""],
            ["abc 12", "Chloé", "Dubois", "Mentee", ""],
            [18, "Dirk", "Janssens", "Mentor", ""],
        ],
        [["D7", "P-001", "2024-17", ""], ["2024/D8", "18", "abc 12", ""]],
    )


def check_output(store: Store, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """What `python -m sheets check --strict` answers and prints for the workbook."""
    code = check_workbook(store, strict=True)
    return code, capsys.readouterr().out


def test_a_workbook_in_the_staffs_own_id_scheme_has_no_findings_in_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, _ = staff_scheme(tmp_path)
    assert store.findings() == []
    code, out = check_output(store, capsys)
    assert code == 0
    assert out.strip().endswith(": 0 finding(s)")
    assert "format" not in out


def test_a_duplicate_staff_id_and_a_missing_id_still_are_findings_in_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, _ = own_sheet(
        tmp_path,
        [
            ["P-001", "Ann", "Peeters", "Mentor", ""],
            ["", "Bilal", "Amrani", "Mentee", ""],
            ["2024-17", "Chloé", "Dubois", "Mentee", ""],
            ["p-001 ", "Dirk", "Janssens", "Mentor", ""],
        ],
        [["D7", "P-001", "2024-17", ""], ["D7", "", "", ""]],
    )
    found = {(f.tab, f.row, f.raw, f.problem) for f in store.findings()}
    assert found == {
        ("Participants", 2, "P-001", "duplicate_id"),
        ("Participants", 3, "", "missing_id"),
        ("Participants", 5, "p-001", "duplicate_id"),
        ("Duos", 2, "D7", "duplicate_id"),
        ("Duos", 3, "D7", "duplicate_id"),
    }
    code, out = check_output(store, capsys)
    assert code == 1
    assert out.count("ID used on more than one row") == 4
    assert out.count("row without an ID") == 1
    assert out.strip().endswith(": 5 finding(s)")


@pytest.mark.parametrize(
    ("typed", "row"),
    [("2024-17", 3), ("P-001", 2), ("abc 12", 4), ("18", 5), (" p-001 ", 2), ("ABC 12", 4)],
)
def test_an_update_by_a_staff_id_lands_in_that_row(tmp_path: Path, typed: str, row: int) -> None:
    store, hands = staff_scheme(tmp_path)
    result = store.update("Participants", typed, {"Notes": "called back"}, who="t")
    assert result.row == row and result.written == ("Notes",)
    header, *lines = hands.rows("Participants")
    at = header.index("Notes")
    noted = [number for number, line in enumerate(lines, start=2) if line[at:] and line[at]]
    assert noted == [row]


def test_an_update_by_a_staff_duo_id_lands_in_that_row(tmp_path: Path) -> None:
    store, hands = staff_scheme(tmp_path)
    store.update("Duos", "2024/D8", {"Notes": "met twice"}, who="t")
    assert hands.rows("Duos")[2] == ["2024/D8", "18", "abc 12", "met twice"]
    assert store.table("Duos").record("2024/D8")["Notes"] == "met twice"  # type: ignore[index]


def test_a_new_id_is_never_one_staff_already_use_even_in_lower_case() -> None:
    first = new_id("P", rng=random.Random(7))
    assert new_id("P", {first}, rng=random.Random(7)) != first
    assert new_id("P", {first.lower()}, rng=random.Random(7)) != first
    assert new_id("P", {"P-001", "2024-17"}, rng=random.Random(7)) == first


def test_rows_the_app_adds_next_to_staff_ids_get_the_apps_own_format(tmp_path: Path) -> None:
    store, _ = staff_scheme(tmp_path)
    [added] = store.append("Participants", [{"First name": "Eva", "Role": "Mentor"}], who="t")
    assert looks_like_id(added, "P")
    ids = list(store.table("Participants").frame["ID"])
    assert ids == ["P-001", "2024-17", "abc 12", "18", added]
    assert store.findings() == []
