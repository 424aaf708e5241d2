"""Self-filled end evaluations: the mentor's and mentee's personal evaluation link, what it
opens, the evaluation sent through it, and what came in, for the duo page.

The link is signed like the meeting-log link (`links.py`, with the purpose EVALUATION, so
that neither link opens the other's page) with the same key (`meeting_links.secret_key`),
and is checked the same way against the Duos row at the moment of use: the duo exists, the
person the link was given to is still in the row, and the row's "Link version" is the
token's (the duo page's revocation stops both kinds of links). It opens while the duo's
evaluation is open (`services.duos.evaluation_open`: from the notice days before the planned
end of an Active duo, and once the duo is Completed or Ended early); an Active duo whose
evaluation opens later gets the day it opens. A link holder sees only the pair's first
names and their own evaluation's date once it is in.

One evaluation per respondent per duo: a second one from the link is refused politely (the
coordinator cancels the first on the duo page when it must be redone, which opens the link
again). What an evaluation fills is `services.duos.evaluation_cells`, with Source
"Self-filled". No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

import clock
from access import User
from attention import in_force
from i18n import Messages, Msg
from links import EVALUATION, MENTEE, MENTOR, InvalidLink, LinkClaims, Reason, verify
from links import default_expiry as log_link_expiry
from meetings import InputRefused
from ratelimit import SlidingWindowLimiter
from services.applications import clean_text
from services.duos import (
    ANOTHER_MENTEE_VALUES,
    CONTRACT_NEEDED_FOR,
    CONTRACTS,
    COORDINATOR_SOURCE,
    GAIN_COLUMNS,
    GAINS,
    OBJECTIVES_MET_VALUES,
    OUTCOMES,
    RESPONDENTS,
    SATISFACTION_SCALE,
    SELF_FILLED,
    EvaluationEntry,
    answer_problems,
    asked_of,
    duo_message,
    earlier_evaluations,
    evaluation_cells,
    evaluation_notice_days,
    evaluation_open,
    evaluation_opens_on,
)
from services.link_access import (
    LOGGED_BY,
    duo_to_link,
    first_names,
    linked_duo_row,
    signed_link,
)
from services.meeting_links import LinksDisabled
from services.unit import Outcome, Unit, new_record_id, read_now
from sheets.store import Store
from workflow import (
    ACTIVE,
    ENDED_DUO_STATUSES,
    TransitionError,
    cell_date,
    cell_text,
    records,
)

EVALUATION_URL_PATH = "evaluation"
"""The url path of the self-filled evaluation page (`pages/self_evaluation.py`)."""
RESPONDENT_OF = {MENTOR: "Mentor", MENTEE: "Mentee"}
LINKED_STATUSES = frozenset({ACTIVE, *ENDED_DUO_STATUSES})
"""The duo statuses whose evaluation a link may open (an Active one from its notice days)."""
MIN_DAYS_VALID = 60
"""An evaluation link works at least this long after it is given (a duo ended long ago)."""
PREFILLED = {"Mentee": ("Outcome", "Contract", *GAIN_COLUMNS), "Mentor": ("Another mentee",)}
"""What the coordinator's form takes over from the self-filled evaluations, by respondent."""

SEND_LIMIT = SlidingWindowLimiter(5, 3600)
"""Evaluations one link may try to send per hour (one is kept: this only stops a flood)."""

self_evaluation_message = Messages("self_evaluation")
"""A message of `i18n/self_evaluation.toml`."""


# -- what a link opens ----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedEvaluation:
    """All a link holder may see: the pair's first names and where their evaluation stands."""

    duo_id: str
    role: str
    mentor_first_name: str
    mentee_first_name: str
    answered_on: dt.date | None
    """The day their own evaluation came in (None: not yet, the form is offered)."""
    answered: bool
    opens_on: dt.date | None
    """While the duo runs and its evaluation is not open yet: the day it opens."""

    @property
    def respondent(self) -> str:
        return RESPONDENT_OF[self.role]

    @property
    def sent_by(self) -> str:
        """How the audit names who sent it ("Mentee (link)")."""
        return LOGGED_BY[self.role]


@dataclass(frozen=True)
class SelfAnswers:
    """What the self-filled form holds (a mentor is not asked the mentee's questions)."""

    objectives_met: str
    satisfaction: int | None
    outcome: str = ""
    contract: str = ""
    autonomy: str = ""
    career_plan: str = ""
    network: str = ""
    another_mentee: str = ""
    comments: str = ""


