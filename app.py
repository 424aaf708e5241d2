"""DUO for a JOB: the coordinators' tool. Run with `scripts/run` (or `streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

import clock
from access import SESSION_COOKIE, SESSION_SECONDS, User, sign_session
from services.offices import all_offices
from services.snapshot import DATA_TABS
from sheets.store import StoreError
from ui import context as ui
from ui.feedback import show_conflicts, show_flash
from ui.language import SIDEBAR_KEY, document_language, language_switch
from ui.navigation import follow_deep_link, pages_for

st.set_page_config(page_title="DUO for a JOB", page_icon=":material/handshake:", layout="wide")


def office_filter() -> None:
    user = ui.user()
    if user is None:
        return
    offices = all_offices(ui.store()) if user.is_admin else list(user.offices)
    st.sidebar.multiselect(
        ui.tr("app.offices"),
        offices,
        key=ui.OFFICES,
        placeholder=ui.tr("app.all_my_offices"),
        format_func=ui.label,
    )


def store_status(user: User) -> None:
    """Which kind of workbook the app uses; where it is (a path, a URL) for admins only."""
    store = ui.store()
    status = store.status()
    with st.sidebar.expander(ui.tr("app.workbook"), icon=":material/table:"):
        kind = (
            ui.tr("app.backend_google")
            if status.backend == "google"
            else ui.tr("app.backend_local")
        )
        st.caption(f"{kind}: {ui.code(status.location)}" if user.is_admin else kind)
        if status.last_read is not None:
            st.caption(ui.tr("app.last_read", time=status.last_read.strftime("%d/%m/%Y %H:%M:%S")))
        if st.button(ui.tr("app.refresh"), icon=":material/refresh:", key="refresh-store"):
            store.refresh()
            st.rerun()


def signed_in_box(user: User) -> None:
    st.sidebar.caption(ui.md_tr("signin.signed_in_as", name=user.name))
    if st.sidebar.button(ui.tr("signin.sign_out"), key="sign-out", icon=":material/logout:"):
        st.session_state.pop(ui.USER, None)
        st.session_state.pop(ui.SESSION_TOKEN, None)
        st.session_state[ui.COOKIE_DROPPED] = ui.cookies().get(SESSION_COOKIE, "")
        st.session_state[CLEAR_COOKIE] = True
        if "auth" in ui.secrets():
            st.logout()
        st.rerun()


CLEAR_COOKIE = "clear_session_cookie"


def set_cookie(value: str, max_age: int) -> None:
    """Give the browser the session cookie (`max_age` 0 removes it). Streamlit cannot set a
    cookie from the server, so a script does: not HttpOnly, but signed and expiring."""
    script = (
        f'document.cookie = "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; '
        'SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");'
    )
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def remember_session(user: User | None) -> None:
    """A password or demo user gets a session cookie, so a reload or a new tab stays signed in
    for a working day (the identity provider keeps its own). Signing out removes it."""
    if user is None:
        if st.session_state.pop(CLEAR_COOKIE, False):
            set_cookie("", 0)
        return
    if ui.SESSION_TOKEN in st.session_state or ui.identity_provider_email():
        return
    secret = ui.session_secret()
    if not secret:
        return
    token = sign_session(user.email, clock.now().timestamp() + SESSION_SECONDS, secret)
    st.session_state[ui.SESSION_TOKEN] = token
    set_cookie(token, SESSION_SECONDS)


def main() -> None:
    """Every data tab is read first, in one call when the cache is cold, so that the sign-in
    check, the office filter and the page all share that one read."""
    language_switch(st.sidebar, SIDEBAR_KEY)
    document_language()
    try:
        store = ui.store()
        store.read(DATA_TABS)
        user = ui.user()
        navigation = st.navigation(pages_for(user), expanded=True)  # every page, no "View more"
        follow_deep_link(user)
        remember_session(user)
        if user is not None:
            if store.is_demo:
                st.info(ui.tr("app.demo_banner"), icon=":material/science:")
            signed_in_box(user)
            office_filter()
            store_status(user)
            show_flash()
            show_conflicts()
        navigation.run()
    except StoreError as error:
        signed_in = isinstance(st.session_state.get(ui.USER), User)
        st.error(ui.md_text(error.msg) if signed_in else ui.tr("app.unavailable"))


main()
