"""Privacy (admins): export everything about a person, erase a person, retention list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.privacy import erase_person, erasure_candidates, export_person
from settings import current_values
from ui import context as ui
from ui.feedback import attempt
from ui.once import Once
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


def keep_export(person_id: str, contents: bytes) -> bytes:
    """Keep the export for the download button (its audit row is written once per click)."""
    st.session_state["privacy-export-file"] = (person_id, contents)
    return contents


labels = person_labels(people)
export_once = Once("privacy-export", render=lambda _: None)
erase_once = Once("privacy-erase", defaults={"privacy-typed": ""})
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
    export_token = export_once.field()
    if st.button(ui.tr("privacy.prepare_export"), key="privacy-export"):
        exporter, asked = user, str(chosen)
        export_once.submit(
            export_token, lambda: keep_export(asked, export_person(store, exporter, asked))
        )
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
        erase_token = erase_once.field()
        typed = st.text_input(ui.tr("privacy.erase_confirm", key=chosen), key="privacy-typed")
        erase = st.form_submit_button(
            ui.tr("privacy.erase_button"), type="primary", key="privacy-erase-button"
        )
    erase_once.show()
    if erase:
        if typed.strip() != chosen:
            st.error(ui.tr("privacy.erase_mismatch"))
        else:
            admin, person_id = user, str(chosen)
            erase_once.submit(
                erase_token, lambda: attempt(lambda: erase_person(store, admin, person_id))
            )
else:
    erase_once.show()  # an erasure's confirmation stays when the erased person's label changed

st.subheader(ui.tr("privacy.retention_title"))
values, _ = current_values(store.table("Settings").frame)
years = int(values["privacy.retention_years"])
due = erasure_candidates(store, user, ui.today(), years)
st.caption(ui.tr("privacy.retention_help", years=years, count=len(due)))
if not due.empty:
    shown = due.assign(Role=due["Role"].map(ui.label), Status=due["Status"].map(ui.label))
    table(shown, key="privacy-due")
