"""An in-memory emulator of the Google Sheets API v4, served over real HTTP, for tests.

Production code reaches it exactly as it reaches Google: real gspread, real requests, real JSON.
Only the host differs, through `sheets.google_transport.routed_session(credentials, emu.url, t)`.

    with SheetsEmulator() as emu:
        emu.create_spreadsheet("KEY", tabs={"Participants": [["ID", "Role"], ["P001", "Mentor"]]})
        session = routed_session(AnonymousCredentials(), emu.url, 10)
        client = gspread.Client(AnonymousCredentials(), session=session)
        assert client.open_by_key("KEY").sheet1.get_all_values() == emu.rows("KEY", "Participants")

Tests also use it as the staff's browser (`set_cell`, `sort_rows`, `insert_rows`, ...), as a
misbehaving network (`fail_next`, `fail_always`, `latency`; `after_apply=True` loses the answer
of a request it carried out, `html=True` answers with a proxy's HTML page, `drop=True` resets
the connection), as staff editing at the worst moment (`before_next(kind, action)`) and as a
witness (`requests`, `formulas`, `sheet_properties`).

Where it approximates Google (everything else follows the v4 reference as gspread uses it):
- A formula is never evaluated: it displays "#NAME?" (what Google shows for an unknown function).
- USER_ENTERED understands formulas ("=..."), a leading apostrophe, TRUE/FALSE, plain numbers
  (decimal comma in fr/nl/de/es/it/pt locales) and dates "2024-03-05", "2024-03-05 14:30" and
  "5/3/2024" (day first outside en_US). Percentages, currencies and thousands separators stay text.
- Numbers display in a fixed "automatic" format; dates display as they were typed; booleans
  display TRUE/FALSE whatever the locale.
- updateCells and appendCells write values only (formats in their CellData are ignored);
  appendCells goes below the last row holding data in the whole sheet.
- values.append: a range holding no data gets the values at its first cell; otherwise they go
  below the last row holding data in the range's columns (a single cell searches below and to
  the right of it), rather than after Google's heuristic "table". The block starts in the
  range's first column.
- Data validation and protection are stored and reported but never enforced; a new validation
  replaces only the validations its range fully covers.
- Inserting or deleting rows and columns moves validations, protections and the basic filter;
  the hand edits `sort_rows` and `move_column` move values only.
- Sheet titles in ranges match exactly (case included); named ranges are not supported; the
  `fields` parameter is ignored (replies hold every field); formatting requests are accepted and
  ignored; other batchUpdate requests it does not know are refused with a 400 naming them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeAlias
from urllib.parse import parse_qs, unquote, urlsplit

JSONObject: TypeAlias = dict[str, Any]
CellValue: TypeAlias = str | int | float | bool
SeedValue: TypeAlias = CellValue | dt.date | None
"""What tests put in a cell: text typed by staff, a number, a boolean, a date, or nothing."""
Query: TypeAlias = dict[str, list[str]]

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
MAX_CELL_CHARACTERS = 50_000
FORMULA_DISPLAY = "#NAME?"
SERVICE_ACCOUNT = "app@sheets-emulator.iam.gserviceaccount.com"
_SERIAL_EPOCH = dt.datetime(1899, 12, 30)
_DECIMAL_COMMA_LANGUAGES = frozenset({"fr", "nl", "de", "es", "it", "pt"})

_STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_MESSAGE_BY_CODE = {
    401: "Request had invalid authentication credentials.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    408: "The request timed out.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    504: "Deadline exceeded.",
}

# ----------------------------------------------------------------------------------------------
# Errors


class SheetsApiError(Exception):
    """An error the emulated API answers with, in Google's JSON error shape."""

    def __init__(
        self,
        code: int,
        message: str,
        status: str | None = None,
        headers: Mapping[str, str] | None = None,
        details: list[JSONObject] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS_BY_CODE.get(code, "UNKNOWN")
        self.headers = dict(headers or {})
        self.details = details or []

    def body(self) -> JSONObject:
        error: JSONObject = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def _invalid(message: str) -> SheetsApiError:
    return SheetsApiError(400, message)


def _not_found() -> SheetsApiError:
    return SheetsApiError(404, _MESSAGE_BY_CODE[404])


# ----------------------------------------------------------------------------------------------
# A1 notation


def column_letters(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _a1(top: int, left: int, bottom: int, right: int) -> str:
    """The A1 text of a block given 0-based, end-exclusive bounds ("A1" for a single cell)."""
    start = f"{column_letters(left)}{top + 1}"
    if bottom - top == 1 and right - left == 1:
        return start
    return f"{start}:{column_letters(right - 1)}{bottom}"


def _quoted_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _title_in_range(title: str) -> str:
    """A sheet title as Google writes it in the ranges of its replies: quoted only when needed."""
    looks_like_cell = re.fullmatch(r"[A-Za-z]{1,3}\d+", title) is not None
    if re.fullmatch(r"[^\W\d]\w*", title) and not looks_like_cell:
        return title
    return _quoted_title(title)


_ENDPOINT = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d*)")


@dataclass(frozen=True)
class _Corner:
    column: int | None
    row: int | None


def _parse_corner(text: str) -> _Corner | None:
    match = _ENDPOINT.fullmatch(text)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    letters, digits = match.groups()
    if digits and int(digits) == 0:
        return None
    return _Corner(_column_index(letters) if letters else None, int(digits) - 1 if digits else None)


def _split_sheet_name(text: str) -> tuple[str | None, str | None]:
    """Split "'It''s'!A1" into ("It's", "A1"); (None, text) when no sheet is named.

    Raises ValueError when a quoted name is malformed.
    """
    if not text.startswith("'"):
        if "!" in text:
            name, _, cells = text.partition("!")
            return name, cells
        return None, text
    characters: list[str] = []
    position = 1
    while position < len(text):
        character = text[position]
        if character == "'" and text[position + 1 : position + 2] == "'":
            characters.append("'")
            position += 2
            continue
        if character == "'":
            rest = text[position + 1 :]
            if rest == "":
                return "".join(characters), ""
            if rest.startswith("!"):
                return "".join(characters), rest[1:]
            raise ValueError(text)
        characters.append(character)
        position += 1
    raise ValueError(text)


# ----------------------------------------------------------------------------------------------
# Cell values


@dataclass
class _Cell:
    """A non-empty cell: its effective value, its formula if any, and how a date was typed."""

    value: CellValue
    formula: str | None = None
    date_text: str | None = None


def _uses_decimal_comma(locale: str) -> bool:
    return locale.split("_")[0].lower() in _DECIMAL_COMMA_LANGUAGES


def _format_number(value: int | float, locale: str) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, int):
        text = str(value)
    else:
        text = f"{value:.10g}".upper()
    return text.replace(".", ",") if _uses_decimal_comma(locale) else text


def _display(cell: _Cell | None, locale: str) -> str:
    """The FORMATTED_VALUE of a cell: what the browser shows."""
    if cell is None:
        return ""
    if cell.formula is not None:
        return FORMULA_DISPLAY
    if cell.date_text is not None:
        return cell.date_text
    if isinstance(cell.value, bool):
        return "TRUE" if cell.value else "FALSE"
    if isinstance(cell.value, int | float):
        return _format_number(cell.value, locale)
    return cell.value


def _render(cell: _Cell | None, value_render: str, date_render: str, locale: str) -> Any:
    """One cell as values.get returns it for these render options."""
    if cell is None:
        return ""
    if value_render == "FORMULA" and cell.formula is not None:
        return cell.formula
    if value_render == "FORMATTED_VALUE":
        return _display(cell, locale)
    if cell.date_text is not None and date_render == "FORMATTED_STRING":
        return cell.date_text
    return cell.value


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _parse_number(text: str, locale: str) -> int | float | None:
    candidate = text.strip()
    if _uses_decimal_comma(locale):
        if "." in candidate:
            return None
        candidate = candidate.replace(",", ".")
    if not _NUMBER.fullmatch(candidate):
        return None
    if re.fullmatch(r"[+-]?\d+", candidate):
        return int(candidate)
    return float(candidate)


def _serial(moment: dt.datetime) -> int | float:
    """Google's date serial number: days since 1899-12-30, the time as a fraction."""
    delta = moment - _SERIAL_EPOCH
    if delta.seconds == 0 and delta.microseconds == 0:
        return delta.days
    return delta.total_seconds() / 86400


def _parse_date(text: str, locale: str) -> dt.datetime | None:
    candidate = text.strip()
    iso = _ISO_DATE.fullmatch(candidate)
    slash = _SLASH_DATE.fullmatch(candidate)
    try:
        if iso is not None:
            year, month, day, hour, minute, second = (int(part or 0) for part in iso.groups())
            return dt.datetime(year, month, day, hour, minute, second)
        if slash is not None:
            first, second_part, year = (int(part) for part in slash.groups())
            month_first = locale == "en_US"
            month, day = (first, second_part) if month_first else (second_part, first)
            return dt.datetime(year, month, day)
    except ValueError:
        return None
    return None


