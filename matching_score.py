"""The numbers behind `matching.py`: what a mentee-mentor pair scores and which rules it breaks.

Two paths compute the same numbers, on purpose:

- `Person` + `pair_values` / `pair_failures`: one pair at a time, with plain sets. It is the
  readable definition of the score; `matching.py` explains the pairs a coordinator looks at with
  it, the tests hold the fast path to it, and the benchmark measures the speed-up against it.
- `Side` + `PairGrid` / `score_pairs`: every pair of two groups at once, with numpy. Ranking and
  the whole-pool proposal use it, so a click re-runs in milliseconds. List fields become 64-bit
  words per person (shared items = popcount of an AND), postcodes a lookup table, and a large
  pool is scored a block of mentees at a time so that no temporary array grows past a few MB.

Participant rows are parsed once per side (`build_side`), with the text parsing cached per cell
value, because the same mentors are re-read on every click."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cached_property, lru_cache
from itertools import chain
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
    "office",
    "history",
    "ready",
    "mentee_free",
    "capacity",
    "language",
    "availability",
    "preference",
)
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

_PROGRAMME_KEYS = frozenset(normalise_key(name) for name in PROGRAMME_LANGUAGES)
_LANGUAGE_NAMES = {normalise_key(alias): names[0] for names in LANGUAGES for alias in names}
_SLOT_INDEX = {normalise_key(slot): index for index, slot in enumerate(SLOTS)}
_GENDERS = {
    **dict.fromkeys(("woman", "femme", "vrouw", "female", "f", "v", "w"), WOMAN),
    **dict.fromkeys(("man", "homme", "male", "h", "m"), MAN),
    **dict.fromkeys(("other", "autre", "ander", "x"), OTHER),
}

SECTOR_FAMILIES: dict[str, tuple[str, ...]] = {
    "digital": ("ICT", "IT", "Informatique", "Informatica", "Software", "Telecom", "Data",
                "Digital", "Numérique", "Digitaal"),
    "finance": ("Finance", "Financiën", "Banking", "Banque", "Bank", "Insurance", "Assurance",
                "Verzekeringen", "Accounting", "Comptabilité", "Boekhouding"),
    "business": ("Consulting", "Conseil", "Consultancy", "HR", "Human resources",
                 "Ressources humaines", "Personeelszaken", "Administration", "Administratie",
                 "Management", "Legal", "Law", "Juridique", "Droit", "Recht", "Sales", "Vente",
                 "Verkoop"),
    "health": ("Healthcare", "Health", "Santé", "Soins", "Zorg", "Gezondheidszorg", "Care",
               "Nursing", "Verpleging", "Pharma", "Pharmacie", "Farmacie"),
    "social": ("Education", "Enseignement", "Onderwijs", "Training", "Formation", "Childcare",
               "Petite enfance", "Kinderopvang", "Social work", "Travail social", "Sociaal werk",
               "Welzijn", "Non-profit", "Public sector", "Secteur public", "Overheid",
               "Government"),
    "hospitality": ("Hospitality", "Horeca", "Hôtellerie", "Tourism", "Tourisme", "Toerisme",
                    "Catering", "Restauration", "Food", "Alimentation", "Voeding"),
    "retail": ("Retail", "Commerce", "Handel", "Detailhandel", "Sales", "Vente", "Verkoop"),
    "logistics": ("Logistics", "Logistique", "Logistiek", "Transport", "Supply chain"),
    "industry": ("Manufacturing", "Industry", "Industrie", "Engineering", "Ingénierie",
                 "Energy", "Énergie", "Energie", "Chemicals", "Chimie", "Chemie", "Automotive"),
    "construction": ("Construction", "Bouw", "Architecture", "Architectuur", "Real estate",
                     "Immobilier", "Vastgoed"),
    "media": ("Media", "Médias", "Communication", "Communicatie", "Marketing", "Design", "Arts",
              "Culture", "Cultuur", "Journalism", "Journalisme"),
}  # fmt: skip
"""Sectors that count as related (part of the sector credit), in en / fr / nl spellings."""

_SECTOR_FAMILY_INDEX: dict[str, frozenset[str]] = {
    key: frozenset(
        family
        for family, sectors in SECTOR_FAMILIES.items()
        if key in {normalise_key(sector) for sector in sectors}
    )
    for key in {normalise_key(sector) for sectors in SECTOR_FAMILIES.values() for sector in sectors}
}

KEYWORD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "calm": ("calme", "rustig", "kalm", "pose", "posee"),
    "patient": ("patiente", "geduldig"),
    "outgoing": ("extravert", "extraverti", "extravertie", "sociable", "sociabel", "open"),
    "reserved": ("shy", "timide", "verlegen", "introvert", "introverti", "reserve", "gereserveerd"),
    "structured": ("structure", "structuree", "gestructureerd", "organised", "organized",
                   "organise", "organisee", "georganiseerd"),
    "creative": ("creatif", "creative", "creatief"),
    "humour": ("humor", "funny", "drole", "grappig"),
    "curious": ("curieux", "curieuse", "nieuwsgierig"),
    "motivated": ("motive", "motivee", "gemotiveerd"),
    "empathetic": ("empathique", "empathisch", "caring", "bienveillant", "bienveillante",
                   "zorgzaam"),
    "football": ("soccer", "foot", "voetbal"),
    "sport": ("sports", "sportif", "sportive", "sportief", "fitness"),
    "music": ("musique", "muziek"),
    "cooking": ("cuisine", "cuisiner", "koken"),
    "reading": ("lecture", "lire", "lezen", "books", "livres", "boeken"),
    "travel": ("travelling", "traveling", "voyage", "voyages", "voyager", "reizen"),
    "art": ("arts", "kunst"),
    "cinema": ("film", "films", "movies"),
    "nature": ("natuur", "hiking", "randonnee", "wandelen", "walking"),
    "technology": ("technologie", "tech"),
    "volunteering": ("benevolat", "vrijwilligerswerk"),
    "chess": ("echecs", "schaken"),
    "photography": ("photographie", "fotografie", "photo"),
    "gardening": ("jardinage", "tuinieren"),
    "dance": ("danse", "dansen"),
}  # fmt: skip
"""Personality and interest words across fr / nl / en, folded onto one English keyword."""

_KEYWORDS = {word: concept for concept, words in KEYWORD_SYNONYMS.items() for word in words} | {
    concept: concept for concept in KEYWORD_SYNONYMS
}
# fmt: off
_STOPWORDS = frozenset({
    "with", "that", "this", "have", "likes", "like", "loves", "love", "enjoys", "enjoy", "very",
    "also", "from", "they", "them", "their", "about", "would", "some", "good", "well", "person",
    "people", "mentor", "mentee", "mentees", "mentors", "work", "working", "wants", "want", "and",
    "the", "being", "much", "more", "most", "really", "quite", "other", "others",
    "avec", "pour", "dans", "aime", "aimer", "adore", "tres", "aussi", "sont", "cette", "elle",
    "elles", "nous", "vous", "personne", "plutot", "bien", "mais", "comme", "faire", "beaucoup",
    "mentore", "mentoree", "etre", "avoir", "leur", "leurs", "tout", "tous", "toute", "toutes",
    "quelque", "chose",
    "houdt", "heel", "zeer", "graag", "maar", "niet", "zijn", "haar", "hebben", "heeft", "wordt",
    "door", "over", "naar", "omdat", "persoon", "mensen", "veel", "goed", "werk", "werken", "wilt",
})
_WOMAN_WORDS = frozenset({
    "woman", "women", "female", "femme", "femmes", "feminin", "feminine", "vrouw", "vrouwen",
    "vrouwelijk", "vrouwelijke", "dame", "dames", "lady", "madame", "mevrouw",
})
_MAN_WORDS = frozenset({
    "man", "men", "male", "homme", "hommes", "masculin", "masculine", "mannelijk", "mannelijke",
    "heer", "monsieur",
})
_NEGATIONS = frozenset({
    "not", "no", "non", "pas", "geen", "niet", "never", "jamais", "sans", "without", "dont", "don",
    "nor", "ni",
})
_NOT_NEGATED = frozenset({
    "preference", "preferences", "voorkeur", "matter", "importe", "problem", "probleem",
})
# fmt: on
_WORD = re.compile(r"[a-z]+")


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
        gender = WOMAN if word in _WOMAN_WORDS else MAN if word in _MAN_WORDS else 0
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


Items = tuple[tuple[str, ...], tuple[str, ...]]
"""(matching keys, display names) of a list cell, in the order typed, without duplicates."""


def _as_tuple(cell: object) -> tuple[str, ...]:
    if isinstance(cell, str):
        return tuple(re.split(r"[,;/\n]+", cell))
    if isinstance(cell, Iterable):
        return tuple(str(item) for item in cell)
    return ()


@lru_cache(maxsize=65536)
def _items(cell: tuple[str, ...], languages: bool) -> Items:
    keys: list[str] = []
    names: list[str] = []
    for raw in cell:
        name = str(raw).strip()
        if languages:
            name = _LANGUAGE_NAMES.get(normalise_key(name), name)
        key = normalise_key(name)
        if key and key not in keys:
            keys.append(key)
            names.append(name)
    return tuple(keys), tuple(names)


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


@dataclass(frozen=True)
class ItemSets:
    """Which items (sectors, languages, keywords ...) each row has: a sparse 0/1 matrix, built
    once per side so that comparing two sides is one matrix product.

    Columns are process-wide item codes; `used` lists the columns that some row has.
    """

    matrix: Any
    used: Ints

    @staticmethod
    def of(rows: Sequence[tuple[str, ...] | frozenset[str]]) -> ItemSets:
        codes = [_codes(row) for row in rows]
        indptr = np.cumsum([0, *map(len, codes)])
        indices = np.fromiter(chain.from_iterable(codes), np.int64, count=int(indptr[-1]))
        data = np.ones(len(indices), dtype=np.float32)
        shape = (len(rows), int(indices.max(initial=0)) + 1)
        matrix = sparse.csr_array((data, indices, indptr), shape=shape)
        return ItemSets(matrix, np.unique(indices))

    def take(self, rows: Ints) -> ItemSets:
        return ItemSets(self.matrix[rows], self.used)

    def sizes(self) -> Ints:
        """How many items each row has."""
        return np.asarray(np.diff(self.matrix.indptr), dtype=np.int64)

    @cached_property
    def rows_with(self) -> dict[int, Ints]:
        """The rows that have each item (by code): comparing a few items needs no matrix work."""
        by_column = self.matrix.tocsc()
        return {
            int(code): by_column.indices[by_column.indptr[code] : by_column.indptr[code + 1]]
            for code in self.used
        }

    def words(self, items: Ints) -> npt.NDArray[np.uint64]:
        """The rows as 64-bit words over `items`: item k is bit k % 64 of word k // 64."""
        words = np.zeros((self.matrix.shape[0], max(1, -(-len(items) // 64))), dtype=np.uint64)
        for position, code in enumerate(items.tolist()):
            rows = self.rows_with.get(code)
            if rows is not None:
                words[rows, position // 64] |= np.uint64(1 << (position % 64))
        return words


@dataclass(frozen=True)
class Side:
    """One group of participants (the mentors, or the mentees), parsed for matching.

    Per-person Python values serve the explanations; the numpy arrays serve the pair matrices.
    `load` counts the person's open duos (Proposed / Intro planned / Active). `sets` holds the
    `ItemSets` of "sector", "family", "topic", "language", "main_language" and "keyword".
    """

    ids: list[str]
    names: list[str]
    statuses: list[str]
    offices: list[str]
    postcodes: list[str]
    language_keys: list[tuple[str, ...]]
    language_names: list[tuple[str, ...]]
    main_language: list[str]
    sector_keys: list[tuple[str, ...]]
    sector_names: list[tuple[str, ...]]
    families: list[frozenset[str]]
    topic_keys: list[tuple[str, ...]]
    topic_names: list[tuple[str, ...]]
    keywords: list[frozenset[str]]
    ready: Bools
    gender: Ints
    accepts: Ints
    postcode: Ints
    slots: Ints
    capacity: Ints
    load: Ints
    waiting_days: Ints
    sets: dict[str, ItemSets]

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
                values[name] = {key: sets.take(picked) for key, sets in value.items()}
            else:
                values[name] = [value[r] for r in picked]
        return Side(**values)

    def with_load(self, load: Ints) -> Side:
        return Side(**{**self._fields(), "load": load})

    def _fields(self) -> dict[str, Any]:
        return {spec.name: getattr(self, spec.name) for spec in fields(self)}

    def person(self, row: int) -> Person:
        return Person(
            id=self.ids[row],
            name=self.names[row],
            status=self.statuses[row],
            office=self.offices[row],
            postcode_text=self.postcodes[row],
            languages=dict(zip(self.language_keys[row], self.language_names[row], strict=True)),
            main_language=self.main_language[row],
            sectors=dict(zip(self.sector_keys[row], self.sector_names[row], strict=True)),
            families=self.families[row],
            topics=dict(zip(self.topic_keys[row], self.topic_names[row], strict=True)),
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
    languages: Mapping[str, str]
    main_language: str
    sectors: Mapping[str, str]
    families: frozenset[str]
    topics: Mapping[str, str]
    keywords: frozenset[str]
    ready: bool
    gender: int
    accepts: int
    postcode: int
    slots: int
    capacity: int
    load: int
    waiting_days: int


Rows = pd.DataFrame | Sequence[Mapping[str, Any] | pd.Series]
"""Participant rows: the store's DataFrame, or records (dicts or Series) with the same keys."""


def _column(rows: Rows, name: str) -> list[Any] | None:
    """One column's cells, or None when no row has it (optional columns may be missing)."""
    if isinstance(rows, pd.DataFrame):
        return rows[name].tolist() if name in rows.columns else None
    if not any(name in row for row in rows):
        return None
    return [row.get(name) for row in rows]


def _texts(rows: Rows, name: str) -> list[str]:
    cells = _column(rows, name)
    if cells is None:
        return [""] * len(rows)
    return [v.strip() if isinstance(v, str) else "" for v in cells]


def _lists(rows: Rows, name: str) -> list[tuple[str, ...]]:
    cells = _column(rows, name)
    if cells is None:
        return [()] * len(rows)
    return [tuple(c) if isinstance(c, list) else _as_tuple(c) for c in cells]


def _series(rows: Rows, name: str) -> pd.Series | None:
    if isinstance(rows, pd.DataFrame):
        return rows[name] if name in rows.columns else None
    cells = _column(rows, name)
    return None if cells is None else pd.Series(cells, dtype=object)


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


def _capacities(rows: Rows) -> Ints:
    """Mentees a mentor takes at a time: 1 when blank, never negative."""
    cells = _series(rows, "Capacity")
    if cells is None:
        return np.ones(len(rows), dtype=np.int64)
    values = pd.to_numeric(cells, errors="coerce").to_numpy(np.float64)
    return np.where(np.isnan(values), 1, np.maximum(values, 0)).astype(np.int64)


def _waiting_days(rows: Rows, today: date) -> Ints:
    """Days since intake (or, without an intake date, since the application); 0 when unknown."""
    since = np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[D]")
    for name in ("Applied on", "Intake on"):
        cells = _series(rows, name)
        if cells is not None:
            dates = pd.to_datetime(cells, errors="coerce").to_numpy("datetime64[D]")
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
    frame: Rows,
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
    included = set(include)
    statuses = _texts(frame, "Status")
    capacity = _capacities(frame)
    loads = np.array([load.get(i, 0) for i in ids], dtype=np.int64).reshape(n)
    languages = [_items(c, True) for c in _lists(frame, "Languages")]
    sectors = [_items(c, False) for c in _lists(frame, "Sectors")]
    topics = [_items(c, False) for c in _lists(frame, "Topics")]
    postcodes = _texts(frame, "Postcode")
    language_keys = [keys for keys, _ in languages]
    sector_keys = [keys for keys, _ in sectors]
    families = [sector_families(keys) for keys in sector_keys]
    topic_keys = [keys for keys, _ in topics]
    main_language = [_main_language(keys) for keys in language_keys]
    keywords = [personality_keywords(text) for text in _texts(frame, "Personality")]
    return Side(
        ids=ids,
        names=[
            f"{first} {last}".strip()
            for first, last in zip(
                _texts(frame, "First name"), _texts(frame, "Last name"), strict=True
            )
        ],
        statuses=statuses,
        offices=_texts(frame, "Office"),
        postcodes=postcodes,
        language_keys=language_keys,
        language_names=[names for _, names in languages],
        main_language=main_language,
        sector_keys=sector_keys,
        sector_names=[names for _, names in sectors],
        families=families,
        topic_keys=topic_keys,
        topic_names=[names for _, names in topics],
        keywords=keywords,
        ready=_ready(statuses, ids, included, capacity, loads, in_duo_with_room),
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
            "sector": ItemSets.of(sector_keys),
            "family": ItemSets.of(families),
            "topic": ItemSets.of(topic_keys),
            "language": ItemSets.of(language_keys),
            "main_language": ItemSets.of([(k,) if k else () for k in main_language]),
            "keyword": ItemSets.of(keywords),
        },
    )


@lru_cache(maxsize=4096)
def _main_language(keys: tuple[str, ...]) -> str:
    """The first-listed programme language (French, Dutch, English): the mentee's strongest."""
    return next((key for key in keys if key in _PROGRAMME_KEYS), "")


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


Counts = npt.NDArray[np.integer[Any]]
_BITSET_WORDS = 4
_BLOCK_PAIRS = 1 << 19
"""Pairs per row block in `score_pairs`: keeps every temporary array at a few megabytes."""


@dataclass(frozen=True)
class SharedItems:
    """One list field (sectors, languages ...) of two sides, encoded to count shared items.

    Only items present on both sides matter. Up to 256 of them, each row becomes a few 64-bit
    words and a pair's count is a popcount of an AND: a few bytes per pair and no float work.
    A larger common vocabulary (free-text keywords) stays a sparse product.
    """

    left: Any
    right: Any
    bitsets: bool

    @staticmethod
    def of(a: ItemSets, b: ItemSets) -> SharedItems:
        common = np.intersect1d(a.used, b.used, assume_unique=True)
        if common.size > 64 * _BITSET_WORDS:
            left, right = a.matrix[:, common], b.matrix[:, common]
            return SharedItems(left, right.T.tocsc(), bitsets=False)
        return SharedItems(a.words(common), b.words(common), bitsets=True)

    def count(self, start: int, stop: int) -> Counts:
        """Shared items of rows start..stop of the left side with every row of the right."""
        if not self.bitsets:
            return np.asarray((self.left[start:stop] @ self.right).toarray(), dtype=np.uint16)
        rows: npt.NDArray[np.uint64] = self.left[start:stop]
        right: npt.NDArray[np.uint64] = self.right
        counts: Counts = np.bitwise_count(rows[:, 0, None] & right[None, :, 0])
        for word in range(1, rows.shape[1]):
            counts += np.bitwise_count(rows[:, word, None] & right[None, :, word])
        return counts


@dataclass(frozen=True)
class PairMatrices:
    """Score parts (values in [0, 1]) and rule failures for every (mentee, mentor) pair.

    Arrays are (mentees, mentors); `values` are views into `stack` (one layer per part, in
    `PARTS` order) so that weighting them is one matrix-vector product; failures that depend
    on one side only are broadcast views.
    """

    stack: Floats
    values: dict[str, Floats]
    failures: dict[str, Bools]

    def weighted(self, weights: Sequence[float], out: Floats | None = None) -> Floats:
        """Sum over the parts of weight x value, for every pair (weights in `PARTS` order)."""
        total = np.zeros(self.stack.shape[1:], dtype=np.float32) if out is None else out
        total[...] = 0
        for layer, weight in zip(self.stack, weights, strict=True):
            if weight:
                total += layer * np.float32(weight)
        return total


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
        a, b = mentees.sets, mentors.sets
        self.shared = {
            field: SharedItems.of(a[field], b[field])
            for field in ("sector", "family", "topic", "language", "keyword")
        }
        self.shared["main_language"] = SharedItems.of(a["main_language"], b["language"])
        self.per_topic = np.float32(1) / np.maximum(a["topic"].sizes(), 1).astype(np.float32)
        self.has_languages = a["language"].sizes() > 0, b["language"].sizes() > 0
        self.postcodes = _PostcodeTable(mentees.postcode, mentors.postcode)
        codes, offices = pd.factorize(pd.Series(mentees.offices + mentors.offices))
        known = np.array([bool(office) for office in offices], dtype=bool)
        self.mentee_office = np.where(known[codes[: len(mentees)]], codes[: len(mentees)], -1)
        self.mentor_office = codes[len(mentees) :]
        self.failed: dict[int, list[int]] = {}
        for i, j in failed:
            self.failed.setdefault(i, []).append(j)
        self.buffer = np.empty(0, dtype=np.float32)

    def block(self, start: int, stop: int) -> PairMatrices:
        """Mentees start..stop against every mentor. The part layers live in a buffer reused
        by the next block (fresh memory is slow to touch): use them before asking for more."""
        mentees, mentors, f32 = self.mentees, self.mentors, np.float32
        shape = (stop - start, len(mentors))
        rows = slice(start, stop)
        size = len(PARTS) * shape[0] * shape[1]
        if self.buffer.size < size:
            self.buffer = np.empty(size, dtype=f32)
        stack = self.buffer[:size].reshape(len(PARTS), *shape)
        values = dict(zip(PARTS, stack, strict=True))
        count = {field: shared.count(start, stop) for field, shared in self.shared.items()}
        np.multiply(count["family"] > 0, f32(self.related_credit), out=values["sector"])
        np.copyto(values["sector"], f32(1), where=count["sector"] > 0)
        np.multiply(count["topic"], self.per_topic[rows, None], out=values["topics"])
        shared_slots = np.bitwise_count(mentees.slots[rows, None] & mentors.slots[None, :])
        slot_credit = np.minimum(shared_slots, self.full_slots)
        np.multiply(slot_credit, f32(1 / self.full_slots), out=values["availability"])
        shared_languages = count["language"] > 0
        np.multiply(shared_languages, f32(LANGUAGE_SHARED_CREDIT), out=values["languages"])
        values["languages"] += (count["main_language"] > 0) * f32(1 - LANGUAGE_SHARED_CREDIT)
        keywords = np.minimum(count["keyword"], KEYWORDS_FOR_FULL_CREDIT)
        np.multiply(keywords, f32(1 / KEYWORDS_FOR_FULL_CREDIT), out=values["personality"])
        self.postcodes.block(start, stop, out=values["postcode"])
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
        return PairMatrices(stack=stack, values=values, failures=failures)


def pair_matrices(
    mentees: Side,
    mentors: Side,
    *,
    failed: Iterable[tuple[int, int]],
    related_credit: float,
    full_slots: int,
) -> PairMatrices:
    """`pair_values` and `pair_failures` for every pair, vectorised (same results, tested)."""
    grid = PairGrid(
        mentees, mentors, failed=failed, related_credit=related_credit, full_slots=full_slots
    )
    return grid.block(0, len(mentees))


class _PostcodeTable:
    """`postcode_proximity` for every pair, looked up in a table of the distinct postcodes of
    each side (a few hundred per office), so a block costs one gather instead of arithmetic."""

    def __init__(self, a: Ints, b: Ints) -> None:
        codes_a, self.rows = np.unique(a, return_inverse=True)
        codes_b, self.columns = np.unique(b, return_inverse=True)
        self.table = _postcode_matrix(codes_a, codes_b)

    def block(self, start: int, stop: int, out: Floats) -> None:
        np.take(self.table[self.rows[start:stop]], self.columns, axis=1, out=out)


def _postcode_matrix(a: Ints, b: Ints) -> Floats:
    """`postcode_proximity` for every pair of `a` x `b`: the tiers are nested (same postcode
    implies same three digits implies same two ...), so proximity is a quarter per tier."""
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
    score = np.empty((m, n), dtype=np.float32)
    bits = np.zeros((m, n), dtype=np.uint8)
    grid = PairGrid(
        mentees, mentors, failed=failed, related_credit=related_credit, full_slots=full_slots
    )
    step = max(1, _BLOCK_PAIRS // max(n, 1))
    for start in range(0, m, step):
        stop = min(start + step, m)
        matrices = grid.block(start, stop)
        block_score, block_bits = score[start:stop], bits[start:stop]
        matrices.weighted(weights, out=block_score)
        for rule in RULES:
            failing = matrices.failures[rule]
            block_bits |= failing * np.uint8(rule_bit(rule))
            if soft_bits & rule_bit(rule):
                block_score -= failing * np.float32(penalty)
        np.clip(block_score, 0, 100, out=block_score)
    return score, bits