def resolve(store: Store, token: str, secret: str, today: dt.date) -> LinkedEvaluation:
    """The evaluation a link opens today; raises `InvalidLink` for any link that must not work."""
    claims = verify(token, secret, today, EVALUATION)
    tables = store.read(TABS)
    return _linked({name: table.frame for name, table in tables.items()}, claims, today)


TABS = ["Duos", "Participants", "Evaluations", "Settings"]


def _linked(
    frames: Mapping[str, pd.DataFrame], claims: LinkClaims, today: dt.date
) -> LinkedEvaluation:
    duo = linked_duo_row(frames["Duos"], claims, LINKED_STATUSES)
    notice_days = evaluation_notice_days(frames["Settings"])
    opens_on = None
    if not evaluation_open(duo, today, notice_days):
        opens_on = evaluation_opens_on(duo, notice_days)
        if opens_on is None:
            raise InvalidLink(Reason.INACTIVE)
    earlier = earlier_evaluations(frames["Evaluations"], claims.duo_id, RESPONDENT_OF[claims.role])
    mentor_first_name, mentee_first_name = first_names(frames["Participants"], duo)
    return LinkedEvaluation(
        duo_id=claims.duo_id,
        role=claims.role,
        mentor_first_name=mentor_first_name,
        mentee_first_name=mentee_first_name,
        answered_on=max((day for day in earlier if day is not None), default=None),
        answered=bool(earlier),
        opens_on=opens_on,
    )


# -- sending one's evaluation ---------------------------------------------------------------


def self_entry(linked: LinkedEvaluation, answers: SelfAnswers, today: dt.date) -> EvaluationEntry:
    """The evaluation the answers make: dated today, Source Self-filled, the comments cleaned
    of control characters (as the public forms' text); the questions the respondent is not
    asked stay out of it."""
    mentee = linked.role == MENTEE
    entry = EvaluationEntry(
        respondent=linked.respondent,
        on=today,
        objectives_met=answers.objectives_met,
        outcome=answers.outcome if mentee else "",
        contract=answers.contract if mentee else "",
        satisfaction=answers.satisfaction,
        comments=clean_text(answers.comments, multiline=True),
        autonomy=answers.autonomy,
        career_plan=answers.career_plan,
        network=answers.network,
        another_mentee=answers.another_mentee,
        source=SELF_FILLED,
    )
    return asked_of(entry)


def self_evaluation_problems(entry: EvaluationEntry) -> list[Msg]:
    """What a self-filled evaluation must answer: objectives and satisfaction; the mentee
    their outcome (its contract for a job) and the three gains; the mentor another mentee."""
    problems: list[Msg] = []
    if entry.objectives_met not in OBJECTIVES_MET_VALUES:
        problems.append(duo_message("objectives_met_required"))
    if entry.satisfaction not in SATISFACTION_SCALE:
        problems.append(duo_message("satisfaction_required"))
    if entry.respondent == RESPONDENT_OF[MENTEE]:
        if entry.outcome not in OUTCOMES:
            problems.append(duo_message("outcome_required"))
        needs_contract = entry.outcome in CONTRACT_NEEDED_FOR and not entry.contract
        if needs_contract or (entry.contract and entry.contract not in CONTRACTS):
            problems.append(duo_message("contract_required"))
        gains = (getattr(entry, field) for field in GAIN_COLUMNS.values())
        if any(gain not in GAINS for gain in gains):
            problems.append(self_evaluation_message("gains_required"))
    elif entry.another_mentee not in ANOTHER_MENTEE_VALUES:
        problems.append(self_evaluation_message("another_mentee_required"))
    return problems + answer_problems(entry)


def send_evaluation(
    store: Store,
    token: str,
    secret: str,
    answers: SelfAnswers,
    today: dt.date,
    *,
    record_id: str = "",
) -> Outcome:
    """Add the link holder's Evaluations row (Source Self-filled) in one unit.

    The link and the earlier evaluations are read afresh at the moment of writing (a link
    revoked while the form was open writes nothing). Raises `InvalidLink`, `TransitionError`
    (not open yet, or their evaluation is already in: the row with `record_id`, the one this
    form makes, does not count, so sending the same form again writes nothing twice) or
    `InputRefused` (what is missing, then the link's rate limit).
    """
    claims = verify(token, secret, today, EVALUATION)
    frames = {name: table.frame for name, table in read_now(store, TABS).items()}
    others = frames["Evaluations"]
    if record_id and not others.empty:
        frames["Evaluations"] = others[others["ID"].astype(str).str.strip() != record_id]
    linked = _linked(frames, claims, today)
    if linked.opens_on is not None:
        raise TransitionError(self_evaluation_message("not_open", date=linked.opens_on))
    if linked.answered:
        raise TransitionError(self_evaluation_message("already_answered"))
    entry = self_entry(linked, answers, today)
    problems = self_evaluation_problems(entry)
    if problems:
        raise InputRefused(problems)
    if not SEND_LIMIT.hit(f"{linked.duo_id}/{linked.role}"):
        raise InputRefused([self_evaluation_message("too_many")])
    record = {
        "ID": record_id or new_record_id(store, "Evaluations"),
        "Duo ID": linked.duo_id,
        **evaluation_cells(entry),
    }
    unit = Unit()
    index = unit.append("Evaluations", [record], "self_evaluation")
    ids = list(unit.write(store, linked.sent_by).ids[index])
    return Outcome(self_evaluation_message("sent"), ids=ids)


