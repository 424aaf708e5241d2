"""Which pages exist and who may open them: the page list depends on who is signed in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from access import User
from ui.context import tr

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str
    url: str
    title: str
    """Message key of the page title."""
    icon: str
    section: str
    admin_only: bool = False


COORDINATOR_PAGES: tuple[PageSpec, ...] = (
    PageSpec("today.py", "today", "nav.today", ":material/today:", "nav.section_daily"),
    PageSpec(
        "participants.py",
        "participants",
        "nav.participants",
        ":material/group:",
        "nav.section_daily",
    ),
    PageSpec("intake.py", "intake", "nav.intake", ":material/assignment_ind:", "nav.section_steps"),
    PageSpec("sessions.py", "sessions", "nav.sessions", ":material/event:", "nav.section_steps"),
    PageSpec(
        "matching_session.py",
        "matching",
        "nav.matching",
        ":material/join_inner:",
        "nav.section_steps",
    ),
    PageSpec("duos.py", "duos", "nav.duos", ":material/handshake:", "nav.section_steps"),
    PageSpec(
        "follow_ups.py",
        "follow-ups",
        "nav.follow_ups",
        ":material/phone_callback:",
        "nav.section_follow",
    ),
    PageSpec("reports.py", "reports", "nav.reports", ":material/bar_chart:", "nav.section_follow"),
    PageSpec(
        "data_quality.py",
        "data-quality",
        "nav.data_quality",
        ":material/rule:",
        "nav.section_follow",
    ),
    PageSpec(
        "settings.py",
        "settings",
        "nav.settings",
        ":material/settings:",
        "nav.section_admin",
        admin_only=True,
    ),
)


SIGN_IN = PageSpec("sign_in.py", "sign-in", "nav.sign_in", ":material/login:", "nav.section_public")
APPLY = PageSpec("apply.py", "apply", "nav.apply", ":material/edit_note:", "nav.section_public")
MEETING_LOG = PageSpec(
    "meeting_log.py", "log", "nav.meeting_log", ":material/edit_calendar:", "nav.section_public"
)
SELF_EVALUATION = PageSpec(
    "self_evaluation.py",
    "evaluation",
    "nav.self_evaluation",
    ":material/rate_review:",
    "nav.section_public",
)
SELF_FOLLOW_UP = PageSpec(
    "self_follow_up.py",
    "follow-up",
    "nav.self_follow_up",
    ":material/trending_up:",
    "nav.section_public",
)
PRIVACY = PageSpec(
    "privacy.py", "privacy", "nav.privacy", ":material/shield_person:", "nav.section_admin", True
)
STAFF = PageSpec("staff.py", "staff", "nav.staff", ":material/badge:", "nav.section_admin", True)
MESSAGES = PageSpec("outbox.py", "messages", "nav.messages", ":material/mail:", "nav.section_admin")
"""Coordinators work their offices' Outbox rows there; the templates and reminders are admins'."""
STAFF_PAGES: tuple[PageSpec, ...] = (*COORDINATOR_PAGES, PRIVACY, STAFF, MESSAGES)
DEEP_LINK = "deep_link"
"""Session key: the staff page (file, query) a signed-out visitor asked for, for after sign-in."""


def allowed_specs(user: User | None) -> list[PageSpec]:
    """Staff pages the user may use: none when signed out, admin pages for admins only."""
    if user is None:
        return []
    return [
        spec
        for spec in STAFF_PAGES
        if (user.is_admin or not spec.admin_only) and (PAGES_DIR / spec.file).exists()
    ]


def _page(spec: PageSpec, *, default: bool = False, hidden: bool = False) -> st.Page:
    return st.Page(
        str(PAGES_DIR / spec.file),
        title=tr(spec.title),
        icon=spec.icon,
        url_path=spec.url,
        default=default,
        visibility="hidden" if hidden else "visible",
    )


def pages_for(user: User | None) -> dict[str, list[st.Page]] | list[st.Page]:
    """The navigation, by section: signed-out visitors get only the public pages.

    A page missing from this list cannot be reached by its URL either: Streamlit answers
    "page not found" and shows the default page instead. The public pages alone come as a
    plain list: a section's header sits inside Streamlit's `<ul>` of links, which screen
    readers then do not announce as a list (axe-core: "list", "listitem").
    """
    sections: dict[str, list[st.Page]] = {}
    for index, spec in enumerate(allowed_specs(user)):
        sections.setdefault(tr(spec.section), []).append(_page(spec, default=index == 0))
    public = sections.setdefault(tr("nav.section_public"), [])
    if user is None:
        sign_in = _page(SIGN_IN, default=True)
        public.append(sign_in)
        public.extend(_deep_link_page(spec, sign_in) for spec in STAFF_PAGES)
    public_pages = (
        (APPLY, False),
        (MEETING_LOG, True),
        (SELF_EVALUATION, True),
        (SELF_FOLLOW_UP, True),
    )
    for spec, hidden in public_pages:
        if (PAGES_DIR / spec.file).exists():
            public.append(_page(spec, hidden=hidden))
    return public if user is None else sections


def _deep_link_page(spec: PageSpec, sign_in: st.Page) -> st.Page:
    """A hidden stand-in at a staff page's URL for signed-out visitors: it remembers the
    page and its query (`?id=...`) and opens the sign-in; `follow_deep_link` goes on."""

    def remember() -> None:
        st.session_state[DEEP_LINK] = (spec.file, _query())
        st.switch_page(sign_in)

    remember.__name__ = remember.__qualname__ = f"deep_link_{spec.url.replace('-', '_')}"
    return st.Page(remember, title=tr(spec.title), url_path=spec.url, visibility="hidden")


def _query() -> dict[str, Any]:
    return {key: st.query_params.get(key) for key in st.query_params}


def follow_deep_link(user: User | None) -> None:
    """After sign-in, open the page a deep link asked for (when this user may use it)."""
    if user is None or DEEP_LINK not in st.session_state:
        return
    file, query = st.session_state.pop(DEEP_LINK)
    if file in {spec.file for spec in allowed_specs(user)}:
        st.switch_page(str(PAGES_DIR / file), query_params=query)
