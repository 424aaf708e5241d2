"""Duos, steps 5 to 8: the first meeting, the agreement, the follow-up, the end and evaluation.

Use cases for the Duos page. Each write reads the duo as it is in the workbook now, keeps a
coordinator to their own offices, checks the input against the programme's rules, and then
writes only what the action changes. Status moves come from `workflow.apply_duo_action`;
meetings, check-ins and evaluations are new rows in their tabs.

Every use case writes ONE unit of work (`Store.write`): a status move of the duo and both
people's moves land together, a new row with its audit row. A status move is guarded by the
duo's Status as the user saw it, checked against a fresh read before the unit is built: when
someone changed that cell in the sheet since the page was loaded, nothing is written and the
change comes back as a conflict for the user to settle (the mentor's and mentee's moves
follow from the duo's, so they are never written on their own). New rows get their ID before
the write (or take the one the page gives), so that the same unit written twice (a retry
whose first answer was lost) leaves one row.

Also here, as pure functions over a `Snapshot` or a duo record: the overview of the duo list,
a duo's timeline, when the outcome of the first meeting is due, when an evaluation may be
recorded, and the checks of each form's input. What makes a meeting valid is `meetings.py`'s,
the same for the coordinator's form and the mentor's personal link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from typing import Any

import pandas as pd

import validation
from access import User
from attention import in_force
from i18n import Messages, Msg
from meetings import DuoTerms, InputRefused, MeetingEntry, listed_topics
from services.offices import check_office
from services.snapshot import Snapshot
from services.unit import Outcome, Unit, apply_changes, new_record_id, read_now, same
from settings import attention_settings, current_values
from sheets.schema import CANCELLED
from sheets.store import Conflict, RecordNotFound, Store
from venues import parse_time, time_text
from workflow import (
    ACTIVE,
    DECLINED,
    DUO_STATUSES,
    DUOS_TAB,
    ENDED_DUO_STATUSES,
    INTRO_PLANNED,
    PROGRAMME_MONTHS,
    DuoStep,
    PlanIntro,
    RecordAgreement,
    RecordChange,
    Transition,
    TransitionError,
    add_months,
    apply_duo_action,
    by_id,
    cell_date,
    cell_text,
    duo_office,
    records,
)

# What the forms hold and offer: `validation.py`'s, named here for the Duos page too.
CHECK_IN_WITH = validation.CHECK_IN_WITH
HEALTHS = validation.HEALTHS
RESPONDENTS = validation.RESPONDENTS
OBJECTIVES_MET_VALUES = validation.OBJECTIVES_MET_VALUES
OUTCOMES = validation.OUTCOMES
CONTRACTS = validation.CONTRACTS
CONTRACT_NEEDED_FOR = validation.CONTRACT_NEEDED_FOR
SATISFACTION_SCALE = validation.SATISFACTION_SCALE
GAINS = validation.GAINS
ANOTHER_MENTEE_VALUES = validation.ANOTHER_MENTEE_VALUES
SOURCES = validation.SOURCES
CheckInEntry = validation.CheckInEntry
EvaluationEntry = validation.EvaluationEntry
COORDINATOR_SOURCE, SELF_FILLED = "Coordinator", "Self-filled"
GAIN_COLUMNS = {"Autonomy": "autonomy", "Career plan": "career_plan", "Network": "network"}
"""The three gains the mentee reports, by column: the entry's field of each."""
ASKED_OF = {"Mentee": tuple(GAIN_COLUMNS.values()), "Mentor": ("another_mentee",)}
"""The later questions each person answers of themselves (the coordinator: all of them)."""
STATUS_ORDER: dict[str, int] = {status: rank for rank, status in enumerate(DUO_STATUSES)}


duo_message = Messages("duos")
"""A message of `i18n/duos.toml`."""


# -- the rules of the forms (pure) ---------------------------------------------------------


