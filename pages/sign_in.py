"""Sign in: the identity provider, a password, or (demo workbook only) one click."""

from __future__ import annotations

import secrets as token_source

import streamlit as st

import access
from access import bootstrap_admins, check_password, request_source, staff_member
from ui import context as ui
from ui.language import page_language_switch
from ui.shell import require_shell

require_shell()

SESSION_KEY = "sign-in-session"


def session_token() -> str:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = token_source.token_hex(8)
    return str(st.session_state[SESSION_KEY])


def source() -> str:
    """Where this visitor comes from (their address), else this browser session."""
    found = request_source(
        st.context.ip_address,
        st.context.headers.get_all(access.FORWARDED_FOR),
        behind_proxy=access.behind_proxy(ui.secrets()),
    )
    return found or f"session:{session_token()}"


def providers() -> list[str]:
    """OpenID Connect providers named in secrets ([auth.google], [auth.microsoft], ...)."""
    auth = ui.secrets().get("auth", {})
    named = [name for name, value in auth.items() if isinstance(value, dict)]
    return named or (["default"] if "client_id" in auth else [])


def identity_provider() -> None:
    for name in providers():
        label = ui.tr("signin.with_provider", provider=name.capitalize())
        if st.button(label, key=f"login-{name}", icon=":material/login:"):
            st.login() if name == "default" else st.login(name)


def password_form() -> None:
    hashes = dict(ui.secrets().get("passwords", {}))
    if not hashes:
        return
    with st.form("password-sign-in", clear_on_submit=False):
        email = st.text_input(ui.tr("signin.email"), max_chars=120)
        password = st.text_input(ui.tr("signin.password"), type="password", max_chars=200)
        submitted = st.form_submit_button(ui.tr("signin.submit"))
    if not submitted:
        return
    ok = check_password(email, password, hashes, access.THROTTLE, source())
    member = (
        staff_member(email, ui.store().table("Staff").frame, bootstrap_admins(ui.secrets()))
        if ok
        else None
    )
    if member is None:
        st.error(ui.tr("signin.not_recognised"))
        return
    st.session_state[ui.USER] = member
    st.rerun()


def demo_entry() -> None:
    if not ui.store().is_demo:
        return
    st.subheader(ui.tr("signin.demo_title"))
    st.caption(ui.tr("signin.demo_help"))
    left, right = st.columns(2)
    if left.button(ui.tr("signin.demo_coordinator"), key="demo-coordinator"):
        st.session_state[ui.USER] = ui.DEMO_COORDINATOR
        st.rerun()
    if right.button(ui.tr("signin.demo_admin"), key="demo-admin"):
        st.session_state[ui.USER] = ui.DEMO_ADMIN
        st.rerun()


def refused_notice() -> None:
    """Someone signed in through the identity provider whom the Staff tab does not list."""
    refused = st.session_state.get(ui.REFUSED)
    if not refused:
        return
    st.warning(ui.tr("signin.refused", email=refused))
    if "auth" in ui.secrets() and st.button(ui.tr("signin.sign_out"), key="refused-logout"):
        st.session_state.pop(ui.REFUSED, None)
        st.logout()


def main() -> None:
    page_language_switch()
    st.title(ui.tr("signin.title"))
    refused_notice()
    identity_provider()
    password_form()
    demo_entry()
    if not providers() and not ui.secrets().get("passwords") and not ui.store().is_demo:
        st.info(ui.tr("signin.none_configured"))
    st.divider()
    st.page_link("pages/apply.py", label=ui.tr("signin.apply_link"), icon=":material/edit_note:")


main()
