"""A real SMTP server on a free local port (aiosmtpd), keeping what it received."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    """One message as the server got it: envelope addresses and the parsed e-mail."""

    sender: str
    recipients: list[str]
    message: Message


@dataclass
class Inbox:
    """What the server received; `refuse` makes it answer the next messages with a code."""

    messages: list[Received] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    """Answers to give instead of accepting, one per message (e.g. "451 try later")."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return self.refuse.pop(0)
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        self.messages.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int

    @property
    def secrets(self) -> dict[str, Any]:
        """The `[smtp]` secrets that point the app at this server."""
        return {
            "smtp": {
                "host": "127.0.0.1",
                "port": self.port,
                "security": "none",
                "from": "DUO for a JOB <tool@example.org>",
                "reply_to": "info@example.org",
                "attempts": 2,
            }
        }


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(inbox, controller.port)
    finally:
        controller.stop()


def text_of(message: Message) -> str:
    """The plain-text body of a received e-mail."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    return ""


def calendar_of(message: Message) -> bytes | None:
    """The attached `.ics`, as bytes, or None."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload
    return None
