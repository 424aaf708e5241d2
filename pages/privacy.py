"""Privacy (admins): export everything about a person, erase a person, retention list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import User
from services.privacy import erase_person, export_person, retention
from sheets.store import Store
from ui import context as ui
from ui.feedback import attempt
from ui.once import Once
from ui.shell import require_shell
from ui.tables import table

require_shell()

EXPORT_FILE = "privacy-export-file"
EXPORT_ONCE = Once("privacy-export", render=lambda _: None)
ERASE_ONCE = Once("privacy-erase", defaults={"privacy-typed": ""})


def person_labels(frame: pd.DataFrame) -> dict[str, str]:
    """Every person's choice label, built once (a lookup per option would be quadratic)."""
    names = (frame["First name"] + " " + frame["Last name"]).str.strip()
    erased = ui.tr("privacy.erased_person")
    roles = frame["Role"].map(ui.label)
    return {
        str(pid): f"{name or erased} · {pid} · {role} · {office}"
        for pid, name, role, office in zip(frame["ID"], names, roles, frame["Office"], strict=True)
    }


def keep_export(person_id: str, contents: bytes) -> bytes:
    """Keep the export for the download button (its audit row is written once per click)."""
    st.session_state[EXPORT_FILE] = (person_id, contents)
    return contents


def chosen_person(people: pd.DataFrame) -> str | None:
    labels = person_labels(people)
    chosen = st.selectbox(
        ui.tr("privacy.person"),
        list(people["ID"]),
        index=None,
        format_func=lambda pid: labels.get(pid, pid),
        placeholder=ui.tr("privacy.choose_person"),
        key="privacy-person",
    )
    return str(chosen) if chosen else None


def export_section(store: Store, user: User, person_id: str) -> None:
    st.subheader(ui.tr("privacy.export_title"))
    st.caption(ui.tr("privacy.export_help"))
    token = EXPORT_ONCE.field()
    if st.button(ui.tr("privacy.prepare_export"), key="privacy-export"):
        EXPORT_ONCE.submit(
            token, lambda: keep_export(person_id, export_person(store, user, person_id))
        )
    prepared = st.session_state.get(EXPORT_FILE)
    if prepared and prepared[0] == person_id and prepared[1]:
        st.download_button(
            ui.tr("privacy.download_export"),
            prepared[1],
            file_name=f"{person_id}-data.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="privacy-download",
        )


def erase_section(store: Store, admin: User, person_id: str) -> None:
    st.subheader(ui.tr("privacy.erase_title"))
    st.caption(ui.tr("privacy.erase_help"))
    with st.form("privacy-erase", clear_on_submit=False):
        token = ERASE_ONCE.field()
        typed = st.text_input(ui.tr("privacy.erase_confirm", key=person_id), key="privacy-typed")
        erase = st.form_submit_button(
            ui.tr("privacy.erase_button"), type="primary", key="privacy-erase-button"
        )
    ERASE_ONCE.show()
    if not erase:
        return
    if typed.strip() != person_id:
        st.error(ui.tr("privacy.erase_mismatch"))
        return
    ERASE_ONCE.submit(token, lambda: attempt(lambda: erase_person(store, admin, person_id)))


def retention_section(store: Store, user: User) -> None:
    st.subheader(ui.tr("privacy.retention_title"))
    period = retention(store, user, ui.today())
    due = period.due
    st.caption(ui.tr("privacy.retention_help", years=period.years, count=len(due)))
    if not due.empty:
        shown = due.assign(Role=due["Role"].map(ui.label), Status=due["Status"].map(ui.label))
        table(shown, key="privacy-due")


def main() -> None:
    st.title(ui.tr("privacy.title"))
    user = ui.signed_in_admin("privacy.admins_only")
    store = ui.store()
    person_id = chosen_person(ui.snapshot().participants)
    if person_id:
        export_section(store, user, person_id)
        erase_section(store, user, person_id)
    else:
        ERASE_ONCE.show()  # an erasure's confirmation stays when the erased person's label changed
    retention_section(store, user)


main()
