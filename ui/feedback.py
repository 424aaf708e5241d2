"""Telling the user what a write did: success, a translated error, or a conflict to settle."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from i18n import Msg
from services.unit import Outcome, overwrite
from sheets.store import Conflict, StoreError
from ui.context import code, label, md_text, md_tr, plain, store, tr, who
from workflow import RecordChange, TransitionError

FLASH = "flash"
CONFLICTS = "conflicts"
REDO = "conflicts-redo"


def flash(msg: Msg) -> None:
    """A success message shown on the next run (after `st.rerun`)."""
    st.session_state[FLASH] = msg


def show_flash() -> None:
    msg = st.session_state.pop(FLASH, None)
    if isinstance(msg, Msg):
        st.success(md_text(msg))


def attempt(action: Callable[[], Outcome]) -> Outcome | None:
    """Run a write; on failure say why and return None (the form keeps what was typed).

    A spinner with the time spent shows while it runs: on Google a save with a retry after a
    busy answer can take seconds.
    """
    try:
        with st.spinner(tr("common.saving"), show_time=True):
            outcome = action()
    except (StoreError, TransitionError) as error:
        st.error(md_text(error.msg))
        return None
    if outcome.conflicts:
        st.session_state[CONFLICTS] = outcome.conflicts
        st.session_state[REDO] = outcome.redo
    return outcome


def succeed(outcome: Outcome | None) -> None:
    """After a successful write: flash its message and run the page again with fresh data."""
    if outcome is not None and outcome.ok:
        flash(outcome.message)
        st.rerun()
    elif outcome is not None:
        st.rerun()


def show_conflicts() -> None:
    """Cells someone else changed meanwhile: both values, and the user's choice."""
    pending: list[tuple[RecordChange, Conflict]] = st.session_state.get(CONFLICTS, [])
    if not pending:
        return
    st.warning(tr("app.conflict_intro"))
    redo = st.session_state.get(REDO)
    if redo is not None:
        _offer_redo(pending, redo)
        return
    for index, (change, conflict) in enumerate(list(pending)):
        column = conflict.column
        with st.container(border=True):
            _both_values(change, conflict)
            keep, mine = st.columns(2)
            if keep.button(tr("app.conflict_keep"), key=f"conflict-keep-{index}"):
                _settled(index)
            if mine.button(tr("app.conflict_use_mine"), key=f"conflict-mine-{index}"):
                try:
                    overwrite(store(), change, column, conflict.proposed, who())
                except StoreError as error:
                    st.error(md_text(error.msg))
                    return
                _settled(index)


def _offer_redo(pending: list[tuple[RecordChange, Conflict]], redo: Callable[[], Outcome]) -> None:
    """An action that wrote nothing: keep the sheet as it is, or do the action again on it."""
    for change, conflict in pending:
        with st.container(border=True):
            _both_values(change, conflict)
    keep, again = st.columns(2)
    if keep.button(tr("app.conflict_keep"), key="conflict-keep-all"):
        _clear_conflicts()
        st.rerun()
    if again.button(tr("app.conflict_redo"), key="conflict-redo"):
        _clear_conflicts()
        succeed(attempt(redo))


def _both_values(change: RecordChange, conflict: Conflict) -> None:
    st.markdown(md_tr("app.conflict_cell", record=change.record_id, column=conflict.column))
    left, right = st.columns(2)
    left.markdown(md_tr("app.conflict_theirs", value=_shown(conflict.current)))
    right.markdown(md_tr("app.conflict_mine", value=_shown(conflict.proposed)))


def _clear_conflicts() -> None:
    st.session_state[CONFLICTS] = []
    st.session_state[REDO] = None


def _settled(index: int) -> None:
    pending = list(st.session_state.get(CONFLICTS, []))
    pending.pop(index)
    st.session_state[CONFLICTS] = pending
    st.rerun()


def _shown(value: object) -> str:
    """A cell's value for a Markdown line: a list as plain text, one value as code."""
    if isinstance(value, list | tuple):
        return plain(", ".join(label(v) for v in value) or "—")
    return code(label(value) if value not in (None, "") else "—")
