"""What only the local workbook has: file locks, other programs, damaged files, the read cache."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from sheets.local import LocalStore
from sheets.store import WorkbookLocked, WorkbookUnreadable
from tests.harness import local_backend

MEETING = {"Duo ID": "D-AAAAAA", "Hours": 2}


def test_writes_are_refused_while_excel_has_the_workbook_open(tmp_path: Path) -> None:
    store, hands = local_backend(tmp_path)
    (tmp_path / "~$workbook.xlsx").write_text("owner")
    with pytest.raises(WorkbookLocked) as caught:
        store.append("Meetings", [MEETING], who="t")
    assert "Excel" in caught.value.msg.text("en")
    assert "Excel" in caught.value.msg.text("nl")
    assert hands.rows("Meetings")[1:] == []


def test_writes_are_refused_while_libreoffice_has_the_workbook_open(tmp_path: Path) -> None:
    store, _ = local_backend(tmp_path)
    (tmp_path / ".~lock.workbook.xlsx#").write_text("owner")
    with pytest.raises(WorkbookLocked):
        store.update("Participants", "P-AAAAAA", {"Notes": "x"}, who="t")


def test_a_damaged_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    store = LocalStore(path)
    with pytest.raises(WorkbookUnreadable):
        store.table("Participants")
    with pytest.raises(WorkbookUnreadable):
        store.append("Meetings", [MEETING], who="t")
    assert path.read_bytes() == b"this is not a spreadsheet"


def test_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "nowhere.xlsx")
    with pytest.raises(WorkbookUnreadable) as caught:
        store.table("Participants")
    assert "python -m sheets init" in caught.value.msg.text("fr")


def test_reads_come_from_memory_until_the_file_changes(tmp_path: Path) -> None:
    store, hands = local_backend(tmp_path)
    store.table("Meetings")
    calls = store.status().calls
    store.read(["Meetings", "Participants"])
    store.table("Meetings")
    assert store.status().calls == calls + 1
    hands.set_cell("Meetings", "A2", "M-BBBBBB")
    assert list(store.table("Meetings").frame["ID"]) == ["M-BBBBBB"]


def test_two_stores_on_one_file_lose_no_update(tmp_path: Path) -> None:
    first, hands = local_backend(tmp_path)
    second = LocalStore(first.location)
    first.append("Meetings", [MEETING], who="a")
    second.append("Meetings", [MEETING], who="b")
    first.append("Meetings", [MEETING], who="a")
    assert len(hands.rows("Meetings")) == 4
    assert len(set(first.table("Meetings").frame["ID"])) == 3


def _append_meetings(path: str, count: int) -> list[str]:
    store = LocalStore(path)
    return [store.append("Meetings", [MEETING], who="process")[0] for _ in range(count)]


def test_processes_writing_at_once_lose_nothing_and_share_no_id(tmp_path: Path) -> None:
    store, _ = local_backend(tmp_path)
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        batches = pool.starmap(_append_meetings, [(store.location, 4)] * 3)
    ids = [record_id for batch in batches for record_id in batch]
    assert len(ids) == 12 == len(set(ids))
    assert sorted(store.table("Meetings").frame["ID"]) == sorted(ids)
    assert len(store.table("Audit").frame) == 12
