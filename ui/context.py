"""This session's store, language, user and office filter.

The store is opened once per configuration and shared by every session of the process
(`st.cache_resource`), lazily, on first use: never at import time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import streamlit as st

import clock
from access import User
from i18n import LANGUAGES, Msg, catalogue, day_text, local_value, normalise_language, t
from services.snapshot import Snapshot, load
from sheets.config import StoreConfig, config_from, open_store
from sheets.store import Store
from sheets.values import normalise_key

LANG = "lang"
OFFICES = "offices"
USER = "user"
DEMO_ADMIN = User("demo-admin@example.org", "Demo admin", "Admin")
Step = TypeVar("Step")


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
            current.memory,
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
    """A domain message in the session's language, stored values inside it translated too.

    Domain code puts stored values (statuses, languages, slots) in message parameters as
    they are in the sheet, in English; they are labelled here, a list joined by ", " too.
    Dates and decimal numbers are written the language's way by `t` (26/11/2026, 0,5).
    """
    params = {name: _labelled(value) for name, value in msg.params.items()}
    return t(msg.key, lang(), **params)


class Markdown(str):
    """Text for an element that renders Markdown, anything someone typed inside it escaped.

    `plain` leaves a `Markdown` text as it is, so an escaped text may go into a message's
    parameters (`md_tr`, `md_text`) without being escaped twice.
    """


_INLINE = re.compile(r"([\\`*_\[\]()<>!|~:$&{}])")
"""Characters that start Markdown (or Streamlit's extensions: :color[..], $math$) anywhere."""
_LINE_START = re.compile(r"^([ \t]*)([-+=#])(?=[-+=#\s]|$)", re.MULTILINE)
"""Lists, headings, rules and setext underlines: they count only at the start of a line."""
_ORDERED = re.compile(r"^([ \t]*\d{1,9})(?=\.(?:[ \t]|$))", re.MULTILINE)
"""An ordered list's "1. " (its "1) " has the ")" escaped already)."""
_AUTOLINK = re.compile(r"(?i)(?<=http)(?=s?:)|(?<=www)(?=\.)|(?<=@)")
"""Where GFM turns bare text into a link (http://, https://, www., e-mail addresses)."""
WORD_JOINER = "\u2060"


def plain(value: object) -> Markdown:
    """`value` shown as itself in a Markdown element: no bold, link, image, heading or list.

    Markdown syntax is backslash-escaped. Escapes do not stop GFM's bare links
    (`http://...`, `www.`, `name@host.tld`): Streamlit finds those in the text after the
    escapes are read, so an invisible word joiner is put inside them (after `http`, `www`,
    `@`). Raw HTML is never rendered (no `unsafe_allow_html`), and its `<` is escaped too.
    """
    if isinstance(value, Markdown):
        return value
    text = _AUTOLINK.sub(WORD_JOINER, "" if value is None else str(value))
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return Markdown(_ORDERED.sub(r"\1\\", text))


def code(value: object) -> Markdown:
    """`value` as an inline code span: shown as typed, in the code font, on one line.

    Nothing inside a code span is Markdown (no escapes either): the fence is one backtick
    longer than any run of backticks in the text, so the text cannot close it.
    """
    text = " ".join(str(value).splitlines()) or " "
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


def md_tr(key: str, /, **params: Any) -> Markdown:
    """`tr` for a Markdown element: the catalogue's Markdown kept, text parameters escaped."""
    return Markdown(tr(key, **{name: _escaped(value) for name, value in params.items()}))


def md_text(msg: Msg) -> Markdown:
    """`text` for a Markdown element: stored values labelled, anything else escaped."""
    params = {name: _md_labelled(value) for name, value in msg.params.items()}
    return Markdown(t(msg.key, lang(), **params))


def md_label(value: Any) -> Markdown:
    """`label` for a Markdown element: a known value's label, any other value escaped."""
    return Markdown(label(value)) if _known(str(value)) else plain(value)


def _md_labelled(value: Any) -> Any:
    """`_labelled`, the labels (catalogue texts) kept as they are and other text escaped."""
    if isinstance(value, list | tuple):
        return Markdown(
            ", ".join(md_label(item) if isinstance(item, str) else _local(item) for item in value)
        )
    if not isinstance(value, str) or not value or isinstance(value, Markdown):
        return value
    parts = value.split(", ")
    if len(parts) > 1 and all(_known(part) for part in parts):
        return Markdown(", ".join(md_label(part) for part in parts))
    return md_label(value)


def _escaped(value: Any) -> Any:
    """Text escaped; numbers and dates kept as they are, for the catalogue's `{x:.0f}`."""
    return plain(value) if isinstance(value, str) else value


def _labelled(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(label(item) if isinstance(item, str) else _local(item) for item in value)
    if not isinstance(value, str) or not value:
        return value
    if _known(value):
        return label(value)
    parts = value.split(", ")
    if len(parts) > 1 and all(_known(part) for part in parts):
        return ", ".join(label(part) for part in parts)
    return value


def _local(value: Any) -> str:
    """An item of a list parameter that is no stored text: a date or number the language's way."""
    return str(local_value(value, lang()))


def _known(value: str) -> bool:
    return f"values.{normalise_key(value)}" in catalogue()


def label(value: Any) -> str:
    """A stored value (status, slot, language ...) in the session's language."""
    key = f"values.{normalise_key(value)}"
    return t(key, lang()) if key in catalogue() else str(value)


def format_choices(
    options: Iterable[Any], shown: Callable[[Any], str] = label
) -> Callable[[Any], str]:
    """A widget's `format_func` whose texts are made now, in this run's language.

    Streamlit may call a `format_func` outside the script run (AppTest turns a chosen value
    into its label that way), where the session's language cannot be read: a label looked up
    then would come out in English.
    """
    texts = {option: shown(option) for option in options}
    return lambda option: texts.get(option, str(option))


def step_choice(
    actions: Sequence[Step], labels: Mapping[Step, Msg], label: str, none: str, *, key: str
) -> Step | None:
    """The step to take among `actions` (each named by `labels`), none chosen at first; the
    info line `none`, and None, when there is no step to take."""
    if not actions:
        st.info(none)
        return None
    chosen: Step | None = st.selectbox(
        label,
        actions,
        index=None,
        format_func=format_choices(actions, lambda action: text(labels[action])),
        placeholder=tr("participants.step_hint"),
        key=key,
    )
    return chosen


def fmt_date(value: Any) -> str:
    """Dates the Belgian way: dd/mm/yyyy (blank for none)."""
    if value is None or value is dt.date.min:
        return ""
    try:
        if value != value:  # NaT / NaN
            return ""
    except TypeError:
        pass
    if isinstance(value, dt.date):
        return day_text(value)
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y"))
    return str(value)


def fmt_number(value: float | None) -> str:
    """A number the language's way outside a message: 2,5 in fr and nl, 2.5 in en (blank for
    none); inside a message, pass the number itself."""
    if value is None or value != value:
        return ""
    return str(local_value(float(value), lang()))


def today() -> dt.date:
    return clock.today()


DEMO_COORDINATOR = User(
    "demo-coordinator@example.org", "Demo coordinator", "Coordinator", ("Brussels",)
)
DEMO_USERS = (DEMO_ADMIN, DEMO_COORDINATOR)
REFUSED = "refused_email"


def user() -> User | None:
    """Who is signed in, checked against the Staff tab on every run (deactivation is immediate).

    Demo users (the sign-in page's one-click entry) exist only on the demo workbook. A person
    signed in through the identity provider but not listed (or not active) in Staff gets no
    user: the shell refuses them.
    """
    signed_in = st.session_state.get(USER)
    if isinstance(signed_in, User):
        if signed_in in DEMO_USERS:
            return signed_in if store().is_demo else None
        return _still_staff(signed_in.email)
    email = _identity_provider_email()
    if email:
        return _still_staff(email)
    return _from_session_cookie()


def _still_staff(email: str) -> User | None:
    from access import bootstrap_admins, staff_member

    member = staff_member(email, store().table("Staff").frame, bootstrap_admins(secrets()))
    if member is None:
        st.session_state.pop(USER, None)
        st.session_state[REFUSED] = email
        return None
    st.session_state[USER] = member
    return member


SESSION_TOKEN = "session_token"
"""The session token this browser holds (or is about to be given) in its cookie."""
COOKIE_DROPPED = "session_cookie_dropped"
"""The token of a cookie signed out of: the browser may still send it in this session."""


def cookies() -> Mapping[str, str]:
    """The browser's cookies as sent when this session began (a seam for the tests)."""
    try:
        return dict(st.context.cookies)
    except Exception:
        return {}


def session_secret() -> str | None:
    """The key session cookies are signed with (the meeting links' key), or None: no cookie."""
    from services.meeting_links import secret_key

    return secret_key(secrets(), store())


def _from_session_cookie() -> User | None:
    """The person a valid, unexpired session cookie names, if Staff (or demo) still lets them in."""
    from access import SESSION_COOKIE, session_email

    token = cookies().get(SESSION_COOKIE)
    if not token or token == st.session_state.get(COOKIE_DROPPED):
        return None
    email = session_email(token, session_secret(), clock.now().timestamp())
    if not email:
        return None
    st.session_state[SESSION_TOKEN] = token
    demo = next((each for each in DEMO_USERS if each.email == email), None)
    if demo is not None:
        if not store().is_demo:
            return None
        st.session_state[USER] = demo
        return demo
    return _still_staff(email)


def identity_provider_email() -> str:
    """The e-mail of the OpenID Connect login, or "" (that login keeps its own cookie)."""
    return _identity_provider_email()


def _identity_provider_email() -> str:
    """The e-mail of the OpenID Connect login (`st.login`), when one is configured and done."""
    if "auth" not in secrets():
        return ""
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or "")
    except Exception:
        return ""
    return ""


def signed_in() -> User:
    """The signed-in user; for anyone else the page stops (the shell shows the sign-in)."""
    current = user()
    if current is None:
        st.stop()
    return current


def signed_in_admin(refusal: str) -> User:
    """The signed-in admin; anyone else is shown `refusal` (a message key) and the page stops."""
    current = user()
    if current is None or not current.is_admin:
        st.error(tr(refusal))
        st.stop()
    return current


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
