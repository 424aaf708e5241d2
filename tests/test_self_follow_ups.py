"""Self-filled follow-ups: the mentee's personal follow-up link, checked against the Duos
row, and the follow-up sent through it answering the contact that is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

import clock
from follow_ups import due_follow_ups
from links import EVALUATION, FOLLOW_UP, LOG, InvalidLink, Reason, verify
from meetings import InputRefused
from services.meeting_links import LinksDisabled, link_for, revoke
from services.self_evaluations import evaluation_link_for
from services.self_follow_ups import (
    SELF_SITUATIONS,
    SEND_LIMIT,
    SelfFollowUp,
    follow_up_expiry,
    follow_up_link_for,
    resolve,
    send_follow_up,
)
from sheets.store import RecordNotFound, Store
from tests.apptest import ANTWERP, BRUSSELS
from tests.test_services_duos import CountingStore
from workflow import TransitionError, by_id, cell_date, cell_text, records

SECRET = "a-test-secret-that-is-long-enough"
TODAY = clock.today()
JOB = SelfFollowUp("Job", "3 months or more", " Hired in March.\x07 ")


@pytest.fixture(autouse=True)
def fresh_limit() -> Iterator[None]:
    SEND_LIMIT.reset()
    yield
    SEND_LIMIT.reset()


@pytest.fixture
def counting(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    return CountingStore(demo_grids)


def token_in(link: str) -> str:
    return link.split("?t=", 1)[1]


def due_duo(store: Store) -> dict[str, Any]:
    """A Brussels duo with a follow-up contact due today, and that contact."""
    frames = {name: t.frame for name, t in store.read(["Duos", "Follow-ups"]).items()}
    due = due_follow_ups(duos=frames["Duos"], follow_ups=frames["Follow-ups"], today=TODAY)
    duos = by_id(records(frames["Duos"]))
    item = next(d for d in due if cell_text(duos[d.duo_id], "Office") == "Brussels")
    return {**duos[item.duo_id], "due": item}


def follow_ups_of(store: Store, duo_id: str) -> list[dict[str, Any]]:
    rows = records(store.table("Follow-ups").frame)
    return [row for row in rows if cell_text(row, "Duo ID") == duo_id]


def token_for(store: Store, duo_id: str) -> str:
    return token_in(follow_up_link_for(store, duo_id, "https://x", SECRET, today=TODAY))


def test_a_follow_up_link_opens_the_mentees_due_contact(counting: CountingStore) -> None:
    duo = due_duo(counting)
    link = follow_up_link_for(counting, duo["ID"], "https://duo.example.org/", SECRET, today=TODAY)
    assert link.startswith("https://duo.example.org/follow-up?t=")
    claims = verify(token_in(link), SECRET, TODAY, FOLLOW_UP)
    assert (claims.person_id, claims.role) == (duo["Mentee ID"], "mentee")
    linked = resolve(counting, token_in(link), SECRET, TODAY)
    assert linked.duo_id == duo["ID"] and linked.mentee_first_name
    assert linked.due is not None and linked.due.due_on == duo["due"].due_on


def test_the_link_works_until_the_last_contact_leaves_the_list_and_60_days_at_least() -> None:
    start, issued = dt.date(2026, 1, 15), dt.date(2026, 2, 1)
    assert follow_up_expiry(start, 12, 60, issued) == dt.date(2027, 3, 16)
    assert follow_up_expiry(start, 3, 0, dt.date(2026, 4, 10)) == dt.date(2026, 6, 9)


def test_a_sent_follow_up_is_one_self_filled_row_answering_the_due_contact_once(
    counting: CountingStore,
) -> None:
    duo = due_duo(counting)
    token = token_for(counting, duo["ID"])
    before = len(follow_ups_of(counting, duo["ID"]))
    outcome = send_follow_up(counting, token, SECRET, JOB, TODAY, record_id="F-SELF1")
    assert outcome.ids == ["F-SELF1"] and len(counting.units) == 1
    counting.again()
    new = [row for row in follow_ups_of(counting, duo["ID"]) if row["ID"] == "F-SELF1"]
    assert len(follow_ups_of(counting, duo["ID"])) == before + 1
    [row] = new
    assert (row["Person ID"], row["Situation"], row["Contract"], row["Source"]) == (
        duo["Mentee ID"],
        "Job",
        "3 months or more",
        "Self-filled",
    )
    assert (row["Notes"], cell_date(row, "Due on"), cell_date(row, "Done on")) == (
        "Hired in March.",
        duo["due"].due_on,
        TODAY,
    )
    again = send_follow_up(counting, token, SECRET, JOB, TODAY, record_id="F-SELF1")
    assert again.ids == ["F-SELF1"]
    counting.again()
    assert len(follow_ups_of(counting, duo["ID"])) == before + 1, "the same form writes once"
    assert resolve(counting, token, SECRET, TODAY).due != duo["due"]


def test_nothing_due_is_refused_politely_and_writes_nothing(counting: CountingStore) -> None:
    duo = due_duo(counting)
    token = token_for(counting, duo["ID"])
    send_follow_up(counting, token, SECRET, JOB, TODAY)
    while (linked := resolve(counting, token, SECRET, TODAY)).due is not None:
        send_follow_up(counting, token, SECRET, SelfFollowUp("Looking"), TODAY)
    assert linked.due is None
    units = len(counting.units)
    with pytest.raises(TransitionError) as refused:
        send_follow_up(counting, token, SECRET, JOB, TODAY)
    assert refused.value.msg.key == "self_follow_up.nothing_due"
    assert len(counting.units) == units


def test_a_situation_a_contract_for_a_job_and_only_the_mentees_own_answers(
    counting: CountingStore,
) -> None:
    duo = due_duo(counting)
    token = token_for(counting, duo["ID"])
    assert SELF_SITUATIONS == ("Job", "Internship", "Qualifying training", "Studies", "Looking")
    for wrong in (SelfFollowUp(""), SelfFollowUp("Job"), SelfFollowUp("Unreachable")):
        with pytest.raises(InputRefused):
            send_follow_up(counting, token, SECRET, wrong, TODAY)
    assert not counting.units
    studies = SelfFollowUp("Studies", "Permanent")
    [row_id] = send_follow_up(counting, token, SECRET, studies, TODAY).ids
    counting.again()
    [row] = [r for r in follow_ups_of(counting, duo["ID"]) if r["ID"] == row_id]
    assert (row["Situation"], cell_text(row, "Contract")) == ("Studies", "")


def test_a_revoked_tampered_or_other_purpose_link_is_refused(counting: CountingStore) -> None:
    duo = due_duo(counting)
    token = token_for(counting, duo["ID"])
    revoke(counting, duo["ID"], "admin@example.org")
    with pytest.raises(InvalidLink) as refused:
        resolve(counting, token, SECRET, TODAY)
    assert refused.value.reason is Reason.REVOKED
    with pytest.raises(InvalidLink):
        send_follow_up(counting, token, SECRET, JOB, TODAY)
    fresh = token_for(counting, duo["ID"])
    for purpose in (LOG, EVALUATION):
        with pytest.raises(InvalidLink) as refused:
            verify(fresh, SECRET, TODAY, purpose)
        assert refused.value.reason is Reason.TAMPERED
    active = next(row for row in records(counting.table("Duos").frame) if row["Status"] == "Active")
    log_token = token_in(link_for(counting, active["ID"], "https://x", SECRET, today=TODAY))
    with pytest.raises(InvalidLink):
        resolve(counting, log_token, SECRET, TODAY)


def test_only_a_mentees_link_opens_a_follow_up(counting: CountingStore) -> None:
    completed = next(
        row for row in records(counting.table("Duos").frame) if row["Status"] == "Completed"
    )
    link = evaluation_link_for(
        counting, completed["ID"], "https://x", SECRET, "mentor", today=TODAY
    )
    with pytest.raises(InvalidLink):
        resolve(counting, token_in(link), SECRET, TODAY)


def test_a_flood_from_one_link_is_stopped(counting: CountingStore) -> None:
    duo = due_duo(counting)
    token = token_for(counting, duo["ID"])
    for _ in range(5):
        SEND_LIMIT.hit(duo["ID"])
    with pytest.raises(InputRefused) as refused:
        send_follow_up(counting, token, SECRET, JOB, TODAY)
    assert refused.value.problems[0].key == "self_follow_up.too_many"


def test_no_link_without_a_key_for_another_office_or_a_duo_not_started(
    counting: CountingStore,
) -> None:
    duo = due_duo(counting)
    with pytest.raises(LinksDisabled):
        follow_up_link_for(counting, duo["ID"], "https://x", None)
    with pytest.raises(RecordNotFound):
        follow_up_link_for(counting, duo["ID"], "https://x", SECRET, user=ANTWERP)
    assert follow_up_link_for(counting, duo["ID"], "https://x", SECRET, user=BRUSSELS)
    proposed = next(
        row for row in records(counting.table("Duos").frame) if row["Status"] == "Proposed"
    )
    with pytest.raises(TransitionError):
        follow_up_link_for(counting, proposed["ID"], "https://x", SECRET)


def test_the_demo_has_self_filled_follow_ups_each_of_a_mentee_who_answered(
    counting: CountingStore,
) -> None:
    rows = records(counting.table("Follow-ups").frame)
    self_filled = [row for row in rows if cell_text(row, "Source") == "Self-filled"]
    assert self_filled
    assert {cell_text(row, "Situation") for row in self_filled} <= set(SELF_SITUATIONS)
