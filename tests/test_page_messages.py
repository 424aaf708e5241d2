"""The Messages page (admins; a coordinator's part: test_outbox_offices.py): the template
editor in fr, nl and en, the outbox with cancel and the mail-app route (no SMTP), the
reminders' dry run then run; and the buttons that start messages on the Sessions and Duos
pages, without a mail server."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from messages import APPLICATION_RECEIVED, Draft
from services.outbox import CANCELLED, QUEUED, SENT, outbox_rows, queue
from sheets.store import Store, Update
from tests.apptest import BRUSSELS, assert_no_exception, open_page, store_of
from tests.smtp_server import SmtpServer, smtp_server
from tests.test_forms_once import submit_twice
from tests.test_outbox import active_duo, intro_duo, registered_session
from workflow import cell_text, records

__all__ = ["smtp_server"]
PAGE = "outbox.py"


def rows(workbook: str) -> list[Any]:
    store = store_of(workbook)
    return outbox_rows(store.read(["Outbox"], fresh=True)["Outbox"].frame)


def queued_one(workbook: str) -> str:
    draft = Draft(
        "meeting_log_link",
        "ann@example.org",
        "Ann",
        "fr",
        "Votre lien & le reste",
        "Bonjour Ann,\nvoici le lien.",
        "D-1",
        "page:1",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    [row_id] = queue(store_of(workbook), [draft], "tests")
    return row_id


def elements(app: AppTest, kind: str) -> list[Any]:
    return list(app.get(kind))


WORDS = {
    "fr": ("Champs utilisables", "Aperçu"),
    "nl": ("Velden die je mag gebruiken", "Voorbeeld"),
    "en": ("Placeholders you may use", "Preview"),
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_an_admin_rewords_a_template_with_a_preview_and_a_placeholder_check(
    workbook: str, lang: str
) -> None:
    app = open_page(PAGE, lang=lang)
    assert_no_exception(app)
    allowed, preview = WORDS[lang]
    assert any(allowed in caption.value for caption in app.caption)
    assert any(preview in markdown.value for markdown in app.markdown)
    app.selectbox(key="messages-template-kind").select(APPLICATION_RECEIVED).run()
    body_key = f"messages-body-{APPLICATION_RECEIVED}-{lang}"
    subject_key = f"messages-subject-{APPLICATION_RECEIVED}-{lang}"
    assert "{first_name}" in str(app.text_area(key=body_key).value)
    app.text_area(key=body_key).input("{first_name}: {unknown_thing}").run()
    assert any("thing" in error.value for error in app.error)
    assert app.button(key="messages-template-save").disabled
    app.text_input(key=subject_key).input("{first_name} ✓").run()
    app.text_area(key=body_key).input("{first_name}, {session}").run()
    assert not app.error
    assert any("Amina ✓" in code.value for code in app.code)
    app.button(key="messages-template-save").click().run()
    assert_no_exception(app)
    store = store_of(workbook)
    saved = records(store.read(["Templates"], fresh=True)["Templates"].frame)
    assert [
        (cell_text(r, "Kind"), cell_text(r, "Language"), cell_text(r, "Subject")) for r in saved
    ] == [(APPLICATION_RECEIVED, lang, "{first_name} ✓")]


def test_an_admin_cancels_a_queued_message(workbook: str) -> None:
    row_id = queued_one(workbook)
    app = open_page(PAGE)
    app.selectbox(key="messages-queued-pick").select(row_id).run()
    app.button(key="messages-cancel").click().run()
    assert_no_exception(app)
    assert [row.status for row in rows(workbook)] == [CANCELLED]


def test_without_smtp_a_message_opens_in_the_mail_app_downloads_its_ics_and_is_marked_sent(
    workbook: str,
) -> None:
    row_id = queued_one(workbook)
    app = open_page(PAGE)
    assert any("No mail server" in info.value for info in app.info)
    app.selectbox(key="messages-queued-pick").select(row_id).run()
    (link,) = elements(app, "link_button")
    parts = urlsplit(link.proto.url)
    assert (parts.scheme, parts.path) == ("mailto", "ann@example.org")
    query = parse_qs(parts.query)
    assert query["subject"] == ["Votre lien & le reste"]
    assert query["body"] == ["Bonjour Ann,\nvoici le lien."]
    assert len(elements(app, "download_button")) == 1
    assert any("voici le lien" in code.value for code in app.code)
    app.button(key=f"messages-sent-{row_id}").click().run()
    assert_no_exception(app)
    (row,) = rows(workbook)
    assert (row.status, row.via) == (SENT, "Mail app")


def test_the_reminders_dry_run_writes_nothing_then_the_run_sends_once(
    workbook: str, smtp_server: SmtpServer
) -> None:
    app = open_page(PAGE, secrets=smtp_server.secrets)
    app.button(key="messages-dry-run").click().run()
    assert_no_exception(app)
    assert rows(workbook) == [] and smtp_server.inbox.messages == []
    due = len(app.dataframe[-1].value)
    assert due > 0
    app.button(key="messages-run-now").click().run()
    assert_no_exception(app)
    assert len(smtp_server.inbox.messages) == due
    app.button(key="messages-run-now").click().run()
    assert len(smtp_server.inbox.messages) == due
    assert {row.status for row in rows(workbook)} == {SENT}


def test_a_sessions_invitation_without_smtp_is_offered_for_the_mail_app(workbook: str) -> None:
    session_id = registered_session(store_of(workbook))
    app = open_page("sessions.py", user=BRUSSELS, query={"id": session_id})
    app.button(key=f"session-{session_id}-invite").click().run()
    assert_no_exception(app)
    queued = [row for row in rows(workbook) if row.status == QUEUED]
    assert queued and all(row.calendar for row in queued)
    assert len(elements(app, "link_button")) == len(queued)
    assert len(elements(app, "download_button")) >= len(queued)


def test_the_intro_invitation_and_the_links_start_from_the_duo_page(
    workbook: str, smtp_server: SmtpServer
) -> None:
    store: Store = store_of(workbook)
    duo_id = intro_duo(store)
    app = open_page("duos.py", user=BRUSSELS, query={"id": duo_id}, secrets=smtp_server.secrets)
    app.button(key=f"intro-{duo_id}-invite").click().run()
    assert_no_exception(app)
    assert len(smtp_server.inbox.messages) == 3
    active = active_duo(store)
    secrets = {**smtp_server.secrets, "links": {"secret_key": "a-test-secret-of-enough-length"}}
    app = open_page("duos.py", user=BRUSSELS, query={"id": active}, secrets=secrets)
    app.button(key=f"links-{active}-send").click().run()
    assert_no_exception(app)
    assert len(smtp_server.inbox.messages) == 5


def test_a_double_tap_on_e_mailing_the_links_sends_them_once(
    workbook: str, smtp_server: SmtpServer
) -> None:
    active = active_duo(store_of(workbook))
    secrets = {**smtp_server.secrets, "links": {"secret_key": "a-test-secret-of-enough-length"}}
    app = open_page("duos.py", user=BRUSSELS, query={"id": active}, secrets=secrets)
    submit_twice(app, f"links-{active}-send")
    assert len(smtp_server.inbox.messages) == 2
    app.button(key=f"links-{active}-send").click().run()
    assert len(smtp_server.inbox.messages) == 4, "asked again: sent again"


def test_an_admin_queues_a_failed_message_again(workbook: str) -> None:
    row_id = queued_one(workbook)
    store = store_of(workbook)
    store.write([Update("Outbox", row_id, {"Status": "Failed", "Error": "550 no"}, None, "t")], "t")
    app = open_page(PAGE)
    app.selectbox(key="messages-failed-pick").select(row_id).run()
    app.button(key="messages-queue-again").click().run()
    assert_no_exception(app)
    assert [row.status for row in rows(workbook)] == [QUEUED]
