"""Staff (admins only): who may sign in, with which role and offices.

The Staff tab stays the record; this page adds a person, changes a role, offices and the
language of their messages, or deactivates someone, each as one unit of work (`services.staff`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import User
from i18n import LANGUAGE_NAMES
from services.offices import all_offices
from services.staff import (
    ROLES,
    STAFF_LANGUAGES,
    StaffRow,
    add_staff,
    change_staff,
    deactivate_staff,
    staff_rows,
)
from ui import context as ui
from ui.feedback import attempt
from ui.once import Once
from ui.shell import require_shell
from ui.tables import defused

require_shell()

NEW_EMAIL, NEW_NAME, NEW_OFFICES = "staff-new-email", "staff-new-name", "staff-new-offices"
ADD_ONCE = Once("staff-add", defaults={NEW_EMAIL: "", NEW_NAME: "", NEW_OFFICES: []})
CHANGE_ONCE = Once("staff-change")
DEACTIVATE_ONCE = Once("staff-deactivate")
SEEN = "staff-seen"
"""The row as the admin was shown it, for the conflict check of their change."""


def overview(rows: list[StaffRow]) -> None:
    yes, no = ui.tr("common.yes"), ui.tr("common.no")
    frame = pd.DataFrame(
        [
            {
                ui.tr("staff.email"): row.email,
                ui.tr("staff.name"): row.name,
                ui.tr("staff.role"): ui.label(row.role),
                ui.tr("staff.offices"): ", ".join(row.offices),
                ui.tr("staff.language"): LANGUAGE_NAMES[row.message_language],
                ui.tr("staff.active"): yes if row.active else no,
            }
            for row in rows
        ]
    )
    st.dataframe(defused(frame), hide_index=True, key="staff-table")


def add_form(admin: User, offices: list[str]) -> None:
    st.subheader(ui.tr("staff.add_title"))
    with st.form("staff-add", clear_on_submit=False):
        token = ADD_ONCE.field()
        email = st.text_input(ui.tr("staff.email"), key=NEW_EMAIL, max_chars=120)
        name = st.text_input(ui.tr("staff.name"), key=NEW_NAME, max_chars=120)
        role = st.selectbox(
            ui.tr("staff.role"), ROLES, format_func=ui.format_choices(ROLES), key="staff-new-role"
        )
        chosen = st.multiselect(ui.tr("staff.offices"), offices, key=NEW_OFFICES)
        language = language_box("staff-new-language", "fr")
        sent = st.form_submit_button(ui.tr("staff.add"), key="staff-add-submit")
    ADD_ONCE.show()
    if sent:
        ADD_ONCE.submit(
            token,
            lambda: attempt(
                lambda: add_staff(ui.store(), admin, email, name, str(role), chosen, language)
            ),
        )


def language_box(key: str, current: str) -> str:
    """The language of the person's messages (digest, intro invitations)."""
    return str(
        st.selectbox(
            ui.tr("staff.language"),
            STAFF_LANGUAGES,
            index=STAFF_LANGUAGES.index(current),
            format_func=lambda code: LANGUAGE_NAMES[code],
            key=key,
        )
    )


def seen_row(current: StaffRow) -> StaffRow:
    """The row as shown on the previous run (what the admin saw), else as it is now."""
    shown = st.session_state.get(SEEN)
    st.session_state[SEEN] = current
    if isinstance(shown, StaffRow) and shown.email == current.email:
        return shown
    return current


def change_form(admin: User, row: StaffRow, offices: list[str]) -> None:
    seen = seen_row(row)
    with st.form("staff-change", clear_on_submit=False):
        token = CHANGE_ONCE.field()
        role = st.selectbox(
            ui.tr("staff.role"),
            ROLES,
            index=ROLES.index(row.role),
            format_func=ui.format_choices(ROLES),
            key=f"staff-role-{row.email}",
        )
        chosen = st.multiselect(
            ui.tr("staff.offices"),
            sorted({*offices, *row.offices}),
            default=list(row.offices),
            key=f"staff-offices-{row.email}",
        )
        language = language_box(f"staff-language-{row.email}", row.message_language)
        sent = st.form_submit_button(ui.tr("staff.save"), key="staff-change-submit")
    CHANGE_ONCE.show()
    if sent:
        CHANGE_ONCE.submit(
            token,
            lambda: attempt(
                lambda: change_staff(ui.store(), admin, seen, str(role), chosen, language)
            ),
        )


def deactivate_button(admin: User, row: StaffRow) -> None:
    if not row.active:
        st.caption(ui.tr("staff.inactive_note"))
        return
    token = DEACTIVATE_ONCE.field()
    if st.button(ui.tr("staff.deactivate"), icon=":material/person_off:", key="staff-deactivate"):
        DEACTIVATE_ONCE.submit(
            token, lambda: attempt(lambda: deactivate_staff(ui.store(), admin, row))
        )
    DEACTIVATE_ONCE.show()


def edit_section(admin: User, rows: list[StaffRow], offices: list[str]) -> None:
    st.subheader(ui.tr("staff.edit_title"))
    by_email = {row.email: row for row in rows}
    email = st.selectbox(
        ui.tr("staff.person"),
        list(by_email),
        index=None,
        placeholder=ui.tr("staff.pick"),
        format_func=ui.format_choices(by_email, lambda e: f"{by_email[e].name} ({e})"),
        key="staff-person",
    )
    if email is None or email not in by_email:
        return
    change_form(admin, by_email[email], offices)
    deactivate_button(admin, by_email[email])


def main() -> None:
    st.title(ui.tr("staff.title"))
    admin = ui.signed_in_admin("staff.admins_only")
    st.caption(ui.tr("staff.intro"))
    rows = staff_rows(ui.store().table("Staff").frame)
    offices = all_offices(ui.store())
    overview(rows)
    add_form(admin, offices)
    edit_section(admin, rows, offices)


main()
