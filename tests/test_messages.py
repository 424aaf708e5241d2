"""The messages' rules: templates and their placeholders, consent, language, dedupe keys,
the reminders due on a day, and the `.ics` invitations parsed back."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta

import pytest
from icalendar import Calendar

import messages
from attention import AttentionSettings
from invites import invitation
from messages import (
    END_REMINDER,
    KINDS,
    PLACEHOLDERS,
    QUIET_DUO_REMINDER,
    WEEKLY_DIGEST,
    Occasion,
    Recipient,
    StaffMember,
    Template,
    TemplateError,
    Workbook,
    can_contact,
    clock_text,
    dedupe_key,
    default_templates,
    draft,
    due_reminders,
    occasion_lines,
    recipient_language,
    render,
    template_problems,
    templates_from,
)
from tests.test_workflow import duo, duos, frame, people, person

TODAY = date(2026, 3, 16)
ANN = Recipient("ann@example.org", "Ann Peeters", "Ann", "nl", "P-ANN")


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def test_every_kind_has_a_default_template_in_each_language_that_uses_only_known_placeholders() -> (
    None
):
    templates = default_templates()
    for kind in KINDS:
        for language in ("fr", "nl", "en"):
            template = templates[(kind, language)]
            assert template_problems(kind, template.subject, template.body) == []


def test_an_unknown_placeholder_is_named_and_the_template_is_refused() -> None:
    problems = template_problems(QUIET_DUO_REMINDER, "Hi {first_name}", "Since {lastmeeting}")
    assert [problem.key for problem in problems] == ["messages.template_unknown"]
    assert problems[0].params["names"] == "{lastmeeting}"
    broken = Template(QUIET_DUO_REMINDER, "en", "Hi {first_name", "Body")
    with pytest.raises(TemplateError):
        render(broken, {})


def test_rendering_writes_dates_the_language_way_and_ends_with_how_to_stop() -> None:
    template = Template(END_REMINDER, "fr", "Fin le {planned_end}", "Bonjour {first_name}")
    rendered = render(template, {"planned_end": date(2026, 4, 1), "first_name": "Ann"})
    assert rendered.subject == "Fin le 01/04/2026"
    assert rendered.body.startswith("Bonjour Ann")
    assert "STOP" in rendered.body


def test_an_admins_template_row_replaces_the_default_of_its_kind_and_language_only() -> None:
    rows = frame(
        "Templates",
        [
            {"kind": WEEKLY_DIGEST, "language": "NL", "subject": "Week {week}", "body": "{items}"},
            {"kind": "no_such_kind", "language": "en", "subject": "x", "body": "y"},
        ],
    )
    templates = templates_from(rows)
    assert templates[(WEEKLY_DIGEST, "nl")].subject == "Week {week}"
    assert templates[(WEEKLY_DIGEST, "fr")] == default_templates()[(WEEKLY_DIGEST, "fr")]
    assert ("no_such_kind", "en") not in templates


def test_only_people_with_consent_who_did_not_opt_out_and_have_an_address_are_written_to() -> None:
    base = {"Email": "a@example.org", "Consent on": dt.datetime(2026, 1, 1), "Opted out on": None}
    assert can_contact(base)
    assert not can_contact({**base, "Consent on": None})
    assert not can_contact({**base, "Opted out on": dt.datetime(2026, 2, 1)})
    assert not can_contact({**base, "Email": ""})


def test_the_language_is_the_one_chosen_else_the_first_programme_language_spoken_else_default() -> (
    None
):
    assert recipient_language({"Language": "nl", "Languages": ["French"]}) == "nl"
    assert (
        recipient_language({"Language": "", "Languages": ["Arabic", "English", "French"]}) == "en"
    )
    assert recipient_language({"Language": "", "Languages": ["Arabic"]}, default="nl") == "nl"


def test_a_dedupe_key_names_kind_person_and_period() -> None:
    assert dedupe_key(END_REMINDER, "P-1", date(2026, 4, 1)) == "end_reminder:P-1:2026-04-01"


def test_unknown_time_and_place_are_left_out_of_the_message() -> None:
    lines = occasion_lines(Occasion(date(2026, 12, 3)), "en")
    assert lines == "Date: 03/12/2026"
    full = occasion_lines(Occasion(date(2026, 12, 3), "18:00", "", "Rue Haute 1"), "fr")
    assert full.splitlines() == ["Date : 03/12/2026", "Heure : 18:00", "Lieu : Rue Haute 1"]


@pytest.mark.parametrize(
    ("typed", "read"), [("9:30", "09:30"), ("18u", "18:00"), ("9h30", "09:30"), ("25:00", "")]
)
def test_times_staff_type_are_read_as_hours_and_minutes(typed: str, read: str) -> None:
    assert clock_text(typed) == read


def test_a_draft_is_in_the_recipients_language() -> None:
    values = {"link": "https://x/log?t=abc", "mentor": "Bob", "mentee": "Ann"}
    made = draft(default_templates(), messages.MEETING_LOG_LINK, ANN, values, "D-1", "k")
    assert made.language == "nl" and "Hallo Ann" in made.body and "https://x/log?t=abc" in made.body
    assert made.to == "ann@example.org" and made.record_id == "D-1"


def quiet_book(**extra: object) -> Workbook:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo", email="m@example.org", language="en"),
        person("P-MENTEE", "Mentee", "In duo", email="e@example.org", languages=["Dutch"]),
        person("P-OTHER", "Mentee", "In duo", email="o@example.org", opted_out_on="2026-02-01"),
    )
    all_duos = duos(
        duo("D-QUIET", agreement_on=ago(40), planned_end=ago(-150), office="Brussels"),
        duo("D-QUIET2", mentee="P-OTHER", agreement_on=ago(30), planned_end=ago(-150)),
    )
    return Workbook(participants, all_duos, frame("Meetings", []), **extra)  # type: ignore[arg-type]


def test_a_quiet_duo_reminds_each_consenting_person_once_per_quiet_stretch() -> None:
    due = due_reminders(quiet_book(), TODAY, default_templates(), AttentionSettings())
    quiet = [each for each in due if each.kind == QUIET_DUO_REMINDER]
    assert sorted(each.to for each in quiet) == ["e@example.org", "m@example.org"]
    by_to = {each.to: each for each in quiet}
    assert by_to["m@example.org"].language == "en" and by_to["e@example.org"].language == "nl"
    assert by_to["m@example.org"].dedupe_key == dedupe_key(QUIET_DUO_REMINDER, "P-MENTOR", ago(40))


def test_no_reminder_before_the_quiet_threshold() -> None:
    settings = AttentionSettings(quiet_duo_days=60)
    assert due_reminders(quiet_book(), TODAY, default_templates(), settings) == []


def test_the_end_reminder_comes_within_the_evaluation_notice_with_the_planned_end() -> None:
    participants = people(
        person("P-MENTOR", "Mentor", "In duo", email="m@example.org"),
        person("P-MENTEE", "Mentee", "In duo", email="e@example.org", language="fr"),
    )
    all_duos = duos(duo("D-END", agreement_on=ago(170), planned_end=ago(-10)))
    meetings = frame("Meetings", [{"duo_id": "D-END", "date": ago(2)}])
    book = Workbook(participants, all_duos, meetings)
    due = due_reminders(book, TODAY, default_templates(), AttentionSettings())
    assert {each.kind for each in due} == {END_REMINDER}
    mentee = next(each for each in due if each.to == "e@example.org")
    assert "26/03/2026" in mentee.subject
    assert mentee.dedupe_key == dedupe_key(END_REMINDER, "P-MENTEE", ago(-10))


def test_each_coordinator_gets_a_weekly_digest_of_their_offices_list() -> None:
    staff = (
        StaffMember("bxl@example.org", "Bea", ("Brussels",), False, "en"),
        StaffMember("ant@example.org", "Tom", ("Antwerp",), False, "nl"),
    )
    due = due_reminders(quiet_book(staff=staff), TODAY, default_templates(), AttentionSettings())
    digests = [each for each in due if each.kind == WEEKLY_DIGEST]
    assert [each.to for each in digests] == ["bxl@example.org"]
    assert digests[0].dedupe_key == "weekly_digest:bxl@example.org:2026-W12"
    assert "no meeting" in digests[0].body.lower() or "quiet" in digests[0].body.lower()


def test_every_kind_declares_its_placeholders() -> None:
    assert set(PLACEHOLDERS) == set(KINDS)


def test_a_session_invitation_parses_back_with_time_place_and_attendees() -> None:
    occasion = Occasion(date(2026, 12, 3), "18:00", "20:00", "Rue Haute 1, Bruxelles")
    text = invitation(
        "S-1",
        "Info session",
        occasion,
        dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC),
        organizer=("coord@example.org", "Coord"),
        attendees=[("ann@example.org", "Ann Peeters")],
    )
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert event.decoded("dtstart").hour == 18
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Brussels"
    assert event.decoded("dtend").hour == 20
    assert str(event["location"]) == "Rue Haute 1, Bruxelles"
    assert str(event["attendee"]) == "mailto:ann@example.org"
    assert str(event["uid"]).startswith("S-1@")


def test_an_invitation_without_a_time_is_an_all_day_event_with_the_video_link() -> None:
    occasion = Occasion(date(2026, 12, 3), video="https://meet.example.org/duo")
    text = invitation("D-1-intro", "Intro", occasion, dt.datetime(2026, 11, 26, 10))
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 12, 3)
    assert str(event["url"]) == "https://meet.example.org/duo"
