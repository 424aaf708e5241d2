"""Who may enter, with which role and offices; passwords; slowing down guessing.

Pure functions (no Streamlit): the sign-in page and the shell call them.
- Staff: the workbook's Staff tab says who may enter (Email, Name, Role, Offices, Active);
  secrets may name bootstrap admins (`[staff] admins = [...]`) so the first admin can get in
  before the tab has rows.
- Passwords (offline use, no identity provider): per-person salted scrypt hashes in secrets
  (`[passwords]`), compared in constant time; `python -m access hash` prints a hash.
- Failed attempts make the next attempt wait longer (per account and per browser session).
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sheets.values import normalise_key, split_list

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCRYPT_MAX_MEMORY = 64 * 2**20
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 30.0


@dataclass(frozen=True)
class User:
    email: str
    name: str
    role: str
    """"Admin" or "Coordinator"."""
    offices: tuple[str, ...] = ()
    """The offices a coordinator works for; admins see every office."""

    @property
    def is_admin(self) -> bool:
        return self.role == "Admin"

    def may_see(self, office: str) -> bool:
        return self.is_admin or office in self.offices


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash`, salt and hash in base64: what goes into secrets."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; constant-time; False for junk hashes."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAX_MEMORY, dklen=32
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass
class Throttle:
    """A growing wait after failed attempts: 0.5 s, 1 s, 2 s ... up to 30 s, per key.

    The wait is served before the password is even checked, so guessing stays slow
    whatever the guesser does with the answer. A success clears the key.
    """

    first_delay: float = FIRST_DELAY_SECONDS
    max_delay: float = MAX_DELAY_SECONDS
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def delay(self, *keys: str) -> float:
        with self._lock:
            worst = max((self.failures.get(key, 0) for key in keys), default=0)
        if worst == 0:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** (worst - 1))

    def failed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self.failures[key] = self.failures.get(key, 0) + 1

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self.failures.pop(key, None)


def check_password(
    email: str,
    password: str,
    hashes: Mapping[str, str],
    throttle: Throttle,
    session_key: str,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Wait as the throttle says, then compare; unknown accounts cost the same as known ones."""
    account = email.strip().casefold()
    keys = (f"account:{account}", f"session:{session_key}")
    sleep(throttle.delay(*keys))
    stored = {key.strip().casefold(): value for key, value in hashes.items()}.get(account)
    ok = verify_password(password, stored or _DUMMY_HASH)
    if ok and stored is not None:
        throttle.succeeded(*keys)
        return True
    throttle.failed(*keys)
    return False


_DUMMY_HASH = hash_password("not a real password", salt=b"0123456789abcdef")


def staff_member(email: str, staff: pd.DataFrame, bootstrap_admins: list[str]) -> User | None:
    """The user this e-mail signs in as, or None when it is not allowed in.

    An active row of the Staff tab gives name, role and offices; an e-mail listed as a
    bootstrap admin in secrets enters as admin even before the tab has rows.
    """
    wanted = email.strip().casefold()
    if not wanted:
        return None
    if not staff.empty:
        rows = staff[staff["Email"].str.strip().str.casefold() == wanted]
        for _, row in rows.iterrows():
            if not bool(row["Active"]):
                return None
            role = "Admin" if normalise_key(row["Role"]) == "admin" else "Coordinator"
            offices = (
                tuple(split_list(row["Offices"]))
                if isinstance(row["Offices"], str)
                else (tuple(row["Offices"]))
            )
            return User(wanted, str(row["Name"]) or wanted, role, offices)
    if wanted in {admin.strip().casefold() for admin in bootstrap_admins}:
        return User(wanted, wanted, "Admin")
    return None


def bootstrap_admins(secrets_: Mapping[str, Any]) -> list[str]:
    return [str(email) for email in secrets_.get("staff", {}).get("admins", [])]


def main(argv: list[str] | None = None) -> int:
    """`python -m access hash`: asks for a password twice and prints its hash for secrets."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["hash"]:
        print("usage: python -m access hash", file=sys.stderr)
        return 2
    first = getpass.getpass("Password: ")
    if len(first) < 10:
        print("error: use at least 10 characters", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != first:
        print("error: the two passwords differ", file=sys.stderr)
        return 1
    print(hash_password(first))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
