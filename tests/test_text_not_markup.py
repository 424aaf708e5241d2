"""Text someone else typed is shown as text, never as Markdown.

Names and notes from the Apply form or the sheet, summaries from meeting-log links, and values
from the URL's query string go into elements that render Markdown (messages, captions,
headings, link and expander labels). `ui.context.plain` escapes them; these tests look at what
the pages hand to Streamlit (an element's source text) and check that no bold text, link or
image survives in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from i18n import Msg
from tests.apptest import ADMIN, BRUSSELS, assert_no_exception, open_page, store_of
from ui.context import WORD_JOINER, Markdown, code, md_label, md_text, md_tr, plain

FIRST_NAME = "**Bold** [click](http://evil.example) ![x](http://evil.example/p.png)"
LAST_NAME = "<img src=https://evil.example/t.png> _it_ www.evil.example"
ASKED = "**Asked** [asked](http://evil.example/q) ![q](http://evil.example/q.png)"
"""What a crafted link puts in the query string (`?id=`, `?mentee=`)."""
RAW_MARKUP = re.compile(
    r"(?<!\\)\*\*(?:Bold|Asked)"  # the typed bold
    r"|(?<!\\)!?(?<!\\)\[[^\]]*(?<!\\)\]\("  # link or image
    r"|(?<!\\)<img"  # HTML
    r"|https?://evil|www\.evil"  # bare links
)
TEXT_ELEMENTS = frozenset(
    {"markdown", "caption", "title", "header", "subheader", "error", "warning", "info"}
    | {"success", "page_link", "toast", "exception"}
)
LABELLED_BLOCKS = frozenset({"expander", "tab", "status", "metric", "popover"})


def shown_as_markdown(node: Any) -> Iterator[str]:
    """The source text of every element below `node` that Streamlit renders as Markdown."""
    for child in getattr(node, "children", {}).values():
        if child.type in LABELLED_BLOCKS:
            yield str(child.label)
        elif child.type in TEXT_ELEMENTS:
            yield str(child.value)
        yield from shown_as_markdown(child)


def texts(app: AppTest) -> list[str]:
    return [*shown_as_markdown(app.main), *shown_as_markdown(app.sidebar)]


def assert_shown_as_text(app: AppTest, *typed: str) -> None:
    """Each typed text is on the page, escaped, and no element carries live markup."""
    assert_no_exception(app)
    shown = texts(app)
    for text in typed:
        assert any(plain(text) in part for part in shown), (text, shown)
    live = [part for part in shown if RAW_MARKUP.search(part)]
    assert not live, live


@pytest.fixture
def marked_up(workbook: Path) -> str:
    """A ready Brussels mentee, waiting for years, whose name is Markdown (as typed in Apply),
    with another person's e-mail address (a finding on the Data quality page)."""
    store = store_of(workbook)
    people = store.table("Participants").frame
    email = str(people.loc[people["Email"].astype(str).str.contains("@"), "Email"].iloc[0])
    [person_id] = store.append(
        "Participants",
        [
            {
                "First name": FIRST_NAME,
                "Last name": LAST_NAME,
                "Role": "Mentee",
                "Status": "Ready",
                "Office": "Brussels",
                "Email": email,
                "Applied on": date(2001, 1, 1),
                "Intake on": date(2001, 2, 1),
                "Consent on": date(2001, 1, 1),
                "Languages": ["French"],
                "Availability": ["Mon AM", "Tue PM"],
                "Goal": "[goal](http://evil.example/goal)",
            }
        ],
        "tests",
    )
    return person_id


# -- the helper ---------------------------------------------------------------------------------


def test_plain_text_escapes_emphasis_links_images_and_html() -> None:
    shown = plain(FIRST_NAME + " " + LAST_NAME)
    assert not RAW_MARKUP.search(shown)
    assert shown.replace(WORD_JOINER, "").replace("\\", "") == FIRST_NAME + " " + LAST_NAME


def test_plain_text_breaks_the_links_markdown_finds_in_bare_text() -> None:
    shown = plain("see http://a.example, HTTPS://b.example, www.c.example or me@d.example")
    for address in ("http:", "HTTPS:", "www.", "@d"):
        assert address not in shown.replace("\\", "")
    assert shown.count(WORD_JOINER) == 4


