"""The offices' yearly budgets (Budgets tab), entered by an admin for the cost per duo.

A new or changed budget is a new row with its audit row, in one unit of work: for an office
and year the row updated last counts (`impact.budgets_by_office`), and the earlier amounts
stay in the sheet as their history. Admins only.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from access import User
from i18n import Msg
from impact import budgets_by_office
from meetings import InputRefused
from services.offices import all_offices
from services.settings import require_admin
from services.unit import Outcome, Unit
from sheets.store import Store

BUDGETS_TAB = "Budgets"
FIRST_YEAR, LAST_YEARS_AHEAD = 2000, 2
MAX_BUDGET = 100_000_000


def budget_problems(
    offices: list[str], office: str, year: int, amount: float | None, today: date
) -> list[Msg]:
    """Why this budget cannot be saved (an empty list: it can)."""
    problems = []
    if office not in offices:
        problems.append(Msg("impact.budget_office_required"))
    if not FIRST_YEAR <= year <= today.year + LAST_YEARS_AHEAD:
        problems.append(Msg("impact.budget_year_out_of_range", {"year": year}))
    if amount is None or not 0 <= amount <= MAX_BUDGET:
        problems.append(Msg("impact.budget_amount_out_of_range"))
    return problems


def set_budget(
    store: Store, user: User, office: str, year: int, amount: float | None, today: date
) -> Outcome:
    """An office's budget for a year: a Budgets row and its audit row, for an admin only."""
    require_admin(user)
    problems = budget_problems(all_offices(store), office, year, amount, today)
    if problems:
        raise InputRefused(problems)
    unit = Unit()
    unit.append(
        BUDGETS_TAB, [{"Office": office, "Year": year, "Budget": float(amount or 0)}], "set_budget"
    )
    unit.write(store, user.email)
    return Outcome(Msg("impact.budget_saved", {"office": office, "year": year}))


def budgets_table(frame: pd.DataFrame | None) -> pd.DataFrame:
    """The budgets that count: office, year, budget; by office, latest year first."""
    rows = [
        {"office": office, "year": year, "budget": amount}
        for (office, year), amount in budgets_by_office(frame).items()
    ]
    table = pd.DataFrame(rows, columns=["office", "year", "budget"])
    return table.sort_values(["office", "year"], ascending=[True, False], ignore_index=True)
