"""Subject access and erasure (admins only): the store side of the privacy page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from access import User
from exports import to_excel_sheets
from i18n import Msg
from privacy import due_for_erasure, person_rows
from services.unit import Outcome, Unit
from settings import current_values
from sheets.store import Store

PRIVACY_TABS = (
    "Participants",
    "Duos",
    "Meetings",
    "Check-ins",
    "Evaluations",
    "Follow-ups",
    "Attendance",
    "Audit",
)


class AdminsOnly(PermissionError):
    def __init__(self) -> None:
        self.msg = Msg("privacy.admins_only")
        super().__init__(self.msg.text("en"))


def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise AdminsOnly()


def export_person(store: Store, user: User, person_id: str) -> bytes:
    """An .xlsx with every row about the person, one sheet per tab; the export is audited."""
    _require_admin(user)
    frames = {name: table.frame for name, table in store.read(PRIVACY_TABS).items()}
    rows = person_rows(frames, person_id)
    if "Participants" not in rows:
        return b""
    unit = Unit()
    unit.note("export", "Participants", person_id, "subject access export")
    unit.write(store, user.email)
    return to_excel_sheets(rows)


def erase_person(store: Store, user: User, person_id: str) -> Outcome:
    """Blank the person's personal cells (rows and statistics stay); audited by the store."""
    _require_admin(user)
    cells = store.erase_participant(person_id, who=user.email)
    return Outcome(Msg("privacy.erased", {"key": person_id, "cells": cells}))


@dataclass(frozen=True)
class Retention:
    years: int
    """The retention period set in the Settings tab."""
    due: pd.DataFrame
    """The people due for erasure under it."""


def retention(store: Store, user: User, today: dt.date) -> Retention:
    """Who is due for erasure under the retention period the Settings tab sets."""
    _require_admin(user)
    values, _ = current_values(store.table("Settings").frame)
    years = int(values["privacy.retention_years"])
    return Retention(years, erasure_candidates(store, user, today, years))


def erasure_candidates(store: Store, user: User, today: dt.date, years: int) -> pd.DataFrame:
    _require_admin(user)
    frames = {name: table.frame for name, table in store.read(PRIVACY_TABS).items()}
    return due_for_erasure(frames, today, years)
