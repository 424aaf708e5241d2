"""The weekly matching session of one office: its pool, and turning accepted matches into duos.

`matching.py` computes (rankings, the whole-pool proposal, pool health) and `workflow.py`
decides what a proposal writes; this module prepares the office's pool once per page run and
writes the duos the coordinator accepted against the workbook as it is now (read afresh): a
pair that became impossible since the page was loaded (mentor now full, mentee no longer
Ready, pair declined meanwhile) is refused with the workflow's reason and the others are still
created, all of them (duos, people's moves, audit rows) in ONE unit of work. It also holds the
coordinator's choices about pairs during a session (`PairChoices`). No Streamlit here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from access import User
from i18n import Messages, Msg
from matching import (
    MatchPool,
    MatchSettings,
    OfficeHealth,
    Pair,
    Proposal,
    Suggestion,
    pool_health,
    prepare_pool,
    propose,
)
from services.offices import check_office
from services.unit import (
    Outcome,
    Unit,
    add_new_duo,
    create_duo,
    new_id_for,
    new_record_id,
    read_now,
    taken_ids,
    write_planned,
)
from settings import current_values, match_settings
from sheets.store import RecordNotFound, Store, StoreError, Written
from workflow import (
    IN_DUO,
    NewDuo,
    TransitionError,
    cell_text,
    propose_duo,
)

STRONG_REASONS = 4
"""Score parts kept in a duo's Match reasons (the strongest ones)."""


matching_page_message = Messages("matching_page")
"""A message of `i18n/matching_page.toml`."""


# -- the office's pool ------------------------------------------------------------------------


def office_pool(
    participants: pd.DataFrame, duos: pd.DataFrame, office: str, today: date
) -> MatchPool:
    """The mentors and mentees of one office, parsed once for every ranking of the run.

    Only that office: a matching session never mixes offices, and the blocked list then
    explains why a mentor of this office is not suggested (not that Ghent is another office).
    """
    people = participants.loc[participants["Office"] == office]
    return prepare_pool(people, duos, today=today)


def waiting_mentees(pool: MatchPool, participants: pd.DataFrame) -> pd.DataFrame:
    """The office's mentees waiting for a mentor (Ready, in no open duo), longest first.

    Columns: ID, Name, Waiting days (since intake, else application), and the profile
    columns a coordinator scans before picking one (Intake on, Languages, Sectors, Topics).
    """
    side = pool.mentees
    waiting = np.flatnonzero(side.ready & (side.load == 0))
    order = waiting[np.argsort(-side.waiting_days[waiting], kind="stable")]
    frame = pd.DataFrame(
        {
            "ID": [side.ids[i] for i in order],
            "Name": [side.names[i] or side.ids[i] for i in order],
            "Waiting days": side.waiting_days[order].astype(int),
        }
    )
    profile = ["ID", "Intake on", "Languages", "Sectors", "Topics"]
    details = participants.loc[:, [c for c in profile if c in participants.columns]]
    return frame.merge(details.drop_duplicates("ID"), on="ID", how="left")


@dataclass(frozen=True)
class OfficeSession:
    """Everything a page run of the matching session shows for one office, computed once."""

    office: str
    pool: MatchPool
    waiting: pd.DataFrame
    """See `waiting_mentees`."""
    proposal: Proposal
    health: OfficeHealth | None
    """None when the office has neither mentees waiting nor mentors."""
    names: dict[str, str]
    """See `names_by_id`."""


def office_session(
    participants: pd.DataFrame,
    duos: pd.DataFrame,
    office: str,
    settings: MatchSettings,
    *,
    locked: Collection[Pair] = (),
    excluded: Collection[Pair] = (),
    today: date,
) -> OfficeSession:
    """The office's pool, waiting mentees, whole-pool proposal and health under `settings`.

    Locked pairs are kept only while their mentee still waits and their mentor is of the office
    (a pair created meanwhile, or a person who left, drops out of the locks by itself).
    """
    pool = office_pool(participants, duos, office, today)
    waiting = waiting_mentees(pool, participants)
    still_waiting, mentors = set(waiting["ID"]), pool.mentors.index()
    kept = [pair for pair in locked if pair[0] in still_waiting and pair[1] in mentors]
    proposal = propose(pool, settings=settings, locked=kept, excluded=excluded)
    health = next((h for h in pool_health(pool, settings=settings) if h.office == office), None)
    return OfficeSession(office, pool, waiting, proposal, health, names_by_id(pool))


