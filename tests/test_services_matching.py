"""The matching session's services against an in-memory copy of the demo workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clock
from matching import MatchSettings, rank_mentors
from services.matching_session import (
    PairRequest,
    create_accepted,
    names_by_id,
    office_pool,
    office_session,
    propose_pair,
    reason_messages,
    session_settings,
    waiting_mentees,
)
from services.offices import OutOfOffice
from sheets.store import RecordNotFound, Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, store_of
from tests.test_services_duos import CountingStore
from workflow import TransitionError

TODAY = clock.today()


def frames(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    tables = store.read(["Participants", "Duos"])
    return tables["Participants"].frame, tables["Duos"].frame


def ready(store: Store, role: str, office: str) -> list[str]:
    """IDs of the Ready people of a role and office who are in no open duo, in sheet order."""
    people, duos = frames(store)
    live = duos.loc[duos["Status"].isin(["Proposed", "Intro planned", "Active"])]
    busy = set(live["Mentor ID"]) | set(live["Mentee ID"])
    rows = people.loc[
        (people["Role"] == role) & (people["Status"] == "Ready") & (people["Office"] == office)
    ]
    return [person for person in rows["ID"] if person not in busy]


def person(store: Store, person_id: str) -> dict[str, object]:
    people, _ = frames(store)
    return dict(people.loc[people["ID"] == person_id].iloc[0])


def duo_rows(store: Store) -> pd.DataFrame:
    return frames(store)[1]


def test_the_office_pool_holds_only_that_offices_people(workbook: Path) -> None:
    people, duos = frames(store_of(workbook))
    pool = office_pool(people, duos, "Antwerp", TODAY)
    antwerp = set(people.loc[people["Office"] == "Antwerp", "ID"])
    assert set(pool.mentees.ids) | set(pool.mentors.ids) == antwerp


def test_waiting_mentees_are_the_ready_ones_longest_waiting_first(workbook: Path) -> None:
    store = store_of(workbook)
    people, duos = frames(store)
    waiting = waiting_mentees(office_pool(people, duos, "Antwerp", TODAY), people)
    assert set(waiting["ID"]) == set(ready(store, "Mentee", "Antwerp"))
    days = waiting["Waiting days"].tolist()
    assert days == sorted(days, reverse=True) and days[0] > 0
    assert {"Name", "Intake on", "Languages", "Sectors"} <= set(waiting.columns)


def test_proposing_a_pair_writes_a_proposed_duo_and_moves_both_people_in_duo(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    mentee, mentor = ready(store, "Mentee", "Brussels")[0], ready(store, "Mentor", "Brussels")[0]
    request = PairRequest(mentee, mentor, 61.2, ("Same sector: ICT", "Both speak French"))
    outcome = propose_pair(store, BRUSSELS, request, on=TODAY)
    assert outcome.ok and len(outcome.ids) == 1
    after = store_of(workbook)
    duo = duo_rows(after).set_index("ID").loc[outcome.ids[0]]
    assert (duo["Mentee ID"], duo["Mentor ID"], duo["Status"]) == (mentee, mentor, "Proposed")
    assert (duo["Office"], duo["Coordinator"]) == ("Brussels", BRUSSELS.name)
    assert duo["Match score"] == 61.2
    assert duo["Match reasons"] == "Same sector: ICT; Both speak French"
    assert person(after, mentee)["Status"] == person(after, mentor)["Status"] == "In duo"


def test_a_coordinator_cannot_propose_for_a_mentee_of_another_office(workbook: Path) -> None:
    store = store_of(workbook)
    mentee, mentor = ready(store, "Mentee", "Brussels")[0], ready(store, "Mentor", "Brussels")[0]
    before = len(duo_rows(store))
    with pytest.raises(OutOfOffice):
        propose_pair(store, ANTWERP, PairRequest(mentee, mentor), on=TODAY)
    after = store_of(workbook)
    assert len(duo_rows(after)) == before
    assert person(after, mentee)["Status"] == "Ready"


def test_a_pair_across_two_offices_is_refused(workbook: Path) -> None:
    store = store_of(workbook)
    mentee, mentor = ready(store, "Mentee", "Brussels")[0], ready(store, "Mentor", "Antwerp")[0]
    with pytest.raises(TransitionError) as refused:
        propose_pair(store, ADMIN, PairRequest(mentee, mentor), on=TODAY)
    assert refused.value.msg.key == "matching_page.different_offices"


def test_an_unknown_person_is_reported_as_not_found(workbook: Path) -> None:
    store = store_of(workbook)
    mentor = ready(store, "Mentor", "Antwerp")[0]
    with pytest.raises(RecordNotFound) as missing:
        propose_pair(store, ADMIN, PairRequest("P-NOBODY", mentor), on=TODAY)
    assert missing.value.msg.params == {"key": "P-NOBODY"}


def test_a_mentee_who_left_ready_in_the_sheet_meanwhile_is_refused(workbook: Path) -> None:
    store = store_of(workbook)
    mentee, mentor = ready(store, "Mentee", "Antwerp")[0], ready(store, "Mentor", "Antwerp")[0]
    store_of(workbook).update("Participants", mentee, {"Status": "On hold"}, "staff in the sheet")
    with pytest.raises(TransitionError) as refused:
        propose_pair(store, ANTWERP, PairRequest(mentee, mentor), on=TODAY)
    assert refused.value.msg.key == "workflow.mentee_not_ready"


def test_a_pair_declined_before_is_refused(workbook: Path) -> None:
    store = store_of(workbook)
    mentee, mentor = ready(store, "Mentee", "Antwerp")[0], ready(store, "Mentor", "Antwerp")[0]
    store.append(
        "Duos",
        [{"Mentee ID": mentee, "Mentor ID": mentor, "Office": "Antwerp", "Status": "Declined"}],
        "tests",
    )
    with pytest.raises(TransitionError) as refused:
        propose_pair(store, ANTWERP, PairRequest(mentee, mentor), on=TODAY)
    assert refused.value.msg.key == "workflow.pair_declined_before"


def test_accepted_pairs_are_created_and_impossible_ones_refused_with_their_reason(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    first, second, third = ready(store, "Mentee", "Antwerp")[:3]
    people, _ = frames(store)
    single = people.loc[
        people["ID"].isin(ready(store, "Mentor", "Antwerp")) & (people["Capacity"] == 1), "ID"
    ].tolist()
    requests = [
        PairRequest(first, single[0], 50.0),
        PairRequest(second, single[0], 48.0),
        PairRequest(third, single[1], 45.0),
    ]
    before = len(duo_rows(store))
    outcome = create_accepted(store, ANTWERP, requests, on=TODAY)
    assert [r.mentee_id for r in outcome.created] == [first, third]
    assert [(r.request.mentee_id, r.reason.key) for r in outcome.refused] == [
        (second, "workflow.mentor_not_available")
    ]
    assert outcome.message.params == {"created": 2, "refused": 1}
    after = store_of(workbook)
    new = duo_rows(after).iloc[before:]
    assert list(zip(new["Mentee ID"], new["Mentor ID"], strict=True)) == [
        (first, single[0]),
        (third, single[1]),
    ]
    assert person(after, second)["Status"] == "Ready"


def test_a_batch_refuses_the_pairs_of_another_office_and_creates_the_others(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    brussels = PairRequest(
        ready(store, "Mentee", "Brussels")[0], ready(store, "Mentor", "Brussels")[0]
    )
    antwerp = PairRequest(
        ready(store, "Mentee", "Antwerp")[0], ready(store, "Mentor", "Antwerp")[0]
    )
    outcome = create_accepted(store, ANTWERP, [brussels, antwerp], on=TODAY)
    assert outcome.created == [antwerp]
    assert [r.reason.key for r in outcome.refused] == ["services.not_your_office"]


@pytest.fixture
def counting(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    """A fresh copy of the demo workbook in a store that counts its writes."""
    return CountingStore(demo_grids)


def accepted_pairs(store: Store, office: str, count: int) -> list[PairRequest]:
    mentees, mentors = ready(store, "Mentee", office), ready(store, "Mentor", office)
    pairs = zip(mentees[:count], mentors[:count], strict=True)
    return [PairRequest(mentee, mentor) for mentee, mentor in pairs]


def test_creating_accepted_duos_writes_every_duo_and_person_in_one_write(
    counting: CountingStore,
) -> None:
    requests = accepted_pairs(counting, "Antwerp", 3)
    before = len(duo_rows(counting))
    outcome = create_accepted(counting, ANTWERP, requests, on=TODAY)
    assert len(counting.units) == 1 and outcome.ok
    assert outcome.created == requests and len(set(outcome.ids)) == 3
    duos = duo_rows(counting).set_index("ID")
    assert len(duos) == before + 3
    for duo_id, request in zip(outcome.ids, requests, strict=True):
        assert duos.loc[duo_id, "Mentee ID"] == request.mentee_id
        assert person(counting, request.mentor_id)["Status"] == "In duo"


def test_accepted_duos_written_again_leave_one_row_each(counting: CountingStore) -> None:
    requests = accepted_pairs(counting, "Antwerp", 2)
    before = len(duo_rows(counting))
    outcome = create_accepted(counting, ANTWERP, requests, on=TODAY)
    audit = len(counting.table("Audit").frame)
    assert counting.again().ids == tuple((duo_id,) for duo_id in outcome.ids)
    assert len(duo_rows(counting)) == before + 2
    assert len(counting.table("Audit").frame) == audit


def test_a_proposal_sent_again_with_its_duo_id_leaves_one_duo(counting: CountingStore) -> None:
    [request] = accepted_pairs(counting, "Brussels", 1)
    before = len(duo_rows(counting))
    first = propose_pair(counting, BRUSSELS, request, on=TODAY, duo_id="D-AGA2N2")
    assert first.ids == ["D-AGA2N2"]
    assert counting.again().ids == (("D-AGA2N2",),)
    assert len(duo_rows(counting)) == before + 1


def test_session_settings_override_the_saved_ones_only_where_changed() -> None:
    saved = MatchSettings(weight_sector=40.0, top_n=5)
    adjusted = session_settings(saved, {"weight_topics": 0.0, "top_n": 3.0, "unknown": 1})
    assert (adjusted.weight_sector, adjusted.weight_topics, adjusted.top_n) == (40.0, 0.0, 3)
    assert isinstance(adjusted.top_n, int)


def test_the_reasons_kept_are_the_parts_that_earned_points_strongest_first(
    workbook: Path,
) -> None:
    people, duos = frames(store_of(workbook))
    pool = office_pool(people, duos, "Antwerp", TODAY)
    mentee = waiting_mentees(pool, people)["ID"].iloc[0]
    suggestion = rank_mentors(mentee, pool).suggestions[0]
    reasons = reason_messages(suggestion)
    earned = sorted((p for p in suggestion.parts if p.points), key=lambda p: -p.points)
    assert reasons[-len(earned[:4]) :] == tuple(p.reason for p in earned[:4])
    assert names_by_id(pool)[mentee] == suggestion.mentee_name


def test_the_office_session_keeps_valid_locks_drops_stale_ones_and_honours_exclusions(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    people, duos = frames(store)
    first = office_session(people, duos, "Antwerp", MatchSettings(), today=TODAY)
    pairs = [(s.mentee_id, s.mentor_id) for s in first.proposal.pairs]
    in_duo = people.loc[(people["Office"] == "Antwerp") & (people["Status"] == "In duo"), "ID"]
    stale = (in_duo.iloc[0], pairs[0][1])
    again = office_session(
        people,
        duos,
        "Antwerp",
        MatchSettings(),
        locked=[pairs[1], stale],
        excluded=[pairs[0]],
        today=TODAY,
    )
    assert [(s.mentee_id, s.mentor_id) for s in again.proposal.locked] == [pairs[1]]
    assert pairs[0] not in [(s.mentee_id, s.mentor_id) for s in again.proposal.pairs]
    assert again.health is not None and again.health.office == "Antwerp"
    assert list(again.waiting["ID"]) == list(first.waiting["ID"])
