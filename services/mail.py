"""Sending one e-mail over SMTP, as configured in secrets `[smtp]`; and the `mailto:` link that
stands in for it when no mail server is configured.

```toml
[smtp]
host = "smtp-relay.gmail.com"   # a Google Workspace relay, or any provider's server
port = 587
security = "starttls"           # starttls | ssl | none
user = "tool@example.org"       # leave out for a relay that knows the server's address
password = "..."
from = "DUO for a JOB <tool@example.org>"
reply_to = "info@example.org"   # optional
attempts = 3                    # optional: tries per message (temporary failures only)
```

A temporary failure (the server unreachable, a 4xx answer, a dropped connection) is tried
again up to `attempts` times, waiting 1 s, 2 s, 4 s ... in between; a permanent one (5xx:
address refused, authentication failed) is not. `SendFailed` carries the error for the
Outbox row. No Streamlit here.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from urllib.parse import quote

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_ATTEMPTS = 3
MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 30.0
CALENDAR_FILE = "invitation.ics"


class SendFailed(Exception):
    """The message did not go out; `error` says why (written to the Outbox row)."""

    def __init__(self, error: str, attempts: int) -> None:
        super().__init__(error)
        self.error = error
        self.attempts = attempts


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str = ""
    password: str = ""
    reply_to: str = ""
    attempts: int = DEFAULT_ATTEMPTS
    timeout: float = TIMEOUT_SECONDS


def smtp_settings(secrets: Mapping[str, Any]) -> SmtpSettings | None:
    """The `[smtp]` table of secrets, or None when no mail server is configured (a host and a
    from address are needed; the security defaults to STARTTLS)."""
    table = dict(secrets.get("smtp", {}) or {})
    host, sender = str(table.get("host", "")).strip(), str(table.get("from", "")).strip()
    if not host or not sender:
        return None
    security = str(table.get("security", "starttls")).strip().lower()
    if security not in SECURITIES:
        security = "starttls"
    attempts = int(table.get("attempts", DEFAULT_ATTEMPTS) or DEFAULT_ATTEMPTS)
    return SmtpSettings(
        host=host,
        port=int(table.get("port", DEFAULT_PORTS[security]) or DEFAULT_PORTS[security]),
        security=security,
        sender=sender,
        user=str(table.get("user", "")).strip(),
        password=str(table.get("password", "")),
        reply_to=str(table.get("reply_to", "")).strip(),
        attempts=max(1, min(attempts, MAX_ATTEMPTS)),
        timeout=float(table.get("timeout_seconds", TIMEOUT_SECONDS)),
    )


def email_message(
    settings: SmtpSettings,
    to: str,
    subject: str,
    body: str,
    language: str,
    calendar: str = "",
    message_id: str = "",
) -> EmailMessage:
    """The e-mail: plain text in the recipient's language (`Content-Language`), the `.ics`
    attached (`text/calendar; method=REQUEST`) when there is one."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    domain = settings.sender.rpartition("@")[2].strip("> ") or None
    message["Message-ID"] = make_msgid(idstring=message_id or None, domain=domain)
    message.set_content(body)
    if calendar:
        message.add_attachment(
            calendar.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename=CALENDAR_FILE,
            params={"method": "REQUEST"},
        )
    message["Content-Language"] = language
    # set last: `set_content` and `add_attachment` move or drop the Content- headers
    return message


def send(
    settings: SmtpSettings,
    message: EmailMessage,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send, trying a temporary failure again; returns the attempts it took. Raises
    `SendFailed`."""
    error = ""
    for attempt in range(1, settings.attempts + 1):
        try:
            _send_once(settings, message)
            return attempt
        except smtplib.SMTPResponseException as failure:
            error = f"{failure.smtp_code} {_text(failure.smtp_error)}"
            if failure.smtp_code >= 500:
                raise SendFailed(error, attempt) from failure
        except smtplib.SMTPRecipientsRefused as failure:
            refused = "; ".join(
                f"{address}: {code} {_text(text)}"
                for address, (code, text) in failure.recipients.items()
            )
            raise SendFailed(refused, attempt) from failure
        except (smtplib.SMTPException, OSError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        if attempt < settings.attempts:
            sleep(2.0 ** (attempt - 1))
    raise SendFailed(error, settings.attempts)


def _send_once(settings: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
        client.send_message(message)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def mailto(to: str, subject: str, body: str) -> str:
    """A `mailto:` link that opens the user's mail app with the message filled in."""
    query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return f"mailto:{quote(to, safe='@')}?{query}"
