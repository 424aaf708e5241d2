"""Merging two rows of one applicant, and undoing the last status move the same day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import clock
from services.people import (
    change_status,
    merge_candidates,
    merge_people,
    undo_last_move,
    undo_target,
)
from sheets.store import Change, Store, Written
from tests.apptest import ADMIN, BRUSSELS, assert_no_exception, open_page, store_of
from workflow import AttendInfoSession, MarkReady, TransitionError, Withdraw

TODAY = clock.today()
Person = dict[str, Any]


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def row_of(store: Store, person_id: str) -> Person:
    frame = store.table("Participants").frame
    found = frame[frame["ID"] == person_id]
    return {str(column): value for column, value in found.iloc[0].items()}


def applicant(store: Store, **cells: Any) -> Person:
    """A new applicant of Brussels, with the given cells; as the pages see the record."""
    record = {
        "Role": "Mentee",
        "Status": "Applied",
        "Office": "Brussels",
        "Applied on": TODAY - timedelta(days=3),
        **cells,
    }
    [person_id] = store.append("Participants", [record], "tests")
    return row_of(store, person_id)


def sessions(store: Store, count: int) -> list[str]:
    return [str(s) for s in store.table("Sessions").frame["ID"].head(count)]


def register(store: Store, person_id: str, session_ids: Sequence[str]) -> None:
    rows = [
        {"Session ID": s, "Participant ID": person_id, "Status": "Registered"} for s in session_ids
    ]
    store.append("Attendance", rows, "tests")


def registered(store: Store, person_id: str) -> list[str]:
    frame = store.table("Attendance").frame
    return sorted(str(s) for s in frame.loc[frame["Participant ID"] == person_id, "Session ID"])


def audit_actions(store: Store, record_id: str) -> list[str]:
    audit = store.table("Audit").frame
    return audit.loc[audit["Record ID"] == record_id, "Action"].tolist()


def counting_writes(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    write = store.write

    def counted(changes: Sequence[Change], who: str) -> Written:
        calls.append(len(changes))
        return write(changes, who)

    monkeypatch.setattr(store, "write", counted)
    return calls


# -- merging ------------------------------------------------------------------------------


def test_merging_fills_the_missing_fields_only_marks_the_other_and_moves_its_registrations(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = applicant(store, **{"First name": "Amina", "Last name": "Diallo", "Goal": "Nurse"})
    other = applicant(
        store,
        **{
            "First name": "Aminata",
            "Last name": "Diallo",
            "Goal": "Lab work",
            "Email": "amina@example.org",
            "Languages": ["French"],
        },
    )
    first, second = sessions(store, 2)
    register(store, keep["ID"], [first])
    register(store, other["ID"], [first, second])
    writes = counting_writes(store, monkeypatch)
    outcome = merge_people(store, BRUSSELS, keep["ID"], other["ID"], keep, other)
    assert outcome.ok
    assert len(writes) == 1
    kept = row_of(store, keep["ID"])
    assert (kept["First name"], kept["Goal"]) == ("Amina", "Nurse")
    assert kept["Email"] == "amina@example.org"
    assert kept["Languages"] == ["French"]
    assert kept["Status"] == "Applied"
    gone = row_of(store, other["ID"])
    assert gone["Status"] == "Withdrawn"
    assert gone["Notes"].endswith(f"merged into {keep['ID']}")
    assert registered(store, keep["ID"]) == sorted([first, second])
    assert registered(store, other["ID"]) == [first]
    assert set(audit_actions(store, keep["ID"])) == {"create", "merge"}
    assert audit_actions(store, other["ID"])[-1] == "merge"


def test_only_two_applicants_of_the_same_office_can_be_merged(store: Store) -> None:
    keep = applicant(store, **{"First name": "Bo"})
    ready = applicant(store, **{"First name": "Bo", "Status": "Ready"})
    with pytest.raises(TransitionError):
        merge_people(store, BRUSSELS, keep["ID"], ready["ID"], keep, ready)
    elsewhere = applicant(store, **{"First name": "Bo", "Office": "Antwerp"})
    with pytest.raises(TransitionError):
        merge_people(store, ADMIN, keep["ID"], elsewhere["ID"], keep, elsewhere)
    assert elsewhere["ID"] not in set(
        merge_candidates(store.table("Participants").frame, keep)["ID"]
    )
    assert row_of(store, ready["ID"])["Status"] == "Ready"


# -- undo ---------------------------------------------------------------------------------


def test_undo_the_same_day_puts_the_status_back_and_is_audited(store: Store) -> None:
    person = applicant(store, **{"First name": "Cas"})
    change_status(store, BRUSSELS, person, AttendInfoSession(TODAY), None)
    moved = row_of(store, person["ID"])
    assert moved["Status"] == "Info session"
    assert undo_target(store, moved, TODAY) == "Applied"
    outcome = undo_last_move(store, BRUSSELS, person["ID"], TODAY, seen_status="Info session")
    assert outcome.ok
    assert row_of(store, person["ID"])["Status"] == "Applied"
    assert audit_actions(store, person["ID"])[-1] == "undo"
    # an undo is not undone in turn
    assert undo_target(store, row_of(store, person["ID"]), TODAY) is None
    with pytest.raises(TransitionError):
        undo_last_move(store, BRUSSELS, person["ID"], TODAY)


def test_undo_the_next_day_is_refused(store: Store) -> None:
    person = applicant(store, **{"Status": "Intake done"})
    change_status(store, BRUSSELS, person, MarkReady(), None)
    tomorrow = TODAY + timedelta(days=1)
    assert undo_target(store, row_of(store, person["ID"]), tomorrow) is None
    with pytest.raises(TransitionError) as refused:
        undo_last_move(store, BRUSSELS, person["ID"], tomorrow)
    assert refused.value.msg.key == "workflow.undo_not_today"
    assert row_of(store, person["ID"])["Status"] == "Ready"


def test_undo_is_refused_when_the_status_changed_since(store: Store) -> None:
    person = applicant(store, **{"Status": "Intake done"})
    change_status(store, BRUSSELS, person, MarkReady(), None)
    with pytest.raises(TransitionError) as refused:
        undo_last_move(store, BRUSSELS, person["ID"], TODAY, seen_status="Intake done")
    assert refused.value.msg.key == "workflow.undo_changed_since"


def test_a_withdrawal_cannot_be_undone_as_the_status_before_is_unknown(store: Store) -> None:
    person = applicant(store)
    change_status(store, BRUSSELS, person, Withdraw(TODAY, "moved away"), None)
    with pytest.raises(TransitionError) as refused:
        undo_last_move(store, BRUSSELS, person["ID"], TODAY)
    assert refused.value.msg.key == "workflow.undo_before_unknown"


# -- the page -----------------------------------------------------------------------------


def test_the_page_merges_an_applicant_with_their_other_row(workbook: Path) -> None:
    store = store_of(workbook)
    keep = applicant(store, **{"First name": "Dina", "Last name": "Aaa"})
    other = applicant(store, **{"First name": "Dina", "Last name": "Aaa", "Goal": "Cook"})
    pid = keep["ID"]
    app = open_page("participants.py", user=BRUSSELS, query={"id": pid})
    assert_no_exception(app)
    app.selectbox(key=f"merge-{pid}-other").set_value(other["ID"])
    app.button(key=f"merge-{pid}-go").click().run()
    assert_no_exception(app)
    assert [e.value for e in app.error] == ["Choose the other row and confirm first."]
    assert row_of(store_of(workbook), other["ID"])["Status"] == "Applied"
    app.selectbox(key=f"merge-{pid}-other").set_value(other["ID"])
    app.checkbox(key=f"merge-{pid}-confirm").check()
    app.button(key=f"merge-{pid}-go").click().run()
    assert_no_exception(app)
    after = store_of(workbook)
    assert row_of(after, other["ID"])["Status"] == "Withdrawn"
    assert row_of(after, pid)["Goal"] == "Cook"


def test_the_page_undoes_the_last_move_of_today(workbook: Path) -> None:
    store = store_of(workbook)
    person = applicant(store, **{"First name": "Eli"})
    change_status(store, BRUSSELS, person, AttendInfoSession(TODAY), None)
    pid = person["ID"]
    app = open_page("participants.py", user=BRUSSELS, query={"id": pid})
    assert_no_exception(app)
    app.button(key=f"undo-{pid}-go").click().run()
    assert_no_exception(app)
    assert row_of(store_of(workbook), pid)["Status"] == "Applied"
    assert audit_actions(store_of(workbook), pid)[-1] == "undo"


def test_the_page_offers_no_undo_for_a_move_of_another_day(workbook: Path) -> None:
    store = store_of(workbook)
    person = applicant(store, **{"First name": "Fee"})
    with clock.frozen(TODAY - timedelta(days=1)):
        change_status(store, BRUSSELS, person, AttendInfoSession(TODAY), None)
    app = open_page("participants.py", user=BRUSSELS, query={"id": person["ID"]})
    assert_no_exception(app)
    assert not [b for b in app.button if b.key == f"undo-{person['ID']}-go"]
