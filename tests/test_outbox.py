"""The Outbox and sending: queued once, sent once through a real local SMTP server
(aiosmtpd), cancelled by hand, failures written to the row; where messages start (the
application, a session's invitations, the intro meeting, the meeting-log links); the
reminders run twice sends once; admins' templates."""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

import clock
from links import MENTEE, MENTOR
from messages import (
    APPLICATION_RECEIVED,
    INTRO_MEETING,
    MEETING_LOG_LINK,
    SESSION_INVITATION,
    Draft,
    default_templates,
)
from services.applications import SubmissionLimits, form_choices, submit
from services.mail import SmtpSettings, mailto, send, smtp_settings
from services.meeting_links import resolve
from services.notify import (
    TemplateRefused,
    current_templates,
    invite_intro,
    invite_session,
    run_reminders,
    save_template,
    send_meeting_links,
)
from services.outbox import (
    CANCELLED,
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    OutboxRefused,
    cancel,
    mark_sent,
    outbox_rows,
    queue,
    queue_again,
    send_queued,
)
from services.settings import AdminOnly
from sheets.store import Store, Update
from tests.apptest import ADMIN, BRUSSELS, store_of
from tests.smtp_server import SmtpServer, calendar_of, smtp_server, text_of
from tests.test_services_applications import GOOD
from workflow import cell_date, cell_text, records

__all__ = ["smtp_server"]
TODAY = clock.today()
SECRET = "a-test-secret-of-enough-length"


@pytest.fixture
def store(workbook: Path) -> Store:
    return store_of(workbook)


def no_wait(settings: SmtpSettings, message: EmailMessage) -> int:
    return send(settings, message, sleep=lambda _: None)


def smtp(server: SmtpServer) -> SmtpSettings:
    settings = smtp_settings(server.secrets)
    assert settings is not None
    return settings


def a_draft(key: str = "test:1", to: str = "ann@example.org", language: str = "nl") -> Draft:
    return Draft("meeting_log_link", to, "Ann", language, "Onderwerp é", "Hallo Ann\n", "D-1", key)


def rows(store: Store) -> list[Any]:
    store.refresh()
    return outbox_rows(store.table("Outbox").frame)


def status_of(store: Store, row_id: str) -> str:
    return next(row.status for row in rows(store) if row.id == row_id)


# -- the outbox ------------------------------------------------------------------------------


def test_a_draft_queued_twice_is_one_outbox_row(store: Store) -> None:
    first = queue(store, [a_draft(), a_draft()], "tests")
    again = queue(store, [a_draft()], "tests")
    assert len(first) == 1 and again == []
    (row,) = rows(store)
    assert (row.status, row.to, row.language, row.dedupe_key) == (
        QUEUED,
        "ann@example.org",
        "nl",
        "test:1",
    )


def test_a_queued_message_goes_out_once_with_its_headers_and_language(
    store: Store, smtp_server: SmtpServer
) -> None:
    [row_id] = queue(store, [a_draft()], "tests")
    report = send_queued(store, smtp(smtp_server), sender=no_wait)
    again = send_queued(store, smtp(smtp_server), sender=no_wait)
    assert report.sent == [row_id] and again.sent == []
    (received,) = smtp_server.inbox.messages
    message = received.message
    assert received.recipients == ["ann@example.org"]
    assert str(message["Subject"]) == "Onderwerp é" and str(message["Content-Language"]) == "nl"
    assert str(message["Reply-To"]) == "info@example.org"
    assert "tool@example.org" in str(message["From"])
    assert text_of(message).startswith("Hallo Ann")
    (row,) = rows(store)
    assert (row.status, row.via, row.attempts) == (SENT, "SMTP", 1) and row.sent_on is not None
    assert queue(store, [a_draft()], "tests") == []


def test_a_cancelled_message_is_not_sent_nor_queued_again(
    store: Store, smtp_server: SmtpServer
) -> None:
    [row_id] = queue(store, [a_draft()], "tests")
    assert cancel(store, row_id, "staff").ok
    send_queued(store, smtp(smtp_server), sender=no_wait)
    assert smtp_server.inbox.messages == [] and status_of(store, row_id) == CANCELLED
    assert queue(store, [a_draft()], "tests") == []
    with pytest.raises(OutboxRefused):
        cancel(store, row_id, "staff")


