"""Explainable match suggestions: the tool suggests and explains, the coordinator decides.

Pure Python over the participant and duo records the store returns (no Streamlit, no sheet
I/O). Everything a page shows comes back as dataclasses holding `Msg` objects, never text, so
every reason appears in the user's language.

- `rank`: the best candidates of the other side for one mentee or mentor, each with its score,
  the score's parts and the reasons, plus every candidate that is not eligible and why.
- `propose`: one assignment for a whole pool: first as many mentees matched as possible, then
  the best total score, with long waiters first when it comes to who is left out.
- `pool_health`: per office, who has zero or one eligible mentor and which rule blocks them, so
  coordinators know whom to recruit.

Every function takes one input: the `MatchPool` that `prepare_pool` parses once from the
Participants and Duos frames. The numbers come from `matching_score` (vectorised over the pool;
a per-pair reference implementation there defines them and explains each shown pair).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped,unused-ignore]

import clock
from i18n import Msg
from matching_score import (
    ALWAYS_HARD,
    ANY_GENDER,
    MAN,
    OTHER,
    PARTS,
    RULES,
    WOMAN,
    Bools,
    Floats,
    Ints,
    Person,
    Side,
    build_side,
    failed_pairs,
    open_duo_counts,
    pair_values,
    postcode_proximity,
    rule_bit,
    score_pairs,
    sector_families,
    slot_names,
)

Role = Literal["Mentee", "Mentor"]
Pair = tuple[str, str]
"""(mentee ID, mentor ID)."""

SOFTENABLE_RULES: tuple[str, ...] = tuple(rule for rule in RULES if rule not in ALWAYS_HARD)


def _setting(default: Any, minimum: float | None = None, maximum: float | None = None) -> Any:
    return field(default=default, metadata={"min": minimum, "max": maximum})


@dataclass(frozen=True)
class MatchSettings:
    """What a coordinator can tune on the settings page; each field has a translated label and
    help text (`matching.setting_<name>` and `matching.setting_<name>_help`), see
    `setting_fields`. The defaults follow the programme's criteria: sector first, then the
    mentee's needs, then the practicalities."""

    weight_sector: float = _setting(25.0, 0, 100)
    weight_topics: float = _setting(20.0, 0, 100)
    weight_availability: float = _setting(15.0, 0, 100)
    weight_languages: float = _setting(15.0, 0, 100)
    weight_personality: float = _setting(10.0, 0, 100)
    weight_postcode: float = _setting(15.0, 0, 100)
    related_sector_credit: float = _setting(0.5, 0, 1)
    full_availability_slots: int = _setting(3, 1, 21)
    min_score: float = _setting(40.0, 0, 100)
    top_n: int = _setting(10, 1, 100)
    soft_ready: bool = _setting(False)
    soft_mentee_free: bool = _setting(False)
    soft_capacity: bool = _setting(False)
    soft_language: bool = _setting(False)
    soft_availability: bool = _setting(False)
    soft_preference: bool = _setting(False)
    soft_penalty: float = _setting(20.0, 0, 100)
    waiting_priority: float = _setting(5.0, 0, 50)
    waiting_cap_days: int = _setting(180, 0, 730)

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            low, high = spec.metadata["min"], spec.metadata["max"]
            if low is not None and not low <= value <= high:
                raise ValueError(f"{spec.name} must be between {low} and {high}, not {value}")

    def weights(self) -> dict[str, float]:
        return {part: float(getattr(self, f"weight_{part}")) for part in PARTS}

    def soft_rules(self) -> frozenset[str]:
        return frozenset(rule for rule in SOFTENABLE_RULES if getattr(self, f"soft_{rule}"))


@dataclass(frozen=True)
class SettingField:
    """How the settings page renders one `MatchSettings` field."""

    name: str
    default: float | int | bool
    kind: Literal["number", "integer", "toggle"]
    minimum: float | None
    maximum: float | None
    label: Msg
    help: Msg


def setting_fields() -> tuple[SettingField, ...]:
    """Every setting with its default, bounds and translated label and help text."""
    result = []
    for spec in fields(MatchSettings):
        kind: Literal["number", "integer", "toggle"] = (
            "toggle" if spec.type == "bool" else "integer" if spec.type == "int" else "number"
        )
        result.append(
            SettingField(
                name=spec.name,
                default=spec.default,  # type: ignore[arg-type]
                kind=kind,
                minimum=spec.metadata["min"],
                maximum=spec.metadata["max"],
                label=Msg(f"matching.setting_{spec.name}"),
                help=Msg(f"matching.setting_{spec.name}_help"),
            )
        )
    return tuple(result)


PART_LABELS: dict[str, Msg] = {part: Msg(f"matching.part_{part}") for part in PARTS}
RULE_LABELS: dict[str, Msg] = {rule: Msg(f"matching.rule_{rule}") for rule in (*RULES, "excluded")}


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePart:
    """One part of a pair's score: its value (0-1), its points (its share of 0-100), why."""

    name: str
    value: float
    points: float
    reason: Msg