def saved_settings(store: Store) -> MatchSettings:
    """The matching settings as the Settings tab holds them (defaults where unset or unreadable)."""
    return match_settings(current_values(store.table("Settings").frame)[0])


def session_settings(saved: MatchSettings, overrides: Mapping[str, Any]) -> MatchSettings:
    """The saved settings with this session's changes (unknown names are ignored)."""
    types = {spec.name: spec.type for spec in dataclasses.fields(MatchSettings)}
    changes: dict[str, Any] = {
        name: int(value) if types[name] == "int" else value
        for name, value in overrides.items()
        if name in types
    }
    return dataclasses.replace(saved, **changes)


def names_by_id(pool: MatchPool) -> dict[str, str]:
    """Everyone of the pool by ID, for the page's lists (the ID when the name was erased)."""
    return {
        person_id: name or person_id
        for side in (pool.mentees, pool.mentors)
        for person_id, name in zip(side.ids, side.names, strict=True)
    }


def reason_messages(suggestion: Suggestion) -> tuple[Msg, ...]:
    """What speaks for (and against) a pair, short: soft blockers and notes, then the parts
    that earned points, strongest first."""
    strong = [part for part in sorted(suggestion.parts, key=lambda p: -p.points) if part.points]
    return (
        *(blocker.reason for blocker in suggestion.blockers),
        *suggestion.notes,
        *(part.reason for part in strong[:STRONG_REASONS]),
    )


# -- the coordinator's choices about pairs ----------------------------------------------------


@dataclass(frozen=True)
class PairRequest:
    """A pair the coordinator accepted, with the score and reasons they were shown."""

    mentee_id: str
    mentor_id: str
    score: float | None = None
    reasons: tuple[str, ...] = ()
    """Already in the coordinator's language: they are kept in the duo's Match reasons."""

    @property
    def pair(self) -> Pair:
        return (self.mentee_id, self.mentor_id)


def pair_of(suggestion: Suggestion) -> Pair:
    return (suggestion.mentee_id, suggestion.mentor_id)


def pair_request(suggestion: Suggestion, text: Callable[[Msg], str]) -> PairRequest:
    """The request to create a suggested pair, its reasons put in words by `text`."""
    reasons = tuple(text(reason) for reason in reason_messages(suggestion))
    return PairRequest(suggestion.mentee_id, suggestion.mentor_id, suggestion.score, reasons)


@dataclass(frozen=True)
class RowTicks:
    """The boxes of one row (one pair) of the whole-pool table."""

    pair: Pair
    accept: bool = False
    lock: bool = False
    exclude: bool = False


