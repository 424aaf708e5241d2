"""Phone numbers: one stored form (E.164, `+32470123456`), one shown form, one search key.

The app writes a number the way `normalise` gives it, so that the same number is always the
same text; `display` shows it in the international format (`+32 470 12 34 56`). Staff may
still type numbers by hand in the sheet in any shape: `search_key` reads those too, so that
`0470 12 34 56`, `+32 470 12 34 56` and `0032470123456` find the same person.

A number without a country code is read as Belgian (`region`). Text with letters in it
(`call me`, `0470 12 34 56 ext. 3`) is not a phone number here: an extension or a vanity
number would not survive the stored form. Pure functions over `phonenumbers`; no Streamlit.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "BE"
_NOT_DIGITS = re.compile(r"\D")


@lru_cache(maxsize=4096)
def normalise(text: str, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form of a valid phone number (`+32470123456`); None if it is not one."""
    text = str(text or "").strip()
    if not text or any(c.isalpha() for c in text):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """The international form to show (`+32 470 12 34 56`); text that is no number, unchanged."""
    number = normalise(e164)
    if number is None:
        return str(e164 or "")
    parsed = phonenumbers.parse(number, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def search_key(text: str, region: str = DEFAULT_REGION) -> str:
    """What a query or a stored number is compared by: the digits of the E.164 form
    (`32470123456`), or the digits of the text when it is no valid number ("" if none)."""
    number = normalise(text, region)
    return (number or _NOT_DIGITS.sub("", str(text or ""))).lstrip("+")
