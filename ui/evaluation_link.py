"""The duo page's part for self-filled end evaluations: what came in, and the mentor's and
mentee's personal evaluation links."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from access import User
from links import MENTEE, MENTOR
from services.duos import SELF_FILLED
from services.self_evaluations import came_in, evaluation_link_for, missing_respondents
from ui import context as ui
from ui.personal_links import app_address, links_section, revoke_button, show_links
from workflow import cell_text


def what_came_in(evaluations: pd.DataFrame, duo_id: str) -> None:
    """Which evaluations came in from the links, and which respondents are still missing."""
    self_filled = [item for item in came_in(evaluations, duo_id) if item.source == SELF_FILLED]
    if self_filled:
        who = ", ".join(
            f"{ui.label(item.respondent)} ({ui.fmt_date(item.on)})" for item in self_filled
        )
        st.caption(ui.md_tr("self_evaluation.self_filled", who=who))
    missing = missing_respondents(evaluations, duo_id)
    if missing:
        respondents = ", ".join(ui.label(respondent) for respondent in missing)
        st.caption(ui.tr("self_evaluation.missing", respondents=respondents))
    else:
        st.caption(ui.tr("self_evaluation.none_missing"))


def evaluation_links(duo: Mapping[str, Any], user: User) -> None:
    """Copyable evaluation links for the mentee and the mentor, and the revocation."""
    duo_id = cell_text(duo, "ID")
    store = ui.store()
    title, icon = "self_evaluation.links_title", ":material/rate_review:"
    with links_section(title, icon, "self_evaluation.links_help") as secret:
        if secret is None:
            return
        labels = ((MENTEE, "self_evaluation.link_mentee"), (MENTOR, "self_evaluation.link_mentor"))
        shown = show_links(
            [
                (
                    label,
                    partial(
                        evaluation_link_for, store, duo_id, app_address(), secret, role, user=user
                    ),
                )
                for role, label in labels
            ]
        )
        if not shown:
            return
        revoke_button(
            duo_id,
            user,
            "self_evaluation.revoke_help",
            "self_evaluation.revoke",
            f"duo-{duo_id}-revoke-evaluation-links",
        )