def test_plain_text_escapes_what_starts_a_line_only_at_the_start_of_a_line() -> None:
    assert plain("# title\n- item\n1. first\n===") == "\\# title\n\\- item\n1\\. first\n\\==="
    for text in ("Anne-Marie 1. 2024 #3", "0.5", "-5", "#3", "+32 2 123 45 67"):
        assert plain(text) == text


def test_plain_text_is_not_escaped_twice() -> None:
    once = plain("**x**")
    assert plain(once) == once
    assert isinstance(once, Markdown)


def test_a_code_span_cannot_be_closed_by_the_text_inside_it() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    assert code("one\ntwo") == "`one two`"


def test_stored_values_in_a_message_are_labelled_and_other_text_is_escaped() -> None:
    shown = md_text(Msg("participants.current_status", {"status": "Ready"}))
    assert shown == md_tr("participants.current_status", status=md_label("Ready"))
    assert md_label("[x](http://evil.example)") == plain("[x](http://evil.example)")


def test_translated_messages_escape_their_parameters_and_keep_the_catalogue_markdown() -> None:
    line = md_tr("app.conflict_cell", record="**R**", column="[c](http://evil.example)")
    assert line.startswith("**\\*\\*R\\*\\***")
    assert not RAW_MARKUP.search(line.replace("**\\*\\*R\\*\\***", ""))
    error = md_text(Msg("participants.not_found", {"id": ASKED}))
    assert plain(ASKED) in error
    assert md_tr("participants.found", count=3, total=4) == "3 of 4 participants"


# -- the pages ----------------------------------------------------------------------------------


def test_participants_shows_a_typed_name_as_text_on_the_profile(marked_up: str) -> None:
    app = open_page("participants.py", query={"id": marked_up})
    assert_shown_as_text(app, FIRST_NAME, LAST_NAME)


def test_intake_shows_a_typed_name_as_text(marked_up: str) -> None:
    app = open_page("intake.py", query={"id": marked_up})
    assert_shown_as_text(app, FIRST_NAME, LAST_NAME)


def test_matching_shows_a_typed_name_as_text_in_the_ranking(marked_up: str) -> None:
    app = open_page("matching_session.py", query={"mentee": marked_up})
    assert_shown_as_text(app, FIRST_NAME, LAST_NAME)


def test_today_shows_a_typed_name_as_text_in_the_to_do_links(marked_up: str) -> None:
    app = open_page("today.py")
    assert_shown_as_text(app, FIRST_NAME, LAST_NAME)


def test_data_quality_shows_a_typed_name_as_text_in_its_findings(marked_up: str) -> None:
    app = open_page("data_quality.py")
    assert_shown_as_text(app, FIRST_NAME, LAST_NAME)


@pytest.mark.parametrize(
    ("page", "parameter"),
    [
        ("participants.py", "id"),
        ("intake.py", "id"),
        ("matching_session.py", "mentee"),
        ("duos.py", "id"),
        ("sessions.py", "id"),
    ],
)
def test_a_value_from_the_query_string_is_echoed_as_text(
    workbook: Path, page: str, parameter: str
) -> None:
    app = open_page(page, query={parameter: ASKED})
    assert_shown_as_text(app, ASKED)


# -- the sidebar --------------------------------------------------------------------------------


def test_a_coordinators_sidebar_names_the_kind_of_workbook_but_not_where_it_is(
    workbook: Path,
) -> None:
    app = open_page("today.py", user=BRUSSELS)
    assert_no_exception(app)
    sidebar = "\n".join(shown_as_markdown(app.sidebar))
    assert "Local workbook" in sidebar
    assert str(workbook) not in sidebar


def test_an_admins_sidebar_says_where_the_workbook_is(workbook: Path) -> None:
    app = open_page("today.py", user=ADMIN)
    assert_no_exception(app)
    sidebar = "\n".join(shown_as_markdown(app.sidebar))
    assert code(str(workbook)) in sidebar