@dataclass(frozen=True)
class Blocker:
    """A rule the pair breaks. A soft one only costs `penalty` points; a hard one excludes."""

    rule: str
    soft: bool
    penalty: float
    reason: Msg


@dataclass(frozen=True)
class Suggestion:
    """A mentee-mentor pair with its score, every blocker, and the parts of the score.

    `parts` are worked out on first access: a proposal for a whole pool holds thousands of
    pairs and a coordinator opens a few.
    """

    mentee_id: str
    mentee_name: str
    mentor_id: str
    mentor_name: str
    office: str
    score: float
    acceptable: bool
    blockers: tuple[Blocker, ...]
    notes: tuple[Msg, ...]
    waiting_days: int
    explain_parts: Callable[[], tuple[ScorePart, ...]] = field(repr=False, compare=False)

    @property
    def eligible(self) -> bool:
        return not any(not blocker.soft for blocker in self.blockers)

    @cached_property
    def parts(self) -> tuple[ScorePart, ...]:
        """The score's parts, in `PART_LABELS` order, each with its reason."""
        return self.explain_parts()

    @property
    def reasons(self) -> tuple[Msg, ...]:
        """Blockers and notes first, then the score parts from strongest to weakest."""
        parts = sorted(self.parts, key=lambda part: -part.points)
        return (
            *(b.reason for b in self.blockers),
            *self.notes,
            *(part.reason for part in parts),
        )


@dataclass(frozen=True)
class Blocked:
    """A candidate who is not on the list, and every hard rule that keeps them off it."""

    candidate_id: str
    candidate_name: str
    office: str
    score: float
    blockers: tuple[Blocker, ...]

    @property
    def reasons(self) -> tuple[Msg, ...]:
        return tuple(b.reason for b in self.blockers)


@dataclass(frozen=True)
class Ranking:
    """The best eligible candidates for one person, and why every other candidate is not there.

    `blocked` is explained on first access (every candidate of every office can be a few
    thousand sentences; a page that shows only the suggestions does not pay for them).
    """

    subject_id: str
    subject_role: Literal["Mentee", "Mentor"]
    suggestions: tuple[Suggestion, ...]
    eligible_count: int
    blocked_count: int
    explain_blocked: Callable[[], tuple[Blocked, ...]] = field(repr=False, compare=False)

    @cached_property
    def blocked(self) -> tuple[Blocked, ...]:
        """Every candidate not eligible, nearest misses first (fewest blockers, best score)."""
        return self.explain_blocked()

    def why_not(self, candidate_id: str) -> Blocked | None:
        """Why this candidate is not on the list; None when they are eligible (or unknown)."""
        return next((b for b in self.blocked if b.candidate_id == candidate_id), None)


UnmatchedReason = Literal["no_eligible", "below_minimum", "excluded", "taken"]


@dataclass(frozen=True)
class Unmatched:
    """A ready mentee the proposal leaves without a mentor, and why."""

    mentee_id: str
    mentee_name: str
    office: str
    waiting_days: int
    reason: UnmatchedReason
    message: Msg
    details: tuple[Msg, ...]


@dataclass(frozen=True)
class Proposal:
    """One assignment of the pool; `pairs` are new, `locked` are the coordinator's own."""

    pairs: tuple[Suggestion, ...]
    locked: tuple[Suggestion, ...]
    unmatched: tuple[Unmatched, ...]
    free_places: dict[str, int]
    total_score: float
    solver_seconds: float
    seconds: float


@dataclass(frozen=True)
class Shortage:
    """A group of struggling mentees blocked by the same rule, and what recruiting would help."""

    rule: str
    need: str
    mentees: tuple[str, ...]
    supply: int
    message: Msg


@dataclass(frozen=True)
class OfficeHealth:
    """How well an office's ready mentees can be matched with its mentors today."""

    office: str
    ready_mentees: int
    free_mentors: int
    free_places: int
    zero_eligible: tuple[str, ...]
    one_eligible: tuple[str, ...]
    shortages: tuple[Shortage, ...]
    summary: Msg


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchPool:
    """Participants and duos parsed once for matching: the one input of `rank`, `propose` and
    `pool_health`.

    Parsing the records is most of the cost of a ranking; a page that ranks on every click
    builds the pool when it (re)loads the data and ranks from it. Ready flags (with `include`),
    open-duo loads and waiting times are those of the moment it was prepared.
    """

    mentees: Side
    mentors: Side
    failed: dict[Pair, str]

    def side(self, role: Role) -> Side:
        return self.mentees if role == "Mentee" else self.mentors


def prepare_pool(
    participants: pd.DataFrame,
    duos: pd.DataFrame | None = None,
    *,
    include: Collection[str] = (),
    today: date | None = None,
) -> MatchPool:
    """Parse the Participants (both roles, told apart by their Role) and the Duos once.

    `include`: IDs to treat as Ready although their status is not.
    """
    day = today or clock.today()
    roles = _roles(participants)

    def side(role: Role) -> Side:
        return build_side(
            participants.loc[roles == role.casefold()],
            load=open_duo_counts(duos, f"{role} ID"),
            include=include,
            today=day,
            in_duo_with_room=role == "Mentor",
        )

    return MatchPool(mentees=side("Mentee"), mentors=side("Mentor"), failed=failed_pairs(duos))


