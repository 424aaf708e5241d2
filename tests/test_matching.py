"""Unit tests of matching.py: every rule, every score part, rankings, the whole-pool proposal,
pool health, settings, and the words (fr / nl / en) behind every reason."""

from __future__ import annotations

import itertools
import math
import re
import string
import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import matching
from i18n import LANGUAGES, Msg
from matching import MatchSettings, prepare_pool, propose, rank_mentors
from matching_score import (
    ANY_GENDER,
    MAN,
    OTHER,
    WOMAN,
    accepted_genders,
    personality_keywords,
    postcode_proximity,
)

TODAY = date(2026, 3, 2)
CATALOGUE = Path(__file__).resolve().parent.parent / "i18n" / "matching.toml"


# --- builders -------------------------------------------------------------------------------


def person(person_id: str, role: str = "Mentee", **fields: Any) -> dict[str, Any]:
    """A participant row in the store's shape; every field can be overridden."""
    record: dict[str, Any] = {
        "ID": person_id,
        "Role": role,
        "Status": "Ready",
        "First name": person_id,
        "Last name": "Test",
        "Gender": "Woman",
        "Office": "Brussels",
        "Postcode": "1000",
        "Languages": ["French"],
        "Sectors": ["ICT"],
        "Topics": ["CV"],
        "Availability": ["Mon AM"],
        "Personality": "",
        "Preferences": "",
        "Capacity": math.nan,
        "Intake on": pd.Timestamp(TODAY - timedelta(days=10)),
        "Applied on": pd.NaT,
        "Birth date": pd.NaT,
    }
    record.update(fields)
    return record


def mentor(person_id: str, **fields: Any) -> dict[str, Any]:
    return person(person_id, "Mentor", **fields)


def frame(*records: dict[str, Any]) -> pd.DataFrame:
    """Records as the store returns them: dates as datetime64, a `_row` column."""
    table = pd.DataFrame([{**r, "_row": k + 2} for k, r in enumerate(records)])
    for column in ("Intake on", "Applied on", "Birth date"):
        if column in table.columns:
            table[column] = pd.to_datetime(table[column])
    return table


