"""Store benchmark: prints figures, asserts nothing. Run: `.venv/bin/python -m bench.store`.

Scenarios
- demo scale (the demo workbook): local cold load + parse, warm read, one append, one update;
- national scale (10,000 participants, 6,000 duos, 150,000 meetings): raw cells of all tabs
  -> DataFrames + findings, time and peak memory; local cold load of the .xlsx file;
- Google on the emulator: calls and bytes of one page load, at both scales;
- use cases on the local backend at demo scale, each ONE unit of work (one file save):
  attendance of 30 people with their status moves, a duo step (the duo and both people).
Targets (issue 2): local write < 0.5 s at demo scale; national parse < 2 s and < 500 MB;
one read call per page load. One use case, one outcome: attendance for 30 people < 1 s,
a duo step < 0.5 s (local, demo scale).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from google.auth.credentials import AnonymousCredentials

import demo
from access import User
from demo.workbook import grids_from_records
from services.duos import change_duo
from services.sessions import SessionDraft, mark_attendance, plan_session
from sheets.google import GoogleStore
from sheets.local import LocalStore, create_workbook
from sheets.reader import read_grid
from sheets.schema import TABS, tab
from sheets.store import Store
from tests.sheets_emulator import SheetsEmulator
from workflow import Complete, cell_text, records

TODAY = dt.date(2026, 11, 26)
COMPLETE = Complete(TODAY, confirmed=True, reason="Found a job")
"""A duo step: completing an active duo (before its planned end: confirmed, with a reason)."""
BENCH_ADMIN = User("bench@example.org", "Bench", "Admin")
GROUP = 30
"""People whose attendance one coordinator marks at once."""
GOOGLE_GROUP = 100
"""A large session's attendance, on the emulator (the demo's biggest office may have fewer)."""
NATIONAL = {"Participants": 10_000, "Duos": 6_000, "Meetings": 150_000}
PAGE_TABS = ["Participants", "Duos", "Meetings", "Check-ins", "Evaluations", "Sessions"]


@contextmanager
def timed(label: str, results: dict[str, float]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    results[label] = time.perf_counter() - started


def best_of(runs: int, action: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def timed_call(action: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    started = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - started


def national_grids() -> dict[str, list[list[Any]]]:
    """Demo data scaled up, then cut to the national figures of issue 2."""
    records = demo.generate(seed=7, scale=78, today=TODAY)
    for name, count in NATIONAL.items():
        records[name] = records[name][:count]
    return grids_from_records(records)


def parse_all(grids: dict[str, list[list[Any]]]) -> int:
    findings = 0
    for name, grid in grids.items():
        findings += len(read_grid(tab(name), grid, TODAY).findings)
    return findings


def bench_parse(grids: dict[str, list[list[Any]]], label: str) -> None:
    cells = sum(len(grid) * len(grid[0]) for grid in grids.values() if grid)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    findings = parse_all(grids)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    warm = best_of(3, lambda: parse_all(grids))
    print(
        f"{label}: {cells:,} cells -> DataFrames + findings: first {elapsed:.2f} s, "
        f"best of 3 {warm:.2f} s, peak {peak / 2**20:.0f} MB traced, {findings} findings"
    )


def bench_local(grids: dict[str, list[list[Any]]], label: str, folder: Path) -> None:
    path = folder / f"{label}.xlsx"
    create_workbook(path, grids)
    names = [t.name for t in TABS]
    store = LocalStore(path)
    results: dict[str, float] = {}
    with timed("cold", results):
        store.read(names)
    with timed("warm", results):
        store.read(names)
    person = str(store.table("Participants").frame["ID"].iloc[0])
    duo = str(store.table("Duos").frame["ID"].iloc[0])
    meeting = {"Duo ID": duo, "Date": TODAY, "Hours": 2, "Mode": "In person"}
    with timed("first write (loads the workbook for writing)", results):
        store.append("Meetings", [meeting], who="bench")
    appends = [timed_call(store.append, "Meetings", [meeting], who="bench") for _ in range(3)]
    updates = [
        timed_call(store.update, "Participants", person, {"Notes": f"n{n}"}, "bench")
        for n in range(3)
    ]
    with timed("read after a write", results):
        store.read(names)
    print(
        f"{label} local ({path.stat().st_size / 2**20:.1f} MB .xlsx): "
        f"cold load + parse {results['cold']:.2f} s, warm read {results['warm'] * 1000:.1f} ms, "
        f"first write {results['first write (loads the workbook for writing)']:.2f} s, "
        f"append {min(appends):.2f}-{max(appends):.2f} s, "
        f"update {min(updates):.2f}-{max(updates):.2f} s, "
        f"read after a write {results['read after a write']:.2f} s"
    )


def bench_google(grids: dict[str, list[list[Any]]], label: str) -> None:
    with SheetsEmulator() as emulator:
        emulator.create_spreadsheet("bench", tabs=grids, raw=True)
        store = GoogleStore(
            "bench",
            AnonymousCredentials(),  # type: ignore[no-untyped-call]
            api_base=emulator.url,
            cache_seconds=15,
        )
        emulator.reset_log()
        started = time.perf_counter()
        store.read(PAGE_TABS)
        cold = time.perf_counter() - started
        requests = emulator.requests
        reads = [r for r in requests if r.kind == "values.batchGet"]
        received = sum(len(r.response_body) for r in requests)
        emulator.reset_log()
        started = time.perf_counter()
        store.read(PAGE_TABS)
        warm = time.perf_counter() - started
        cached_calls = emulator.count()
        print(
            f"{label} Google (emulator): first page load {len(requests)} calls "
            f"({len(reads)} values:batchGet + metadata), {received / 2**20:.1f} MB received, "
            f"{cold:.2f} s; next page load within the cache: {cached_calls} calls, "
            f"{warm * 1000:.1f} ms"
        )


def bench_use_cases(grids: dict[str, list[list[Any]]], label: str, folder: Path) -> None:
    """Attendance of 30 people and duo steps on the local file, the book loaded for writing
    (as in a running app); each is one unit of work: the writes counted say so."""
    path = folder / f"{label} use cases.xlsx"
    create_workbook(path, grids)
    store = LocalStore(path)
    session_id, group = _enrolled_group(store)
    writes = store.status().writes
    seen = dict.fromkeys(group, "Registered")
    attendance = timed_call(
        mark_attendance, store, BENCH_ADMIN, session_id, set(group), seen, today=TODAY
    )
    attendance_writes = store.status().writes - writes
    steps = []
    for duo in _active_duos(store, 3):
        writes = store.status().writes
        steps.append(timed_call(change_duo, store, BENCH_ADMIN, duo["ID"], COMPLETE, TODAY, duo))
        assert store.status().writes - writes == 1
    print(
        f"{label} local use cases: attendance of {len(group)} people "
        f"{attendance:.2f} s in {attendance_writes} write (target < 1 s); "
        f"duo step {min(steps):.2f}-{max(steps):.2f} s in 1 write each (target < 0.5 s)"
    )


def bench_google_use_cases(grids: dict[str, list[list[Any]]], label: str) -> None:
    """The calls each use case makes on the emulator (target: at most 3, read, write and
    verify, whatever the size), and how long it takes over local HTTP."""
    with SheetsEmulator() as emulator:
        emulator.create_spreadsheet("use-cases", tabs=grids, raw=True)
        store = GoogleStore(
            "use-cases",
            AnonymousCredentials(),  # type: ignore[no-untyped-call]
            api_base=emulator.url,
            cache_seconds=15,
        )
        session_id, group = _enrolled_group(store, GOOGLE_GROUP)
        seen = dict.fromkeys(group, "Registered")
        duo = _active_duos(store, 1)[0]
        figures = []
        for name, action in (
            (
                f"attendance of {len(group)} people",
                lambda: mark_attendance(
                    store, BENCH_ADMIN, session_id, set(group), seen, today=TODAY
                ),
            ),
            (
                "a duo step",
                lambda: change_duo(store, BENCH_ADMIN, duo["ID"], COMPLETE, TODAY, duo),
            ),
        ):
            store.read(PAGE_TABS)
            emulator.reset_log()
            took = timed_call(action)
            kinds = [request.kind for request in emulator.requests]
            writes = kinds.count("spreadsheets.batchUpdate")
            figures.append(f"{name} {len(kinds)} calls ({writes} write) {took:.2f} s")
        print(f"{label} Google (emulator) use cases: " + "; ".join(figures))


def _enrolled_group(store: Store, size: int = GROUP) -> tuple[str, list[str]]:
    """An information session held yesterday with `size` people of its office registered
    (the applicants among them move on when marked); the book is loaded for writing by then."""
    people = store.table("Participants").frame
    office = str(people["Office"].value_counts().index[0])
    draft = SessionDraft("Info session", TODAY - dt.timedelta(days=1), office, "French", size + 10)
    [session_id] = plan_session(store, BENCH_ADMIN, draft, TODAY).ids
    here = people[people["Office"] == office]
    applied = here["Status"] == "Applied"
    group = [str(person) for person in [*here.loc[applied, "ID"], *here.loc[~applied, "ID"]]]
    group = group[:size]
    rows = [
        {"Session ID": session_id, "Participant ID": person, "Status": "Registered"}
        for person in group
    ]
    store.append("Attendance", rows, who="bench")
    return session_id, group


def _active_duos(store: Store, count: int) -> list[dict[str, Any]]:
    duos = records(store.table("Duos").frame)
    return [duo for duo in duos if cell_text(duo, "Status") == "Active"][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        records = demo.generate(scale=1, today=TODAY)
        grids = grids_from_records(records)
        bench_parse(grids, "demo scale")
        bench_local(grids, "demo scale", Path(folder))
        bench_use_cases(grids, "demo scale", Path(folder))
        bench_google(grids, "demo scale")
        bench_google_use_cases(grids, "demo scale")
        if args.skip_national:
            return
        grids = national_grids()
        rows = {name: len(grid) - 1 for name, grid in grids.items()}
        print("national scale rows:", ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        bench_parse(grids, "national scale")
        bench_google(grids, "national scale")
        bench_local(grids, "national scale", Path(folder))


if __name__ == "__main__":
    main()