def _roles(participants: pd.DataFrame) -> npt.NDArray[np.object_]:
    """Each row's Role, folded ("" when blank): vectorised, as it runs on every ranking."""
    if "Role" not in participants.columns:
        return np.full(len(participants), "", dtype=object)
    roles = participants["Role"].astype("string").str.strip().str.casefold()
    return roles.fillna("").to_numpy(dtype=object)


def _pair_positions(pairs: Iterable[Pair], mentees: Side, mentors: Side) -> list[tuple[int, int]]:
    """Row positions of (mentee ID, mentor ID) pairs on two sides; unknown IDs are skipped."""
    mentee_rows, mentor_rows = mentees.index(), mentors.index()
    return [
        (mentee_rows[a], mentor_rows[b]) for a, b in pairs if a in mentee_rows and b in mentor_rows
    ]


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    """Pairs scored under the settings: `hard` (a hard rule broken, or excluded by the
    coordinator) keeps a pair out; each broken soft rule cost `soft_penalty` points."""

    score: Floats
    rule_bits: npt.NDArray[np.uint8]
    hard: Bools
    excluded: frozenset[tuple[int, int]]
    failed: dict[tuple[int, int], str]

    @property
    def eligible(self) -> Bools:
        return ~self.hard

    def failing(self, rule: str, rows: slice | int | Ints = slice(None)) -> Bools:
        """Where `rule` (of `RULES`) is broken, for some rows only, to keep arrays small."""
        return np.asarray((self.rule_bits[rows] & np.uint8(rule_bit(rule))) != 0, dtype=bool)


def _hard_bits(settings: MatchSettings) -> int:
    soft = settings.soft_rules()
    return sum(rule_bit(rule) for rule in RULES if rule not in soft)


def _score(
    mentees: Side,
    mentors: Side,
    failed: Mapping[Pair, str],
    settings: MatchSettings,
    excluded: Iterable[Pair] = (),
) -> _Scored:
    failed_at = {
        position: failed[(mentees.ids[position[0]], mentors.ids[position[1]])]
        for position in _pair_positions(failed, mentees, mentors)
    }
    weights = settings.weights()
    total_weight = sum(weights.values()) or 1.0
    score, bits = score_pairs(
        mentees,
        mentors,
        failed=failed_at,
        related_credit=settings.related_sector_credit,
        full_slots=settings.full_availability_slots,
        weights=[100 * weights[part] / total_weight for part in PARTS],
        soft_bits=sum(rule_bit(rule) for rule in settings.soft_rules()),
        penalty=settings.soft_penalty,
    )
    hard = (bits & np.uint8(_hard_bits(settings))) != 0
    excluded_at = frozenset(_pair_positions(excluded, mentees, mentors))
    for i, j in excluded_at:
        hard[i, j] = True
    return _Scored(score, bits, hard, excluded_at, failed_at)


def _failing_rules(scored: _Scored, i: int, j: int) -> list[str]:
    bits = int(scored.rule_bits[i, j])
    rules = [rule for rule in RULES if bits & rule_bit(rule)] if bits else []
    return [*rules, "excluded"] if (i, j) in scored.excluded else rules


# --- words ----------------------------------------------------------------------------------


def _listed(key: str, items: Sequence[str], **params: Any) -> Msg:
    """`key_one` with {item}, or `key_many` with {items} and {last} ("A, B and C")."""
    if len(items) == 1:
        return Msg(f"matching.{key}_one", {"item": items[0], **params})
    return Msg(
        f"matching.{key}_many", {"items": ", ".join(items[:-1]), "last": items[-1], **params}
    )


def _sector_reason(mentee: Person, mentor: Person) -> Msg:
    if not mentee.sectors or not mentor.sectors:
        return Msg("matching.sector_unknown")
    same = [name for key, name in mentee.sectors.items() if key in mentor.sectors]
    if same:
        return _listed("sector_same", same)
    if mentee.families & mentor.families:
        ours = next(mentee.sectors[k] for k in mentee.sectors if _related(k, mentor))
        theirs = next(mentor.sectors[k] for k in mentor.sectors if _related(k, mentee))
        return Msg("matching.sector_related", {"mentee": ours, "mentor": theirs})
    return Msg("matching.sector_none")


def _related(sector_key: str, other: Person) -> bool:
    return bool(sector_families((sector_key,)) & other.families)


def _topics_reason(mentee: Person, mentor: Person) -> Msg:
    if not mentee.topics:
        return Msg("matching.topics_unknown")
    if not mentor.topics:
        return Msg("matching.topics_mentor_unknown")
    covered = [name for key, name in mentee.topics.items() if key in mentor.topics]
    if not covered:
        return Msg("matching.topics_none")
    return _listed("topics_covered", covered, covered=len(covered), total=len(mentee.topics))


