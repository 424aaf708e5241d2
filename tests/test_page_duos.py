"""The Duos page end to end in AppTest, on a fresh copy of the demo workbook per test."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import clock
from access import User
from tests.apptest import ANTWERP, BRUSSELS, assert_no_exception, error_under, open_page, store_of
from ui.feedback import CONFLICTS
from workflow import add_months, cell_date, cell_text, live_duos_of, records

TODAY = clock.today()


def a_duo(workbook: Path, status: str, office: str = "Brussels") -> dict[str, Any]:
    """A duo of that status and office; a live one's mentor and mentee are in it alone."""
    tables = store_of(workbook).read(["Duos", "Participants"])
    duos = records(tables["Duos"].frame)
    in_duo = {
        cell_text(p, "ID") for p in records(tables["Participants"].frame) if p["Status"] == "In duo"
    }
    for duo in duos:
        pair = [cell_text(duo, "Mentor ID"), cell_text(duo, "Mentee ID")]
        alone = all(p in in_duo and len(live_duos_of(p, duos)) == 1 for p in pair)
        if duo["Status"] == status and duo["Office"] == office and (alone or status == "Completed"):
            return duo
    raise LookupError(f"no {status} duo in {office}")


def duo_page(duo_id: str, user: User = BRUSSELS, lang: str = "en") -> AppTest:
    app = open_page("duos.py", user=user, lang=lang, query={"id": duo_id})
    assert_no_exception(app)
    return app


def key(duo_id: str, form: str, field: str, generation: int = 0) -> str:
    """A form widget's key; the forms' generation goes up with each save (empty forms)."""
    return f"duo-{duo_id}-{generation}-{form}-{field}"


def send(app: AppTest, duo_id: str, form: str) -> AppTest:
    app.button(key=key(duo_id, form, "submit", generation(app))).click()
    app.run()
    assert_no_exception(app)
    return app


def generation(app: AppTest) -> int:
    return int(app.session_state["duos-forms"]) if "duos-forms" in app.session_state else 0


def saved(workbook: Path, tab: str, record_id: str) -> dict[str, Any]:
    record = store_of(workbook).table(tab).record(record_id)
    assert record is not None
    return record


def people_statuses(workbook: Path, duo: dict[str, Any]) -> list[str]:
    return [
        saved(workbook, "Participants", duo[column])["Status"]
        for column in ("Mentor ID", "Mentee ID")
    ]


def rows_of(workbook: Path, tab: str, duo_id: str) -> list[dict[str, Any]]:
    return [row for row in records(store_of(workbook).table(tab).frame) if row["Duo ID"] == duo_id]


def errors(app: AppTest) -> list[str]:
    return [str(element.value) for element in app.error]


@pytest.mark.parametrize(
    ("lang", "title", "back"),
    [
        ("fr", "Duos", "Retour à la liste"),
        ("nl", "Duo's", "Terug naar de lijst"),
        ("en", "Duos", "Back to the list"),
    ],
)
def test_the_list_and_a_duo_open_in_each_language(
    workbook: Path, lang: str, title: str, back: str
) -> None:
    app = open_page("duos.py", user=BRUSSELS, lang=lang)
    assert_no_exception(app)
    assert app.title[0].value == title
    assert len(app.dataframe) == 1
    duo = a_duo(workbook, "Active")
    app.query_params["id"] = duo["ID"]
    app.run()
    assert_no_exception(app)
    assert app.button(key="duos-back").label == back
    assert app.button(key=key(duo["ID"], "meeting", "submit"))


def test_planning_the_intro_moves_a_proposed_duo_on(workbook: Path) -> None:
    duo = a_duo(workbook, "Proposed")
    app = duo_page(duo["ID"])
    on = TODAY + timedelta(days=4)
    app.date_input(key=key(duo["ID"], "plan-intro", "date")).set_value(on)
    send(app, duo["ID"], "plan-intro")
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], cell_date(row, "Intro on")) == ("Intro planned", on)


