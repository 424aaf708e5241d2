"""A list of people to pick one from: a selectable table, and a selectbox for the keyboard.

Picking someone puts their ID in the URL (`?id=`), so the record page can be bookmarked,
linked to from other pages and opened by the back button.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ui.context import tr
from ui.tables import column_config, defused


@dataclass(frozen=True)
class PeoplePicker:
    prefix: str
    """Widget keys: `<prefix>-table`, `<prefix>-pick`, `<prefix>-shown-ids`."""

    @property
    def table_key(self) -> str:
        return f"{self.prefix}-table"

    @property
    def pick_key(self) -> str:
        return f"{self.prefix}-pick"

    @property
    def shown_key(self) -> str:
        return f"{self.prefix}-shown-ids"

    def open(self, person_id: str | None) -> None:
        if person_id:
            st.query_params["id"] = person_id

    def close(self) -> None:
        st.query_params.pop("id", None)
        st.session_state.pop(self.table_key, None)
        st.session_state.pop(self.pick_key, None)

    def _table_picked(self) -> None:
        rows = st.session_state[self.table_key].selection.rows
        shown = st.session_state.get(self.shown_key, [])
        if rows and rows[0] < len(shown):
            self.open(shown[rows[0]])

    def show(self, shown: pd.DataFrame, names: Mapping[str, str], label: str) -> None:
        """`shown`: the table as displayed, one row per ID of `names` in the same order."""
        st.session_state[self.shown_key] = list(names)
        st.dataframe(
            defused(shown),
            hide_index=True,
            column_config=column_config(shown),
            key=self.table_key,
            on_select=self._table_picked,
            selection_mode="single-row",
            placeholder="—",
        )
        st.selectbox(
            label,
            list(names),
            index=None,
            format_func=lambda pid: f"{names[pid]} · {pid}",
            placeholder=tr("participants.open_hint"),
            key=self.pick_key,
            on_change=lambda: self.open(st.session_state.get(self.pick_key)),
        )