def step_problems(step: DuoStep, today: date) -> list[Msg]:
    """What is wrong with a status move's input before the workflow rules look at it
    (`validation.duo_step_problems`)."""
    return _msgs(validation.duo_step_problems(step, today))


def intro_written(step: DuoStep) -> DuoStep:
    """A planned intro with its time as stored (`HH:MM`); any other step as it is."""
    if isinstance(step, PlanIntro) and step.time.strip():
        return replace(step, time=time_text(parse_time(step.time)) or step.time.strip())
    return step


def combined_reason(listed: str | None, own: str) -> str:
    """A reason picked from the Lists tab, told in the coordinator's words, or both."""
    return ": ".join(part.strip() for part in (listed or "", own) if part.strip())


def duo_terms(duo: Mapping[str, Any], lists: pd.DataFrame) -> DuoTerms:
    """What the meeting rules need of a Duos row: its agreement, and the listed topics."""
    return DuoTerms(cell_date(duo, "Agreement on"), listed_topics(lists))


def meeting_entry_problems(
    duo: Mapping[str, Any], lists: pd.DataFrame, entry: MeetingEntry, today: date
) -> list[Msg]:
    """Why the coordinator's meeting cannot be logged for this duo (`validation.py`'s rules,
    those of `meetings.py`)."""
    return _msgs(validation.meeting_problems(entry, duo_terms(duo, lists), today))


def check_in_problems(entry: CheckInEntry, today: date) -> list[Msg]:
    """Why the check-in cannot be saved (`validation.check_in_problems`)."""
    return _msgs(validation.check_in_problems(entry, today))


def evaluation_problems(entry: EvaluationEntry, today: date) -> list[Msg]:
    """Why the evaluation cannot be saved (`validation.evaluation_problems`)."""
    return _msgs(validation.evaluation_problems(entry, today))


def meeting_entry_checks(
    duo: Mapping[str, Any], lists: pd.DataFrame, entry: MeetingEntry, today: date
) -> list[validation.Problem]:
    """`meeting_entry_problems` with the field of each (for a form to show it under it)."""
    return validation.meeting_problems(entry, duo_terms(duo, lists), today)


def check_in_checks(entry: CheckInEntry, today: date) -> list[validation.Problem]:
    return validation.check_in_problems(entry, today)


def evaluation_checks(entry: EvaluationEntry, today: date) -> list[validation.Problem]:
    return validation.evaluation_problems(entry, today)


def answer_problems(entry: EvaluationEntry) -> list[Msg]:
    """The later questions' answers that are not among their values (self-filled forms)."""
    return _msgs(validation.answer_problems(entry))


def _msgs(problems: Sequence[validation.Problem]) -> list[Msg]:
    return [problem.msg for problem in problems]


def can_log_meetings(duo: Mapping[str, Any]) -> bool:
    """Meetings and check-ins are logged while the duo runs (Active)."""
    return cell_text(duo, "Status") == ACTIVE


def outcome_is_due(duo: Mapping[str, Any], today: date) -> bool:
    """The first meeting took place: its outcome (agreement or decline) is what comes next."""
    intro = cell_date(duo, "Intro on")
    return cell_text(duo, "Status") == INTRO_PLANNED and intro is not None and intro <= today


def evaluation_opens_on(duo: Mapping[str, Any], notice_days: int) -> date | None:
    """The day evaluations open for an active duo: `notice_days` before its planned end
    (None for another status or without a planned end)."""
    planned_end = cell_date(duo, "Planned end")
    if cell_text(duo, "Status") != ACTIVE or planned_end is None:
        return None
    return planned_end - timedelta(days=notice_days)


def evaluation_open(duo: Mapping[str, Any], today: date, notice_days: int) -> bool:
    """From `notice_days` before the planned end of an active duo, and after any end."""
    if cell_text(duo, "Status") in ENDED_DUO_STATUSES:
        return True
    opens = evaluation_opens_on(duo, notice_days)
    return opens is not None and opens <= today