# -- for the duo page: the links, and what came in ------------------------------------------


def evaluation_expiry(planned_end: dt.date | None, issued: dt.date) -> dt.date:
    """As a meeting-log link (planned end + 60 days), and at least 60 days from issue."""
    return max(log_link_expiry(planned_end, issued), issued + dt.timedelta(days=MIN_DAYS_VALID))


def evaluation_link_for(
    store: Store,
    duo_id: str,
    base_url: str,
    secret: str | None,
    role: str = MENTEE,
    *,
    today: dt.date | None = None,
    user: User | None = None,
) -> str:
    """The personal link of the duo's mentee (or mentor) to their own end evaluation.

    Raises `LinksDisabled` without a key, `RecordNotFound` for an unknown duo (or one of
    another office, when `user` is given) and `TransitionError` for a duo whose evaluation a
    link never opens (Proposed, Intro planned, Declined). Revoked with the meeting-log links
    (`meeting_links.revoke`).
    """
    if not secret:
        raise LinksDisabled(self_evaluation_message("links_disabled"))
    day = today or clock.today()
    duo = duo_to_link(store, duo_id, user)
    if cell_text(duo, "Status") not in LINKED_STATUSES:
        raise TransitionError(self_evaluation_message("no_link", duo=duo_id))
    expires = evaluation_expiry(cell_date(duo, "Planned end"), day)
    return signed_link(
        duo,
        role,
        expires,
        secret=secret,
        purpose=EVALUATION,
        base_url=base_url,
        url_path=EVALUATION_URL_PATH,
    )


@dataclass(frozen=True)
class CameIn:
    """An evaluation of the duo that counts: who answered, when, and who typed it."""

    respondent: str
    on: dt.date | None
    source: str
    """Self-filled, or Coordinator (a blank Source is an evaluation typed by staff)."""


def came_in(evaluations: pd.DataFrame | None, duo_id: str) -> list[CameIn]:
    """The duo's evaluations that count (not cancelled), oldest first."""
    rows = _duo_rows(evaluations, duo_id)
    return [
        CameIn(
            cell_text(row, "Respondent"),
            cell_date(row, "Date"),
            cell_text(row, "Source") or COORDINATOR_SOURCE,
        )
        for row in rows
    ]


def missing_respondents(evaluations: pd.DataFrame | None, duo_id: str) -> tuple[str, ...]:
    """The respondents (Mentor, Mentee, Coordinator) whose evaluation has not come in."""
    answered = {cell_text(row, "Respondent") for row in _duo_rows(evaluations, duo_id)}
    return tuple(respondent for respondent in RESPONDENTS if respondent not in answered)


def prefill(evaluations: pd.DataFrame | None, duo_id: str) -> dict[str, str]:
    """What the coordinator's form starts from: the answers that came in through the links
    (the mentee's outcome, contract and gains, the mentor's wish for another mentee; the
    latest of each respondent), blanks left out. Evaluations typed by staff are not taken."""
    rows = [
        row for row in _duo_rows(evaluations, duo_id) if cell_text(row, "Source") == SELF_FILLED
    ]
    found: dict[str, str] = {}
    for respondent, columns in PREFILLED.items():
        theirs = [row for row in rows if cell_text(row, "Respondent") == respondent]
        if theirs:
            found |= {
                column: value for column in columns if (value := cell_text(theirs[-1], column))
            }
    return found


def _duo_rows(evaluations: pd.DataFrame | None, duo_id: str) -> Sequence[dict[str, Any]]:
    frame = in_force(evaluations)
    if frame is None or frame.empty:
        return []
    mine = records(frame[frame["Duo ID"].astype(str).str.strip() == duo_id])
    return sorted(mine, key=lambda row: cell_date(row, "Date") or dt.date.min)