def _slots_reason(mentee: Person, mentor: Person) -> Msg:
    if not mentee.slots:
        return Msg("matching.slots_unknown_mentee")
    if not mentor.slots:
        return Msg("matching.slots_unknown_mentor")
    shared = slot_names(mentee.slots & mentor.slots)
    if not shared:
        return Msg("matching.slots_none")
    return _listed("slots_shared", shared, count=len(shared))


def _languages_reason(mentee: Person, mentor: Person) -> Msg:
    if not mentee.languages or not mentor.languages:
        return Msg("matching.languages_unknown")
    shared = [name for key, name in mentee.languages.items() if key in mentor.languages]
    if not shared:
        return Msg("matching.languages_none")
    if mentee.main_language and mentee.main_language in mentor.languages:
        return _listed("languages_main", shared, main=mentee.languages[mentee.main_language])
    return _listed("languages_shared", shared)


def _personality_reason(mentee: Person, mentor: Person) -> Msg:
    if not mentee.keywords or not mentor.keywords:
        return Msg("matching.personality_unknown")
    shared = sorted(mentee.keywords & mentor.keywords)
    return _listed("personality_shared", shared) if shared else Msg("matching.personality_none")


def _postcode_reason(mentee: Person, mentor: Person) -> Msg:
    if mentee.postcode < 0 or mentor.postcode < 0:
        return Msg("matching.postcode_unknown")
    params = {"mentee": mentee.postcode_text, "mentor": mentor.postcode_text}
    proximity = postcode_proximity(mentee.postcode, mentor.postcode)
    if proximity == 1:
        return Msg("matching.postcode_same", {"postcode": mentee.postcode_text})
    key = "near" if proximity >= 0.5 else "region" if proximity > 0 else "far"
    return Msg(f"matching.postcode_{key}", params)


_PART_REASONS = {
    "sector": _sector_reason,
    "topics": _topics_reason,
    "availability": _slots_reason,
    "languages": _languages_reason,
    "personality": _personality_reason,
    "postcode": _postcode_reason,
}
_PREFERENCE_KINDS = {WOMAN: "woman", MAN: "man", WOMAN | OTHER: "no_man", MAN | OTHER: "no_woman"}


def _preference_kind(accepts: int) -> str:
    return _PREFERENCE_KINDS.get(accepts, "other")


def _blocker_reason(
    rule: str, mentees: Side, i: int, mentors: Side, j: int, failed: str
) -> tuple[str, dict[str, Any]]:
    """The message key and parameters for one broken rule, from the two parsed records."""
    if rule == "office":
        offices = {"mentee": mentees.offices[i], "mentor": mentors.offices[j]}
        known = offices["mentee"] and offices["mentor"]
        return ("blocked_office", offices) if known else ("office_unknown", {})
    if rule == "history":
        return ("blocked_ended" if failed == "Ended early" else "blocked_declined"), {}
    if rule == "ready":
        side, who, row = (mentees, "mentee", i) if not mentees.ready[i] else (mentors, "mentor", j)
        return f"blocked_{who}_not_ready", {"status": side.statuses[row] or "-"}
    if rule == "mentee_free":
        return "blocked_mentee_busy", {}
    if rule == "capacity":
        capacity, load = int(mentors.capacity[j]), int(mentors.load[j])
        if capacity == 0:
            return "blocked_no_capacity", {}
        key = "blocked_full_one" if load == 1 else "blocked_full_many"
        return key, {"count": load, "capacity": capacity}
    if rule == "preference":
        if not mentees.accepts[i] & mentors.gender[j]:
            return f"blocked_pref_mentee_{_preference_kind(int(mentees.accepts[i]))}", {}
        return f"blocked_pref_mentor_{_preference_kind(int(mentors.accepts[j]))}", {}
    return f"blocked_{rule}", {}


@lru_cache(maxsize=4096)
def _blocker(
    rule: str, key: str, params: tuple[tuple[str, Any], ...], soft: bool, penalty: float
) -> Blocker:
    """Blockers are shared between pairs with the same sentence: a ranking can list thousands
    of "Different offices: Ghent and Antwerp"."""
    return Blocker(rule, soft, penalty, Msg(f"matching.{key}", dict(params)))


def _blockers(
    scored: _Scored,
    mentees: Side,
    i: int,
    mentors: Side,
    j: int,
    soft: frozenset[str],
    soft_penalty: float,
    rules: Iterable[str] | None = None,
) -> tuple[Blocker, ...]:
    """The pair's broken rules (`rules` when the caller already knows them), explained."""
    failed = scored.failed.get((i, j), "")
    result = []
    for rule in _failing_rules(scored, i, j) if rules is None else rules:
        key, params = _blocker_reason(rule, mentees, i, mentors, j, failed)
        is_soft = rule in soft
        penalty = soft_penalty if is_soft else 0.0
        result.append(_blocker(rule, key, tuple(params.items()), is_soft, penalty))
    return tuple(result)


