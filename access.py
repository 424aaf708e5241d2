"""Who may enter, with which role and offices; passwords; slowing down guessing.

Pure functions (no Streamlit): the sign-in page and the shell call them.
- Staff: the workbook's Staff tab says who may enter (Email, Name, Role, Offices, Active);
  secrets may name bootstrap admins (`[staff] admins = [...]`) so the first admin can get in
  before the tab has rows.
- Passwords (offline use, no identity provider): per-person salted scrypt hashes in secrets
  (`[passwords]`), compared in constant time; `python -m access hash` prints a hash.
- Failed attempts make the next attempt wait longer, per account and per source (the
  client's address), whatever the browser session; attempts on one account take turns.
- Staying signed in (password and demo users): a signed, expiring session token (e-mail and
  expiry, HMAC-SHA256 with the app's secret key) kept in a browser cookie; `session_email`
  checks it. Whether that person may still enter is checked against Staff on every run.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakValueDictionary

import pandas as pd

from sheets.values import normalise_key, split_list

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCRYPT_MAX_MEMORY = 64 * 2**20
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 30.0
FORGET_AFTER_SECONDS = 15 * 60.0
FORWARDED_FOR = "X-Forwarded-For"
SESSION_COOKIE = "duo_session"
SESSION_SECONDS = 10 * 60 * 60
"""A working day: how long a session cookie keeps someone signed in."""
MAX_SESSION_TOKEN_CHARS = 500
_SESSION_CONTEXT = b"duo-for-a-job session cookie\x00"
"""Mixed into every signature, so a meeting-log link signed with the same key never passes."""
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


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

    Keys are an account (`account:<e-mail>`) and a source (`source:<address>`): one per
    process, shared by every session, so that opening new sessions resets nothing. The
    wait is served before the password is even checked, so guessing stays slow whatever
    the guesser does with the answer. A success clears the account; a key without a
    failure for `forget_after` seconds is forgotten (so that the record stays small and an
    office behind one address is not slowed down for long by a colleague's typo).
    Thread-safe; `clock` and `sleep` are injectable so that tests never wait.
    """

    first_delay: float = FIRST_DELAY_SECONDS
    max_delay: float = MAX_DELAY_SECONDS
    forget_after: float = FORGET_AFTER_SECONDS
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    failures: dict[str, int] = field(default_factory=dict)
    last_failure: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _turns: WeakValueDictionary[str, threading.Lock] = field(default_factory=WeakValueDictionary)

    def delay(self, *keys: str) -> float:
        with self._lock:
            self._forget_idle()
            worst = max((self.failures.get(key, 0) for key in keys), default=0)
        if worst == 0:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** (worst - 1))

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self.clock()
            for key in keys:
                self.failures[key] = self.failures.get(key, 0) + 1
                self.last_failure[key] = now

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self.failures.pop(key, None)
                self.last_failure.pop(key, None)

    @contextmanager
    def turn(self, key: str) -> Iterator[None]:
        """One attempt at a time for `key`: parallel attempts on one account queue up, so
        that each waits after the failures of those before it (not all after the same)."""
        with self._lock:
            lock = self._turns.get(key)
            if lock is None:
                lock = threading.Lock()
                self._turns[key] = lock
        with lock:
            yield

    def _forget_idle(self) -> None:
        horizon = self.clock() - self.forget_after
        for key in [key for key, last in self.last_failure.items() if last <= horizon]:
            self.failures.pop(key, None)
            del self.last_failure[key]


THROTTLE = Throttle()
"""The process-wide throttle of the sign-in page (every session of the process shares it)."""


def account_key(email: str) -> str:
    return f"account:{email.strip().casefold()}"


def check_password(
    email: str,
    password: str,
    hashes: Mapping[str, str],
    throttle: Throttle,
    source: str,
    sleep: Callable[[float], None] | None = None,
) -> bool:
    """Wait as the throttle says, then compare; unknown accounts cost the same as known ones.

    The account's turn is held while waiting and checking, so that parallel guesses on one
    account are answered one after another, each after a longer wait. `source` says where
    the attempt comes from (see `request_source`); its failures slow down every account.
    """
    account = email.strip().casefold()
    keys = (account_key(account), f"source:{source}")
    with throttle.turn(keys[0]):
        (sleep or throttle.sleep)(throttle.delay(*keys))
        stored = {key.strip().casefold(): value for key, value in hashes.items()}.get(account)
        ok = verify_password(password, stored or _DUMMY_HASH)
        if ok and stored is not None:
            throttle.succeeded(keys[0])
            return True
        throttle.failed(*keys)
        return False


def request_source(
    ip_address: str | None, forwarded_for: Sequence[str] = (), *, behind_proxy: bool = False
) -> str:
    """Where a request comes from, as a key for the limits: `ip:<address>`, or "" if unknown.

    `ip_address` is Streamlit's (`st.context.ip_address`: None on a local connection).
    Behind a reverse proxy that address is the proxy's, so when `behind_proxy` is set (and
    only then: a client can write any header) the last `X-Forwarded-For` entry is used,
    the one the proxy added. An IPv6 address counts by its /64 network, which one
    subscriber gets whole. Anything but a text address (a test runtime's stand-in) counts
    as unknown.
    """
    entries = [
        part.strip()
        for value in forwarded_for
        if isinstance(value, str)
        for part in value.split(",")
    ]
    entries = [entry for entry in entries if entry]
    address = entries[-1] if behind_proxy and entries else ip_address
    if not address or not isinstance(address, str):
        return ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"ip:{address}"
    if parsed.version == 6:
        return f"ip:{ipaddress.ip_network(f'{parsed}/64', strict=False)}"
    return f"ip:{parsed}"


def behind_proxy(secrets_: Mapping[str, Any]) -> bool:
    """`[access] behind_proxy = true` in secrets: trust the proxy's `X-Forwarded-For`."""
    return bool(secrets_.get("access", {}).get("behind_proxy", False))


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


def sign_session(email: str, expires: float, secret: str) -> str:
    """A session token for `email` that stops working at `expires` (seconds since the epoch)."""
    data = {"e": email.strip().casefold(), "x": int(expires)}
    payload = _b64url(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_b64url(_session_mac(secret, payload))}"


def session_email(token: str | None, secret: str | None, now: float) -> str | None:
    """The e-mail a session token was signed for, or None: malformed, tampered or expired."""
    if not secret or not isinstance(token, str) or len(token) > MAX_SESSION_TOKEN_CHARS:
        return None
    payload, _, mac = token.strip().partition(".")
    if not _BASE64URL.fullmatch(payload) or not _BASE64URL.fullmatch(mac or "!"):
        return None
    try:
        if not hmac.compare_digest(_unb64url(mac), _session_mac(secret, payload)):
            return None
        data = json.loads(_unb64url(payload))
        email, expires = data["e"], data["x"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(email, str) or not email or not isinstance(expires, int):
        return None
    return email if now < expires else None


def _session_mac(secret: str, payload: str) -> bytes:
    key = secret.encode()
    return hmac.new(key, _SESSION_CONTEXT + payload.encode("ascii"), hashlib.sha256).digest()


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


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
