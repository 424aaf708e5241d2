"""The numbers behind `matching.py`: what a mentee-mentor pair scores and which rules it breaks.

Two paths compute the same numbers, on purpose:

- `Person` + `pair_values` / `pair_failures`: one pair at a time, with plain sets. It is the
  readable definition of the score; `matching.py` explains the pairs a coordinator looks at with
  it, the tests hold the fast path to it, and the benchmark measures the speed-up against it.
- `Side` + `PairGrid` / `score_pairs`: every pair of two groups at once, with numpy. Ranking and
  the whole-pool proposal use it, so a click re-runs in milliseconds. List fields become sparse
  0/1 matrices (shared items of every pair = one sparse product), postcodes a lookup table, and
  a large pool is scored a block of mentees at a time so that no temporary array grows past a
  few MB.

Participant rows are parsed once per side (`build_side`), with the text parsing cached per cell
value, because the same mentors are re-read on every click. The multilingual word lists (gender
words, personality keywords, sector families) are data, in `matching_words.toml`."""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse  # type: ignore[import-untyped,unused-ignore]

from sheets.schema import LANGUAGES, PROGRAMME_LANGUAGES, SLOTS
from sheets.values import normalise_key

Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.integer[Any]]
Items = Mapping[str, str]
"""A list cell: matching key -> display name, in the order typed, without duplicates."""

PARTS: tuple[str, ...] = (
    "sector",
    "topics",
    "availability",
    "languages",
    "personality",
    "postcode",
)
"""The score parts, each a value between 0 and 1 before weighting."""

RULES: tuple[str, ...] = (
    "office", "history", "ready", "mentee_free", "capacity", "language", "availability",
    "preference",
)  # fmt: skip
"""The eligibility rules, in the order a coordinator reads their blockers."""

ALWAYS_HARD: frozenset[str] = frozenset({"office", "history"})
"""Rules that settings can never turn into a soft penalty."""

OPEN_DUO_STATUSES: frozenset[str] = frozenset({"proposed", "intro planned", "active"})
"""Duo statuses (folded) that use a mentor's capacity and keep a mentee busy."""

FAILED_DUO_STATUSES: frozenset[str] = frozenset({"declined", "ended early"})
"""Duo statuses (folded) after which the same pair is never proposed again."""

WOMAN, MAN, OTHER, UNKNOWN = 1, 2, 4, 8
ANY_GENDER = WOMAN | MAN | OTHER | UNKNOWN
KEYWORDS_FOR_FULL_CREDIT = 2
LANGUAGE_SHARED_CREDIT = 0.5
"""Half of the language part for any shared language, the other half for the mentee's strongest."""


def _load_words() -> dict[str, Any]:
    """The word lists, read once: they change with a release, not while the app runs."""
    with Path(__file__).with_name("matching_words.toml").open("rb") as file:
        return tomllib.load(file)


_WORDS = _load_words()
SECTOR_FAMILIES: dict[str, tuple[str, ...]] = {
    family: tuple(sectors) for family, sectors in _WORDS["sector_families"].items()
}
"""Sectors that count as related (part of the sector credit), in en / fr / nl spellings."""

KEYWORD_SYNONYMS: dict[str, tuple[str, ...]] = {
    concept: tuple(words) for concept, words in _WORDS["keyword_synonyms"].items()
}
"""Personality and interest words across fr / nl / en, folded onto one English keyword."""

