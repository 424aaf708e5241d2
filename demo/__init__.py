"""The demo: a programme simulator that fills a workbook with synthetic data.

`generate` (in `simulator.py`) simulates the last 18 months of the programme and returns
records for every tab; its lists of names, offices and texts are data files beside it
(`names.toml`, `lists.toml`, `texts.toml`, read by `data.py`). `apply_quirks` (in
`quirks.py`) roughens the grids the way hand edits do, and `workbook.py` writes the result
into a workbook (`python -m sheets demo`, or the demo workbook on the app's first start).

The demo uses the store (`sheets`) and the domain rules; the store never imports it at
module level.
"""

from __future__ import annotations

from demo.quirks import apply_quirks
from demo.simulator import Record, Tables, generate

__all__ = ["Record", "Tables", "apply_quirks", "generate"]
