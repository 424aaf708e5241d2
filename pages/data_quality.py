"""Data quality: unreadable values, rows without an ID, records that disagree, bad settings."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from access import User
from i18n import Msg, catalogue
from services.quality import (
    Issue,
    QualityReport,
    assign_ids,
    by_tab,
    counts,
    quality_report,
    rows_without_id,
)
from sheets.values import normalise_key
from ui import context as ui
from ui.feedback import attempt, succeed
from ui.navigation import PAGES_DIR
from ui.shell import require_shell
from ui.tables import downloads, table

require_shell()

MAX_LINKS = 100
SECTIONS = ("store", "rules", "missing_id", "consistency", "settings")


def localised(msg: Msg) -> str:
    """A message with the stored values among its parameters (statuses, roles) translated."""
    params = {k: ui.label(v) if isinstance(v, str) else v for k, v in msg.params.items()}
    return ui.text(Msg(msg.key, params))


def column_label(column: str) -> str:
    key = f"columns.{normalise_key(column)}"
    return ui.tr(key) if column and key in catalogue() else column


def issues_frame(issues: Sequence[Issue], *, with_section: bool = False) -> pd.DataFrame:
    """The issues as a table in the user's language (sheet rows as numbers, blank for a tab)."""
    rows = [
        {
            ui.tr("quality.col_section"): ui.tr(f"quality.section_{issue.section}"),
            ui.tr("quality.col_tab"): issue.tab,
            ui.tr("quality.col_row"): issue.row,
            ui.tr("quality.col_column"): column_label(issue.column),
            ui.tr("quality.col_value"): issue.value,
            ui.tr("quality.col_problem"): localised(issue.problem),
            ui.tr("quality.col_record"): issue.record_id,
        }
        for issue in issues
    ]
    frame = pd.DataFrame(rows, columns=_columns())
    frame[ui.tr("quality.col_row")] = frame[ui.tr("quality.col_row")].astype("Int64")
    return frame if with_section else frame.drop(columns=[ui.tr("quality.col_section")])


def _columns() -> list[str]:
    names = ("section", "tab", "row", "column", "value", "problem", "record")
    return [ui.tr(f"quality.col_{name}") for name in names]


def figures(report: QualityReport) -> None:
    numbers = counts(report)
    columns = st.columns(len(SECTIONS))
    for column, section in zip(columns, SECTIONS, strict=True):
        column.metric(ui.tr(f"quality.count_{section}"), numbers[section])
    if not report.all:
        st.success(ui.tr("quality.all_clear"))
    else:
        downloads(issues_frame(report.all, with_section=True), "data-quality")


def section_by_tab(name: str, issues: Sequence[Issue], title: str, help_text: str) -> None:
    """A section of issues (the store's, the rules'): an expander per tab."""
    st.subheader(title)
    st.caption(help_text)
    if not issues:
        st.info(ui.tr("quality.none"))
    for tab_name, tab_issues in by_tab(issues).items():
        with st.expander(f"{ui.plain(tab_name)} ({len(tab_issues)})"):
            table(issues_frame(tab_issues), key=f"{name}-{tab_name}")
            record_links(tab_issues)


def missing_id_section(report: QualityReport, user: User) -> None:
    st.subheader(ui.tr("quality.missing_title", count=len(report.missing_ids)))
    st.caption(ui.tr("quality.missing_help"))
    rows = rows_without_id(report.missing_ids)
    if not rows:
        st.info(ui.tr("quality.none"))
    for tab_name, numbers in rows.items():
        with st.container(border=True):
            left, right = st.columns([3, 1])
            shown = ", ".join(str(number) for number in numbers)
            left.markdown(ui.md_tr("quality.missing_line", tab=tab_name, rows=shown))
            if right.button(
                ui.tr("quality.assign_ids"),
                key=f"assign-ids-{tab_name}",
                icon=":material/tag:",
            ):
                succeed(attempt(partial(assign_ids, ui.store(), user, tab_name)))


def issue_line(issue: Issue) -> str:
    return ui.md_tr(
        "quality.consistency_line",
        tab=issue.tab,
        row=issue.row if issue.row is not None else "—",
        column=column_label(issue.column),
        problem=ui.md_text(issue.problem),
    )


def opens_a_record(issue: Issue) -> bool:
    return issue.page is not None and (PAGES_DIR / Path(issue.page).name).exists()


def record_link(issue: Issue, line: str) -> None:
    """A line that opens the participant or duo it is about (`?id=` on its page)."""
    assert issue.page is not None
    st.page_link(issue.page, label=line, query_params={"id": issue.record_id})


def record_links(issues: Sequence[Issue]) -> None:
    """Under a table of unreadable values: a link to each record they are about."""
    linked = [issue for issue in issues if opens_a_record(issue)]
    if linked:
        st.caption(ui.tr("quality.open_records"))
    for issue in linked[:MAX_LINKS]:
        record_link(issue, issue_line(issue))
    if len(linked) > MAX_LINKS:
        st.caption(ui.tr("quality.more", count=len(linked) - MAX_LINKS))


def consistency_section(report: QualityReport) -> None:
    st.subheader(ui.tr("quality.consistency_title", count=len(report.consistency)))
    st.caption(ui.tr("quality.consistency_help"))
    if not report.consistency:
        st.info(ui.tr("quality.none"))
    for issue in report.consistency[:MAX_LINKS]:
        line = issue_line(issue)
        if opens_a_record(issue):
            record_link(issue, line)
        else:
            st.markdown(f"- {line}")
    if len(report.consistency) > MAX_LINKS:
        st.caption(ui.tr("quality.more", count=len(report.consistency) - MAX_LINKS))


def settings_section(report: QualityReport) -> None:
    st.subheader(ui.tr("quality.settings_title", count=len(report.settings)))
    st.caption(ui.tr("quality.settings_help"))
    if not report.settings:
        st.info(ui.tr("quality.none"))
        return
    frame = issues_frame(report.settings).rename(
        columns={ui.tr("quality.col_record"): ui.tr("quality.col_setting")}
    )
    table(frame, key="settings-problems")


def main() -> None:
    st.title(ui.tr("quality.title"))
    user = ui.signed_in()
    snapshot = ui.snapshot()
    report = snapshot.memo("quality", lambda: quality_report(snapshot))
    figures(report)
    store, rules = report.store, report.rules
    section_by_tab(
        "store", store, ui.tr("quality.store_title", count=len(store)), ui.tr("quality.store_help")
    )
    section_by_tab(
        "rules", rules, ui.tr("quality.rules_title", count=len(rules)), ui.tr("quality.rules_help")
    )
    missing_id_section(report, user)
    consistency_section(report)
    settings_section(report)


main()
