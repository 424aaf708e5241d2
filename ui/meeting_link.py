"""The duo page's section for the mentor's (and mentee's) personal meeting-log link."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from access import User
from links import MENTEE, MENTOR
from services.meeting_links import link_for
from ui import context as ui
from ui.outbox import meeting_link_messages
from ui.personal_links import app_address, links_section, revoke_button, show_links
from workflow import ACTIVE, cell_text


def meeting_links(duo: Mapping[str, Any], user: User) -> None:
    """Copyable links for an Active duo, and a button that revokes every link given so far."""
    if cell_text(duo, "Status") != ACTIVE:
        return
    duo_id = cell_text(duo, "ID")
    store = ui.store()
    with links_section("duo_links.title", ":material/link:", "duo_links.help") as secret:
        if secret is None:
            return
        shown = show_links(
            [
                (label, partial(link_for, store, duo_id, app_address(), secret, role, user=user))
                for role, label in ((MENTOR, "duo_links.mentor"), (MENTEE, "duo_links.mentee"))
            ]
        )
        if not shown:
            return
        meeting_link_messages(duo_id, user, app_address(), secret)
        revoke_button(
            duo_id, user, "duo_links.revoke_help", "duo_links.revoke", f"duo-{duo_id}-revoke-links"
        )