def duos(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """(mentee ID, mentor ID, status) rows of the Duos tab."""
    return pd.DataFrame(
        {
            "ID": [f"D-{k}" for k in range(len(rows))],
            "Mentee ID": [r[0] for r in rows],
            "Mentor ID": [r[1] for r in rows],
            "Office": ["Brussels"] * len(rows),
            "Status": [r[2] for r in rows],
            "_row": list(range(2, len(rows) + 2)),
        }
    )


def only(weight: str, **settings: Any) -> MatchSettings:
    """Settings where one score part carries all the weight."""
    weights = {f"weight_{part}": 0.0 for part in matching.PART_LABELS}
    weights[f"weight_{weight}"] = 1.0
    return MatchSettings(**{**weights, **settings})


def pool(
    everyone: pd.DataFrame, duo_rows: pd.DataFrame | None = None, **options: Any
) -> matching.MatchPool:
    return prepare_pool(everyone, duo_rows, today=TODAY, **options)


def rank(
    mentee_record: dict[str, Any],
    *mentor_records: dict[str, Any],
    duo_rows: Iterable[tuple[str, str, str]] = (),
    settings: MatchSettings | None = None,
    include: Iterable[str] = (),
    **options: Any,
) -> matching.Ranking:
    """Mentors for one mentee, in a pool of just them."""
    everyone = pool(frame(mentee_record, *mentor_records), duos(*duo_rows), include=include)
    return rank_mentors(mentee_record["ID"], everyone, settings, **options)


def blocked_rules(ranking: matching.Ranking, mentor_id: str) -> set[str]:
    found = ranking.why_not(mentor_id)
    return set() if found is None else {b.rule for b in found.blockers}


def keys(messages: Iterable[Msg]) -> list[str]:
    return [m.key for m in messages]


def part(suggestion: matching.Suggestion, name: str) -> matching.ScorePart:
    return next(p for p in suggestion.parts if p.name == name)


# --- eligibility rules ----------------------------------------------------------------------


def test_office_rule_blocks_other_offices_and_unknown_office() -> None:
    ranking = rank(
        person("A"),
        mentor("X", Office="Ghent"),
        mentor("Y", Office=""),
        mentor("Z"),
    )
    assert [s.mentor_id for s in ranking.suggestions] == ["Z"]
    assert blocked_rules(ranking, "X") == {"office"}
    assert blocked_rules(ranking, "Y") == {"office"}
    reasons = {b.candidate_id: keys(b.reasons) for b in ranking.blocked}
    assert reasons["X"] == ["matching.blocked_office"]
    assert reasons["Y"] == ["matching.office_unknown"]


def test_language_rule_needs_one_shared_language_but_not_a_programme_one() -> None:
    mentee = person("A", Languages=["Arabic", "Dutch"])
    ranking = rank(
        mentee,
        mentor("X", Languages=["French", "English"]),
        mentor("Y", Languages=["French", "Arabic"]),
        mentor("Z", Languages=[]),
    )
    assert blocked_rules(ranking, "X") == {"language"}
    assert ranking.why_not("Y") is None
    z = next(s for s in ranking.suggestions if s.mentor_id == "Z")
    assert part(z, "languages").reason.key == "matching.languages_unknown"


def test_language_names_in_french_or_dutch_match_the_english_ones() -> None:
    ranking = rank(person("A", Languages=["Néerlandais"]), mentor("X", Languages=["Nederlands"]))
    assert [s.mentor_id for s in ranking.suggestions] == ["X"]


def test_capacity_rule_counts_open_duos_only() -> None:
    ranking = rank(
        person("A"),
        mentor("X"),
        mentor("Y", Capacity=2.0),
        mentor("Z"),
        mentor("W", Capacity=0.0),
        duo_rows=[("B", "X", "Active"), ("C", "Y", "Intro planned"), ("D", "Z", "Completed")],
    )
    assert blocked_rules(ranking, "X") == {"capacity"}
    assert keys(ranking.why_not("X").reasons) == ["matching.blocked_full_one"]  # type: ignore[union-attr]
    assert ranking.why_not("Y") is None
    assert ranking.why_not("Z") is None
    assert keys(ranking.why_not("W").reasons) == ["matching.blocked_no_capacity"]  # type: ignore[union-attr]


def test_capacity_message_with_several_mentees() -> None:
    ranking = rank(
        person("A"),
        mentor("X", Capacity=2.0),
        duo_rows=[("B", "X", "Active"), ("C", "X", "Proposed")],
    )
    (blocker,) = ranking.why_not("X").blockers  # type: ignore[union-attr]
    assert blocker.reason == Msg("matching.blocked_full_many", {"count": 2, "capacity": 2})
    assert blocker.reason.text("en") == "Mentor already has 2 mentees (capacity 2)"


def test_a_mentor_in_a_duo_with_room_for_a_second_mentee_is_still_proposed() -> None:
    ranking = rank(
        person("A"),
        mentor("Y", Status="In duo", Capacity=2.0),
        mentor("Z", Status="In duo"),
        duo_rows=[("C", "Y", "Active"), ("D", "Z", "Active")],
    )
    assert [s.mentor_id for s in ranking.suggestions] == ["Y"]
    assert blocked_rules(ranking, "Z") == {"capacity", "ready"}


def test_ready_rule_and_explicit_inclusion() -> None:
    mentee = person("A")
    trained = mentor("X", Status="Trained")
    ranking = rank(mentee, trained)
    assert blocked_rules(ranking, "X") == {"ready"}
    (blocker,) = ranking.why_not("X").blockers  # type: ignore[union-attr]
    assert blocker.reason == Msg("matching.blocked_mentor_not_ready", {"status": "Trained"})
    assert rank(mentee, trained, include={"X"}).why_not("X") is None
    on_hold = rank(person("A", Status="On hold"), mentor("Y"))
    assert keys(on_hold.why_not("Y").reasons) == ["matching.blocked_mentee_not_ready"]  # type: ignore[union-attr]


def test_mentee_already_in_a_duo_is_blocked() -> None:
    ranking = rank(person("A"), mentor("X"), duo_rows=[("A", "Q", "Proposed")])
    assert blocked_rules(ranking, "X") == {"mentee_free"}


def test_history_rule_blocks_declined_and_ended_early_pairs_only() -> None:
    ranking = rank(
        person("A"),
        mentor("X"),
        mentor("Y"),
        mentor("Z"),
        duo_rows=[("A", "X", "Declined"), ("A", "Y", "Ended early"), ("A", "Z", "Completed")],
    )
    assert keys(ranking.why_not("X").reasons) == ["matching.blocked_declined"]  # type: ignore[union-attr]
    assert keys(ranking.why_not("Y").reasons) == ["matching.blocked_ended"]  # type: ignore[union-attr]
    assert ranking.why_not("Z") is None


def test_availability_rule_needs_a_shared_slot_when_both_are_known() -> None:
    ranking = rank(
        person("A", Availability=["Mon AM", "Tue PM"]),
        mentor("X", Availability=["Wed AM"]),
        mentor("Y", Availability=[]),
    )
    assert blocked_rules(ranking, "X") == {"availability"}
    y = ranking.suggestions[0]
    assert part(y, "availability").reason.key == "matching.slots_unknown_mentor"


@pytest.mark.parametrize(
    ("preference", "mentor_gender", "blocked"),
    [
        ("Prefers a woman mentor", "Man", True),
        ("Prefers a woman mentor", "Woman", False),
        ("Prefers a woman mentor", "", True),
        ("femme", "Man", True),
        ("vrouw liefst", "Man", True),
        ("pas d'homme", "Man", True),
        ("pas d'homme", "Other", False),
        ("geen voorkeur", "Man", False),
        ("", "Man", False),
    ],
)
def test_preference_rule(preference: str, mentor_gender: str, blocked: bool) -> None:
    ranking = rank(person("A", Preferences=preference), mentor("X", Gender=mentor_gender))
    assert (blocked_rules(ranking, "X") == {"preference"}) is blocked


def test_preference_of_the_mentor_counts_too() -> None:
    ranking = rank(person("A", Gender="Man"), mentor("X", Preferences="I'd like a woman mentee"))
    assert keys(ranking.why_not("X").reasons) == ["matching.blocked_pref_mentor_woman"]  # type: ignore[union-attr]


def test_preference_parsing() -> None:
    assert accepted_genders("Prefers a woman mentor") == WOMAN
    assert accepted_genders("Une femme si possible") == WOMAN
    assert accepted_genders("liefst een man") == MAN
    assert accepted_genders("not a man please") == WOMAN | OTHER
    assert accepted_genders("man or woman, no matter") == ANY_GENDER
    assert accepted_genders("no preference, a woman is fine") == WOMAN
    assert accepted_genders("I don't want a man") == WOMAN | OTHER
    assert accepted_genders("geen voorkeur") == ANY_GENDER
    assert accepted_genders("Germany, manager") == ANY_GENDER
    assert accepted_genders("") == ANY_GENDER


def test_soft_rules_become_penalties_and_office_and_history_never_do() -> None:
    mentee = person("A", Availability=["Mon AM"])
    x = mentor("X", Availability=["Sun EVE"])
    hard = rank(mentee, x)
    soft = rank(mentee, x, settings=MatchSettings(soft_availability=True, soft_penalty=15))
    assert blocked_rules(hard, "X") == {"availability"}
    (suggestion,) = soft.suggestions
    (blocker,) = suggestion.blockers
    assert (blocker.rule, blocker.soft, blocker.penalty) == ("availability", True, 15)
    assert suggestion.eligible
    unpenalised = sum(p.points for p in suggestion.parts)
    assert suggestion.score == pytest.approx(unpenalised - 15, abs=0.2)
    assert "office" not in matching.SOFTENABLE_RULES
    assert "history" not in matching.SOFTENABLE_RULES
    assert not hasattr(MatchSettings(), "soft_office")


def test_excluded_pairs_are_not_suggested() -> None:
    ranking = rank(person("A"), mentor("X"), mentor("Y"), excluded=[("A", "X")])
    assert [s.mentor_id for s in ranking.suggestions] == ["Y"]
    assert keys(ranking.why_not("X").reasons) == ["matching.blocked_excluded"]  # type: ignore[union-attr]


# --- score parts ----------------------------------------------------------------------------


def score_of(mentee_record: dict[str, Any], mentor_record: dict[str, Any], weight: str) -> float:
    (suggestion,) = rank(mentee_record, mentor_record, settings=only(weight)).suggestions
    return suggestion.score


def test_sector_part_same_related_and_unrelated() -> None:
    assert score_of(person("A", Sectors=["ICT"]), mentor("X", Sectors=["ICT"]), "sector") == 100
    assert score_of(person("A", Sectors=["ICT"]), mentor("X", Sectors=["Telecom"]), "sector") == 50
    assert score_of(person("A", Sectors=["ICT"]), mentor("X", Sectors=["Retail"]), "sector") == 0
    assert score_of(person("A", Sectors=[]), mentor("X", Sectors=["ICT"]), "sector") == 0
    (suggestion,) = rank(person("A", Sectors=["ICT"]), mentor("X", Sectors=["Telecom"])).suggestions
    assert part(suggestion, "sector").reason == Msg(
        "matching.sector_related", {"mentee": "ICT", "mentor": "Telecom"}
    )
    credit = rank(
        person("A", Sectors=["ICT"]),
        mentor("X", Sectors=["Telecom"]),
        settings=only("sector", related_sector_credit=0.2),
    )
    assert credit.suggestions[0].score == 20


def test_topics_part_is_the_share_of_needs_covered() -> None:
    mentee = person("A", Topics=["CV", "Interview", "Network"])
    assert score_of(mentee, mentor("X", Topics=["CV", "Network", "LinkedIn"]), "topics") == 66.7
    assert score_of(mentee, mentor("X", Topics=["LinkedIn"]), "topics") == 0
    assert score_of(person("A", Topics=[]), mentor("X", Topics=["CV"]), "topics") == 0
    (suggestion,) = rank(mentee, mentor("X", Topics=["CV", "Network"])).suggestions
    reason = part(suggestion, "topics").reason
    assert reason.text("en") == "The mentor can help with CV and Network (2 of 3 needs)"


def test_availability_part_counts_shared_slots_up_to_the_setting() -> None:
    mentee = person("A", Availability=["Mon AM", "Mon PM", "Tue AM", "Wed EVE"])
    one = mentor("X", Availability=["Mon AM"])
    four = mentor("X", Availability=["Mon AM", "Mon PM", "Tue AM", "Wed EVE"])
    assert score_of(mentee, one, "availability") == 33.3
    assert score_of(mentee, four, "availability") == 100
    (suggestion,) = rank(
        mentee, four, settings=only("availability", full_availability_slots=8)
    ).suggestions
    assert suggestion.score == 50
    assert part(rank(mentee, one).suggestions[0], "availability").reason == Msg(
        "matching.slots_shared_one", {"item": "Mon AM", "count": 1}
    )


def test_languages_part_with_the_strongest_programme_language_bonus() -> None:
    mentee = person("A", Languages=["Arabic", "Dutch", "French"])
    assert score_of(mentee, mentor("X", Languages=["Dutch"]), "languages") == 100
    assert score_of(mentee, mentor("X", Languages=["French", "Arabic"]), "languages") == 50
    (suggestion,) = rank(mentee, mentor("X", Languages=["French", "Arabic"])).suggestions
    assert part(suggestion, "languages").reason.text("en") == "Both speak Arabic and French"
    (main,) = rank(mentee, mentor("X", Languages=["Dutch", "Arabic"])).suggestions
    assert part(main, "languages").reason.key == "matching.languages_main_many"


def test_personality_part_matches_keywords_across_languages() -> None:
    mentee = person("A", Personality="Calme, aime le football et la cuisine")
    assert score_of(mentee, mentor("X", Personality="rustig; voetbal"), "personality") == 100
    assert score_of(mentee, mentor("X", Personality="calm"), "personality") == 50
    assert score_of(mentee, mentor("X", Personality=""), "personality") == 0
    assert score_of(person("A"), mentor("X"), "personality") == 0
    assert personality_keywords("") == frozenset()
    assert personality_keywords("Calme, aime le football") == {"calm", "football"}
    (suggestion,) = rank(person("A"), mentor("X")).suggestions
    assert part(suggestion, "personality").reason.key == "matching.personality_unknown"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1000", "1000", 1.0),
        ("1050", "1052", 0.75),
        ("9000", "9050", 0.5),
        ("1000", "1200", 0.5),
        ("2000", "2800", 0.25),
        ("1000", "9000", 0.0),
        ("", "1000", 0.0),
        ("B-1000", "1000", 0.0),
    ],
)
def test_postcode_part(a: str, b: str, expected: float) -> None:
    assert score_of(person("A", Postcode=a), mentor("X", Postcode=b), "postcode") == 100 * expected


