"""The coordinator's choices about pairs during a matching session (`PairChoices`), pure."""

from __future__ import annotations

import pickle

from i18n import Msg
from matching import Pair, ScorePart, Suggestion
from services.matching_session import PairChoices, PairRequest, RowTicks

ANNA_BRAM: Pair = ("ME1", "MO1")
ANNA_CLARA: Pair = ("ME1", "MO2")
DAVID_BRAM: Pair = ("ME2", "MO1")
EVA_CLARA: Pair = ("ME3", "MO2")


def suggestion(pair: Pair, score: float = 50.0) -> Suggestion:
    """A suggested pair whose score comes from one part: shared languages."""
    part = ScorePart("languages", 1.0, score, Msg("reason.languages"))
    return Suggestion(
        mentee_id=pair[0],
        mentee_name="",
        mentor_id=pair[1],
        mentor_name="",
        office="Antwerp",
        score=score,
        acceptable=True,
        blockers=(),
        notes=(),
        waiting_days=10,
        explain_parts=lambda: (part,),
    )


def key_of(msg: Msg) -> str:
    return msg.key


# -- one pair at a time -----------------------------------------------------------------------


def test_a_new_session_has_no_choice_and_nothing_waiting() -> None:
    choices = PairChoices()
    assert not choices.locked and not choices.excluded and not choices.accepted
    assert choices.pending is None and choices.to_create == ()


def test_a_choice_returns_new_choices_and_leaves_the_old_ones_as_they_were() -> None:
    before = PairChoices()
    after = before.lock(ANNA_BRAM)
    assert after.locked == {ANNA_BRAM}
    assert before == PairChoices()


def test_locking_and_accepting_keep_the_pair_for_the_next_proposal() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(DAVID_BRAM)
    assert choices.locked == {ANNA_BRAM}
    assert choices.accepted == {DAVID_BRAM}


def test_excluding_a_pair_drops_its_lock_its_acceptance_and_its_waiting_proposal() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(ANNA_BRAM).propose(ANNA_BRAM)
    excluded = choices.exclude(ANNA_BRAM)
    assert excluded.excluded == {ANNA_BRAM}
    assert not excluded.locked and not excluded.accepted and excluded.pending is None


def test_an_excluded_pair_can_be_neither_locked_accepted_nor_proposed() -> None:
    choices = PairChoices().exclude(ANNA_BRAM)
    assert choices.lock(ANNA_BRAM) == choices
    assert choices.accept(ANNA_BRAM) == choices
    assert choices.propose(ANNA_BRAM) == choices


def test_an_excluded_pair_is_never_created_even_when_already_waiting_for_confirmation() -> None:
    requests = (PairRequest(*ANNA_BRAM), PairRequest(*DAVID_BRAM))
    choices = PairChoices().accept(ANNA_BRAM).accept(DAVID_BRAM).ask_to_create(requests)
    assert [r.pair for r in choices.exclude(ANNA_BRAM).to_create] == [DAVID_BRAM]
    assert choices.exclude(ANNA_BRAM).ask_to_create(requests).to_create == (requests[1],)


def test_releasing_a_pair_forgets_every_choice_about_it_and_only_it() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(ANNA_BRAM).exclude(DAVID_BRAM).lock(EVA_CLARA)
    released = choices.release(ANNA_BRAM).release(DAVID_BRAM)
    assert released.locked == {EVA_CLARA}
    assert not released.accepted and not released.excluded
    assert released.lock(DAVID_BRAM).locked == {EVA_CLARA, DAVID_BRAM}


def test_forgetting_the_choices_keeps_what_waits_for_a_confirmation() -> None:
    request = PairRequest(*EVA_CLARA)
    choices = (
        PairChoices()
        .lock(ANNA_BRAM)
        .exclude(DAVID_BRAM)
        .accept(EVA_CLARA)
        .propose(ANNA_CLARA)
        .ask_to_create([request])
    )
    assert choices.forget_choices() == PairChoices(pending=ANNA_CLARA, to_create=(request,))


# -- the ticks of the whole-pool table --------------------------------------------------------


def test_a_row_starts_with_the_pairs_lock_and_acceptance_and_no_exclusion() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(ANNA_BRAM)
    assert choices.ticks_for(ANNA_BRAM) == RowTicks(ANNA_BRAM, accept=True, lock=True)
    assert choices.ticks_for(DAVID_BRAM) == RowTicks(DAVID_BRAM)


def test_the_ticks_of_the_table_become_locks_exclusions_and_acceptances() -> None:
    rows = [
        RowTicks(ANNA_BRAM, lock=True),
        RowTicks(DAVID_BRAM, exclude=True),
        RowTicks(EVA_CLARA, accept=True),
    ]
    choices = PairChoices().apply_ticks(rows)
    assert choices.locked == {ANNA_BRAM}
    assert choices.excluded == {DAVID_BRAM}
    assert choices.accepted == {EVA_CLARA}


def test_an_exclusion_wins_over_a_lock_or_an_acceptance_ticked_on_the_same_row() -> None:
    choices = PairChoices().apply_ticks([RowTicks(ANNA_BRAM, accept=True, lock=True, exclude=True)])
    assert choices.excluded == {ANNA_BRAM}
    assert not choices.locked and not choices.accepted


