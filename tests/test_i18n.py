"""Every message of every catalogue exists in French, Dutch and English, with the same blanks."""

from __future__ import annotations

import re
import string

from i18n import LANGUAGES, Msg, catalogue, normalise_language, t

PLACEHOLDER = string.Formatter()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in PLACEHOLDER.parse(text) if name}


def catalogue_problems(key: str, texts: dict[str, str]) -> list[str]:
    """What is wrong with one message: missing or unknown languages, blank texts, other blanks."""
    problems = []
    if set(texts) != set(LANGUAGES):
        missing = sorted(set(LANGUAGES) - set(texts))
        unknown = sorted(set(texts) - set(LANGUAGES))
        problems.append(f"{key}: languages missing {missing}, unknown {unknown}")
    blank = [lang for lang in LANGUAGES if not texts.get(lang, "").strip()]
    if blank:
        problems.append(f"{key}: blank or missing text in {blank}")
    blanks = {lang: sorted(placeholders(texts.get(lang, ""))) for lang in LANGUAGES}
    if len({tuple(names) for names in blanks.values()}) > 1:
        problems.append(f"{key}: placeholders differ {blanks}")
    return problems


def test_every_message_has_all_three_languages_and_the_same_placeholders() -> None:
    problems = [
        problem
        for key, texts in sorted(catalogue().items())
        for problem in catalogue_problems(key, texts)
    ]
    assert not problems, "\n".join(problems)


def test_a_message_missing_a_language_or_a_placeholder_is_reported_by_name() -> None:
    """The catalogue check names every problem of a message, not only the first."""
    problems = catalogue_problems("ns.key", {"fr": "Bonjour {name}", "en": " "})
    assert problems == [
        "ns.key: languages missing ['nl'], unknown []",
        "ns.key: blank or missing text in ['nl', 'en']",
        "ns.key: placeholders differ {'fr': ['name'], 'nl': [], 'en': []}",
    ]


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


def test_every_key_a_message_maker_is_called_with_exists() -> None:
    """`duo_message("saved")`, made by `duo_message = Messages("duos")`, is `duos.saved`."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    maker = re.compile(r"""^(\w+) = Messages\(["'](\w+)["']\)""", re.M)
    missing, makers = set(), 0
    for path in [*root.glob("*.py"), *root.glob("services/*.py")]:
        text = path.read_text()
        for name, namespace in maker.findall(text):
            makers += 1
            for key in re.findall(rf"""\b{name}\(\s*["']([a-z0-9_]+)["']""", text):
                if f"{namespace}.{key}" not in catalogue():
                    missing.add(f"{path.name}: {namespace}.{key}")
    assert makers >= 8
    assert not missing
