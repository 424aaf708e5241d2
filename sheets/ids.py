"""Record IDs: short, readable, unique, never reused (`P-7KQ4M2`).

Six characters from an alphabet without look-alikes (no 0/O, 1/I/L, U) give about 887
million IDs per prefix. They are drawn at random rather than counted, so two people
creating records at the same moment, in different processes or against a Google sheet
with no lock at all, do not collide; the store still checks the draw against the IDs
already in the tab.

This format is only for the IDs the app creates. IDs staff typed in a sheet they brought
(`P-001`, `2024-17`, ...) are just as valid: any non-empty ID used on one row only. The
store finds rows by ID trimmed and ignoring case, so a new ID is checked against the tab's
IDs as typed and in lower case (a staff ID in the app's shape typed in mixed case is not
worth the cost of a case-blind check on every draw).
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
from collections.abc import Collection

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6


def new_id(prefix: str, taken: Collection[str] = (), rng: random.Random | None = None) -> str:
    """A fresh ID with `prefix` that is not in `taken` (the tab's IDs as typed, whatever
    their shape), nor there in lower case: rows are found ignoring case.

    `rng` is for deterministic demo data only; the app always uses the system's
    cryptographic generator.
    """
    while True:
        if rng is None:
            body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        else:
            body = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
        candidate = f"{prefix}-{body}"
        if candidate not in taken and candidate.lower() not in taken:
            return candidate


def id_for(prefix: str, seed: str) -> str:
    """The ID a given form render always gets: the same `seed` (a render's submission token)
    gives the same ID, so a form sent again after an error whose write had in fact landed
    finds its record there and writes nothing twice."""
    digest = hashlib.sha256(seed.encode()).digest()
    body = "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:LENGTH])
    return f"{prefix}-{body}"


def id_pattern(prefix: str) -> str:
    """A regular expression for the IDs the app issues with `prefix` (not a rule for the
    IDs staff type)."""
    return f"{re.escape(prefix)}-[{ALPHABET}]{{{LENGTH}}}"


def looks_like_id(value: str, prefix: str) -> bool:
    """True when `value` has the shape of an ID the app issues for `prefix`."""
    return re.fullmatch(id_pattern(prefix), value) is not None