_BITS = {"woman": WOMAN, "man": MAN, "other": OTHER}
_GENDERS = {word: _BITS[name] for name, words in _WORDS["gender"].items() for word in words}
_ASKED = {word: _BITS[name] for name in ("woman", "man") for word in _WORDS["preference"][name]}
_NEGATIONS = frozenset(_WORDS["preference"]["negations"])
_NOT_NEGATED = frozenset(_WORDS["preference"]["not_negated"])
_STOPWORDS = frozenset(_WORDS["personality"]["stopwords"])
_KEYWORDS = {word: concept for concept, words in KEYWORD_SYNONYMS.items() for word in words} | {
    concept: concept for concept in KEYWORD_SYNONYMS
}
_SECTOR_FAMILY_INDEX: dict[str, frozenset[str]] = {
    key: frozenset(
        family
        for family, sectors in SECTOR_FAMILIES.items()
        if key in {normalise_key(sector) for sector in sectors}
    )
    for key in {normalise_key(sector) for sectors in SECTOR_FAMILIES.values() for sector in sectors}
}
_PROGRAMME_KEYS = frozenset(normalise_key(name) for name in PROGRAMME_LANGUAGES)
_LANGUAGE_NAMES = {normalise_key(alias): names[0] for names in LANGUAGES for alias in names}
_SLOT_INDEX = {normalise_key(slot): index for index, slot in enumerate(SLOTS)}
_WORD = re.compile(r"[a-z]+")


# --- parsing one cell -----------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, keeping word boundaries (unlike `normalise_key`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def personality_keywords(text: str) -> frozenset[str]:
    """The personality and interest keywords of a free text; "" gives none, so it never matches."""
    found: set[str] = set()
    for word in _WORD.findall(fold(text)):
        keyword = _KEYWORDS.get(word) or (_KEYWORDS.get(word[:-1]) if word.endswith("s") else None)
        if keyword:
            found.add(keyword)
        elif len(word) >= 4 and word not in _STOPWORDS:
            found.add(word)
    return frozenset(found)


@lru_cache(maxsize=65536)
def accepted_genders(text: str) -> int:
    """Which genders of the other person a free-text preference leaves open, as a bit mask.

    "woman mentor", "femme", "vrouw" ask for a woman (a mentor whose gender is not recorded
    cannot confirm it, so only WOMAN is accepted); "pas d'homme", "geen man" refuse a man.
    A text naming both, or neither, restricts nothing.
    """
    words = _WORD.findall(fold(text))
    asked: set[int] = set()
    refused: set[int] = set()
    for index, word in enumerate(words):
        gender = _ASKED.get(word, 0)
        if gender:
            (refused if _negated(words[max(0, index - 4) : index]) else asked).add(gender)
    if len(asked) == 1 and not asked & refused:
        return asked.pop()
    if not asked and len(refused) == 1:
        return ANY_GENDER & ~refused.pop() & ~UNKNOWN
    return ANY_GENDER


def _negated(before: list[str]) -> bool:
    """Whether the words just before a gender negate it ("not a man", "pas d'homme"), but not
    when the negation is about something else ("no preference, a woman is fine")."""
    negations = [k for k, word in enumerate(before) if word in _NEGATIONS]
    return bool(negations) and not _NOT_NEGATED & set(before[negations[-1] + 1 :])


@lru_cache(maxsize=256)
def gender_bit(value: str) -> int:
    return _GENDERS.get(normalise_key(value), UNKNOWN)


@lru_cache(maxsize=65536)
def postcode_number(text: str) -> int:
    """A Belgian 4-digit postcode as a number, or -1 when blank or not a postcode."""
    text = text.strip()
    return int(text) if len(text) == 4 and text.isdigit() else -1


def postcode_proximity(a: int, b: int) -> float:
    """1 same postcode, 0.75 same 3 first digits, 0.5 same 2 (or both in Brussels), 0.25 same
    first digit (roughly the same province), else 0. Unknown postcodes give 0."""
    if a < 0 or b < 0:
        return 0.0
    if a == b:
        return 1.0
    if a // 10 == b // 10:
        return 0.75
    if a // 100 == b // 100 or (_in_brussels(a) and _in_brussels(b)):
        return 0.5
    return 0.25 if a // 1000 == b // 1000 else 0.0


def _in_brussels(code: int) -> bool:
    return 1000 <= code < 1300