def _user_entered(text: str, locale: str) -> _Cell | None:
    """A string as Google parses it when a person types it into a cell."""
    if text.startswith("'"):
        return _Cell(text[1:]) if len(text) > 1 else None
    if text.startswith("=") and len(text) > 1:
        return _Cell(FORMULA_DISPLAY, formula=text)
    if text.strip().upper() in ("TRUE", "FALSE"):
        return _Cell(text.strip().upper() == "TRUE")
    number = _parse_number(text, locale)
    if number is not None:
        return _Cell(number)
    moment = _parse_date(text, locale)
    if moment is not None:
        return _Cell(_serial(moment), date_text=text.strip())
    return _Cell(text)


def _input_cell(value: Any, option: str, locale: str, where: str) -> _Cell | None:
    """The cell a JSON value becomes under a valueInputOption (None: the cell is emptied)."""
    if isinstance(value, bool | int | float):
        return _Cell(value)
    if not isinstance(value, str):
        kind = "list_value" if isinstance(value, list) else "struct_value"
        raise _invalid(f"Invalid {where}: {kind}")
    if len(value) > MAX_CELL_CHARACTERS:
        raise _invalid(
            f"Your input contains more than the maximum of {MAX_CELL_CHARACTERS} characters "
            "in a single cell."
        )
    if value == "":
        return None
    if option == "RAW":
        return _Cell(value)
    return _user_entered(value, locale)


def _seed_cell(value: SeedValue, raw: bool, locale: str) -> _Cell | None:
    """A value a test puts in a cell: typed by staff (USER_ENTERED) unless `raw`."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _Cell(_serial(value), date_text=value.isoformat(sep=" ", timespec="minutes"))
    if isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
        return _Cell(_serial(moment), date_text=value.isoformat())
    return _input_cell(value, "RAW" if raw else "USER_ENTERED", locale, "value")


def _is_empty(value: Any) -> bool:
    return value == "" or value is None


def _trimmed_row(row: list[Any], empty: Callable[[Any], bool] = _is_empty) -> list[Any]:
    end = len(row)
    while end and empty(row[end - 1]):
        end -= 1
    return row[:end]


def _trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells of each row, then trailing empty rows, as Google does."""
    result = [_trimmed_row(row) for row in rows]
    while result and not result[-1]:
        result.pop()
    return result


# ----------------------------------------------------------------------------------------------
# The model


def _moved_index(index: int, at: int, delta: int, is_end: bool) -> int:
    """Where a GridRange bound lands after `delta` rows/columns are inserted (> 0) or deleted."""
    if delta > 0:
        shifts = index > at if is_end else index >= at
        return index + delta if shifts else index
    removed_end = at - delta
    if index <= at:
        return index
    if index <= removed_end:
        return at
    return index + delta


def _move_grid_range(grid_range: JSONObject, dimension: str, at: int, delta: int) -> bool:
    """Move one GridRange in place for an insertion/deletion; False when it was deleted whole."""
    axis = "Row" if dimension == "ROWS" else "Column"
    start_key, end_key = f"start{axis}Index", f"end{axis}Index"
    if start_key in grid_range:
        grid_range[start_key] = _moved_index(grid_range[start_key], at, delta, is_end=False)
    if end_key in grid_range:
        grid_range[end_key] = _moved_index(grid_range[end_key], at, delta, is_end=True)
    return bool(grid_range.get(start_key, 0) < grid_range.get(end_key, sys.maxsize))


@dataclass
class _Sheet:
    """One tab. `grid` only holds rows up to the last one ever written; the rest are blank."""

    sheet_id: int
    title: str
    index: int
    row_count: int
    column_count: int
    frozen_rows: int = 0
    frozen_columns: int = 0
    hidden: bool = False
    grid: list[list[_Cell | None]] = field(default_factory=list)
    validations: list[JSONObject] = field(default_factory=list)
    protected_ranges: list[JSONObject] = field(default_factory=list)
    basic_filter: JSONObject | None = None

    def get(self, row: int, column: int) -> _Cell | None:
        if row < len(self.grid) and column < len(self.grid[row]):
            return self.grid[row][column]
        return None

    def put(self, row: int, column: int, cell: _Cell | None) -> None:
        while len(self.grid) <= row:
            self.grid.append([])
        line = self.grid[row]
        while len(line) <= column:
            line.append(None)
        line[column] = cell

    def block(self, top: int, left: int, bottom: int, right: int) -> list[list[_Cell | None]]:
        return [
            [self.get(row, column) for column in range(left, right)] for row in range(top, bottom)
        ]

    def last_row_with_data(self) -> int:
        """1 + the index of the last row holding a value; 0 when the sheet is blank."""
        rows = self.rows_with_data(0, None, 0, None)
        return rows[-1] + 1 if rows else 0

    def rows_with_data(
        self, top: int, bottom: int | None, left: int, right: int | None
    ) -> list[int]:
        """Indexes of the rows between `top` and `bottom` holding a value between the columns."""
        end = len(self.grid) if bottom is None else min(bottom, len(self.grid))
        return [
            row
            for row in range(top, end)
            if any(cell is not None for cell in self.grid[row][left:right])
        ]

    def move_ranges(self, dimension: str, at: int, delta: int) -> None:
        self.validations = [
            kept
            for kept in self.validations
            if _move_grid_range(kept["range"], dimension, at, delta)
        ]
        self.protected_ranges = [
            kept
            for kept in self.protected_ranges
            if _move_grid_range(kept["range"], dimension, at, delta)
        ]
        if self.basic_filter is not None and not _move_grid_range(
            self.basic_filter["range"], dimension, at, delta
        ):
            self.basic_filter = None

    def insert(self, dimension: str, at: int, count: int) -> None:
        if dimension == "ROWS":
            self.grid[at:at] = [[] for _ in range(count)] if at < len(self.grid) else []
            self.row_count += count
        else:
            for line in self.grid:
                if at < len(line):
                    line[at:at] = [None] * count
            self.column_count += count
        self.move_ranges(dimension, at, count)

    def delete(self, dimension: str, start: int, end: int) -> None:
        if dimension == "ROWS":
            del self.grid[start:end]
            self.row_count -= end - start
        else:
            for line in self.grid:
                del line[start:end]
            self.column_count -= end - start
        self.move_ranges(dimension, start, start - end)

    def resize(self, rows: int, columns: int) -> None:
        self.row_count, self.column_count = rows, columns
        del self.grid[rows:]
        for line in self.grid:
            del line[columns:]

    def properties(self) -> JSONObject:
        grid: JSONObject = {"rowCount": self.row_count, "columnCount": self.column_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_columns:
            grid["frozenColumnCount"] = self.frozen_columns
        properties: JSONObject = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            properties["hidden"] = True
        return properties


@dataclass
class _Book:
    """One spreadsheet."""

    key: str
    title: str
    locale: str
    time_zone: str
    sheets: list[_Sheet] = field(default_factory=list)
    """In index order (`place` keeps it so)."""
    shared_with: frozenset[str] | None = None
    """Who may open it; None: everyone, the app's service account included."""
    next_protected_range_id: int = 1_758_000_001

    def sheet(self, title: str) -> _Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.title == title), None)

    def sheet_by_id(self, sheet_id: Any) -> _Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.sheet_id == sheet_id), None)

    def new_sheet_id(self, title: str) -> int:
        """0 for the first sheet, like Google; then stable, random-looking ids."""
        if not self.sheets:
            return 0
        candidate = zlib.crc32(f"{self.key}/{title}".encode()) & 0x7FFFFFFF
        while self.sheet_by_id(candidate) is not None:
            candidate += 1
        return candidate

    def place(self, sheet: _Sheet, index: int | None) -> None:
        """Put `sheet` at `index` (the end when None) and renumber the others."""
        position = len(self.sheets) if index is None else max(0, min(index, len(self.sheets)))
        self.sheets.insert(position, sheet)
        for number, each in enumerate(self.sheets):
            each.index = number


