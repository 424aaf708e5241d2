"""Data quality: what in the workbook the app could not read, or that contradicts itself.

Five kinds of issue, each pointing to a tab, a sheet row and a column so that staff can fix
it in the sheet:
- the store's findings (values it could not read, duplicate IDs, missing tabs, ...), the
  phone numbers typed by hand that cannot be read as one (`phones`), and the times of day
  (a session's start and end, a duo's intro) that cannot be read as one (`venues`);
- values typed by hand that break the forms' field rules (`validation.py`): a blank first
  name, an e-mail that is none, a mentee outside the age range when they joined, a meeting
  of 0 or 13 hours, ... with the rule's own message;
- rows staff typed by hand without an ID (the one fix the app makes itself, on request);
- records that contradict each other (`attention.consistency_findings`);
- settings typed in the Settings tab that do not fit (the default holds meanwhile).

Everything here returns `Msg` objects: the page translates. No Streamlit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

import pandas as pd

import clock
import phones
from access import User
from attention import consistency_findings
from i18n import Messages, Msg
from services.offices import OutOfOffice
from services.snapshot import Snapshot, load
from services.unit import Outcome
from settings import BY_NAME, Setting, SettingProblem, current_values
from sheets.reader import Finding
from sheets.schema import TABS
from sheets.store import Store, StoreError
from validation import (
    WARNING,
    Problem,
    check_in_row_problems,
    meeting_row_problems,
    person_problems,
)
from venues import parse_time
from workflow import ROW, cell_date, cell_text, records, sheet_row

MISSING_ID = "missing_id"
RECORD_PAGES = {"Participants": "pages/participants.py", "Duos": "pages/duos.py"}
"""The record pages that open a record from `?id=`."""


quality_message = Messages("quality")
"""A message of `i18n/quality.toml`."""


@dataclass(frozen=True)
class Issue:
    """One line of the data-quality page: where in the sheet, what it holds, what is wrong."""

    section: str
    """"store", "rules", "missing_id", "consistency" or "settings"."""
    tab: str
    row: int | None
    """The sheet row (the header is row 1); None for a whole tab."""
    column: str
    value: str
    problem: Msg
    record_id: str = ""
    record_tab: str = ""
    """The tab of the record the line opens, when not its own (a meeting opens its duo)."""

    @property
    def page(self) -> str | None:
        """The record page that opens this record, if there is one."""
        return RECORD_PAGES.get(self.record_tab or self.tab) if self.record_id else None


@dataclass(frozen=True)
class QualityReport:
    store: list[Issue]
    missing_ids: list[Issue]
    consistency: list[Issue]
    settings: list[Issue]
    rules: list[Issue] = dataclass_field(default_factory=list)

    @property
    def all(self) -> list[Issue]:
        return [*self.store, *self.rules, *self.missing_ids, *self.consistency, *self.settings]


def quality_report(data: Snapshot, today: date | None = None) -> QualityReport:
    """Every issue in the records the user may see (the Settings tab is everyone's)."""
    on = today or clock.today()
    return QualityReport(
        store=[
            *linked(store_issues(data.findings), record_rows(data)),
            *phone_issues(data.participants),
            *time_issues(data.frames),
        ],
        missing_ids=missing_id_issues(data.findings),
        consistency=consistency_issues(data.participants, data.duos),
        settings=settings_issues(data["Settings"]),
        rules=[
            *person_rule_issues(data.participants, on),
            *meeting_rule_issues(data.frames.get("Meetings"), on),
            *check_in_rule_issues(data.frames.get("Check-ins"), on),
        ],
    )


# -- values typed by hand that break the forms' rules --------------------------------------

NOT_LISTED_AS_RULES = frozenset({"Phone"})
"""Rules whose breaches the store section lists already (an unreadable phone)."""


def person_rule_issues(participants: pd.DataFrame, today: date) -> list[Issue]:
    """Participants rows that break the field rules of the profile form.

    Eligibility is judged on the day the person joined (intake, else application, else
    today): a mentee who was 33 at intake is not listed for turning 34 in their duo. A
    blank cell is listed only when the rule requires a value (a first name); a warning of a
    blank cell (no birth date yet) is not a value typed wrong.
    """
    found: list[Issue] = []
    for person in records(participants):
        joined = cell_date(person, "Intake on") or cell_date(person, "Applied on") or today
        for problem in person_problems(person, min(joined, today)):
            value = _shown(person.get(problem.field))
            if _listed_elsewhere(problem, value):
                continue
            found.append(_rule_issue("Participants", person, problem.field, value, problem.msg))
    return found


def _listed_elsewhere(problem: Problem, value: str) -> bool:
    """A breach another line says already (an unreadable phone or role is the store's), or
    the warning of a blank cell (no birth date yet is no value typed wrong)."""
    unreadable_role = problem.field == "Role" and bool(value)
    blank_warning = problem.severity == WARNING and not value
    return problem.field in NOT_LISTED_AS_RULES or unreadable_role or blank_warning


def meeting_rule_issues(meetings: pd.DataFrame | None, today: date) -> list[Issue]:
    """Meetings rows (not cancelled) without a date, in the future, of a duration outside
    0.5 to 8 hours, or with a summary too long; each opens its duo."""
    return _duo_row_issues("Meetings", meetings, meeting_row_problems, today)


def check_in_rule_issues(check_ins: pd.DataFrame | None, today: date) -> list[Issue]:
    """Check-ins rows (not cancelled) dated ahead, or with notes too long; each opens its duo."""
    return _duo_row_issues("Check-ins", check_ins, check_in_row_problems, today)


def _duo_row_issues(
    tab: str,
    frame: pd.DataFrame | None,
    row_problems: Callable[[Mapping[str, Any], date], list[Problem]],
    today: date,
) -> list[Issue]:
    """The rules each row (not cancelled) of a tab of a duo's entries breaks; each opens its duo."""
    found: list[Issue] = []
    for row in records(frame):
        if row.get("Cancelled") is True:
            continue
        for problem in row_problems(row, today):
            value = _shown(row.get(problem.field))
            issue = _rule_issue(tab, row, problem.field, value, problem.msg)
            found.append(replace(issue, record_id=cell_text(row, "Duo ID"), record_tab="Duos"))
    return found


def _rule_issue(tab: str, row: Mapping[str, Any], column: str, value: str, msg: Msg) -> Issue:
    return Issue("rules", tab, sheet_row(row), column, value, msg, cell_text(row, "ID"))


def _shown(value: Any) -> str:
    """A cell's value as the page lists it (a list joined, a date day first)."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return cell_text({"value": value}, "value")


def store_issues(findings: Iterable[Finding]) -> list[Issue]:
    """The store's findings except rows without an ID (they have their own section)."""
    return [
        Issue(
            "store",
            finding.tab,
            finding.row if finding.row >= 1 else None,
            finding.column,
            finding.raw,
            Msg(f"store.problem_{finding.problem}"),
            "",
        )
        for finding in _sorted(findings)
        if finding.problem != MISSING_ID
    ]


def record_rows(data: Snapshot) -> dict[tuple[str, int], str]:
    """The ID of each sheet row of the tabs whose records a page opens: (tab, row) -> ID."""
    rows: dict[tuple[str, int], str] = {}
    for tab in RECORD_PAGES:
        frame = data.frames.get(tab)
        if frame is None or ROW not in frame.columns or "ID" not in frame.columns:
            continue
        for record in records(frame, ["ID", ROW]):
            row, record_id = sheet_row(record), cell_text(record, "ID")
            if row is not None and record_id:
                rows[(tab, row)] = record_id
    return rows


def linked(issues: Iterable[Issue], rows: Mapping[tuple[str, int], str]) -> list[Issue]:
    """The issues, each naming the record of its sheet row where there is one."""
    return [
        issue
        if issue.record_id or issue.row is None
        else replace(issue, record_id=rows.get((issue.tab, issue.row), ""))
        for issue in issues
    ]


def phone_issues(participants: pd.DataFrame) -> list[Issue]:
    """Participants whose phone cell holds something that is not a phone number."""
    if "Phone" not in participants:
        return []
    return [
        Issue(
            "store",
            "Participants",
            sheet_row(person),
            "Phone",
            cell_text(person, "Phone"),
            quality_message("phone_unreadable"),
            cell_text(person, "ID"),
        )
        for person in records(participants, ["ID", "Phone", ROW])
        if cell_text(person, "Phone") and phones.normalise(cell_text(person, "Phone")) is None
    ]


TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "Sessions": ("Start time", "End time"),
    "Duos": ("Intro time",),
}
"""The text columns that hold a time of day (`HH:MM`, read tolerantly by `venues`)."""


