"""What the three personal links share (meeting log, end evaluation, follow-up): the checks
of a signed link against the Duos row at the moment of use, and the making of a link.

A token (`links.py`) proves only its own shape, signature and expiry; here a link of any
purpose is checked against the duo's row as the workbook holds it: the duo exists, the
person the link was given to is still in its row, the row's "Link version" is the token's
(the duo page's revocation stops every kind of link at once) and the duo's status is one
the purpose opens. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from access import User
from i18n import Msg
from links import MENTEE, MENTOR, InvalidLink, LinkClaims, Reason, sign
from services.offices import check_office
from sheets.store import RecordNotFound, Store
from workflow import cell_text, records

TOKEN_PARAMETER = "t"
LOGGED_BY = {MENTOR: "Mentor (link)", MENTEE: "Mentee (link)"}
"""How the audit names who wrote through a link."""
PERSON_COLUMN = {MENTOR: "Mentor ID", MENTEE: "Mentee ID"}


def link_version(duo: Mapping[str, Any]) -> int:
    """The row's link version; a blank cell counts as 1 (the first link)."""
    value = duo.get("Link version")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 1
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 1


def linked_duo_row(
    duos: pd.DataFrame, claims: LinkClaims, statuses: Collection[str]
) -> dict[str, Any]:
    """The duo's row, if the link still fits it and the duo's status is one of `statuses`
    (else `InvalidLink` with the reason)."""
    duo = _first_with_id(duos, claims.duo_id)
    if duo is None or cell_text(duo, PERSON_COLUMN[claims.role]) != claims.person_id:
        raise InvalidLink(Reason.WRONG_DUO)
    if link_version(duo) != claims.version:
        raise InvalidLink(Reason.REVOKED)
    if cell_text(duo, "Status") not in statuses:
        raise InvalidLink(Reason.INACTIVE)
    return dict(duo)


def first_names(participants: pd.DataFrame, duo: Mapping[str, Any]) -> tuple[str, str]:
    """The mentor's and the mentee's first names ("" when unknown): all a link holder sees
    of the pair."""
    wanted = {cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")} - {""}
    names = {
        cell_text(row, "ID"): cell_text(row, "First name")
        for row in records(participants, ["ID", "First name"])
        if cell_text(row, "ID") in wanted
    }
    return names.get(cell_text(duo, "Mentor ID"), ""), names.get(cell_text(duo, "Mentee ID"), "")


def duo_to_link(store: Store, duo_id: str, user: User | None) -> dict[str, Any]:
    """The duo a link is made for; `RecordNotFound` when unknown (or of another office than
    the `user`'s, when given)."""
    duo = _first_with_id(store.table("Duos").frame, duo_id)
    if duo is None:
        raise RecordNotFound(Msg("store.record_not_found", {"tab": "Duos", "key": duo_id}))
    if user is not None:
        check_office(user, cell_text(duo, "Office"), duo_id)
    return dict(duo)


def _first_with_id(duos: pd.DataFrame, duo_id: str) -> dict[str, Any] | None:
    """The first row with this ID (a duplicate typed by hand below it does not count)."""
    return next((dict(row) for row in records(duos) if cell_text(row, "ID") == duo_id), None)


def signed_link(
    duo: Mapping[str, Any],
    role: str,
    expires: dt.date,
    *,
    secret: str,
    purpose: str,
    base_url: str,
    url_path: str,
) -> str:
    """The link to `url_path` for the duo's person in `role`, signed for `purpose`."""
    claims = LinkClaims(
        duo_id=cell_text(duo, "ID"),
        person_id=cell_text(duo, PERSON_COLUMN[role]),
        version=link_version(duo),
        role=role,
        expires=expires,
    )
    token = sign(claims, secret, purpose)
    return f"{base_url.rstrip('/')}/{url_path}?{TOKEN_PARAMETER}={token}"
