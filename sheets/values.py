"""Cell values: read tolerantly, written canonically (the rules of workbook.md).

Each `parse_*` function takes one raw cell as a backend gives it (text from Google, typed
values from an `.xlsx` file) and returns `(value, problem)`: the canonical value, or
`problem`, a short code (`not_a_date`, `unknown_choice` ...) naming why the text could not be
understood; the reader turns it into a translated data-quality finding. They never raise on
cell content.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np

import clock
from sheets.schema import DAY_PARTS, DAYS, Choice, Column, Kind

Problem = str | None

EXCEL_EPOCH = dt.date(1899, 12, 30)
YES_WORDS = frozenset({"yes", "oui", "ja", "true", "vrai", "waar", "x", "1", "y", "j", "o"})
NO_WORDS = frozenset({"no", "non", "nee", "false", "faux", "onwaar", "0", "n", ""})
LIST_SEPARATORS = re.compile(r"[,;/\n\r]+")
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
)
_DMY_DATE = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[T ]+(\d{1,2})[:hu](\d{2})(?::(\d{2}))?)?$"
)
_NUMBER = re.compile(r"^([-+]?\d+(?:[.,]\d+)?)\s*([^\d\s]*)$")
NUMBER_UNITS = frozenset({"", "h", "hr", "hrs", "hour", "hours", "heure", "heures", "u", "uur"})
FORMULA_TRIGGERS = ("=", "+", "-", "@")
"""What makes a spreadsheet program read typed text as a formula, once leading blanks are
trimmed (LibreOffice and Google Sheets trim them on import); a tab or carriage return first
makes some programs start a formula too."""
CONTROL_STARTS = ("\t", "\r")


def normalise_key(text: object) -> str:
    """Lower case, no accents, no spaces or punctuation: how headers and choices are matched."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def as_text(raw: object) -> str:
    """Any cell as the text a person sees: integral floats without `.0`, dates in ISO."""
    if is_blank(raw):
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ") if raw.time() != dt.time() else raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _year(two_or_four: str, today: dt.date) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 2000 if year <= (today.year % 100) + 10 else 1900
    return year


def _from_serial(number: float) -> dt.datetime | None:
    if not 1 <= number < 2958466:
        return None
    return dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=number)


def parse_timestamp(
    raw: object, today: dt.date | None = None
) -> tuple[dt.datetime | None, Problem]:
    """A date and time from ISO, Belgian day-first text, a serial number or a typed cell."""
    if is_blank(raw):
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None), None
    if isinstance(raw, dt.date):
        return dt.datetime.combine(raw, dt.time()), None
    if isinstance(raw, bool):
        return None, "not_a_date"
    if isinstance(raw, int | float):
        stamp = _from_serial(float(raw))
        return (stamp, None) if stamp else (None, "not_a_date")
    text = str(raw).strip()
    try:
        if match := _ISO_DATE.match(text):
            y, m, d, hh, mm, ss = match.groups()
            return dt.datetime(
                int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0)
            ), None
        if match := _DMY_DATE.match(text):
            d, m, y, hh, mm, ss = match.groups()
            year = _year(y, today or clock.today())
            return dt.datetime(year, int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0)), None
        if re.fullmatch(r"\d{4,5}(\.\d+)?", text):
            stamp = _from_serial(float(text))
            if stamp:
                return stamp, None
    except ValueError:
        return None, "invalid_date"
    return None, "not_a_date"


def parse_date(raw: object, today: dt.date | None = None) -> tuple[dt.date | None, Problem]:
    stamp, problem = parse_timestamp(raw, today)
    return (stamp.date() if stamp else None), problem


def parse_bool(raw: object) -> tuple[bool, Problem]:
    if isinstance(raw, bool):
        return raw, None
    key = normalise_key(as_text(raw))
    if key in YES_WORDS:
        return True, None
    if key in NO_WORDS:
        return False, None
    return False, "not_yes_no"


def parse_number(raw: object) -> tuple[float | None, Problem]:
    """A number, also from text such as `2,5`, `2.5 h` or `3 uur`."""
    if is_blank(raw):
        return None, None
    if isinstance(raw, bool):
        return None, "not_a_number"
    if isinstance(raw, int | float):
        return float(raw), None
    text = str(raw).strip().replace("\u00a0", " ")
    match = _NUMBER.match(text)
    if not match or match.group(2).lower().rstrip(".") not in NUMBER_UNITS:
        return None, "not_a_number"
    return float(match.group(1).replace(",", ".")), None


def split_list(raw: object) -> list[str]:
    """The items of a list cell, in order, without blanks or repeats."""
    items: list[str] = []
    for part in LIST_SEPARATORS.split(as_text(raw)):
        item = part.strip()
        if item and item not in items:
            items.append(item)
    return items


def choice_lookup(choices: Iterable[Choice]) -> dict[str, str]:
    """Normalised spelling -> canonical value, for every value and alias of a choice column."""
    lookup: dict[str, str] = {}
    for choice in choices:
        for spelling in (choice.value, *choice.aliases):
            lookup.setdefault(normalise_key(spelling), choice.value)
    return lookup


def parse_choice(raw: object, lookup: dict[str, str]) -> tuple[str, Problem]:
    """The canonical value; an unknown word is kept as typed, with a problem."""
    text = as_text(raw)
    if not text:
        return "", None
    found = lookup.get(normalise_key(text))
    if found is not None:
        return found, None
    return text, "unknown_choice"


_DAY_WORDS = {normalise_key(word): day[0] for day in DAYS for word in day}
_PART_WORDS = {normalise_key(word): part[0] for part in DAY_PARTS for word in part}
_SLOT_SPLIT = re.compile(r"[\s_.\-]+")


def parse_slot(item: str) -> str | None:
    """`Mon AM`, `lundi matin`, `Maandag voormiddag`, `mon-pm` ... -> the canonical slot."""
    words = [normalise_key(word) for word in _SLOT_SPLIT.split(item.strip()) if word]
    if len(words) < 2:
        return None
    day = _DAY_WORDS.get(words[0])
    part = _PART_WORDS.get("".join(words[1:]))
    return f"{day} {part}" if day and part else None


def parse_slots(raw: object) -> tuple[list[str], Problem]:
    slots: list[str] = []
    unknown: list[str] = []
    for item in split_list(raw):
        slot = parse_slot(item)
        if slot is None:
            unknown.append(item)
        elif slot not in slots:
            slots.append(slot)
    return slots, ("unknown_slot" if unknown else None)


def canonical_cell(column: Column, value: Any) -> str | int | float:
    """The value to write in a cell of `column`: ISO dates, `a, b, c` lists, plain numbers.

    Text is returned as is; the backends write it so that it can never become a formula.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    kind = column.kind
    if kind is Kind.DATE and isinstance(value, dt.date):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    if kind is Kind.TIMESTAMP and isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
    if kind is Kind.TIMESTAMP and isinstance(value, dt.date):
        return value.isoformat()
    if kind is Kind.NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else float(value)
    if kind is Kind.BOOL and isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    if kind in (Kind.LIST, Kind.SLOTS) and isinstance(value, list | tuple):
        return ", ".join(str(item).strip() for item in value if str(item).strip())
    if hasattr(value, "to_pydatetime"):
        return canonical_cell(column, value.to_pydatetime())
    return str(value)


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet program could turn into a formula (see FORMULA_TRIGGERS)."""
    return text.startswith(CONTROL_STARTS) or text.lstrip().startswith(FORMULA_TRIGGERS)