@dataclass(frozen=True)
class PairChoices:
    """What the coordinator decided about pairs during a matching session.

    Locked pairs stay in every new proposal, excluded ones never come back (an exclusion wins
    over a lock or an acceptance), accepted ones wait to be created. `pending` is the one pair
    whose proposal waits for a confirmation, `to_create` the accepted pairs whose creation does.
    Immutable: each method returns the choices after the coordinator's act, to be kept (as
    they are: plain values) in the page's session state.
    """

    locked: frozenset[Pair] = frozenset()
    excluded: frozenset[Pair] = frozenset()
    accepted: frozenset[Pair] = frozenset()
    pending: Pair | None = None
    to_create: tuple[PairRequest, ...] = ()

    # -- one pair at a time

    def lock(self, pair: Pair) -> PairChoices:
        """Keep the pair in every proposal (unless it is excluded)."""
        if pair in self.excluded:
            return self
        return dataclasses.replace(self, locked=self.locked | {pair})

    def accept(self, pair: Pair) -> PairChoices:
        """Mark the pair to be created (unless it is excluded)."""
        if pair in self.excluded:
            return self
        return dataclasses.replace(self, accepted=self.accepted | {pair})

    def exclude(self, pair: Pair) -> PairChoices:
        """Never propose the pair again: it is no longer locked, accepted or waiting."""
        return PairChoices(
            locked=self.locked - {pair},
            excluded=self.excluded | {pair},
            accepted=self.accepted - {pair},
            pending=None if self.pending == pair else self.pending,
            to_create=tuple(r for r in self.to_create if r.pair != pair),
        )

    def release(self, pair: Pair) -> PairChoices:
        """Forget every choice about the pair: neither locked, excluded nor accepted."""
        return dataclasses.replace(
            self,
            locked=self.locked - {pair},
            excluded=self.excluded - {pair},
            accepted=self.accepted - {pair},
        )

    def forget_choices(self) -> PairChoices:
        """Start over: no lock, no exclusion, no acceptance (what waits for a confirmation
        stays)."""
        return PairChoices(pending=self.pending, to_create=self.to_create)

    def ticks_for(self, pair: Pair) -> RowTicks:
        """The boxes a row of the whole-pool table starts with (an exclusion is never shown:
        an excluded pair is not proposed)."""
        return RowTicks(pair, accept=pair in self.accepted, lock=pair in self.locked)

    def apply_ticks(self, rows: Iterable[RowTicks]) -> PairChoices:
        """The choices once the whole-pool table is submitted: its rows replace what was chosen
        for their pairs, the pairs not shown keep their locks and acceptances, and exclusions
        add up (an exclusion wins over a lock or an acceptance of the same row)."""
        rows = list(rows)
        shown = {row.pair for row in rows}
        choices = dataclasses.replace(
            self, locked=self.locked - shown, accepted=self.accepted - shown
        )
        for row in rows:
            choices = choices.exclude(row.pair) if row.exclude else choices
        for row in rows:
            choices = choices.lock(row.pair) if row.lock else choices
            choices = choices.accept(row.pair) if row.accept else choices
        return choices

    # -- one proposal waiting for a confirmation

    def propose(self, pair: Pair) -> PairChoices:
        """Ask for a confirmation before the pair is proposed (not if it is excluded)."""
        if pair in self.excluded:
            return self
        return dataclasses.replace(self, pending=pair)

    def is_pending(self, pair: Pair) -> bool:
        return self.pending == pair

    def vanished_proposal(self, suggested: Collection[Pair]) -> Pair | None:
        """The pair waiting for a confirmation when it is no longer among `suggested`."""
        if self.pending is None or self.pending in suggested:
            return None
        return self.pending

    def forget_proposal(self) -> PairChoices:
        """The waiting proposal was confirmed, cancelled or vanished."""
        return dataclasses.replace(self, pending=None)

    # -- the accepted pairs, created together

    def requests_to_create(
        self, rows: Iterable[Suggestion], text: Callable[[Msg], str]
    ) -> tuple[PairRequest, ...]:
        """The accepted pairs among `rows`, in their order, as requests to create them."""
        return tuple(pair_request(row, text) for row in rows if pair_of(row) in self.accepted)

    def ask_to_create(self, requests: Sequence[PairRequest]) -> PairChoices:
        """Ask for a confirmation before the accepted pairs are created."""
        kept = tuple(request for request in requests if request.pair not in self.excluded)
        return dataclasses.replace(self, to_create=kept)

    def forget_batch(self) -> PairChoices:
        """The creation of the accepted pairs was confirmed or cancelled."""
        return dataclasses.replace(self, to_create=())

    def created(self, pairs: Iterable[Pair]) -> PairChoices:
        """Duos now exist for `pairs`: they are no longer locked nor accepted."""
        done = frozenset(pairs)
        return dataclasses.replace(self, locked=self.locked - done, accepted=self.accepted - done)


# -- creating duos ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    request: PairRequest
    reason: Msg


@dataclass
class BatchOutcome(Outcome):
    """What creating several duos did: the pairs created, and each refused pair with why."""

    created: list[PairRequest] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def propose_pair(
    store: Store, user: User, request: PairRequest, *, on: date, duo_id: str = ""
) -> Outcome:
    """Create one Proposed duo (both people go In duo), checked against the workbook as it is.

    One unit of work: the duo's row and both people's moves land together. `duo_id`: the new
    duo's ID when the page made it (once per proposal, so that a retry writes nothing twice).
    Raises `OutOfOffice` when the mentee or the mentor is of an office the user does not work
    for, `RecordNotFound` when one of them is gone, and `TransitionError` when the pair is no
    longer possible (not Ready, mentor full, declined together before, different offices).
    """
    participants, duos = _current(store)
    new_duo = _new_duo(user, request, participants, duos, on)
    return create_duo(store, new_duo, user.email, duo_id or new_record_id(store, "Duos"))


