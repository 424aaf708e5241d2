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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")
LANGUAGE_NAMES: dict[str, str] = {"fr": "Français", "nl": "Nederlands", "en": "English"}
FALLBACK_LANGUAGE = "en"

_CATALOGUE_DIR = Path(__file__).parent


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
    return template.format(**params) if params else template


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
