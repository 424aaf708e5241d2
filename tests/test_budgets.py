"""The offices' yearly budgets: set by an admin only, the row updated last counts, and the
cost per duo on the Reports page follows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import clock
from i18n import t
from impact import budgets_by_office
from meetings import InputRefused
from services.budgets import budgets_table, set_budget
from services.reports import period_impact
from services.settings import AdminOnly
from services.snapshot import load
from tests.apptest import ADMIN, BRUSSELS, assert_no_exception, open_page, store_of
from tests.test_services_duos import CountingStore
from tests.test_workflow import frame

TODAY = clock.today()


@pytest.fixture
def counting(demo_grids: dict[str, list[list[Any]]]) -> CountingStore:
    return CountingStore(demo_grids)


def test_the_budget_updated_last_counts_then_the_lowest_row() -> None:
    budgets = frame(
        "Budgets",
        [
            {"office": "Brussels", "year": 2026, "budget": 100, "updated_on": "2026-03-01"},
            {"office": "Brussels", "year": 2026, "budget": 300, "updated_on": "2026-01-01"},
            {"office": "Brussels", "year": 2026, "budget": 200, "updated_on": "2026-03-01"},
            {"office": "Antwerp", "year": 2025.5, "budget": 50},
            {"office": "Antwerp", "year": 2025},
        ],
    )
    assert budgets_by_office(budgets) == {("Brussels", 2026): 200.0}
    assert list(budgets_table(budgets).itertuples(index=False, name=None)) == [
        ("Brussels", 2026, 200.0)
    ]


def test_only_an_admin_sets_a_budget_with_an_office_a_year_and_an_amount(
    counting: CountingStore,
) -> None:
    with pytest.raises(AdminOnly):
        set_budget(counting, BRUSSELS, "Brussels", TODAY.year, 1000, TODAY)
    with pytest.raises(InputRefused) as refused:
        set_budget(counting, ADMIN, "Atlantis", 1999, -5, TODAY)
    assert [problem.key for problem in refused.value.problems] == [
        "impact.budget_office_required",
        "impact.budget_year_out_of_range",
        "impact.budget_amount_out_of_range",
    ]
    assert not counting.units
    before = counting.rows("Budgets")
    assert set_budget(counting, ADMIN, "Brussels", TODAY.year, 1000, TODAY).ok
    assert counting.rows("Budgets") == before + 1 and len(counting.units) == 1
    assert budgets_by_office(counting.table("Budgets").frame)[("Brussels", TODAY.year)] == 1000
    audit = counting.table("Audit").frame
    assert list(audit.loc[audit["Tab"] == "Budgets", "Action"]) == ["set_budget"]


def test_an_admin_sets_a_budget_on_the_reports_page_and_the_cost_per_duo_follows(
    workbook: Path,
) -> None:
    store = store_of(workbook)
    start, end = TODAY.replace(month=1, day=1), TODAY
    before = period_impact(load(store, ADMIN), start, end, TODAY).figures["cost_per_duo"]
    app = open_page("reports.py")
    assert_no_exception(app)
    app.selectbox(key="budget-office").set_value("Brussels")
    app.number_input(key="budget-amount").set_value(1_000_000.0)
    app.button(key="budget-save").click().run()
    assert_no_exception(app)
    assert [s.value for s in app.success] == [
        t("impact.budget_saved", "en", office="Brussels", year=TODAY.year)
    ]
    after = period_impact(load(store_of(workbook), ADMIN), start, end, TODAY)
    assert after.figures["cost_per_duo"].amount != before.amount
    assert after.figures["cost_per_duo"].value != before.value


def test_a_coordinator_does_not_see_the_budgets(workbook: Path) -> None:
    app = open_page("reports.py", user=BRUSSELS)
    assert_no_exception(app)
    assert t("impact.budgets", "en") not in [expander.label for expander in app.expander]