def _parts(mentee: Person, mentor: Person, settings: MatchSettings) -> tuple[ScorePart, ...]:
    """The parts of one pair's score, from the per-pair definition of the score."""
    values = pair_values(
        mentee,
        mentor,
        related_credit=settings.related_sector_credit,
        full_slots=settings.full_availability_slots,
    )
    weights = settings.weights()
    total_weight = sum(weights.values()) or 1.0
    return tuple(
        ScorePart(
            name=part,
            value=values[part],
            points=round(100 * weights[part] * values[part] / total_weight, 1),
            reason=_PART_REASONS[part](mentee, mentor),
        )
        for part in PARTS
    )


def _suggestion(
    scored: _Scored, mentees: Side, i: int, mentors: Side, j: int, settings: MatchSettings
) -> Suggestion:
    """One pair with its blockers; its parts are explained when first read."""
    blockers = _blockers(
        scored, mentees, i, mentors, j, settings.soft_rules(), settings.soft_penalty
    )
    score = round(float(scored.score[i, j]), 1)
    eligible = not any(not b.soft for b in blockers)
    acceptable = eligible and score >= settings.min_score
    notes: tuple[Msg, ...] = ()
    if eligible and not acceptable:
        notes = (Msg("matching.below_minimum", {"score": score, "minimum": settings.min_score}),)
    return Suggestion(
        mentee_id=mentees.ids[i],
        mentee_name=mentees.names[i],
        mentor_id=mentors.ids[j],
        mentor_name=mentors.names[j],
        office=mentors.offices[j] or mentees.offices[i],
        score=score,
        acceptable=acceptable,
        blockers=blockers,
        notes=notes,
        waiting_days=int(mentees.waiting_days[i]),
        explain_parts=lambda: _parts(mentees.person(i), mentors.person(j), settings),
    )


# --- ranking --------------------------------------------------------------------------------


def rank(
    pool: MatchPool,
    side: Role,
    person_id: str,
    settings: MatchSettings | None = None,
    *,
    excluded: Iterable[Pair] = (),
) -> Ranking:
    """The best `settings.top_n` eligible candidates of the other side for one person of
    `side`, best first (a mentor's mentees: the longer waiter first on a tie), and why every
    other candidate is not suggested. `excluded` pairs (mentee ID, mentor ID) never are.

    The person is one row against the other side (one column when ranking for a mentor), so
    both directions share one scoring and one explanation.
    """
    settings = settings or MatchSettings()
    row = pool.side(side).index().get(person_id)
    if row is None:
        raise KeyError(f"no {side.casefold()} with ID {person_id!r}")
    by_mentee = side == "Mentee"
    mentees = pool.mentees.take([row]) if by_mentee else pool.mentees
    mentors = pool.mentors if by_mentee else pool.mentors.take([row])
    candidates = mentors if by_mentee else mentees
    scored = _score(mentees, mentors, pool.failed, settings, excluded)

    def pair(k: int) -> tuple[int, int]:
        return (0, k) if by_mentee else (k, 0)

    score = scored.score.reshape(-1)
    waiting = np.zeros(len(score)) if by_mentee else mentees.waiting_days
    order = np.lexsort((np.arange(len(score)), -waiting, -score))
    chosen = order[scored.eligible.reshape(-1)[order]].tolist()
    suggestions = []
    for k in chosen[: settings.top_n]:
        i, j = pair(k)
        suggestions.append(_suggestion(scored, mentees, i, mentors, j, settings))

    def explain_blocked() -> tuple[Blocked, ...]:
        soft, penalty = settings.soft_rules(), settings.soft_penalty
        found = []
        for k in np.flatnonzero(scored.hard.reshape(-1)).tolist():
            i, j = pair(k)
            rules = [rule for rule in _failing_rules(scored, i, j) if rule not in soft]
            blockers = _blockers(scored, mentees, i, mentors, j, soft, penalty, rules)
            name, office, points = candidates.names[k], candidates.offices[k], float(score[k])
            blocked = Blocked(candidates.ids[k], name, office, round(points, 1), blockers)
            found.append((len(rules), -points, k, blocked))
        return tuple(blocked for *_, blocked in sorted(found))

    return Ranking(
        subject_id=person_id,
        subject_role=side,
        suggestions=tuple(suggestions),
        eligible_count=len(chosen),
        blocked_count=len(score) - len(chosen),
        explain_blocked=explain_blocked,
    )


def rank_mentors(
    mentee_id: str,
    pool: MatchPool,
    settings: MatchSettings | None = None,
    *,
    excluded: Iterable[Pair] = (),
) -> Ranking:
    """`rank` for a mentee (the matching page's call)."""
    return rank(pool, "Mentee", mentee_id, settings, excluded=excluded)


# --- the whole pool -------------------------------------------------------------------------


def _waiting_bonus(mentees: Side, settings: MatchSettings) -> Floats:
    """Priority points for waiting: `waiting_priority` per 30 days since intake, up to the cap."""
    days = np.minimum(mentees.waiting_days, settings.waiting_cap_days).astype(np.float32)
    return np.float32(settings.waiting_priority / 30) * days


