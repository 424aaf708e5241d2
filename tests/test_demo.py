"""The synthetic demo records: plausible, consistent across tabs, and deterministic."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from typing import Any

import pytest

import clock
import demo
from demo.data import LANGUAGES as DEMO_LANGUAGES
from sheets.schema import LANGUAGES, SLOTS, TABS, Kind, tab
from workflow import add_months, age_on

TODAY = dt.date(2026, 3, 4)
LIVE = ("Proposed", "Intro planned", "Active")
Tables = dict[str, list[dict[str, object]]]


@pytest.fixture(scope="module")
def records() -> Tables:
    return demo.generate(seed=2013, scale=1.0, today=TODAY)


def by_id(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {row["ID"]: row for row in rows}


def date(row: dict[str, object], column: str) -> dt.date:
    value = row[column]
    assert isinstance(value, dt.date), (column, value)
    return value


def number(row: dict[str, object], column: str) -> float:
    value = row[column]
    assert isinstance(value, int | float), (column, value)
    return float(value)


def words(row: dict[str, object], column: str) -> list[str]:
    value = row.get(column, [])
    assert isinstance(value, list), (column, value)
    return [str(item) for item in value]


def test_the_same_seed_scale_and_day_give_the_same_records(records: Tables) -> None:
    assert demo.generate(seed=2013, scale=1.0, today=TODAY) == records


def test_another_seed_gives_other_people(records: Tables) -> None:
    other = demo.generate(seed=7, scale=1.0, today=TODAY)
    assert [p["ID"] for p in other["Participants"]] != [p["ID"] for p in records["Participants"]]


SELF_REPORTED = {"Autonomy", "Career plan", "Network", "Another mentee", "Source"}
"""The evaluation's own questions, named as the Evaluations tab names them (the self-filled
evaluation adds them to the schema)."""


def test_every_tab_of_the_schema_is_there_with_only_its_own_columns(records: Tables) -> None:
    assert set(records) == {t.name for t in TABS}
    for name, rows in records.items():
        columns = set(tab(name).column_names) | (SELF_REPORTED if name == "Evaluations" else set())
        assert all(set(row) <= columns for row in rows), name


def test_demo_scale_has_three_offices_and_about_120_mentors_and_150_mentees(
    records: Tables,
) -> None:
    roles = Counter(p["Role"] for p in records["Participants"])
    assert {p["Office"] for p in records["Participants"]} == {"Brussels", "Antwerp", "Liège"}
    assert 110 <= roles["Mentor"] <= 130 and 140 <= roles["Mentee"] <= 160
    assert 80 <= len(records["Duos"]) <= 160
    assert 1200 <= len(records["Meetings"]) <= 3200
    assert len(records["Check-ins"]) >= 200
    assert len(records["Evaluations"]) >= 60
    kinds = Counter(s["Kind"] for s in records["Sessions"])
    assert set(kinds) == {"Info session", "Training", "Peer exchange"}
    assert len(records["Attendance"]) >= 300


@pytest.mark.parametrize("seed", [2013, 1, 99])
def test_duos_are_shown_in_every_status(seed: int) -> None:
    duos = demo.generate(seed=seed, today=TODAY)["Duos"]
    statuses = {duo["Status"] for duo in duos}
    assert statuses == set(tab("Duos").column("Status").choice_values)


def test_participants_are_shown_in_every_status_and_leavers_say_why(records: Tables) -> None:
    participants = records["Participants"]
    statuses = {p["Status"] for p in participants}
    assert statuses == set(tab("Participants").column("Status").choice_values)
    for person in participants:
        if person["Status"] in ("Withdrawn", "On hold"):
            assert str(person.get("Notes", "")).strip(), person["ID"]


def test_every_value_has_its_column_type_and_every_choice_is_a_schema_choice(
    records: Tables,
) -> None:
    types: dict[Kind, type | tuple[type, ...]] = {
        Kind.TEXT: str,
        Kind.ID: str,
        Kind.CHOICE: str,
        Kind.DATE: dt.date,
        Kind.TIMESTAMP: dt.datetime,
        Kind.NUMBER: (int, float),
        Kind.BOOL: bool,
        Kind.LIST: list,
        Kind.SLOTS: list,
    }
    for name, rows in records.items():
        for row in rows:
            for column_name, value in row.items():
                if name == "Evaluations" and column_name in SELF_REPORTED - set(
                    tab(name).column_names
                ):
                    assert value in ("Yes", "Partly", "No", "Maybe", "Coordinator", "Self-filled")
                    continue
                column = tab(name).column(column_name)
                assert isinstance(value, types[column.kind]), (name, column_name, value)
                if column.kind is Kind.DATE:
                    assert not isinstance(value, dt.datetime), (name, column_name)
                if column.choices and value != "":
                    assert value in column.choice_values, (name, column_name, value)
                if column.kind is Kind.SLOTS:
                    assert set(words(row, column_name)) <= set(SLOTS)


def test_dropdown_values_come_from_the_lists_tab(records: Tables) -> None:
    lists: dict[str, set[object]] = {}
    for row in records["Lists"]:
        for column, value in row.items():
            if value != "":
                lists.setdefault(column, set()).add(value)
    assert len(lists["Sectors"]) >= 18 and len(lists["Languages"]) >= 16
    assert {"CV", "Cover letter", "Interview practice"} <= lists["Topics"]
    for name in ("Participants", "Duos", "Meetings", "Sessions"):
        for definition in tab(name).columns:
            if definition.lists_column is None:
                continue
            for row in records[name]:
                value = row.get(definition.name, "")
                values = value if isinstance(value, list) else [value] if value else []
                assert set(values) <= lists[definition.lists_column], (name, definition.name)


def test_demo_languages_are_canonical_names_not_aliases_of_another_language() -> None:
    aliases = {spelling: names[0] for names in LANGUAGES for spelling in names[1:]}
    assert [name for name in DEMO_LANGUAGES if name in aliases] == []


def test_every_duo_links_a_mentor_and_a_mentee_of_its_office(records: Tables) -> None:
    people = by_id(records["Participants"])
    for duo in records["Duos"]:
        mentor, mentee = people[duo["Mentor ID"]], people[duo["Mentee ID"]]
        assert mentor["Role"] == "Mentor" and mentee["Role"] == "Mentee"
        assert mentor["Office"] == mentee["Office"] == duo["Office"]


def test_people_in_a_live_duo_are_in_duo_and_only_they_are(records: Tables) -> None:
    live: Counter[object] = Counter()
    for duo in records["Duos"]:
        if duo["Status"] in LIVE:
            live[duo["Mentor ID"]] += 1
            live[duo["Mentee ID"]] += 1
    for person in records["Participants"]:
        assert (person["Status"] == "In duo") == (person["ID"] in live), person["ID"]
        if person["Role"] == "Mentee":
            assert live[person["ID"]] <= 1


def test_no_mentor_has_more_live_duos_than_their_capacity(records: Tables) -> None:
    people = by_id(records["Participants"])
    live = Counter(duo["Mentor ID"] for duo in records["Duos"] if duo["Status"] in LIVE)
    for mentor_id, count in live.items():
        assert count <= number(people[mentor_id], "Capacity")


def test_alumni_mentees_finished_a_duo(records: Tables) -> None:
    ended = {d["Mentee ID"] for d in records["Duos"] if d["Status"] in ("Completed", "Ended early")}
    for person in records["Participants"]:
        if person["Role"] == "Mentee" and person["Status"] == "Alumni":
            assert person["ID"] in ended


def test_mentees_are_18_to_33_and_mentors_50_to_75_when_they_apply(records: Tables) -> None:
    for person in records["Participants"]:
        age = age_on(date(person, "Birth date"), date(person, "Applied on"))
        if person["Role"] == "Mentee":
            assert 18 <= age <= 33, person["ID"]
        else:
            assert 50 <= age <= 75, person["ID"]


def test_pipeline_dates_follow_each_other_and_the_status(records: Tables) -> None:
    for person in records["Participants"]:
        applied = date(person, "Applied on")
        assert applied <= TODAY
        if "Intake on" in person:
            assert applied <= date(person, "Intake on") <= TODAY
        if "Trained on" in person:
            assert person["Role"] == "Mentor"
            assert date(person, "Intake on") <= date(person, "Trained on") <= TODAY
        if person["Status"] in ("Intake done", "Trained", "Ready", "In duo", "Alumni"):
            assert "Intake on" in person, person["ID"]
        if person["Role"] == "Mentor" and person["Status"] in ("Ready", "In duo", "Alumni"):
            assert "Trained on" in person, person["ID"]


def test_duo_dates_follow_the_steps_of_the_programme(records: Tables) -> None:
    for duo in records["Duos"]:
        assert date(duo, "Proposed on") <= TODAY
        if duo["Status"] == "Proposed":
            assert "Intro on" not in duo
        else:
            assert date(duo, "Proposed on") < date(duo, "Intro on")
        if duo["Status"] in ("Active", "Completed", "Ended early"):
            agreement = date(duo, "Agreement on")
            assert date(duo, "Intro on") <= agreement <= TODAY
            assert date(duo, "Planned end") == add_months(agreement, 6)
        if duo["Status"] in ("Completed", "Ended early", "Declined"):
            assert date(duo, "Ended on") <= TODAY
        if duo["Status"] in ("Ended early", "Declined"):
            assert duo["End reason"]


def test_meetings_happen_while_the_duo_runs_about_weekly_for_two_hours(records: Tables) -> None:
    duos = by_id(records["Duos"])
    for meeting in records["Meetings"]:
        duo = duos[meeting["Duo ID"]]
        assert duo["Status"] in ("Active", "Completed", "Ended early")
        end = date(duo, "Ended on") if "Ended on" in duo else TODAY
        assert date(duo, "Agreement on") <= date(meeting, "Date") <= end
    completed = [d["ID"] for d in records["Duos"] if d["Status"] == "Completed"]
    per_duo = Counter(m["Duo ID"] for m in records["Meetings"])
    assert sum(per_duo[duo_id] for duo_id in completed) / len(completed) >= 20
    hours = [number(m, "Hours") for m in records["Meetings"]]
    assert 1.5 <= sum(hours) / len(hours) <= 2.2


def test_some_active_duo_has_gone_quiet_for_21_days(records: Tables) -> None:
    last: dict[object, dt.date] = {}
    for meeting in records["Meetings"]:
        day = date(meeting, "Date")
        last[meeting["Duo ID"]] = max(day, last.get(meeting["Duo ID"], day))
    quiet = [
        duo
        for duo in records["Duos"]
        if duo["Status"] == "Active" and (TODAY - last.get(duo["ID"], TODAY)).days > 21
    ]
    assert quiet


def test_the_to_do_list_has_waiting_mentees_and_missing_consents(records: Tables) -> None:
    participants = records["Participants"]
    assert any(p["Status"] == "Ready" and p["Role"] == "Mentee" for p in participants)
    assert any("Consent on" not in p for p in participants)


def test_check_ins_rate_the_health_of_running_or_ended_duos(records: Tables) -> None:
    duos = by_id(records["Duos"])
    for check_in in records["Check-ins"]:
        duo = duos[check_in["Duo ID"]]
        assert date(duo, "Agreement on") <= date(check_in, "Date") <= TODAY
    health = Counter(c["Health"] for c in records["Check-ins"])
    assert health["Good"] > health["Some concerns"] > 0 and health["At risk"] > 0


def test_evaluations_are_for_ended_duos_and_outcomes_match_the_reported_rates() -> None:
    records = demo.generate(seed=5, scale=4.0, today=TODAY)
    duos = by_id(records["Duos"])
    assert all(
        duos[e["Duo ID"]]["Status"] in ("Completed", "Ended early") for e in records["Evaluations"]
    )
    verdicts = [e for e in records["Evaluations"] if e["Respondent"] == "Coordinator"]
    positive = sum(e["Outcome"] in ("Job", "Internship", "Training") for e in verdicts)
    stable = sum(e["Contract"] in ("Permanent", "3 months or more") for e in verdicts)
    assert 0.6 <= positive / len(verdicts) <= 0.8
    assert 0.4 <= stable / len(verdicts) <= 0.6


def test_sessions_and_attendance_refer_to_each_other_and_to_people(records: Tables) -> None:
    sessions = by_id(records["Sessions"])
    people = by_id(records["Participants"])
    for row in records["Attendance"]:
        session = sessions[row["Session ID"]]
        person = people[row["Participant ID"]]
        assert session["Office"] == person["Office"]
        assert (row["Status"] == "Registered") == (date(session, "Date") > TODAY)
        if session["Kind"] != "Info session":
            assert person["Role"] == "Mentor"
    languages = {(s["Office"], s["Language"]) for s in records["Sessions"]}
    assert ("Brussels", "Dutch") in languages and ("Liège", "French") in languages


def test_personal_details_are_synthetic_and_reserved(records: Tables) -> None:
    domains = ("@example.org", "@example.com", "@example.net")
    emails = [p["Email"] for p in records["Participants"]] + [s["Email"] for s in records["Staff"]]
    assert all(str(email).endswith(domains) for email in emails)
    assert len(set(emails)) == len(emails)
    assert all(str(p["Phone"]).startswith("+32 470 00 ") for p in records["Participants"])


def test_people_speak_a_working_language_and_live_near_their_office(records: Tables) -> None:
    postcode_ranges = {"Brussels": (1000, 1210), "Antwerp": (2000, 2660), "Liège": (4000, 4690)}
    for person in records["Participants"]:
        languages = words(person, "Languages")
        assert {"French", "Dutch", "English"} & set(languages)
        if person["Office"] == "Liège":
            assert "French" in languages
        low, high = postcode_ranges[str(person["Office"])]
        assert low <= int(str(person["Postcode"])) <= high


def test_coordinators_are_staff_of_the_office(records: Tables) -> None:
    staff = {s["Name"]: s for s in records["Staff"]}
    assert Counter(s["Role"] for s in records["Staff"])["Admin"] == 1
    for row in records["Participants"] + records["Duos"]:
        if row.get("Coordinator"):
            assert row["Office"] in words(staff[row["Coordinator"]], "Offices")


def test_scale_2_roughly_doubles_and_adds_offices(records: Tables) -> None:
    bigger = demo.generate(seed=2013, scale=2.0, today=TODAY)
    for name in ("Participants", "Duos", "Meetings"):
        ratio = len(bigger[name]) / len(records[name])
        assert 1.6 <= ratio <= 2.4, (name, ratio)
    assert len({p["Office"] for p in bigger["Participants"]}) > 3


def test_today_defaults_to_the_current_day() -> None:
    records = demo.generate(scale=0.2)
    assert max(date(p, "Applied on") for p in records["Participants"]) <= clock.today()


# --- apply_quirks -----------------------------------------------------------------------


def as_cell(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plain_grids(records: Tables) -> dict[str, list[list[Any]]]:
    grids: dict[str, list[list[Any]]] = {}
    for definition in TABS:
        names = definition.column_names
        rows = [[as_cell(row.get(name, "")) for name in names] for row in records[definition.name]]
        grids[definition.name] = [list(names), *rows]
    return grids


def changed_cells(
    before: list[list[Any]], after: list[list[Any]]
) -> list[tuple[int, int, Any, Any]]:
    return [
        (r, c, old, new)
        for r, (row_before, row_after) in enumerate(zip(before, after, strict=True))
        for c, (old, new) in enumerate(zip(row_before, row_after, strict=True))
        if old != new
    ]


def test_quirks_are_exactly_the_documented_hand_edits(records: Tables) -> None:
    before = plain_grids(records)
    after = copy.deepcopy(before)
    demo.apply_quirks(after)

    participants = after["Participants"]
    width = len(participants[0])
    assert all(len(row) == width for grid in [participants] for row in grid)
    assert participants[0][-1] == "Remarque interne"
    blank = [i for i, row in enumerate(participants) if all(cell == "" for cell in row)]
    assert len(blank) == 1 and 1 < blank[0] < len(participants) - 1
    notes = [row[-1] for row in participants[1:] if row[-1]]
    assert len(notes) == 2
    restored = [row[:-1] for i, row in enumerate(participants) if i not in blank]
    header_changes = {
        (old, new) for r, _, old, new in changed_cells(before["Participants"], restored) if r == 0
    }
    assert header_changes == {("First name", "Prénom"), ("Birth date", "Date de naissance")}
    body_changes = [x for x in changed_cells(before["Participants"], restored) if x[0] > 0]
    assert len(body_changes) == 1
    _, column, old, new = body_changes[0]
    assert before["Participants"][0][column] == "Languages"
    assert new == old.replace(", ", "; ") and ";" in new

    [(_, column, old, new)] = changed_cells(before["Meetings"], after["Meetings"])
    assert before["Meetings"][0][column] == "Date"
    assert new == dt.date.fromisoformat(old).strftime("%d/%m/%Y")

    assert [(old, new) for _, _, old, new in changed_cells(before["Duos"], after["Duos"])] == [
        ("Active", "Actif")
    ]
    [(_, column, _, new)] = changed_cells(before["Staff"], after["Staff"])
    assert before["Staff"][0][column] == "Active" and new == "oui"

    untouched = set(before) - {"Participants", "Meetings", "Duos", "Staff"}
    assert all(before[name] == after[name] for name in untouched)


def test_quirks_accept_dates_and_lists_as_python_values(records: Tables) -> None:
    grids: dict[str, list[list[Any]]] = {
        "Meetings": [["ID", "Date"], ["M-1", dt.date(2026, 3, 4)]],
        "Participants": [["ID", "Languages"], ["P-1", ["French", "Arabic"]], ["P-2", []]],
    }
    demo.apply_quirks(grids)
    assert grids["Meetings"][1][1] == "04/03/2026"
    assert grids["Participants"][1][1] == "French; Arabic"
