"""Benchmark of matching.py on synthetic pools (seeded): `python bench/matching.py [--quick]`.

Prints, for pools shaped like DUO for a JOB's (one office, or 13 offices):
- ranking one mentee against 2,000 mentors (target: under 20 ms);
- the whole-pool proposal for 2,000 mentees x 2,000 mentors (target: under 1 s and 1 GB), with
  the share of the time spent in scipy's assignment solver;
- the speed-up over a straightforward per-pair Python implementation of the same score
  (`matching_score.pair_values` / `pair_failures` in a loop), whose results are checked equal.
Memory is each run's peak resident size, measured in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import matching  # noqa: E402
from matching_score import (  # noqa: E402
    build_side,
    failed_pairs,
    open_duo_counts,
    pair_failures,
    pair_values,
)

TODAY = date(2026, 3, 2)
OFFICES = (
    "Brussels", "Antwerp", "Liège", "Ghent", "Mechelen", "Aalst", "Sint-Niklaas", "Charleroi",
    "Leuven", "Namur", "Hasselt", "Mons", "Kortrijk",
)  # fmt: skip
POSTCODES = {office: 1000 + 700 * k % 9000 for k, office in enumerate(OFFICES)}
SECTORS = (
    "ICT", "Telecom", "Finance", "Banking", "Insurance", "Healthcare", "Pharma", "Education",
    "Social work", "Hospitality", "Horeca", "Retail", "Logistics", "Transport", "Construction",
    "Real estate", "Manufacturing", "Energy", "Media", "Marketing", "Legal", "HR", "Consulting",
    "Public sector", "Agriculture",
)  # fmt: skip
TOPICS = (
    "CV", "Interview", "Network", "Job search", "Dutch practice", "French practice",
    "Training choice", "Self-confidence", "Entrepreneurship", "LinkedIn", "Labour law",
    "Diploma recognition",
)  # fmt: skip
OTHER_LANGUAGES = ("Arabic", "Berber", "Turkish", "Dari", "Pashto", "Tigrinya", "Somali",
                   "Spanish", "Portuguese", "Russian", "Ukrainian", "Lingala")  # fmt: skip
WORDS = (
    "calm", "patient", "outgoing", "shy", "structured", "creative", "funny", "curious",
    "motivated", "direct", "caring", "football", "sport", "music", "cooking", "reading",
    "travel", "art", "cinema", "hiking", "technology", "volunteering", "chess", "photography",
    "gardening", "dance", "calme", "rustig", "voetbal", "musique", "koken", "lecture", "voyage",
    "geduldig", "sociable", "timide", "curieux", "humour", "fitness", "films",
)  # fmt: skip
SLOTS = [f"{d} {p}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
         for p in ("AM", "PM", "EVE")]  # fmt: skip


def _pick(rng: np.random.Generator, items: Any, low: int, high: int) -> list[str]:
    return [str(x) for x in rng.choice(items, size=int(rng.integers(low, high + 1)), replace=False)]


def synthetic_pool(
    mentees: int, mentors: int, offices: int, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Participants (mentees then mentors) and duos, in the store's shapes."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    for k in range(mentees + mentors):
        mentor = k >= mentees
        office = OFFICES[int(rng.integers(offices))]
        programme = _pick(rng, ["French", "Dutch", "English"], 1, 3 if mentor else 2)
        languages = (
            programme
            if mentor or rng.random() < 0.4
            else [str(rng.choice(OTHER_LANGUAGES)), *programme]
        )
        woman = rng.random() < 0.5
        preference = ""
        if not mentor and woman and rng.random() < 0.2:
            preference = str(rng.choice(["Prefers a woman mentor", "femme", "vrouw liefst"]))
        rows.append(
            {
                "ID": f"P-{k:06d}",
                "Role": "Mentor" if mentor else "Mentee",
                "Status": "Ready" if rng.random() < (0.9 if mentor else 1.0) else "Trained",
                "First name": f"First{k}",
                "Last name": f"Last{k}",
                "Gender": "Woman" if woman else "Man",
                "Office": office,
                "Postcode": str(POSTCODES[office] + int(rng.integers(0, 90))),
                "Languages": languages,
                "Sectors": _pick(rng, SECTORS, 1, 2),
                "Topics": _pick(rng, TOPICS, 2, 5) if mentor else _pick(rng, TOPICS, 1, 4),
                "Availability": _pick(rng, SLOTS, 3, 8),
                "Personality": ", ".join(_pick(rng, WORDS, 0, 4)),
                "Preferences": preference,
                "Capacity": float(rng.choice([math.nan, 2.0, 3.0], p=[0.8, 0.15, 0.05])),
                "Intake on": pd.Timestamp(TODAY - timedelta(days=int(rng.integers(0, 120)))),
                "_row": k + 2,
            }
        )
    people = pd.DataFrame(rows)
    mentor_ids = people.loc[people["Role"] == "Mentor", "ID"].to_numpy()
    mentee_ids = people.loc[people["Role"] == "Mentee", "ID"].to_numpy()
    duo_count = mentors // 5
    duos = pd.DataFrame(
        {
            "ID": [f"D-{k:06d}" for k in range(duo_count)],
            "Mentor ID": rng.choice(mentor_ids, duo_count),
            "Mentee ID": rng.choice(mentee_ids, duo_count),
            "Status": rng.choice(["Active", "Completed", "Declined", "Ended early"], duo_count),
        }
    )
    # Duos of active mentees would take them out of the pool; keep every mentee waiting.
    duos.loc[duos["Status"] == "Active", "Mentee ID"] = "P-elsewhere"
    return people, duos


def _best_of(runs: int, action: Any) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def _per_pair_scores(
    people: pd.DataFrame, duos: pd.DataFrame, mentee_rows: int
) -> tuple[np.ndarray, float, float]:
    """The same scores one pair at a time in plain Python, after the same parsing: the scores
    (-1 for ineligible pairs), the parsing seconds and the per-pair loop seconds."""
    settings = matching.MatchSettings()
    started = time.perf_counter()
    mentees = build_side(
        people[people["Role"] == "Mentee"], load=open_duo_counts(duos, "Mentee ID"), today=TODAY
    )
    mentors = build_side(
        people[people["Role"] == "Mentor"], load=open_duo_counts(duos, "Mentor ID"), today=TODAY
    )
    failed = failed_pairs(duos)
    parsed = time.perf_counter()
    weights = settings.weights()
    total = sum(weights.values())
    mentor_people = [mentors.person(j) for j in range(len(mentors))]
    scores = np.zeros((mentee_rows, len(mentors)))
    for i in range(mentee_rows):
        mentee = mentees.person(i)
        for j, mentor in enumerate(mentor_people):
            values = pair_values(mentee, mentor, related_credit=0.5, full_slots=3)
            broken = pair_failures(mentee, mentor, failed_before=(mentee.id, mentor.id) in failed)
            score = sum(100 * weights[p] * v / total for p, v in values.items())
            scores[i, j] = -1 if broken else score
    return scores, parsed - started, time.perf_counter() - parsed


def _vector_scores(people: pd.DataFrame, duos: pd.DataFrame, mentee_rows: int) -> np.ndarray:
    pool = matching.prepare_pool(people, duos, today=TODAY)
    mentees = pool.mentees.take(np.arange(mentee_rows))
    scored = matching._score(mentees, pool.mentors, pool.failed, matching.MatchSettings())
    return np.where(scored.hard, -1, scored.score)


def _check(people: pd.DataFrame, duos: pd.DataFrame, rows: int) -> tuple[float, float]:
    """Per-pair parsing and loop seconds for `rows` mentees, after checking the scores match."""
    naive_scores, parse_seconds, loop_seconds = _per_pair_scores(people, duos, rows)
    fast_scores = _vector_scores(people, duos, rows)
    assert np.allclose(naive_scores, fast_scores, atol=1e-3), "per-pair and vectorised differ"
    return parse_seconds, loop_seconds


def bench_rank(people: pd.DataFrame, duos: pd.DataFrame) -> dict[str, float]:
    """Median and worst time over 20 mentees, from the DataFrames (a pool of that mentee and the
    2,000 mentors prepared on every call), from a prepared `MatchPool`, and with every blocked
    mentor explained too."""
    is_mentor = (people["Role"] == "Mentor").to_numpy()
    mentees = people[~is_mentor]
    pool = matching.prepare_pool(people, duos, today=TODAY)
    samples = [str(i) for i in mentees["ID"].iloc[:: max(len(mentees) // 20, 1)]]

    def from_frames(mentee_id: str, frame: pd.DataFrame) -> matching.Ranking:
        return matching.rank(matching.prepare_pool(frame, duos, today=TODAY), "Mentee", mentee_id)

    cold, warm, explained = [], [], []
    for mentee_id in samples:
        frame = people[is_mentor | (people["ID"] == mentee_id).to_numpy()]
        cold.append(_best_of(3, lambda m=mentee_id, f=frame: from_frames(m, f)))
        warm.append(_best_of(3, lambda m=mentee_id: matching.rank(pool, "Mentee", m)))
        explained.append(_best_of(3, lambda m=mentee_id: matching.rank(pool, "Mentee", m).blocked))
    parse_seconds, loop_seconds = _check(people, duos, 1)
    return {
        "median_ms": 1000 * statistics.median(cold),
        "max_ms": 1000 * max(cold),
        "pool_median_ms": 1000 * statistics.median(warm),
        "pool_max_ms": 1000 * max(warm),
        "explained_median_ms": 1000 * statistics.median(explained),
        "per_pair_loop_ms": 1000 * loop_seconds,
        "pool_vs_per_pair": loop_seconds / statistics.median(warm),
        "cold_vs_per_pair": (loop_seconds + parse_seconds) / statistics.median(cold),
    }


def bench_propose(people: pd.DataFrame, duos: pd.DataFrame, check_rows: int) -> dict[str, float]:
    proposals = []

    def run() -> None:
        proposals.append(matching.propose(matching.prepare_pool(people, duos, today=TODAY)))

    first = _best_of(1, run)
    seconds = _best_of(3, run)
    proposal = min(proposals[1:], key=lambda p: p.seconds)
    parse_seconds, loop_seconds = _check(people, duos, check_rows)
    mentees = int((people["Role"] == "Mentee").sum())
    per_pair = parse_seconds + loop_seconds * mentees / check_rows
    return {
        "first_seconds": first,
        "seconds": seconds,
        "solver_share": proposal.solver_seconds / seconds,
        "solver_seconds": proposal.solver_seconds,
        "matched": len(proposal.pairs),
        "unmatched": len(proposal.unmatched),
        "per_pair_scoring_seconds_extrapolated": per_pair,
        "vs_per_pair": per_pair / seconds,
    }


def _child(kind: str, mentees: int, mentors: int, offices: int) -> None:
    """Run one measurement in this fresh process and print it as JSON (peak memory included)."""
    people, duos = synthetic_pool(mentees, mentors, offices)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if kind == "rank":
        result = bench_rank(people, duos)
    else:
        result = bench_propose(people, duos, check_rows=max(mentees // 40, 1))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result |= {"peak_rss_mb": peak / 1024, "rss_before_mb": before / 1024}
    print(json.dumps(result))


def _measure(kind: str, mentees: int, mentors: int, offices: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, str(mentees), str(mentors), str(offices)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller pools (a smoke test)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *sizes = args.child
        _child(kind, *(int(s) for s in sizes))
        return
    size = 200 if args.quick else 2000
    print(f"matching.py benchmark ({size} mentees x {size} mentors, 2 cores)")
    for offices in (1, 13):
        label = "1 office" if offices == 1 else "13 offices"
        rank = _measure("rank", size, size, offices)
        print(
            f"  rank one mentee ({label}): {rank['median_ms']:.1f} ms median "
            f"(max {rank['max_ms']:.1f}) from the DataFrames, "
            f"{rank['pool_median_ms']:.1f} ms (max {rank['pool_max_ms']:.1f}) from a MatchPool, "
            f"{rank['explained_median_ms']:.1f} ms with every blocked mentor explained; "
            f"per-pair loop {rank['per_pair_loop_ms']:.0f} ms: "
            f"{rank['pool_vs_per_pair']:.0f}x (pool), {rank['cold_vs_per_pair']:.1f}x (DataFrames)"
        )
        pool = _measure("propose", size, size, offices)
        print(
            f"  propose whole pool ({label}): {pool['seconds']:.3f} s "
            f"(first call {pool['first_seconds']:.3f} s), solver {pool['solver_seconds']:.3f} s "
            f"= {100 * pool['solver_share']:.0f}% of the time, "
            f"{pool['matched']:.0f} matched / {pool['unmatched']:.0f} unmatched, "
            f"peak memory {pool['peak_rss_mb']:.0f} MB "
            f"(process before: {pool['rss_before_mb']:.0f} MB); per-pair scoring alone "
            f"~{pool['per_pair_scoring_seconds_extrapolated']:.0f} s = "
            f"{pool['vs_per_pair']:.0f}x the whole proposal"
        )


if __name__ == "__main__":
    main()