def test_postcode_proximity_function() -> None:
    assert postcode_proximity(1000, 1000) == 1.0
    assert postcode_proximity(-1, 1000) == 0.0


def test_score_is_the_weighted_sum_of_its_parts() -> None:
    mentee = person(
        "A",
        Sectors=["ICT"],
        Topics=["CV", "Network"],
        Availability=["Mon AM", "Tue PM"],
        Languages=["French", "Arabic"],
        Personality="calm",
        Postcode="1050",
    )
    x = mentor(
        "X",
        Sectors=["Telecom"],
        Topics=["CV"],
        Availability=["Mon AM", "Tue PM", "Fri AM"],
        Languages=["Arabic"],
        Personality="calme, patient",
        Postcode="1060",
    )
    (suggestion,) = rank(mentee, x).suggestions
    values = {p.name: p.value for p in suggestion.parts}
    assert values == pytest.approx(
        {
            "sector": 0.5,
            "topics": 0.5,
            "availability": 2 / 3,
            "languages": 0.5,
            "personality": 0.5,
            "postcode": 0.5,
        }
    )
    expected = 25 * 0.5 + 20 * 0.5 + 15 * 2 / 3 + 15 * 0.5 + 10 * 0.5 + 15 * 0.5
    assert suggestion.score == pytest.approx(expected, abs=0.05)
    assert sum(p.points for p in suggestion.parts) == pytest.approx(expected, abs=0.2)


