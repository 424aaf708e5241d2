"""The Sheets emulator answers real gspread, over real HTTP, the way Google does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.transport.requests import AuthorizedSession
from gspread.exceptions import APIError, SpreadsheetNotFound
from gspread.http_client import HTTPClient
from gspread.utils import (
    DateTimeOption,
    Dimension,
    InsertDataOption,
    ValidationConditionType,
    ValueInputOption,
    ValueRenderOption,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets.google_transport import routed_session
from tests.sheets_emulator import SheetsEmulator

KEY = "1mentoringWorkbookKey0123456789abcdefghijk"
PARTICIPANTS = [
    ["ID", "Role", "Name", "Age"],
    ["P002", "Mentee", "Bea", "17"],
    ["P001", "Mentor", "Arne", "54"],
    ["P003", "Mentor", "Chloé", ""],
]
CHECK_INS = [["Date", "Participant", "Note"]]
LISTS = [["Roles"], ["Mentor"], ["Mentee"]]
RAW = ValueInputOption.raw
USER_ENTERED = ValueInputOption.user_entered
UNFORMATTED = ValueRenderOption.unformatted
FORMULA = ValueRenderOption.formula
INSERT_ROWS = InsertDataOption.insert_rows


def anonymous() -> Credentials:
    """No credentials at all: the emulator asks for none, and nothing may reach Google."""
    return AnonymousCredentials()  # type: ignore[no-untyped-call]


def make_client(emulator: SheetsEmulator, timeout: float = 10) -> gspread.Client:
    """gspread as production builds it, its session routed to the emulator."""
    session = routed_session(anonymous(), emulator.url, timeout)
    return gspread.Client(anonymous(), session=session, http_client=HTTPClient)


@pytest.fixture
def emulator() -> Iterator[SheetsEmulator]:
    with SheetsEmulator() as emulator:
        emulator.create_spreadsheet(
            KEY,
            title="Mentoring",
            tabs={"Participants": PARTICIPANTS, "Check-ins": CHECK_INS, "Lists": LISTS},
        )
        yield emulator


@pytest.fixture
def client(emulator: SheetsEmulator) -> gspread.Client:
    return make_client(emulator)


@pytest.fixture
def book(client: gspread.Client) -> gspread.Spreadsheet:
    return client.open_by_key(KEY)


def api_error(call: Any, *args: Any, **kwargs: Any) -> APIError:
    with pytest.raises(APIError) as caught:
        call(*args, **kwargs)
    return caught.value


# -- reading -----------------------------------------------------------------------------------


def test_open_by_key_gives_the_title_and_the_tabs_in_order(book: gspread.Spreadsheet) -> None:
    assert book.title == "Mentoring"
    assert book.timezone == "Europe/Brussels"
    assert [sheet.title for sheet in book.worksheets()] == ["Participants", "Check-ins", "Lists"]
    assert book.sheet1.id == 0
    assert book.sheet1.row_count == 1000 and book.sheet1.col_count == 26


def test_get_all_values_returns_what_staff_see(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    values = book.worksheet("Participants").get_all_values()

    assert values == PARTICIPANTS
    assert emulator.rows(KEY, "Participants")[3] == ["P003", "Mentor", "Chloé"]


def test_values_batch_get_reads_several_tabs_in_one_request(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.reset_log()

    reply = book.values_batch_get(["Participants!A1:B", "'Check-ins'!A1:Z", "Lists"])

    assert emulator.count() == 1 and emulator.count("values.batchGet") == 1
    ranges = reply["valueRanges"]
    assert [value_range["range"] for value_range in ranges] == [
        "Participants!A1:B1000",
        "'Check-ins'!A1:Z1000",
        "Lists!A1:Z1000",
    ]
    assert ranges[0]["values"][1] == ["P002", "Mentee"]
    assert ranges[1]["values"] == CHECK_INS


def test_an_empty_range_comes_back_without_values(book: gspread.Spreadsheet) -> None:
    reply = book.values_get("'Check-ins'!A2:C")

    assert reply == {"range": "'Check-ins'!A2:C1000", "majorDimension": "ROWS"}


def test_trailing_empty_cells_and_rows_are_trimmed(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.set_cell(KEY, "Lists", "E10", "")
    emulator.set_cell(KEY, "Lists", "C2", "x")

    values = book.values_get("Lists!A1:F20")["values"]

    assert values == [["Roles"], ["Mentor", "", "x"], ["Mentee"]]


def test_unformatted_values_keep_numbers_and_booleans(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.set_cell(KEY, "Participants", "E2", "true")
    sheet = book.worksheet("Participants")

    formatted = sheet.get("C2:E2")
    unformatted = sheet.get("C2:E2", value_render_option=UNFORMATTED)

    assert formatted == [["Bea", "17", "TRUE"]]
    assert unformatted == [["Bea", 17, True]]


def test_columns_major_dimension_transposes(book: gspread.Spreadsheet) -> None:
    columns = book.worksheet("Participants").get("A1:B3", major_dimension=Dimension.cols)

    assert columns == [["ID", "P002", "P001"], ["Role", "Mentee", "Mentor"]]


def test_dates_typed_by_staff_are_serial_numbers_unless_formatted(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.set_cell(KEY, "Check-ins", "A2", "2024-03-05")
    sheet = book.worksheet("Check-ins")

    assert sheet.acell("A2").value == "2024-03-05"
    assert sheet.get("A2", value_render_option=UNFORMATTED) == [[45356]]
    assert sheet.get(
        "A2",
        value_render_option=UNFORMATTED,
        date_time_render_option=DateTimeOption.formatted_string,
    ) == [["2024-03-05"]]


def test_a_belgian_sheet_shows_decimal_commas_and_reads_dates_day_first() -> None:
    with SheetsEmulator() as emulator:
        emulator.create_spreadsheet(
            KEY, tabs={"Meetings": [["Hours", "Date"], ["1,5", "05/03/2024"]]}, locale="fr_BE"
        )
        sheet = make_client(emulator).open_by_key(KEY).sheet1

        sheet.update([[2.25]], "A3", value_input_option=RAW)

        assert sheet.get_all_values() == [["Hours", "Date"], ["1,5", "05/03/2024"], ["2,25", ""]]
        assert sheet.get("A2:B3", value_render_option=UNFORMATTED) == [[1.5, 45356], [2.25]]


def test_tab_names_with_apostrophes_and_spaces_are_quoted_and_understood(
    client: gspread.Client, emulator: SheetsEmulator
) -> None:
    emulator.add_tab(KEY, "Mentor's notes", [["Note"], ["Kind words"]])

    sheet = client.open_by_key(KEY).worksheet("Mentor's notes")

    assert sheet.get_all_values() == [["Note"], ["Kind words"]]
    assert book_range(client, "'Mentor''s notes'!A1:A2") == "'Mentor''s notes'!A1:A2"
    assert book_range(client, "'Check-ins'!A1") == "'Check-ins'!A1"
    assert book_range(client, "Lists!A1:A9") == "Lists!A1:A9"


def book_range(client: gspread.Client, text: str) -> str:
    """The range Google names in its reply to a read of `text`."""
    reply: str = client.http_client.values_get(KEY, text)["range"]
    return reply


def test_an_unknown_tab_in_a_range_is_an_invalid_argument(book: gspread.Spreadsheet) -> None:
    error = api_error(book.values_get, "'Attendance'!A1:Z")

    assert error.code == 400
    assert error.error["status"] == "INVALID_ARGUMENT"
    assert error.error["message"] == "Unable to parse range: 'Attendance'!A1:Z"


def test_reading_past_the_grid_is_refused(book: gspread.Spreadsheet) -> None:
    error = api_error(book.values_get, "Participants!A2000")

    assert error.code == 400
    assert error.error["message"] == (
        "Range ('Participants'!A2000) exceeds grid limits. Max rows: 1000, max columns: 26"
    )


# -- writing -----------------------------------------------------------------------------------


def test_raw_text_starting_with_equals_stays_text(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Check-ins")

    sheet.append_rows(
        [["2024-03-05", "P001", '=HYPERLINK("http://evil")'], ["+32 470", "P002", "007"]],
        value_input_option=RAW,
        insert_data_option=INSERT_ROWS,
    )

    assert emulator.formulas(KEY) == []
    assert sheet.get("A2:C3", value_render_option=FORMULA) == [
        ["2024-03-05", "P001", '=HYPERLINK("http://evil")'],
        ["+32 470", "P002", "007"],
    ]


def test_user_entered_text_starting_with_equals_becomes_a_formula(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Check-ins")

    sheet.update([["=1+1"]], "C2", value_input_option=USER_ENTERED)

    assert emulator.formulas(KEY) == [("Check-ins", "C2", "=1+1")]
    assert sheet.get("C2", value_render_option=FORMULA) == [["=1+1"]]
    assert emulator.cell(KEY, "Check-ins", "C2") == "#NAME?"


def test_user_entered_numbers_become_numbers_and_raw_ones_stay_text(
    book: gspread.Spreadsheet,
) -> None:
    sheet = book.worksheet("Check-ins")

    sheet.update([["0470", "1.50"]], "A2", value_input_option=USER_ENTERED)
    sheet.update([["0470", "1.50"]], "A3", value_input_option=RAW)

    assert sheet.get("A2:B3") == [["470", "1.5"], ["0470", "1.50"]]
    assert sheet.get("A2:B3", value_render_option=UNFORMATTED) == [
        [470, 1.5],
        ["0470", "1.50"],
    ]


def test_append_rows_inserts_after_the_last_row_and_grows_the_grid(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")

    reply = sheet.append_rows(
        [["P004", "Mentee", "Dirk", 15], ["P005", "Mentor", "Emma", 61]],
        value_input_option=RAW,
        insert_data_option=INSERT_ROWS,
    )

    assert reply["tableRange"] == "Participants!A1:D4"
    assert reply["updates"] == {
        "spreadsheetId": KEY,
        "updatedRange": "Participants!A5:D6",
        "updatedRows": 2,
        "updatedColumns": 4,
        "updatedCells": 8,
    }
    assert emulator.rows(KEY, "Participants")[4:] == [
        ["P004", "Mentee", "Dirk", "15"],
        ["P005", "Mentor", "Emma", "61"],
    ]
    assert emulator.sheet_properties(KEY, "Participants")["rowCount"] == 1002
    assert book.worksheet("Participants").row_count == 1002
    [append] = [record for record in emulator.requests if record.kind == "values.append"]
    assert append.query["valueInputOption"] == ["RAW"]
    assert append.query["insertDataOption"] == ["INSERT_ROWS"]


def test_append_to_a_tab_with_only_a_header_lands_on_row_two(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    reply = book.worksheet("Check-ins").append_row(
        ["2024-03-05", "P001", "Fine"],
        value_input_option=RAW,
        insert_data_option=INSERT_ROWS,
    )

    assert reply["updates"]["updatedRange"] == "'Check-ins'!A2:C2"
    assert emulator.rows(KEY, "Check-ins") == [*CHECK_INS, ["2024-03-05", "P001", "Fine"]]


def test_append_after_staff_left_blank_rows_goes_below_the_last_data_row(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.set_cell(KEY, "Participants", "B9", "Mentor")

    book.worksheet("Participants").append_row(["P009"], value_input_option=RAW)

    assert emulator.cell(KEY, "Participants", "A10") == "P009"


def test_a_refused_append_changes_nothing(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    params: dict[str, Any] = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}

    error = api_error(book.values_append, "'Check-ins'", params, {"values": [["ok", ["nested"]]]})

    assert error.code == 400
    assert emulator.rows(KEY, "Check-ins") == CHECK_INS
    assert emulator.sheet_properties(KEY, "Check-ins")["rowCount"] == 1000


def test_batch_update_writes_only_the_named_cells(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    reply = book.worksheet("Participants").batch_update(
        [{"range": "B2", "values": [["Mentor"]]}, {"range": "D3:D4", "values": [["55"], ["40"]]}],
        value_input_option=RAW,
    )

    assert reply["totalUpdatedCells"] == 3
    assert [response["updatedRange"] for response in reply["responses"]] == [
        "Participants!B2",
        "Participants!D3:D4",
    ]
    assert emulator.rows(KEY, "Participants") == [
        ["ID", "Role", "Name", "Age"],
        ["P002", "Mentor", "Bea", "17"],
        ["P001", "Mentor", "Arne", "55"],
        ["P003", "Mentor", "Chloé", "40"],
    ]


def test_a_single_cell_range_anchors_a_larger_block(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    reply = book.worksheet("Check-ins").update([["a", "b"], ["c", "d"]], "B5")

    assert reply["updatedRange"] == "'Check-ins'!B5:C6"
    assert emulator.rows(KEY, "Check-ins")[4:] == [["", "a", "b"], ["", "c", "d"]]


def test_an_empty_string_empties_the_cell(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    book.worksheet("Participants").update([["", None]], "C2:D2", value_input_option=RAW)

    assert emulator.rows(KEY, "Participants")[1] == ["P002", "Mentee", "", "17"]


def test_writing_past_the_grid_is_refused_like_google(book: gspread.Spreadsheet) -> None:
    error = api_error(book.worksheet("Participants").update, [["x"]], "A2000")

    assert error.code == 400
    assert error.error["status"] == "INVALID_ARGUMENT"
    assert "exceeds grid limits" in error.error["message"]


def test_writing_more_rows_than_the_range_holds_is_refused(book: gspread.Spreadsheet) -> None:
    error = api_error(book.worksheet("Participants").update, [["x"], ["y"]], "A2:A2")

    assert error.code == 400
    assert error.error["message"] == (
        "Requested writing within range ['Participants'!A2:A2], but tried writing to row [3]"
    )


def test_a_write_without_value_input_option_is_refused(client: gspread.Client) -> None:
    error = api_error(
        client.http_client.values_update, KEY, "Participants!A2", body={"values": [["x"]]}
    )

    assert error.code == 400
    assert "valueInputOption" in error.error["message"]


# -- set-up: spreadsheets.batchUpdate ------------------------------------------------------------


def test_add_worksheet_replies_with_the_new_sheets_properties(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.add_worksheet("Attendance", rows=200, cols=8)

    assert sheet.title == "Attendance" and sheet.index == 3
    assert sheet.row_count == 200 and sheet.col_count == 8
    assert emulator.tab_names(KEY)[-1] == "Attendance"
    assert emulator.sheet_properties(KEY, "Attendance")["sheetId"] == sheet.id != 0


def test_adding_a_tab_whose_name_is_taken_is_refused(book: gspread.Spreadsheet) -> None:
    error = api_error(book.add_worksheet, "Lists", rows=10, cols=2)

    assert error.code == 400
    assert 'A sheet with the name "Lists" already exists' in error.error["message"]


def test_frozen_rows_are_reported_in_the_metadata(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    book.worksheet("Participants").freeze(rows=1)

    assert emulator.sheet_properties(KEY, "Participants")["frozenRowCount"] == 1
    assert book.worksheet("Participants").frozen_row_count == 1


def test_data_validation_from_a_list_and_from_a_range_is_stored(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")

    sheet.add_validation(
        "B2:B1000", ValidationConditionType.one_of_list, ["Mentor", "Mentee"], strict=True
    )
    sheet.add_validation(
        "C2:C1000", ValidationConditionType.one_of_range, ["='Lists'!A2:A"], showCustomUi=True
    )

    rules = emulator.sheet_properties(KEY, "Participants")["dataValidations"]
    assert [rule["range"] for rule in rules] == [
        {
            "sheetId": 0,
            "startRowIndex": 1,
            "endRowIndex": 1000,
            "startColumnIndex": 1,
            "endColumnIndex": 2,
        },
        {
            "sheetId": 0,
            "startRowIndex": 1,
            "endRowIndex": 1000,
            "startColumnIndex": 2,
            "endColumnIndex": 3,
        },
    ]
    assert rules[0]["rule"]["condition"] == {
        "type": "ONE_OF_LIST",
        "values": [{"userEnteredValue": "Mentor"}, {"userEnteredValue": "Mentee"}],
    }
    assert rules[0]["rule"]["strict"] is True
    assert rules[1]["rule"]["condition"]["values"] == [{"userEnteredValue": "='Lists'!A2:A"}]


def test_a_validation_from_an_unknown_tab_is_refused(book: gspread.Spreadsheet) -> None:
    sheet = book.worksheet("Participants")

    error = api_error(
        sheet.add_validation, "B2:B9", ValidationConditionType.one_of_range, ["='Nope'!A2:A"]
    )

    assert error.code == 400


def test_a_warning_only_protected_range_can_be_added_and_deleted(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")

    reply = sheet.add_protected_range("A1:D1", description="Headers", warning_only=True)
    protected = reply["replies"][0]["addProtectedRange"]["protectedRange"]

    assert protected["warningOnly"] is True and protected["description"] == "Headers"
    assert emulator.sheet_properties(KEY, "Participants")["protectedRanges"] == [protected]
    metadata = book.fetch_sheet_metadata()
    assert metadata["sheets"][0]["protectedRanges"] == [protected]

    sheet.delete_protected_range(protected["protectedRangeId"])

    assert emulator.sheet_properties(KEY, "Participants")["protectedRanges"] == []


def test_a_failing_batch_update_changes_nothing(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    body = {
        "requests": [
            {"addSheet": {"properties": {"title": "Attendance"}}},
            {"deleteProtectedRange": {"protectedRangeId": 42}},
        ]
    }

    error = api_error(book.batch_update, body)

    assert error.code == 400
    assert "Attendance" not in emulator.tab_names(KEY)


def test_inserting_rows_moves_validations_down(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")
    sheet.add_validation("B2:B10", ValidationConditionType.one_of_list, ["Mentor", "Mentee"])

    sheet.insert_rows([["P010", "Mentor"]], row=2)

    rule = emulator.sheet_properties(KEY, "Participants")["dataValidations"][0]
    assert (rule["range"]["startRowIndex"], rule["range"]["endRowIndex"]) == (2, 11)
    assert emulator.rows(KEY, "Participants")[1] == ["P010", "Mentor"]


def test_formatting_requests_are_accepted_and_ignored(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    book.worksheet("Participants").format("A1:D1", {"textFormat": {"bold": True}})

    assert emulator.requests[-1].kind == "spreadsheets.batchUpdate"
    assert emulator.requests[-1].status == 200
    assert emulator.rows(KEY, "Participants") == [
        row[:3] if row[3] == "" else row for row in PARTICIPANTS
    ]


def test_grid_data_carries_values_and_validation(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Lists")
    sheet.add_validation("B2:B3", ValidationConditionType.one_of_list, ["yes", "no"])

    metadata = book.fetch_sheet_metadata({"includeGridData": "true"})

    rows = metadata["sheets"][2]["data"][0]["rowData"]
    assert rows[1]["values"][0]["formattedValue"] == "Mentor"
    assert rows[1]["values"][1]["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert "data" not in book.fetch_sheet_metadata()["sheets"][2]


# -- access ------------------------------------------------------------------------------------


def test_an_unknown_spreadsheet_is_not_found_like_google(client: gspread.Client) -> None:
    with pytest.raises(SpreadsheetNotFound) as caught:
        client.open_by_key("no-such-key")

    cause = caught.value.__cause__
    assert isinstance(cause, APIError) and cause.code == 404
    assert cause.response.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }


def test_a_spreadsheet_not_shared_with_the_app_is_permission_denied(
    book: gspread.Spreadsheet, client: gspread.Client, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")
    emulator.share_only_with(KEY, ["coordinator@example.org"])

    error = api_error(sheet.get_all_values)
    with pytest.raises(PermissionError):
        client.open_by_key(KEY)

    assert error.code == 403
    assert error.error == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }


def test_sharing_with_the_service_account_lets_the_app_in(
    client: gspread.Client, emulator: SheetsEmulator
) -> None:
    emulator.share_only_with(KEY, ["coordinator@example.org", emulator.service_account])

    assert client.open_by_key(KEY).title == "Mentoring"


# -- faults ------------------------------------------------------------------------------------


def test_an_injected_rate_limit_surfaces_with_retry_after(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")
    emulator.fail_next(1, code=429, retry_after=2)

    error = api_error(sheet.get_all_values)

    assert error.code == 429
    assert error.error["status"] == "RESOURCE_EXHAUSTED"
    assert "Quota exceeded for quota metric 'Read requests'" in error.error["message"]
    assert error.response.headers["Retry-After"] == "2"
    assert sheet.get_all_values() == PARTICIPANTS


def test_fail_next_fails_only_that_many_requests(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")
    emulator.fail_next(2)

    outcomes: list[str | int] = []
    for _ in range(3):
        try:
            sheet.acell("A1")
            outcomes.append("ok")
        except APIError as error:
            outcomes.append(error.code)

    assert outcomes == [429, 429, "ok"]


def test_fail_always_fails_until_cleared(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")
    emulator.fail_always(code=503)

    assert api_error(sheet.acell, "A1").code == 503
    assert api_error(sheet.acell, "A1").code == 503
    emulator.clear_faults()
    assert sheet.acell("A1").value == "ID"


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        (500, "INTERNAL", "Internal error encountered."),
        (503, "UNAVAILABLE", "The service is currently unavailable."),
    ],
)
def test_server_errors_have_googles_shape(
    book: gspread.Spreadsheet, emulator: SheetsEmulator, code: int, status: str, message: str
) -> None:
    emulator.fail_next(1, code=code)

    error = api_error(book.worksheet, "Participants")

    assert error.error == {"code": code, "message": message, "status": status}


def test_faults_can_target_one_kind_of_request(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Check-ins")
    emulator.fail_always(code=429, kind="values.append")

    assert sheet.get_all_values() == CHECK_INS
    error = api_error(sheet.append_row, ["2024-03-05"], value_input_option=RAW)
    assert "'Write requests'" in error.error["message"]


def test_latency_slows_every_request(book: gspread.Spreadsheet, emulator: SheetsEmulator) -> None:
    sheet = book.worksheet("Participants")
    emulator.latency = 0.15

    started = time.monotonic()
    sheet.acell("A1")

    assert time.monotonic() - started >= 0.15


def test_the_session_timeout_applies_when_gspread_gives_none(emulator: SheetsEmulator) -> None:
    impatient = make_client(emulator, timeout=0.05)
    emulator.latency = 0.3

    with pytest.raises(requests.exceptions.Timeout):
        impatient.open_by_key(KEY)


# -- the request log ---------------------------------------------------------------------------


def test_the_request_log_counts_requests_by_kind(
    client: gspread.Client, emulator: SheetsEmulator
) -> None:
    sheet = client.open_by_key(KEY).worksheet("Participants")
    sheet.get_all_values()
    sheet.update([["x"]], "E2")

    assert emulator.count("spreadsheets.get") == 2
    assert emulator.count("values.get") == 1
    assert emulator.count("values.update") == 1
    assert emulator.count() == 4

    emulator.reset_log()

    assert emulator.count() == 0


def test_the_request_log_keeps_bodies_ranges_and_statuses(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.reset_log()
    book.worksheet("Participants").update([["x"]], "E2", value_input_option=RAW)
    api_error(book.values_get, "Nope!A1")

    update, failed = emulator.requests[1:]
    assert (update.method, update.kind, update.status) == ("PUT", "values.update", 200)
    assert update.range == "'Participants'!E2"
    assert update.json()["values"] == [["x"]]
    assert update.reply()["updatedCells"] == 1
    assert (failed.kind, failed.status) == ("values.get", 400)


# -- hand edits in the browser ------------------------------------------------------------------


def test_sorting_by_hand_is_visible_on_the_next_read(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.worksheet("Participants")

    emulator.sort_rows(KEY, "Participants", 2, reverse=True)
    by_name_descending = [row[0] for row in sheet.get_all_values()]
    emulator.sort_rows(KEY, "Participants", "D")
    by_age = [row[0] for row in sheet.get_all_values()]

    assert by_name_descending == ["ID", "P003", "P002", "P001"]
    assert by_age == ["ID", "P002", "P001", "P003"]  # 17 before 54, the blank age last


def test_moving_a_column_by_hand_is_visible_on_the_next_read(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.move_column(KEY, "Participants", 3, 0)

    values = book.worksheet("Participants").get_all_values()

    assert values[0] == ["Age", "ID", "Role", "Name"]
    assert values[1] == ["17", "P002", "Mentee", "Bea"]


def test_blank_rows_inserted_by_hand_are_visible_on_the_next_read(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.insert_rows(KEY, "Participants", before_row=3, count=2)

    values = book.worksheet("Participants").get_all_values()

    assert [row[0] for row in values] == ["ID", "P002", "", "", "P001", "P003"]
    assert emulator.sheet_properties(KEY, "Participants")["rowCount"] == 1002


def test_typing_beyond_the_last_column_adds_columns_like_staff_would(
    emulator: SheetsEmulator,
) -> None:
    emulator.set_cell(KEY, "Lists", "AB1", "Remarque")

    assert emulator.sheet_properties(KEY, "Lists")["columnCount"] == 28
    assert emulator.rows(KEY, "Lists")[0][-1] == "Remarque"
    assert emulator.value(KEY, "Lists", "AB1") == "Remarque"
    assert emulator.value(KEY, "Lists", "AC1") is None


def test_rows_deleted_and_cells_typed_by_hand_are_visible_on_the_next_read(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.delete_row(KEY, "Participants", 2)
    emulator.set_header(KEY, "Participants", ["ID", "Rôle", "Nom", "Âge"])
    emulator.set_cell(KEY, "Participants", "D3", "=D2+1")

    values = book.worksheet("Participants").get_all_values()

    assert values == [
        ["ID", "Rôle", "Nom", "Âge"],
        ["P001", "Mentor", "Arne", "54"],
        ["P003", "Mentor", "Chloé", "#NAME?"],
    ]
    assert emulator.formulas(KEY) == [("Participants", "D3", "=D2+1")]


# -- the routed session -------------------------------------------------------------------------


def test_routed_session_only_redirects_the_sheets_host(emulator: SheetsEmulator) -> None:
    session = routed_session(anonymous(), emulator.url, 5)

    reply = session.get(f"https://sheets.googleapis.com/v4/spreadsheets/{KEY}?fields=sheets")

    assert reply.status_code == 200 and reply.json()["spreadsheetId"] == KEY
    assert reply.url.startswith(emulator.url)
    default_adapter = session.get_adapter("https://www.googleapis.com/drive/v3/files")
    assert default_adapter is not session.get_adapter("https://sheets.googleapis.com/v4/x")


def test_routed_session_without_api_base_is_a_plain_authorized_session() -> None:
    session = routed_session(anonymous(), None, 7)

    assert isinstance(session, AuthorizedSession)
    assert session.get_adapter("https://sheets.googleapis.com/") is session.get_adapter(
        "https://example.org/"
    )


# -- properties --------------------------------------------------------------------------------

printable_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


def test_any_raw_text_comes_back_unchanged_and_never_as_a_formula() -> None:
    with SheetsEmulator() as emulator:
        emulator.create_spreadsheet(KEY, tabs={"Notes": [["Note"]]})
        sheet = make_client(emulator).open_by_key(KEY).sheet1

        @settings(max_examples=60, deadline=None)
        @given(texts=st.lists(printable_text, min_size=1, max_size=3))
        def raw_round_trip(texts: list[str]) -> None:
            sheet.update([texts], "A2", value_input_option=RAW)
            assert sheet.get("A2:C2", value_render_option=FORMULA) == [texts]
            assert emulator.formulas(KEY) == []
            sheet.batch_clear(["A2:C2"])

        raw_round_trip()


def test_concurrent_appends_all_land(emulator: SheetsEmulator) -> None:
    def append_five(worker: int) -> None:
        sheet = make_client(emulator).open_by_key(KEY).worksheet("Check-ins")
        for number in range(5):
            sheet.append_row([f"w{worker}-{number}"], value_input_option=RAW)

    workers = [threading.Thread(target=append_five, args=(worker,)) for worker in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    written = [row[0] for row in emulator.rows(KEY, "Check-ins")[1:]]
    assert sorted(written) == sorted(f"w{w}-{n}" for w in range(6) for n in range(5))


# -- cell requests, answers lost after apply, staff at the worst moment ------------------------


def _sheet_id(book: gspread.Spreadsheet, title: str) -> int:
    return int(book.worksheet(title).id)


def test_update_cells_writes_typed_values_and_text_stays_text(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet_id = _sheet_id(book, "Participants")
    values = [
        {"userEnteredValue": {"stringValue": "=1+1"}},
        {"userEnteredValue": {"numberValue": 42}},
        {},
    ]
    request = {
        "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 1},
        "rows": [{"values": values}],
        "fields": "userEnteredValue",
    }
    book.batch_update({"requests": [{"updateCells": request}]})
    assert emulator.rows(KEY, "Participants")[1] == ["P002", "=1+1", "42"]
    assert emulator.value(KEY, "Participants", "C2") == 42
    assert emulator.formulas(KEY) == []


def test_update_cells_over_a_range_empties_what_the_rows_do_not_cover(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    grid_range = {
        "sheetId": _sheet_id(book, "Participants"),
        "startRowIndex": 1,
        "endRowIndex": 3,
        "startColumnIndex": 2,
        "endColumnIndex": 4,
    }
    rows = [{"values": [{"userEnteredValue": {"stringValue": "X"}}]}]
    request = {"range": grid_range, "rows": rows, "fields": "*"}
    book.batch_update({"requests": [{"updateCells": request}]})
    assert emulator.rows(KEY, "Participants")[1:3] == [["P002", "Mentee", "X"], ["P001", "Mentor"]]


def test_update_cells_beyond_the_grid_is_refused_and_changes_nothing(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    before = emulator.rows(KEY, "Participants")
    request = {
        "start": {"sheetId": _sheet_id(book, "Participants"), "rowIndex": 0, "columnIndex": 26},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "far"}}]}],
        "fields": "userEnteredValue",
    }
    first = {
        "start": {"sheetId": _sheet_id(book, "Participants"), "rowIndex": 1, "columnIndex": 0},
        "rows": [{"values": [{"userEnteredValue": {"stringValue": "changed"}}]}],
        "fields": "userEnteredValue",
    }
    error = api_error(
        book.batch_update, {"requests": [{"updateCells": first}, {"updateCells": request}]}
    )
    assert error.code == 400
    assert emulator.rows(KEY, "Participants") == before


def test_append_cells_goes_after_the_last_row_with_data_leaving_blank_rows_alone(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.insert_rows(KEY, "Participants", 3)  # a blank row staff left in the middle
    rows = [{"values": [{"userEnteredValue": {"stringValue": "P004"}}]}]
    request = {"sheetId": _sheet_id(book, "Participants"), "rows": rows, "fields": "*"}
    book.batch_update({"requests": [{"appendCells": request}]})
    shown = emulator.rows(KEY, "Participants")
    assert shown[2] == []
    assert shown[-1] == ["P004"]
    assert len(shown) == 6


def test_append_cells_grows_the_grid_when_the_sheet_is_full(
    emulator: SheetsEmulator, book: gspread.Spreadsheet
) -> None:
    sheet_id = emulator.add_tab(KEY, "Full", [["A"], ["1"]], row_count=2, column_count=2)
    rows = [{"values": [{"userEnteredValue": {"numberValue": 2}}]}]
    book.batch_update(
        {"requests": [{"appendCells": {"sheetId": sheet_id, "rows": rows, "fields": "*"}}]}
    )
    assert emulator.rows(KEY, "Full") == [["A"], ["1"], ["2"]]
    assert emulator.sheet_properties(KEY, "Full")["rowCount"] == 3


def test_an_answer_lost_after_apply_still_changed_the_sheet(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    emulator.fail_next(1, code=503, kind="values.update", after_apply=True)
    error = api_error(book.sheet1.update, [["changed"]], "C2")
    assert error.code == 503
    assert emulator.cell(KEY, "Participants", "C2") == "changed"


def test_a_dropped_connection_gives_no_answer_at_all(emulator: SheetsEmulator) -> None:
    emulator.fail_next(1, kind="values.update", after_apply=True, drop=True)
    client = make_client(emulator)
    with pytest.raises(requests.ConnectionError):
        client.open_by_key(KEY).sheet1.update([["gone"]], "C2")
    assert emulator.cell(KEY, "Participants", "C2") == "gone"


def test_an_html_error_page_is_not_json(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    sheet = book.sheet1
    emulator.fail_next(1, code=502, html=True)
    error = api_error(sheet.get_all_values)
    assert error.response.status_code == 502
    assert error.response.headers["Content-Type"].startswith("text/html")
    assert error.code == -1  # gspread could not read Google's JSON error


def test_before_next_runs_a_staff_edit_just_before_that_request(
    book: gspread.Spreadsheet, emulator: SheetsEmulator
) -> None:
    seen: list[list[list[str]]] = []
    emulator.before_next("values.update", lambda: seen.append(emulator.rows(KEY, "Participants")))
    emulator.before_next("values.update", lambda: emulator.sort_rows(KEY, "Participants", 0))
    book.sheet1.get_all_values()
    assert seen == []
    book.sheet1.update([["x"]], "D5")
    book.sheet1.update([["y"]], "D6")
    assert len(seen) == 1
    assert [row[0] for row in emulator.rows(KEY, "Participants")[1:4]] == ["P001", "P002", "P003"]


def test_insert_columns_moves_values_right(emulator: SheetsEmulator) -> None:
    emulator.insert_columns(KEY, "Participants", 1)
    assert emulator.rows(KEY, "Participants")[0] == ["ID", "", "Role", "Name", "Age"]
