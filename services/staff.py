"""The admin's use cases on the staff list: add a person, change their role, offices and
language, deactivate them.

The Staff tab stays the record (one row per person, found by Email; hand edits keep working):
each use case is one unit of work, planned from a fresh read, and a change carries the values
the admin saw, so a cell someone typed in the sheet meanwhile comes back as a conflict
instead of being overwritten. Every function refuses a user who is not an admin.
No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from access import User
from i18n import Msg
from services.settings import require_admin
from services.unit import Outcome, Unit, read_now, write_planned
from sheets.store import Store, StoreError
from sheets.values import normalise_key, split_list
from workflow import RecordChange

STAFF_TAB = "Staff"
ROLES: tuple[str, ...] = ("Coordinator", "Admin")
STAFF_LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")
"""The languages of the messages to a staff member (the weekly digest, their copy of an
intro invitation); a blank `Language` is French."""
DEFAULT_STAFF_LANGUAGE = "fr"


class StaffRefused(StoreError):
    """A staff change that cannot be made (blank or duplicate e-mail, unknown role ...)."""


@dataclass(frozen=True)
class StaffRow:
    """One person of the Staff tab, as the admin saw it."""

    email: str
    name: str
    role: str
    offices: tuple[str, ...]
    active: bool
    language: str = ""
    """As the tab holds it (blank, or fr / nl / en); `message_language` is the one used."""

    @property
    def message_language(self) -> str:
        """The language of the messages to them: their `Language`, blank meaning French."""
        return self.language if self.language in STAFF_LANGUAGES else DEFAULT_STAFF_LANGUAGE


def staff_rows(frame: pd.DataFrame) -> list[StaffRow]:
    """The Staff tab's rows with an e-mail, in sheet order."""
    if frame.empty or "Email" not in frame.columns:
        return []
    return [_row(record) for record in frame.to_dict("records") if str(record["Email"]).strip()]


def _row(record: Mapping[Any, Any]) -> StaffRow:
    return StaffRow(
        email=str(record["Email"]).strip(),
        name=str(record.get("Name") or ""),
        role=_role(record.get("Role")),
        offices=_offices(record.get("Offices")),
        active=bool(record.get("Active")),
        language=str(record.get("Language") or "").strip().lower(),
    )


def _role(value: Any) -> str:
    return "Admin" if normalise_key(value) == "admin" else "Coordinator"


def _offices(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(split_list(value))
    return tuple(str(office) for office in value or ())


def add_staff(
    store: Store,
    user: User,
    email: str,
    name: str,
    role: str,
    offices: Iterable[str],
    language: str = DEFAULT_STAFF_LANGUAGE,
) -> Outcome:
    """A new active row; refused when the e-mail is blank, not an e-mail, or already listed."""
    require_admin(user)
    address = email.strip().casefold()
    if "@" not in address or " " in address:
        raise StaffRefused(Msg("staff.email_invalid"))
    _check_role(role)
    _check_language(language)
    row = {
        "Email": address,
        "Name": name.strip() or address,
        "Role": role,
        "Offices": list(offices),
        "Active": True,
        "Language": language,
    }

    def plan() -> _Planned:
        listed = {each.email.casefold() for each in staff_rows(_fresh(store))}
        if address in listed:
            raise StaffRefused(Msg("staff.email_exists", {"email": address}))
        unit = Unit()
        unit.append(STAFF_TAB, [row], "add_staff")
        return _Planned(unit)

    write_planned(store, user.email, plan)
    return Outcome(Msg("staff.added", {"email": address}))


def change_staff(
    store: Store,
    user: User,
    seen: StaffRow,
    role: str,
    offices: Iterable[str],
    language: str | None = None,
) -> Outcome:
    """Another role, other offices or another language (None: as seen) for one person; the
    values seen go along as `seen`."""
    require_admin(user)
    _check_role(role)
    chosen = tuple(offices)
    if language is not None:
        _check_language(language)
    new_language = seen.message_language if language is None else language
    language_changed = new_language != seen.message_language
    if role == seen.role and set(chosen) == set(seen.offices) and not language_changed:
        return Outcome(Msg("services.nothing_changed"))
    cells: dict[str, Any] = {"Role": role, "Offices": list(chosen)}
    before: dict[str, Any] = {"Role": seen.role, "Offices": list(seen.offices)}
    if language_changed:
        cells["Language"], before["Language"] = new_language, seen.language
    return _update(store, user, seen, cells, before, Msg("staff.changed", {"email": seen.email}))


def deactivate_staff(store: Store, user: User, seen: StaffRow) -> Outcome:
    """Active = No: the person is out at their next click. An admin cannot lock themselves out."""
    require_admin(user)
    if seen.email.casefold() == user.email.casefold():
        raise StaffRefused(Msg("staff.not_yourself"))
    if not seen.active:
        return Outcome(Msg("services.nothing_changed"))
    message = Msg("staff.deactivated", {"email": seen.email})
    return _update(store, user, seen, {"Active": False}, {"Active": True}, message)


@dataclass(frozen=True)
class _Planned:
    unit: Unit


def _update(
    store: Store,
    user: User,
    seen: StaffRow,
    cells: dict[str, Any],
    before: dict[str, Any],
    message: Msg,
) -> Outcome:
    def plan() -> _Planned:
        unit = Unit()
        unit.update(RecordChange(STAFF_TAB, seen.email, cells, before), "change_staff")
        return _Planned(unit)

    planned, written = write_planned(store, user.email, plan)
    outcome = Outcome(message)
    outcome.conflicts = planned.unit.conflicts(written)
    return outcome


def _fresh(store: Store) -> pd.DataFrame:
    return read_now(store, [STAFF_TAB])[STAFF_TAB].frame


def _check_language(language: str) -> None:
    if language not in STAFF_LANGUAGES:
        raise StaffRefused(Msg("staff.unknown_language", {"language": language}))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise StaffRefused(Msg("staff.unknown_role", {"role": role}))