def test_an_unticked_row_loses_its_lock_and_acceptance() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(ANNA_BRAM)
    assert choices.apply_ticks([RowTicks(ANNA_BRAM)]) == PairChoices()


def test_the_pairs_not_shown_in_the_table_keep_their_choices() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(DAVID_BRAM).exclude(EVA_CLARA)
    ticked = choices.apply_ticks([RowTicks(ANNA_CLARA, accept=True)])
    assert ticked.locked == {ANNA_BRAM}
    assert ticked.accepted == {DAVID_BRAM, ANNA_CLARA}
    assert ticked.excluded == {EVA_CLARA}


def test_an_excluded_pair_is_never_proposed_again_whatever_is_ticked_later() -> None:
    choices = PairChoices().apply_ticks([RowTicks(ANNA_BRAM, exclude=True)])
    later = choices.apply_ticks([RowTicks(ANNA_BRAM, accept=True, lock=True)])
    assert later.excluded == {ANNA_BRAM}
    assert not later.locked and not later.accepted
    assert later.propose(ANNA_BRAM).pending is None


def test_excluding_the_pair_waiting_for_confirmation_forgets_it() -> None:
    choices = PairChoices().propose(ANNA_BRAM)
    assert choices.apply_ticks([RowTicks(ANNA_BRAM, exclude=True)]).pending is None
    assert choices.apply_ticks([RowTicks(DAVID_BRAM, exclude=True)]).pending == ANNA_BRAM


# -- one proposal waiting for a confirmation --------------------------------------------------


def test_proposing_a_pair_waits_for_its_confirmation_and_replaces_the_previous_one() -> None:
    choices = PairChoices().propose(ANNA_BRAM).propose(ANNA_CLARA)
    assert choices.is_pending(ANNA_CLARA) and not choices.is_pending(ANNA_BRAM)
    assert choices.forget_proposal().pending is None


def test_a_proposal_still_suggested_has_not_vanished() -> None:
    choices = PairChoices().propose(ANNA_BRAM)
    assert choices.vanished_proposal({ANNA_BRAM, ANNA_CLARA}) is None
    assert PairChoices().vanished_proposal(set()) is None


def test_a_proposal_no_longer_suggested_has_vanished() -> None:
    assert PairChoices().propose(ANNA_BRAM).vanished_proposal({ANNA_CLARA}) == ANNA_BRAM


# -- the accepted pairs, created together -----------------------------------------------------


def test_the_requests_to_create_are_the_accepted_rows_in_the_tables_order() -> None:
    rows = [suggestion(pair) for pair in (EVA_CLARA, ANNA_BRAM, DAVID_BRAM)]
    choices = PairChoices().accept(ANNA_BRAM).accept(EVA_CLARA)
    requests = choices.requests_to_create(rows, key_of)
    assert [r.pair for r in requests] == [EVA_CLARA, ANNA_BRAM]


def test_a_request_carries_the_score_and_the_reasons_the_coordinator_was_shown() -> None:
    choices = PairChoices().accept(ANNA_BRAM)
    [request] = choices.requests_to_create([suggestion(ANNA_BRAM, 72.5)], key_of)
    assert request == PairRequest("ME1", "MO1", 72.5, ("reason.languages",))


def test_nothing_accepted_makes_no_request() -> None:
    rows = [suggestion(ANNA_BRAM)]
    assert PairChoices().lock(ANNA_BRAM).requests_to_create(rows, key_of) == ()


def test_asking_to_create_waits_for_a_confirmation_that_forget_batch_withdraws() -> None:
    requests = [PairRequest(*ANNA_BRAM), PairRequest(*DAVID_BRAM)]
    choices = PairChoices().ask_to_create(requests)
    assert choices.to_create == tuple(requests)
    assert choices.forget_batch().to_create == ()


def test_created_pairs_are_no_longer_locked_nor_accepted_and_the_others_stay() -> None:
    choices = PairChoices().lock(ANNA_BRAM).accept(ANNA_BRAM).accept(DAVID_BRAM).exclude(EVA_CLARA)
    after = choices.created([ANNA_BRAM])
    assert not after.locked
    assert after.accepted == {DAVID_BRAM}
    assert after.excluded == {EVA_CLARA}


# -- kept in the session ----------------------------------------------------------------------


def test_the_choices_survive_a_round_trip_through_pickle_as_session_state_may_need() -> None:
    choices = (
        PairChoices()
        .lock(ANNA_BRAM)
        .exclude(DAVID_BRAM)
        .accept(EVA_CLARA)
        .propose(ANNA_CLARA)
        .ask_to_create([PairRequest("ME3", "MO2", 60.0, ("Same sector",))])
    )
    assert pickle.loads(pickle.dumps(choices)) == choices


def test_equal_choices_are_interchangeable_as_a_cache_key() -> None:
    one = PairChoices().lock(ANNA_BRAM).exclude(DAVID_BRAM)
    other = PairChoices().exclude(DAVID_BRAM).lock(ANNA_BRAM)
    assert one == other and hash(one) == hash(other)