def _as_tuple(cell: object) -> tuple[str, ...]:
    """A list cell as typed: a list, or a text separated by commas, semicolons or slashes."""
    if isinstance(cell, str):
        return tuple(re.split(r"[,;/\n]+", cell))
    if isinstance(cell, Iterable):
        return tuple(str(item) for item in cell)
    return ()


@lru_cache(maxsize=65536)
def _items(cell: tuple[str, ...], languages: bool) -> Items:
    """Shared between rows with the same cell: never mutate the result."""
    items: dict[str, str] = {}
    for raw in cell:
        name = str(raw).strip()
        if languages:
            name = _LANGUAGE_NAMES.get(normalise_key(name), name)
        key = normalise_key(name)
        if key:
            items.setdefault(key, name)
    return items


@lru_cache(maxsize=65536)
def _slot_mask(cell: tuple[str, ...]) -> int:
    mask = 0
    for slot in cell:
        index = _SLOT_INDEX.get(normalise_key(slot))
        if index is not None:
            mask |= 1 << index
    return mask


@lru_cache(maxsize=65536)
def sector_families(sector_keys: tuple[str, ...]) -> frozenset[str]:
    """The sector families (`SECTOR_FAMILIES`) that some sectors, by key, belong to."""
    return frozenset().union(*(_SECTOR_FAMILY_INDEX.get(key, frozenset()) for key in sector_keys))


@lru_cache(maxsize=4096)
def _main_language(keys: tuple[str, ...]) -> str:
    """The first-listed programme language (French, Dutch, English): the mentee's strongest."""
    return next((key for key in keys if key in _PROGRAMME_KEYS), "")


def slot_names(mask: int) -> list[str]:
    return [slot for index, slot in enumerate(SLOTS) if mask >> index & 1]


_CODES: dict[str, int] = {}
_CODES_LOCK = threading.Lock()


@lru_cache(maxsize=65536)
def _codes(items: tuple[str, ...] | frozenset[str]) -> tuple[int, ...]:
    """A column number per item, the same for the whole process (so that per-row codes can be
    cached); new items get the next number under a lock, as pages run in several threads."""
    with _CODES_LOCK:
        return tuple(_CODES.setdefault(item, len(_CODES)) for item in items)


