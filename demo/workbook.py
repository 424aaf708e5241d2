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
    """Each tab as a grid with the canonical headers in row 1 and canonical cells below."""
    grids: dict[str, list[list[Any]]] = {}
    for tab in TABS:
        headers = canonical_headers(tab)
        rows = [core.record_to_row(tab, headers, record) for record in records.get(tab.name, [])]
        grids[tab.name] = [list(tab.column_names), *rows]
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
