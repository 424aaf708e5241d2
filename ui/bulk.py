"""Ticking rows of a list, and what a bulk action on them did.

    ticked = ticked_rows(frame, ids, "participants-ticks")   # the IDs of the ticked rows
    ...                                                      # the action's form, `confirmed`
    once = Once("participants-bulk-status", render=show_bulk_outcome)

No business rule here: who may move and why not is the services' (`services/bulk.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from i18n import Msg
from services.unit import Outcome
from ui.context import md_text, md_tr, tr
from ui.feedback import attempt
from ui.tables import selected_rows


def ticked_rows(frame: pd.DataFrame, ids: Sequence[str], key: str) -> list[str]:
    """The table with a tick box per row; returns the IDs (`ids`, one per row) ticked.

    The widget's key carries the rows shown: when they change (another filter, a move that
    took someone out of the list) the ticks start empty, instead of ticking whoever now
    stands where a ticked row stood.
    """
    rows = selected_rows(frame, ticks_key(key, ids), "multi-row")
    return [ids[row] for row in rows if row < len(ids)]


def ticks_key(key: str, ids: Sequence[str]) -> str:
    """The table's widget key for these rows."""
    return f"{key}-{hashlib.sha256(chr(10).join(ids).encode()).hexdigest()[:12]}"


def ticked_summary(names: Sequence[str]) -> None:
    """How many rows are ticked, and whose."""
    if not names:
        st.info(tr("bulk.none_ticked"))
        return
    st.markdown(md_tr("bulk.ticked", count=len(names), names=", ".join(names)))


def confirm_box(key: str, count: int) -> bool:
    """Inside a form: the tick that confirms the action applies to all `count` rows."""
    return bool(st.checkbox(tr("bulk.confirm", count=count), key=key))


def confirm_first() -> None:
    st.error(tr("bulk.confirm_first"))


def show_bulk_outcome(outcome: Any) -> None:
    """What a bulk action did: its message, who moved, who was skipped and why."""
    if not isinstance(outcome, Outcome):
        return
    st.success(md_text(outcome.message), icon=":material/check_circle:")
    moved: Sequence[str] = getattr(outcome, "moved", ())
    if moved:
        st.markdown(md_tr("bulk.moved", names=", ".join(moved)))
    over: tuple[int, int] | None = getattr(outcome, "over_capacity", None)
    if over is not None:
        st.warning(tr("sessions.over_capacity", registered=over[0], capacity=over[1]))
    skipped: Sequence[Any] = getattr(outcome, "skipped", ())
    if skipped:
        lines = [
            md_tr("bulk.skipped_line", person=item.person, reason=md_text(item.reason))
            for item in skipped
        ]
        st.warning(tr("bulk.skipped_intro") + "\n\n" + "\n".join(lines))


def capacity_box(form: str) -> bool:
    """Inside a form: when its last send asked to go over capacity, why, and the box to say so."""
    asked: Msg | None = st.session_state.get(f"{form}-asking")
    if asked is None:
        return False
    st.warning(md_text(asked))
    return bool(st.checkbox(tr("sessions.confirm_register"), key=f"{form}-over"))


def asked_or_done(form: str, action: Callable[[], Outcome]) -> Outcome | None:
    """Run the action; when it asks to go over capacity, run the page again to ask (nothing
    written, the form as it was)."""
    outcome = attempt(action)
    if outcome is not None and getattr(outcome, "needs_confirmation", None) is not None:
        st.session_state[f"{form}-asking"] = outcome.message
        st.rerun()
    st.session_state.pop(f"{form}-asking", None)
    st.session_state.pop(f"{form}-over", None)
    return outcome