def test_all_weights_zero_gives_zero_without_crashing() -> None:
    weights: dict[str, Any] = {f"weight_{p}": 0.0 for p in matching.PART_LABELS}
    zero = MatchSettings(**weights)
    (suggestion,) = rank(person("A"), mentor("X"), settings=zero).suggestions
    assert suggestion.score == 0


# --- rankings -------------------------------------------------------------------------------


def test_rank_mentors_orders_by_score_and_keeps_top_n() -> None:
    mentee = person("A", Sectors=["ICT"], Topics=["CV", "Network"])
    mentors = [
        mentor("X", Sectors=["ICT"], Topics=["CV", "Network"]),
        mentor("Y", Sectors=["Telecom"], Topics=["CV"]),
        mentor("Z", Sectors=["Retail"], Topics=[]),
        mentor("W", Office="Ghent"),
    ]
    ranking = rank(mentee, *mentors, settings=MatchSettings(top_n=2))
    assert [s.mentor_id for s in ranking.suggestions] == ["X", "Y"]
    assert ranking.suggestions[0].score > ranking.suggestions[1].score
    assert ranking.eligible_count == 3
    assert ranking.blocked_count == 1
    assert [b.candidate_id for b in ranking.blocked] == ["W"]


def test_below_minimum_suggestions_are_marked() -> None:
    ranking = rank(
        person("A", Sectors=["ICT"]),
        mentor("X", Sectors=["Retail"], Topics=[], Postcode=""),
        settings=MatchSettings(min_score=90),
    )
    (suggestion,) = ranking.suggestions
    assert not suggestion.acceptable
    assert keys(suggestion.notes) == ["matching.below_minimum"]


