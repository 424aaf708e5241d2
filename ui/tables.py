"""Showing and downloading tables: translated values, Belgian dates, safe exports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
import streamlit as st

from exports import defuse, to_csv, to_excel
from ui.context import label, lang, tr

DATE_FORMAT = "DD/MM/YYYY"
ROW_PIXELS, MAX_PIXELS = 35, 600


def displayed(
    frame: pd.DataFrame, columns: Sequence[str], translate: Sequence[str] = ()
) -> pd.DataFrame:
    """The named columns, values of `translate` columns in the user's language, lists joined."""
    shown = frame.loc[:, [c for c in columns if c in frame.columns]].copy()
    for column in shown.columns:
        series = shown[column]
        if series.dtype == object and series.map(lambda v: isinstance(v, list)).any():
            shown[column] = series.map(
                lambda items, c=column: (
                    ", ".join(label(i) if c in translate else str(i) for i in items)
                    if isinstance(items, list)
                    else items
                )
            )
        elif column in translate:
            shown[column] = series.map(label)
    return shown


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as put on screen: formula-like text defused, as in every download.

    Streamlit's own table toolbar offers "Download as CSV" of exactly what is shown, so the
    text cells of every table the app shows go through `exports.defuse` first.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if _texty(series):
            out[column] = series.map(_defused_cell)
    return out


def _texty(series: pd.Series) -> bool:
    return (
        series.dtype == object
        or pd.api.types.is_string_dtype(series)
        or isinstance(series.dtype, pd.CategoricalDtype)
    )


def _defused_cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [defuse(item) for item in value]
    return defuse(value)


def titled(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the headers the table shows (the user's language), e.g. for a download."""
    titles = {c: tr(f"columns.{_key(c)}") for c in frame.columns if _known(c)}
    return frame.rename(columns=titles)


def column_config(frame: pd.DataFrame) -> dict[str, Any]:
    """Date columns shown dd/mm/yyyy; headers in the user's language where we know them."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        title = tr(f"columns.{_key(column)}") if _known(column) else str(column)
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            config[column] = st.column_config.DateColumn(title, format=DATE_FORMAT)
        else:
            config[column] = st.column_config.Column(title)
    return config


def table(frame: pd.DataFrame, *, key: str | None = None, height: int | None = None) -> None:
    st.dataframe(
        defused(frame),
        hide_index=True,
        width="stretch",
        column_config=column_config(frame),
        key=key,
        height=height if height is not None else "auto",
    )


def selected_rows(
    frame: pd.DataFrame, key: str, mode: Literal["single-row", "multi-row"]
) -> list[int]:
    """The table with rows to select (one, or several ticked), as high as its rows up to
    MAX_PIXELS; returns the positions of the rows selected."""
    event = st.dataframe(
        defused(frame),
        hide_index=True,
        column_config=column_config(frame),
        on_select="rerun",
        selection_mode=mode,
        placeholder="—",
        height=min(ROW_PIXELS * (len(frame) + 1) + 3, MAX_PIXELS),
        key=key,
    )
    return list(event.selection.rows) if hasattr(event, "selection") else []


def downloads(frame: pd.DataFrame, name: str) -> None:
    """CSV and Excel buttons for a table (formula-like text made safe in both).

    The files are built when a button is clicked, not on every run of the page.
    """
    left, right = st.columns(2)
    left.download_button(
        tr("app.download_csv"),
        lambda: to_csv(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
    )
    right.download_button(
        tr("app.download_excel"),
        lambda: to_excel(frame, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{name}",
    )


def _key(column: object) -> str:
    from sheets.values import normalise_key

    return normalise_key(column)


def _known(column: object) -> bool:
    from i18n import catalogue

    return f"columns.{_key(column)}" in catalogue() and bool(lang())