def evaluation_opens_later(duo: Mapping[str, Any], today: date, notice_days: int) -> date | None:
    """The day evaluations will open, while that day is still ahead (else None)."""
    opens = evaluation_opens_on(duo, notice_days)
    return opens if opens is not None and opens > today else None


def date_or_today(duo: Mapping[str, Any], column: str, today: date) -> date:
    """A form's default date: the duo's date in `column` once it has passed, else today."""
    day = cell_date(duo, column)
    return day if day is not None and day <= today else today


def earlier_evaluations(
    evaluations: pd.DataFrame | None, duo_id: str, respondent: str
) -> list[date | None]:
    """The dates of the evaluations this respondent already gave for this duo."""
    evaluations = in_force(evaluations)
    if evaluations is None or evaluations.empty:
        return []
    mine = evaluations[evaluations["Duo ID"] == duo_id]
    return [
        cell_date(row, "Date")
        for row in records(mine, ("Respondent", "Date"))
        if cell_text(row, "Respondent") == respondent
    ]


# -- the list and the timeline (pure) ------------------------------------------------------


OVERVIEW_COLUMNS = (
    "Duo",
    "Status",
    "Health",
    "Days since last meeting",
    "Coordinator",
    "ID",
    "Mentor",
    "Mentee",
    "Office",
    "Proposed on",
    "Intro on",
    "Agreement on",
    "Planned end",
    "Ended on",
    "Last check-in",
)
"""The useful columns first: who, where the duo stands, how it goes, who follows it up."""
_DUO_DATES = ["Proposed on", "Intro on", "Agreement on", "Planned end", "Ended on"]


