"""The demo's lists, read once from the TOML files beside this module.

`names.toml`: the invented people's names by origin, and where the people of each region
come from. `lists.toml`: the offices and the values of the workbook's Lists tab (sectors,
languages, topics, end reasons) with their weights. `texts.toml`: the free texts of
profiles, notes, meetings and evaluations.

Everything is a tuple (or a mapping of tuples) in the order of the file: the simulator
draws from these with a seeded generator, so the order is part of the demo data.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DIR = Path(__file__).parent


def _load(name: str) -> dict[str, Any]:
    with (_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"not a list of texts: {value!r}")
    return tuple(value)


def _weight(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a weight: {value!r}")
    return value


def _texts_by_key(table: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    return {key: _texts(values) for key, values in table.items()}


_NAMES = _load("names.toml")
_LISTS = _load("lists.toml")
_TEXTS = _load("texts.toml")

# --- Offices --------------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """An office of the programme and the region it recruits in."""

    name: str
    region: str
    """"bxl" (bilingual Brussels), "nl" (Flanders) or "fr" (Wallonia)."""
    weight: float
    postcodes: tuple[str, ...]
    session_languages: tuple[str, ...]
    """Languages of its information sessions, the main one first."""


OFFICES: tuple[Office, ...] = tuple(
    Office(
        str(office["name"]),
        str(office["region"]),
        _weight(office["weight"]),
        _texts(office["postcodes"]),
        _texts(office["session_languages"]),
    )
    for office in _LISTS["offices"]
)

# --- Lists ----------------------------------------------------------------------------

SECTOR_JOBS: dict[str, tuple[str, ...]] = {
    str(sector["name"]): _texts(sector["jobs"]) for sector in _LISTS["sectors"]
}
SECTORS: tuple[str, ...] = tuple(SECTOR_JOBS)
SECTOR_WEIGHTS: tuple[float, ...] = tuple(_weight(sector["weight"]) for sector in _LISTS["sectors"])
WORKING_LANGUAGES: tuple[str, ...] = _texts(_LISTS["languages"]["working"])
LANGUAGES: tuple[str, ...] = WORKING_LANGUAGES + _texts(_LISTS["languages"]["other"])
TOPICS: tuple[str, ...] = tuple(_LISTS["topics"])
TOPIC_WEIGHTS: tuple[float, ...] = tuple(_weight(w) for w in _LISTS["topics"].values())


@dataclass(frozen=True)
class EndReason:
    """An End reasons value and what it means for the two people of the duo."""

    text: str
    effect: str
    """"mentee_done" (mentee leaves as alumnus), "mentee_gone" (mentee withdraws),
    "mentor_gone" (mentor leaves, mentee is matched again), "rematch" (both stay)."""
    weight: float


EARLY_END_REASONS: tuple[EndReason, ...] = tuple(
    EndReason(str(reason["text"]), str(reason["effect"]), _weight(reason["weight"]))
    for reason in _LISTS["early_end_reasons"]
)
DECLINES: tuple[tuple[str, str], ...] = tuple(
    (str(decline["end_reason"]), str(decline["notes"])) for decline in _LISTS["declines"]
)
"""A declined proposal's End reason and Notes."""
END_REASONS: tuple[str, ...] = (
    *(reason.text for reason in EARLY_END_REASONS),
    *_texts(_LISTS["end_reasons"]["other"]),
)

# --- Names and origins -------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A pool of common first and last names, and the languages that come with it."""

    country: str
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: tuple[str, ...] = ()
    """Family languages other than French / Dutch / English, most common first."""
    working: tuple[str, ...] = ()
    """French / Dutch / English spoken from home (francophone countries, ...)."""
    born_here: float = 0.0
    """The share of people of this origin who grew up in Belgium (second generation)."""


ORIGINS: dict[str, Origin] = {
    key: Origin(
        str(origin["country"]),
        _texts(origin["women"]),
        _texts(origin["men"]),
        _texts(origin["surnames"]),
        _texts(origin.get("languages", [])),
        _texts(origin.get("working", [])),
        _weight(origin.get("born_here", 0.0)),
    )
    for key, origin in _NAMES["origins"].items()
}

Origins = tuple[tuple[Origin, float], ...]
"""Origins with their relative weights."""


def _origins(table: Mapping[str, object]) -> Origins:
    return tuple((ORIGINS[key], _weight(weight)) for key, weight in table.items())


MENTEE_ORIGINS: dict[str, Origins] = {
    region: _origins(table) for region, table in _NAMES["mentee_origins"].items()
}
MENTOR_ORIGINS: dict[str, Origins] = {
    region: _origins(table) for region, table in _NAMES["mentor_origins"].items()
}
STAFF_ORIGINS: Origins = _origins(_NAMES["staff_origins"])

# --- Texts ------------------------------------------------------------------------------

PERSON_DOMAINS: tuple[str, ...] = _texts(_TEXTS["person_domains"])
PERSONALITY: tuple[str, ...] = _texts(_TEXTS["personality"])
DEGREES: tuple[str, ...] = _texts(_TEXTS["degrees"])
MENTOR_ROLES: tuple[str, ...] = _texts(_TEXTS["mentor_roles"])
MENTOR_MOTIVATIONS: tuple[str, ...] = _texts(_TEXTS["mentor_motivations"])
MENTOR_SOURCES: tuple[str, ...] = _texts(_TEXTS["mentor_sources"])
MENTEE_GOALS: tuple[str, ...] = _texts(_TEXTS["mentee_goals"])
SHORT_CALLS: tuple[str, ...] = _texts(_TEXTS["short_calls"])
FOLLOW_UPS: tuple[str, ...] = _texts(_TEXTS["follow_ups"])
MENTEE_SOURCES: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["mentee_sources"])
SESSION_NOTES: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["session_notes"])
SESSION_HOURS: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["session_hours"])
SESSION_BRING: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["session_bring"])
SESSION_STREETS: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["session_streets"])
WITHDRAWALS: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["withdrawals"])
HOLDS: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["holds"])
MEETING_SUMMARIES: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["meeting_summaries"])
CHECK_IN_NOTES: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["check_in_notes"])
COMMENTS: dict[str, tuple[str, ...]] = _texts_by_key(_TEXTS["comments"])
