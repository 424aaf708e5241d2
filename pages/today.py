"""Today: what needs attention, the pipeline, key figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from attention import KIND_LABELS, SEVERITY_LABELS, AttentionItem, AttentionKind
from reports import KeyFigures
from services.reports import TodayView, today_view
from ui import context as ui
from ui.shell import require_shell
from ui.tables import table

require_shell()

MAX_LINKS_PER_KIND = 25
MAX_WAITING_SHOWN = 50
PAGE_OF_TAB = {"Participants": "pages/participants.py", "Duos": "pages/duos.py"}


def link_for(item: AttentionItem) -> tuple[str | None, dict[str, str]]:
    """Where an item is dealt with: a waiting mentee on the matching page, else the record."""
    if item.kind is AttentionKind.MENTEE_WAITING:
        return "pages/matching_session.py", {"mentee": item.record_id}
    if item.kind is AttentionKind.FOLLOW_UP_DUE:
        return "pages/follow_ups.py", {"duo": item.record_id}
    if item.kind is AttentionKind.UNREADABLE_VALUES:
        return "pages/data_quality.py", {}
    target = PAGE_OF_TAB.get(item.tab)
    return (target, {"id": item.record_id}) if target and item.record_id else (None, {})


def show_figures(figures: KeyFigures) -> None:
    columns = st.columns(4)
    columns[0].metric(ui.tr("today.active_duos"), figures.active_duos)
    columns[1].metric(ui.tr("today.started_this_month"), figures.duos_started_this_month)
    median = figures.median_days_intake_to_match
    shown = "—" if median is None else f"{median:.0f}"
    columns[2].metric(ui.tr("today.median_intake_to_match"), shown)
    columns[3].metric(ui.tr("today.mentees_waiting"), figures.mentees_waiting)


def show_to_do_list(view: TodayView) -> None:
    st.subheader(ui.tr("today.attention", count=len(view.items)))
    if not view.items:
        st.success(ui.tr("today.nothing_to_do"))
    for kind, group in view.by_kind.items():
        severity = ui.text(SEVERITY_LABELS[group[0].severity])
        with st.expander(f"{ui.text(KIND_LABELS[kind])} · {len(group)} · {severity}"):
            show_items(group)


def show_items(group: list[AttentionItem]) -> None:
    for item in group[:MAX_LINKS_PER_KIND]:
        target, query = link_for(item)
        line = ui.md_text(item.message)
        if target:
            st.page_link(target, label=line, query_params=query)
        else:
            st.markdown(f"- {line}")
    if len(group) > MAX_LINKS_PER_KIND:
        st.caption(ui.tr("today.more", count=len(group) - MAX_LINKS_PER_KIND))


def show_pipeline(pipeline: pd.DataFrame) -> None:
    st.subheader(ui.tr("today.pipeline"))
    if pipeline.empty:
        return
    shown = pipeline.assign(
        group=pipeline["group"].map(ui.label), status=pipeline["status"].map(ui.label)
    )
    shown = shown.rename(columns={"group": ui.tr("today.group"), "status": ui.tr("today.status")})
    table(shown, key="pipeline")


def show_waiting(waiting: pd.DataFrame) -> None:
    if waiting.empty:
        return
    st.subheader(ui.tr("today.waiting_mentees"))
    shown = waiting.rename(
        columns={
            "id": "ID",
            "name": ui.tr("today.name"),
            "office": ui.tr("today.office"),
            "waiting_days": ui.tr("today.waiting_days"),
        }
    )
    table(shown.head(MAX_WAITING_SHOWN), key="waiting")


def main() -> None:
    st.title(ui.tr("today.title"))
    view = today_view(ui.snapshot(), ui.today())
    show_figures(view.figures)
    show_to_do_list(view)
    show_pipeline(view.pipeline)
    show_waiting(view.figures.waiting)


main()