def test_the_agreement_makes_the_duo_active_for_six_months(workbook: Path) -> None:
    duo = a_duo(workbook, "Intro planned")
    app = duo_page(duo["ID"], lang="fr")
    on = max(cell_date(duo, "Intro on") or TODAY, TODAY - timedelta(days=30))
    on = min(on, TODAY)
    app.date_input(key=key(duo["ID"], "agreement", "date")).set_value(on)
    app.text_area(key=key(duo["ID"], "agreement", "objectives")).input("Emploi en logistique")
    send(app, duo["ID"], "agreement")
    row = saved(workbook, "Duos", duo["ID"])
    assert row["Status"] == "Active"
    assert cell_date(row, "Planned end") == add_months(on, 6)
    assert row["Objectives"] == "Emploi en logistique"


def test_a_decline_needs_a_reason_then_sends_both_back_to_ready(workbook: Path) -> None:
    duo = a_duo(workbook, "Intro planned")
    app = duo_page(duo["ID"])
    app.radio(key=key(duo["ID"], "decline", "by")).set_value("Mentor")
    send(app, duo["ID"], "decline")
    assert "Please give a reason: choose one from the list or write it." in errors(app)
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Intro planned"
    assert app.radio(key=key(duo["ID"], "decline", "by")).value == "Mentor", "input kept"
    app.selectbox(key=key(duo["ID"], "decline", "reason")).set_value("No click at first meeting")
    send(app, duo["ID"], "decline")
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], row["End reason"]) == ("Declined", "Mentor: No click at first meeting")
    assert people_statuses(workbook, duo) == ["Ready", "Ready"]


