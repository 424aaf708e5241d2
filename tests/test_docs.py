"""The documents in `docs/` say what the code does: their tables are generated, and checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts import docs
from settings import BY_NAME, GROUPS, SETTINGS
from sheets.schema import TABS, Kind

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "docs" / "workbook.md"
WORKFLOW = ROOT / "docs" / "workflow.md"
README = ROOT / "README.md"
REGENERATE = "run `.venv/bin/python scripts/docs.py` and commit the result"

SECTIONS = [(path, name) for path, sections in docs.SECTIONS.items() for name in sections]


def generated_part(path: Path, name: str) -> str:
    """The text between a section's markers, without the blank lines around it."""
    start, end = f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"
    text = path.read_text(encoding="utf-8")
    assert start in text and end in text, f"{path.name} lacks the markers {start} ... {end}"
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def heading_block(text: str, heading: str) -> str:
    """The lines under a `### heading`, up to the next heading of level 2 or 3."""
    lines = text.splitlines()
    assert heading in lines, f"no heading {heading!r}"
    block = []
    for line in lines[lines.index(heading) + 1 :]:
        if line.startswith(("## ", "### ")):
            break
        block.append(line)
    return "\n".join(block)


def first_cells(table_text: str) -> set[str]:
    """The first cell of every row of the markdown tables in a text."""
    return {line.split("|")[1].strip() for line in table_text.splitlines() if line.startswith("|")}


@pytest.mark.parametrize(
    ("path", "name"), SECTIONS, ids=[f"{path.name}:{name}" for path, name in SECTIONS]
)
def test_each_generated_table_is_what_the_docs_script_writes_now(path: Path, name: str) -> None:
    render = docs.SECTIONS[path][name]
    assert generated_part(path, name) == render(), (
        f"{path.name}: the generated section {name!r} no longer matches the code; {REGENERATE}"
    )


def test_workbook_doc_lists_every_tab_and_column_of_the_schema() -> None:
    text = generated_part(WORKBOOK, "tabs")
    missing = [
        f"{tab.name} › {column.name}"
        for tab in TABS
        for column in tab.columns
        if column.name not in first_cells(heading_block(text, f"### {tab.name}"))
    ]
    assert not missing, f"docs/workbook.md misses {missing}; {REGENERATE}"


def test_workbook_doc_explains_every_kind_of_column() -> None:
    kinds = first_cells(WORKBOOK.read_text(encoding="utf-8"))
    missing = [kind.value for kind in Kind if f"`{kind.value}`" not in kinds]
    assert not missing, f"the kinds table of docs/workbook.md misses {missing}"


def test_settings_table_lists_every_admin_setting() -> None:
    names = first_cells(generated_part(WORKBOOK, "settings"))
    missing = [setting.name for setting in SETTINGS if f"`{setting.name}`" not in names]
    assert not missing, f"docs/workbook.md's settings table misses {missing}; {REGENERATE}"


def test_every_setting_the_docs_name_exists() -> None:
    """A setting named in the prose (`attention.quiet_duo_days`) was not renamed since."""
    groups = "|".join(GROUPS)
    pattern = re.compile(rf"`((?:{groups})\.(?!py`)[a-z_]+)`")
    named = {
        name
        for path in (WORKBOOK, WORKFLOW)
        for name in pattern.findall(path.read_text(encoding="utf-8"))
    }
    unknown = sorted(named - set(BY_NAME))
    assert named, "the docs name no setting at all"
    assert not unknown, f"the docs name settings that do not exist: {unknown}"


def test_workflow_doc_names_every_status_of_the_schema() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    statuses = {
        status
        for tab in TABS
        for column in tab.columns
        if column.name == "Status"
        for status in column.choice_values
    }
    missing = sorted(status for status in statuses if status not in text)
    assert not missing, f"docs/workflow.md does not describe the statuses {missing}"


def test_no_doc_points_at_a_path_outside_the_repository() -> None:
    paths = [README, WORKBOOK, WORKFLOW, ROOT / "sheets" / "schema.py"]
    outside = [path.name for path in paths if re.search(r"\.\./shared|/work/", path.read_text())]
    assert not outside, f"these files point outside the repository: {outside}"


def test_readme_points_at_the_workbook_and_workflow_docs() -> None:
    text = README.read_text(encoding="utf-8")
    assert "docs/workbook.md" in text and "docs/workflow.md" in text
    assert "scripts/docs.py" in text


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a markdown file."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_links_between_the_docs_lead_to_files_and_headings_that_exist() -> None:
    broken = []
    for path in (WORKBOOK, WORKFLOW):
        for target, anchor in re.findall(r"\]\(([^)#:]*)#?([^)]*)\)", path.read_text("utf-8")):
            linked = path.parent / target if target else path
            if not linked.is_file() or (anchor and anchor not in anchors(linked)):
                broken.append(f"{path.name} -> {target}#{anchor}")
    assert not broken, f"broken links: {broken}"
