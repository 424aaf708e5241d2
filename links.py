"""Personal meeting-log links: signed tokens that let a duo's mentor (or mentee) log meetings
without an account.

Pure: no Streamlit, no store, no clock (the day is always given). A token is
`base64url(payload) + "." + base64url(HMAC-SHA256(secret, base64url(payload)))`, both parts
without padding, where the payload is compact JSON naming the duo, the person the link was
given to (so that a link stops working if staff put another person in the duo's row), the
duo's link version (raising the Duos tab's "Link version" revokes every older link), the role
and the last day the link works. This module checks only what the token itself proves
(shape, signature, expiry); revocation, an unknown duo, another person in the row and an
inactive duo are checked against the Duos row by `services.meeting_links`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MENTOR, MENTEE = "mentor", "mentee"
ROLES = (MENTOR, MENTEE)
LOG, EVALUATION, FOLLOW_UP = "log", "evaluation", "follow_up"
"""What a link is for: the meeting log, the person's own end evaluation, or the mentee's own
follow-up contacts after the duo."""
DAYS_AFTER_PLANNED_END = 60
DAYS_WITHOUT_PLANNED_END = 240
MAX_TOKEN_CHARS = 600
"""Longer than any token we sign: anything longer is refused before it is decoded."""
_CONTEXT = b"duo-for-a-job meeting-log link\x00"
"""Mixed into every signature, so a signature made with the same key for another purpose
can never pass as a link."""
_CONTEXTS = {
    LOG: _CONTEXT,
    EVALUATION: b"duo-for-a-job evaluation link\x00",
    FOLLOW_UP: b"duo-for-a-job follow-up link\x00",
}
"""One context per purpose: a link of one purpose never opens another's page."""
_MAC_BYTES = hashlib.sha256().digest_size
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class Reason(StrEnum):
    """Why a link does not open the meeting log (never shown to the visitor one by one)."""

    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    REVOKED = "revoked"
    WRONG_DUO = "wrong_duo"
    """No duo has that ID, or the person the link was given to is no longer in its row."""
    INACTIVE = "inactive"
    """The duo is not (or no longer) Active."""


class InvalidLink(ValueError):
    """A link that must not open the meeting log; `reason` says why (for logs and tests)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class LinkClaims:
    """What a link grants: logging meetings for one duo, as one of its two people."""

    duo_id: str
    person_id: str
    version: int
    role: str
    """"mentor" or "mentee"."""
    expires: dt.date
    """The last day the link works."""


def default_expiry(planned_end: dt.date | None, issued: dt.date) -> dt.date:
    """Planned end + 60 days (time to log the last meetings), or 240 days from issue."""
    if planned_end is not None:
        return planned_end + dt.timedelta(days=DAYS_AFTER_PLANNED_END)
    return issued + dt.timedelta(days=DAYS_WITHOUT_PLANNED_END)


def sign(claims: LinkClaims, secret: str | bytes, purpose: str = LOG) -> str:
    """The token for `claims`, signed with `secret` for `purpose` (LOG, EVALUATION, FOLLOW_UP)."""
    if claims.role not in ROLES:
        raise ValueError(f"unknown role {claims.role!r}")
    payload = _encode(_payload_bytes(claims))
    return f"{payload}.{_encode(_mac(secret, payload, purpose))}"


def verify(token: str, secret: str | bytes, now: dt.date, purpose: str = LOG) -> LinkClaims:
    """The claims of a token signed with `secret` for `purpose` that has not expired on `now`.

    Raises `InvalidLink` (malformed, tampered or expired; a link signed for another purpose
    is tampered). The signature is checked before the payload is read, in constant time.
    """
    payload, mac = _split(token)
    if not hmac.compare_digest(mac, _mac(secret, payload, purpose)):
        raise InvalidLink(Reason.TAMPERED)
    claims = _claims(_decode(payload))
    day = now.date() if isinstance(now, dt.datetime) else now
    if day > claims.expires:
        raise InvalidLink(Reason.EXPIRED)
    return claims


def _payload_bytes(claims: LinkClaims) -> bytes:
    data = {
        "d": claims.duo_id,
        "p": claims.person_id,
        "v": claims.version,
        "r": claims.role,
        "e": claims.expires.isoformat(),
    }
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


def _mac(secret: str | bytes, payload: str, purpose: str = LOG) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    if not key:
        raise ValueError("a link needs a secret key")
    context = _CONTEXTS[purpose]
    return hmac.new(key, context + payload.encode("ascii"), hashlib.sha256).digest()


def _split(token: str) -> tuple[str, bytes]:
    """The encoded payload and the decoded signature; InvalidLink(MALFORMED) otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
        raise InvalidLink(Reason.MALFORMED)
    parts = token.strip().split(".")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise InvalidLink(Reason.MALFORMED)
    payload, mac_text = parts
    if not _BASE64URL.fullmatch(payload):
        raise InvalidLink(Reason.MALFORMED)
    mac = _decode(mac_text)
    if len(mac) != _MAC_BYTES:
        raise InvalidLink(Reason.MALFORMED)
    return payload, mac


def _claims(payload: bytes) -> LinkClaims:
    try:
        data: Any = json.loads(payload)
        claims = LinkClaims(
            duo_id=_text(data["d"]),
            person_id=_text(data["p"]),
            version=int(data["v"]),
            role=_text(data["r"]),
            expires=dt.date.fromisoformat(_text(data["e"])),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidLink(Reason.MALFORMED) from error
    if claims.role not in ROLES or not claims.duo_id:
        raise InvalidLink(Reason.MALFORMED)
    return claims


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    if not _BASE64URL.fullmatch(text):
        raise InvalidLink(Reason.MALFORMED)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidLink(Reason.MALFORMED) from error