def test_a_meeting_is_checked_then_logged_by_the_coordinator(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    before = len(rows_of(workbook, "Meetings", duo["ID"]))
    app = duo_page(duo["ID"])
    app.date_input(key=key(duo["ID"], "meeting", "date")).set_value(TODAY + timedelta(days=2))
    app.number_input(key=key(duo["ID"], "meeting", "hours")).set_value(10.0)
    app.text_area(key=key(duo["ID"], "meeting", "summary")).input("Mock interview")
    send(app, duo["ID"], "meeting")
    assert "in the future" in error_under(app, key(duo["ID"], "meeting", "date"))
    assert "between 0.5 and 8 hours, not 10" in error_under(app, key(duo["ID"], "meeting", "hours"))
    assert len(rows_of(workbook, "Meetings", duo["ID"])) == before
    assert app.text_area(key=key(duo["ID"], "meeting", "summary")).value == "Mock interview"
    app.date_input(key=key(duo["ID"], "meeting", "date")).set_value(TODAY)
    app.number_input(key=key(duo["ID"], "meeting", "hours")).set_value(1.5)
    app.radio(key=key(duo["ID"], "meeting", "mode")).set_value("Phone")
    app.multiselect(key=key(duo["ID"], "meeting", "topics")).set_value(["Interview practice"])
    send(app, duo["ID"], "meeting")
    [meeting] = [m for m in rows_of(workbook, "Meetings", duo["ID"]) if m["Summary"]][-1:]
    assert (meeting["Hours"], meeting["Mode"], meeting["Topics"]) == (
        1.5,
        "Phone",
        ["Interview practice"],
    )
    assert (meeting["Summary"], meeting["Logged by"]) == ("Mock interview", BRUSSELS.name)
    assert len(rows_of(workbook, "Meetings", duo["ID"])) == before + 1
    emptied = app.text_area(key=key(duo["ID"], "meeting", "summary", generation(app)))
    assert emptied.value == "", "the saved form comes back empty"


def test_a_check_in_lands_with_its_health(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    app = duo_page(duo["ID"], lang="nl")
    send(app, duo["ID"], "check-in")
    assert errors(app) == ["Geef aan hoe het met het duo gaat: goed, enkele zorgen of risico."]
    assert error_under(app, key(duo["ID"], "check-in", "health")) == errors(app)[0]
    app.radio(key=key(duo["ID"], "check-in", "health")).set_value("At risk")
    app.text_input(key=key(duo["ID"], "check-in", "follow-up")).input("Call the mentee")
    send(app, duo["ID"], "check-in")
    check_in = rows_of(workbook, "Check-ins", duo["ID"])[-1]
    assert (check_in["Health"], check_in["With"], check_in["Follow-up"]) == (
        "At risk",
        "Both",
        "Call the mentee",
    )
    assert check_in["Coordinator"] == BRUSSELS.name


def complete_early(app: AppTest, duo_id: str, reason: str = "Found a job") -> AppTest:
    """Send "Programme completed" before the planned end, then confirm it with a reason."""
    send(app, duo_id, "complete")
    app.text_input(key=key(duo_id, "complete-early", "reason-own")).input(reason)
    return send(app, duo_id, "complete-early")


def test_completing_before_the_planned_end_asks_to_confirm_with_a_reason(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    assert (cell_date(duo, "Planned end") or TODAY) > TODAY
    app = duo_page(duo["ID"])
    present = {str(button.key) for button in app.button}
    assert key(duo["ID"], "complete-early", "submit") not in present
    send(app, duo["ID"], "complete")
    assert "needs a confirmation and a reason" in app.warning[-1].value
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Active"
    send(app, duo["ID"], "complete-early")
    assert any("needs a reason" in str(error.value) for error in app.error)
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Active"
    app.text_input(key=key(duo["ID"], "complete-early", "reason-own")).input("Found a job")
    send(app, duo["ID"], "complete-early")
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], row["End reason"]) == ("Completed", "Found a job")
    assert cell_date(row, "Ended on") == TODAY
    assert people_statuses(workbook, duo) == ["Alumni", "Alumni"]


def test_completing_on_the_agreement_day_can_be_taken_back(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    agreed = cell_date(duo, "Agreement on")
    app = duo_page(duo["ID"])
    app.date_input(key=key(duo["ID"], "complete", "date")).set_value(agreed)
    send(app, duo["ID"], "complete")
    assert "The agreement was signed on" in app.warning[-1].value
    app.button(key=key(duo["ID"], "complete-pending", "back")).click()
    app.run()
    assert_no_exception(app)
    assert not app.warning
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Active"


def test_completing_on_the_planned_end_is_a_plain_step(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    store_of(workbook).update("Duos", duo["ID"], {"Planned end": TODAY}, "staff@sheet")
    app = duo_page(duo["ID"])
    send(app, duo["ID"], "complete")
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], row["End reason"]) == ("Completed", "")


def test_completing_makes_both_alumni_and_a_proposed_duo_offers_no_ending(
    workbook: Path,
) -> None:
    duo = a_duo(workbook, "Active")
    app = duo_page(duo["ID"])
    complete_early(app, duo["ID"])
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Completed"
    assert people_statuses(workbook, duo) == ["Alumni", "Alumni"]
    proposed = a_duo(workbook, "Proposed")
    app = duo_page(proposed["ID"])
    present = {str(button.key) for button in app.button}
    assert key(proposed["ID"], "plan-intro", "submit") in present
    assert key(proposed["ID"], "complete", "submit") not in present
    assert key(proposed["ID"], "meeting", "submit") not in present


def test_an_early_end_takes_a_reason_in_the_coordinators_words(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    app = duo_page(duo["ID"])
    app.text_input(key=key(duo["ID"], "end-early", "reason-own")).input("Moved to Ghent")
    app.radio(key=key(duo["ID"], "end-early", "mentor-to")).set_value("Alumni")
    send(app, duo["ID"], "end-early")
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], row["End reason"]) == ("Ended early", "Moved to Ghent")
    assert people_statuses(workbook, duo) == ["Alumni", "Ready"]


def test_a_second_evaluation_by_the_same_respondent_asks_to_confirm(workbook: Path) -> None:
    duo = a_duo(workbook, "Completed")
    before = len(rows_of(workbook, "Evaluations", duo["ID"]))
    app = duo_page(duo["ID"])

    def fill() -> None:
        def field(name: str) -> str:
            return key(duo["ID"], "evaluation", name, generation(app))

        app.radio(key=field("respondent")).set_value("Mentee")
        app.radio(key=field("objectives-met")).set_value("Yes")
        app.radio(key=field("satisfaction")).set_value(5)
        app.selectbox(key=field("outcome")).set_value("Job")
        app.selectbox(key=field("contract")).set_value("3 months or more")

    fill()
    send(app, duo["ID"], "evaluation")
    if not app.warning:
        assert len(rows_of(workbook, "Evaluations", duo["ID"])) == before + 1
        before += 1
        fill()
        send(app, duo["ID"], "evaluation")
    assert "Record a second one?" in app.warning[-1].value
    assert len(rows_of(workbook, "Evaluations", duo["ID"])) == before
    app.button(key=key(duo["ID"], "evaluation-pending", "confirm", generation(app))).click()
    app.run()
    assert_no_exception(app)
    evaluations = rows_of(workbook, "Evaluations", duo["ID"])
    assert len(evaluations) == before + 1
    assert (evaluations[-1]["Respondent"], evaluations[-1]["Contract"]) == (
        "Mentee",
        "3 months or more",
    )