@dataclass(frozen=True)
class _Area:
    """A parsed A1 range: 0-based bounds, end exclusive; None runs to the grid's edge.

    A single cell ("A2") reads as that cell but, like Google, writes and appends from it as
    the top-left corner of a block of any size: `writable()` gives that wider area.
    """

    sheet: _Sheet
    text: str
    top: int
    left: int
    bottom: int | None
    right: int | None
    single_cell: bool = False

    def writable(self) -> _Area:
        if not self.single_cell:
            return self
        return _Area(self.sheet, self.text, self.top, self.left, None, None)

    def clipped(self) -> tuple[int, int, int, int]:
        """The bounds cut to the grid; an area starting outside the grid is a 400 like Google's."""
        sheet = self.sheet
        if self.top >= sheet.row_count or self.left >= sheet.column_count:
            raise self.beyond_grid()
        bottom = sheet.row_count if self.bottom is None else min(self.bottom, sheet.row_count)
        right = sheet.column_count if self.right is None else min(self.right, sheet.column_count)
        return self.top, self.left, bottom, right

    def beyond_grid(self) -> SheetsApiError:
        cells = self.text.rpartition("!")[2] if "!" in self.text else self.text
        return _invalid(
            f"Range ({_quoted_title(self.sheet.title)}!{cells}) exceeds grid limits. "
            f"Max rows: {self.sheet.row_count}, max columns: {self.sheet.column_count}"
        )

    def name(self, top: int, left: int, bottom: int, right: int) -> str:
        return f"{_title_in_range(self.sheet.title)}!{_a1(top, left, bottom, right)}"


def _parse_range(book: _Book, text: str) -> _Area:
    """Resolve A1 text ("'Check-ins'!A1:Z", "Participants", "A:A") against a spreadsheet."""
    unparsable = _invalid(f"Unable to parse range: {text}")
    try:
        name, cells = _split_sheet_name(text)
    except ValueError:
        raise unparsable from None
    if name is None:
        whole = book.sheet(text)
        if whole is not None:
            return _Area(whole, text, 0, 0, None, None)
        sheet = book.sheets[0]
    else:
        found = book.sheet(name)
        if found is None:
            raise unparsable
        sheet = found
    if not cells:
        if name is None:
            raise unparsable
        return _Area(sheet, text, 0, 0, None, None)
    area = _parse_cells(sheet, text, cells)
    if area is None:
        raise unparsable
    return area


def _parse_cells(sheet: _Sheet, text: str, cells: str) -> _Area | None:
    first_text, colon, last_text = cells.partition(":")
    first = _parse_corner(first_text)
    if first is None:
        return None
    if not colon:
        if first.row is None or first.column is None:
            return None
        return _Area(sheet, text, first.row, first.column, first.row + 1, first.column + 1, True)
    last = _parse_corner(last_text)
    if last is None:
        return None
    top, bottom = first.row or 0, None if last.row is None else last.row + 1
    left, right = first.column or 0, None if last.column is None else last.column + 1
    if bottom is not None and bottom <= top:
        top, bottom = bottom - 1, top + 1
    if right is not None and right <= left:
        left, right = right - 1, left + 1
    return _Area(sheet, text, top, left, bottom, right)


# ----------------------------------------------------------------------------------------------
# Faults and the request log


@dataclass
class _Fault:
    code: int
    status: str | None
    retry_after: float | None
    message: str | None
    kind: str | None
    remaining: int | None
    """How many more requests fail; None: all of them until `clear_faults`."""
    after_apply: bool = False
    """The request is applied first, then its answer is lost (this error, or no answer)."""
    html: bool = False
    """Answer with a proxy's HTML error page instead of Google's JSON."""
    drop: bool = False
    """Close the connection without any answer (a reset)."""

    def error(self, kind: str) -> SheetsApiError:
        """The error in Google's shape; a 429 names the read or write quota like Google does."""
        headers = {}
        if self.retry_after is not None:
            headers["Retry-After"] = f"{self.retry_after:g}"
        if self.code != 429:
            message = self.message or _MESSAGE_BY_CODE.get(self.code, "Emulated failure.")
            return SheetsApiError(self.code, message, self.status, headers)
        quota = "Write" if kind in WRITE_KINDS else "Read"
        message = self.message or (
            f"Quota exceeded for quota metric '{quota} requests' and limit '{quota} requests per "
            "minute per user' of service 'sheets.googleapis.com' for consumer "
            "'project_number:000000000000'."
        )
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "service": "sheets.googleapis.com",
                    "quota_metric": f"sheets.googleapis.com/{quota.lower()}_requests",
                    "quota_limit": f"{quota}RequestsPerMinutePerUser",
                },
            }
        ]
        return SheetsApiError(429, message, self.status, headers, details)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the emulator answered (faults and errors included)."""

    method: str
    path: str
    query: Query
    kind: str
    status: int
    request_body: bytes
    response_body: bytes
    spreadsheet_id: str | None = None
    range: str | None = None

    def json(self) -> Any:
        """The request body, decoded (None when there was none)."""
        return json.loads(self.request_body) if self.request_body else None

    def reply(self) -> Any:
        return json.loads(self.response_body) if self.response_body else None


@dataclass(frozen=True)
class _Route:
    kind: str
    key: str | None = None
    range: str | None = None


_BOOK_ENDPOINTS = {
    ("GET", ""): "spreadsheets.get",
    ("POST", ":batchUpdate"): "spreadsheets.batchUpdate",
}
_VALUES_ENDPOINTS = {
    ("GET", "values:batchGet"): "values.batchGet",
    ("POST", "values:batchUpdate"): "values.batchUpdate",
    ("POST", "values:batchClear"): "values.batchClear",
}
_RANGE_ENDPOINTS = {
    ("GET", ""): "values.get",
    ("PUT", ""): "values.update",
    ("POST", ":append"): "values.append",
    ("POST", ":clear"): "values.clear",
}
WRITE_KINDS = frozenset(
    {
        "spreadsheets.batchUpdate",
        "values.update",
        "values.batchUpdate",
        "values.append",
        "values.clear",
        "values.batchClear",
    }
)


def _route(method: str, path: str) -> _Route:
    """Which v4 method a request calls, from its (still percent-encoded) path."""
    prefix = "/v4/spreadsheets/"
    if not path.startswith(prefix):
        return _Route("unknown")
    parts = path[len(prefix) :].split("/")
    key, colon, verb = parts[0].partition(":")
    key = unquote(key)
    if len(parts) == 1:
        kind = _BOOK_ENDPOINTS.get((method, colon + verb))
        return _Route(kind or "unknown", key)
    if len(parts) == 2:
        return _Route(_VALUES_ENDPOINTS.get((method, parts[1]), "unknown"), key)
    if len(parts) == 3 and parts[1] == "values" and not colon:
        segment, suffix = parts[2], ""
        for custom in (":append", ":clear"):
            if method == "POST" and segment.endswith(custom):
                segment, suffix = segment[: -len(custom)], custom
        kind = _RANGE_ENDPOINTS.get((method, suffix))
        return _Route(kind or "unknown", key, unquote(segment))
    return _Route("unknown", key)


# ----------------------------------------------------------------------------------------------
# Query parameters and bodies


def _param(query: Query, name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[-1] if values else default


def _choice(query: Query, name: str, allowed: Sequence[str], default: str) -> str:
    """An enum query parameter, rejected like Google when it is not one of `allowed`."""
    value = _param(query, name) or default
    if value not in allowed:
        raise _invalid(f"Invalid value at '{_snake(name)}', \"{value}\"")
    return value


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _flag(query: Query, name: str) -> bool:
    return (_param(query, name) or "false").lower() == "true"


_VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
_DATE_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
_DIMENSIONS = ("ROWS", "COLUMNS")
_INPUT_OPTIONS = ("RAW", "USER_ENTERED")


@dataclass(frozen=True)
class _ReadOptions:
    value_render: str
    date_render: str
    major_dimension: str

    @classmethod
    def from_query(cls, query: Query, prefix: str = "") -> _ReadOptions:
        def named(name: str) -> str:
            return prefix + name[0].upper() + name[1:] if prefix else name

        return cls(
            _choice(query, named("valueRenderOption"), _VALUE_RENDER, "FORMATTED_VALUE"),
            _choice(query, named("dateTimeRenderOption"), _DATE_RENDER, "SERIAL_NUMBER"),
            _choice(query, "majorDimension", _DIMENSIONS, "ROWS") if not prefix else "ROWS",
        )


def _input_option(value: Any) -> str:
    if value in (None, ""):
        raise _invalid("'valueInputOption' is required but not specified")
    if value not in _INPUT_OPTIONS:
        raise _invalid(f"Invalid value at 'value_input_option', \"{value}\"")
    return str(value)


def _values_of(body: Mapping[str, Any], where: str) -> list[list[Any]]:
    """The `values` of a ValueRange, as rows (transposing COLUMNS)."""
    values = body.get("values") or []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        raise _invalid(f"Invalid {where}.values: expected a list of lists")
    dimension = body.get("majorDimension") or "ROWS"
    if dimension not in _DIMENSIONS:
        raise _invalid(f"Invalid value at '{where}.major_dimension', \"{dimension}\"")
    if dimension == "COLUMNS":
        height = max((len(column) for column in values), default=0)
        return [
            [column[i] if i < len(column) else None for column in values] for i in range(height)
        ]
    return values


def _body_object(body: bytes) -> JSONObject:
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        raise _invalid("Invalid JSON payload received.") from None
    if not isinstance(parsed, dict):
        raise _invalid("Invalid JSON payload received. Expected an object.")
    return parsed


def _without_nulls(value: Any) -> Any:
    """A JSON value without its null members: Google never echoes them back."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


