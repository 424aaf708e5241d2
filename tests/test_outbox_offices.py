"""Coordinators work the Outbox of their own offices (no mail server needed): they see the
messages about their offices' duos, sessions and people and those to themselves, open them in
their mail app, mark them sent or cancel them; the rights are the service's."""

from __future__ import annotations

from typing import Any

import pytest

from messages import MEETING_LOG_LINK, WEEKLY_DIGEST, Draft
from services.offices import OutOfOffice
from services.outbox import (
    CANCELLED,
    QUEUED,
    SENT,
    cancel_for,
    mark_sent_for,
    outbox_rows,
    queue,
    rows_in_view,
)
from sheets.store import Store
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, assert_no_exception, open_page, store_of
from workflow import cell_text, records

PAGE = "outbox.py"


def duo_of(store: Store, office: str) -> str:
    return next(
        cell_text(duo, "ID")
        for duo in records(store.table("Duos").frame)
        if cell_text(duo, "Office") == office
    )


def a_draft(key: str, to: str, record_id: str, kind: str = MEETING_LOG_LINK) -> Draft:
    return Draft(kind, to, "Someone", "fr", f"Subject {key}", f"Body {key}", record_id, key)


def queued(workbook: Any) -> dict[str, str]:
    """Queue one message about a Brussels duo, one about an Antwerp duo, the Brussels
    coordinator's digest and one about no known record; their row IDs by name."""
    store = store_of(workbook)
    drafts = {
        "brussels": a_draft("k:bxl", "ann@example.org", duo_of(store, "Brussels")),
        "antwerp": a_draft("k:ant", "bob@example.org", duo_of(store, "Antwerp")),
        "digest": a_draft("k:digest", BRUSSELS.email, "", WEEKLY_DIGEST),
        "unknown": a_draft("k:unknown", "cat@example.org", "X-404"),
    }
    ids = queue(store, list(drafts.values()), "tests")
    return dict(zip(drafts, ids, strict=True))


def statuses(workbook: Any) -> dict[str, str]:
    rows = outbox_rows(store_of(workbook).read(["Outbox"], fresh=True)["Outbox"].frame)
    return {row.id: row.status for row in rows}


def test_a_coordinator_sees_their_offices_messages_and_their_own(workbook: Any) -> None:
    ids = queued(workbook)
    store = store_of(workbook)
    assert {row.id for row in rows_in_view(store, BRUSSELS)} == {ids["brussels"], ids["digest"]}
    assert {row.id for row in rows_in_view(store, ANTWERP)} == {ids["antwerp"]}
    assert {row.id for row in rows_in_view(store, ADMIN)} == set(ids.values())


def test_a_coordinator_cannot_cancel_or_mark_another_offices_message(workbook: Any) -> None:
    ids = queued(workbook)
    store = store_of(workbook)
    for action in (cancel_for, mark_sent_for):
        for other in (ids["antwerp"], ids["unknown"]):
            with pytest.raises(OutOfOffice):
                action(store, BRUSSELS, other)
    assert set(statuses(workbook).values()) == {QUEUED}


def test_a_coordinator_marks_their_offices_message_sent_and_cancels_their_digest(
    workbook: Any,
) -> None:
    ids = queued(workbook)
    store = store_of(workbook)
    mark_sent_for(store, BRUSSELS, ids["brussels"])
    cancel_for(store, BRUSSELS, ids["digest"])
    cancel_for(store, ADMIN, ids["unknown"])
    after = statuses(workbook)
    assert (after[ids["brussels"]], after[ids["digest"]]) == (SENT, CANCELLED)
    assert (after[ids["antwerp"]], after[ids["unknown"]]) == (QUEUED, CANCELLED)
    audit = store.read(["Audit"], fresh=True)["Audit"].frame
    assert BRUSSELS.email in set(audit["Who"])


def test_a_coordinators_messages_page_offers_only_their_rows_and_no_templates(
    workbook: Any,
) -> None:
    ids = queued(workbook)
    app = open_page(PAGE, user=BRUSSELS)
    assert_no_exception(app)
    assert "messages-template-kind" not in [box.key for box in app.selectbox]
    assert not any(button.key == "messages-dry-run" for button in app.button)
    options = app.selectbox(key="messages-queued-pick").options
    assert len(options) == 2 and all(ids["antwerp"] not in option for option in options)
    app.selectbox(key="messages-queued-pick").select(ids["brussels"]).run()
    assert len(list(app.get("link_button"))) == 1
    app.button(key=f"messages-sent-{ids['brussels']}").click().run()
    assert_no_exception(app)
    assert statuses(workbook)[ids["brussels"]] == SENT
    app.selectbox(key="messages-queued-pick").select(ids["digest"]).run()
    app.button(key="messages-cancel").click().run()
    assert_no_exception(app)
    assert statuses(workbook)[ids["digest"]] == CANCELLED
    assert statuses(workbook)[ids["antwerp"]] == QUEUED
