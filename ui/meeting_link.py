"""The duo page's section for the mentor's (and mentee's) personal meeting-log link."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import streamlit as st

from access import User
from links import MENTEE, MENTOR
from services.meeting_links import link_for, revoke, secret_key
from ui import context as ui
from ui.feedback import attempt, succeed
from ui.outbox import meeting_link_messages
from ui.personal_links import app_address, show_links
from workflow import ACTIVE, cell_text


def meeting_links(duo: Mapping[str, Any], user: User) -> None:
    """Copyable links for an Active duo, and a button that revokes every link given so far."""
    if cell_text(duo, "Status") != ACTIVE:
        return
    duo_id = cell_text(duo, "ID")
    store = ui.store()
    with st.expander(ui.tr("duo_links.title"), icon=":material/link:"):
        secret = secret_key(ui.secrets(), store)
        if secret is None:
            st.info(ui.tr("duo_links.disabled"))
            return
        st.caption(ui.tr("duo_links.help"))
        shown = show_links(
            [
                (label, partial(link_for, store, duo_id, app_address(), secret, role, user=user))
                for role, label in ((MENTOR, "duo_links.mentor"), (MENTEE, "duo_links.mentee"))
            ]
        )
        if not shown:
            return
        meeting_link_messages(duo_id, user, app_address(), secret)
        st.caption(ui.tr("duo_links.revoke_help"))
        if st.button(ui.tr("duo_links.revoke"), key=f"duo-{duo_id}-revoke-links"):
            succeed(attempt(lambda: revoke(store, duo_id, ui.who(), user=user)))
