"""Hand-edit quirks: `apply_quirks` roughens the demo's grids the way staff's hand edits
roughen a real sheet, so that the demo workbook also exercises the tolerant reader."""

from __future__ import annotations

import datetime as dt

QUIRK_NOTES = ("Préfère être appelé le matin", "Dossier transmis par le CPAS")


def apply_quirks(grids: dict[str, list[list[object]]]) -> None:
    """Roughen the grids (row 0 = headers) the way staff's hand edits do, in place.

    Each quirk is one the tolerant reader must absorb:

    1. Participants: the headers "First name" and "Birth date" are typed in French,
       "Prénom" and "Date de naissance".
    2. Participants: one Languages cell uses ";" separators ("French; Arabic") instead
       of ", " (the first row whose Languages cell lists more than one language).
    3. Participants: an extra staff column "Remarque interne" at the end, with a value
       in two rows (the first and the last data rows) and blank elsewhere.
    4. Participants: one blank row (all cells "") in the middle of the data rows.
    5. Meetings: one Date written the Belgian way, dd/mm/yyyy (the middle data row).
    6. Duos: one Status typed in French, "Actif" (the first Active duo).
    7. Staff: one Active cell typed "oui" (the first staff row).

    Grids stay rectangular. A quirk whose tab, column or row is missing is skipped.
    """
    participants = grids.get("Participants")
    if participants:
        _rename_headers(participants, {"First name": "Prénom", "Birth date": "Date de naissance"})
        _semicolon_list(participants, "Languages")
        _staff_column(participants, "Remarque interne", QUIRK_NOTES)
        _blank_row(participants)
    meetings = grids.get("Meetings")
    if meetings:
        _belgian_date(meetings, "Date")
    duos = grids.get("Duos")
    if duos:
        _replace_first(duos, "Status", "Active", "Actif")
    staff = grids.get("Staff")
    if staff and len(staff) > 1 and "Active" in staff[0]:
        staff[1][staff[0].index("Active")] = "oui"


def _rename_headers(grid: list[list[object]], renames: dict[str, str]) -> None:
    grid[0] = [renames.get(str(header), header) for header in grid[0]]


def _semicolon_list(grid: list[list[object]], column: str) -> None:
    if column not in grid[0]:
        return
    index = grid[0].index(column)
    for row in grid[1:]:
        value = row[index]
        raw_items = value if isinstance(value, list) else str(value).split(",")
        items = [str(item).strip() for item in raw_items if str(item).strip()]
        if len(items) > 1:
            row[index] = "; ".join(items)
            return


def _staff_column(grid: list[list[object]], header: str, values: tuple[str, ...]) -> None:
    grid[0].append(header)
    for row in grid[1:]:
        row.append("")
    rows = [1, len(grid) - 1] if len(grid) > 2 else [1] if len(grid) > 1 else []
    for row_index, value in zip(rows, values, strict=False):
        grid[row_index][-1] = value


def _blank_row(grid: list[list[object]]) -> None:
    if len(grid) < 3:
        return
    blank: list[object] = [""] * len(grid[0])
    grid.insert(1 + (len(grid) - 1) // 2, blank)


def _belgian_date(grid: list[list[object]], column: str) -> None:
    if column not in grid[0] or len(grid) < 2:
        return
    index = grid[0].index(column)
    row = grid[1 + (len(grid) - 2) // 2]
    value = row[index]
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return
    if isinstance(value, dt.date):
        row[index] = value.strftime("%d/%m/%Y")


def _replace_first(grid: list[list[object]], column: str, old: str, new: str) -> None:
    if column not in grid[0]:
        return
    index = grid[0].index(column)
    for row in grid[1:]:
        if row[index] == old:
            row[index] = new
            return
