"""The store contract: every test here runs against the local workbook and the Google sheet."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pandas as pd
import pytest
from gspread.utils import rowcol_to_a1

from sheets.ids import looks_like_id
from sheets.schema import PARTICIPANTS, SESSIONS
from sheets.store import Append, Note, RecordNotFound, Store, Update
from tests.conftest import MakeBackend
from tests.harness import Hands

Backend = tuple[Store, Hands]

MENTEE: dict[str, Any] = {
    "Role": "Mentee",
    "Status": "Ready",
    "First name": "Amina",
    "Last name": "Testperson",
    "Email": "amina@example.org",
    "Birth date": dt.date(2001, 3, 4),
    "Office": "Brussels",
    "Languages": ["French", "Arabic"],
    "Availability": ["Mon AM", "Wed PM"],
    "Capacity": 1,
}


def a1(row: int, column_index: int) -> str:
    """A1 notation of a sheet row and a 0-based column index."""
    return rowcol_to_a1(row, column_index + 1)


def column_of(hands: Hands, tab: str, header: str) -> int:
    return hands.rows(tab)[0].index(header)


def row_with(hands: Hands, tab: str, record_id: str) -> list[str]:
    rows = hands.rows(tab)
    id_index = rows[0].index("ID")
    return next(row for row in rows if len(row) > id_index and row[id_index] == record_id)


def cell(hands: Hands, tab: str, record_id: str, header: str) -> str:
    row = row_with(hands, tab, record_id)
    index = column_of(hands, tab, header)
    return row[index] if index < len(row) else ""


def test_appended_record_reads_back_with_canonical_values(backend: Backend) -> None:
    store, _ = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    record = store.table("Participants").record(person_id)
    assert record is not None
    assert record["First name"] == "Amina"
    assert record["Birth date"] == pd.Timestamp(2001, 3, 4)
    assert record["Languages"] == ["French", "Arabic"]
    assert record["Availability"] == ["Mon AM", "Wed PM"]
    assert record["Capacity"] == 1.0
    assert record["Updated on"] is not pd.NaT


def test_values_are_written_canonically_in_the_sheet(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    assert cell(hands, "Participants", person_id, "Birth date") == "2001-03-04"
    assert cell(hands, "Participants", person_id, "Languages") == "French, Arabic"


def test_each_appended_record_gets_a_unique_readable_id(backend: Backend) -> None:
    store, _ = backend
    ids = store.append("Participants", [MENTEE] * 5, who="tester")
    assert len(set(ids)) == 5
    assert all(looks_like_id(record_id, "P") for record_id in ids)


def test_update_changes_only_the_named_cells(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    before = row_with(hands, "Participants", person_id)
    result = store.update("Participants", person_id, {"Status": "In duo"}, who="tester")
    after = row_with(hands, "Participants", person_id)
    header = hands.rows("Participants")[0]
    pairs = zip(before, after, strict=False)
    changed = {header[i] for i, (old, new) in enumerate(pairs) if old != new}
    assert result.written == ("Status",)
    assert changed <= {"Status", "Updated on"}
    assert cell(hands, "Participants", person_id, "Status") == "In duo"


def test_update_finds_the_row_after_staff_sorted_the_tab(backend: Backend) -> None:
    store, hands = backend
    ids = store.append(
        "Participants", [{**MENTEE, "Last name": name} for name in ("Zed", "Mid", "Abe")], "t"
    )
    hands.sort_rows("Participants", column_of(hands, "Participants", "Last name"))
    store.update("Participants", ids[0], {"Notes": "sorted"}, who="tester")
    assert cell(hands, "Participants", ids[0], "Last name") == "Zed"
    assert cell(hands, "Participants", ids[0], "Notes") == "sorted"
    assert cell(hands, "Participants", ids[2], "Notes") == ""


def test_update_writes_the_right_cell_after_staff_reordered_columns(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    status_at = column_of(hands, "Participants", "Status")
    hands.move_column("Participants", status_at, 0)
    store.update("Participants", person_id, {"Status": "On hold"}, who="tester")
    assert hands.rows("Participants")[0][0] == "Status"
    assert cell(hands, "Participants", person_id, "Status") == "On hold"
    assert cell(hands, "Participants", person_id, "First name") == "Amina"


def test_blank_row_inserted_by_staff_is_skipped_and_kept(backend: Backend) -> None:
    store, hands = backend
    ids = store.append("Participants", [MENTEE, MENTEE], who="tester")
    hands.insert_blank_row("Participants", 3)
    assert list(store.table("Participants").frame["ID"]) == ids
    store.update("Participants", ids[1], {"Notes": "after the gap"}, who="tester")
    rows = hands.rows("Participants")
    assert not any(rows[2])
    assert cell(hands, "Participants", ids[1], "Notes") == "after the gap"


def test_french_header_is_read_and_written_by_name(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    first_name_at = column_of(hands, "Participants", "First name")
    hands.set_cell("Participants", a1(1, first_name_at), "Prénom")
    assert store.table("Participants").record(person_id)["First name"] == "Amina"  # type: ignore[index]
    store.update("Participants", person_id, {"First name": "Aminata"}, who="tester")
    assert hands.rows("Participants")[0][first_name_at] == "Prénom"
    assert cell(hands, "Participants", person_id, "Prénom") == "Aminata"


def test_staff_column_survives_appends_and_updates(backend: Backend) -> None:
    store, hands = backend
    [first] = store.append("Participants", [MENTEE], who="tester")
    width = len(hands.rows("Participants")[0])
    hands.set_cell("Participants", a1(1, width), "Remarque interne")
    hands.set_cell("Participants", a1(2, width), "à rappeler")
    [second] = store.append("Participants", [MENTEE], who="tester")
    store.update("Participants", first, {"Status": "On hold"}, who="tester")
    assert cell(hands, "Participants", first, "Remarque interne") == "à rappeler"
    assert cell(hands, "Participants", second, "Remarque interne") == ""
    assert "Remarque interne" in store.table("Participants").frame.columns


def test_cell_changed_by_someone_else_is_a_conflict_not_overwritten(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    seen = store.table("Participants").record(person_id)
    assert seen is not None
    status_at = column_of(hands, "Participants", "Status")
    row_number = [row[0] for row in hands.rows("Participants")].index(person_id) + 1
    hands.set_cell("Participants", a1(row_number, status_at), "Withdrawn")
    result = store.update(
        "Participants", person_id, {"Status": "In duo", "Notes": "matched"}, "tester", seen=seen
    )
    assert [c.column for c in result.conflicts] == ["Status"]
    assert result.conflicts[0].current == "Withdrawn"
    assert result.conflicts[0].proposed == "In duo"
    assert result.written == ("Notes",)
    assert cell(hands, "Participants", person_id, "Status") == "Withdrawn"


def test_other_cells_someone_changed_meanwhile_stay_as_they_are(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    seen = store.table("Participants").record(person_id)
    phone_at = column_of(hands, "Participants", "Phone")
    hands.set_cell("Participants", a1(2, phone_at), "+32 470 00 11 22")
    store.update("Participants", person_id, {"Notes": "called"}, "tester", seen=seen)
    assert cell(hands, "Participants", person_id, "Phone") == "+32 470 00 11 22"


def test_same_value_typed_differently_is_not_a_conflict(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    seen = store.table("Participants").record(person_id)
    status_at = column_of(hands, "Participants", "Status")
    hands.set_cell("Participants", a1(2, status_at), "prêt")
    result = store.update("Participants", person_id, {"Status": "In duo"}, "tester", seen=seen)
    assert result.ok


def test_choosing_my_value_after_a_conflict_overwrites(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    status_at = column_of(hands, "Participants", "Status")
    hands.set_cell("Participants", a1(2, status_at), "Withdrawn")
    result = store.update("Participants", person_id, {"Status": "In duo"}, "tester", seen=None)
    assert result.written == ("Status",)
    assert cell(hands, "Participants", person_id, "Status") == "In duo"


@pytest.mark.parametrize("text", ["=1+1", "+32 470", "-5", "@home", '=HYPERLINK("x")'])
def test_formula_like_text_stays_text(backend: Backend, text: str) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [{**MENTEE, "Notes": text}], who="tester")
    store.update("Participants", person_id, {"Goal": text}, who="tester")
    assert cell(hands, "Participants", person_id, "Notes") == text
    assert cell(hands, "Participants", person_id, "Goal") == text
    assert hands.formulas() == []
    assert store.table("Participants").record(person_id)["Notes"] == text  # type: ignore[index]


def test_every_change_is_audited_without_personal_values(backend: Backend) -> None:
    store, _ = backend
    [person_id] = store.append("Participants", [MENTEE], who="coordinator@example.org")
    store.update("Participants", person_id, {"Last name": "Changed"}, who="coordinator@example.org")
    audit = store.table("Audit").frame
    assert list(audit["Action"]) == ["create", "update"]
    assert set(audit["Record ID"]) == {person_id}
    assert set(audit["Who"]) == {"coordinator@example.org"}
    assert list(audit["Details"]) == ["", "Last name"]
    assert not audit.astype(str).apply(lambda col: col.str.contains("Changed|Amina")).any().any()


def test_erase_blanks_personal_cells_and_keeps_the_statistics(backend: Backend) -> None:
    store, hands = backend
    [mentee_id, mentor_id] = store.append(
        "Participants", [MENTEE, {**MENTEE, "Role": "Mentor", "First name": "Jan"}], "t"
    )
    [duo_id] = store.append(
        "Duos",
        [
            {
                "Mentor ID": mentor_id,
                "Mentee ID": mentee_id,
                "Status": "Active",
                "Objectives": "Amina wants a job",
            }
        ],
        "t",
    )
    store.append(
        "Meetings",
        [{"Duo ID": duo_id, "Date": dt.date(2026, 1, 5), "Hours": 2, "Summary": "Amina's CV"}],
        "t",
    )
    store.append(
        "Follow-ups",
        [{"Duo ID": duo_id, "Person ID": mentee_id, "Situation": "Job", "Notes": "Amina works"}],
        "t",
    )
    blanked = store.erase_participant(mentee_id, who="admin@example.org")
    assert blanked > 0
    person = store.table("Participants").record(mentee_id)
    assert person is not None
    assert person["First name"] == "" and person["Email"] == "" and pd.isna(person["Birth date"])
    assert person["Role"] == "Mentee" and person["Office"] == "Brussels"
    assert person["Languages"] == ["French", "Arabic"]
    assert store.table("Participants").record(mentor_id)["First name"] == "Jan"  # type: ignore[index]
    assert store.table("Duos").record(duo_id)["Objectives"] == ""  # type: ignore[index]
    meetings = store.table("Meetings").frame
    assert list(meetings["Summary"]) == [""] and list(meetings["Hours"]) == [2.0]
    follow_ups = store.table("Follow-ups").frame
    assert list(follow_ups["Notes"]) == [""] and list(follow_ups["Situation"]) == ["Job"]
    assert "erase" in set(store.table("Audit").frame["Action"])
    assert "Amina" not in str(hands.rows("Participants")) + str(hands.rows("Meetings"))
    assert "Amina" not in str(hands.rows("Follow-ups"))


def test_assign_ids_fills_rows_staff_typed_without_one(backend: Backend) -> None:
    store, hands = backend
    store.append("Participants", [MENTEE], who="t")
    first_name_at = column_of(hands, "Participants", "First name")
    hands.set_cell("Participants", a1(3, first_name_at), "Typed by hand")
    table = store.table("Participants")
    assert [f.problem for f in table.findings] == ["missing_id"]
    assigned = store.assign_ids("Participants", who="t")
    assert [row for row, _ in assigned] == [3]
    assert store.table("Participants").findings == []
    assert looks_like_id(assigned[0][1], "P")


def test_unreadable_values_are_findings_and_the_row_is_still_shown(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="t")
    birth_at = column_of(hands, "Participants", "Birth date")
    status_at = column_of(hands, "Participants", "Status")
    hands.set_cell("Participants", a1(2, birth_at), "last spring")
    hands.set_cell("Participants", a1(2, status_at), "Sleeping")
    table = store.table("Participants")
    assert table.record(person_id) is not None
    found = {(f.row, f.column, f.raw, f.problem) for f in table.findings}
    assert found == {
        (2, "Birth date", "last spring", "not_a_date"),
        (2, "Status", "Sleeping", "unknown_choice"),
    }
    assert table.record(person_id)["Status"] == "Sleeping"  # type: ignore[index]


def test_updating_an_id_that_is_gone_is_refused(backend: Backend) -> None:
    store, _ = backend
    with pytest.raises(RecordNotFound):
        store.update("Participants", "P-NOTHER", {"Notes": "x"}, who="t")


def test_attendance_rows_are_found_by_session_and_participant(backend: Backend) -> None:
    store, _hands = backend
    store.append(
        "Attendance",
        [
            {"Session ID": "S-AAAAAA", "Participant ID": "P-BBBBBB", "Status": "Registered"},
            {"Session ID": "S-AAAAAA", "Participant ID": "P-CCCCCC", "Status": "Registered"},
        ],
        who="t",
    )
    where = {"Session ID": "S-AAAAAA", "Participant ID": "P-CCCCCC"}
    store.update("Attendance", where, {"Status": "Attended"}, who="t")
    assert list(store.table("Attendance").frame["Status"]) == ["Registered", "Attended"]


def test_set_up_adds_missing_tabs_and_columns_without_reordering(
    make_backend: MakeBackend,
) -> None:
    grids = {
        "Participants": [
            ["Status", "ID", "Our own column", "Prénom"],
            ["Ready", "P-AAAAAA", "x", "Ana"],
        ],
        "Duos": [["ID"]],
    }
    store, hands = make_backend(grids)
    done = store.set_up()
    header = hands.rows("Participants")[0]
    assert header[:4] == ["Status", "ID", "Our own column", "Prénom"]
    assert set(PARTICIPANTS.column_names) - {"First name", "Status", "ID"} <= set(header[4:])
    assert hands.rows("Participants")[1][:4] == ["Ready", "P-AAAAAA", "x", "Ana"]
    assert hands.rows("Sessions")[0] == list(SESSIONS.column_names)
    assert "created tab Sessions" in done
    again = store.set_up()
    assert not any(line.startswith(("created", "added")) for line in again)


def test_ids_stay_unique_when_threads_create_records_at_once(backend: Backend) -> None:
    store, _ = backend
    results: list[list[str]] = []
    lock = threading.Lock()

    def create() -> None:
        ids = store.append("Meetings", [{"Duo ID": "D-AAAAAA", "Hours": 1}] * 3, who="t")
        with lock:
            results.append(ids)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [record_id for batch in results for record_id in batch]
    assert len(ids) == 18 == len(set(ids))
    assert sorted(store.table("Meetings").frame["ID"]) == sorted(ids)


def test_an_event_without_a_cell_change_is_logged(backend: Backend) -> None:
    store, _ = backend
    store.log("admin@example.org", "export", "Participants", "P-AAAAAA", "subject access export")
    audit = store.table("Audit").frame
    assert list(audit["Action"]) == ["export"]
    assert list(audit["Record ID"]) == ["P-AAAAAA"]


def test_set_up_is_audited_when_it_changes_something(make_backend: MakeBackend) -> None:
    store, _ = make_backend({"Participants": [["ID"]]})
    store.set_up(who="admin@example.org")
    audit = store.table("Audit").frame
    assert list(audit["Action"]) == ["set_up"]
    assert list(audit["Who"]) == ["admin@example.org"]


def test_erase_blanks_notes_and_the_columns_staff_added(backend: Backend) -> None:
    store, hands = backend
    [person_id] = store.append(
        "Participants", [{**MENTEE, "Notes": "Withdrawn: health reasons"}], who="t"
    )
    width = len(hands.rows("Participants")[0])
    hands.set_cell("Participants", a1(1, width), "Remarque interne")
    hands.set_cell("Participants", a1(2, width), "Prefers calls in the morning")
    store.erase_participant(person_id, who="admin@example.org")
    assert cell(hands, "Participants", person_id, "Notes") == ""
    assert cell(hands, "Participants", person_id, "Remarque interne") == ""
    assert cell(hands, "Participants", person_id, "Role") == "Mentee"


def test_a_unit_of_work_lands_its_appends_updates_and_audit_rows_together(
    backend: Backend,
) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    audit_before = len(hands.rows("Audit"))
    written = store.write(
        [
            Append("Meetings", [{"Duo ID": "D-AAA001", "Date": dt.date(2026, 11, 2), "Hours": 2}]),
            Update("Participants", person_id, {"Status": "In duo"}),
            Note("export", "Participants", person_id, "asked by the person"),
        ],
        who="tester",
    )
    [[meeting_id]] = written.ids
    assert written.updates[0].written == ("Status",)
    assert cell(hands, "Meetings", meeting_id, "Hours") == "2"
    assert cell(hands, "Participants", person_id, "Status") == "In duo"
    actions = [row[2] for row in hands.rows("Audit")[audit_before:]]
    assert sorted(actions) == ["create", "export", "update"]


def test_repeating_an_append_of_a_record_with_its_id_writes_nothing_new(
    backend: Backend,
) -> None:
    store, hands = backend
    [person_id] = store.append("Participants", [MENTEE], who="tester")
    again = store.append("Participants", [{**MENTEE, "ID": person_id}], who="tester")
    assert again == [person_id]
    ids = [row[0] for row in hands.rows("Participants")[1:]]
    assert ids.count(person_id) == 1


def test_registering_the_same_person_to_a_session_twice_keeps_one_row(
    backend: Backend,
) -> None:
    store, hands = backend
    registration = {"Session ID": "S-AAA001", "Participant ID": "P-AAA001", "Status": "Registered"}
    store.append("Attendance", [registration], who="tester")
    store.append("Attendance", [{**registration, "Participant ID": "p-aaa001 "}], who="tester")
    assert len(hands.rows("Attendance")) == 2


def test_the_recent_part_of_a_growing_tab_is_its_last_rows_with_their_sheet_rows(
    backend: Backend,
) -> None:
    store, hands = backend
    for number in range(6):
        store.log("tester", "export", "Participants", f"P-{number:03d}")
    recent = store.recent("Audit", 2)
    assert list(recent.frame["Record ID"]) == ["P-004", "P-005"]
    ids = [row[4] for row in hands.rows("Audit")]
    assert [ids[row - 1] for row in recent.frame["_row"]] == ["P-004", "P-005"]
