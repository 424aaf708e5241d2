"""Property tests of matching.py (hypothesis): on random small pools, the whole-pool proposal never
breaks a hard rule, never exceeds a capacity, never pairs one person twice, and matches as many
mentees as possible; the vectorised scores equal the per-pair definition."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped,unused-ignore]

import matching
from matching import MatchSettings, prepare_pool, propose
from matching_score import (
    PARTS,
    RULES,
    build_side,
    failed_pairs,
    open_duo_counts,
    pair_failures,
    pair_matrices,
    pair_values,
)

TODAY = date(2026, 3, 2)
MIN_SCORE = 27.3
"""Not a sum of the default parts, so float rounding never decides acceptability."""

LANGUAGES = ["French", "Dutch", "Arabic"]
SECTORS = ["ICT", "Telecom", "Retail", "Finance", ""]
TOPICS = ["CV", "Interview", "Network", "LinkedIn"]
SLOTS = ["Mon AM", "Tue AM", "Sat AM"]
WORDS = ["calm", "calme", "rustig", "football", "voetbal", "music", "curious", ""]


def subset(items: list[str], most: int, least: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(items), min_size=least, max_size=most, unique=True)


@st.composite
def participant(draw: st.DrawFn, person_id: str, role: str) -> dict[str, Any]:
    return {
        "ID": person_id,
        "Role": role,
        "Status": draw(st.sampled_from(["Ready"] * 6 + ["Trained", "On hold"])),
        "First name": person_id,
        "Last name": "",
        "Gender": draw(st.sampled_from(["Woman", "Man", "Other", ""])),
        "Office": draw(st.sampled_from(["Brussels"] * 5 + ["Ghent", ""])),
        "Postcode": draw(st.sampled_from(["1000", "1050", "1200", "9000", "9050", ""])),
        "Languages": draw(st.one_of(subset(LANGUAGES, 3, least=1), st.just([]))),
        "Sectors": [s for s in draw(subset(SECTORS, 2)) if s],
        "Topics": draw(subset(TOPICS, 3)),
        "Availability": draw(subset(SLOTS, 3, least=1)),
        "Personality": ", ".join(draw(subset(WORDS, 2))),
        "Preferences": draw(st.sampled_from([""] * 6 + ["woman mentor", "pas d'homme", "a man"])),
        "Capacity": draw(st.sampled_from([math.nan] * 4 + [1.0, 2.0, 0.0])),
        "Intake on": pd.Timestamp(TODAY - timedelta(days=draw(st.integers(0, 200)))),
    }


@st.composite
def pools(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]], list[Any]]:
    """(participants, duos, locked pairs, excluded pairs) of up to 7 mentees and 6 mentors."""
    mentees = [f"E{k}" for k in range(draw(st.integers(1, 7)))]
    mentors = [f"R{k}" for k in range(draw(st.integers(1, 6)))]
    records = [draw(participant(i, "Mentee")) for i in mentees]
    records += [draw(participant(i, "Mentor")) for i in mentors]
    pairs = st.tuples(st.sampled_from([*mentees, "E-other"]), st.sampled_from(mentors))
    history = draw(
        st.lists(
            st.tuples(
                pairs,
                st.sampled_from(["Active", "Proposed", "Declined", "Ended early", "Completed"]),
            ),
            max_size=4,
        )
    )
    duos = pd.DataFrame(
        {
            "ID": [f"D{k}" for k in range(len(history))],
            "Mentee ID": [p[0][0] for p in history],
            "Mentor ID": [p[0][1] for p in history],
            "Status": [p[1] for p in history],
        }
    )
    locked = draw(st.lists(pairs, max_size=2, unique_by=lambda pair: pair[0]))
    excluded = draw(st.lists(pairs, max_size=3))
    return pd.DataFrame(records), duos, locked, excluded


def reference(people: pd.DataFrame, duos: pd.DataFrame) -> tuple[Any, Any, dict[Any, str]]:
    mentees = build_side(
        people[people["Role"] == "Mentee"], load=open_duo_counts(duos, "Mentee ID"), today=TODAY
    )
    mentors = build_side(
        people[people["Role"] == "Mentor"], load=open_duo_counts(duos, "Mentor ID"), today=TODAY
    )
    return mentees, mentors, failed_pairs(duos)


def reference_score(mentee: Any, mentor: Any, settings: MatchSettings) -> float:
    values = pair_values(mentee, mentor, related_credit=0.5, full_slots=3)
    weights = settings.weights()
    return sum(100 * weights[p] * values[p] / sum(weights.values()) for p in PARTS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools())
def test_proposal_never_breaks_a_rule_a_capacity_or_pairs_anyone_twice(
    pool: tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]], list[Any]],
) -> None:
    people, duos, locked, excluded = pool
    options = MatchSettings(min_score=MIN_SCORE)
    prepared = prepare_pool(people, duos, today=TODAY)
    proposal = propose(prepared, options, locked=locked, excluded=excluded)
    mentees, mentors, failed = reference(people, duos)
    mentee_at, mentor_at = mentees.index(), mentors.index()
    new = [(p.mentee_id, p.mentor_id) for p in proposal.pairs]
    kept = [(p.mentee_id, p.mentor_id) for p in proposal.locked]
    assert kept == [pair for pair in locked if pair[0] in mentee_at]

    everyone = [mentee for mentee, _ in new + kept]
    assert len(everyone) == len(set(everyone)), "a mentee paired twice"
    for mentee_id, mentor_id in new:
        mentee, mentor = mentees.person(mentee_at[mentee_id]), mentors.person(mentor_at[mentor_id])
        assert not pair_failures(mentee, mentor, failed_before=(mentee_id, mentor_id) in failed)
        assert (mentee_id, mentor_id) not in set(excluded)
        assert reference_score(mentee, mentor, options) >= MIN_SCORE
        assert mentee.load == 0 and mentee.ready
    locked_per_mentor = Counter(mentor_id for _, mentor_id in kept)
    for mentor_id, count in Counter(mentor_id for _, mentor_id in new).items():
        mentor = mentors.person(mentor_at[mentor_id])
        assert count <= mentor.capacity - mentor.load - locked_per_mentor[mentor_id]


def most_pairs(acceptable: np.ndarray, places: list[int]) -> int:
    """The largest number of acceptable pairs under the places: an independent check."""
    columns = [j for j, count in enumerate(places) for _ in range(max(count, 0))]
    if not columns or not acceptable.size:
        return 0
    expanded = acceptable[:, columns].astype(float)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return int(expanded[rows, cols].sum())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools())
def test_proposal_matches_as_many_waiting_mentees_as_possible(
    pool: tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]], list[Any]],
) -> None:
    people, duos, _, excluded = pool
    options = MatchSettings(min_score=MIN_SCORE)
    proposal = propose(prepare_pool(people, duos, today=TODAY), options, excluded=excluded)
    mentees, mentors, failed = reference(people, duos)
    waiting = [i for i in range(len(mentees)) if mentees.ready[i] and mentees.load[i] == 0]
    acceptable = np.zeros((len(waiting), len(mentors)), dtype=bool)
    for row, i in enumerate(waiting):
        for j in range(len(mentors)):
            mentee, mentor = mentees.person(i), mentors.person(j)
            pair = (mentee.id, mentor.id)
            score = reference_score(mentee, mentor, options)
            assume(abs(score - MIN_SCORE) > 1e-3)
            acceptable[row, j] = (
                not pair_failures(mentee, mentor, failed_before=pair in failed)
                and pair not in set(excluded)
                and score >= MIN_SCORE
            )
    places = [int(mentors.capacity[j] - mentors.load[j]) for j in range(len(mentors))]
    assert len(proposal.pairs) == most_pairs(acceptable, places)
    assert len(proposal.pairs) + len(proposal.unmatched) == len(waiting)


@settings(max_examples=100, deadline=None)
@given(pools())
def test_vectorised_scores_and_rules_equal_the_per_pair_definition(
    pool: tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]], list[Any]],
) -> None:
    people, duos, _, _ = pool
    mentees, mentors, failed = reference(people, duos)
    mentee_at, mentor_at = mentees.index(), mentors.index()
    positions = [(mentee_at[a], mentor_at[b]) for a, b in failed if a in mentee_at]
    values, failures = pair_matrices(
        mentees, mentors, failed=positions, related_credit=0.5, full_slots=3
    )
    for i in range(len(mentees)):
        for j in range(len(mentors)):
            mentee, mentor = mentees.person(i), mentors.person(j)
            expected = pair_values(mentee, mentor, related_credit=0.5, full_slots=3)
            for name in PARTS:
                assert values[name][i, j] == np.float32(expected[name]), name
            broken = pair_failures(mentee, mentor, failed_before=(i, j) in set(positions))
            assert {rule for rule in RULES if failures[rule][i, j]} == broken


@settings(max_examples=60, deadline=None)
@given(pools(), st.integers(1, 5))
def test_ranking_scores_agree_with_the_proposal_scores(
    pool: tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]], list[Any]], top_n: int
) -> None:
    people, duos, _, _ = pool
    options = MatchSettings(min_score=0, top_n=top_n)
    prepared = prepare_pool(people, duos, today=TODAY)
    proposal = propose(prepared, options)
    for pair in proposal.pairs:
        ranking = matching.rank(prepared, "Mentee", pair.mentee_id, options)
        assert len(ranking.suggestions) <= top_n
        scores = {s.mentor_id: s.score for s in ranking.suggestions}
        if pair.mentor_id in scores:
            assert scores[pair.mentor_id] == pair.score
        assert ranking.eligible_count >= 1


def test_large_keyword_vocabularies_count_the_same_as_the_per_pair_definition() -> None:
    """Free-text keywords make vocabularies of hundreds of items; the sparse product counts the
    shared ones of every pair as the per-pair sets do."""
    letters = "abcdefghij"
    words = [f"kw{a}{b}{c}" for a in letters for b in letters for c in letters][:400]
    rng = np.random.default_rng(5)
    for size in (40, 150, 400):
        records = [
            {
                "ID": f"{role[:2]}{k}",
                "Role": role,
                "Personality": " ".join(rng.choice(words[:size], 3, replace=False)),
            }
            for role in ("Mentee", "Mentor")
            for k in range(12)
        ]
        mentees, mentors, _ = reference(pd.DataFrame(records), pd.DataFrame())
        values, _ = pair_matrices(mentees, mentors, failed=(), related_credit=0.5, full_slots=3)
        for i in range(len(mentees)):
            for j in range(len(mentors)):
                shared = len(mentees.keywords[i] & mentors.keywords[j])
                assert values["personality"][i, j] == min(shared, 2) / 2
