"""Putting the synthetic demo data (`demo.generate`) into a workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import clock
from demo.quirks import apply_quirks
from demo.simulator import generate
from sheets import core
from sheets.local import create_workbook
from sheets.reader import Headers
from sheets.schema import TABS, Tab

Records = Mapping[str, Sequence[Mapping[str, Any]]]


def canonical_headers(tab: Tab) -> Headers:
    names = tab.column_names
    return Headers({name: index for index, name in enumerate(names)}, {}, len(names))


def grids_from_records(records: Records) -> dict[str, list[list[Any]]]:
    """Each tab as a grid with the canonical headers in row 1 and canonical cells below.

    A record's value for a column the schema does not (yet) define lands in a column of its
    own after the canonical ones, as text, as a column staff added would be.
    """
    grids: dict[str, list[list[Any]]] = {}
    for tab in TABS:
        headers = canonical_headers(tab)
        rows = records.get(tab.name, [])
        known = set(tab.column_names)
        extra = list(dict.fromkeys(name for row in rows for name in row if name not in known))
        grid: list[list[Any]] = [[*tab.column_names, *extra]]
        for record in rows:
            cells = core.record_to_row(tab, headers, record)
            grid.append([*cells, *(str(record.get(name, "") or "") for name in extra)])
        grids[tab.name] = grid
    return grids


def write_demo_workbook(
    path: Path, *, seed: int = 2013, scale: float = 1.0, today: dt.date | None = None
) -> dict[str, int]:
    """Generate the demo data, add the hand-edit quirks, write `path`; return rows per tab."""
    records = generate(seed=seed, scale=scale, today=today or clock.today())
    grids = grids_from_records(records)
    apply_quirks(grids)
    create_workbook(path, grids)
    return {name: len(grid) - 1 for name, grid in grids.items()}
