"""Self-filled evaluation: a duo's mentor or mentee gives their end evaluation from a personal
link, no account, on their phone.

`?t=<token>` opens it. A valid link shows only the first names of the pair and the form of
the programme's questions (the mentee's outcome and gains, the mentor's wish for another
mentee); once their evaluation is in, a thank-you instead of the form. Any other link gets
a polite refusal and nothing else. Never uses the signed-in user. The checks and the rules
are in `links.py` and `services/self_evaluations.py`. One column, for a phone.
"""

from __future__ import annotations

import streamlit as st

from links import MENTEE, MENTOR
from services import self_evaluations
from services.duos import (
    ANOTHER_MENTEE_VALUES,
    CONTRACTS,
    GAINS,
    OBJECTIVES_MET_VALUES,
    OUTCOMES,
    SATISFACTION_SCALE,
)
from services.self_evaluations import LinkedEvaluation, SelfAnswers
from services.unit import Outcome
from ui import context as ui
from ui.once import Once
from ui.personal_links import PublicLinkPage
from ui.shell import require_shell

require_shell()

PAGE = PublicLinkPage("self_evaluation")
FORM = "self-evaluation"
INTRO = {MENTEE: "self_evaluation.intro_mentee", MENTOR: "self_evaluation.intro_mentor"}
FIELDS = (
    "objectives",
    "satisfaction",
    "outcome",
    "contract",
    "autonomy",
    "career-plan",
    "network",
    "another",
)


def key(field: str) -> str:
    return f"{FORM}-{field}"


def form_once() -> Once:
    """The form's exactly-once guard (its fields empty again after a save)."""
    defaults: dict[str, object] = {key(field): None for field in FIELDS}
    return Once(FORM, defaults=defaults | {key("comments"): ""}, shared=True)


def choice(label: str, values: tuple[str, ...], field: str, *, translate: bool = True) -> str:
    """A question answered by one tap among a few values ("" until answered)."""
    picked = st.radio(
        label,
        values,
        index=None,
        format_func=ui.format_choices(values) if translate else str,
        horizontal=True,
        key=key(field),
    )
    return "" if picked is None else str(picked)


def evaluation_form(linked: LinkedEvaluation, once: Once) -> tuple[str, SelfAnswers] | None:
    """The form; this render's token and the answers when it was sent (None until then)."""
    mentee = linked.role == MENTEE
    with st.form(FORM, clear_on_submit=False, enter_to_submit=False):
        token = once.field()
        objectives = choice(
            ui.tr("self_evaluation.objectives_met"), OBJECTIVES_MET_VALUES, "objectives"
        )
        satisfaction = st.radio(
            ui.tr("self_evaluation.satisfaction"),
            list(SATISFACTION_SCALE),
            index=None,
            horizontal=True,
            key=key("satisfaction"),
        )
        answers: dict[str, str] = {}
        if mentee:
            answers["outcome"] = str(
                st.selectbox(
                    ui.tr("self_evaluation.outcome"),
                    OUTCOMES,
                    index=None,
                    format_func=ui.format_choices(OUTCOMES),
                    placeholder="—",
                    key=key("outcome"),
                )
                or ""
            )
            answers["contract"] = choice(ui.tr("self_evaluation.contract"), CONTRACTS, "contract")
            st.caption(ui.tr("self_evaluation.contract_help"))
            answers["autonomy"] = choice(ui.tr("self_evaluation.autonomy"), GAINS, "autonomy")
            answers["career_plan"] = choice(
                ui.tr("self_evaluation.career_plan"), GAINS, "career-plan"
            )
            answers["network"] = choice(ui.tr("self_evaluation.network"), GAINS, "network")
        else:
            answers["another_mentee"] = choice(
                ui.tr("self_evaluation.another_mentee"), ANOTHER_MENTEE_VALUES, "another"
            )
        comments = st.text_area(
            ui.tr("self_evaluation.comments"),
            help=ui.tr("self_evaluation.comments_help"),
            key=key("comments"),
        )
        sent = st.form_submit_button(
            ui.tr("self_evaluation.send"), type="primary", width="stretch", key=key("send")
        )
    if not sent:
        return None
    score = None if satisfaction is None else int(satisfaction)
    return token, SelfAnswers(objectives, score, comments=comments, **answers)


def write(once: Once, token: str, link: str, secret: str, answers: SelfAnswers) -> Outcome | None:
    record_id = once.record_id(token, "E")
    return PAGE.sent(
        lambda: self_evaluations.send_evaluation(
            ui.store(), link, secret, answers, ui.today(), record_id=record_id
        )
    )


def answered(linked: LinkedEvaluation, once: Once) -> None:
    """Their evaluation is in: the thank-you (the confirmation right after sending it)."""
    if once.result() is not None:
        once.show()
        return
    st.info(ui.tr("self_evaluation.already_answered"), icon=":material/task_alt:")
    if linked.answered_on is not None:
        st.caption(ui.tr("self_evaluation.answered_on", date=linked.answered_on))


def main() -> None:
    link, secret, linked = PAGE.start(self_evaluations.resolve)
    PAGE.hello(linked.mentor_first_name, linked.mentee_first_name)
    once = form_once()
    if linked.answered:
        answered(linked, once)
        return
    if linked.opens_on is not None:
        st.info(ui.tr("self_evaluation.not_open", date=linked.opens_on))
        return
    st.caption(ui.tr(INTRO[linked.role]))
    sent = evaluation_form(linked, once)
    if sent is not None:
        token, answers = sent
        once.submit(token, lambda: write(once, token, link, secret, answers))
    once.show()


main()
