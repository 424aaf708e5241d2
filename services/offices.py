"""Office scoping: a coordinator sees and changes only their offices' records; the data
layer, not the widgets, decides."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from access import User
from i18n import Msg
from sheets.reader import Finding
from sheets.store import RecordNotFound, Store


def all_offices(store: Store) -> list[str]:
    """Offices named in the Lists tab, then any other office a record mentions."""
    tables = store.read(["Lists", "Participants"])
    listed = [str(o) for o in tables["Lists"].frame.get("Offices", []) if str(o).strip()]
    used = sorted({str(o) for o in tables["Participants"].frame.get("Office", []) if o})
    return list(dict.fromkeys([*listed, *used]))


def visible_offices(
    user: User, store: Store, chosen: Iterable[str] | None = None
) -> tuple[str, ...]:
    """The offices in view: the user's (all for admins), narrowed to `chosen` when given."""
    allowed = all_offices(store) if user.is_admin else list(user.offices)
    if chosen:
        picked = [office for office in chosen if office in allowed]
        return tuple(picked or allowed)
    return tuple(allowed)


def limit_to_offices(
    frames: dict[str, pd.DataFrame], findings: list[Finding], offices: set[str]
) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    people = frames["Participants"]
    people = people[people["Office"].isin(offices)]
    person_ids = set(people["ID"])
    duos = frames["Duos"]
    in_office = duos["Office"].isin(offices)
    unplaced = (duos["Office"] == "") & duos["Mentee ID"].isin(person_ids)
    duos = duos[in_office | unplaced]
    duo_ids = set(duos["ID"])
    limited = dict(frames)
    limited["Participants"] = people
    limited["Duos"] = duos
    for name in ("Meetings", "Check-ins", "Evaluations", "Follow-ups"):
        limited[name] = frames[name][frames[name]["Duo ID"].isin(duo_ids)]
    sessions = frames["Sessions"]
    limited["Sessions"] = sessions[sessions["Office"].isin(offices) | (sessions["Office"] == "")]
    attendance = frames["Attendance"]
    limited["Attendance"] = attendance[attendance["Participant ID"].isin(person_ids)]
    rows_in_view = {name: set(limited[name]["_row"]) for name in limited if "_row" in limited[name]}
    kept = [
        f
        for f in findings
        if f.tab not in rows_in_view or f.row in rows_in_view[f.tab] or f.row <= 1
    ]
    return limited, kept


class OutOfOffice(RecordNotFound):
    """The record belongs to an office the user does not work for."""


def check_office(user: User, office: str, record_id: str) -> None:
    """Refuse to change a record of another office (as if it did not exist)."""
    if not user.may_see(office):
        raise OutOfOffice(Msg("services.not_your_office", {"key": record_id}))
