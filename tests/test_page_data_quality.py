"""The Data quality page end to end, and its service, on a copy of the demo workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from gspread.utils import rowcol_to_a1
from streamlit.testing.v1 import AppTest

from access import User
from services.offices import OutOfOffice
from services.quality import assign_ids, settings_issues
from sheets import memory
from sheets.__main__ import check_workbook
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, assert_no_exception, open_page, store_of
from tests.harness import GridHands

HAND_TYPED = {
    ("First name", "Prénom"): "Hannah",
    ("Last name",): "Handtyped",
    ("Role",): "Mentee",
    ("Status",): "Applied",
    ("Office",): "Brussels",
    ("Applied on",): "31/02/2026",
}
"""A row staff typed in the sheet: no ID, and a date that does not exist."""


def type_row_by_hand(workbook: Path, cells: dict[tuple[str, ...], str] = HAND_TYPED) -> int:
    """Add a Participants row as staff would in the sheet (in Excel for a file, with openpyxl);
    return its sheet row."""
    text = str(workbook)
    if text.startswith(memory.PREFIX):
        hands = GridHands(memory.named(text.removeprefix(memory.PREFIX)))
        headers, *lines = hands.rows("Participants")
        row = len(lines) + 2
        for spellings, value in cells.items():
            column = next(i for i, header in enumerate(headers, 1) if header in spellings)
            hands.set_cell("Participants", rowcol_to_a1(row, column), value)
        return row
    book = openpyxl.load_workbook(workbook)
    sheet = book["Participants"]
    headers = [cell.value for cell in sheet[1]]
    row = sheet.max_row + 1
    for spellings, value in cells.items():
        column = next(i for i, header in enumerate(headers, 1) if header in spellings)
        sheet.cell(row=row, column=column, value=value)
    book.save(workbook)
    return row


def hand_typed_id(workbook: Path) -> str:
    people = store_of(workbook).table("Participants").frame
    return str(people.loc[people["Last name"] == "Handtyped", "ID"].iloc[0])


def quality_page(user: User = ADMIN, lang: str = "en") -> AppTest:
    app = open_page("data_quality.py", user=user, lang=lang)
    assert_no_exception(app)
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: str(metric.value) for metric in app.metric}


@pytest.mark.parametrize(
    ("lang", "title", "missing", "problem"),
    [
        ("fr", "Qualité des données", "Lignes sans ID", "une date qui n'existe pas"),
        ("nl", "Kwaliteit van de gegevens", "Rijen zonder ID", "een datum die niet bestaat"),
        ("en", "Data quality", "Rows without an ID", "a date that does not exist"),
    ],
)
def test_the_page_counts_and_explains_each_issue_in_each_language(
    workbook: Path, lang: str, title: str, missing: str, problem: str
) -> None:
    row = type_row_by_hand(workbook)
    app = quality_page(lang=lang)
    assert [t.value for t in app.title][-1] == title
    assert metrics(app)[missing] == "1"
    [unreadable] = [frame.value for frame in app.dataframe if len(frame.value) == 1]
    tab, sheet_row, _, text, why, _ = list(unreadable.iloc[0])
    assert (tab, sheet_row, text, why) == ("Participants", row, "31/02/2026", problem)
    assert len(app.get("download_button")) == 2


def test_assign_ids_fills_the_row_typed_by_hand_and_its_finding_disappears(
    workbook: Path,
) -> None:
    row = type_row_by_hand(workbook)
    app = quality_page(lang="fr")
    assert any(f"lignes {row}" in m.value or f"ligne(s) {row}" in m.value for m in app.markdown)
    app.button(key="assign-ids-Participants").click().run()
    assert_no_exception(app)
    new_id = hand_typed_id(workbook)
    assert new_id.startswith("P-")
    assert store_of(workbook).table("Participants").record(new_id) is not None
    assert [s.value for s in app.success] == ["ID attribués dans Participants : 1."]
    assert metrics(app)["Lignes sans ID"] == "0"
    assert "assign-ids-Participants" not in [b.key for b in app.button]


def test_records_that_disagree_link_to_the_record_page(workbook: Path) -> None:
    app = quality_page()
    links = app.get("page_link")
    assert links, "the demo workbook has people sharing a phone number"
    first = links[0].proto
    assert first.query_string.startswith("id=P-")
    assert "Participants, row" in first.label
    assert "same phone number" in first.label


def test_settings_typed_in_the_sheet_that_do_not_fit_are_listed_with_why(
    workbook: Path,
) -> None:
    store_of(workbook).append(
        "Settings",
        [
            {"Name": "attention.quiet_duo_days", "Value": "three weeks"},
            {"Name": "attention.colour", "Value": "blue"},
        ],
        "tests",
    )
    issues = settings_issues(store_of(workbook).table("Settings").frame)
    assert [issue.problem.key for issue in issues] == [
        "quality.setting_not_whole",
        "quality.setting_unknown",
    ]
    app = quality_page(lang="nl")
    assert metrics(app)["Ongeldige instellingen"] == "2"
    shown = app.dataframe[-1].value
    assert list(shown["Instelling"]) == ["attention.quiet_duo_days", "attention.colour"]
    assert "geen geheel getal van 0 tot 366" in shown.iloc[0]["Probleem"]


def test_a_coordinator_sees_and_fixes_only_rows_of_their_own_office(workbook: Path) -> None:
    type_row_by_hand(workbook)
    antwerp = quality_page(ANTWERP)
    assert metrics(antwerp)["Rows without an ID"] == "0"
    with pytest.raises(OutOfOffice):
        assign_ids(store_of(workbook), ANTWERP, "Participants")
    people = store_of(workbook).table("Participants").frame
    assert (people["ID"] == "").sum() == 1
    outcome = assign_ids(store_of(workbook), BRUSSELS, "Participants")
    assert len(outcome.ids) == 1 and hand_typed_id(workbook) == outcome.ids[0]


def rename(workbook: Path, tab: str, new_ids: list[str]) -> None:
    """Give records of `tab` IDs in the staff's own scheme, as a team's own sheet has them.

    Participants renamed are ones in no duo, so that no duo points to a renamed person.
    """
    store = store_of(workbook)
    frame = store.table(tab).frame
    if tab == "Participants":
        duos = store.table("Duos").frame
        frame = frame[~frame["ID"].isin({*duos["Mentor ID"], *duos["Mentee ID"]})]
    for old_id, new_id in zip(frame["ID"], new_ids, strict=False):
        store.update(tab, str(old_id), {"ID": new_id}, "tests")


def test_a_workbook_whose_staff_use_their_own_ids_lists_no_id_findings(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = metrics(quality_page())
    rename(workbook, "Participants", ["P-001", "2024-17", "abc 12"])
    rename(workbook, "Duos", ["D7"])
    people = store_of(workbook).table("Participants").frame
    assert {"P-001", "2024-17", "abc 12"} <= set(people["ID"])
    app = quality_page()
    assert metrics(app) == before
    assert metrics(app)["Unreadable values"] == "0"
    assert metrics(app)["Rows without an ID"] == "0"
    assert check_workbook(store_of(workbook), strict=True) == 0
    assert capsys.readouterr().out.strip().endswith(": 0 finding(s)")


def test_a_duplicate_staff_id_and_a_missing_id_still_are_findings_on_the_page(
    workbook: Path,
) -> None:
    rename(workbook, "Participants", ["P-001", "p-001"])
    row = type_row_by_hand(workbook, {**HAND_TYPED, ("Applied on",): "02/03/2026"})
    app = quality_page()
    assert metrics(app)["Unreadable values"] == "2"
    assert metrics(app)["Rows without an ID"] == "1"
    assert any(f"row(s) {row}" in m.value for m in app.markdown)
    [duplicates] = [frame.value for frame in app.dataframe if len(frame.value) == 2]
    assert list(duplicates["Text in the cell"]) == ["P-001", "p-001"]
    assert set(duplicates["Problem"]) == {"ID used on more than one row"}


def test_values_typed_by_hand_against_the_forms_rules_are_listed_and_open_their_record(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    people = store.table("Participants").frame
    mentee = people[(people["Role"] == "Mentee") & (people["Office"] == "Brussels")].iloc[0]
    typed = {"First name": "", "Email": "not-an-email", "Birth date": date(1980, 1, 1)}
    store.update("Participants", mentee["ID"], typed, "staff")
    meeting = store.table("Meetings").frame.iloc[0]
    store.update("Meetings", meeting["ID"], {"Hours": 13}, "staff")
    app = quality_page()
    assert metrics(app)["Against the rules"] == "4"
    value = "Text in the cell"
    frames = [frame.value for frame in app.dataframe if value in frame.value.columns]
    [people_lines] = [frame for frame in frames if "not-an-email" in set(frame[value])]
    lines = {(row["Column"], row[value]): row for _, row in people_lines.iterrows()}
    assert lines[("First name", "")]["Problem"] == "Please fill this in."
    assert "does not look like an e-mail" in lines[("Email", "not-an-email")]["Problem"]
    birth = lines[("Birth date", "01/01/1980")]
    assert "Mentees are 18 to 33 years old" in birth["Problem"]
    assert (birth["Tab"], birth["Row"], birth["Record"]) == (
        "Participants",
        int(mentee["_row"]),
        mentee["ID"],
    )
    labels = {link.proto.label: link.proto.query_string for link in app.get("page_link")}
    assert any(
        "Email" in label and query == f"id={mentee['ID']}" for label, query in labels.items()
    )
    duo = f"id={meeting['Duo ID']}"
    assert any("Hours" in label and query == duo for label, query in labels.items())
