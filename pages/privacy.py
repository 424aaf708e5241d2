"""Privacy (admins): export everything about a person, erase a person, retention list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.privacy import erase_person, erasure_candidates, export_person
from settings import current_values
from ui import context as ui
from ui.feedback import attempt, succeed
from ui.shell import require_shell
from ui.tables import table

require_shell()

st.title(ui.tr("privacy.title"))
user = ui.user()
if user is None or not user.is_admin:
    st.error(ui.tr("privacy.admins_only"))
    st.stop()
store = ui.store()
data = ui.snapshot()
people = data.participants


def person_labels(frame: pd.DataFrame) -> dict[str, str]:
    """Every person's choice label, built once (a lookup per option would be quadratic)."""
    names = (frame["First name"] + " " + frame["Last name"]).str.strip()
    erased = ui.tr("privacy.erased_person")
    roles = frame["Role"].map(ui.label)
    return {
        str(pid): f"{name or erased} · {pid} · {role} · {office}"
        for pid, name, role, office in zip(frame["ID"], names, roles, frame["Office"], strict=True)
    }


labels = person_labels(people)
chosen = st.selectbox(
    ui.tr("privacy.person"),
    list(people["ID"]),
    index=None,
    format_func=lambda pid: labels.get(pid, pid),
    placeholder=ui.tr("privacy.choose_person"),
    key="privacy-person",
)

if chosen:
    st.subheader(ui.tr("privacy.export_title"))
    st.caption(ui.tr("privacy.export_help"))
    if st.button(ui.tr("privacy.prepare_export"), key="privacy-export"):
        st.session_state["privacy-export-file"] = (chosen, export_person(store, user, chosen))
    prepared = st.session_state.get("privacy-export-file")
    if prepared and prepared[0] == chosen and prepared[1]:
        st.download_button(
            ui.tr("privacy.download_export"),
            prepared[1],
            file_name=f"{chosen}-data.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="privacy-download",
        )

    st.subheader(ui.tr("privacy.erase_title"))
    st.caption(ui.tr("privacy.erase_help"))
    with st.form("privacy-erase", clear_on_submit=False):
        typed = st.text_input(ui.tr("privacy.erase_confirm", key=chosen), key="privacy-typed")
        erase = st.form_submit_button(ui.tr("privacy.erase_button"), type="primary")
    if erase:
        if typed.strip() != chosen:
            st.error(ui.tr("privacy.erase_mismatch"))
        else:
            admin, person_id = user, str(chosen)
            succeed(attempt(lambda: erase_person(store, admin, person_id)))

st.subheader(ui.tr("privacy.retention_title"))
values, _ = current_values(store.table("Settings").frame)
years = int(values["privacy.retention_years"])
due = erasure_candidates(store, user, ui.today(), years)
st.caption(ui.tr("privacy.retention_help", years=years, count=len(due)))
if not due.empty:
    shown = due.assign(Role=due["Role"].map(ui.label), Status=due["Status"].map(ui.label))
    table(shown, key="privacy-due")
