"""Messages: the Outbox with cancel and the mail-app route (a coordinator sees and works the
rows of their offices and their own; admins every row), and, for admins only, the templates'
wording per language with a preview and a placeholder check, the reminders (dry run, run)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import User
from i18n import LANGUAGE_NAMES, LANGUAGES
from messages import KINDS, PLACEHOLDERS
from services.mail import smtp_settings
from services.notify import (
    ReminderRun,
    current_templates,
    deliver,
    preview,
    run_reminders,
    save_template,
)
from services.outbox import (
    FAILED,
    QUEUED,
    SENDING,
    OutboxRow,
    cancel_for,
    queue_again,
    rows_in_view,
)
from ui import context as ui
from ui.feedback import attempt, succeed
from ui.meeting_link import app_address
from ui.outbox import offer
from ui.shell import require_shell
from ui.tables import defused

require_shell()

SHOWN_ROWS = 300
DRY_RUN = "messages-dry-run-result"
RAN = "messages-run-result"


def kind_label(kind: str) -> str:
    return ui.tr(f"outbox.kind_{kind}") if kind in PLACEHOLDERS else kind


def outbox_table(rows: list[OutboxRow]) -> None:
    newest = list(reversed(rows))[:SHOWN_ROWS]
    frame = pd.DataFrame(
        [
            {
                ui.tr("outbox.col_id"): row.id,
                ui.tr("outbox.col_kind"): kind_label(row.kind),
                ui.tr("outbox.col_to"): row.to,
                ui.tr("outbox.col_language"): row.language,
                ui.tr("outbox.col_subject"): row.subject,
                ui.tr("outbox.col_status"): ui.label(row.status),
                ui.tr("outbox.col_queued_on"): row.queued_on,
                ui.tr("outbox.col_sent_on"): row.sent_on,
                ui.tr("outbox.col_via"): row.via,
                ui.tr("outbox.col_error"): row.error,
            }
            for row in newest
        ]
    )
    st.dataframe(defused(frame), hide_index=True, key="messages-outbox-table")


def outbox_section(user: User) -> None:
    settings = smtp_settings(ui.secrets())
    if settings is None:
        st.info(ui.tr("outbox.smtp_off"))
    else:
        st.caption(ui.md_tr("outbox.smtp_on", host=settings.host))
    rows = rows_in_view(ui.store(), user)
    if not rows:
        st.caption(ui.tr("outbox.empty"))
        return
    outbox_table(rows)
    stuck = [row for row in rows if row.status == SENDING]
    if stuck:
        st.warning(ui.tr("outbox.stuck", count=len(stuck)))
    if user.is_admin:
        failed_rows(user, rows)
    queued = {row.id: row for row in rows if row.status == QUEUED}
    if not queued:
        return
    if settings is not None and st.button(
        ui.tr("outbox.send_now"), key="messages-send-now", icon=":material/send:"
    ):
        deliver(ui.store(), ui.secrets(), list(queued), user.email)
        st.rerun()
    chosen = st.selectbox(
        ui.tr("outbox.pick_queued"),
        list(queued),
        index=None,
        placeholder=ui.tr("outbox.pick"),
        format_func=ui.format_choices(
            queued, lambda i: f"{i} · {kind_label(queued[i].kind)} · {queued[i].to}"
        ),
        key="messages-queued-pick",
    )
    if chosen is None or chosen not in queued:
        return
    if st.button(ui.tr("outbox.cancel"), key="messages-cancel", icon=":material/cancel:"):
        succeed(attempt(lambda: cancel_for(ui.store(), user, chosen)))
    if settings is None:
        offer(queued[chosen], "messages")


def failed_rows(admin: User, rows: list[OutboxRow]) -> None:
    """A failed message (its error in the table) may be queued again."""
    failed = {row.id: row for row in rows if row.status == FAILED}
    if not failed:
        return
    chosen = st.selectbox(
        ui.tr("outbox.pick_failed"),
        list(failed),
        index=None,
        placeholder=ui.tr("outbox.pick"),
        format_func=ui.format_choices(
            failed, lambda i: f"{i} · {kind_label(failed[i].kind)} · {failed[i].to}"
        ),
        key="messages-failed-pick",
    )
    if chosen in failed and st.button(
        ui.tr("outbox.queue_again"), key="messages-queue-again", icon=":material/replay:"
    ):
        succeed(attempt(lambda: queue_again(ui.store(), str(chosen), admin.email)))


def templates_section(admin: User) -> None:
    kind = st.selectbox(
        ui.tr("outbox.template_kind"),
        KINDS,
        format_func=ui.format_choices(KINDS, kind_label),
        key="messages-template-kind",
    )
    language = st.segmented_control(
        ui.tr("outbox.template_language"),
        LANGUAGES,
        default=ui.lang(),
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="messages-template-language",
    )
    kind, language = str(kind), str(language or ui.lang())
    current = current_templates(ui.store())[(kind, language)]
    names = ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS[kind]))
    st.caption(ui.md_tr("outbox.template_placeholders", names=ui.code(names)))
    subject = st.text_input(
        ui.tr("outbox.template_subject"),
        value=current.subject,
        key=f"messages-subject-{kind}-{language}",
        max_chars=200,
    )
    body = st.text_area(
        ui.tr("outbox.template_body"),
        value=current.body,
        key=f"messages-body-{kind}-{language}",
        height=260,
        max_chars=5000,
    )
    shown = preview(kind, language, subject, body, ui.today())
    for problem in shown.problems:
        st.error(ui.md_text(problem))
    if not shown.problems:
        st.markdown(f"**{ui.tr('outbox.template_preview')}**")
        st.code(f"{shown.subject}\n\n{shown.body}", language=None, wrap_lines=True)
    if st.button(
        ui.tr("outbox.template_save"),
        key="messages-template-save",
        disabled=bool(shown.problems),
        icon=":material/save:",
    ):
        succeed(attempt(lambda: save_template(ui.store(), admin, kind, language, subject, body)))


def due_table(run: ReminderRun) -> None:
    if not run.due:
        st.info(ui.tr("outbox.nothing_due"))
        return
    st.markdown(ui.tr("outbox.due_count", count=len(run.due)))
    frame = pd.DataFrame(
        [
            {
                ui.tr("outbox.col_kind"): kind_label(each.kind),
                ui.tr("outbox.col_to"): each.to,
                ui.tr("outbox.col_language"): each.language,
                ui.tr("outbox.col_subject"): each.subject,
            }
            for each in run.due
        ]
    )
    st.dataframe(defused(frame), hide_index=True, key="messages-due-table")


def reminders_section(admin: User) -> None:
    st.caption(ui.md_tr("outbox.reminders_help"))
    left, right = st.columns(2)
    if left.button(ui.tr("outbox.dry_run"), key="messages-dry-run", icon=":material/preview:"):
        st.session_state[DRY_RUN] = run_reminders(
            ui.store(),
            ui.secrets(),
            ui.today(),
            dry_run=True,
            who=admin.email,
            base_url=app_address(),
        )
        st.session_state.pop(RAN, None)
    if right.button(ui.tr("outbox.run_now"), key="messages-run-now", icon=":material/send:"):
        st.session_state[RAN] = run_reminders(
            ui.store(), ui.secrets(), ui.today(), who=admin.email, base_url=app_address()
        )
        st.session_state.pop(DRY_RUN, None)
    dry = st.session_state.get(DRY_RUN)
    if isinstance(dry, ReminderRun):
        due_table(dry)
    ran = st.session_state.get(RAN)
    if isinstance(ran, ReminderRun):
        report = ran.report
        st.success(
            ui.tr(
                "outbox.ran",
                queued=len(ran.queued),
                sent=len(report.sent) if report else 0,
                failed=len(report.failed) if report else 0,
            )
        )


def main() -> None:
    st.title(ui.tr("outbox.page_title"))
    user = ui.signed_in()
    if not user.is_admin:
        st.caption(ui.tr("outbox.intro_coordinator"))
        outbox_section(user)
        return
    admin = user
    st.caption(ui.tr("outbox.intro"))
    outbox_tab, templates_tab, reminders_tab = st.tabs(
        [ui.tr("outbox.tab_outbox"), ui.tr("outbox.tab_templates"), ui.tr("outbox.tab_reminders")]
    )
    with outbox_tab:
        outbox_section(admin)
    with templates_tab:
        templates_section(admin)
    with reminders_tab:
        reminders_section(admin)


main()
