"""Which pages exist and who may open them: the page list depends on who is signed in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from services import User
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
    PageSpec("reports.py", "reports", "nav.reports", ":material/bar_chart:", "nav.section_follow"),
    PageSpec(
        "data_quality.py",
        "data-quality",
        "nav.data_quality",
        ":material/rule:",
        "nav.section_follow",
    ),
    PageSpec(
        "admin_settings.py",
        "settings",
        "nav.settings",
        ":material/settings:",
        "nav.section_admin",
        admin_only=True,
    ),
)


def allowed_specs(user: User) -> list[PageSpec]:
    return [
        spec
        for spec in COORDINATOR_PAGES
        if (user.is_admin or not spec.admin_only) and (PAGES_DIR / spec.file).exists()
    ]


def pages_for(user: User) -> dict[str, list[st.Page]]:
    """The navigation of a signed-in user, by section; pages they may not use are absent."""
    sections: dict[str, list[st.Page]] = {}
    for index, spec in enumerate(allowed_specs(user)):
        page = st.Page(
            str(PAGES_DIR / spec.file),
            title=tr(spec.title),
            icon=spec.icon,
            url_path=spec.url,
            default=index == 0,
        )
        sections.setdefault(tr(spec.section), []).append(page)
    return sections
