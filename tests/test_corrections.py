"""Correcting or cancelling a meeting, check-in or evaluation from the Duos page.

A cancelled row stays in the sheet, marked `Cancelled`, with who and when in Audit, and counts
nowhere; a corrected row keeps its ID and changes only the cells that were edited.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clock
from attention import attention_items, in_force
from meetings import InputRefused
from reports import office_report
from services.duos import (
    CheckInEntry,
    EvaluationEntry,
    MeetingEntry,
    cancel_entry,
    correct_check_in,
    correct_evaluation,
    correct_meeting,
    log_check_in,
    log_evaluation,
    log_meeting,
    meeting_entry_problems,
)
from services.offices import OutOfOffice
from sheets.store import Store
from tests.apptest import ANTWERP, BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_forms_once import submit_twice
from workflow import TransitionError, cell_text, records

TODAY = clock.today()


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def a_duo(store: Store, status: str, office: str = "Brussels") -> dict[str, Any]:
    for duo in records(store.table("Duos").frame):
        if cell_text(duo, "Status") == status and cell_text(duo, "Office") == office:
            return duo
    raise LookupError(f"no {status} duo in {office}")


def row_of(store: Store, tab: str, record_id: str) -> dict[str, Any]:
    record = store.table(tab).record(record_id)
    assert record is not None
    return record


def audit_of(store: Store, record_id: str) -> list[tuple[str, str, str]]:
    audit = store.table("Audit").frame
    mine = audit[audit["Record ID"] == record_id]
    return list(zip(mine["Action"], mine["Who"], mine["Details"], strict=True))


def a_meeting(store: Store, hours: float = 3.0) -> tuple[dict[str, Any], str]:
    duo = a_duo(store, "Active")
    entry = MeetingEntry(TODAY, hours, "Video", (), "Went through the CV")
    [meeting_id] = log_meeting(store, BRUSSELS, duo["ID"], entry, TODAY).ids
    return duo, meeting_id


def figures(store: Store) -> tuple[int, float]:
    tables = store.read(["Participants", "Duos", "Meetings", "Evaluations"])
    report = office_report(
        participants=tables["Participants"].frame,
        duos=tables["Duos"].frame,
        meetings=tables["Meetings"].frame,
        evaluations=tables["Evaluations"].frame,
        start=TODAY - timedelta(days=30),
        end=TODAY,
    )
    return report.summary.meetings, report.summary.hours_met


def test_a_cancelled_meeting_stays_marked_with_an_audit_row_and_counts_nowhere(
    store: Store,
) -> None:
    _, meeting_id = a_meeting(store, hours=3.0)
    meetings, hours = figures(store)
    before = len(store.table("Meetings").frame)
    outcome = cancel_entry(store, BRUSSELS, "Meetings", meeting_id, "Logged for the wrong duo")
    assert outcome.ok
    assert len(store.table("Meetings").frame) == before
    assert row_of(store, "Meetings", meeting_id)["Cancelled"] is True
    audit = audit_of(store, meeting_id)
    assert ("cancel_meeting", BRUSSELS.email, "Logged for the wrong duo") in audit
    assert [action for action, _, _ in audit].count("cancel_meeting") == 2
    assert figures(store) == (meetings - 1, hours - 3.0)


def test_a_cancel_needs_a_reason_and_happens_once(store: Store) -> None:
    _, meeting_id = a_meeting(store)
    with pytest.raises(InputRefused):
        cancel_entry(store, BRUSSELS, "Meetings", meeting_id, "  ")
    assert row_of(store, "Meetings", meeting_id)["Cancelled"] is False
    cancel_entry(store, BRUSSELS, "Meetings", meeting_id, "Twice logged")
    with pytest.raises(TransitionError):
        cancel_entry(store, BRUSSELS, "Meetings", meeting_id, "Twice logged")


def test_cancelled_rows_leave_the_to_do_list_as_if_they_were_never_logged(store: Store) -> None:
    tables = store.read(["Participants", "Duos", "Meetings", "Check-ins", "Evaluations"])
    frames = {name: table.frame for name, table in tables.items()}

    def items(logged: dict[str, pd.DataFrame]) -> list[Any]:
        return attention_items(
            participants=frames["Participants"],
            duos=frames["Duos"],
            today=TODAY,
            meetings=logged["meetings"],
            check_ins=logged["check_ins"],
            evaluations=logged["evaluations"],
        )

    cancelled = {
        name: frames[tab].assign(Cancelled=True)
        for name, tab in (
            ("meetings", "Meetings"),
            ("check_ins", "Check-ins"),
            ("evaluations", "Evaluations"),
        )
    }
    empty = {name: frame.iloc[0:0] for name, frame in cancelled.items()}
    assert items(cancelled) == items(empty)
    assert in_force(cancelled["meetings"]) is not None
    assert in_force(None) is None


def test_a_corrected_meeting_keeps_its_id_and_changes_only_the_edited_cells(
    store: Store,
) -> None:
    _, meeting_id = a_meeting(store)
    seen = row_of(store, "Meetings", meeting_id)
    entry = MeetingEntry(TODAY, 1.5, "Video", (), "Went through the CV")
    outcome = correct_meeting(store, BRUSSELS, meeting_id, entry, seen, TODAY)
    assert outcome.ok
    after = row_of(store, "Meetings", meeting_id)
    changed = {
        column
        for column in ("ID", "Duo ID", "Date", "Hours", "Mode", "Summary", "Logged by")
        if after[column] != seen[column]
    }
    assert changed == {"Hours"} and after["Hours"] == 1.5
    assert audit_of(store, meeting_id)[-1][0] == "correct_meeting"


def test_a_correction_that_breaks_a_rule_is_refused_with_the_same_message_as_logging(
    store: Store,
) -> None:
    duo, meeting_id = a_meeting(store)
    seen = row_of(store, "Meetings", meeting_id)
    wrong = MeetingEntry(TODAY + timedelta(days=1), 9, "Phone")
    problems = meeting_entry_problems(duo, store.table("Lists").frame, wrong, TODAY)
    with pytest.raises(InputRefused) as logging:
        log_meeting(store, BRUSSELS, duo["ID"], wrong, TODAY)
    with pytest.raises(InputRefused) as correcting:
        correct_meeting(store, BRUSSELS, meeting_id, wrong, seen, TODAY)
    assert list(correcting.value.problems) == list(logging.value.problems) == problems
    assert row_of(store, "Meetings", meeting_id)["Hours"] == seen["Hours"]


def test_a_correction_of_a_cell_someone_changed_since_is_a_conflict(store: Store) -> None:
    _, meeting_id = a_meeting(store)
    seen = row_of(store, "Meetings", meeting_id)
    store.update("Meetings", meeting_id, {"Hours": 2.5}, "staff@sheet")
    entry = MeetingEntry(TODAY, 1.0, "Video", (), "Went through the CV")
    outcome = correct_meeting(store, BRUSSELS, meeting_id, entry, seen, TODAY)
    assert not outcome.ok
    assert row_of(store, "Meetings", meeting_id)["Hours"] == 2.5


def test_check_ins_and_evaluations_are_corrected_and_cancelled_too(store: Store) -> None:
    duo = a_duo(store, "Active")
    [check_in_id] = log_check_in(
        store, BRUSSELS, duo["ID"], CheckInEntry(TODAY, "Both", "Good"), TODAY
    ).ids
    seen = row_of(store, "Check-ins", check_in_id)
    fixed = CheckInEntry(TODAY, "Both", "At risk")
    assert correct_check_in(store, BRUSSELS, check_in_id, fixed, seen, TODAY).ok
    assert row_of(store, "Check-ins", check_in_id)["Health"] == "At risk"
    cancel_entry(store, BRUSSELS, "Check-ins", check_in_id, "Never happened")
    assert row_of(store, "Check-ins", check_in_id)["Cancelled"] is True

    ended = a_duo(store, "Completed")
    entry = EvaluationEntry("Mentee", TODAY, "Yes", "Training", "", 5)
    [evaluation_id] = log_evaluation(store, BRUSSELS, ended["ID"], entry, TODAY).ids
    seen = row_of(store, "Evaluations", evaluation_id)
    with pytest.raises(InputRefused):
        wrong = EvaluationEntry("Mentee", TODAY, "Yes", "Job", "", 5)
        correct_evaluation(store, BRUSSELS, evaluation_id, wrong, seen, TODAY)
    better = EvaluationEntry("Mentee", TODAY, "Yes", "Training", "", 4)
    assert correct_evaluation(store, BRUSSELS, evaluation_id, better, seen, TODAY).ok
    assert row_of(store, "Evaluations", evaluation_id)["Satisfaction"] == 4
    cancel_entry(store, BRUSSELS, "Evaluations", evaluation_id, "Wrong duo")
    assert audit_of(store, evaluation_id)[-1][0] == "cancel_evaluation"


def test_a_coordinator_of_another_office_cannot_cancel_nor_correct(store: Store) -> None:
    _, meeting_id = a_meeting(store)
    seen = row_of(store, "Meetings", meeting_id)
    with pytest.raises(OutOfOffice):
        cancel_entry(store, ANTWERP, "Meetings", meeting_id, "Not mine")
    with pytest.raises(OutOfOffice):
        entry = MeetingEntry(TODAY, 1.0, "Video")
        correct_meeting(store, ANTWERP, meeting_id, entry, seen, TODAY)
    assert row_of(store, "Meetings", meeting_id)["Cancelled"] is False


def test_cancelling_from_the_duo_page_marks_the_row(workbook: Path) -> None:
    store = store_of(workbook)
    _, meeting_id = a_meeting(store)
    duo_id = cell_text(row_of(store, "Meetings", meeting_id), "Duo ID")
    app = open_page("duos.py", user=BRUSSELS, lang="en", query={"id": duo_id})
    assert_no_exception(app)
    form = f"duo-{duo_id}-0-cancel-{meeting_id}"
    app.text_input(key=f"{form}-reason").input("Logged twice")
    app.checkbox(key=f"{form}-confirm").check()
    app.button(key=f"{form}-submit").click()
    app.run()
    assert_no_exception(app)
    assert row_of(store_of(workbook), "Meetings", meeting_id)["Cancelled"] is True
    assert any("cancelled" in str(line.value) for line in app.markdown)


def test_the_duo_page_refuses_a_cancel_without_confirmation(workbook: Path) -> None:
    store = store_of(workbook)
    _, meeting_id = a_meeting(store)
    duo_id = cell_text(row_of(store, "Meetings", meeting_id), "Duo ID")
    app = open_page("duos.py", user=BRUSSELS, lang="en", query={"id": duo_id})
    form = f"duo-{duo_id}-0-cancel-{meeting_id}"
    app.text_input(key=f"{form}-reason").input("Logged twice")
    app.button(key=f"{form}-submit").click()
    app.run()
    assert_no_exception(app)
    assert row_of(store_of(workbook), "Meetings", meeting_id)["Cancelled"] is False


def an_evaluation(store: Store) -> tuple[dict[str, Any], str]:
    ended = a_duo(store, "Completed")
    entry = EvaluationEntry("Mentee", TODAY, "Partly", "Training", "", 4, "Good support")
    [evaluation_id] = log_evaluation(store, BRUSSELS, ended["ID"], entry, TODAY, second=True).ids
    return ended, evaluation_id


def test_the_duo_page_corrects_an_evaluation_from_its_recorded_values_once(
    workbook: Path,
) -> None:
    duo, evaluation_id = an_evaluation(store_of(workbook))
    seen = row_of(store_of(workbook), "Evaluations", evaluation_id)
    app = open_page("duos.py", user=BRUSSELS, lang="en", query={"id": duo["ID"]})
    assert_no_exception(app)
    form = f"duo-{duo['ID']}-0-correct-{evaluation_id}"
    assert app.radio(key=f"{form}-respondent").value == "Mentee"
    assert app.radio(key=f"{form}-objectives-met").value == "Partly"
    assert app.radio(key=f"{form}-satisfaction").value == 4
    assert app.selectbox(key=f"{form}-outcome").value == "Training"
    assert app.selectbox(key=f"{form}-contract").value is None
    assert app.text_area(key=f"{form}-comments").value == "Good support"
    app.radio(key=f"{form}-satisfaction").set_value(2)
    app.selectbox(key=f"{form}-outcome").set_value("Job")
    app.selectbox(key=f"{form}-contract").set_value("3 months or more")
    submit_twice(app, f"{form}-submit")
    after = row_of(store_of(workbook), "Evaluations", evaluation_id)
    changed = {
        column for column in seen if column != "Updated on" and after[column] != seen[column]
    }
    assert changed == {"Satisfaction", "Outcome", "Contract"}
    assert (after["Satisfaction"], after["Outcome"], after["Contract"]) == (
        2,
        "Job",
        "3 months or more",
    )
    audit = [action for action, _, _ in audit_of(store_of(workbook), evaluation_id)]
    assert audit == ["log_evaluation", "correct_evaluation"]  # sent twice, written once


def test_the_duo_page_refuses_an_evaluation_correction_that_breaks_a_rule(
    workbook: Path,
) -> None:
    duo, evaluation_id = an_evaluation(store_of(workbook))
    app = open_page("duos.py", user=BRUSSELS, lang="en", query={"id": duo["ID"]})
    form = f"duo-{duo['ID']}-0-correct-{evaluation_id}"
    app.selectbox(key=f"{form}-outcome").set_value("Job")  # a job needs its contract
    app.button(key=f"{form}-submit").click()
    app.run()
    assert_no_exception(app)
    assert app.error
    assert row_of(store_of(workbook), "Evaluations", evaluation_id)["Outcome"] == "Training"