def time_issues(frames: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """Times of day typed by hand that cannot be read as one (`half nine`, `25:00`)."""
    found: list[Issue] = []
    for tab, columns in TIME_COLUMNS.items():
        frame = frames.get(tab)
        if frame is None:
            continue
        present = [column for column in columns if column in frame.columns]
        for row in records(frame, ["ID", ROW, *present]):
            for column in present:
                typed = cell_text(row, column)
                if typed and parse_time(typed) is None:
                    found.append(
                        Issue(
                            "store",
                            tab,
                            sheet_row(row),
                            column,
                            typed,
                            quality_message("time_unreadable"),
                            cell_text(row, "ID"),
                        )
                    )
    return found


def missing_id_issues(findings: Iterable[Finding]) -> list[Issue]:
    return [
        Issue("missing_id", f.tab, f.row, "ID", "", Msg(f"store.problem_{MISSING_ID}"))
        for f in _sorted(findings)
        if f.problem == MISSING_ID
    ]


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: (finding.tab, finding.row, finding.column))


def rows_without_id(issues: Iterable[Issue]) -> dict[str, list[int]]:
    """Per tab, the sheet rows that have no ID."""
    rows: dict[str, list[int]] = defaultdict(list)
    for issue in issues:
        if issue.section == "missing_id" and issue.row is not None:
            rows[issue.tab].append(issue.row)
    return dict(rows)


