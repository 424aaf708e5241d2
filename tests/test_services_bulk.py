"""Bulk actions on ticked rows: who moves, who is skipped and why, in one unit of work."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest

import clock
from services.bulk import (
    bulk_duo_actions,
    bulk_person_actions,
    bulk_step,
    move_duos,
    move_people,
    plan_duo_moves,
    plan_person_moves,
    withdraw_people,
)
from services.sessions import register_people
from sheets.memory import MemoryStore
from sheets.store import Change, Store, Written
from tests.apptest import ADMIN, BRUSSELS
from workflow import (
    ACTIVE,
    ALUMNI,
    APPLIED,
    IN_DUO,
    INTAKE_DONE,
    MENTEE,
    MENTOR,
    ON_HOLD,
    PROPOSED,
    READY,
    TRAINED,
    WITHDRAWN,
    Complete,
    DuoAction,
    EndEarly,
    PersonAction,
    TransitionError,
    cell_text,
    records,
)

TODAY = clock.today()
PEOPLE_COLUMNS = ["ID", "First name", "Last name", "Role", "Status", "Office", "Notes"]
DUO_COLUMNS = [
    "ID",
    "Mentor ID",
    "Mentee ID",
    "Status",
    "Office",
    "Proposed on",
    "Agreement on",
    "Ended on",
    "End reason",
]


def people(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """(ID, role, status, office) -> a Participants frame; the ID doubles as the first name."""
    return pd.DataFrame(
        [
            {
                "ID": pid,
                "First name": pid,
                "Last name": "Test",
                "Role": role,
                "Status": status,
                "Office": office,
                "Notes": "",
            }
            for pid, role, status, office in rows
        ],
        columns=PEOPLE_COLUMNS,
    )


def duos(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """(ID, mentor ID, mentee ID, status) -> a Duos frame of Brussels, agreed 2 months ago."""
    agreed = TODAY - timedelta(days=60)
    return pd.DataFrame(
        [
            {
                "ID": duo_id,
                "Mentor ID": mentor,
                "Mentee ID": mentee,
                "Status": status,
                "Office": "Brussels",
                "Proposed on": agreed - timedelta(days=20),
                "Agreement on": agreed if status != PROPOSED else None,
                "Ended on": None,
                "End reason": "",
            }
            for duo_id, mentor, mentee, status in rows
        ],
        columns=DUO_COLUMNS,
    )


NO_DUOS = duos()


def cells_of(plan_unit: Any) -> dict[str, dict[str, Any]]:
    """Record ID -> the cells the unit writes in its row."""
    return {change.record_id: change.cells for change in plan_unit.sources if change is not None}


def reasons(skipped: Sequence[Any]) -> dict[str, str]:
    return {item.person: item.reason.key for item in skipped}


# -- planning status moves (pure) -----------------------------------------------------------


def test_only_the_people_the_move_is_legal_for_move_and_the_others_are_named_with_why() -> None:
    ticked = people(
        ("P-1", MENTOR, TRAINED, "Brussels"),
        ("P-2", MENTEE, APPLIED, "Brussels"),
        ("P-3", MENTEE, INTAKE_DONE, "Brussels"),
    )
    step = bulk_step(PersonAction.MARK_READY, TODAY)
    plan = plan_person_moves(BRUSSELS, ["P-1", "P-2", "P-3"], ticked, NO_DUOS, step, "mark_ready")
    assert plan.moved == ["P-1 Test", "P-3 Test"]
    assert reasons(plan.skipped) == {"P-2 Test": "workflow.person_move_not_allowed"}
    assert cells_of(plan.unit) == {"P-1": {"Status": READY}, "P-3": {"Status": READY}}


def test_a_person_of_another_office_is_skipped_not_moved() -> None:
    ticked = people(("P-1", MENTOR, TRAINED, "Brussels"), ("P-2", MENTOR, TRAINED, "Antwerp"))
    step = bulk_step(PersonAction.MARK_READY, TODAY)
    plan = plan_person_moves(BRUSSELS, ["P-1", "P-2"], ticked, NO_DUOS, step, "mark_ready")
    assert plan.moved == ["P-1 Test"]
    assert reasons(plan.skipped) == {"P-2 Test": "services.not_your_office"}
    assert set(cells_of(plan.unit)) == {"P-1"}


def test_someone_in_a_live_duo_is_not_withdrawn_and_the_reason_says_so() -> None:
    ticked = people(("P-1", MENTOR, IN_DUO, "Brussels"), ("P-2", MENTEE, READY, "Brussels"))
    live = duos(("D-1", "P-1", "P-9", ACTIVE))
    step = bulk_step(PersonAction.WITHDRAW, TODAY, "moved abroad")
    plan = plan_person_moves(BRUSSELS, ["P-1", "P-2"], ticked, live, step, "withdraw")
    assert plan.moved == ["P-2 Test"]
    assert reasons(plan.skipped) == {"P-1 Test": "workflow.person_has_live_duo"}
    written = cells_of(plan.unit)["P-2"]
    assert written["Status"] == WITHDRAWN and "moved abroad" in written["Notes"]


def test_a_person_ticked_twice_or_gone_from_the_workbook_is_planned_once_or_named() -> None:
    ticked = people(("P-1", MENTOR, TRAINED, "Brussels"))
    step = bulk_step(PersonAction.MARK_READY, TODAY)
    plan = plan_person_moves(ADMIN, ["P-1", "P-1", "P-X"], ticked, NO_DUOS, step, "mark_ready")
    assert plan.moved == ["P-1 Test"]
    assert reasons(plan.skipped) == {"P-X": "bulk.not_found"}
    assert len(plan.unit.changes) == 1


def test_an_intake_straight_to_ready_is_for_the_mentees_while_mentors_go_on_to_training() -> None:
    step = bulk_step(PersonAction.COMPLETE_INTAKE, TODAY, ready=True)
    ticked = people(
        ("P-1", MENTOR, "Info session", "Brussels"), ("P-2", MENTEE, "Info session", "Brussels")
    )
    plan = plan_person_moves(ADMIN, ["P-1", "P-2"], ticked, NO_DUOS, step, "complete_intake")
    statuses = {pid: cells["Status"] for pid, cells in cells_of(plan.unit).items()}
    assert statuses == {"P-1": INTAKE_DONE, "P-2": READY}


def test_resuming_takes_each_person_back_to_their_own_status_before_the_pause() -> None:
    ticked = people(("P-1", MENTOR, ON_HOLD, "Brussels"), ("P-2", MENTEE, ON_HOLD, "Brussels"))
    ticked.loc[0, "Notes"] = "2026-10-01 On hold (was Trained): holidays"
    plan = plan_person_moves(
        ADMIN, ["P-1", "P-2"], ticked, NO_DUOS, bulk_step(PersonAction.RESUME, TODAY), "resume"
    )
    statuses = {pid: cells["Status"] for pid, cells in cells_of(plan.unit).items()}
    assert statuses == {"P-1": TRAINED, "P-2": READY}


def test_the_list_offers_the_moves_at_least_one_ticked_person_may_take() -> None:
    ticked = records(
        people(("P-1", MENTOR, TRAINED, "Brussels"), ("P-2", MENTOR, ON_HOLD, "Brussels"))
    )
    offered = bulk_person_actions(ticked, NO_DUOS)
    assert PersonAction.MARK_READY in offered and PersonAction.RESUME in offered
    assert PersonAction.MARK_TRAINED not in offered


# -- planning duo endings (pure) --------------------------------------------------------------


def test_a_mentor_of_two_ticked_duos_leaves_once_the_last_of_them_ends() -> None:
    ticked = people(
        ("P-M", MENTOR, IN_DUO, "Brussels"),
        ("P-A", MENTEE, IN_DUO, "Brussels"),
        ("P-B", MENTEE, IN_DUO, "Brussels"),
    )
    both = duos(("D-1", "P-M", "P-A", ACTIVE), ("D-2", "P-M", "P-B", ACTIVE))
    early = Complete(TODAY, confirmed=True, reason="both found work")
    plan = plan_duo_moves(ADMIN, ["D-1", "D-2"], ticked, both, early, TODAY)
    cells = cells_of(plan.unit)
    assert cells["P-M"] == {"Status": ALUMNI}
    assert cells["P-A"] == cells["P-B"] == {"Status": ALUMNI}
    assert cells["D-1"]["Status"] == cells["D-2"]["Status"] == "Completed"
    assert [change.record_id for change in plan.unit.sources if change].count("P-M") == 1


def test_duos_the_step_does_not_fit_or_of_another_office_are_skipped_with_the_reason() -> None:
    ticked = people(
        ("P-M", MENTOR, IN_DUO, "Brussels"),
        ("P-A", MENTEE, IN_DUO, "Brussels"),
        ("P-N", MENTOR, IN_DUO, "Antwerp"),
        ("P-B", MENTEE, IN_DUO, "Antwerp"),
        ("P-C", MENTEE, IN_DUO, "Brussels"),
    )
    frame = duos(
        ("D-1", "P-M", "P-A", ACTIVE),
        ("D-2", "P-N", "P-B", ACTIVE),
        ("D-3", "P-M", "P-C", PROPOSED),
    )
    frame.loc[1, "Office"] = "Antwerp"
    step = EndEarly(TODAY, "moved away")
    plan = plan_duo_moves(BRUSSELS, ["D-1", "D-2", "D-3"], ticked, frame, step, TODAY)
    assert plan.moved == ["P-M Test & P-A Test (D-1)"]
    assert reasons(plan.skipped) == {
        "P-N Test & P-B Test (D-2)": "services.not_your_office",
        "P-M Test & P-C Test (D-3)": "workflow.duo_move_not_allowed",
    }


def test_an_ending_the_single_form_refuses_is_refused_for_every_ticked_duo() -> None:
    ticked = people(("P-M", MENTOR, IN_DUO, "Brussels"), ("P-A", MENTEE, IN_DUO, "Brussels"))
    frame = duos(("D-1", "P-M", "P-A", ACTIVE))
    future = Complete(TODAY + timedelta(days=3))
    plan = plan_duo_moves(ADMIN, ["D-1"], ticked, frame, future, TODAY)
    assert plan.moved == [] and reasons(plan.skipped) == {
        "P-M Test & P-A Test (D-1)": "duos.date_in_future"
    }
    assert not plan.unit.changes


def test_the_duo_list_offers_only_the_endings_the_ticked_duos_allow() -> None:
    frame = records(duos(("D-1", "P-M", "P-A", PROPOSED)))
    assert bulk_duo_actions(frame) == (DuoAction.DECLINE,)


# -- writing: one unit of work, audited per record ---------------------------------------------


class CountingStore(MemoryStore):
    """The in-memory store, counting the units of work it is given."""

    def __init__(self, grids: dict[str, list[list[Any]]]) -> None:
        super().__init__(copy.deepcopy(grids))
        self.units: list[list[Change]] = []

    def write(self, changes: Sequence[Change], who: str) -> Written:
        self.units.append(list(changes))
        return super().write(changes, who)


@pytest.fixture
def store(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    return CountingStore(demo_grids)


def ids_of(store: Store, **wanted: str) -> list[str]:
    frame = store.table("Participants").frame
    return [
        cell_text(p, "ID")
        for p in records(frame)
        if all(cell_text(p, column) == value for column, value in wanted.items())
    ]


def status_of(store: Store, person_id: str) -> str:
    frame = store.table("Participants").frame
    return str(frame.loc[frame["ID"] == person_id, "Status"].iloc[0])


def test_moving_ticked_people_is_one_write_with_an_audit_row_for_each(store: CountingStore) -> None:
    ready = ids_of(store, Role=MENTOR, Status=TRAINED, Office="Brussels")[:2]
    applied = ids_of(store, Role=MENTEE, Status=APPLIED, Office="Brussels")[:1]
    assert len(ready) == 2 and applied
    step = bulk_step(PersonAction.MARK_READY, TODAY)
    outcome = move_people(store, BRUSSELS, [*ready, *applied], step, "mark_ready")
    assert len(store.units) == 1
    assert (len(outcome.moved), len(outcome.skipped)) == (2, 1)
    assert [status_of(store, pid) for pid in ready] == [READY, READY]
    assert status_of(store, applied[0]) == APPLIED
    audit = store.table("Audit").frame
    assert set(ready) <= set(audit.loc[audit["Action"] == "mark_ready", "Record ID"])


def test_withdrawing_ticked_people_needs_a_reason_and_notes_it_for_each(
    store: CountingStore,
) -> None:
    ticked = ids_of(store, Role=MENTEE, Status=APPLIED, Office="Brussels")[:2]
    with pytest.raises(TransitionError):
        withdraw_people(store, BRUSSELS, ticked, TODAY, "  ")
    assert not store.units
    withdraw_people(store, BRUSSELS, ticked, TODAY, "no longer reachable")
    frame = store.table("Participants").frame.set_index("ID")
    for person_id in ticked:
        assert frame.loc[person_id, "Status"] == WITHDRAWN
        assert "no longer reachable" in str(frame.loc[person_id, "Notes"])
    assert len(store.units) == 1


def test_ending_ticked_duos_is_one_write(store: CountingStore) -> None:
    frame = store.table("Duos").frame
    active = [cell_text(d, "ID") for d in records(frame) if cell_text(d, "Status") == ACTIVE][:2]
    outcome = move_duos(store, ADMIN, active, EndEarly(TODAY, "programme review"), TODAY)
    assert len(store.units) == 1 and len(outcome.moved) == 2
    frame = store.table("Duos").frame.set_index("ID")
    assert list(frame.loc[active, "Status"]) == ["Ended early", "Ended early"]


def test_registering_ticked_people_for_a_full_session_asks_first_and_names_who_does_not_fit(
    store: CountingStore,
) -> None:
    on = TODAY + timedelta(days=10)
    store.append(
        "Sessions",
        [
            {
                "ID": "S-FULL01",
                "Kind": "Info session",
                "Date": on,
                "Office": "Brussels",
                "Capacity": 1,
            }
        ],
        "tests",
    )
    applicants = ids_of(store, Status=APPLIED, Office="Brussels")[:2]
    trained = ids_of(store, Status=TRAINED, Office="Brussels")[:1]
    asked = register_people(store, BRUSSELS, "S-FULL01", [*applicants, *trained])
    assert asked.needs_confirmation == (2, 1)
    writes = len(store.units)
    done = register_people(store, BRUSSELS, "S-FULL01", [*applicants, *trained], confirmed=True)
    assert len(store.units) == writes + 1
    assert len(done.skipped) == 1 and done.over_capacity == (2, 1)
