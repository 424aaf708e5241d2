"""The Today and Reports views (`services.reports`) on an in-memory copy of the demo workbook."""

from __future__ import annotations

import datetime as dt

import pytest

import clock
from access import User
from attention import AttentionKind
from reports import period_bounds
from services.reports import ReportView, TodayView, report_view, today_view
from services.snapshot import load
from sheets.store import Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, Workbook, store_of
from workflow import cell_text

TODAY = clock.today()
ALL_OFFICES = ("Antwerp", "Brussels", "Liège")


@pytest.fixture
def store(workbook: Workbook) -> Store:
    return store_of(workbook)


def today_of(store: Store, user: User = ADMIN, chosen: tuple[str, ...] = ()) -> TodayView:
    return today_view(load(store, user, chosen), TODAY)


def report_of(store: Store, user: User = ADMIN, chosen: tuple[str, ...] = ()) -> ReportView:
    return report_view(load(store, user, chosen), *period_bounds("this_year", TODAY), TODAY)


def kinds(view: TodayView) -> set[AttentionKind]:
    return {item.kind for item in view.items}


# -- Today --------------------------------------------------------------------------------------


def test_the_demo_workbook_has_something_to_do_and_figures_to_show(store: Store) -> None:
    view = today_of(store)
    assert view.items
    assert view.figures.active_duos > 0
    assert not view.pipeline.empty


def test_the_to_do_list_follows_the_thresholds_of_the_settings_tab(store: Store) -> None:
    assert AttentionKind.MENTEE_WAITING in kinds(today_of(store))
    store.append("Settings", [{"Name": "attention.mentee_wait_days", "Value": "366"}], "staff")
    assert AttentionKind.MENTEE_WAITING not in kinds(today_of(store))


def test_a_value_the_store_could_not_read_puts_one_item_on_the_to_do_list(store: Store) -> None:
    assert AttentionKind.UNREADABLE_VALUES not in kinds(today_of(store))
    meeting = store.table("Meetings").frame["ID"].iloc[0]
    store.update("Meetings", meeting, {"Hours": "lots"}, "staff")
    unreadable = [i for i in today_of(store).items if i.kind is AttentionKind.UNREADABLE_VALUES]
    assert len(unreadable) == 1


def test_a_coordinator_sees_only_the_items_of_their_office_or_of_no_office(store: Store) -> None:
    view = today_of(store, BRUSSELS)
    assert view.items
    assert {item.office for item in view.items} <= {"Brussels", ""}


def test_the_pipeline_has_a_column_of_counts_per_office_in_view(store: Store) -> None:
    admin = today_of(store).pipeline
    coordinator = today_of(store, ANTWERP).pipeline
    assert [c for c in admin.columns if c not in ("group", "status")] == list(ALL_OFFICES)
    assert [c for c in coordinator.columns if c not in ("group", "status")] == ["Antwerp"]
    assert list(coordinator["Antwerp"]) == list(admin["Antwerp"])


def test_the_pipeline_counts_every_person_and_duo_in_view(store: Store) -> None:
    data = load(store, ADMIN)
    pipeline = today_view(data, TODAY).pipeline
    people = data.participants[data.participants["ID"] != ""]
    counted = pipeline[list(ALL_OFFICES)].to_numpy().sum()
    assert counted == len(people) + len(data.duos)


def test_the_to_do_list_by_kind_keeps_every_item_most_urgent_kind_first(store: Store) -> None:
    view = today_of(store)
    groups = view.by_kind
    assert sum(len(group) for group in groups.values()) == len(view.items)
    assert list(groups) == list(dict.fromkeys(item.kind for item in view.items))
    assert all(len({item.kind for item in group}) == 1 for group in groups.values())


# -- Reports ------------------------------------------------------------------------------------


def test_an_admins_unfiltered_report_covers_every_office(store: Store) -> None:
    view = report_of(store)
    assert view.offices is None
    assert view.report.offices == ALL_OFFICES


def test_a_coordinators_report_covers_their_office_only(store: Store) -> None:
    view = report_of(store, BRUSSELS)
    assert view.offices == ("Brussels",)
    assert view.report.offices == ("Brussels",)
    assert list(view.report.by_office["office"]) == ["Brussels"]


def test_the_office_filter_narrows_an_admins_report(store: Store) -> None:
    view = report_of(store, chosen=("Antwerp",))
    assert view.offices == view.report.offices == ("Antwerp",)


def test_the_report_is_that_of_the_period_asked_for(store: Store) -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    report = report_view(load(store, ADMIN), start, end, TODAY).report
    assert (report.start, report.end) == (start, end)
    longer = report_view(load(store, ADMIN), start, TODAY, TODAY).report
    assert longer.summary.applicants >= report.summary.applicants


def test_today_and_reports_show_the_same_figures_of_today(store: Store) -> None:
    for user, chosen in ((ADMIN, ()), (ADMIN, ("Antwerp",)), (BRUSSELS, ())):
        assert report_of(store, user, chosen).now == today_of(store, user, chosen).figures


def test_a_coordinators_figures_count_their_office_only(store: Store) -> None:
    admin, coordinator = today_of(store).figures, today_of(store, ANTWERP).figures
    assert 0 < coordinator.active_duos < admin.active_duos
    assert set(coordinator.waiting["office"]) <= {"Antwerp"}


# -- computed once per data version -------------------------------------------------------------


def test_the_views_are_computed_once_per_data_version(store: Store) -> None:
    first, again = today_of(store), today_of(store)
    assert first.items is again.items and first.figures is again.figures
    assert report_of(store).now is first.figures
    assert report_of(store).report is report_of(store).report


def test_a_write_gives_fresh_figures(store: Store) -> None:
    before = today_of(store).figures
    active = store.table("Duos").frame
    duo = active[active["Status"].map(str) == "Active"].iloc[0]
    store.update("Duos", duo["ID"], {"Status": "Completed"}, "staff")
    after = today_of(store).figures
    assert after is not before
    assert after.active_duos == before.active_duos - 1
    assert cell_text(store.table("Duos").record(duo["ID"]) or {}, "Status") == "Completed"


def test_each_office_view_and_day_has_its_own_figures(store: Store) -> None:
    admin, coordinator = today_of(store), today_of(store, BRUSSELS)
    assert admin.figures is not coordinator.figures
    tomorrow = today_view(load(store, ADMIN), TODAY + dt.timedelta(days=1))
    assert tomorrow.items is not admin.items
