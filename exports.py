"""Downloadable tables: CSV and Excel that a spreadsheet program cannot turn into formulas."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd

from sheets.values import looks_like_formula


def defuse(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def printable(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as `a, b, c`, dates as ISO text, formula-like text made safe."""
    out = frame.drop(columns=[c for c in frame.columns if str(c).startswith("_")])
    out = out.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(_cell_text).map(defuse)
    return out


def _cell_text(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens accents correctly."""
    return printable(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """An .xlsx whose text cells stay text (xlsxwriter told never to make formulas)."""
    return to_excel_sheets({sheet: frame})


def to_excel_sheets(frames: Mapping[str, pd.DataFrame]) -> bytes:
    """Several tables in one .xlsx, a sheet each; text cells stay text."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for sheet, frame in frames.items():
            printable(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