def test_rank_for_a_mentor_is_the_reverse() -> None:
    mentees = frame(
        person("A", Sectors=["ICT"]),
        person("B", Sectors=["Retail"]),
        person("C", Office="Ghent"),
        mentor("X", Sectors=["ICT"]),
    )
    ranking = matching.rank(pool(mentees), "Mentor", "X")
    assert ranking.subject_role == "Mentor"
    assert [s.mentee_id for s in ranking.suggestions] == ["A", "B"]
    assert [b.candidate_id for b in ranking.blocked] == ["C"]


def test_rank_for_a_mentor_puts_the_longer_waiter_first_on_a_tie() -> None:
    intake: dict[str, Any] = {"Intake on": pd.Timestamp(TODAY - timedelta(days=60))}
    mentees = frame(person("A"), person("B", **intake), person("C"), mentor("X"))
    ranking = matching.rank(pool(mentees), "Mentor", "X")
    assert [s.mentee_id for s in ranking.suggestions] == ["B", "A", "C"]
    assert ranking.suggestions[0].waiting_days == 60


def test_rank_works_both_ways_for_a_person_of_the_pool_only() -> None:
    everyone = pool(frame(person("A"), mentor("X"), mentor("Y", Sectors=["Retail"])), duos())
    assert [s.mentor_id for s in rank_mentors("A", everyone).suggestions] == ["X", "Y"]
    assert rank_mentors("A", everyone) == matching.rank(everyone, "Mentee", "A")
    by_mentor = matching.rank(everyone, "Mentor", "X")
    assert (by_mentor.subject_id, by_mentor.subject_role) == ("X", "Mentor")
    assert [s.mentee_id for s in by_mentor.suggestions] == ["A"]
    for side, person_id in (("Mentee", "nobody"), ("Mentee", "X"), ("Mentor", "A")):
        with pytest.raises(KeyError):
            matching.rank(everyone, side, person_id)  # type: ignore[arg-type]


def test_prepare_pool_tells_roles_apart_and_skips_rows_without_one() -> None:
    everyone = frame(
        person("A", Role=" mentee "), person("B", Role=None), mentor("X", Role="MENTOR")
    )
    prepared = pool(everyone)
    assert (prepared.mentees.ids, prepared.mentors.ids) == (["A"], ["X"])
    assert pool(pd.DataFrame({"ID": ["A"]})).mentees.ids == []