def duo_overview(data: Snapshot, today: date) -> pd.DataFrame:
    """One row per duo in view: the duo (mentor & mentee), status, health, days since the
    last meeting, coordinator, then the rest (`OVERVIEW_COLUMNS`).

    Live duos first (in workflow order), the most recently proposed first within a status.
    `Health` is that of the last check-in; days since the last meeting count to today.
    Column by column (no loop over the rows), as the national workbook has thousands of duos.
    """
    duos = data.duos
    names, offices = _people_columns(data.participants)
    check_ins = _latest_by_duo(_counted(data["Check-ins"]), today)
    last_meeting = _latest_by_duo(_counted(data["Meetings"]), today)["Date"]
    mentors = duos["Mentor ID"].map(names).fillna(duos["Mentor ID"])
    mentees = duos["Mentee ID"].map(names).fillna(duos["Mentee ID"])
    frame = pd.DataFrame(
        {
            "Duo": mentors + " & " + mentees,
            "ID": duos["ID"],
            "Mentor": mentors,
            "Mentee": mentees,
            "Office": _offices(duos, offices),
            "Coordinator": duos["Coordinator"],
            "Status": duos["Status"],
            **{column: pd.to_datetime(duos[column]) for column in _DUO_DATES},
            "Last check-in": pd.to_datetime(duos["ID"].map(check_ins["Date"])),
            "Health": duos["ID"].map(check_ins["Health"]).fillna(""),
            "Days since last meeting": (
                pd.Timestamp(today) - pd.to_datetime(duos["ID"].map(last_meeting))
            ).dt.days.astype("Int64"),
        },
        columns=list(OVERVIEW_COLUMNS),
    )
    order = frame["Status"].map(lambda status: STATUS_ORDER.get(status, len(STATUS_ORDER)))
    frame = frame.assign(_order=order).sort_values(
        ["_order", "Proposed on"], ascending=[True, False], na_position="last", kind="stable"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def _people_columns(people: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each person's name (their ID once personal data is erased) and office, by ID."""
    unique = people.drop_duplicates("ID")
    full = (unique["First name"] + " " + unique["Last name"]).str.strip()
    names = full.where(full != "", unique["ID"])
    return (
        pd.Series(names.to_numpy(), index=unique["ID"]),
        pd.Series(unique["Office"].to_numpy(), index=unique["ID"]),
    )


def _offices(duos: pd.DataFrame, offices: pd.Series) -> pd.Series:
    """The duo's office, else its mentee's, else its mentor's (as `workflow.duo_office`)."""
    office = duos["Office"]
    for column in ("Mentee ID", "Mentor ID"):
        office = office.where(office != "", duos[column].map(offices).fillna(""))
    return office


def _latest_by_duo(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per duo (the index), its most recent dated row up to today (check-ins, meetings)."""
    dated = frame[frame["Date"].notna() & (frame["Date"] <= pd.Timestamp(today))]
    latest = dated.sort_values("Date", kind="stable").drop_duplicates("Duo ID", keep="last")
    return latest.set_index("Duo ID")


def _counted(frame: pd.DataFrame) -> pd.DataFrame:
    """A tab's rows but the cancelled ones (`attention.in_force`), for a frame always given."""
    kept = in_force(frame)
    assert kept is not None
    return kept


def is_cancelled(row: Mapping[str, Any]) -> bool:
    """A meeting, check-in or evaluation cancelled from the Duos page (kept, counted nowhere)."""
    return bool(row.get(CANCELLED.name) or False)


def status_counts(overview: pd.DataFrame) -> dict[str, int]:
    counts = overview["Status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in DUO_STATUSES}


def filter_overview(overview: pd.DataFrame, statuses: Sequence[str], search: str) -> pd.DataFrame:
    """The duos of the chosen statuses (all when none is chosen); a search, whatever the status.

    Someone looking a duo up by name or ID finds it even when it is ended or proposed: the
    status pills narrow the list, not the search.
    """
    words = search.strip().casefold()
    if not words:
        return overview[overview["Status"].isin(statuses)] if statuses else overview
    shown = overview
    haystack = (
        shown["ID"] + " " + shown["Mentor"] + " " + shown["Mentee"] + " " + shown["Coordinator"]
    ).str.casefold()
    return shown[haystack.str.contains(words, regex=False)]


@dataclass(frozen=True)
class Event:
    """One dated line of a duo's timeline; `row` is the record it comes from."""

    on: date
    kind: str
    """proposed, intro, agreement, meeting, check_in, evaluation, or the end's status key."""
    row: Mapping[str, Any]


EVENT_ORDER = (
    "proposed",
    "intro",
    "agreement",
    "meeting",
    "check_in",
    "evaluation",
    "completed",
    "ended_early",
    "declined",
)
_END_EVENTS = {"Completed": "completed", "Ended early": "ended_early", DECLINED: "declined"}


def timeline(data: Snapshot, duo: Mapping[str, Any]) -> list[Event]:
    """The duo's steps, meetings, check-ins and evaluations, oldest first."""
    events = [
        Event(day, kind, duo)
        for column, kind in (
            ("Proposed on", "proposed"),
            ("Intro on", "intro"),
            ("Agreement on", "agreement"),
        )
        if (day := cell_date(duo, column)) is not None
    ]
    ended, end_kind = cell_date(duo, "Ended on"), _END_EVENTS.get(cell_text(duo, "Status"))
    if ended is not None and end_kind is not None:
        events.append(Event(ended, end_kind, duo))
    duo_id = cell_text(duo, "ID")
    for tab, kind in (
        ("Meetings", "meeting"),
        ("Check-ins", "check_in"),
        ("Evaluations", "evaluation"),
    ):
        frame = data[tab]
        for row in records(frame[frame["Duo ID"] == duo_id]):
            if (day := cell_date(row, "Date")) is not None:
                events.append(Event(day, kind, row))
    return sorted(events, key=lambda event: (event.on, EVENT_ORDER.index(event.kind)))


def shown_kind(event: Event, today: date) -> str:
    """How the timeline names an event: an intro still ahead is only planned."""
    return "intro_planned" if event.kind == "intro" and event.on > today else event.kind


# -- writing -------------------------------------------------------------------------------


def _duo_in_reach(
    store: Store, user: User, duo_id: str, tabs: Sequence[str] = (), *, fresh: bool = False
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The duo as the workbook holds it, with the other tabs asked for (one read); `fresh`
    goes past a read cache (`read_now`), for a write whose parts depend on each other or
    that follows at once (on Google that read then stands in for the write's own: pass the
    tab the write touches).

    A duo of an office the user does not work for is refused as if it did not exist.
    """
    names = ["Duos", "Participants", *tabs]
    tables = read_now(store, names) if fresh else store.read(names)
    frames = {name: table.frame for name, table in tables.items()}
    duo = by_id(records(frames["Duos"])).get(duo_id)
    if duo is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": DUOS_TAB, "key": duo_id}))
    check_office(user, duo_office(duo, by_id(records(frames["Participants"]))), duo_id)
    return dict(duo), frames


def _refuse(problems: Sequence[Msg]) -> None:
    if problems:
        raise InputRefused(problems)


def who(user: User) -> str:
    """Who the audit names: the signed-in e-mail."""
    return user.email


def author(user: User) -> str:
    """How the sheet names who logged a row: the coordinator's name, else their e-mail."""
    return user.name.strip() or user.email


def change_duo(
    store: Store,
    user: User,
    duo_id: str,
    step: DuoStep,
    today: date,
    seen: Mapping[str, Any] | None = None,
) -> Outcome:
    """Move a duo on (plan the intro, agreement, decline, complete, end early).

    `seen` is the duo's row as the user loaded it. The duo is read afresh (past any read
    cache) and when its Status is no longer the one seen, nothing is written: the outcome
    carries the conflict, so the user sees both values and chooses (`redo` moves it from
    the Status as it is now). Otherwise the duo's cells and the mentor's and mentee's moves
    are written as ONE unit of work, each cell compared with what was seen.

    The choice: read fresh, plan everything, write once. The store cannot make the people's
    moves depend on the duo's Status within a unit, so that check is done on the fresh read;
    only a change of the Status in the moment between that read and the write would come
    back as a conflict with the people's moves written (each against their own Status seen).
    """
    fresh, frames = _duo_in_reach(store, user, duo_id, fresh=True)
    _refuse(step_problems(step, today))
    step = intro_written(step)
    loaded = dict(seen) if seen is not None and cell_text(seen, "ID") == duo_id else fresh
    transition = apply_duo_action(loaded, step, frames["Participants"], frames["Duos"])
    duo_change, people_changes = _split(transition, loaded)
    done, action = step_done(step, duo_id), step.kind.value
    if duo_change is None:
        return apply_changes(store, people_changes, who(user), action, done)
    current, was = cell_text(fresh, "Status"), cell_text(loaded, "Status")
    if current != was:
        conflict = Conflict("Status", was, current, duo_change.cells["Status"])
        redo = partial(change_duo, store, user, duo_id, step, today, None)
        return Outcome(done, conflicts=[(duo_change, conflict)], redo=redo)
    return apply_changes(store, [duo_change, *people_changes], who(user), action, done)


def step_done(step: DuoStep, duo_id: str) -> Msg:
    """What the user reads once a move is saved (statuses named in their language)."""
    params: dict[str, Any] = {"duo": duo_id, "date": step.on}
    if isinstance(step, RecordAgreement):
        params["end"] = add_months(step.on, PROGRAMME_MONTHS)
    return duo_message(f"done_{step.kind.value}", **params)


def _split(
    transition: Transition, duo: Mapping[str, Any]
) -> tuple[RecordChange | None, list[RecordChange]]:
    """The duo's change, with its Status always among the cells it checks, and the others."""
    duo_changes = [change for change in transition.changes if change.tab == DUOS_TAB]
    others = [change for change in transition.changes if change.tab != DUOS_TAB]
    if not duo_changes:
        return None, others
    change = duo_changes[0]
    status = cell_text(duo, "Status")
    cells = {"Status": status, **change.cells}
    seen = {"Status": status, **change.seen}
    return RecordChange(change.tab, change.record_id, cells, seen, change.row), others


def meeting_cells(entry: MeetingEntry) -> dict[str, Any]:
    """The cells a (checked) meeting fills, when logged or corrected."""
    assert entry.on is not None and entry.hours is not None, "checked by the rules"
    return {
        "Date": entry.on,
        "Hours": float(entry.hours),
        "Mode": entry.mode,
        "Topics": list(entry.topics),
        "Summary": entry.summary.strip(),
    }


def check_in_cells(entry: CheckInEntry) -> dict[str, Any]:
    """The cells a (checked) check-in fills, when logged or corrected."""
    return {
        "Date": entry.on,
        "With": entry.with_whom,
        "Health": entry.health,
        "Notes": entry.notes.strip(),
        "Follow-up": entry.follow_up.strip(),
    }


def asked_of(entry: EvaluationEntry) -> EvaluationEntry:
    """The entry without the later questions its respondent is not asked (left None): the
    gains are the mentee's, another mentee the mentor's; the coordinator's evaluation, the
    duo's summing-up, keeps them all."""
    asked = ASKED_OF.get(entry.respondent)
    if asked is None:
        return entry
    later = (*GAIN_COLUMNS.values(), "another_mentee")
    left_out: dict[str, Any] = {field: None for field in later if field not in asked}
    return replace(entry, **left_out)


def evaluation_cells(entry: EvaluationEntry) -> dict[str, Any]:
    """The cells a (checked) evaluation fills, when logged or corrected (by the coordinator
    or from the respondent's own link); a later question left None is not among them."""
    later = {column: getattr(entry, field) for column, field in GAIN_COLUMNS.items()}
    later |= {"Another mentee": entry.another_mentee, "Source": entry.source}
    return {
        "Respondent": entry.respondent,
        "Date": entry.on,
        "Objectives met": entry.objectives_met,
        "Outcome": entry.outcome,
        "Contract": entry.contract,
        "Satisfaction": entry.satisfaction,
        "Comments": entry.comments.strip(),
        **{column: value for column, value in later.items() if value is not None},
    }


def log_meeting(
    store: Store,
    user: User,
    duo_id: str,
    entry: MeetingEntry,
    today: date,
    *,
    record_id: str = "",
) -> Outcome:
    """A Meetings row for an active duo, logged by the coordinator.

    `record_id`: the new row's ID when the page made it (once per form, so that sending the
    form again after an error whose write landed writes nothing twice); else made here.
    """
    duo, frames = _duo_in_reach(store, user, duo_id, ("Lists", "Meetings"), fresh=True)
    if not can_log_meetings(duo):
        raise TransitionError(duo_message("not_active", duo=duo_id))
    _refuse(meeting_entry_problems(duo, frames["Lists"], entry, today))
    assert entry.on is not None and entry.hours is not None, "refused above"
    record = {"Duo ID": duo_id, **meeting_cells(entry), "Logged by": author(user)}
    ids = _append_one(store, user, "Meetings", record, "log_meeting", record_id)
    return Outcome(duo_message("meeting_logged", duo=duo_id, date=entry.on), ids=ids)


def log_check_in(
    store: Store,
    user: User,
    duo_id: str,
    entry: CheckInEntry,
    today: date,
    *,
    record_id: str = "",
) -> Outcome:
    """A Check-ins row for an active duo, with the coordinator who made the contact
    (`record_id` as for `log_meeting`)."""
    duo, _ = _duo_in_reach(store, user, duo_id, ("Check-ins",), fresh=True)
    if not can_log_meetings(duo):
        raise TransitionError(duo_message("not_active", duo=duo_id))
    _refuse(check_in_problems(entry, today))
    record = {"Duo ID": duo_id, **check_in_cells(entry), "Coordinator": author(user)}
    ids = _append_one(store, user, "Check-ins", record, "log_check_in", record_id)
    return Outcome(duo_message("check_in_logged", duo=duo_id, date=entry.on), ids=ids)


def evaluation_notice_days(settings: pd.DataFrame) -> int:
    """How long before the planned end evaluations open (the to-do list's setting)."""
    values, _ = current_values(settings)
    return attention_settings(values).evaluation_notice_days


def log_evaluation(
    store: Store,
    user: User,
    duo_id: str,
    entry: EvaluationEntry,
    today: date,
    *,
    second: bool = False,
    record_id: str = "",
) -> Outcome:
    """An Evaluations row, once the evaluation is open; one per respondent unless `second`.

    `record_id` as for `log_meeting`; the row with that ID, if it landed already, is not an
    earlier evaluation (sending the same form again is not a second one).
    """
    duo, frames = _duo_in_reach(store, user, duo_id, ("Evaluations", "Settings"), fresh=True)
    notice_days = evaluation_notice_days(frames["Settings"])
    if not evaluation_open(duo, today, notice_days):
        raise TransitionError(duo_message("evaluation_not_open", duo=duo_id, days=notice_days))
    _refuse(evaluation_problems(entry, today))
    others = frames["Evaluations"]
    if record_id and not others.empty:
        others = others[others["ID"].astype(str).str.strip() != record_id]
    earlier = earlier_evaluations(others, duo_id, entry.respondent)
    if earlier and not second:
        dates = [day or "?" for day in earlier]
        raise TransitionError(duo_message("evaluation_exists", dates=dates))
    cells = evaluation_cells(asked_of(entry))
    record = {"Duo ID": duo_id, "Source": COORDINATOR_SOURCE, **cells}
    ids = _append_one(store, user, "Evaluations", record, "log_evaluation", record_id)
    return Outcome(duo_message("evaluation_logged", duo=duo_id), ids=ids)


def _append_one(
    store: Store,
    user: User,
    tab_name: str,
    record: Mapping[str, Any],
    action: str,
    record_id: str,
) -> list[str]:
    """One new row and its audit row in one unit, its ID made before the write."""
    unit = Unit()
    index = unit.append(
        tab_name, [{**record, "ID": record_id or new_record_id(store, tab_name)}], action
    )
    return list(unit.write(store, who(user)).ids[index])


# -- correcting and cancelling a meeting, check-in or evaluation ----------------------------


ENTRY_KINDS: dict[str, str] = {
    "Meetings": "meeting",
    "Check-ins": "check_in",
    "Evaluations": "evaluation",
}
"""The tabs whose rows the Duos page corrects or cancels, and the word their actions use."""


def _entry_in_reach(
    store: Store, user: User, tab_name: str, row_id: str, tabs: Sequence[str] = ()
) -> tuple[dict[str, Any], dict[str, Any], dict[str, pd.DataFrame]]:
    """The row of `tab_name` and its duo, as the workbook holds them now (one fresh read).

    A row of a duo of an office the user does not work for is refused (`check_office`)."""
    if tab_name not in ENTRY_KINDS:
        raise TransitionError(duo_message("not_an_entry"))
    names = ["Duos", "Participants", tab_name, *tabs]
    frames = {name: table.frame for name, table in read_now(store, names).items()}
    row = by_id(records(frames[tab_name])).get(row_id)
    if row is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": tab_name, "key": row_id}))
    duo_id = cell_text(row, "Duo ID")
    duo = by_id(records(frames["Duos"])).get(duo_id)
    if duo is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": DUOS_TAB, "key": duo_id}))
    check_office(user, duo_office(duo, by_id(records(frames["Participants"]))), duo_id)
    if is_cancelled(row):
        raise TransitionError(duo_message("already_cancelled", entry=row_id))
    return dict(row), dict(duo), frames


def cancel_entry(store: Store, user: User, tab_name: str, row_id: str, reason: str) -> Outcome:
    """Mark a meeting, check-in or evaluation cancelled (never deleted), with its reason.

    One unit: the `Cancelled` cell and an audit note with the reason; the update's own audit
    row says who and when (`cancel_meeting`, `cancel_check_in`, `cancel_evaluation`). The row
    is read afresh and refused when already cancelled; the cell itself is not compared (a blank
    and a written "no" both mean not cancelled, and cancelling twice at once leaves it True).
    """
    _entry_in_reach(store, user, tab_name, row_id)
    _refuse([] if reason.strip() else [duo_message("reason_required")])
    action = f"cancel_{ENTRY_KINDS[tab_name]}"
    unit = Unit()
    unit.update(RecordChange(tab_name, row_id, {CANCELLED.name: True}, {}), action)
    unit.note(action, tab_name, row_id, reason.strip())
    conflicts = unit.conflicts(unit.write(store, who(user)))
    return Outcome(duo_message("entry_cancelled", entry=row_id), conflicts=conflicts)


def _correct(
    store: Store,
    user: User,
    tab_name: str,
    row_id: str,
    cells: Mapping[str, Any],
    seen: Mapping[str, Any],
) -> Outcome:
    """Write only the cells that differ from the row as the user saw it, each checked
    against it (someone else's change since comes back as a conflict)."""
    changed = {name: value for name, value in cells.items() if not same(value, seen.get(name))}
    if not changed:
        return Outcome(Msg("services.nothing_changed"))
    was = {name: seen.get(name) for name in changed}
    unit = Unit()
    unit.update(RecordChange(tab_name, row_id, changed, was), f"correct_{ENTRY_KINDS[tab_name]}")
    conflicts = unit.conflicts(unit.write(store, who(user)))
    return Outcome(duo_message("entry_corrected", entry=row_id), conflicts=conflicts)


def correct_meeting(
    store: Store,
    user: User,
    row_id: str,
    entry: MeetingEntry,
    seen: Mapping[str, Any],
    today: date,
) -> Outcome:
    """Correct a Meetings row: the same rules as logging it (`meetings.meeting_problems`)."""
    _, duo, frames = _entry_in_reach(store, user, "Meetings", row_id, ("Lists",))
    _refuse(meeting_entry_problems(duo, frames["Lists"], entry, today))
    return _correct(store, user, "Meetings", row_id, meeting_cells(entry), seen)


def correct_check_in(
    store: Store,
    user: User,
    row_id: str,
    entry: CheckInEntry,
    seen: Mapping[str, Any],
    today: date,
) -> Outcome:
    """Correct a Check-ins row: the same rules as logging it (`check_in_problems`)."""
    _entry_in_reach(store, user, "Check-ins", row_id)
    _refuse(check_in_problems(entry, today))
    return _correct(store, user, "Check-ins", row_id, check_in_cells(entry), seen)


def correct_evaluation(
    store: Store,
    user: User,
    row_id: str,
    entry: EvaluationEntry,
    seen: Mapping[str, Any],
    today: date,
) -> Outcome:
    """Correct an Evaluations row: the same rules as logging it (`evaluation_problems`)."""
    _entry_in_reach(store, user, "Evaluations", row_id)
    _refuse(evaluation_problems(entry, today))
    return _correct(store, user, "Evaluations", row_id, evaluation_cells(entry), seen)


def duo_entries(data: Snapshot, duo_id: str) -> list[Event]:
    """The duo's meetings, check-ins and evaluations that count (not cancelled), newest
    first: what the Duos page offers to correct or cancel."""
    events = [
        Event(day, kind, row)
        for tab_name, kind in ENTRY_KINDS.items()
        for row in records(_counted(data[tab_name]).pipe(lambda f: f[f["Duo ID"] == duo_id]))
        if (day := cell_date(row, "Date")) is not None
    ]
    return sorted(events, key=lambda event: event.on, reverse=True)


def entry_tab(event: Event) -> str:
    """The tab an entry of `duo_entries` comes from."""
    return next(tab_name for tab_name, kind in ENTRY_KINDS.items() if kind == event.kind)