def test_staff_cancelling_by_hand_in_the_sheet_stops_the_message(
    store: Store, smtp_server: SmtpServer
) -> None:
    [row_id] = queue(store, [a_draft()], "tests")
    store.write([Update("Outbox", row_id, {"Status": "Annulé"}, None, "hand edit")], "staff")
    send_queued(store, smtp(smtp_server), sender=no_wait)
    assert smtp_server.inbox.messages == [] and status_of(store, row_id) == CANCELLED


def test_a_row_another_process_took_is_left_alone(store: Store, smtp_server: SmtpServer) -> None:
    [row_id] = queue(store, [a_draft()], "tests")
    store.write([Update("Outbox", row_id, {"Status": SENDING}, None, "other")], "other process")
    report = send_queued(store, smtp(smtp_server), sender=no_wait)
    assert report.sent == [] and smtp_server.inbox.messages == []


def test_a_temporary_refusal_is_tried_again(store: Store, smtp_server: SmtpServer) -> None:
    smtp_server.inbox.refuse.append("451 4.3.0 try again later")
    [row_id] = queue(store, [a_draft()], "tests")
    report = send_queued(store, smtp(smtp_server), sender=no_wait)
    assert report.sent == [row_id] and len(smtp_server.inbox.messages) == 1
    (row,) = rows(store)
    assert (row.status, row.attempts) == (SENT, 2)


def test_a_permanent_refusal_fails_at_once_with_the_error_in_the_row(
    store: Store, smtp_server: SmtpServer
) -> None:
    smtp_server.inbox.refuse.extend(["554 5.7.1 rejected", "250 never reached"])
    queue(store, [a_draft()], "tests")
    report = send_queued(store, smtp(smtp_server), sender=no_wait)
    (row,) = rows(store)
    assert (row.status, row.attempts) == (FAILED, 1) and "554" in row.error
    assert report.failed and smtp_server.inbox.messages == []


def test_an_unreachable_server_fails_after_the_bounded_attempts(store: Store) -> None:
    from tests.smtp_server import free_port

    settings = SmtpSettings("127.0.0.1", free_port(), "none", "tool@example.org", attempts=3)
    waits: list[float] = []
    queue(store, [a_draft()], "tests")
    send_queued(store, settings, sender=lambda s, m: send(s, m, sleep=waits.append))
    (row,) = rows(store)
    assert (row.status, row.attempts) == (FAILED, 3) and row.error
    assert waits == [1.0, 2.0]


def test_a_failed_message_may_be_queued_again(store: Store) -> None:
    settings = SmtpSettings("127.0.0.1", 9, "none", "tool@example.org", attempts=1)
    queue(store, [a_draft()], "tests")
    send_queued(store, settings)
    assert len(queue(store, [a_draft()], "tests")) == 1


def test_without_a_mail_server_a_message_is_marked_sent_by_hand(store: Store) -> None:
    [row_id] = queue(store, [a_draft()], "tests")
    assert mark_sent(store, row_id, "brussels@example.org").ok
    (row,) = rows(store)
    assert (row.status, row.via) == (SENT, "Mail app")


def test_a_mailto_link_carries_subject_and_body_url_encoded() -> None:
    link = mailto("ann@example.org", "Sujet & co", "Ligne 1\nLigne 2 é")
    assert link == (
        "mailto:ann@example.org?subject=Sujet%20%26%20co&body=Ligne%201%0ALigne%202%20%C3%A9"
    )


def test_no_smtp_settings_without_a_host_and_a_from_address() -> None:
    assert smtp_settings({}) is None
    assert smtp_settings({"smtp": {"host": "smtp.example.org"}}) is None
    settings = smtp_settings({"smtp": {"host": "h", "from": "f@x.org", "security": "ssl"}})
    assert settings is not None and (settings.port, settings.security) == (465, "ssl")


# -- where messages start --------------------------------------------------------------------


def test_an_application_queues_its_confirmation_with_the_session_in_the_forms_language(
    store: Store, smtp_server: SmtpServer
) -> None:
    session = form_choices(store, TODAY).sessions_at("Brussels")[0]
    application = replace(GOOD, session_id=session.id, language="nl")
    outcome = submit(store, application, TODAY, session_key="s", limits=SubmissionLimits())
    again = submit(
        store,
        application,
        TODAY,
        session_key="s",
        limits=SubmissionLimits(),
        record_id=outcome.ids[0],
    )
    assert again.ids == outcome.ids
    [row] = [row for row in rows(store) if row.kind == APPLICATION_RECEIVED]
    assert row.record_id == outcome.ids[0] and row.language == "nl"
    send_queued(store, smtp(smtp_server), record_ids=[outcome.ids[0]], sender=no_wait)
    (received,) = smtp_server.inbox.messages
    body = text_of(received.message)
    assert "Hallo" in body and session.date.strftime("%d/%m/%Y") in body
    person = store.table("Participants").frame.set_index("ID").loc[outcome.ids[0]]
    assert person["Language"] == "nl"