def test_missing_optional_columns_and_blank_values_never_crash() -> None:
    bare_mentee = {"ID": "A", "Role": "Mentee", "Status": "Ready", "Office": "Brussels"}
    bare_mentor = {"ID": "X", "Role": "Mentor", "Status": "Ready", "Office": "Brussels"}
    ranking = rank_mentors("A", pool(pd.DataFrame([bare_mentee, bare_mentor])))
    (suggestion,) = ranking.suggestions
    assert suggestion.score == 0
    assert all(p.value == 0 for p in suggestion.parts)
    odd = frame(
        person("A", Personality=None, Preferences=None, Postcode=None, Languages="French; Arabic"),
        mentor("X", Capacity="two", Availability=None, Sectors=None, Gender=None),
    )
    assert rank_mentors("A", pool(odd)).suggestions


# --- whole-pool proposal --------------------------------------------------------------------


def proposed(proposal: matching.Proposal) -> set[tuple[str, str]]:
    return {(p.mentee_id, p.mentor_id) for p in proposal.pairs}


def greedy(everyone: pd.DataFrame, settings: MatchSettings) -> set[tuple[str, str]]:
    """Each mentee in turn takes their best mentor still free: what the proposal improves on."""
    taken: set[str] = set()
    pairs = set()
    for mentee_id in everyone.loc[everyone["Role"] == "Mentee", "ID"]:
        ranking = rank_mentors(mentee_id, pool(everyone), settings=settings)
        free = [s for s in ranking.suggestions if s.acceptable and s.mentor_id not in taken]
        if free:
            taken.add(free[0].mentor_id)
            pairs.add((mentee_id, free[0].mentor_id))
    return pairs


def test_whole_pool_matches_everyone_where_greedy_leaves_someone_out() -> None:
    everyone = frame(
        person("A", Availability=["Mon AM", "Tue AM"], Sectors=["ICT"]),
        person("B", Availability=["Mon AM"], Sectors=["Retail"]),
        mentor("X", Availability=["Mon AM"], Sectors=["ICT"]),
        mentor("Y", Availability=["Tue AM"], Sectors=["Retail"]),
    )
    settings = MatchSettings(min_score=0)
    assert greedy(everyone, settings) == {("A", "X")}
    proposal = propose(pool(everyone), settings=settings)
    assert proposed(proposal) == {("A", "Y"), ("B", "X")}
    assert proposal.unmatched == ()


def test_whole_pool_finds_the_best_total_score() -> None:
    everyone = frame(
        person("A", Topics=["T1", "T2"]),
        person("B", Topics=["T1", "T2", "T3", "T4"]),
        mentor("X", Topics=["T1", "T2", "T3", "T4"]),
        mentor("Y", Topics=["T1"]),
    )
    settings = only("topics", min_score=10)
    assert greedy(everyone, settings) == {("A", "X"), ("B", "Y")}
    proposal = propose(pool(everyone), settings=settings)
    assert proposed(proposal) == {("A", "Y"), ("B", "X")}
    assert proposal.total_score == 150


def test_whole_pool_total_equals_brute_force_on_a_small_pool() -> None:
    rng = np.random.default_rng(3)
    topics = ["T1", "T2", "T3", "T4", "T5"]
    records = [person(f"M{k}", Topics=list(rng.choice(topics, 3, replace=False))) for k in range(4)]
    records += [
        mentor(f"R{k}", Topics=list(rng.choice(topics, 2, replace=False))) for k in range(4)
    ]
    everyone = frame(*records)
    settings = MatchSettings(min_score=0, waiting_priority=0)
    scores = {
        (m, s.mentor_id): s.score
        for m in ("M0", "M1", "M2", "M3")
        for s in rank_mentors(m, pool(everyone), settings=settings).suggestions
    }
    best = max(
        sum(scores[(f"M{k}", mentor_id)] for k, mentor_id in enumerate(order))
        for order in itertools.permutations(["R0", "R1", "R2", "R3"])
    )
    proposal = propose(pool(everyone), settings=settings)
    assert len(proposal.pairs) == 4
    assert proposal.total_score == pytest.approx(best, abs=0.25)


def test_locked_pairs_stay_and_use_capacity_excluded_pairs_never_appear() -> None:
    everyone = frame(
        person("A", Sectors=["ICT"]),
        person("B", Sectors=["ICT"]),
        person("C", Sectors=["Retail"]),
        mentor("X", Sectors=["ICT"]),
        mentor("Y", Sectors=["Retail"]),
        mentor("Z", Sectors=["Retail"]),
    )
    settings = MatchSettings(min_score=0)
    proposal = propose(pool(everyone), settings, locked=[("C", "X")], excluded=[("A", "Y")])
    assert [(s.mentee_id, s.mentor_id) for s in proposal.locked] == [("C", "X")]
    pairs = proposed(proposal)
    assert ("A", "Y") not in pairs
    assert all(mentor_id != "X" for _, mentor_id in pairs)
    assert all(mentee_id != "C" for mentee_id, _ in pairs)
    assert pairs == {("A", "Z"), ("B", "Y")}


