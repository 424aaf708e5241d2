"""The Outbox on the three store backends (in-memory, local `.xlsx`, Google through the
emulator): one row per dedupe key, the text and the `.ics` read back as written, a status
staff typed by hand respected, a row taken once."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from icalendar import Calendar

from invites import invitation
from messages import Draft, Occasion
from services.mail import SmtpSettings
from services.outbox import CANCELLED, QUEUED, SENT, outbox_rows, queue, send_queued
from tests.conftest import MakeBackend

SETTINGS = SmtpSettings("127.0.0.1", 25, "none", "tool@example.org")
BODY = "Bonjour Ann,\n\n- première ligne\n=SUM(A1)\n+32 470 12 34 56\n\n--\nSTOP"


def a_draft(key: str) -> Draft:
    ics = invitation(
        "S-1",
        "Séance d'info",
        Occasion(dt.date(2026, 12, 3), "18:00", "20:00", "Rue Haute 1"),
        dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC),
        attendees=[("ann@example.org", "Ann")],
    )
    return Draft(
        "session_invitation", "ann@example.org", "Ann", "fr", "Invitation", BODY, "S-1", key, ics
    )


class Recorder:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def __call__(self, settings: SmtpSettings, message: EmailMessage) -> int:
        self.sent.append(message)
        return 1


def test_a_message_is_queued_once_and_read_back_as_written(make_backend: MakeBackend) -> None:
    store, _ = make_backend()
    assert len(queue(store, [a_draft("k:1")], "tests")) == 1
    assert queue(store, [a_draft("k:1")], "tests") == []
    (row,) = outbox_rows(store.read(["Outbox"], fresh=True)["Outbox"].frame)
    assert (row.status, row.dedupe_key, row.record_id) == (QUEUED, "k:1", "S-1")
    assert row.body == BODY
    (event,) = Calendar.from_ical(row.calendar).walk("VEVENT")
    assert event.decoded("dtstart").hour == 18


def test_a_message_cancelled_by_hand_in_the_sheet_is_not_sent(make_backend: MakeBackend) -> None:
    store, hands = make_backend()
    queue(store, [a_draft("k:1"), a_draft("k:2")], "tests")
    header = hands.rows("Outbox")[0]
    status = chr(ord("A") + header.index("Status"))
    hands.set_cell("Outbox", f"{status}2", "Annulé")
    recorder = Recorder()
    report = send_queued(store, SETTINGS, sender=recorder)
    assert len(recorder.sent) == 1 and len(report.sent) == 1
    statuses = sorted(
        row.status for row in outbox_rows(store.read(["Outbox"], fresh=True)["Outbox"].frame)
    )
    assert statuses == sorted([CANCELLED, SENT])
    assert send_queued(store, SETTINGS, sender=recorder).sent == []
    assert len(recorder.sent) == 1