def create_accepted(
    store: Store, user: User, requests: Sequence[PairRequest], *, on: date
) -> BatchOutcome:
    """Create every accepted pair; a pair that is refused does not stop the others.

    The workbook is read once, afresh; each pair is checked against it with the duos planned
    before it taken into account (a mentor with one free place accepted twice gets the first
    only). Then every duo, every person's move and their audit rows go in ONE unit of work,
    each new duo with its ID made beforehand. A workbook that cannot be written (locked,
    busy) refuses every pair with the store's reason, as nothing was written.
    """
    try:
        batch, written = write_planned(
            store, user.email, lambda: _plan_batch(store, user, requests, on)
        )
    except StoreError as error:
        batch = _Batch(Unit(), BatchOutcome(matching_page_message("batch_none")))
        batch.outcome.refused = [Refusal(request, error.msg) for request in requests]
        written = Written((), ())
    outcome = batch.outcome
    outcome.ids = [duo_id for index in batch.appends for duo_id in written.ids[index]]
    outcome.conflicts = batch.unit.conflicts(written)
    outcome.message = matching_page_message(
        "batch_done", created=len(outcome.created), refused=len(outcome.refused)
    )
    return outcome


@dataclass
class _Batch:
    """The unit of work of a batch of accepted pairs, and the outcome known before writing."""

    unit: Unit
    outcome: BatchOutcome
    appends: list[int] = field(default_factory=list)
    """The index in `Written.ids` of each created duo's row."""


def _plan_batch(store: Store, user: User, requests: Sequence[PairRequest], on: date) -> _Batch:
    participants, duos = _current(store)
    batch = _Batch(Unit(), BatchOutcome(matching_page_message("batch_none")))
    given = taken_ids(duos)
    for request in requests:
        try:
            new_duo = _new_duo(user, request, participants, duos, on)
        except (TransitionError, StoreError) as error:
            batch.outcome.refused.append(Refusal(request, error.msg))
            continue
        duo_id = new_id_for("Duos", given)
        given.add(duo_id)
        batch.appends.append(add_new_duo(batch.unit, new_duo, duo_id))
        batch.outcome.created.append(request)
        participants, duos = _after(new_duo, [duo_id], participants, duos)
    return batch


def _current(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Participants and Duos as the workbook holds them now (past any read cache)."""
    tables = read_now(store, ["Participants", "Duos"])
    return tables["Participants"].frame, tables["Duos"].frame


def _new_duo(
    user: User, request: PairRequest, participants: pd.DataFrame, duos: pd.DataFrame, on: date
) -> NewDuo:
    mentee = _person(participants, request.mentee_id)
    mentor = _person(participants, request.mentor_id)
    mentee_office, mentor_office = cell_text(mentee, "Office"), cell_text(mentor, "Office")
    check_office(user, mentee_office, request.mentee_id)
    check_office(user, mentor_office, request.mentor_id)
    if mentee_office != mentor_office:
        raise TransitionError(
            matching_page_message(
                "different_offices", mentee=mentee_office or "-", mentor=mentor_office or "-"
            )
        )
    return propose_duo(
        mentor,
        mentee,
        duos,
        on=on,
        coordinator=user.name,
        score=request.score,
        reasons=request.reasons,
        office=mentee_office,
    )


def _person(participants: pd.DataFrame, person_id: str) -> dict[str, Any]:
    hits = participants.loc[participants["ID"] == person_id]
    if hits.empty:
        raise RecordNotFound(matching_page_message("person_not_found", key=person_id))
    return {str(name): value for name, value in hits.iloc[0].items()}


def _after(
    new_duo: NewDuo, ids: Sequence[str], participants: pd.DataFrame, duos: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tabs as they are once `new_duo` is written: its row added, both people In duo."""
    row = {**new_duo.record, "ID": ids[0] if ids else ""}
    duos = pd.concat([duos, pd.DataFrame([row])], ignore_index=True)
    moved = [new_duo.record["Mentor ID"], new_duo.record["Mentee ID"]]
    participants = participants.copy()
    participants.loc[participants["ID"].isin(moved), "Status"] = IN_DUO
    return participants, duos
