"""Self-filled follow-up: a mentee says where they are 3, 6 or 12 months after their duo
started, from a personal link, no account, on their phone.

`?t=<token>` opens it. A valid link shows only the first names of the pair and, when a
follow-up contact is due, the form (situation, the contract for a job, notes); with none
due, a polite word and no form. Any other link gets a polite refusal and nothing else.
Never uses the signed-in user. The checks and the rules are in `links.py`,
`services/link_access.py` and `services/self_follow_ups.py`. One column, for a phone.
"""

from __future__ import annotations

import streamlit as st

from services import self_follow_ups
from services.follow_ups import CONTRACTS
from services.self_follow_ups import SELF_SITUATIONS, SelfFollowUp
from services.unit import Outcome
from ui import context as ui
from ui.once import Once
from ui.personal_links import PublicLinkPage
from ui.shell import require_shell

require_shell()

PAGE = PublicLinkPage("self_follow_up")
FORM = "self-follow-up"


def key(field: str) -> str:
    return f"{FORM}-{field}"


def form_once() -> Once:
    """The form's exactly-once guard (its fields empty again after a save)."""
    defaults: dict[str, object] = {key("situation"): None, key("contract"): None}
    return Once(FORM, defaults=defaults | {key("notes"): ""}, shared=True)


def follow_up_form(once: Once) -> tuple[str, SelfFollowUp] | None:
    """The form; this render's token and the answers when it was sent (None until then)."""
    with st.form(FORM, clear_on_submit=False, enter_to_submit=False):
        token = once.field()
        situation = st.radio(
            ui.tr("self_follow_up.situation"),
            SELF_SITUATIONS,
            index=None,
            format_func=ui.format_choices(SELF_SITUATIONS),
            key=key("situation"),
        )
        contract = st.radio(
            ui.tr("self_follow_up.contract"),
            CONTRACTS,
            index=None,
            format_func=ui.format_choices(CONTRACTS),
            horizontal=True,
            key=key("contract"),
        )
        st.caption(ui.tr("self_follow_up.contract_help"))
        notes = st.text_area(ui.tr("self_follow_up.notes"), key=key("notes"))
        sent = st.form_submit_button(
            ui.tr("self_follow_up.send"), type="primary", width="stretch", key=key("send")
        )
    if not sent:
        return None
    return token, SelfFollowUp(str(situation or ""), str(contract or ""), notes)


def write(once: Once, token: str, link: str, secret: str, answers: SelfFollowUp) -> Outcome | None:
    record_id = once.record_id(token, "F")
    return PAGE.sent(
        lambda: self_follow_ups.send_follow_up(
            ui.store(), link, secret, answers, ui.today(), record_id=record_id
        )
    )


def main() -> None:
    link, secret, linked = PAGE.start(self_follow_ups.resolve)
    PAGE.hello(linked.mentor_first_name, linked.mentee_first_name)
    once = form_once()
    if linked.due is None:
        if once.result() is not None:
            once.show()
            return
        st.info(ui.tr("self_follow_up.nothing_due"), icon=":material/task_alt:")
        return
    st.caption(ui.tr("self_follow_up.intro", months=linked.due.months))
    sent = follow_up_form(once)
    if sent is not None:
        token, answers = sent
        once.submit(token, lambda: write(once, token, link, secret, answers))
    once.show()


main()