def test_a_status_changed_in_the_sheet_meanwhile_is_shown_as_a_conflict(workbook: Path) -> None:
    duo = a_duo(workbook, "Active")
    app = duo_page(duo["ID"])
    store_of(workbook).update("Duos", duo["ID"], {"Status": "Ended early"}, "staff@sheet")
    complete_early(app, duo["ID"])
    [(change, conflict)] = app.session_state[CONFLICTS]
    assert (change.record_id, conflict.column) == (duo["ID"], "Status")
    assert (conflict.current, conflict.proposed) == ("Ended early", "Completed")
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Ended early"
    assert people_statuses(workbook, duo) == ["In duo", "In duo"]


def test_a_coordinator_of_antwerp_cannot_open_a_brussels_duo_by_its_id(workbook: Path) -> None:
    duo = a_duo(workbook, "Active", office="Brussels")
    app = duo_page(duo["ID"], user=ANTWERP)
    assert any(duo["ID"] in error and "another office" in error for error in errors(app))
    assert not [button for button in app.button if str(button.key).startswith("duo-")]
    assert not any(duo["Mentor ID"] in str(markdown.value) for markdown in app.markdown)


def test_after_a_conflict_the_coordinator_may_keep_the_sheet_or_redo_the_action(
    workbook: Path,
) -> None:
    duo = a_duo(workbook, "Intro planned")
    app = duo_page(duo["ID"])
    store_of(workbook).update("Duos", duo["ID"], {"Status": "Proposed"}, "staff@sheet")
    on = TODAY + timedelta(days=9)
    app.date_input(key=key(duo["ID"], "plan-intro", "date")).set_value(on)
    send(app, duo["ID"], "plan-intro")
    assert any("changed these cells" in warning.value for warning in app.warning)
    assert saved(workbook, "Duos", duo["ID"])["Status"] == "Proposed"
    app.button(key="conflict-redo").click().run()
    assert_no_exception(app)
    row = saved(workbook, "Duos", duo["ID"])
    assert (row["Status"], cell_date(row, "Intro on")) == ("Intro planned", on)
    assert not app.session_state[CONFLICTS]


LINK_SECRETS = {"links": {"secret_key": "a-test-key-of-more-than-16-chars"}}


def test_an_active_duo_shows_personal_meeting_log_links_that_can_be_revoked(
    workbook: Path,
) -> None:
    from links import verify

    duo = a_duo(workbook, "Active")
    app = open_page("duos.py", user=BRUSSELS, query={"id": duo["ID"]}, secrets=LINK_SECRETS)
    assert_no_exception(app)
    links = [code.value for code in app.code]
    assert len(links) == 2 and all("/log?t=" in link for link in links)
    token = links[0].split("t=", 1)[1]
    claims = verify(token, LINK_SECRETS["links"]["secret_key"], TODAY)
    assert (claims.duo_id, claims.role) == (duo["ID"], "mentor")
    app.button(key=f"duo-{duo['ID']}-revoke-links").click().run()
    assert_no_exception(app)
    assert saved(workbook, "Duos", duo["ID"])["Link version"] == 2
    assert next(code.value for code in app.code) != links[0]


def test_links_are_not_offered_without_a_key_or_for_a_duo_not_active(workbook: Path) -> None:
    active = a_duo(workbook, "Active")
    assert not open_page("duos.py", user=BRUSSELS, query={"id": active["ID"]}).code
    proposed = a_duo(workbook, "Proposed")
    app = open_page("duos.py", user=BRUSSELS, query={"id": proposed["ID"]}, secrets=LINK_SECRETS)
    assert not app.code