def registered_session(store: Store) -> str:
    sessions = {cell_text(row, "ID"): row for row in records(store.table("Sessions").frame)}
    for row in records(store.table("Attendance").frame):
        session = sessions.get(cell_text(row, "Session ID"))
        if (
            cell_text(row, "Status") == "Registered"
            and session is not None
            and cell_text(session, "Office") == "Brussels"
            and (cell_date(session, "Date") or TODAY) >= TODAY
        ):
            return cell_text(session, "ID")
    raise AssertionError("the demo has no registration in Brussels")


def test_inviting_a_sessions_people_sends_each_an_ics_once(
    store: Store, smtp_server: SmtpServer
) -> None:
    session_id = registered_session(store)
    delivery = invite_session(store, BRUSSELS, session_id, smtp_server.secrets)
    assert delivery.report is not None and delivery.queued
    assert len(smtp_server.inbox.messages) == len(delivery.report.sent) == len(delivery.queued)
    for received in smtp_server.inbox.messages:
        ics = calendar_of(received.message)
        assert ics is not None
        (event,) = Calendar.from_ical(ics).walk("VEVENT")
        assert str(event["uid"]).startswith(session_id)
        assert [str(a) for a in [event["attendee"]]] == [f"mailto:{received.recipients[0]}"]
    again = invite_session(store, BRUSSELS, session_id, smtp_server.secrets)
    assert again.queued == [] and len(smtp_server.inbox.messages) == len(delivery.queued)
    assert {row.kind for row in rows(store)} == {SESSION_INVITATION}


def intro_duo(store: Store) -> str:
    for duo in records(store.table("Duos").frame):
        if cell_text(duo, "Status") == "Intro planned" and cell_text(duo, "Office") == "Brussels":
            return cell_text(duo, "ID")
    raise AssertionError("no intro planned in Brussels")


def test_the_intro_invitation_goes_to_mentor_mentee_and_coordinator_with_one_event(
    store: Store, smtp_server: SmtpServer
) -> None:
    duo_id = intro_duo(store)
    delivery = invite_intro(store, BRUSSELS, duo_id, smtp_server.secrets)
    received = smtp_server.inbox.messages
    assert BRUSSELS.email in {r.recipients[0] for r in received} and len(received) == 3
    uids = set()
    for each in received:
        ics = calendar_of(each.message)
        assert ics is not None
        (event,) = Calendar.from_ical(ics).walk("VEVENT")
        uids.add(str(event["uid"]))
        attendees = event["attendee"]
        assert isinstance(attendees, list) and len(attendees) == 3
    assert len(uids) == 1 and delivery.report is not None
    assert {row.kind for row in rows(store)} == {INTRO_MEETING}


def test_the_intro_time_and_place_are_read_when_the_duos_tab_has_them(store: Store) -> None:
    duo_id = intro_duo(store)
    store.update(
        "Duos", duo_id, {"Intro time": "18u30", "Intro place": "Café Central, Bruxelles"}, "tests"
    )
    invite_intro(store, BRUSSELS, duo_id, {})
    row = next(row for row in rows(store) if row.kind == INTRO_MEETING)
    (event,) = Calendar.from_ical(row.calendar).walk("VEVENT")
    assert event.decoded("dtstart").hour == 18 and event.decoded("dtstart").minute == 30
    assert str(event["location"]) == "Café Central, Bruxelles"
    assert "Café Central" in row.body and row.status == QUEUED


def active_duo(store: Store) -> str:
    for duo in records(store.table("Duos").frame):
        if cell_text(duo, "Status") == "Active" and cell_text(duo, "Office") == "Brussels":
            return cell_text(duo, "ID")
    raise AssertionError("no active duo in Brussels")


