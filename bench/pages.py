"""Page speed: each page's run time once the data is cached, at demo and national scale.

Run: `.venv/bin/python -m bench.pages [--skip-national]`. Prints figures, asserts nothing.
Target (issue 3): every page renders in under 1 s with the national-scale workbook cached.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import demo
from bench.store import TODAY, national_grids
from demo.workbook import grids_from_records
from sheets.local import LocalStore, create_workbook
from tests.apptest import ADMIN, ROOT, staff_row
from ui.navigation import COORDINATOR_PAGES, PRIVACY

RUNS = 3


def page_times(workbook: Path) -> dict[str, float]:
    """Median of the warm runs of each page (the first run fills the store's cache)."""
    os.environ["DUO_WORKBOOK"] = str(workbook)
    times: dict[str, float] = {}
    for spec in (*COORDINATOR_PAGES, PRIVACY):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        app.session_state["lang"] = "fr"
        app.session_state["user"] = ADMIN
        app.run()
        app.switch_page(str(ROOT / "pages" / spec.file))
        app.run()
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            app.run()
            runs.append(time.perf_counter() - started)
        if app.exception:
            raise RuntimeError(f"{spec.file}: {app.exception[0].value}")
        times[spec.file] = statistics.median(runs)
    return times


def report(label: str, times: dict[str, float]) -> None:
    print(f"{label}: warm page runs (median of {RUNS}), seconds")
    for page, seconds in times.items():
        print(f"  {page:22s} {seconds:6.2f}")
    print(f"  slowest: {max(times, key=lambda p: times[p])} {max(times.values()):.2f} s")


def workbook_from(grids: dict, folder: Path, name: str) -> Path:  # type: ignore[type-arg]
    path = folder / f"{name}.xlsx"
    create_workbook(path, grids)
    LocalStore(path).append("Staff", [staff_row(ADMIN)], "bench")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        grids = grids_from_records(demo.generate(scale=1, today=TODAY))
        report("demo scale", page_times(workbook_from(grids, Path(folder), "demo")))
        if not args.skip_national:
            national = workbook_from(national_grids(), Path(folder), "national")
            report("national scale", page_times(national))


if __name__ == "__main__":
    main()
