"""What the programme holds about one person, and who is due for erasure (pure).

Erasing keeps rows (other tabs refer to them) and blanks personal cells: see
`sheets.core.erase_plan`. Here: gathering a person's rows for a subject-access export,
and the retention rule (last activity older than N years).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from sheets.schema import PARTICIPANTS

ACTIVITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "Participants": ("Applied on", "Consent on", "Intake on", "Trained on", "Updated on"),
    "Duos": ("Proposed on", "Intro on", "Agreement on", "Ended on", "Updated on"),
    "Meetings": ("Date",),
    "Check-ins": ("Date",),
    "Evaluations": ("Date",),
}
PERSONAL_DATA_COLUMNS = tuple(column.name for column in PARTICIPANTS.columns if column.personal)
"""The cells erasing a person blanks (the schema marks them personal)."""


def duo_ids_of(duos: pd.DataFrame, person_id: str) -> list[str]:
    if duos.empty:
        return []
    mine = duos[(duos["Mentor ID"] == person_id) | (duos["Mentee ID"] == person_id)]
    return [str(value) for value in mine["ID"] if value]


def person_rows(frames: Mapping[str, pd.DataFrame], person_id: str) -> dict[str, pd.DataFrame]:
    """Every row about the person, tab by tab: what a subject-access request returns."""
    duo_ids = duo_ids_of(frames["Duos"], person_id)
    found: dict[str, pd.DataFrame] = {
        "Participants": frames["Participants"][frames["Participants"]["ID"] == person_id],
        "Duos": frames["Duos"][frames["Duos"]["ID"].isin(duo_ids)],
    }
    for tab in ("Meetings", "Check-ins", "Evaluations"):
        found[tab] = frames[tab][frames[tab]["Duo ID"].isin(duo_ids)]
    found["Attendance"] = frames["Attendance"][frames["Attendance"]["Participant ID"] == person_id]
    if "Follow-ups" in frames:
        found["Follow-ups"] = frames["Follow-ups"][frames["Follow-ups"]["Duo ID"].isin(duo_ids)]
    if "Audit" in frames:
        found["Audit"] = frames["Audit"][frames["Audit"]["Record ID"].isin([person_id, *duo_ids])]
    return {tab: frame for tab, frame in found.items() if not frame.empty}


def last_activity(frames: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Per participant ID, the latest date found on their row or on their duos' rows."""
    people = frames["Participants"]
    latest = _row_latest(people, ACTIVITY_COLUMNS["Participants"])
    per_person = pd.Series(latest.to_numpy(), index=people["ID"].to_numpy())
    duos = frames["Duos"]
    if duos.empty:
        return per_person.groupby(level=0).max()
    duo_latest = pd.Series(
        _row_latest(duos, ACTIVITY_COLUMNS["Duos"]).to_numpy(), index=duos["ID"].to_numpy()
    )
    for tab in ("Meetings", "Check-ins", "Evaluations"):
        frame = frames[tab]
        if not frame.empty:
            by_duo = frame.groupby("Duo ID")["Date"].max()
            duo_latest = pd.concat([duo_latest, by_duo]).groupby(level=0).max()
    links = pd.concat(
        [
            pd.DataFrame({"person": duos["Mentor ID"], "duo": duos["ID"]}),
            pd.DataFrame({"person": duos["Mentee ID"], "duo": duos["ID"]}),
        ]
    )
    links["latest"] = links["duo"].map(duo_latest)
    via_duos = links.groupby("person")["latest"].max()
    return pd.concat([per_person, via_duos]).groupby(level=0).max()


def _row_latest(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    present = [column for column in columns if column in frame.columns]
    if not present or frame.empty:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return frame[present].max(axis=1)


def due_for_erasure(frames: Mapping[str, pd.DataFrame], today: dt.date, years: int) -> pd.DataFrame:
    """People not in a live duo whose last activity is older than `years`, with personal data left.

    Columns: ID, Role, Status, Office, last activity; oldest first.
    """
    people = frames["Participants"]
    if people.empty:
        return people.assign(**{"Last activity": pd.Series(dtype="datetime64[ns]")})
    cutoff = pd.Timestamp(today) - pd.DateOffset(years=years)
    activity = people["ID"].map(last_activity(frames))
    has_personal = _has_personal_data(people)
    settled = ~people["Status"].isin(["In duo"])
    due = people[(activity < cutoff) & has_personal & settled]
    result = due[["ID", "Role", "Status", "Office"]].assign(
        **{"Last activity": activity[due.index]}
    )
    return result.sort_values("Last activity")


def _has_personal_data(people: pd.DataFrame) -> pd.Series:
    """Per person: does any personal cell still hold something (text, a date, a list)?"""
    held = pd.Series(False, index=people.index)
    for name in PERSONAL_DATA_COLUMNS:
        if name in people.columns:
            held |= people[name].map(_filled).astype(bool)
    return held


def _filled(value: object) -> bool:
    if value is None or value is pd.NaT:
        return False
    if isinstance(value, float):
        return value == value
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True