def test_capacity_two_takes_two_mentees_and_counts_open_duos() -> None:
    everyone = frame(person("A"), person("B"), person("C"), mentor("X", Capacity=2.0))
    proposal = propose(pool(everyone), settings=MatchSettings(min_score=0))
    assert len(proposal.pairs) == 2
    assert {p.mentor_id for p in proposal.pairs} == {"X"}
    (left_out,) = proposal.unmatched
    assert left_out.reason == "taken"
    busy = propose(pool(everyone, duos(("Q", "X", "Active"))), MatchSettings(min_score=0))
    assert len(busy.pairs) == 1
    assert busy.free_places == {}
    spare = propose(pool(frame(person("A"), mentor("X", Capacity=3.0))))
    assert spare.free_places == {"X": 2}


def test_long_waiter_wins_a_tie() -> None:
    def waiting(days: int) -> pd.Timestamp:
        return pd.Timestamp(TODAY - timedelta(days=days))

    for first, second in (("A", "B"), ("B", "A")):
        intake: dict[str, Any] = {first: waiting(5), second: waiting(60)}
        everyone = frame(
            person("A", **{"Intake on": intake["A"]}),
            person("B", **{"Intake on": intake["B"]}),
            mentor("X"),
        )
        proposal = propose(pool(everyone), settings=MatchSettings(min_score=0))
        assert proposed(proposal) == {(second, "X")}
        (left_out,) = proposal.unmatched
        assert (left_out.mentee_id, left_out.waiting_days) == (first, 5)
        assert left_out.reason == "taken"
        assert left_out.message == Msg(
            "matching.unmatched_taken", {"mentor": "X Test", "other": f"{second} Test"}
        )


def test_unmatched_reasons() -> None:
    everyone = frame(
        person("A", Languages=["Dutch"]),
        person("B", Sectors=["Retail"], Topics=["Other"]),
        person("C", Office="Liège"),
        person("D"),
        mentor("X", Languages=["French"], Postcode="9000"),
        mentor("Y", Office="Ghent"),
    )
    proposal = propose(pool(everyone), MatchSettings(min_score=60), excluded=[("D", "X")])
    reasons = {u.mentee_id: u for u in proposal.unmatched}
    assert reasons["A"].reason == "no_eligible"
    assert keys(reasons["A"].details) == ["matching.count_language"]
    assert reasons["B"].reason == "below_minimum"
    assert reasons["C"].reason == "no_eligible"
    assert keys(reasons["C"].details) == ["matching.no_mentor_in_office"]
    assert reasons["D"].reason == "excluded"


def test_proposal_times_itself() -> None:
    everyone = frame(person("A"), person("B"), mentor("X"), mentor("Y"))
    proposal = propose(pool(everyone), MatchSettings(min_score=0))
    assert len(proposal.pairs) == 2
    assert 0 <= proposal.solver_seconds <= proposal.seconds


def test_proposal_pairs_never_break_a_hard_rule_in_a_mixed_pool() -> None:
    everyone = frame(
        person("A", Preferences="femme"),
        person("B", Status="Applied"),
        person("C", Availability=["Sun EVE"]),
        mentor("X", Gender="Man"),
        mentor("Y", Status="Trained"),
        mentor("Z"),
    )
    proposal = propose(pool(everyone), settings=MatchSettings(min_score=0))
    assert proposed(proposal) == {("A", "Z")}
    assert {u.mentee_id for u in proposal.unmatched} == {"C"}


# --- pool health ----------------------------------------------------------------------------


def test_pool_health_names_the_shortage() -> None:
    everyone = frame(
        *[person(f"N{k}", Languages=["Dutch"]) for k in range(3)],
        person("F", Preferences="woman mentor"),
        person("G"),
        mentor("X", Languages=["French"], Gender="Man", Capacity=3.0),
        mentor("Y", Languages=["French", "Dutch"], Status="Trained"),
        mentor("Z", Office="Ghent"),
    )
    health = {h.office: h for h in matching.pool_health(pool(everyone))}
    brussels = health["Brussels"]
    assert brussels.ready_mentees == 5
    assert (brussels.free_mentors, brussels.free_places) == (1, 3)
    assert set(brussels.zero_eligible) == {"N0", "N1", "N2", "F"}
    assert brussels.one_eligible == ("G",)
    by_rule = {s.rule: s for s in brussels.shortages}
    assert by_rule["language"].need == "Dutch"
    assert by_rule["language"].supply == 0
    assert by_rule["language"].message.text("en") == (
        "3 mentees need Dutch; free mentors who speak it: 0"
    )
    assert by_rule["preference"].message.text("en") == (
        "1 mentee asked for a woman mentor; free women mentors: 0"
    )
    assert health["Ghent"].ready_mentees == 0
    assert health["Ghent"].free_mentors == 1


