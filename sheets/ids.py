"""Record IDs: short, readable, unique, never reused (`P-7KQ4M2`).

Six characters from an alphabet without look-alikes (no 0/O, 1/I/L, U) give about 887
million IDs per prefix. They are drawn at random rather than counted, so two people
creating records at the same moment, in different processes or against a Google sheet
with no lock at all, do not collide; the store still checks the draw against the IDs
already in the tab.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Collection

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6


def new_id(prefix: str, taken: Collection[str] = (), rng: random.Random | None = None) -> str:
    """A fresh ID with `prefix` that is not in `taken`.

    `rng` is for deterministic demo data only; the app always uses the system's
    cryptographic generator.
    """
    while True:
        if rng is None:
            body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        else:
            body = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
        candidate = f"{prefix}-{body}"
        if candidate not in taken:
            return candidate


def id_pattern(prefix: str) -> str:
    """A regular expression for the IDs the app issues with `prefix`."""
    return f"{re.escape(prefix)}-[{ALPHABET}]{{{LENGTH}}}"


def looks_like_id(value: str, prefix: str) -> bool:
    """True when `value` has the shape of an ID the app issues for `prefix`."""
    return re.fullmatch(id_pattern(prefix), value) is not None