def consistency_issues(participants: pd.DataFrame, duos: pd.DataFrame) -> list[Issue]:
    return [
        Issue(
            "consistency",
            finding.tab,
            finding.row,
            finding.column,
            finding.value,
            finding.message,
            finding.record_id,
        )
        for finding in consistency_findings(participants, duos)
    ]


def settings_issues(frame: pd.DataFrame) -> list[Issue]:
    """Settings rows whose name is unknown or whose value does not fit (the default holds)."""
    _, problems = current_values(frame)
    return [
        Issue("settings", "Settings", p.row, "Value", p.raw, _setting_problem(p), p.name)
        for p in problems
    ]


def _setting_problem(problem: SettingProblem) -> Msg:
    setting: Setting | None = BY_NAME.get(problem.name.strip())
    if setting is None:
        return quality_message("setting_unknown", name=problem.name)
    if setting.kind == "toggle":
        return quality_message("setting_not_yes_no", default=str(setting.default))
    low, high = _bound(setting.minimum), _bound(setting.maximum)
    if setting.kind == "integer":
        return quality_message(
            "setting_not_whole", low=low, high=high, default=str(setting.default)
        )
    return quality_message("setting_out_of_range", low=low, high=high, default=str(setting.default))


def _bound(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else str(value)


# -- the one fix the app makes: IDs for rows typed by hand --------------------------------


def id_tabs() -> tuple[str, ...]:
    """The tabs whose rows carry an ID the app issues."""
    return tuple(t.name for t in TABS if t.id_prefix and t.key == "ID")


def assign_ids(store: Store, user: User, tab_name: str) -> Outcome:
    """Give an ID to every row of `tab_name` typed without one; say how many.

    The store fills every such row of the tab, so a coordinator may do it only when all of
    them are rows they can see (their offices'); otherwise an admin has to.
    """
    if tab_name not in id_tabs():
        raise StoreError(quality_message("no_ids_here", tab=tab_name))
    if not user.is_admin:
        _refuse_rows_out_of_view(store, user, tab_name)
    assigned = store.assign_ids(tab_name, user.email)
    outcome = Outcome(quality_message("ids_assigned", count=len(assigned), tab=tab_name))
    outcome.ids = [new_id for _, new_id in assigned]
    return outcome


def _refuse_rows_out_of_view(store: Store, user: User, tab_name: str) -> None:
    frame = store.table(tab_name).frame
    if frame.empty:
        return
    missing = set(frame.loc[frame["ID"] == "", "_row"])
    in_view = set(load(store, user)[tab_name]["_row"])
    if missing - in_view:
        raise OutOfOffice(
            quality_message("rows_of_other_offices", tab=tab_name, count=len(missing - in_view))
        )


def counts(report: QualityReport) -> dict[str, int]:
    """How many issues of each kind, for the figures at the top of the page."""
    return {
        "store": len(report.store),
        "rules": len(report.rules),
        "missing_id": len(report.missing_ids),
        "consistency": len(report.consistency),
        "settings": len(report.settings),
    }


def by_tab(issues: Sequence[Issue]) -> dict[str, list[Issue]]:
    grouped: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        grouped[issue.tab].append(issue)
    return dict(grouped)