# ----------------------------------------------------------------------------------------------
# HTTP plumbing


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    headers: Mapping[str, str]
    content_type: str = "application/json; charset=UTF-8"
    drop: bool = False
    """No answer at all: the connection is closed (what a client sees on a reset)."""


HTML_ERROR_PAGE = (
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1"
    "</title><p><b>502.</b> <ins>That's an error.</ins><p>The server encountered a temporary "
    "error and could not complete your request.<p>Please try again in 30 seconds.</html>"
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, emulator: SheetsEmulator) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.emulator = emulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hung up (a test's time-out); report anything else."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.emulator.handle(self.command, self.path, body)
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean: the request log is `SheetsEmulator.requests`."""


# ----------------------------------------------------------------------------------------------
# The emulator


class SheetsEmulator:
    """The Sheets API v4 in memory, at `url`, plus the Python API tests drive it with.

    Rows in the Python API are sheet row numbers (1 = header), as staff see them; columns are
    0-based indexes (or letters where a parameter says so). One lock guards all state.
    """

    def __init__(self, service_account: str = SERVICE_ACCOUNT) -> None:
        self.service_account = service_account
        self.latency = 0.0
        """Seconds each request waits before it is answered."""
        self._lock = threading.RLock()
        self._books: dict[str, _Book] = {}
        self._faults: list[_Fault] = []
        self._hooks: list[tuple[str | None, Callable[[], None]]] = []
        self._log: list[RecordedRequest] = []
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # how long close() may wait for the loop to notice
            name="sheets-emulator",
            daemon=True,
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> SheetsEmulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- spreadsheets as tests set them up ------------------------------------------------------

    def create_spreadsheet(
        self,
        key: str,
        title: str = "Mentoring workbook",
        tabs: Mapping[str, Sequence[Sequence[SeedValue]]] | None = None,
        *,
        locale: str = "en_US",
        time_zone: str = "Europe/Brussels",
        raw: bool = False,
    ) -> None:
        """A spreadsheet with these tabs (one empty "Sheet1" when none), values typed by staff.

        Strings are parsed as typed in the browser (USER_ENTERED) unless `raw`.
        """
        with self._lock:
            if key in self._books:
                raise ValueError(f"spreadsheet {key!r} exists already")
            self._books[key] = _Book(key, title, locale, time_zone)
            for name, rows in (tabs or {"Sheet1": []}).items():
                self._seed_sheet(self._books[key], name, rows, raw=raw)

    def add_tab(
        self,
        key: str,
        name: str,
        rows: Sequence[Sequence[SeedValue]] = (),
        *,
        row_count: int = DEFAULT_ROWS,
        column_count: int = DEFAULT_COLUMNS,
        raw: bool = False,
    ) -> int:
        """Add a tab at the end, as staff would; returns its sheetId."""
        with self._lock:
            book = self._book(key)
            if book.sheet(name) is not None:
                raise ValueError(f"tab {name!r} exists already")
            sheet = self._seed_sheet(book, name, rows, row_count, column_count, raw=raw)
            return sheet.sheet_id

    def _seed_sheet(
        self,
        book: _Book,
        name: str,
        rows: Sequence[Sequence[SeedValue]],
        row_count: int = DEFAULT_ROWS,
        column_count: int = DEFAULT_COLUMNS,
        *,
        raw: bool,
    ) -> _Sheet:
        width = max((len(row) for row in rows), default=0)
        sheet = _Sheet(
            book.new_sheet_id(name),
            name,
            len(book.sheets),
            max(row_count, len(rows)),
            max(column_count, width),
        )
        for row_index, row in enumerate(rows):
            for column_index, value in enumerate(row):
                cell = _seed_cell(value, raw, book.locale)
                if cell is not None:
                    sheet.put(row_index, column_index, cell)
        book.place(sheet, None)
        return sheet

    def share_only_with(self, key: str, emails: Iterable[str] | None) -> None:
        """Share the spreadsheet with these accounts only; None shares it with everyone again.

        Requests are made as `service_account`: when it is not among `emails`, every request on
        this spreadsheet is answered 403 PERMISSION_DENIED, as for a sheet not shared with the app.
        """
        with self._lock:
            self._book(key).shared_with = None if emails is None else frozenset(emails)

    # -- what staff see, and what they do in the browser ------------------------------------------

    def tab_names(self, key: str) -> list[str]:
        with self._lock:
            return [sheet.title for sheet in self._book(key).sheets]

    def rows(self, key: str, tab: str) -> list[list[str]]:
        """The displayed values of a tab, trailing empty cells and rows trimmed."""
        with self._lock:
            book = self._book(key)
            sheet = self._sheet(book, tab)
            return _trimmed([[_display(cell, book.locale) for cell in line] for line in sheet.grid])

    def cell(self, key: str, tab: str, a1: str) -> str:
        """The displayed value of one cell ("" when empty)."""
        with self._lock:
            book = self._book(key)
            sheet, row, column = self._cell_address(book, tab, a1)
            return _display(sheet.get(row, column), book.locale)

    def value(self, key: str, tab: str, a1: str) -> CellValue | None:
        """The effective value of one cell (a number stays a number); None when empty."""
        with self._lock:
            sheet, row, column = self._cell_address(self._book(key), tab, a1)
            found = sheet.get(row, column)
            return None if found is None else found.value

    def formulas(self, key: str) -> list[tuple[str, str, str]]:
        """(tab, A1, formula) for every cell holding a formula, tab by tab, row by row."""
        with self._lock:
            found = []
            for sheet in self._book(key).sheets:
                for row, line in enumerate(sheet.grid):
                    for column, cell in enumerate(line):
                        if cell is not None and cell.formula is not None:
                            found.append(
                                (sheet.title, _a1(row, column, row + 1, column + 1), cell.formula)
                            )
            return found

    def sheet_properties(self, key: str, tab: str) -> JSONObject:
        """A tab's set-up: sheetId, index, grid size, frozen rows/columns, data validations
        ([{"range": GridRange, "rule": DataValidationRule}]), protected ranges and basic filter,
        in the shapes of the v4 API.
        """
        with self._lock:
            sheet = self._sheet(self._book(key), tab)
            return copy.deepcopy(
                {
                    "sheetId": sheet.sheet_id,
                    "title": sheet.title,
                    "index": sheet.index,
                    "rowCount": sheet.row_count,
                    "columnCount": sheet.column_count,
                    "frozenRowCount": sheet.frozen_rows,
                    "frozenColumnCount": sheet.frozen_columns,
                    "dataValidations": sheet.validations,
                    "protectedRanges": sheet.protected_ranges,
                    "basicFilter": sheet.basic_filter,
                }
            )

    def set_cell(self, key: str, tab: str, a1: str, value: SeedValue, *, raw: bool = False) -> None:
        """Type a value into a cell as staff would (parsed like USER_ENTERED unless `raw`).

        A cell beyond the grid grows it first, as staff would add the rows or columns.
        """
        with self._lock:
            book = self._book(key)
            sheet, row, column = self._cell_address(book, tab, a1)
            sheet.row_count = max(sheet.row_count, row + 1)
            sheet.column_count = max(sheet.column_count, column + 1)
            sheet.put(row, column, _seed_cell(value, raw, book.locale))

    def set_header(self, key: str, tab: str, header: Sequence[str]) -> None:
        """Replace row 1 with these titles (cells to their right are emptied)."""
        with self._lock:
            book = self._book(key)
            sheet = self._sheet(book, tab)
            sheet.column_count = max(sheet.column_count, len(header))
            if sheet.grid:
                sheet.grid[0] = []
            for column, title in enumerate(header):
                sheet.put(0, column, _seed_cell(title, True, book.locale))

    def insert_rows(self, key: str, tab: str, before_row: int, count: int = 1) -> None:
        """Insert `count` blank rows above sheet row `before_row` (1-based)."""
        with self._lock:
            sheet = self._sheet(self._book(key), tab)
            if not 1 <= before_row <= sheet.row_count + 1:
                raise ValueError(f"row {before_row} is outside {tab!r}")
            sheet.insert("ROWS", before_row - 1, count)

    def insert_columns(self, key: str, tab: str, before_index: int, count: int = 1) -> None:
        """Insert `count` blank columns before column `before_index` (0-based)."""
        with self._lock:
            sheet = self._sheet(self._book(key), tab)
            if not 0 <= before_index <= sheet.column_count:
                raise ValueError(f"column {before_index} is outside {tab!r}")
            sheet.insert("COLUMNS", before_index, count)

    def delete_row(self, key: str, tab: str, row: int) -> None:
        """Delete sheet row `row` (1-based); the rows below move up."""
        with self._lock:
            sheet = self._sheet(self._book(key), tab)
            if not 1 <= row <= sheet.row_count:
                raise ValueError(f"row {row} is outside {tab!r}")
            sheet.delete("ROWS", row - 1, row)

    def sort_rows(self, key: str, tab: str, column: int | str, reverse: bool = False) -> None:
        """Sort rows 2..last data row by a column (0-based index or letters), header kept.

        Like the browser: numbers before text before booleans, text without case, stable,
        and empty cells last in both directions.
        """
        with self._lock:
            sheet = self._sheet(self._book(key), tab)
            index = _column_index(column) if isinstance(column, str) else column
            body = sheet.grid[1 : sheet.last_row_with_data()]
            filled = [line for line in body if _sort_cell(line, index) is not None]
            empty = [line for line in body if _sort_cell(line, index) is None]
            filled.sort(key=lambda line: _sort_key(_sort_cell(line, index)), reverse=reverse)
            sheet.grid[1 : 1 + len(body)] = filled + empty

    def move_column(self, key: str, tab: str, from_index: int, to_index: int) -> None:
        """Drag column `from_index` (0-based, header included) so it ends up at `to_index`."""
        with self._lock:
            sheet = self._sheet(self._book(key), tab)
            if not (0 <= from_index < sheet.column_count and 0 <= to_index < sheet.column_count):
                raise ValueError(f"column outside {tab!r}")
            for line in sheet.grid:
                line.extend([None] * (max(from_index, to_index) + 1 - len(line)))
                line.insert(to_index, line.pop(from_index))

    def rename_tab(self, key: str, tab: str, new_name: str) -> None:
        with self._lock:
            book = self._book(key)
            if book.sheet(new_name) is not None:
                raise ValueError(f"tab {new_name!r} exists already")
            self._sheet(book, tab).title = new_name

    # -- faults ------------------------------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        code: int = 429,
        status: str | None = None,
        retry_after: float | None = None,
        *,
        kind: str | None = None,
        message: str | None = None,
        after_apply: bool = False,
        html: bool = False,
        drop: bool = False,
    ) -> None:
        """Answer the next `n` requests (of `kind` only, when given) with this error.

        `status` defaults to Google's for the code (429 RESOURCE_EXHAUSTED, 500 INTERNAL,
        503 UNAVAILABLE, ...); `retry_after` adds a Retry-After header (seconds).
        With `after_apply` the request is carried out first and only its answer is lost, as
        when Google applied a write but the answer never reached the app. `html` answers with
        a proxy's HTML page (Google's front end sends one for some 502s); `drop` closes the
        connection without answering.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._faults.append(
                _Fault(code, status, retry_after, message, kind, n, after_apply, html, drop)
            )

    def fail_always(
        self,
        code: int = 429,
        status: str | None = None,
        retry_after: float | None = None,
        *,
        kind: str | None = None,
        message: str | None = None,
        after_apply: bool = False,
        html: bool = False,
        drop: bool = False,
    ) -> None:
        """Answer every request (of `kind` only, when given) with this error until cleared."""
        with self._lock:
            self._faults.append(
                _Fault(code, status, retry_after, message, kind, None, after_apply, html, drop)
            )

    def clear_faults(self) -> None:
        """Forget every fault and every pending `before_next` action."""
        with self._lock:
            self._faults.clear()
            self._hooks.clear()

    def before_next(self, kind: str | None, action: Callable[[], None]) -> None:
        """Run `action()` just before serving the next request of `kind` (any, when None).

        This is staff editing the sheet at the worst moment: after the app's read, before its
        write. The action runs once, under the emulator's lock, and may use the Python API.
        """
        with self._lock:
            self._hooks.append((kind, action))

    # -- the request log --------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request answered so far, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    def count(self, kind: str | None = None) -> int:
        """How many requests (of `kind`, e.g. "values.batchGet") were answered."""
        with self._lock:
            return sum(1 for record in self._log if kind is None or record.kind == kind)

    # -- lookups shared by the Python API and the endpoints ---------------------------------------

    def _book(self, key: str) -> _Book:
        book = self._books.get(key)
        if book is None:
            raise KeyError(f"no spreadsheet {key!r}")
        return book

    @staticmethod
    def _sheet(book: _Book, tab: str) -> _Sheet:
        sheet = book.sheet(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in {book.key!r}")
        return sheet

    def _cell_address(self, book: _Book, tab: str, a1: str) -> tuple[_Sheet, int, int]:
        sheet = self._sheet(book, tab)
        corner = _parse_corner(a1)
        if corner is None or corner.row is None or corner.column is None:
            raise ValueError(f"not a cell: {a1!r}")
        return sheet, corner.row, corner.column

    # -- HTTP dispatch ----------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, body: bytes) -> _Reply:
        """Answer one HTTP request (called by the server's threads)."""
        if self.latency:
            time.sleep(self.latency)
        split = urlsplit(raw_path)
        query = parse_qs(split.query, keep_blank_values=True)
        route = _route(method, split.path)
        with self._lock:
            self._run_hook(route.kind)
            headers: dict[str, str] = {}
            fault: _Fault | None = None
            try:
                fault = self._take_fault(route.kind, after_apply=False)
                if fault is None:
                    status, payload = 200, self._execute(route, query, body)
                    fault = self._take_fault(route.kind, after_apply=True)
                if fault is not None:
                    raise fault.error(route.kind)
            except SheetsApiError as error:
                status, payload, headers = error.code, error.body(), error.headers
            except Exception:  # an emulator bug: make it loud, not a hung test
                status, payload = 500, SheetsApiError(500, traceback.format_exc()).body()
            encoded = json.dumps(payload).encode()
            content_type = "application/json; charset=UTF-8"
            if fault is not None and fault.html:
                encoded, content_type = HTML_ERROR_PAGE.encode(), "text/html; charset=UTF-8"
            self._log.append(
                RecordedRequest(
                    method,
                    split.path,
                    query,
                    route.kind,
                    status,
                    body,
                    encoded,
                    route.key,
                    route.range,
                )
            )
        drop = fault is not None and fault.drop
        return _Reply(status, encoded, headers, content_type, drop)

    def _run_hook(self, kind: str) -> None:
        for hook in self._hooks:
            if hook[0] is None or hook[0] == kind:
                self._hooks.remove(hook)
                hook[1]()
                return

    def _take_fault(self, kind: str, *, after_apply: bool) -> _Fault | None:
        """The fault that answers this request now (counted down), if any."""
        for fault in self._faults:
            if fault.kind is not None and fault.kind != kind:
                continue
            if fault.after_apply != after_apply:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            return fault
        return None

    def _execute(self, route: _Route, query: Query, body: bytes) -> JSONObject:
        endpoints: dict[str, Callable[[_Book, _Route, Query, JSONObject], JSONObject]] = {
            "spreadsheets.get": self._spreadsheets_get,
            "spreadsheets.batchUpdate": self._spreadsheets_batch_update,
            "values.get": self._values_get,
            "values.batchGet": self._values_batch_get,
            "values.update": self._values_update,
            "values.batchUpdate": self._values_batch_update,
            "values.append": self._values_append,
            "values.clear": self._values_clear,
            "values.batchClear": self._values_batch_clear,
        }
        endpoint = endpoints.get(route.kind)
        if endpoint is None or route.key is None:
            raise SheetsApiError(404, "Emulator: no such Sheets API v4 method.")
        book = self._books.get(route.key)
        if book is None:
            raise _not_found()
        if book.shared_with is not None and self.service_account not in book.shared_with:
            raise SheetsApiError(403, _MESSAGE_BY_CODE[403])
        return endpoint(book, route, query, _body_object(body))

    # -- spreadsheets.get -------------------------------------------------------------------------

    def _spreadsheets_get(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        with_data = _flag(query, "includeGridData")
        sheets = []
        for sheet in book.sheets:
            entry: JSONObject = {"properties": sheet.properties()}
            if sheet.protected_ranges:
                entry["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
            if sheet.basic_filter is not None:
                entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
            if with_data:
                entry["data"] = [_grid_data(sheet, book.locale)]
            sheets.append(entry)
        return {
            "spreadsheetId": book.key,
            "properties": {
                "title": book.title,
                "locale": book.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": book.time_zone,
            },
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.key}/edit",
        }

    # -- values: reads ----------------------------------------------------------------------------

    def _value_range(self, book: _Book, text: str, options: _ReadOptions) -> JSONObject:
        area = _parse_range(book, text)
        top, left, bottom, right = area.clipped()
        rendered = [
            [_render(cell, options.value_render, options.date_render, book.locale) for cell in line]
            for line in area.sheet.block(top, left, bottom, right)
        ]
        if options.major_dimension == "COLUMNS":
            rendered = [list(column) for column in zip(*rendered, strict=True)]
        result: JSONObject = {
            "range": area.name(top, left, bottom, right),
            "majorDimension": options.major_dimension,
        }
        values = _trimmed(rendered)
        if values:
            result["values"] = values
        return result

    def _values_get(self, book: _Book, route: _Route, query: Query, body: JSONObject) -> JSONObject:
        return self._value_range(book, route.range or "", _ReadOptions.from_query(query))

    def _values_batch_get(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        options = _ReadOptions.from_query(query)
        ranges = query.get("ranges", [])
        return {
            "spreadsheetId": book.key,
            "valueRanges": [self._value_range(book, text, options) for text in ranges],
        }

    # -- values: writes ---------------------------------------------------------------------------

    def _apply(self, book: _Book, area: _Area, planned: _Planned, query: Query) -> JSONObject:
        """Write planned cells; reply like UpdateValuesResponse."""
        for row, column, cell in planned:
            area.sheet.put(row, column, cell)
        reply: JSONObject = {"spreadsheetId": book.key}
        if not planned:
            reply["updatedRange"] = area.name(area.top, area.left, area.top + 1, area.left + 1)
            return reply
        rows = sorted({row for row, _, _ in planned})
        columns = sorted({column for _, column, _ in planned})
        top, left, bottom, right = rows[0], columns[0], rows[-1] + 1, columns[-1] + 1
        reply.update(
            updatedRange=area.name(top, left, bottom, right),
            updatedRows=len(rows),
            updatedColumns=len(columns),
            updatedCells=len(planned),
        )
        if _flag(query, "includeValuesInResponse"):
            options = _ReadOptions.from_query(query, prefix="response")
            reply["updatedData"] = self._value_range(book, reply["updatedRange"], options)
        return reply

    def _values_update(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        option = _input_option(_param(query, "valueInputOption"))
        area = _parse_range(book, route.range or "").writable()
        planned = _planned_writes(book, area, _values_of(body, "value_range"), option, "values")
        return self._apply(book, area, planned, query)

    def _values_batch_update(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        option = _input_option(body.get("valueInputOption"))
        plans = []
        for number, item in enumerate(body.get("data") or []):
            area = _parse_range(book, str(item.get("range", ""))).writable()
            rows = _values_of(item, f"data[{number}]")
            plans.append(
                (area, _planned_writes(book, area, rows, option, f"data[{number}].values"))
            )
        flags = {
            "includeValuesInResponse": [str(body.get("includeValuesInResponse", False)).lower()],
            "responseValueRenderOption": [
                body.get("responseValueRenderOption") or "FORMATTED_VALUE"
            ],
            "responseDateTimeRenderOption": [
                body.get("responseDateTimeRenderOption") or "SERIAL_NUMBER"
            ],
        }
        responses = [self._apply(book, area, planned, flags) for area, planned in plans]
        return {
            "spreadsheetId": book.key,
            "totalUpdatedRows": sum(reply.get("updatedRows", 0) for reply in responses),
            "totalUpdatedColumns": sum(reply.get("updatedColumns", 0) for reply in responses),
            "totalUpdatedCells": sum(reply.get("updatedCells", 0) for reply in responses),
            "totalUpdatedSheets": len({area.sheet.sheet_id for area, planned in plans if planned}),
            "responses": responses,
        }

    def _values_append(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        option = _input_option(_param(query, "valueInputOption"))
        insert = _choice(query, "insertDataOption", ("OVERWRITE", "INSERT_ROWS"), "OVERWRITE")
        area = _parse_range(book, route.range or "")
        sheet = area.sheet
        rows = _values_of(body, "value_range")
        cells = _cells(book, rows, option, "values")  # refuse bad values before changing anything
        reply: JSONObject = {"spreadsheetId": book.key}
        table = _append_table(area)
        start = area.top
        if table is not None:
            reply["tableRange"] = area.name(*table)
            start = table[2]
        height = len(rows)
        width = max((len(row) for row in rows), default=0)
        if insert == "INSERT_ROWS":
            sheet.insert("ROWS", min(start, sheet.row_count), height)
        sheet.row_count = max(sheet.row_count, start + height)
        sheet.column_count = max(sheet.column_count, area.left + width)
        target = _Area(sheet, area.text, start, area.left, None, None)
        planned = [(start + row, area.left + column, cell) for row, column, cell in cells]
        reply["updates"] = self._apply(book, target, planned, query)
        return reply

    def _values_clear(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        return {"spreadsheetId": book.key, "clearedRange": self._clear(book, route.range or "")}

    def _values_batch_clear(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        texts = [str(text) for text in body.get("ranges") or []]
        for text in texts:
            _parse_range(book, text).clipped()
        return {
            "spreadsheetId": book.key,
            "clearedRanges": [self._clear(book, text) for text in texts],
        }

    def _clear(self, book: _Book, text: str) -> str:
        area = _parse_range(book, text)
        top, left, bottom, right = area.clipped()
        for row in range(top, min(bottom, len(area.sheet.grid))):
            for column in range(left, min(right, len(area.sheet.grid[row]))):
                area.sheet.grid[row][column] = None
        return area.name(top, left, bottom, right)

    # -- spreadsheets.batchUpdate -----------------------------------------------------------------

    def _spreadsheets_batch_update(
        self, book: _Book, route: _Route, query: Query, body: JSONObject
    ) -> JSONObject:
        """Apply requests in order, all or nothing, as Google does."""
        requests = body.get("requests") or []
        snapshot = copy.deepcopy(book)
        handlers = _batch_handlers(self)
        replies: list[JSONObject] = []
        try:
            for number, request in enumerate(requests):
                if not isinstance(request, dict) or len(request) != 1:
                    raise _invalid(
                        f"Invalid requests[{number}]: exactly one kind of request expected"
                    )
                [(name, content)] = request.items()
                if name in _IGNORED_REQUESTS:
                    replies.append({})
                    continue
                handler = handlers.get(name)
                if handler is None:
                    raise _invalid(f"Emulator: requests[{number}].{name} is not supported")
                replies.append(handler(book, content or {}, f"requests[{number}].{name}"))
        except SheetsApiError:
            self._books[book.key] = snapshot
            raise
        return {"spreadsheetId": book.key, "replies": replies}


_IGNORED_REQUESTS = frozenset(
    {
        "repeatCell",
        "updateBorders",
        "autoResizeDimensions",
        "updateDimensionProperties",
        "mergeCells",
        "unmergeCells",
        "addConditionalFormatRule",
        "updateConditionalFormatRule",
        "deleteConditionalFormatRule",
        "addBanding",
    }
)
"""Formatting requests: accepted and ignored (they change no value the app reads)."""

_BatchHandler: TypeAlias = Callable[[_Book, JSONObject, str], JSONObject]


def _batch_handlers(emulator: SheetsEmulator) -> dict[str, _BatchHandler]:
    return {
        "addSheet": _add_sheet,
        "deleteSheet": _delete_sheet,
        "updateSheetProperties": _update_sheet_properties,
        "updateSpreadsheetProperties": _update_spreadsheet_properties,
        "appendDimension": _append_dimension,
        "insertDimension": _insert_dimension,
        "deleteDimension": _delete_dimension,
        "setDataValidation": _set_data_validation,
        "addProtectedRange": lambda book, content, where: _add_protected_range(
            book, content, where, emulator.service_account
        ),
        "deleteProtectedRange": _delete_protected_range,
        "setBasicFilter": _set_basic_filter,
        "clearBasicFilter": _clear_basic_filter,
        "updateCells": _update_cells,
        "appendCells": _append_cells,
    }


def _writes_values(content: JSONObject, where: str) -> bool:
    """Whether an updateCells/appendCells field mask covers the cells' values."""
    fields = content.get("fields")
    if not fields:
        raise _invalid(f"Invalid {where}: At least one field must be updated.")
    paths = [path.strip() for path in str(fields).split(",")]
    return any(
        path in ("*", "userEnteredValue") or path.startswith("userEnteredValue.") for path in paths
    )


def _cell_of_data(data: Any, where: str) -> _Cell | None:
    """The cell a CellData's userEnteredValue makes (None: the cell is emptied)."""
    if not isinstance(data, dict):
        raise _invalid(f"Invalid {where}: expected a CellData object")
    entered = data.get("userEnteredValue") or {}
    if len(entered) > 1:
        raise _invalid(f"Invalid {where}.user_entered_value: only one kind of value may be set")
    if "stringValue" in entered:
        text = str(entered["stringValue"])
        if len(text) > MAX_CELL_CHARACTERS:
            raise _invalid(
                f"Your input contains more than the maximum of {MAX_CELL_CHARACTERS} characters "
                "in a single cell."
            )
        return _Cell(text) if text else None
    if "numberValue" in entered:
        number = entered["numberValue"]
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _invalid(f"Invalid {where}.user_entered_value.number_value")
        return _Cell(number)
    if "boolValue" in entered:
        return _Cell(bool(entered["boolValue"]))
    if "formulaValue" in entered:
        return _Cell(FORMULA_DISPLAY, formula=str(entered["formulaValue"]))
    return None


def _row_cells(content: JSONObject, where: str) -> list[list[_Cell | None]]:
    rows = content.get("rows") or []
    if not isinstance(rows, list):
        raise _invalid(f"Invalid {where}.rows: expected a list")
    return [
        [
            _cell_of_data(data, f"{where}.rows[{r}].values[{c}]")
            for c, data in enumerate((row or {}).get("values") or [])
        ]
        for r, row in enumerate(rows)
    ]


def _update_cells(book: _Book, content: JSONObject, where: str) -> JSONObject:
    """UpdateCellsRequest: rows of CellData written from `start` (or over `range`, whose cells
    the rows do not cover are emptied); only values are kept (formats are ignored)."""
    start: JSONObject | None = content.get("start")
    span: JSONObject = content.get("range") or {}
    if (start is None) == (not span):
        raise _invalid(f"Invalid {where}: exactly one of 'start' or 'range' must be set")
    anchor = start if start is not None else span
    sheet = _grid_sheet(book, anchor.get("sheetId"), where)
    if not _writes_values(content, where):
        return {}
    rows = _row_cells(content, where)
    if start is not None:
        top, left = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        bottom = top + len(rows)
        right = left + max((len(row) for row in rows), default=0)
    else:
        top, left = int(span.get("startRowIndex", 0)), int(span.get("startColumnIndex", 0))
        bottom = int(span.get("endRowIndex", sheet.row_count))
        right = int(span.get("endColumnIndex", sheet.column_count))
    if bottom > sheet.row_count or right > sheet.column_count:
        cells = _a1(top, left, max(bottom, top + 1), max(right, left + 1))
        raise _invalid(
            f"Invalid {where}: Range ({_quoted_title(sheet.title)}!{cells}) exceeds grid "
            f"limits. Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
        )
    if start is None:
        for row in range(top, min(bottom, len(sheet.grid))):
            for column in range(left, min(right, len(sheet.grid[row]))):
                sheet.grid[row][column] = None
    for r, row_cells in enumerate(rows):
        for c, cell in enumerate(row_cells):
            sheet.put(top + r, left + c, cell)
    return {}


def _append_cells(book: _Book, content: JSONObject, where: str) -> JSONObject:
    """AppendCellsRequest: rows after the last row with data in the whole sheet (blank rows in
    the middle are left alone), inserting rows at the end of the grid when needed."""
    sheet = _grid_sheet(book, content.get("sheetId"), where)
    if not _writes_values(content, where):
        return {}
    rows = _row_cells(content, where)
    width = max((len(row) for row in rows), default=0)
    if width > sheet.column_count:
        raise _invalid(
            f"Invalid {where}: Range ({_quoted_title(sheet.title)}!A1:{column_letters(width - 1)}) "
            f"exceeds grid limits. Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
        )
    top = sheet.last_row_with_data()
    sheet.row_count = max(sheet.row_count, top + len(rows))
    for r, row_cells in enumerate(rows):
        for c, cell in enumerate(row_cells):
            sheet.put(top + r, c, cell)
    return {}


def _grid_sheet(book: _Book, sheet_id: Any, where: str) -> _Sheet:
    sheet = book.sheet_by_id(sheet_id if sheet_id is not None else 0)
    if sheet is None:
        raise _invalid(f"Invalid {where}: No grid with id: {sheet_id}")
    return sheet


def _add_sheet(book: _Book, content: JSONObject, where: str) -> JSONObject:
    properties = content.get("properties") or {}
    title = properties.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.sheet(title) is not None:
        raise _invalid(
            f'Invalid {where}: A sheet with the name "{title}" already exists. '
            "Please enter another name."
        )
    sheet_id = properties.get("sheetId")
    if sheet_id is not None and book.sheet_by_id(sheet_id) is not None:
        raise _invalid(f"Invalid {where}: Sheet with id {sheet_id} already exists.")
    grid = properties.get("gridProperties") or {}
    sheet = _Sheet(
        book.new_sheet_id(title) if sheet_id is None else int(sheet_id),
        title,
        0,
        int(grid.get("rowCount", DEFAULT_ROWS)),
        int(grid.get("columnCount", DEFAULT_COLUMNS)),
        frozen_rows=int(grid.get("frozenRowCount", 0)),
        frozen_columns=int(grid.get("frozenColumnCount", 0)),
        hidden=bool(properties.get("hidden", False)),
    )
    book.place(sheet, properties.get("index"))
    return {"addSheet": {"properties": sheet.properties()}}


def _delete_sheet(book: _Book, content: JSONObject, where: str) -> JSONObject:
    sheet = _grid_sheet(book, content.get("sheetId"), where)
    if len(book.sheets) == 1:
        raise _invalid(f"Invalid {where}: You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    for number, each in enumerate(book.sheets):
        each.index = number
    return {}


def _field_paths(fields: str, properties: JSONObject) -> list[str]:
    """The dotted paths a field mask names ("*" names every path given); gspread writes "a/b"."""
    if fields.strip() == "*":
        grid = properties.get("gridProperties") or {}
        return [key for key in properties if key != "gridProperties"] + [
            f"gridProperties.{key}" for key in grid
        ]
    return [path.strip().replace("/", ".") for path in fields.split(",") if path.strip()]


def _update_sheet_properties(book: _Book, content: JSONObject, where: str) -> JSONObject:
    properties = content.get("properties") or {}
    fields = content.get("fields")
    if not fields:
        raise _invalid(f"Invalid {where}: 'fields' is required")
    sheet = _grid_sheet(book, properties.get("sheetId"), where)
    grid = properties.get("gridProperties") or {}
    rows, columns = sheet.row_count, sheet.column_count
    for path in _field_paths(fields, properties):
        if path == "title":
            other = book.sheet(properties.get("title", ""))
            if other is not None and other is not sheet:
                raise _invalid(
                    f'Invalid {where}: A sheet with the name "{other.title}" already exists. '
                    "Please enter another name."
                )
            sheet.title = str(properties.get("title", ""))
        elif path == "index":
            book.sheets.remove(sheet)
            book.place(sheet, int(properties.get("index", 0)))
        elif path == "hidden":
            sheet.hidden = bool(properties.get("hidden", False))
        elif path == "gridProperties.rowCount":
            rows = int(grid.get("rowCount", rows))
        elif path == "gridProperties.columnCount":
            columns = int(grid.get("columnCount", columns))
        elif path == "gridProperties.frozenRowCount":
            sheet.frozen_rows = int(grid.get("frozenRowCount", 0))
        elif path == "gridProperties.frozenColumnCount":
            sheet.frozen_columns = int(grid.get("frozenColumnCount", 0))
    sheet.resize(rows, columns)
    if sheet.frozen_rows >= sheet.row_count:
        raise _invalid(f"Invalid {where}: You can't freeze all visible rows on the sheet.")
    if sheet.frozen_columns >= sheet.column_count:
        raise _invalid(f"Invalid {where}: You can't freeze all visible columns on the sheet.")
    return {}


def _update_spreadsheet_properties(book: _Book, content: JSONObject, where: str) -> JSONObject:
    properties = content.get("properties") or {}
    for path in _field_paths(content.get("fields") or "", properties):
        if path == "title":
            book.title = str(properties.get("title", book.title))
        elif path == "locale":
            book.locale = str(properties.get("locale", book.locale))
        elif path == "timeZone":
            book.time_zone = str(properties.get("timeZone", book.time_zone))
    return {}


def _dimension(content: JSONObject, where: str) -> str:
    dimension = content.get("dimension")
    if dimension not in _DIMENSIONS:
        raise _invalid(f"Invalid {where}: dimension must be ROWS or COLUMNS")
    return str(dimension)


def _append_dimension(book: _Book, content: JSONObject, where: str) -> JSONObject:
    sheet = _grid_sheet(book, content.get("sheetId"), where)
    length = int(content.get("length", 0))
    if length <= 0:
        raise _invalid(f"Invalid {where}: length must be positive")
    if _dimension(content, where) == "ROWS":
        sheet.row_count += length
    else:
        sheet.column_count += length
    return {}


def _dimension_span(book: _Book, content: JSONObject, where: str) -> tuple[_Sheet, str, int, int]:
    span = content.get("range") or {}
    sheet = _grid_sheet(book, span.get("sheetId"), where)
    dimension = _dimension(span, where)
    start, end = int(span.get("startIndex", 0)), int(span.get("endIndex", 0))
    if start < 0 or end <= start:
        raise _invalid(f"Invalid {where}: range.endIndex must be greater than range.startIndex")
    return sheet, dimension, start, end


def _insert_dimension(book: _Book, content: JSONObject, where: str) -> JSONObject:
    sheet, dimension, start, end = _dimension_span(book, content, where)
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if start > size:
        raise _invalid(f"Invalid {where}: range.startIndex is beyond the sheet's {size}")
    if start == 0 and content.get("inheritFromBefore"):
        raise _invalid(f"Invalid {where}: Cannot inherit from before at the start of the sheet")
    sheet.insert(dimension, start, end - start)
    return {}


def _delete_dimension(book: _Book, content: JSONObject, where: str) -> JSONObject:
    sheet, dimension, start, end = _dimension_span(book, content, where)
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end > size:
        raise _invalid(f"Invalid {where}: range.endIndex is beyond the sheet's {size}")
    if start == 0 and end == size:
        raise _invalid(
            f"Invalid {where}: You can't delete all the {dimension.lower()} on the sheet."
        )
    sheet.delete(dimension, start, end)
    return {}


def _covers(outer: JSONObject, inner: JSONObject) -> bool:
    """Whether GridRange `outer` contains `inner` (missing bounds are unbounded)."""
    for axis in ("Row", "Column"):
        if outer.get(f"start{axis}Index", 0) > inner.get(f"start{axis}Index", 0):
            return False
        outer_end = outer.get(f"end{axis}Index", sys.maxsize)
        if outer_end < inner.get(f"end{axis}Index", sys.maxsize):
            return False
    return True


def _check_rule(book: _Book, rule: JSONObject, where: str) -> None:
    condition = rule.get("condition") or {}
    kind = condition.get("type")
    values = condition.get("values") or []
    if kind == "ONE_OF_LIST" and not values:
        raise _invalid(
            f"Invalid {where}: ConditionType 'ONE_OF_LIST' requires at least one ConditionValue."
        )
    if kind == "ONE_OF_RANGE":
        if len(values) != 1:
            raise _invalid(
                f"Invalid {where}: ConditionType 'ONE_OF_RANGE' requires exactly one "
                "ConditionValue."
            )
        source = str(values[0].get("userEnteredValue", ""))
        try:
            _parse_range(book, source.removeprefix("="))
        except SheetsApiError:
            raise _invalid(
                f"Invalid {where}: Invalid ConditionValue.userEnteredValue: {source}"
            ) from None


def _set_data_validation(book: _Book, content: JSONObject, where: str) -> JSONObject:
    grid_range = _without_nulls(content.get("range") or {})
    sheet = _grid_sheet(book, grid_range.get("sheetId"), where)
    rule = content.get("rule")
    sheet.validations = [
        kept for kept in sheet.validations if not _covers(grid_range, kept["range"])
    ]
    if rule:
        _check_rule(book, rule, where)
        sheet.validations.append({"range": grid_range, "rule": _without_nulls(rule)})
    return {}


def _add_protected_range(
    book: _Book, content: JSONObject, where: str, service_account: str
) -> JSONObject:
    protected = _without_nulls(content.get("protectedRange") or {})
    sheet = _grid_sheet(book, (protected.get("range") or {}).get("sheetId"), where)
    if protected.get("warningOnly") and protected.get("editors"):
        raise _invalid(f"Invalid {where}: Cannot set editors on a warning-only protected range.")
    protected["protectedRangeId"] = book.next_protected_range_id
    book.next_protected_range_id += 1
    protected.setdefault("range", {"sheetId": sheet.sheet_id})
    protected["requestingUserCanEdit"] = True
    if not protected.get("warningOnly"):
        editors = protected.setdefault("editors", {})
        users = editors.setdefault("users", [])
        if service_account not in users:
            users.append(service_account)
    sheet.protected_ranges.append(protected)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(protected)}}


def _delete_protected_range(book: _Book, content: JSONObject, where: str) -> JSONObject:
    wanted = content.get("protectedRangeId")
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if str(protected["protectedRangeId"]) == str(wanted):
                sheet.protected_ranges.remove(protected)
                return {}
    raise _invalid(f"Invalid {where}: No protected range with id: {wanted}")


def _set_basic_filter(book: _Book, content: JSONObject, where: str) -> JSONObject:
    basic_filter = _without_nulls(content.get("filter") or {})
    sheet = _grid_sheet(book, (basic_filter.get("range") or {}).get("sheetId"), where)
    basic_filter.setdefault("range", {"sheetId": sheet.sheet_id})
    sheet.basic_filter = basic_filter
    return {}


def _clear_basic_filter(book: _Book, content: JSONObject, where: str) -> JSONObject:
    _grid_sheet(book, content.get("sheetId"), where).basic_filter = None
    return {}


# ----------------------------------------------------------------------------------------------
# Small helpers of the endpoints

_Planned: TypeAlias = list[tuple[int, int, _Cell | None]]
"""Cells to write: (row, column, cell or None to empty it)."""


def _cells(book: _Book, rows: list[list[Any]], option: str, where: str) -> _Planned:
    """The cells `rows` become, from the block's top-left; nulls (cells left alone) skipped."""
    return [
        (r, c, _input_cell(value, option, book.locale, f"{where}[{r}][{c}]"))
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
        if value is not None
    ]


def _planned_writes(
    book: _Book, area: _Area, rows: list[list[Any]], option: str, where: str
) -> _Planned:
    """Check a write like Google (within the range, within the grid) before doing any of it."""
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if area.bottom is not None and area.top + height > area.bottom:
        raise _invalid(
            f"Requested writing within range [{area.text}], but tried writing to row "
            f"[{area.bottom + 1}]"
        )
    if area.right is not None and area.left + width > area.right:
        raise _invalid(
            f"Requested writing within range [{area.text}], but tried writing to column "
            f"[{column_letters(area.right)}]"
        )
    sheet = area.sheet
    outside = area.top + height > sheet.row_count or area.left + width > sheet.column_count
    if area.top >= sheet.row_count or area.left >= sheet.column_count or outside:
        raise area.beyond_grid()
    return [
        (area.top + row, area.left + column, cell)
        for row, column, cell in _cells(book, rows, option, where)
    ]


def _append_table(area: _Area) -> tuple[int, int, int, int] | None:
    """The data values.append appends below: (top, left, bottom, right), None when none.

    A range holding no data has none: the values go to its first cell (how gspread's
    insert_rows fills the blank row it just inserted). Otherwise the data runs to the last
    row holding a value in the range's columns; a single cell searches below and right of it.
    """
    sheet = area.sheet
    top, left, bottom, right = area.clipped()
    if not sheet.rows_with_data(top, bottom, left, right):
        return None
    search = area.writable()
    rows = sheet.rows_with_data(top, search.bottom, left, search.right)
    first, end = rows[0], rows[-1] + 1
    columns = [
        column
        for column in range(left, search.right or sheet.column_count)
        if any(sheet.get(row, column) is not None for row in range(first, end))
    ]
    return first, columns[0], end, columns[-1] + 1


def _grid_data(sheet: _Sheet, locale: str) -> JSONObject:
    """GridData for includeGridData=true: values of the data rows plus their data validation."""
    height = sheet.last_row_with_data()
    for validation in sheet.validations:
        height = max(
            height, min(validation["range"].get("endRowIndex", sheet.row_count), sheet.row_count)
        )
    rows = []
    for row in range(height):
        values = []
        for column in range(sheet.column_count):
            data = _cell_data(sheet.get(row, column), locale)
            rule = _validation_at(sheet, row, column)
            if rule is not None:
                data["dataValidation"] = copy.deepcopy(rule)
            values.append(data)
        rows.append({"values": _trimmed_row(values, _is_empty_data)})
    return {"startRow": 0, "startColumn": 0, "rowData": rows}


def _is_empty_data(data: JSONObject) -> bool:
    return not data


def _cell_data(cell: _Cell | None, locale: str) -> JSONObject:
    if cell is None:
        return {}
    typed = "boolValue" if isinstance(cell.value, bool) else "numberValue"
    kind = "stringValue" if isinstance(cell.value, str) else typed
    entered = {"formulaValue": cell.formula} if cell.formula else {kind: cell.value}
    return {
        "userEnteredValue": entered,
        "effectiveValue": {kind: cell.value},
        "formattedValue": _display(cell, locale),
    }


def _validation_at(sheet: _Sheet, row: int, column: int) -> JSONObject | None:
    point = {
        "startRowIndex": row,
        "endRowIndex": row + 1,
        "startColumnIndex": column,
        "endColumnIndex": column + 1,
    }
    for validation in reversed(sheet.validations):
        if _covers(validation["range"], point):
            rule: JSONObject = validation["rule"]
            return rule
    return None


def _sort_cell(line: list[_Cell | None], index: int) -> _Cell | None:
    return line[index] if index < len(line) else None


def _sort_key(cell: _Cell | None) -> tuple[int, Any]:
    value = cell.value if cell is not None else ""
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, int | float):
        return 0, value
    return 1, value.casefold()
