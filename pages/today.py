"""Today: what needs attention, the pipeline, key figures."""

from __future__ import annotations

import streamlit as st

from attention import (
    KIND_LABELS,
    SEVERITY_LABELS,
    AttentionItem,
    AttentionKind,
    attention_items,
)
from reports import key_figures
from settings import attention_settings, current_values
from ui import context as ui
from ui.shell import require_shell
from ui.tables import table

require_shell()

MAX_LINKS_PER_KIND = 25
PAGE_OF_TAB = {"Participants": "pages/participants.py", "Duos": "pages/duos.py"}


def link_for(item: AttentionItem) -> tuple[str | None, dict[str, str]]:
    """Where an item is dealt with: a waiting mentee on the matching page, else the record."""
    if item.kind is AttentionKind.MENTEE_WAITING:
        return "pages/matching_session.py", {"mentee": item.record_id}
    if item.kind is AttentionKind.UNREADABLE_VALUES:
        return "pages/data_quality.py", {}
    target = PAGE_OF_TAB.get(item.tab)
    return (target, {"id": item.record_id}) if target and item.record_id else (None, {})


st.title(ui.tr("today.title"))
data = ui.snapshot()
values, _ = current_values(ui.store().table("Settings").frame)
unreadable = sum(1 for finding in data.findings if finding.problem != "missing_tab")
thresholds = attention_settings(values)
items = data.memo(
    "attention",
    lambda: attention_items(
        participants=data.participants,
        duos=data.duos,
        meetings=data["Meetings"],
        check_ins=data["Check-ins"],
        evaluations=data["Evaluations"],
        sessions=data["Sessions"],
        attendance=data["Attendance"],
        today=ui.today(),
        unreadable_findings=unreadable,
        settings=thresholds,
    ),
    ui.today(),
    unreadable,
    thresholds,
)
figures = data.memo(
    "key_figures", lambda: key_figures(data.participants, data.duos, today=ui.today()), ui.today()
)

columns = st.columns(4)
columns[0].metric(ui.tr("today.active_duos"), figures.active_duos)
columns[1].metric(ui.tr("today.started_this_month"), figures.duos_started_this_month)
median = figures.median_days_intake_to_match
columns[2].metric(ui.tr("today.median_intake_to_match"), "—" if median is None else f"{median:.0f}")
columns[3].metric(ui.tr("today.mentees_waiting"), figures.mentees_waiting)

st.subheader(ui.tr("today.attention", count=len(items)))
if not items:
    st.success(ui.tr("today.nothing_to_do"))
by_kind: dict[AttentionKind, list[AttentionItem]] = {}
for item in items:
    by_kind.setdefault(item.kind, []).append(item)
for kind, group in by_kind.items():
    severity = ui.text(SEVERITY_LABELS[group[0].severity])
    with st.expander(f"{ui.text(KIND_LABELS[kind])} · {len(group)} · {severity}"):
        for item in group[:MAX_LINKS_PER_KIND]:
            target, query = link_for(item)
            line = ui.text(item.message)
            if target:
                st.page_link(target, label=line, query_params=query)
            else:
                st.markdown(f"- {line}")
        if len(group) > MAX_LINKS_PER_KIND:
            st.caption(ui.tr("today.more", count=len(group) - MAX_LINKS_PER_KIND))

st.subheader(ui.tr("today.pipeline"))
counts = figures.status_counts
if not counts.empty:
    pivot = counts.pivot_table(
        index=["group", "status"], columns="office", values="count", aggfunc="sum", fill_value=0
    ).reset_index()
    pivot["group"] = pivot["group"].map(ui.label)
    pivot["status"] = pivot["status"].map(ui.label)
    pivot = pivot.rename(columns={"group": ui.tr("today.group"), "status": ui.tr("today.status")})
    table(pivot, key="pipeline")

if not figures.waiting.empty:
    st.subheader(ui.tr("today.waiting_mentees"))
    waiting = figures.waiting.rename(
        columns={
            "id": "ID",
            "name": ui.tr("today.name"),
            "office": ui.tr("today.office"),
            "waiting_days": ui.tr("today.waiting_days"),
        }
    )
    table(waiting.head(50), key="waiting")
