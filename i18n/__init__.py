"""The translation layer: every user-facing text goes through `t` (fr / nl / en).

Messages live in TOML catalogues beside this file, one per area of the tool
(`app.toml`, `matching.toml`, ...). The file name is the key's namespace::

    # i18n/matching.toml
    [same_sector]
    en = "Same sector: {sector}"
    fr = "Même secteur : {sector}"
    nl = "Zelfde sector: {sector}"

    t("matching.same_sector", "fr", sector="ICT")  ->  "Même secteur : ICT"

Domain code that must stay free of any language choice returns `Msg` objects
(a key and its parameters); pages turn them into text with `Msg.text(lang)`.

Dates and decimal numbers go into messages as they are (`datetime.date`, `pd.Timestamp`,
`float`): `t` writes them the language's way, once, with Babel: dates day first as the
tables show them (26/11/2026), decimals with the language's mark (0,5 in fr and nl, 0.5 in en).
A list of them is written item by item, joined by ", ".
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol

LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")
LANGUAGE_NAMES: dict[str, str] = {"fr": "Français", "nl": "Nederlands", "en": "English"}
FALLBACK_LANGUAGE = "en"

_CATALOGUE_DIR = Path(__file__).parent
LOCALES: dict[str, str] = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
"""The Babel locale of each language (British English: day first, like the tables)."""
DAY_PATTERN = "dd/MM/yyyy"
"""Dates the Belgian way, as the tables show them (`DD/MM/YYYY` columns)."""


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, keyed by `namespace.key`, each a mapping language -> text."""
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(_CATALOGUE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for key, texts in data.items():
            messages[f"{path.stem}.{key}"] = {lang: str(text) for lang, text in texts.items()}
    return messages


def normalise_language(lang: str | None) -> str:
    """Map a browser locale such as `nl-BE` or `fr_FR` onto one of the supported languages."""
    if lang:
        short = lang.strip().lower().replace("_", "-").split("-")[0]
        if short in LANGUAGES:
            return short
    return FALLBACK_LANGUAGE


def t(key: str, lang: str, /, **params: Any) -> str:
    """The text of message `key` in `lang`, with `{name}` placeholders filled from `params`.

    A missing translation falls back to English; a missing key shows the key itself, so a
    gap is visible on screen and caught by the catalogue tests rather than crashing a page.
    """
    texts = catalogue().get(key)
    if texts is None:
        return key
    template = texts.get(lang) or texts.get(FALLBACK_LANGUAGE) or key
    return template.format(**localised(params, lang)) if params else template


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES[FALLBACK_LANGUAGE])


def day_text(day: dt.date) -> str:
    """A date day first, the same in every language: 26/11/2026 (blank for NaT)."""
    if day != day:  # NaT
        return ""
    return str(format_date(day, format=DAY_PATTERN, locale=LOCALES[FALLBACK_LANGUAGE]))


class LocalNumber(float):
    """A decimal number written with its language's decimal mark, in a message's placeholder.

    `{x}` gives Babel's `format_decimal` (0,5 in fr); a placeholder's own format such as
    `{x:.0f}` or `{x:.2f}` is kept, only its decimal point is the language's.
    """

    locale: str

    def __new__(cls, value: float, locale: str) -> LocalNumber:
        number = super().__new__(cls, value)
        number.locale = locale
        return number

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(format_decimal(float(self), locale=self.locale))
        written = format(float(self), spec)
        if "," in spec or "_" in spec:
            return written
        return written.replace(".", str(get_decimal_symbol(self.locale)))

    def __str__(self) -> str:
        return self.__format__("")


def localised(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """`params` with their dates and decimal numbers written the language's way."""
    return {name: local_value(value, lang) for name, value in params.items()}


def local_value(value: Any, lang: str) -> Any:
    """A date as `day_text`, a decimal number as a `LocalNumber`, a list or tuple as its
    items so written and joined by ", "; anything else as it is."""
    if isinstance(value, list | tuple):
        return ", ".join(str(local_value(item, lang)) for item in value)
    if isinstance(value, dt.date):
        return day_text(value)
    if isinstance(value, float) and not isinstance(value, LocalNumber) and value == value:
        return LocalNumber(value, locale_of(lang))
    return value


@dataclass(frozen=True)
class Msg:
    """A message not yet translated: what domain code returns instead of text."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class Messages:
    """The messages of one catalogue file, made by key.

    `duo_message = Messages("duos")` then `duo_message("saved", name="A")` is
    `Msg("duos.saved", {"name": "A"})`: domain modules name their catalogue once.
    """

    namespace: str

    def __call__(self, key: str, /, **params: Any) -> Msg:
        return Msg(f"{self.namespace}.{key}", params)