def _assign(
    acceptable: Bools, score: Floats, bonus: Floats, places: Ints
) -> tuple[list[tuple[int, int]], float]:
    """The assignment with the most acceptable pairs, then the highest score plus waiting bonus.

    A mentor with places for k mentees becomes k identical columns, so the Hungarian method
    (scipy's `linear_sum_assignment`) handles capacities. Every acceptable pair is worth
    `big` + its value and `big` exceeds any possible total of values, so one more pair always
    beats any gain in score: the maximum-weight assignment is a maximum-cardinality one.
    Unacceptable pairs are worth 0 and dropped from the solver's answer.
    Returns the (mentee, mentor) positions and the seconds spent in the solver.
    """
    rows = np.flatnonzero(acceptable.any(axis=1))
    repeats = np.minimum(places, np.count_nonzero(acceptable, axis=0))
    columns = np.repeat(np.arange(acceptable.shape[1]), repeats)
    if rows.size == 0 or columns.size == 0:
        return [], 0.0
    every_row = rows.size == acceptable.shape[0]
    every_column = np.array_equal(columns, np.arange(acceptable.shape[1]))
    weight = score if every_row else score[rows]
    allowed = acceptable if every_row else acceptable[rows]
    if not every_column:
        weight, allowed = weight[:, columns], allowed[:, columns]
    weight = weight.astype(np.float64)
    value_bound = float(score.max()) + float(bonus.max()) + 1
    weight += bonus[rows, None] + (min(rows.size, columns.size) + 1) * value_bound
    weight *= allowed
    started = time.perf_counter()
    picked_rows, picked_columns = linear_sum_assignment(weight, maximize=True)
    seconds = time.perf_counter() - started
    pairs = zip(rows[picked_rows], columns[picked_columns], strict=True)
    return [(int(i), int(j)) for i, j in pairs if acceptable[i, j]], seconds


def _rule_counts(scored: _Scored, i: int, settings: MatchSettings) -> tuple[Msg, ...]:
    """How many of the office's mentors each hard rule rules out for mentee row `i`."""
    soft = settings.soft_rules()
    counts = [
        (int(np.count_nonzero(scored.failing(rule, i))), rule) for rule in RULES if rule not in soft
    ]
    counts.sort(key=lambda item: -item[0])
    return tuple(Msg(f"matching.count_{rule}", {"count": n}) for n, rule in counts if n)


def _unmatched(
    scored: _Scored,
    mentees: Side,
    i: int,
    mentors: Side,
    settings: MatchSettings,
    winners: Mapping[int, list[str]],
) -> Unmatched:
    """Why mentee row `i` of an office block got no mentor in the proposal.

    Whoever has an acceptable mentor left with a free place would have been matched (one more
    pair always wins), so an unmatched mentee with acceptable mentors lost every one of them to
    other mentees: the proposal names the best one and who got it.
    """
    eligible = scored.eligible[i]
    acceptable = eligible & (scored.score[i] >= settings.min_score)
    reason: UnmatchedReason
    details: tuple[Msg, ...] = ()
    params: dict[str, Any] = {}
    if len(mentors) == 0:
        reason, message = "no_eligible", Msg("matching.unmatched_no_eligible")
        office = mentees.offices[i]
        details = (
            Msg("matching.no_mentor_in_office", {"office": office})
            if office
            else Msg("matching.office_unknown"),
        )
    elif not ((scored.rule_bits[i] & np.uint8(_hard_bits(settings))) == 0).any():
        reason, message = "no_eligible", Msg("matching.unmatched_no_eligible")
        details = _rule_counts(scored, i, settings)
    elif not eligible.any():
        reason, message = "excluded", Msg("matching.unmatched_excluded")
    elif not acceptable.any():
        best = round(float(scored.score[i][eligible].max()), 1)
        params = {"minimum": settings.min_score, "best": best}
        reason, message = "below_minimum", Msg("matching.unmatched_below_minimum", params)
    else:
        j = int(np.argmax(np.where(acceptable, scored.score[i], -1)))
        others = winners.get(j) or ["-"]
        params = {"mentor": mentors.names[j] or mentors.ids[j], "other": ", ".join(others)}
        reason, message = "taken", Msg("matching.unmatched_taken", params)
    return Unmatched(
        mentee_id=mentees.ids[i],
        mentee_name=mentees.names[i],
        office=mentees.offices[i],
        waiting_days=int(mentees.waiting_days[i]),
        reason=reason,
        message=message,
        details=details,
    )


