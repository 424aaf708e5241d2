"""Sending messages from a page: the buttons that start them, and the route without a mail
server (open in my mail app, text to copy, the `.ics` to download, "mark as sent").

With SMTP configured (`[smtp]` in secrets) a message goes out at the click; without it, the
messages of the click stay Queued in the Outbox and are offered here until marked sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from access import User
from i18n import Msg
from services.mail import mailto
from services.notify import (
    Delivery,
    deliver_about,
    invite_intro,
    invite_session,
    send_meeting_links,
)
from services.outbox import OutboxRow, mark_sent_for, queued_rows
from services.unit import Outcome
from sheets.store import StoreError
from ui import context as ui
from ui.feedback import attempt, flash, succeed
from ui.once import Once
from workflow import TransitionError, cell_text

OFFERED = "outbox-offered-{scope}"
"""Session key: the Outbox IDs a page offers to send from the mail app (no SMTP)."""


def delivery_text(delivery: Delivery) -> Msg:
    """What the click did: queued, sent, failed (or waiting for the mail app)."""
    report = delivery.report
    if report is None:
        return Msg("outbox.offered", {"count": len(delivery.queued)})
    return Msg(
        "outbox.sent_report",
        {"sent": len(report.sent), "failed": len(report.failed), "count": len(delivery.queued)},
    )


def run_delivery(scope: str, action: Callable[[], Delivery]) -> None:
    """Run a use case that queues (and sends) messages from a button; say how it went on the
    next run (the messages' dedupe keys make a second click queue nothing again)."""
    outcome = delivered(scope, action)
    if outcome is not None:
        flash(outcome.message)
        st.rerun()


def offered(scope: str) -> None:
    """The messages of this scope still waiting for the mail app, each with its routes."""
    report = st.session_state.pop(f"{OFFERED.format(scope=scope)}-report", None)
    if isinstance(report, Msg):
        st.info(ui.md_text(report))
    ids = st.session_state.get(OFFERED.format(scope=scope), [])
    if not ids:
        return
    rows = queued_rows(ui.store(), set(ids))
    st.session_state[OFFERED.format(scope=scope)] = [row.id for row in rows]
    for row in rows:
        offer(row, scope)


def offer(row: OutboxRow, scope: str) -> None:
    """One queued message: open it in the mail app, copy its text, download its `.ics`, and
    mark it sent once it went."""
    with st.container(border=True, key=f"{scope}-offer-{row.id}"):
        st.markdown(ui.md_tr("outbox.offer_title", subject=row.subject, to=row.to))
        left, middle, right = st.columns(3)
        left.link_button(
            ui.tr("outbox.open_mail_app"),
            mailto(row.to, row.subject, row.body),
            icon=":material/mail:",
        )
        if row.calendar:
            middle.download_button(
                ui.tr("outbox.download_ics"),
                row.calendar.encode("utf-8"),
                file_name=f"{row.kind}-{row.record_id or row.id}.ics",
                mime="text/calendar",
                key=f"{scope}-ics-{row.id}",
                icon=":material/calendar_month:",
            )
        if right.button(
            ui.tr("outbox.mark_sent"), key=f"{scope}-sent-{row.id}", icon=":material/done:"
        ):
            succeed(attempt(lambda: mark_sent_for(ui.store(), ui.signed_in(), row.id)))
        with st.expander(ui.tr("outbox.text_to_copy")):
            st.code(row.body, language=None, wrap_lines=True)


def deliver_quietly(record_ids: list[str]) -> None:
    """Send what was just queued about these records, when a mail server is configured; a
    failure is written to the Outbox row (staff see it there), never shown to a visitor."""
    try:
        deliver_about(ui.store(), ui.secrets(), record_ids, "Website form")
    except (StoreError, TransitionError, OSError):
        return


# -- the buttons of the pages ------------------------------------------------------------------


def session_invitations(session_id: str, user: User) -> None:
    """Invite the people registered for a session (each with an `.ics`)."""
    scope = f"session-{session_id}"
    if st.button(
        ui.tr("outbox.invite_session"), key=f"{scope}-invite", icon=":material/forward_to_inbox:"
    ):
        run_delivery(scope, lambda: invite_session(ui.store(), user, session_id, ui.secrets()))
    offered(scope)


def intro_invitation(duo: Mapping[str, Any], user: User) -> None:
    """Invite mentor, mentee and the coordinator to the duo's intro meeting (with an `.ics`),
    once it has a date."""
    if cell_text(duo, "Status") not in {"Proposed", "Intro planned"}:
        return
    duo_id = cell_text(duo, "ID")
    scope = f"intro-{duo_id}"
    if st.button(
        ui.tr("outbox.invite_intro"), key=f"{scope}-invite", icon=":material/forward_to_inbox:"
    ):
        run_delivery(scope, lambda: invite_intro(ui.store(), user, duo_id, ui.secrets(), ui.lang()))
    offered(scope)


LINKS_ONCE = Once("duo-links-mail")
"""The e-mail of the meeting-log links: one request per render of its form (a double tap
sends once; the form token names the request in the messages' dedupe keys)."""


def meeting_link_messages(duo_id: str, user: User, base_url: str, secret: str) -> None:
    """Send the mentor and the mentee their own meeting-log link (again at each request)."""
    scope = f"links-{duo_id}"
    with st.form(f"{scope}-form", border=False):
        token = LINKS_ONCE.field()
        sent = st.form_submit_button(
            ui.tr("outbox.send_links"), key=f"{scope}-send", icon=":material/send:"
        )
    LINKS_ONCE.show()
    if sent:
        LINKS_ONCE.submit(
            token,
            lambda: delivered(
                scope,
                lambda: send_meeting_links(
                    ui.store(), user, duo_id, base_url, secret, ui.secrets(), token
                ),
            ),
        )
    offered(scope)


def delivered(scope: str, action: Callable[[], Delivery]) -> Outcome | None:
    """Run a use case that queues (and sends) messages, for a form guarded by `Once`: its
    outcome (None after an error, said on the page); what is left for the mail app is
    remembered for `offered`."""
    try:
        with st.spinner(ui.tr("outbox.sending"), show_time=True):
            delivery = action()
    except (StoreError, TransitionError) as error:
        st.error(ui.md_text(error.msg))
        return None
    if delivery.report is None and delivery.queued:
        key = OFFERED.format(scope=scope)
        st.session_state[key] = [*st.session_state.get(key, []), *delivery.queued]
    st.session_state[f"{OFFERED.format(scope=scope)}-report"] = delivery_text(delivery)
    return Outcome(delivery.message, ids=delivery.queued)
