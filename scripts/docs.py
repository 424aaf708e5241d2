"""Rewrite the generated tables of `docs/workbook.md` and `docs/workflow.md` from the code.

Each table sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; it is
rendered from `sheets/schema.py` (tabs, columns, values), `settings.py` (admin settings) and
`workflow.py` (status moves). The prose around the markers is written by hand and kept as it is.

    .venv/bin/python scripts/docs.py           # rewrite the generated tables
    .venv/bin/python scripts/docs.py --check   # only say which files are out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from settings import SETTINGS, Setting  # noqa: E402
from sheets.schema import (  # noqa: E402
    DAY_PARTS,
    DAYS,
    LANGUAGES,
    PROGRAMME_LANGUAGES,
    SLOTS,
    TABS,
    Choice,
    Column,
    Kind,
    Tab,
)
from workflow import (  # noqa: E402
    DUO_ACTION_LABELS,
    DUO_MOVES,
    LOOKING_FOR_NOT_MET,
    MENTEE,
    MENTEE_MAX_AGE,
    MENTEE_MIN_AGE,
    MENTOR,
    MENTOR_MIN_AGE,
    ORIGIN_NOT_MET,
    PERSON_ACTION_LABELS,
    PERSON_MOVES,
    PERSON_STATUSES,
    RESIDENCE_NOT_MET,
)

DOC_LANGUAGE = "en"
WORKBOOK_DOC = ROOT / "docs" / "workbook.md"
WORKFLOW_DOC = ROOT / "docs" / "workflow.md"


# -- markdown helpers ---------------------------------------------------------------------


def cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    return f"`{text}`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cell(text) for text in line) + " |" for line in lines)


def joined(values: Iterable[str], separator: str = ", ") -> str:
    return separator.join(values)


# -- tabs and columns ---------------------------------------------------------------------


def tab_key(tab: Tab) -> str:
    if tab.key is None:
        return "Rows have no ID: no single column identifies them."
    found = f"Rows are found by {code(tab.key)}"
    if tab.id_prefix:
        return f"{found}; the app gives new rows IDs like {code(tab.id_prefix + '-7KQ4M2')}."
    return f"{found}."


def tab_facts(tab: Tab) -> str:
    aliases = f" Also recognised as: {joined(tab.aliases)}." if tab.aliases else ""
    return tab_key(tab) + aliases


def column_values(column: Column) -> str:
    if column.choices:
        return joined(column.choice_values, " / ")
    if column.kind is Kind.SLOTS:
        return f"{code(SLOTS[0])} … {code(SLOTS[-1])}"
    if column.lists_column:
        return f"from Lists › {column.lists_column}"
    return ""


def column_notes(tab: Tab, column: Column) -> str:
    notes = []
    if column.personal:
        notes.append("personal data")
    if column.name in tab.free_text:
        notes.append("free text about the duo's people")
    if column.choices and column.lists_column:
        notes.append(f"dropdown from Lists › {column.lists_column}")
    return joined(notes, "; ")


def column_row(tab: Tab, column: Column) -> list[str]:
    return [
        column.name,
        column.kind.value,
        joined(column.aliases),
        column_values(column),
        column_notes(tab, column),
    ]


def tab_block(tab: Tab) -> str:
    header = ["column", "kind", "also read as", "values", "notes"]
    rows = [column_row(tab, column) for column in tab.columns]
    return f"### {tab.name}\n\n{tab_facts(tab)}\n\n{table(header, rows)}"


def tabs_section() -> str:
    return "\n\n".join(tab_block(tab) for tab in TABS)


# -- values of choice, slot and language columns ------------------------------------------


def choice_sets() -> list[tuple[list[str], tuple[Choice, ...]]]:
    """Each distinct set of choices, with the `Tab › Column` names that use it."""
    sets: dict[tuple[Choice, ...], list[str]] = {}
    for tab in TABS:
        for column in tab.columns:
            if column.choices:
                sets.setdefault(column.choices, []).append(f"{tab.name} › {column.name}")
    return [(names, choices) for choices, names in sets.items()]


def aliases_table(first: str, rows: Iterable[Sequence[str]]) -> str:
    return table([first, "also accepted"], ([row[0], joined(row[1:])] for row in rows))


def choices_block(names: list[str], choices: tuple[Choice, ...]) -> str:
    rows = [(choice.value, *choice.aliases) for choice in choices]
    return f"#### {joined(names)}\n\n{aliases_table('value', rows)}"


def values_section() -> str:
    blocks = [choices_block(names, choices) for names, choices in choice_sets()]
    blocks.append(f"#### Availability: days\n\n{aliases_table('day', DAYS)}")
    blocks.append(f"#### Availability: parts of the day\n\n{aliases_table('part', DAY_PARTS)}")
    blocks.append(f"#### Languages\n\n{aliases_table('language', LANGUAGES)}")
    return "\n\n".join(blocks)


# -- admin settings -----------------------------------------------------------------------


def number(value: float | int | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}"


def bounds(setting: Setting) -> str:
    if setting.kind == "toggle":
        return "on / off"
    return f"{number(setting.minimum)} – {number(setting.maximum)}"


def setting_row(setting: Setting) -> list[str]:
    return [
        code(setting.name),
        number(setting.default),
        bounds(setting),
        setting.label.text(DOC_LANGUAGE),
        setting.help.text(DOC_LANGUAGE),
    ]


def settings_section() -> str:
    header = ["name", "default", "allowed", "label on the Settings page", "help"]
    return table(header, (setting_row(setting) for setting in SETTINGS))


# -- status moves -------------------------------------------------------------------------


def ordered(statuses: Iterable[str]) -> list[str]:
    """Statuses in the workflow's order, not a set's."""
    chosen = set(statuses)
    return [status for status in PERSON_STATUSES if status in chosen]


def participant_moves_section() -> str:
    header = ["action", "on the page", "a mentor may start from", "a mentee may start from"]
    rows = (
        [
            code(action.value),
            PERSON_ACTION_LABELS[action].text(DOC_LANGUAGE),
            joined(ordered(starts.get(MENTOR, ()))) or "—",
            joined(ordered(starts.get(MENTEE, ()))) or "—",
        ]
        for action, starts in PERSON_MOVES.items()
    )
    return table(header, rows)


def duo_moves_section() -> str:
    header = ["duo status", "actions offered"]
    rows = (
        [status, joined(DUO_ACTION_LABELS[action].text(DOC_LANGUAGE) for action in actions)]
        for status, actions in DUO_MOVES.items()
    )
    return table(header, rows)


def eligibility_section() -> str:
    languages = f"speaks at least one of {joined(PROGRAMME_LANGUAGES)}"
    not_met = (
        f"Residence not {joined(sorted(RESIDENCE_NOT_MET))}, Origin not"
        f" {joined(sorted(ORIGIN_NOT_MET))}, Looking for not {joined(sorted(LOOKING_FOR_NOT_MET))}"
    )
    rows = [
        [MENTEE, f"{MENTEE_MIN_AGE} to {MENTEE_MAX_AGE}", languages, not_met],
        [MENTOR, f"{MENTOR_MIN_AGE} or older", languages, "—"],
    ]
    return table(["role", "age on the intake date", "languages", "other conditions"], rows)


# -- rewriting the documents --------------------------------------------------------------

Render = Callable[[], str]
SECTIONS: dict[Path, dict[str, Render]] = {
    WORKBOOK_DOC: {
        "tabs": tabs_section,
        "values": values_section,
        "settings": settings_section,
    },
    WORKFLOW_DOC: {
        "participant-moves": participant_moves_section,
        "eligibility": eligibility_section,
        "duo-moves": duo_moves_section,
    },
}


def markers(name: str) -> tuple[str, str]:
    return f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"


def with_section(text: str, name: str, body: str) -> str:
    """`text` with the part between the section's markers replaced by `body`."""
    start, end = markers(name)
    before, found, rest = text.partition(start)
    _, found_end, after = rest.partition(end)
    if not found or not found_end:
        raise ValueError(f"missing markers {start} ... {end}")
    return f"{before}{start}\n\n{body}\n\n{end}{after}"


def rendered(path: Path, text: str) -> str:
    """The document with every generated section as the code says it should be now."""
    for name, render in SECTIONS[path].items():
        text = with_section(text, name, render())
    return text


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def update(path: Path, check: bool) -> bool:
    """Rewrite one document; True when it was (or, checking, would be) changed."""
    text = path.read_text(encoding="utf-8")
    new = rendered(path, text)
    if new == text:
        return False
    if not check:
        path.write_text(new, encoding="utf-8")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing, exit 1 if stale")
    args = parser.parse_args(argv)
    stale = [path for path in SECTIONS if update(path, args.check)]
    for path in stale:
        print(f"{relative(path)}: {'out of date' if args.check else 'rewritten'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
