"""The Follow-ups page's part for self-filled follow-ups: the mentee's personal follow-up
link, to copy or open, beside the form a coordinator records a call with."""

from __future__ import annotations

from functools import partial

from access import User
from services.self_follow_ups import follow_up_link_for
from ui import context as ui
from ui.personal_links import app_address, links_section, show_links


def follow_up_link(duo_id: str, user: User) -> None:
    """The mentee's link (they answer the due contact themselves, and it leaves the list)."""
    store = ui.store()
    title, help_text = "self_follow_up.link_title", "self_follow_up.link_help"
    with links_section(title, ":material/link:", help_text) as secret:
        if secret is None:
            return
        make = partial(follow_up_link_for, store, duo_id, app_address(), secret, user=user)
        show_links([("self_follow_up.link_label", make)], open_button=True)
