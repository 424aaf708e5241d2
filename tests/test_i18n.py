"""Every message of every catalogue exists in French, Dutch and English, with the same blanks."""

from __future__ import annotations

import re
import string

import pytest

from i18n import LANGUAGES, Msg, catalogue, normalise_language, t

PLACEHOLDER = string.Formatter()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in PLACEHOLDER.parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_a_message_has_all_three_languages_and_the_same_placeholders(key: str) -> None:
    texts = catalogue()[key]
    assert set(texts) == set(LANGUAGES), key
    assert all(texts[lang].strip() for lang in LANGUAGES), key
    assert placeholders(texts["fr"]) == placeholders(texts["en"]) == placeholders(texts["nl"]), key


def test_every_message_key_used_in_the_code_exists() -> None:
    """Keys written literally in the code (`tr("ns.key")`, `Msg("ns.key")`) are in a catalogue."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"""(?:\btr|\bMsg|\bt)\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
    missing = set()
    for path in [*root.glob("*.py"), *root.glob("pages/*.py"), *root.glob("ui/*.py"),
                 *root.glob("services/*.py"), *root.glob("sheets/*.py")]:  # fmt: skip
        for key in pattern.findall(path.read_text()):
            if key not in catalogue():
                missing.add(f"{path.name}: {key}")
    assert not missing


def test_a_browser_locale_picks_the_language() -> None:
    assert normalise_language("nl-BE") == "nl"
    assert normalise_language("fr_FR") == "fr"
    assert normalise_language("de-DE") == "en"
    assert normalise_language(None) == "en"


def test_a_missing_translation_is_visible_not_a_crash() -> None:
    assert t("nowhere.nothing", "fr") == "nowhere.nothing"
    assert Msg("app.refresh").text("nl") == "Rekenblad opnieuw lezen"
