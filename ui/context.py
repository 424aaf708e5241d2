"""This session's store, language, user and office filter.

The store is opened once per configuration and shared by every session of the process
(`st.cache_resource`), lazily, on first use: never at import time.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import streamlit as st

from i18n import LANGUAGES, Msg, catalogue, normalise_language, t
from services import Snapshot, User, load
from sheets.config import StoreConfig, config_from, open_store
from sheets.store import Store
from sheets.values import normalise_key

LANG = "lang"
OFFICES = "offices"
USER = "user"
DEMO_ADMIN = User("demo-admin@example.org", "Demo admin", "Admin")


def secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except Exception:
        return {}


def config() -> StoreConfig:
    return config_from(os.environ, secrets())


@st.cache_resource(show_spinner=False)
def _open(key: str, _config: StoreConfig) -> Store:
    return open_store(_config)


def store() -> Store:
    """The store this app process uses (opened on first call, then shared)."""
    current = config()
    key = "|".join(
        str(part)
        for part in (
            current.backend,
            current.workbook,
            current.spreadsheet,
            current.api_base,
            current.cache_seconds,
        )
    )
    return _open(key, current)


def lang() -> str:
    """The session's language: chosen in the sidebar, else `?lang=`, else the browser's."""
    if LANG not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state[LANG] = normalise_language(asked or st.context.locale)
    value = st.session_state[LANG]
    return value if value in LANGUAGES else "en"


def tr(key: str, /, **params: Any) -> str:
    return t(key, lang(), **params)


def text(msg: Msg) -> str:
    return msg.text(lang())


def label(value: Any) -> str:
    """A stored value (status, slot, language ...) in the session's language."""
    key = f"values.{normalise_key(value)}"
    return t(key, lang()) if key in catalogue() else str(value)


def fmt_date(value: Any) -> str:
    """Dates the Belgian way: dd/mm/yyyy (blank for none)."""
    if value is None or value is dt.date.min:
        return ""
    try:
        if value != value:  # NaT / NaN
            return ""
    except TypeError:
        pass
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y"))
    return str(value)


def today() -> dt.date:
    return dt.date.today()


def user() -> User | None:
    """Who is signed in; on the demo workbook, a demo admin until someone signs in."""
    signed_in = st.session_state.get(USER)
    if isinstance(signed_in, User):
        return signed_in
    if store().is_demo:
        return DEMO_ADMIN
    return None


def who() -> str:
    current = user()
    return current.email if current else "anonymous"


def chosen_offices() -> list[str]:
    return list(st.session_state.get(OFFICES, []))


def snapshot() -> Snapshot:
    """The data tabs as this user sees them, limited to the offices chosen in the sidebar."""
    current = user()
    if current is None:
        st.stop()
    return load(store(), current, chosen_offices())
