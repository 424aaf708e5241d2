"""Self-filled end evaluations: the personal evaluation link, checked against the Duos row,
the evaluation sent through it, and what the duo page learns from what came in."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clock
import demo
from access import User
from demo.workbook import grids_from_records
from links import EVALUATION, LOG, InvalidLink, LinkClaims, Reason, sign, verify
from meetings import InputRefused
from services.duos import EvaluationEntry, cancel_entry, evaluation_cells, log_evaluation
from services.meeting_links import LinksDisabled, link_for, link_version, revoke
from services.self_evaluations import (
    SEND_LIMIT,
    SelfAnswers,
    came_in,
    evaluation_expiry,
    evaluation_link_for,
    missing_respondents,
    prefill,
    resolve,
    send_evaluation,
)
from sheets.store import RecordNotFound, Store
from tests.apptest import ADMIN, store_of
from tests.harness import google_backend
from tests.sheets_emulator import SheetsEmulator
from tests.test_services_duos import CountingStore
from workflow import TransitionError

SECRET = "a-test-secret-that-is-long-enough"
TODAY = clock.today()
MENTEE_ANSWERS = SelfAnswers(
    objectives_met="Partly",
    satisfaction=4,
    outcome="Job",
    contract="3 months or more",
    autonomy="Yes",
    career_plan="Partly",
    network="No",
    another_mentee="Yes",
    comments=" Thank you\x00 both. ",
)
MENTOR_ANSWERS = SelfAnswers(
    objectives_met="Yes", satisfaction=5, outcome="Job", another_mentee="Maybe"
)


@pytest.fixture(autouse=True)
def fresh_limit() -> Iterator[None]:
    SEND_LIMIT.reset()
    yield
    SEND_LIMIT.reset()


def token_in(link: str) -> str:
    return link.split("?t=", 1)[1]


def evaluations(store: Store) -> pd.DataFrame:
    return store.table("Evaluations").frame


def ended_duo(store: Store, without: str = "Mentee") -> dict[str, Any]:
    """A Completed duo whose `without` respondent has not evaluated it."""
    duos = store.table("Duos").frame
    frame = evaluations(store)
    answered = set(frame.loc[frame["Respondent"] == without, "Duo ID"])
    completed = duos[(duos["Status"] == "Completed") & ~duos["ID"].isin(answered)]
    return {str(k): v for k, v in completed.iloc[0].to_dict().items()}


def duo_with(store: Store, status: str) -> dict[str, Any]:
    duos = store.table("Duos").frame
    return {str(k): v for k, v in duos[duos["Status"] == status].iloc[0].to_dict().items()}


def token_for(store: Store, duo_id: str, role: str = "mentee") -> str:
    return token_in(evaluation_link_for(store, duo_id, "https://x", SECRET, role, today=TODAY))


# -- the link -----------------------------------------------------------------------------------


def test_an_evaluation_link_opens_the_duos_evaluation_for_its_mentee_or_mentor(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    link = evaluation_link_for(store, duo["ID"], "https://duo.example.org/", SECRET, today=TODAY)
    assert link.startswith("https://duo.example.org/evaluation?t=")
    claims = verify(token_in(link), SECRET, TODAY, EVALUATION)
    assert (claims.person_id, claims.role) == (duo["Mentee ID"], "mentee")
    linked = resolve(store, token_in(link), SECRET, TODAY)
    assert (linked.duo_id, linked.respondent, linked.sent_by) == (
        duo["ID"],
        "Mentee",
        "Mentee (link)",
    )
    assert linked.mentor_first_name and linked.mentee_first_name
    assert not linked.answered and linked.opens_on is None
    mentor = resolve(store, token_for(store, duo["ID"], "mentor"), SECRET, TODAY)
    assert mentor.respondent == "Mentor"


def test_a_meeting_log_link_never_opens_an_evaluation_nor_the_reverse(workbook: Path) -> None:
    store = store_of(workbook)
    active = duo_with(store, "Active")
    log_token = token_in(link_for(store, active["ID"], "https://x", SECRET, today=TODAY))
    with pytest.raises(InvalidLink) as refused:
        resolve(store, log_token, SECRET, TODAY)
    assert refused.value.reason is Reason.TAMPERED
    evaluation_token = token_for(store, ended_duo(store)["ID"])
    with pytest.raises(InvalidLink) as refused:
        verify(evaluation_token, SECRET, TODAY, LOG)
    assert refused.value.reason is Reason.TAMPERED


def test_a_tampered_evaluation_link_or_another_key_is_refused(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    token = token_for(store, duo["ID"])
    payload, mac = token.split(".")
    other = ended_duo(store, "Mentor")
    forged_claims = LinkClaims(
        other["ID"], other["Mentee ID"], link_version(other), "mentee", TODAY
    )
    forged = sign(forged_claims, SECRET, EVALUATION).split(".")[0]
    for bad in (f"{forged}.{mac}", f"{payload}.{mac[:-2]}AA"):
        with pytest.raises(InvalidLink) as refused:
            resolve(store, bad, SECRET, TODAY)
        assert refused.value.reason in (Reason.TAMPERED, Reason.MALFORMED)
    with pytest.raises(InvalidLink):
        resolve(store, token, "another-secret-long-enough", TODAY)


def test_an_evaluation_link_expires_60_days_after_the_planned_end_and_never_sooner_than_60_days(
    workbook: Path,
) -> None:
    assert evaluation_expiry(TODAY + dt.timedelta(days=30), TODAY) == TODAY + dt.timedelta(days=90)
    long_ago = TODAY - dt.timedelta(days=200)
    assert evaluation_expiry(long_ago, TODAY) == TODAY + dt.timedelta(days=60)
    store = store_of(workbook)
    token = token_for(store, ended_duo(store)["ID"])
    expires = verify(token, SECRET, TODAY, EVALUATION).expires
    assert resolve(store, token, SECRET, expires).duo_id
    with pytest.raises(InvalidLink) as refused:
        resolve(store, token, SECRET, expires + dt.timedelta(days=1))
    assert refused.value.reason is Reason.EXPIRED


def test_revoking_the_duos_links_stops_its_evaluation_links(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    old = token_for(store, duo["ID"])
    assert revoke(store, duo["ID"], "admin@example.org").ok
    with pytest.raises(InvalidLink) as refused:
        resolve(store, old, SECRET, TODAY)
    assert refused.value.reason is Reason.REVOKED
    with pytest.raises(InvalidLink):
        send_evaluation(store, old, SECRET, MENTEE_ANSWERS, TODAY)
    assert resolve(store, token_for(store, duo["ID"]), SECRET, TODAY).duo_id == duo["ID"]


def test_a_running_duo_says_when_its_evaluation_opens_and_a_proposed_one_has_no_link(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    active = duo_with(store, "Active")
    planned_end = TODAY + dt.timedelta(days=100)
    store.update("Duos", active["ID"], {"Planned end": planned_end}, "staff")
    linked = resolve(store, token_for(store, active["ID"]), SECRET, TODAY)
    assert linked.opens_on is not None and TODAY < linked.opens_on < planned_end
    with pytest.raises(TransitionError) as refused:
        send_evaluation(store, token_for(store, active["ID"]), SECRET, MENTEE_ANSWERS, TODAY)
    assert refused.value.msg.key == "self_evaluation.not_open"
    proposed = duo_with(store, "Proposed")
    with pytest.raises(TransitionError):
        evaluation_link_for(store, proposed["ID"], "https://x", SECRET, today=TODAY)
    claims = LinkClaims(proposed["ID"], proposed["Mentee ID"], 1, "mentee", TODAY)
    with pytest.raises(InvalidLink) as invalid:
        resolve(store, sign(claims, SECRET, EVALUATION), SECRET, TODAY)
    assert invalid.value.reason is Reason.INACTIVE


def test_a_link_needs_a_key_a_known_duo_and_the_coordinators_office(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    with pytest.raises(LinksDisabled):
        evaluation_link_for(store, duo["ID"], "https://x", None)
    with pytest.raises(RecordNotFound):
        evaluation_link_for(store, "D-NOSUCH", "https://x", SECRET)
    outsider = User("x@example.org", "X", "Coordinator", ("Nowhere",))
    with pytest.raises(RecordNotFound):
        evaluation_link_for(store, duo["ID"], "https://x", SECRET, user=outsider)


# -- sending one's evaluation -------------------------------------------------------------------


def test_a_mentee_sends_one_self_filled_row_with_their_outcome_and_gains(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    outcome = send_evaluation(store, token_for(store, duo["ID"]), SECRET, MENTEE_ANSWERS, TODAY)
    assert outcome.message.key == "self_evaluation.sent"
    row = evaluations(store).set_index("ID").loc[outcome.ids[0]]
    assert (row["Duo ID"], row["Respondent"], row["Source"], row["Date"].date()) == (
        duo["ID"],
        "Mentee",
        "Self-filled",
        TODAY,
    )
    assert (row["Objectives met"], row["Satisfaction"], row["Outcome"], row["Contract"]) == (
        "Partly",
        4,
        "Job",
        "3 months or more",
    )
    assert (row["Autonomy"], row["Career plan"], row["Network"]) == ("Yes", "Partly", "No")
    assert row["Another mentee"] == "", "a mentee is not asked about another mentee"
    assert row["Comments"] == "Thank you  both."
    audit = store.table("Audit").frame
    assert list(audit.loc[audit["Record ID"] == outcome.ids[0], "Who"]) == ["Mentee (link)"]


def test_a_mentor_answers_about_another_mentee_and_not_the_mentees_outcome(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    duo = ended_duo(store, "Mentor")
    token = token_for(store, duo["ID"], "mentor")
    [row_id] = send_evaluation(store, token, SECRET, MENTOR_ANSWERS, TODAY).ids
    row = evaluations(store).set_index("ID").loc[row_id]
    assert (row["Respondent"], row["Another mentee"], row["Source"]) == (
        "Mentor",
        "Maybe",
        "Self-filled",
    )
    assert (row["Outcome"], row["Autonomy"], row["Network"]) == ("", "", "")


def test_missing_answers_are_refused_each_by_name_and_nothing_is_written(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    before = len(evaluations(store))
    empty = SelfAnswers(objectives_met="", satisfaction=None, outcome="Job")
    with pytest.raises(InputRefused) as refused:
        send_evaluation(store, token_for(store, duo["ID"]), SECRET, empty, TODAY)
    assert [problem.key for problem in refused.value.problems] == [
        "duos.objectives_met_required",
        "duos.satisfaction_required",
        "duos.contract_required",
        "self_evaluation.gains_required",
    ]
    mentor = ended_duo(store, "Mentor")
    no_wish = SelfAnswers(objectives_met="Yes", satisfaction=3, another_mentee="Often")
    with pytest.raises(InputRefused) as refused:
        send_evaluation(store, token_for(store, mentor["ID"], "mentor"), SECRET, no_wish, TODAY)
    assert [problem.key for problem in refused.value.problems] == [
        "self_evaluation.another_mentee_required",
        "duos.answer_not_listed",
    ]
    assert len(evaluations(store)) == before


def test_a_second_evaluation_from_the_link_is_refused_and_the_same_form_again_writes_once(
    demo_grids: dict[str, list[list[Any]]],
) -> None:
    store = CountingStore(demo_grids)
    duo = ended_duo(store)
    token = token_for(store, duo["ID"])
    before = len(evaluations(store))
    [row_id] = send_evaluation(store, token, SECRET, MENTEE_ANSWERS, TODAY).ids
    assert len(store.units) == 1, "one write"
    again = send_evaluation(store, token, SECRET, MENTEE_ANSWERS, TODAY, record_id=row_id)
    assert again.ids == [row_id] and len(evaluations(store)) == before + 1
    with pytest.raises(TransitionError) as refused:
        send_evaluation(store, token, SECRET, MENTEE_ANSWERS, TODAY)
    assert refused.value.msg.key == "self_evaluation.already_answered"
    linked = resolve(store, token, SECRET, TODAY)
    assert linked.answered and linked.answered_on == TODAY
    assert len(evaluations(store)) == before + 1


def test_a_cancelled_self_filled_evaluation_opens_the_link_again(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    token = token_for(store, duo["ID"])
    [row_id] = send_evaluation(store, token, SECRET, MENTEE_ANSWERS, TODAY).ids
    cancel_entry(store, ADMIN, "Evaluations", row_id, "Sent by mistake")
    assert not resolve(store, token, SECRET, TODAY).answered
    assert send_evaluation(store, token, SECRET, MENTEE_ANSWERS, TODAY).ids != [row_id]


def test_a_link_sends_at_most_a_few_evaluations_an_hour(workbook: Path) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    for _ in range(SEND_LIMIT.limit):
        SEND_LIMIT.hit(f"{duo['ID']}/mentee")
    with pytest.raises(InputRefused) as refused:
        send_evaluation(store, token_for(store, duo["ID"]), SECRET, MENTEE_ANSWERS, TODAY)
    assert refused.value.msg.key == "self_evaluation.too_many"


# -- what came in, for the duo page -------------------------------------------------------------


def test_the_duo_page_learns_what_came_in_what_is_missing_and_what_to_prefill(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    duo = ended_duo(store)
    duo_id = duo["ID"]
    mine = evaluations(store)
    for row_id in mine.loc[mine["Duo ID"] == duo_id, "ID"]:
        cancel_entry(store, ADMIN, "Evaluations", row_id, "start over")
    assert missing_respondents(evaluations(store), duo_id) == ("Mentor", "Mentee", "Coordinator")
    assert prefill(evaluations(store), duo_id) == {}
    send_evaluation(store, token_for(store, duo_id), SECRET, MENTEE_ANSWERS, TODAY)
    send_evaluation(store, token_for(store, duo_id, "mentor"), SECRET, MENTOR_ANSWERS, TODAY)
    entry = EvaluationEntry("Coordinator", TODAY, "Yes", "Training", "None", 5)
    log_evaluation(store, ADMIN, duo_id, entry, TODAY)
    frame = evaluations(store)
    assert [(item.respondent, item.source) for item in came_in(frame, duo_id)] == [
        ("Mentee", "Self-filled"),
        ("Mentor", "Self-filled"),
        ("Coordinator", "Coordinator"),
    ]
    assert missing_respondents(frame, duo_id) == ()
    assert prefill(frame, duo_id) == {
        "Outcome": "Job",
        "Contract": "3 months or more",
        "Autonomy": "Yes",
        "Career plan": "Partly",
        "Network": "No",
        "Another mentee": "Maybe",
    }, "the self-filled answers, never the coordinator's"


def test_an_evaluation_leaves_the_questions_it_was_not_asked_as_they_are() -> None:
    older = EvaluationEntry("Mentee", TODAY, "Yes", "Job", "Permanent", 5, "ok")
    cells = evaluation_cells(older)
    assert not {"Autonomy", "Career plan", "Network", "Another mentee", "Source"} & set(cells)
    asked = EvaluationEntry("Mentee", TODAY, "Yes", "Job", "Permanent", 5, autonomy="")
    assert evaluation_cells(asked)["Autonomy"] == "", "asked and left blank: blanked"


def test_the_coordinator_types_a_persons_answers_only_to_their_own_questions(
    workbook: Path,
) -> None:
    """The gains are the mentee's, another mentee the mentor's; the coordinator's sums up."""
    store = store_of(workbook)
    duo_id = ended_duo(store, "Mentor")["ID"]
    gains = {"autonomy": "Yes", "career_plan": "No", "network": "Partly", "another_mentee": "No"}
    written = {}
    for respondent in ("Mentor", "Mentee", "Coordinator"):
        entry = EvaluationEntry(respondent, TODAY, "Yes", "Job", "Permanent", 4, **gains)
        [row_id] = log_evaluation(store, ADMIN, duo_id, entry, TODAY, second=True).ids
        written[respondent] = row_id
    rows = evaluations(store).set_index("ID")
    columns = ["Autonomy", "Career plan", "Network", "Another mentee", "Source"]
    assert list(rows.loc[written["Mentor"], columns]) == ["", "", "", "No", "Coordinator"]
    assert list(rows.loc[written["Mentee"], columns]) == ["Yes", "No", "Partly", "", "Coordinator"]
    summing_up = list(rows.loc[written["Coordinator"], columns])
    assert summing_up == ["Yes", "No", "Partly", "No", "Coordinator"]


NEW_COLUMNS = ("Autonomy", "Career plan", "Network", "Another mentee", "Source")


def test_on_google_a_sheet_made_before_the_new_columns_gets_them_in_the_one_write(
    emulator: SheetsEmulator,
) -> None:
    grids = grids_from_records(demo.generate(today=TODAY))
    header = grids["Evaluations"][0]
    kept = [index for index, name in enumerate(header) if name not in NEW_COLUMNS]
    grids["Evaluations"] = [[row[i] for i in kept if i < len(row)] for row in grids["Evaluations"]]
    store, _ = google_backend(emulator, grids, cache_seconds=15.0)
    duo = ended_duo(store)
    token = token_for(store, duo["ID"])
    emulator.reset_log()
    [row_id] = send_evaluation(
        store, token, SECRET, MENTEE_ANSWERS, TODAY, record_id="E-GOOGL1"
    ).ids
    calls = Counter(request.kind for request in emulator.requests)
    assert calls == {"values.batchGet": 2, "spreadsheets.batchUpdate": 1}
    row = evaluations(store).set_index("ID").loc[row_id]
    assert (row["Source"], row["Autonomy"], row["Network"]) == ("Self-filled", "Yes", "No")