def _by_office(side: Side, rows: Iterable[int]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for row in rows:
        groups.setdefault(side.offices[row], []).append(row)
    return groups


def _pool_rows(mentees: Side, busy: Collection[int] = ()) -> list[int]:
    """Mentees waiting for a mentor: Ready (or included), in no open duo, not locked."""
    return [
        i
        for i in range(len(mentees))
        if mentees.ready[i] and mentees.load[i] == 0 and i not in busy
    ]


def propose(
    pool: MatchPool,
    settings: MatchSettings | None = None,
    *,
    locked: Iterable[Pair] = (),
    excluded: Iterable[Pair] = (),
) -> Proposal:
    """One assignment of the waiting mentees to mentors, for the coordinators to review.

    Among acceptable pairs (no hard rule broken, score at least `min_score`, not excluded) it
    matches as many mentees as possible, and among those assignments maximises the total score
    plus a waiting bonus per matched mentee (`waiting_priority` points per 30 days since intake):
    the bonus only decides who gets a mentor when not everyone can, so long waiters are not
    always the ones left out. Offices never mix, so each office is solved on its own.

    Mentees in the pool: Ready (or included), in no Proposed / Intro planned / Active duo.
    `locked` pairs stay as they are and use their mentor's capacity; `excluded` pairs never
    appear. Capacities always hold here, even when the capacity rule is soft for rankings.
    """
    started = time.perf_counter()
    settings = settings or MatchSettings()
    locked_at = _pair_positions(locked, pool.mentees, pool.mentors)
    taken = np.bincount([j for _, j in locked_at], minlength=len(pool.mentors))
    winners: dict[int, list[str]] = {}
    for i, j in locked_at:
        winners.setdefault(j, []).append(pool.mentees.names[i])
    solved = _Solved(pairs=[], unmatched=[], taken=taken, winners=winners)
    mentors = pool.mentors.with_load(pool.mentors.load + taken)
    mentor_groups = _by_office(mentors, range(len(mentors)))
    waiting = _pool_rows(pool.mentees, {i for i, _ in locked_at})
    excluded = list(excluded)
    for office, rows in sorted(_by_office(pool.mentees, waiting).items()):
        columns = mentor_groups.get(office, []) if office else []
        _solve_office(pool, rows, mentors, columns, settings, excluded, solved)
    places_left = pool.mentors.capacity - pool.mentors.load - solved.taken
    return Proposal(
        pairs=tuple(sorted(solved.pairs, key=lambda p: (p.office, -p.score))),
        locked=tuple(_locked(pool, i, j, settings) for i, j in locked_at),
        unmatched=tuple(sorted(solved.unmatched, key=lambda u: (u.office, -u.waiting_days))),
        free_places={
            pool.mentors.ids[j]: int(places_left[j])
            for j in np.flatnonzero(pool.mentors.ready & (places_left > 0))
        },
        total_score=round(sum(p.score for p in solved.pairs), 1),
        solver_seconds=solved.solver_seconds,
        seconds=time.perf_counter() - started,
    )


@dataclass
class _Solved:
    """What `propose` has found so far: pairs, unmatched mentees, places taken per mentor (pool
    positions) and who took them (names, to tell an unmatched mentee who got their mentor)."""

    pairs: list[Suggestion]
    unmatched: list[Unmatched]
    taken: Ints
    winners: dict[int, list[str]]
    solver_seconds: float = 0.0


def _solve_office(
    pool: MatchPool,
    rows: list[int],
    mentors: Side,
    columns: list[int],
    settings: MatchSettings,
    excluded: list[Pair],
    solved: _Solved,
) -> None:
    """Assign the waiting mentee `rows` of one office to its mentor `columns`."""
    block_mentees, block_mentors = pool.mentees.take(rows), mentors.take(columns)
    scored = _score(block_mentees, block_mentors, pool.failed, settings, excluded)
    acceptable = scored.eligible & (scored.score >= settings.min_score)
    places = np.maximum(block_mentors.capacity - block_mentors.load, 0)
    bonus = _waiting_bonus(block_mentees, settings)
    assigned, seconds = _assign(acceptable, scored.score, bonus, places)
    solved.solver_seconds += seconds
    winners = {j: solved.winners.get(columns[j], []).copy() for j in range(len(columns))}
    for i, j in assigned:
        solved.pairs.append(_suggestion(scored, block_mentees, i, block_mentors, j, settings))
        winners[j].append(block_mentees.names[i] or block_mentees.ids[i])
        solved.taken[columns[j]] += 1
    matched = {i for i, _ in assigned}
    solved.unmatched.extend(
        _unmatched(scored, block_mentees, i, block_mentors, settings, winners)
        for i in range(len(rows))
        if i not in matched
    )


def _locked(pool: MatchPool, i: int, j: int, settings: MatchSettings) -> Suggestion:
    """A pair the coordinator locked, explained like any other."""
    mentee, mentor = pool.mentees.take([i]), pool.mentors.take([j])
    return _suggestion(
        _score(mentee, mentor, pool.failed, settings), mentee, 0, mentor, 0, settings
    )


# --- pool health ----------------------------------------------------------------------------


_SHORTAGE_ORDER = (
    "language", "preference", "availability", "capacity", "ready", "history", "mentee_free",
    "office",
)  # fmt: skip


def _main_blockers(scored: _Scored, rows: Sequence[int], settings: MatchSettings) -> list[str]:
    """For each of `rows`, the hard rule that blocks that mentee most: the one that alone rules
    out the most mentors (lifting it would open them), else the one that rules out the most;
    "few_mentors" when no rule rules anyone out (the office simply has too few mentors).
    Ties go to what recruiting can fix (`_SHORTAGE_ORDER`: a language before a status)."""
    soft = settings.soft_rules()
    rules = [rule for rule in _SHORTAGE_ORDER if rule not in soft]
    picked = np.asarray(rows, dtype=np.int64)
    failures = np.stack([scored.failing(rule, picked) for rule in rules])
    alone = failures & (failures.sum(axis=0) == 1)
    sole, total = alone.sum(axis=2), failures.sum(axis=2)
    chosen = np.where(sole.max(axis=0) > 0, sole.argmax(axis=0), total.argmax(axis=0))
    blocked = total.max(axis=0) > 0
    return [rules[int(k)] if b else "few_mentors" for k, b in zip(chosen, blocked, strict=True)]


def _shortage_need(rule: str, mentees: Side, i: int, mentors: Side) -> str:
    if rule == "language":
        names = mentees.languages[i]
        return names.get(mentees.main_language[i] or next(iter(names), ""), "")
    if rule == "preference" and mentees.accepts[i] != ANY_GENDER:
        return _preference_kind(int(mentees.accepts[i]))
    return ""


def _supply(rule: str, need_of: int, mentees: Side, mentors: Side, free: Bools) -> int:
    """Free mentors who would lift this rule for mentee row `need_of`."""
    if rule == "language":
        key = mentees.main_language[need_of] or next(iter(mentees.languages[need_of]), "")
        return sum(1 for j in np.flatnonzero(free) if key in mentors.languages[j])
    if rule == "preference":
        return int(np.count_nonzero(free & (mentors.gender & mentees.accepts[need_of] > 0)))
    return int(np.count_nonzero(free))


def _shortages(
    scored: _Scored,
    mentees: Side,
    mentors: Side,
    struggling: Sequence[int],
    settings: MatchSettings,
) -> tuple[Shortage, ...]:
    if len(mentors) == 0:
        groups = {("no_mentors", ""): list(struggling)}
    else:
        groups = {}
        for i, rule in zip(struggling, _main_blockers(scored, struggling, settings), strict=True):
            groups.setdefault((rule, _shortage_need(rule, mentees, i, mentors)), []).append(i)
    free = mentors.ready & (mentors.capacity > mentors.load)
    result = []
    for (rule, need), rows in groups.items():
        supply = _supply(rule, rows[0], mentees, mentors, free) if len(mentors) else 0
        count = len(rows)
        params: dict[str, Any] = {"count": count, "supply": supply}
        key = f"shortage_{rule}"
        if rule == "language":
            params["language"] = need or "?"
        elif rule == "preference":
            key = f"shortage_pref_{need or 'mentor'}"
        elif rule == "availability":
            slots = Counter(s for i in rows for s in slot_names(int(mentees.slots[i])))
            params["slots"] = ", ".join(slot for slot, _ in slots.most_common(3)) or "-"
        suffix = "one" if count == 1 else "many"
        result.append(
            Shortage(
                rule=rule,
                need=need,
                mentees=tuple(mentees.ids[i] for i in rows),
                supply=supply,
                message=Msg(f"matching.{key}_{suffix}", params),
            )
        )
    result.sort(key=lambda s: (-len(s.mentees), s.rule, s.need))
    return tuple(result)


def pool_health(pool: MatchPool, settings: MatchSettings | None = None) -> tuple[OfficeHealth, ...]:
    """Per office: the ready mentees with zero or one eligible mentor, grouped by the rule that
    blocks them most with what would help ("12 mentees need Dutch; free mentors who speak it: 3"),
    so coordinators know whom to recruit. Offices are sorted by name; a blank office is skipped
    (the data-quality view reports it)."""
    settings = settings or MatchSettings()
    mentee_groups = _by_office(pool.mentees, _pool_rows(pool.mentees))
    mentor_groups = _by_office(pool.mentors, range(len(pool.mentors)))
    result = []
    for office in sorted((set(mentee_groups) | set(mentor_groups)) - {""}):
        block_mentees = pool.mentees.take(mentee_groups.get(office, []))
        block_mentors = pool.mentors.take(mentor_groups.get(office, []))
        scored = _score(block_mentees, block_mentors, pool.failed, settings)
        counts = (~scored.hard).sum(axis=1)
        free = block_mentors.ready & (block_mentors.capacity > block_mentors.load)
        places = int(np.maximum(block_mentors.capacity - block_mentors.load, 0)[free].sum())
        zero = [i for i in range(len(block_mentees)) if counts[i] == 0]
        one = [i for i in range(len(block_mentees)) if counts[i] == 1]
        params: dict[str, Any] = {
            "ready": len(block_mentees),
            "free": int(free.sum()),
            "places": places,
            "zero": len(zero),
            "one": len(one),
        }
        result.append(
            OfficeHealth(
                office=office,
                ready_mentees=len(block_mentees),
                free_mentors=int(free.sum()),
                free_places=places,
                zero_eligible=tuple(block_mentees.ids[i] for i in zero),
                one_eligible=tuple(block_mentees.ids[i] for i in one),
                shortages=_shortages(
                    scored, block_mentees, block_mentors, sorted(zero + one), settings
                ),
                summary=Msg("matching.health_summary", params),
            )
        )
    return tuple(result)