def item_matrix(rows: Sequence[tuple[str, ...] | frozenset[str]]) -> Any:
    """Which items (sectors, languages, keywords ...) each row has: a sparse 0/1 matrix over the
    process-wide item codes, built once per side so that comparing two sides is one product."""
    codes = [_codes(row) for row in rows]
    indptr = np.cumsum([0, *map(len, codes)])
    indices = np.fromiter(chain.from_iterable(codes), np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_array((data, indices, indptr), shape=(len(rows), len(_CODES)))


def _widen(matrix: Any, width: int) -> Any:
    """The same rows over the first `width` item codes (codes created since were not used)."""
    return sparse.csr_array((matrix.data, matrix.indices, matrix.indptr), (matrix.shape[0], width))


# --- one side of the pool -------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One group of participants (the mentors, or the mentees), parsed for matching.

    Per-person Python values serve the explanations; the numpy arrays serve the pair matrices.
    `load` counts the person's open duos (Proposed / Intro planned / Active). `sets` holds the
    `item_matrix` of "sector", "family", "topic", "language", "main_language" and "keyword".
    """

    ids: list[str]
    names: list[str]
    statuses: list[str]
    offices: list[str]
    postcodes: list[str]
    languages: list[Items]
    main_language: list[str]
    sectors: list[Items]
    families: list[frozenset[str]]
    topics: list[Items]
    keywords: list[frozenset[str]]
    ready: Bools
    gender: Ints
    accepts: Ints
    postcode: Ints
    slots: Ints
    capacity: Ints
    load: Ints
    waiting_days: Ints
    sets: dict[str, Any]

    def __len__(self) -> int:
        return len(self.ids)

    def index(self) -> dict[str, int]:
        """Row index by ID (the first row wins when staff typed an ID twice)."""
        return self._positions

    @cached_property
    def _positions(self) -> dict[str, int]:
        positions: dict[str, int] = {}
        for position, person_id in enumerate(self.ids):
            positions.setdefault(person_id, position)
        return positions

    def take(self, rows: Sequence[int] | Ints) -> Side:
        """The same side restricted to some rows, in that order."""
        picked = np.asarray(rows, dtype=np.int64).reshape(-1)
        values: dict[str, Any] = {}
        for name, value in self._fields().items():
            if isinstance(value, np.ndarray):
                values[name] = value[picked]
            elif isinstance(value, dict):
                values[name] = {key: matrix[picked] for key, matrix in value.items()}
            else:
                values[name] = [value[r] for r in picked]
        return Side(**values)

    def with_load(self, load: Ints) -> Side:
        return Side(**{**self._fields(), "load": load})

    def _fields(self) -> dict[str, Any]:
        return {spec.name: getattr(self, spec.name) for spec in fields(self)}

    def person(self, row: int) -> Person:
        """One row for the per-pair definition, with plain Python values."""
        return Person(
            id=self.ids[row],
            name=self.names[row],
            status=self.statuses[row],
            office=self.offices[row],
            postcode_text=self.postcodes[row],
            languages=self.languages[row],
            main_language=self.main_language[row],
            sectors=self.sectors[row],
            families=self.families[row],
            topics=self.topics[row],
            keywords=self.keywords[row],
            ready=bool(self.ready[row]),
            gender=int(self.gender[row]),
            accepts=int(self.accepts[row]),
            postcode=int(self.postcode[row]),
            slots=int(self.slots[row]),
            capacity=int(self.capacity[row]),
            load=int(self.load[row]),
            waiting_days=int(self.waiting_days[row]),
        )


@dataclass(frozen=True)
class Person:
    """One participant, parsed: the per-pair view of a `Side` row (keys -> display names)."""

    id: str
    name: str
    status: str
    office: str
    postcode_text: str
    languages: Items
    main_language: str
    sectors: Items
    families: frozenset[str]
    topics: Items
    keywords: frozenset[str]
    ready: bool
    gender: int
    accepts: int
    postcode: int
    slots: int
    capacity: int
    load: int
    waiting_days: int


def _texts(frame: pd.DataFrame, name: str) -> list[str]:
    """A text column, stripped; blanks (or a missing optional column) give ""."""
    if name not in frame.columns:
        return [""] * len(frame)
    return [v.strip() if isinstance(v, str) else "" for v in frame[name].tolist()]


def _lists(frame: pd.DataFrame, name: str) -> list[tuple[str, ...]]:
    if name not in frame.columns:
        return [()] * len(frame)
    return [tuple(c) if isinstance(c, list) else _as_tuple(c) for c in frame[name].tolist()]


def _ready(
    statuses: Sequence[str],
    ids: Sequence[str],
    included: Collection[str],
    capacity: Ints,
    loads: Ints,
    in_duo_with_room: bool,
) -> Bools:
    ready = np.array(
        [s.casefold() == "ready" or i in included for s, i in zip(statuses, ids, strict=True)],
        dtype=bool,
    ).reshape(len(ids))
    if in_duo_with_room:
        in_duo = np.array([s.casefold() == "in duo" for s in statuses], dtype=bool)
        ready |= in_duo.reshape(len(ids)) & (capacity > loads)
    return ready


def _capacities(frame: pd.DataFrame) -> Ints:
    """Mentees a mentor takes at a time: 1 when blank, never negative."""
    if "Capacity" not in frame.columns:
        return np.ones(len(frame), dtype=np.int64)
    values = pd.to_numeric(frame["Capacity"], errors="coerce").to_numpy(np.float64)
    return np.where(np.isnan(values), 1, np.maximum(values, 0)).astype(np.int64)


def _waiting_days(frame: pd.DataFrame, today: date) -> Ints:
    """Days since intake (or, without an intake date, since the application); 0 when unknown."""
    since = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")
    for name in ("Applied on", "Intake on"):
        if name in frame.columns:
            dates = pd.to_datetime(frame[name], errors="coerce").to_numpy("datetime64[D]")
            since = np.where(np.isnat(dates), since, dates)
    days = (np.datetime64(today, "D") - since).astype(np.int64)
    return np.where(np.isnat(since), 0, np.maximum(days, 0)).astype(np.int64)


def _folded_statuses(duos: pd.DataFrame) -> list[str]:
    return [s.strip().casefold() if isinstance(s, str) else "" for s in duos["Status"].tolist()]


def open_duo_counts(duos: pd.DataFrame | None, column: str) -> dict[str, int]:
    """How many Proposed / Intro planned / Active duos each person (by `column`) is in."""
    if duos is None or duos.empty or column not in duos.columns or "Status" not in duos.columns:
        return {}
    people = duos[column].tolist()
    return dict(
        Counter(
            str(person)
            for person, status in zip(people, _folded_statuses(duos), strict=True)
            if status in OPEN_DUO_STATUSES
        )
    )


def failed_pairs(duos: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(mentee ID, mentor ID) -> "Declined" or "Ended early", for pairs never to propose again."""
    needed = {"Status", "Mentor ID", "Mentee ID"}
    if duos is None or duos.empty or not needed <= set(duos.columns):
        return {}
    rows = zip(
        duos["Mentee ID"].tolist(), duos["Mentor ID"].tolist(), _folded_statuses(duos), strict=True
    )
    return {
        (str(mentee), str(mentor)): "Ended early" if status == "ended early" else "Declined"
        for mentee, mentor, status in rows
        if status in FAILED_DUO_STATUSES
    }


def build_side(
    frame: pd.DataFrame,
    *,
    load: Mapping[str, int],
    include: Iterable[str] = (),
    today: date,
    in_duo_with_room: bool = False,
) -> Side:
    """Parse participant rows (the store's shape; optional columns may be missing).

    `in_duo_with_room` (mentors): someone In duo whose capacity is not used up counts as
    ready, so that a mentor who takes two mentees is proposed for the second one.

    Column by column, with each cell's parsing cached by value: mentors are re-read on every
    click, and most cells (statuses, offices, language lists) repeat.
    """
    n = len(frame)
    ids = _texts(frame, "ID")
    statuses = _texts(frame, "Status")
    capacity = _capacities(frame)
    loads = np.array([load.get(i, 0) for i in ids], dtype=np.int64).reshape(n)
    languages = [_items(c, True) for c in _lists(frame, "Languages")]
    sectors = [_items(c, False) for c in _lists(frame, "Sectors")]
    topics = [_items(c, False) for c in _lists(frame, "Topics")]
    language_keys = [tuple(items) for items in languages]
    sector_keys = [tuple(items) for items in sectors]
    topic_keys = [tuple(items) for items in topics]
    families = [sector_families(keys) for keys in sector_keys]
    main_language = [_main_language(keys) for keys in language_keys]
    keywords = [personality_keywords(text) for text in _texts(frame, "Personality")]
    postcodes = _texts(frame, "Postcode")
    firsts, lasts = _texts(frame, "First name"), _texts(frame, "Last name")
    return Side(
        ids=ids,
        names=[f"{first} {last}".strip() for first, last in zip(firsts, lasts, strict=True)],
        statuses=statuses,
        offices=_texts(frame, "Office"),
        postcodes=postcodes,
        languages=languages,
        main_language=main_language,
        sectors=sectors,
        families=families,
        topics=topics,
        keywords=keywords,
        ready=_ready(statuses, ids, set(include), capacity, loads, in_duo_with_room),
        gender=np.array([gender_bit(v) for v in _texts(frame, "Gender")], dtype=np.int8),
        accepts=np.array(
            [accepted_genders(text) for text in _texts(frame, "Preferences")], dtype=np.int8
        ),
        postcode=np.array([postcode_number(p) for p in postcodes], dtype=np.int32).reshape(n),
        slots=np.array([_slot_mask(c) for c in _lists(frame, "Availability")], dtype=np.uint32),
        capacity=capacity,
        load=loads,
        waiting_days=_waiting_days(frame, today),
        sets={
            "sector": item_matrix(sector_keys),
            "family": item_matrix(families),
            "topic": item_matrix(topic_keys),
            "language": item_matrix(language_keys),
            "main_language": item_matrix([(k,) if k else () for k in main_language]),
            "keyword": item_matrix(keywords),
        },
    )


# --- one pair at a time: the readable definition ------------------------------------------


def sector_value(mentee: Person, mentor: Person, related_credit: float) -> float:
    if mentee.sectors.keys() & mentor.sectors.keys():
        return 1.0
    return related_credit if mentee.families & mentor.families else 0.0


def pair_values(
    mentee: Person, mentor: Person, *, related_credit: float, full_slots: int
) -> dict[str, float]:
    """Each score part of one pair, between 0 and 1."""
    shared_topics = len(mentee.topics.keys() & mentor.topics.keys())
    shared_slots = (mentee.slots & mentor.slots).bit_count()
    shares_language = bool(mentee.languages.keys() & mentor.languages.keys())
    main_shared = bool(mentee.main_language) and mentee.main_language in mentor.languages
    shared_keywords = len(mentee.keywords & mentor.keywords)
    return {
        "sector": sector_value(mentee, mentor, related_credit),
        "topics": shared_topics / len(mentee.topics) if mentee.topics else 0.0,
        "availability": min(shared_slots, full_slots) / full_slots,
        "languages": LANGUAGE_SHARED_CREDIT * shares_language
        + (1 - LANGUAGE_SHARED_CREDIT) * main_shared,
        "personality": min(shared_keywords, KEYWORDS_FOR_FULL_CREDIT) / KEYWORDS_FOR_FULL_CREDIT,
        "postcode": postcode_proximity(mentee.postcode, mentor.postcode),
    }


def pair_failures(mentee: Person, mentor: Person, *, failed_before: bool) -> set[str]:
    """The rules one pair breaks. Missing data (no languages, no availability) breaks nothing:
    it is shown as unknown rather than hiding the pair; a preference needs a recorded gender."""
    failures = set()
    if not mentee.office or mentee.office != mentor.office:
        failures.add("office")
    if failed_before:
        failures.add("history")
    if not (mentee.ready and mentor.ready):
        failures.add("ready")
    if mentee.load > 0:
        failures.add("mentee_free")
    if mentor.capacity - mentor.load <= 0:
        failures.add("capacity")
    if mentee.languages and mentor.languages and not mentee.languages.keys() & mentor.languages:
        failures.add("language")
    if mentee.slots and mentor.slots and not mentee.slots & mentor.slots:
        failures.add("availability")
    if not (mentee.accepts & mentor.gender and mentor.accepts & mentee.gender):
        failures.add("preference")
    return failures


# --- every pair at once ---------------------------------------------------------------------


_BLOCK_PAIRS = 1 << 19
"""Pairs per row block in `score_pairs`: keeps every temporary array at a few megabytes."""

_SHARED = {**{name: name for name in ("sector", "family", "topic", "language", "keyword")},
           "main_language": "language"}  # fmt: skip
"""Shared-item counts of a pair: a mentee's items (key) against the mentor's (value)."""


class PairGrid:
    """Two sides prepared for `pair_values` / `pair_failures` of every pair, computed a block
    of mentees at a time (`block`); what does not depend on the block is encoded once here."""

    def __init__(
        self,
        mentees: Side,
        mentors: Side,
        *,
        failed: Iterable[tuple[int, int]],
        related_credit: float,
        full_slots: int,
    ) -> None:
        self.mentees, self.mentors = mentees, mentors
        self.related_credit, self.full_slots = related_credit, full_slots
        a, b, width = mentees.sets, mentors.sets, len(_CODES)
        self.shared = {
            name: (_widen(a[name], width), _widen(b[other], width).T.tocsr())
            for name, other in _SHARED.items()
        }
        topic_counts = np.diff(a["topic"].indptr).astype(np.float32)
        self.per_topic = np.float32(1) / np.maximum(topic_counts, 1)
        self.has_languages = np.diff(a["language"].indptr) > 0, np.diff(b["language"].indptr) > 0
        postcodes_a, self.postcode_rows = np.unique(mentees.postcode, return_inverse=True)
        postcodes_b, self.postcode_columns = np.unique(mentors.postcode, return_inverse=True)
        self.postcodes = _postcode_matrix(postcodes_a, postcodes_b)
        codes, offices = pd.factorize(pd.Series(mentees.offices + mentors.offices))
        known = np.array([bool(office) for office in offices], dtype=bool)
        self.mentee_office = np.where(known[codes[: len(mentees)]], codes[: len(mentees)], -1)
        self.mentor_office = codes[len(mentees) :]
        self.failed: dict[int, list[int]] = {}
        for i, j in failed:
            self.failed.setdefault(i, []).append(j)
        self.buffer = np.empty(0, dtype=np.float32)

    def block(self, start: int, stop: int) -> tuple[Floats, dict[str, Bools]]:
        """Mentees start..stop against every mentor: the score parts (one (mentees, mentors)
        layer per part, in `PARTS` order) and each rule's failures (broadcast views when they
        depend on one side only). The layers live in a buffer reused by the next block (fresh
        memory is slow to touch): use them before asking for more."""
        mentees, mentors, f32 = self.mentees, self.mentors, np.float32
        shape = (stop - start, len(mentors))
        rows = slice(start, stop)
        size = len(PARTS) * shape[0] * shape[1]
        if self.buffer.size < size:
            self.buffer = np.empty(size, dtype=f32)
        stack = self.buffer[:size].reshape(len(PARTS), *shape)
        sector, topics, availability, languages, personality, postcode = stack
        count = {
            name: (left[rows] @ right).toarray() for name, (left, right) in self.shared.items()
        }
        np.multiply(count["family"] > 0, f32(self.related_credit), out=sector)
        np.copyto(sector, f32(1), where=count["sector"] > 0)
        np.multiply(count["topic"], self.per_topic[rows, None], out=topics)
        shared_slots = np.bitwise_count(mentees.slots[rows, None] & mentors.slots[None, :])
        slot_credit = np.minimum(shared_slots, self.full_slots)
        np.multiply(slot_credit, f32(1 / self.full_slots), out=availability)
        shared_languages = count["language"] > 0
        np.multiply(shared_languages, f32(LANGUAGE_SHARED_CREDIT), out=languages)
        languages += (count["main_language"] > 0) * f32(1 - LANGUAGE_SHARED_CREDIT)
        keywords = np.minimum(count["keyword"], KEYWORDS_FOR_FULL_CREDIT)
        np.multiply(keywords, f32(1 / KEYWORDS_FOR_FULL_CREDIT), out=personality)
        table = self.postcodes[self.postcode_rows[rows]]
        np.take(table, self.postcode_columns, axis=1, out=postcode)
        history = np.zeros(shape, dtype=bool)
        for i in range(start, stop):
            history[i - start, self.failed.get(i, [])] = True
        accepts, gender = mentees.accepts[rows], mentees.gender[rows]
        failures: dict[str, Bools] = {
            "office": self.mentee_office[rows, None] != self.mentor_office[None, :],
            "history": history,
            "ready": ~(mentees.ready[rows, None] & mentors.ready[None, :]),
            "mentee_free": np.broadcast_to((mentees.load[rows] > 0)[:, None], shape),
            "capacity": np.broadcast_to((mentors.capacity <= mentors.load)[None, :], shape),
            "language": self.has_languages[0][rows, None]
            & self.has_languages[1][None, :]
            & ~shared_languages,
            "availability": (mentees.slots[rows, None] > 0)
            & (mentors.slots[None, :] > 0)
            & (shared_slots == 0),
            "preference": ((accepts[:, None] & mentors.gender[None, :]) == 0)
            | ((mentors.accepts[None, :] & gender[:, None]) == 0),
        }
        return stack, failures


def pair_matrices(
    mentees: Side,
    mentors: Side,
    *,
    failed: Iterable[tuple[int, int]],
    related_credit: float,
    full_slots: int,
) -> tuple[dict[str, Floats], dict[str, Bools]]:
    """`pair_values` and `pair_failures` for every pair, vectorised (same results, tested)."""
    grid = PairGrid(
        mentees, mentors, failed=failed, related_credit=related_credit, full_slots=full_slots
    )
    stack, failures = grid.block(0, len(mentees))
    return dict(zip(PARTS, stack, strict=True)), failures


def _postcode_matrix(a: Ints, b: Ints) -> Floats:
    """`postcode_proximity` for every pair of the distinct postcodes `a` x `b` (a few hundred per
    office: a block then costs one gather instead of arithmetic). The tiers are nested (same
    postcode implies same three digits implies same two ...): a quarter per tier."""
    quarters = np.zeros((len(a), len(b)), dtype=np.uint8)
    brussels = (a >= 1000) & (a < 1300), (b >= 1000) & (b < 1300)
    for divisor in (1, 10, 100, 1000):
        same = (a // divisor)[:, None] == (b // divisor)[None, :]
        if divisor == 100:
            same |= brussels[0][:, None] & brussels[1][None, :]
        quarters += same
    quarters *= (a >= 0)[:, None] & (b >= 0)[None, :]
    return quarters * np.float32(0.25)


def rule_bit(rule: str) -> int:
    """The bit of `rule` in `score_pairs`' rule bits."""
    return 1 << RULES.index(rule)


def score_pairs(
    mentees: Side,
    mentors: Side,
    *,
    failed: Iterable[tuple[int, int]],
    related_credit: float,
    full_slots: int,
    weights: Sequence[float],
    soft_bits: int,
    penalty: float,
) -> tuple[Floats, npt.NDArray[np.uint8]]:
    """Every pair's score (weights in `PARTS` order, minus `penalty` per broken soft rule,
    clipped to 0-100) and broken rules (bit k set when `RULES[k]` is broken, see `rule_bit`).

    Computed a block of mentees at a time: the per-part layers and temporaries of a whole
    2,000 x 2,000 pool would cost hundreds of megabytes, and touching fresh memory is slow.
    """
    m, n = len(mentees), len(mentors)
    score = np.zeros((m, n), dtype=np.float32)
    bits = np.zeros((m, n), dtype=np.uint8)
    grid = PairGrid(
        mentees, mentors, failed=failed, related_credit=related_credit, full_slots=full_slots
    )
    step = max(1, _BLOCK_PAIRS // max(n, 1))
    for start in range(0, m, step):
        stop = min(start + step, m)
        stack, failures = grid.block(start, stop)
        block_score, block_bits = score[start:stop], bits[start:stop]
        for layer, weight in zip(stack, weights, strict=True):
            if weight:
                block_score += layer * np.float32(weight)
        for rule in RULES:
            failing = failures[rule]
            block_bits |= failing * np.uint8(rule_bit(rule))
            if soft_bits & rule_bit(rule):
                block_score -= failing * np.float32(penalty)
        np.clip(block_score, 0, 100, out=block_score)
    return score, bits