def test_the_meeting_log_links_go_to_mentor_and_mentee_and_open_the_log(
    store: Store, smtp_server: SmtpServer
) -> None:
    duo_id = active_duo(store)
    url = "https://duo.example.org"
    send_meeting_links(store, BRUSSELS, duo_id, url, SECRET, smtp_server.secrets, "req-1")
    send_meeting_links(store, BRUSSELS, duo_id, url, SECRET, smtp_server.secrets, "req-1")
    assert len(smtp_server.inbox.messages) == 2
    roles = set()
    for received in smtp_server.inbox.messages:
        body = text_of(received.message)
        link = next(word for word in body.split() if word.startswith(f"{url}/log?t="))
        opened = resolve(store, link.split("t=", 1)[1], SECRET, TODAY)
        assert opened.duo_id == duo_id
        roles.add(opened.role)
    assert roles == {MENTOR, MENTEE}
    send_meeting_links(store, BRUSSELS, duo_id, url, SECRET, smtp_server.secrets, "req-2")
    assert len(smtp_server.inbox.messages) == 4
    assert {row.kind for row in rows(store)} == {MEETING_LOG_LINK}


# -- reminders and templates -------------------------------------------------------------------


def test_the_reminders_run_twice_sends_once(store: Store, smtp_server: SmtpServer) -> None:
    dry = run_reminders(store, smtp_server.secrets, TODAY, dry_run=True)
    assert dry.due and rows(store) == [] and smtp_server.inbox.messages == []
    first = run_reminders(store, smtp_server.secrets, TODAY)
    assert first.report is not None and len(first.report.sent) == len(dry.due)
    assert len(smtp_server.inbox.messages) == len(dry.due)
    second = run_reminders(store, smtp_server.secrets, TODAY)
    assert second.due == [] and second.queued == []
    assert len(smtp_server.inbox.messages) == len(dry.due)
    keys = [row.dedupe_key for row in rows(store)]
    assert len(keys) == len(set(keys))


def test_an_admins_template_is_used_and_an_unknown_placeholder_refused(store: Store) -> None:
    save_template(store, ADMIN, APPLICATION_RECEIVED, "en", "Welcome {first_name}", "Hi {name}")
    save_template(store, ADMIN, APPLICATION_RECEIVED, "en", "Hello {first_name}", "Hi {name}")
    store.refresh()
    template = current_templates(store)[(APPLICATION_RECEIVED, "en")]
    assert (template.subject, template.body) == ("Hello {first_name}", "Hi {name}")
    assert len(store.table("Templates").frame) == 1
    assert (
        current_templates(store)[(APPLICATION_RECEIVED, "fr")]
        == default_templates()[(APPLICATION_RECEIVED, "fr")]
    )
    with pytest.raises(TemplateRefused):
        save_template(store, ADMIN, APPLICATION_RECEIVED, "en", "Hi {firstname}", "x")
    with pytest.raises(AdminOnly):
        save_template(store, BRUSSELS, APPLICATION_RECEIVED, "en", "Hi", "x")


def test_erasing_a_person_blanks_the_messages_to_them_and_about_their_duo(store: Store) -> None:
    duo_id = active_duo(store)
    url = "https://duo.example.org"
    send_meeting_links(store, BRUSSELS, duo_id, url, SECRET, {}, "req-1")
    queue(store, [a_draft("other:1", to="someone.else@example.org")], "tests")
    duo = next(row for row in records(store.table("Duos").frame) if row["ID"] == duo_id)
    store.erase_participant(cell_text(duo, "Mentee ID"), who="admin@example.org")
    by_record = {row.record_id: row for row in rows(store) if row.record_id != duo_id}
    about_duo = [row for row in rows(store) if row.record_id == duo_id]
    assert len(about_duo) == 2
    assert all((row.to, row.subject, row.body) == ("", "", "") for row in about_duo)
    assert all(row.kind == MEETING_LOG_LINK and row.status == QUEUED for row in about_duo)
    assert by_record["D-1"].to == "someone.else@example.org"


def test_a_failed_message_queued_again_goes_out_on_the_next_send(
    store: Store, smtp_server: SmtpServer
) -> None:
    smtp_server.inbox.refuse.append("550 mailbox unavailable")
    [row_id] = queue(store, [a_draft()], "tests")
    send_queued(store, smtp(smtp_server), sender=no_wait)
    assert status_of(store, row_id) == FAILED
    assert queue_again(store, row_id, "admin").ok
    send_queued(store, smtp(smtp_server), sender=no_wait)
    (row,) = rows(store)
    assert (row.status, row.attempts) == (SENT, 2) and len(smtp_server.inbox.messages) == 1
    with pytest.raises(OutboxRefused):
        queue_again(store, row_id, "admin")