# --- settings -------------------------------------------------------------------------------


def test_settings_fields_are_documented_and_validated() -> None:
    fields = matching.setting_fields()
    names = {f.name for f in fields}
    assert names == set(vars(MatchSettings()))
    kinds = {f.name: f.kind for f in fields}
    assert kinds["soft_language"] == "toggle"
    assert kinds["top_n"] == "integer"
    assert kinds["weight_sector"] == "number"
    for spec in fields:
        assert spec.label.key in catalogue()
        assert spec.help.key in catalogue()
    with pytest.raises(ValueError, match="min_score"):
        MatchSettings(min_score=120)
    with pytest.raises(ValueError, match="weight_sector"):
        MatchSettings(weight_sector=-1)


# --- words ----------------------------------------------------------------------------------


def catalogue() -> dict[str, dict[str, str]]:
    with CATALOGUE.open("rb") as handle:
        data = tomllib.load(handle)
    return {f"matching.{key}": texts for key, texts in data.items()}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogue_has_every_language_and_the_same_placeholders() -> None:
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), key
        names = {lang: placeholders(text) for lang, text in texts.items()}
        assert names["fr"] == names["en"] == names["nl"], key


def assert_readable(message: Msg) -> None:
    assert message.key in catalogue(), message.key
    for lang in LANGUAGES:
        text = message.text(lang)
        assert text and text != message.key
        assert not re.search(r"\{\w+\}", text), text


def test_every_reason_and_blocker_reads_in_fr_nl_en() -> None:
    everyone = frame(
        person("A", Languages=["Arabic", "Dutch"], Preferences="femme", Personality="calme"),
        person("B", Topics=[], Availability=[], Postcode=""),
        person("C", Status="On hold", Sectors=[]),
        mentor("X", Languages=["Dutch"], Gender="Man", Personality="rustig"),
        mentor("Y", Languages=["French"], Status="Trained", Sectors=["Telecom"]),
        mentor("Z", Capacity=2.0, Availability=["Sun EVE"], Topics=[]),
        mentor("W", Office="Ghent", Preferences="a man"),
        mentor("V", Capacity=0.0, Sectors=[], Personality="curious"),
    )
    duo_rows = duos(("A", "V", "Declined"), ("B", "V", "Ended early"), ("Q", "Z", "Active"))
    prepared = pool(everyone, duo_rows)
    seen: list[Msg] = []
    for subject in ("A", "B", "C"):
        ranking = rank_mentors(subject, prepared, excluded=[("B", "X")])
        for suggestion in ranking.suggestions:
            assert len(suggestion.parts) == len(matching.PART_LABELS)
            seen.extend(suggestion.reasons)
        for blocked in ranking.blocked:
            assert blocked.blockers
            seen.extend(blocked.reasons)
    for subject in ("X", "Y", "Z", "W", "V"):
        ranking = matching.rank(prepared, "Mentor", subject)
        seen.extend(m for s in ranking.suggestions for m in s.reasons)
        seen.extend(m for b in ranking.blocked for m in b.reasons)
    proposal = propose(prepared, MatchSettings(min_score=0))
    seen.extend(m for u in proposal.unmatched for m in (u.message, *u.details))
    seen.extend(m for p in proposal.pairs for m in p.reasons)
    for health in matching.pool_health(prepared):
        seen.append(health.summary)
        seen.extend(s.message for s in health.shortages)
    seen.extend(matching.PART_LABELS.values())
    seen.extend(matching.RULE_LABELS.values())
    assert len({m.key for m in seen}) > 30
    for message in seen:
        assert_readable(message)


def test_a_few_sentences_read_naturally() -> None:
    message = Msg("matching.languages_shared_many", {"items": "Arabic", "last": "French"})
    assert message.text("en") == "Both speak Arabic and French"
    assert message.text("fr") == "Tous deux parlent Arabic et French"
    assert message.text("nl") == "Beiden spreken Arabic en French"
    assert Msg("matching.sector_same_one", {"item": "ICT"}).text("fr") == "Même secteur : ICT"
    assert Msg("matching.slots_none").text("nl") == "Geen gemeenschappelijk tijdslot"
    assert Msg("matching.blocked_full_one").text("en") == "Mentor already has a mentee"
