"""The programme simulator: synthetic demo records, realistic, deterministic, never a real person.

`generate` simulates the last 18 months of the programme, office by office: people
apply, attend an information session, have an intake, mentors train, mentees wait, the
coordinators propose duos at their weekly matching meeting, duos meet, get checked on,
end and are evaluated. Every record is read off that one simulated timeline, so the
statuses, the dates and the links between tabs agree the way they do in a well-kept
sheet, while the coordinator's to-do list still has something to show: mentees waiting
too long, a proposal with no intro date, duos gone quiet, check-ins overdue, an applicant
with no consent date.

Everything personal is invented: first and last names are drawn independently from the
lists of common names in `names.toml` (see `demo/data.py`), e-mails use the reserved
example.org / .com / .net domains and phone numbers have the form +32 470 00 xx xx.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import random
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import clock
from demo.data import (
    CHECK_IN_NOTES,
    COMMENTS,
    DECLINES,
    DEGREES,
    EARLY_END_REASONS,
    END_REASONS,
    FOLLOW_UPS,
    HOLDS,
    LANGUAGES,
    MEETING_SUMMARIES,
    MENTEE_GOALS,
    MENTEE_ORIGINS,
    MENTEE_SOURCES,
    MENTOR_MOTIVATIONS,
    MENTOR_ORIGINS,
    MENTOR_ROLES,
    MENTOR_SOURCES,
    OFFICES,
    PERSON_DOMAINS,
    PERSONALITY,
    SECTOR_JOBS,
    SECTOR_WEIGHTS,
    SECTORS,
    SESSION_BRING,
    SESSION_HOURS,
    SESSION_NOTES,
    SESSION_STREETS,
    SHORT_CALLS,
    STAFF_ORIGINS,
    TOPIC_WEIGHTS,
    TOPICS,
    WITHDRAWALS,
    EndReason,
    Office,
    Origin,
)
from sheets import ids, schema
from workflow import add_months, age_on

Record = dict[str, object]
Tables = dict[str, list[Record]]
T = TypeVar("T")

WINDOW_DAYS = 548
"""The demo covers the 18 months before `today`."""
BASE_MENTORS = 120
BASE_MENTEES = 150
PROGRAMME_MONTHS = 6
MIN_MENTEE_AGE, MAX_MENTEE_AGE = 18, 33
MIN_MENTOR_AGE, MAX_MENTOR_AGE = 50, 75
QUIET_DAYS = 21
"""The to-do list warns when an active duo logged no meeting for this many days."""
BASE_OFFICES = 3
"""The demo (scale 1) has the first three offices of `OFFICES`; larger scales add more."""
SESSION_SHARES = {1: (1.0,), 2: (0.8, 0.2), 3: (0.7, 0.2, 0.1)}
"""The share of an office's applicants per info-session language, main language first."""
REGION_MAIN_LANGUAGE = {"nl": "Dutch", "fr": "French"}

MENTEE_STOPS: tuple[tuple[str | None, float], ...] = (
    ("Applied", 9),
    ("Info session", 7),
    ("Intake done", 6),
    ("Ready", 12),
    (None, 66),
)
MENTOR_STOPS: tuple[tuple[str | None, float], ...] = (
    ("Applied", 5),
    ("Info session", 4),
    ("Intake done", 3),
    ("Trained", 3),
    ("Ready", 4),
    (None, 81),
)
COMPLETED_OUTCOMES: tuple[tuple[str, float], ...] = (
    ("Job", 60),
    ("Internship", 8),
    ("Training", 9),
    ("Studies", 4),
    ("Volunteering", 3),
    ("Still searching", 13),
    ("Other", 3),
)
"""A completed duo's outcome; with early ends this gives ~70% job, internship or training."""
OBJECTIVES_IF_POSITIVE: tuple[tuple[str, float], ...] = (("Yes", 6), ("Partly", 3), ("No", 1))
GAIN_RATES: dict[str, tuple[tuple[str, float], ...]] = {
    "Autonomy": (("Yes", 65), ("Partly", 25), ("No", 10)),
    "Career plan": (("Yes", 45), ("Partly", 25), ("No", 30)),
    "Network": (("Yes", 55), ("Partly", 25), ("No", 20)),
}
"""The mentee's gains at the end (about 90%, 70% and 80% yes or partly, as DUO reports)."""
ANOTHER_MENTEE_RATES: tuple[tuple[str, float], ...] = (("Yes", 60), ("Maybe", 25), ("No", 15))
SELF_FILLED_SHARE = 0.6
"""Of the mentors' and mentees' evaluations, the share they filled from their own link."""
OBJECTIVES_OTHERWISE: tuple[tuple[str, float], ...] = (("Yes", 1), ("Partly", 5), ("No", 4))
MEETING_HOURS = (2.0, 2.0, 2.0, 2.0, 1.5, 2.5, 1.0, 3.0)
MEETING_MODES: tuple[tuple[str, float], ...] = (("In person", 65), ("Video", 25), ("Phone", 10))
CALL_MODES: tuple[tuple[str, float], ...] = (("Phone", 70), ("Video", 30))

# --- Small helpers ----------------------------------------------------------------------


def _weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def _pick_several(
    rng: random.Random, values: Sequence[str], weights: Sequence[float], count: int
) -> list[str]:
    """`count` distinct values, drawn with `weights`, in the order drawn."""
    chosen: list[str] = []
    while len(chosen) < min(count, len(values)):
        value = rng.choices(values, weights)[0]
        if value not in chosen:
            chosen.append(value)
    return chosen


def _days(count: int) -> dt.timedelta:
    return dt.timedelta(days=count)


def _later_answers(evaluation_id: str, respondent: str, positive: bool) -> Record:
    """The questions added to the evaluation later: the mentee's gains, the mentor's wish for
    another mentee, who typed it. Drawn from a generator of the evaluation's own (seeded by
    its ID), so the rest of the demo stays as it was."""
    rng = random.Random(evaluation_id)
    answers: Record = {"Source": "Coordinator"}
    if respondent == "Mentee":
        for column, rates in GAIN_RATES.items():
            answers[column] = _weighted(
                rng, rates[:2] if positive and rng.random() < 0.3 else rates
            )
    if respondent == "Mentor":
        answers["Another mentee"] = _weighted(rng, ANOTHER_MENTEE_RATES)
    if respondent != "Coordinator" and rng.random() < SELF_FILLED_SHARE:
        answers["Source"] = "Self-filled"
    return answers


def _session_place(office: Office, kind: str, session_id: str, *, online: bool) -> Record:
    """A session's hours, place and what to bring: invented, and drawn from no generator (the
    rest of the demo stays as it was). The house number comes from the session's ID."""
    start, end = SESSION_HOURS[kind]
    place: Record = {"Start time": start, "End time": end, "What to bring": SESSION_BRING[kind][0]}
    if online:
        place["Video link"] = f"https://video.example.org/duo-{session_id.lower()}"
    else:
        number = sum(ord(char) for char in session_id) % 90 + 1
        street = SESSION_STREETS[office.region][0]
        place["Address"] = f"{street} {number}, {office.postcodes[0]} {office.name}"
    return place


def _intro_place(duo_id: str, office: Office) -> Record:
    """An intro meeting's time and place, from the duo's ID (drawn from no generator)."""
    turn = sum(ord(char) for char in duo_id)
    return {
        "Intro time": ("10:00", "14:00", "17:30")[turn % 3],
        "Intro place": f"{office.name} office" if turn % 4 else "Online (video)",
    }


def _at_work_hours(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(8, 18), rng.randrange(60))


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + _days((weekday - day.weekday()) % 7)


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` years earlier, but 29 February always gives 28 February, even in
    a leap year: the demo data were drawn that way (`add_months(day, -12 * years)` alone would
    give the 29th and, for a few seeds, scales and days, other people)."""
    if (day.month, day.day) == (2, 29):
        day -= _days(1)
    return add_months(day, -12 * years)


def _birth_date(rng: random.Random, on: dt.date, youngest: int, oldest: int) -> dt.date:
    """A birth date that makes the person between `youngest` and `oldest` years old `on`."""
    earliest = _years_before(on, oldest + 1) + _days(1)
    latest = _years_before(on, youngest)
    return earliest + _days(rng.randrange((latest - earliest).days + 1))


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in folded if c.isascii() and c.isalnum())


LOOKING_FOR_SPREAD = ("Work", "Work", "Work", "Both", "Training")
"""What synthetic mentees look for, in proportion."""


def mentee_conditions(person: Person, born_here: bool) -> Record:
    """A synthetic mentee's other conditions of the programme, all met (or residence still
    to check). Derived from the name, not drawn: the random sequence of the rest of the demo
    stays the same."""
    spread = zlib.crc32(f"{person.first} {person.last}".encode())
    return {
        "Residence": "Unknown" if spread % 12 == 0 else "Long-term",
        "Origin": "Parent born outside the EU" if born_here else "Non-EU nationality",
        "Looking for": LOOKING_FOR_SPREAD[spread % len(LOOKING_FOR_SPREAD)],
    }


def _sorted_slots(slots: list[str]) -> list[str]:
    return sorted(slots, key=schema.SLOTS.index)


# --- The simulated world ----------------------------------------------------------------


@dataclass
class Stop:
    """A participant leaves the pipeline (Withdrawn) or pauses (On hold) before a match."""

    status: str
    on: dt.date
    reason: str


@dataclass
class Person:
    """A participant and their simulated timeline (dates after `today` are None)."""

    id: str
    role: str
    office: Office
    gender: str
    first: str
    last: str
    languages: list[str]
    sectors: list[str]
    topics: list[str]
    slots: list[str]
    capacity: int
    applied: dt.date
    coordinator: str
    profile: Record
    """The columns that do not depend on the timeline (names, contact, profile texts)."""
    info: dt.date | None = None
    intake: dt.date | None = None
    trained: dt.date | None = None
    ready: dt.date | None = None
    stop: Stop | None = None
    wants_woman_mentor: bool = False
    leaves: Stop | None = None
    """A mentor leaving the pool after a duo: Alumni, On hold or Withdrawn."""
    duos: list[Duo] = field(default_factory=list)
    rematches: int = 0

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Duo:
    """A proposed pair and its simulated future; `status_on` reads it at a given day."""

    id: str
    mentor: Person
    mentee: Person
    coordinator: str
    proposed: dt.date
    intro_set: dt.date
    """The day the intro date gets written in the sheet."""
    intro: dt.date
    outcome: str
    """"Declined", "Ended early" or "Completed": how the duo will end."""
    agreement: dt.date | None
    ends: dt.date
    """The day the duo stops taking the mentor's time (decline, early end, completion)."""
    reason: EndReason | None = None
    decline: tuple[str, str] | None = None
    score: int = 0
    reasons: str = ""
    quiet: bool = False

    def status_on(self, day: dt.date) -> str:
        if day < self.intro_set:
            return "Proposed"
        if self.outcome == "Declined":
            return "Declined" if day >= self.ends else "Intro planned"
        if self.agreement is None or day < self.agreement:
            return "Intro planned"
        return self.outcome if day >= self.ends else "Active"

    @property
    def planned_end(self) -> dt.date | None:
        return add_months(self.agreement, PROGRAMME_MONTHS) if self.agreement else None


LIVE = ("Proposed", "Intro planned", "Active")


@dataclass
class SessionSeries:
    """The sessions of one kind, office and language, by date."""

    dates: list[dt.date] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def first_from(self, day: dt.date) -> int | None:
        index = bisect.bisect_left(self.dates, day)
        return index if index < len(self.dates) else None


class _Builder:
    """Builds the whole demo workbook from one random generator, in a fixed order."""

    def __init__(self, rng: random.Random, today: dt.date, scale: float) -> None:
        self.rng = rng
        self.today = today
        self.start = today - _days(WINDOW_DAYS)
        self.scale = scale
        self.taken: set[str] = set()
        self.emails: set[str] = set()
        self.tables: Tables = {tab.name: [] for tab in schema.TABS}
        self.staff: dict[str, list[str]] = {}
        self.info_sessions: dict[tuple[str, str], SessionSeries] = {}
        self.trainings: dict[str, SessionSeries] = {}
        self.people: list[Person] = []
        self.duos: list[Duo] = []

    # IDs, e-mails and phones ------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        new = ids.new_id(prefix, self.taken, rng=self.rng)
        self.taken.add(new)
        return new

    def email(self, first: str, last: str, domains: tuple[str, ...]) -> str:
        local = f"{_ascii(first)}.{_ascii(last)}".lower()
        domain = self.rng.choice(domains)
        candidate, number = f"{local}@{domain}", 1
        while candidate in self.emails:
            number += 1
            candidate = f"{local}{number}@{domain}"
        self.emails.add(candidate)
        return candidate

    def phone(self) -> str:
        return f"+32 470 00 {self.rng.randrange(100):02d} {self.rng.randrange(100):02d}"

    # Offices, staff, sessions ------------------------------------------------------------

    def offices(self) -> tuple[Office, ...]:
        if self.scale <= 1:
            return OFFICES[:BASE_OFFICES]
        extra = math.ceil(2 * (self.scale - 1))
        return OFFICES[: min(len(OFFICES), BASE_OFFICES + extra)]

    def shares(self, offices: tuple[Office, ...], total: int) -> list[int]:
        """`total` split over the offices by weight (largest remainders get the rest)."""
        weight_sum = sum(office.weight for office in offices)
        exact = [total * office.weight / weight_sum for office in offices]
        counts = [math.floor(value) for value in exact]
        by_remainder = sorted(range(len(offices)), key=lambda i: counts[i] - exact[i])
        for index in by_remainder[: total - sum(counts)]:
            counts[index] += 1
        return counts

    def add_staff(self, offices: tuple[Office, ...], people_per_office: list[int]) -> None:
        staff = self.tables["Staff"]
        admin_first, admin_last = self.staff_name()
        all_offices = [o.name for o in offices]
        staff.append(self.staff_record(admin_first, admin_last, "Admin", all_offices, ""))
        for office, people in zip(offices, people_per_office, strict=True):
            names: list[str] = []
            for _ in range(max(2, round(people / 180))):
                first, last = self.staff_name()
                language = "nl" if office.region == "nl" else "fr"
                staff.append(self.staff_record(first, last, "Coordinator", [office.name], language))
                names.append(f"{first} {last}")
            self.staff[office.name] = names

    def staff_name(self) -> tuple[str, str]:
        origin = _weighted(self.rng, STAFF_ORIGINS)
        first = self.rng.choice(self.rng.choice((origin.women, origin.men)))
        return first, self.rng.choice(origin.surnames)

    def staff_record(
        self, first: str, last: str, role: str, offices: list[str], language: str
    ) -> Record:
        """A staff row; `language` is the one their messages are in (blank: French)."""
        email = self.email(first, last, ("example.org",))
        return {
            "Email": email,
            "Name": f"{first} {last}",
            "Role": role,
            "Offices": offices,
            "Active": True,
            "Language": language,
        }

    def add_sessions(self, office: Office, mentees: int, mentors: int) -> None:
        """Info sessions per language, mentor trainings, from the window's start to a month
        ahead; busier offices hold them more often, so that groups stay small."""
        horizon = self.today + _days(30)
        for rank, language in enumerate(office.session_languages):
            share = SESSION_SHARES[len(office.session_languages)][rank]
            expected = (mentees + mentors) * share
            longest = 14 if rank == 0 else 28
            interval = max(2, min(longest, round(WINDOW_DAYS / max(1.0, expected / 12))))
            series = self.session_series(office, "Info session", language, interval, 25, horizon)
            self.info_sessions[(office.name, language)] = series
        interval = max(3, min(30, round(WINDOW_DAYS / max(1.0, mentors / 10))))
        main = office.session_languages[0]
        self.trainings[office.name] = self.session_series(
            office, "Training", main, interval, 15, horizon
        )

    def session_series(
        self, office: Office, kind: str, language: str, interval: int, capacity: int, until: dt.date
    ) -> SessionSeries:
        series = SessionSeries()
        day = self.start + _days(self.rng.randrange(interval))
        while day <= until:
            if day.weekday() >= 5:
                day = _next_weekday(day, 0)
                continue
            session_id = self.add_session(office, kind, language, day, capacity)
            series.dates.append(day)
            series.ids.append(session_id)
            day += _days(interval)
        return series

    def add_session(
        self, office: Office, kind: str, language: str, day: dt.date, capacity: int
    ) -> str:
        session_id = self.new_id("S")
        notes = SESSION_NOTES[kind]
        record: Record = {
            "ID": session_id,
            "Kind": kind,
            "Date": day,
            "Office": office.name,
            "Language": language,
            "Capacity": capacity,
        }
        note = self.rng.choice(notes)
        if note:
            record["Notes"] = note
        record.update(_session_place(office, kind, session_id, online=note.startswith("Online")))
        self.tables["Sessions"].append(record)
        return session_id

    def attend(self, session_id: str, person: Person, day: dt.date, status: str) -> None:
        when = _at_work_hours(self.rng, min(day, self.today))
        self.tables["Attendance"].append(
            {
                "Session ID": session_id,
                "Participant ID": person.id,
                "Status": status,
                "Updated on": when,
            }
        )

    # People ------------------------------------------------------------------------------

    def new_person(self, role: str, office: Office) -> Person:
        rng = self.rng
        mentee = role == "Mentee"
        origins = MENTEE_ORIGINS if mentee else MENTOR_ORIGINS
        origin = _weighted(rng, origins[office.region])
        gender = self.gender()
        names = origin.women if gender == "Woman" else origin.men
        if gender not in ("Woman", "Man"):
            names = rng.choice((origin.women, origin.men))
        first, last = rng.choice(names), rng.choice(origin.surnames)
        applied = self.applied_day()
        born_here = rng.random() < origin.born_here
        if mentee:
            birth = _birth_date(rng, applied, MIN_MENTEE_AGE, MAX_MENTEE_AGE)
            languages = self.mentee_languages(origin, office, born_here)
            sectors = _pick_several(rng, SECTORS, SECTOR_WEIGHTS, rng.choice((1, 1, 2)))
            topics = _pick_several(rng, TOPICS, TOPIC_WEIGHTS, rng.randint(2, 4))
        else:
            birth = _birth_date(rng, applied, MIN_MENTOR_AGE, self.mentor_age())
            languages = self.mentor_languages(origin, office)
            sectors = _pick_several(rng, SECTORS, SECTOR_WEIGHTS, rng.choice((1, 2, 2, 3)))
            topics = _pick_several(rng, TOPICS, TOPIC_WEIGHTS, rng.randint(3, 5))
        retired = not mentee and age_on(birth, applied) >= 63
        person = Person(
            id=self.new_id("P"),
            role=role,
            office=office,
            gender=gender,
            first=first,
            last=last,
            languages=languages,
            sectors=sectors,
            topics=topics,
            slots=self.slots(mentee, retired),
            capacity=1 if mentee or rng.random() < 0.85 else 2,
            applied=applied,
            coordinator=rng.choice(self.staff[office.name]),
            profile={},
        )
        person.wants_woman_mentor = mentee and gender == "Woman" and rng.random() < 0.15
        person.profile = self.profile(person, origin, birth, born_here, retired)
        return person

    def applied_day(self) -> dt.date:
        """A day in the window; the programme grows, so later days are somewhat likelier."""
        offset = self.rng.randrange(WINDOW_DAYS + 1)
        if self.rng.random() < 0.4:
            offset = max(offset, self.rng.randrange(WINDOW_DAYS + 1))
        return self.start + _days(offset)

    def gender(self) -> str:
        draw = self.rng.random()
        if draw < 0.015:
            return "Other"
        if draw < 0.03:
            return "Prefer not to say"
        return "Woman" if draw < 0.52 else "Man"

    def mentor_age(self) -> int:
        """The oldest age drawn for a mentor: most are 55-68, a few up to 75."""
        return self.rng.choice((58, 62, 65, 66, 68, 70, 75))

    def working_language(self, office: Office) -> str:
        if office.region == "bxl":
            return _weighted(self.rng, (("French", 0.7), ("Dutch", 0.15), ("English", 0.15)))
        if office.region == "nl":
            return _weighted(self.rng, (("Dutch", 0.75), ("English", 0.25)))
        return "French"

    def local_language(self, office: Office) -> str:
        """The language someone who grew up in the office's region speaks best."""
        if office.region == "bxl":
            return "French" if self.rng.random() < 0.8 else "Dutch"
        return REGION_MAIN_LANGUAGE[office.region]

    def mentee_languages(self, origin: Origin, office: Office, born_here: bool) -> list[str]:
        """Strongest first; always French, Dutch or English as the office region expects."""
        rng = self.rng
        local = self.working_language(office)
        family = list(origin.languages[:1])
        if len(origin.languages) > 1 and rng.random() < 0.35:
            family = [origin.languages[1]] if rng.random() < 0.5 else list(origin.languages[:2])
        home = [lang for lang in origin.working if office.region != "nl" or lang == "English"]
        if born_here:
            languages = [self.local_language(office), *family]
        else:
            languages = [*home, *family, local] if home else [*family, local]
        if rng.random() < 0.4:
            languages.append("English")
        return list(dict.fromkeys(languages))

    def mentor_languages(self, origin: Origin, office: Office) -> list[str]:
        rng = self.rng
        main = origin.working[0] if origin.working else self.local_language(office)
        if office.region == "nl":
            main = "Dutch"
        languages = [main]
        if origin.languages and rng.random() < 0.6:
            languages.append(origin.languages[0])
        if rng.random() < 0.65:
            languages.append("English")
        other = "French" if main == "Dutch" else "Dutch"
        if rng.random() < {"bxl": 0.6, "nl": 0.45, "fr": 0.2}[office.region]:
            languages.append(other)
        return list(dict.fromkeys(languages))

    def slots(self, mentee: bool, retired: bool) -> list[str]:
        if mentee:
            pool = [slot for slot in schema.SLOTS if not slot.startswith("Sun")]
            return _sorted_slots(self.rng.sample(pool, self.rng.randint(3, 6)))
        if retired:
            pool = [slot for slot in schema.SLOTS[:15] if not slot.endswith("EVE")]
        else:
            pool = [slot for slot in schema.SLOTS if slot.endswith("EVE")] + ["Sat AM", "Fri PM"]
        return _sorted_slots(self.rng.sample(pool, self.rng.randint(2, min(5, len(pool)))))

    def profile(
        self, person: Person, origin: Origin, birth: dt.date, born_here: bool, retired: bool
    ) -> Record:
        rng = self.rng
        sector = person.sectors[0]
        job = rng.choice(SECTOR_JOBS[sector])
        profile: Record = {
            "First name": person.first,
            "Last name": person.last,
            "Email": self.email(person.first, person.last, PERSON_DOMAINS),
            "Phone": self.phone(),
            "Birth date": birth,
            "Gender": person.gender,
            "Office": person.office.name,
            "Postcode": rng.choice(person.office.postcodes),
            "Languages": person.languages,
            "Sectors": person.sectors,
            "Topics": person.topics,
            "Availability": person.slots,
            "Personality": ", ".join(rng.sample(PERSONALITY, 3)),
            "Country of origin": origin.country,
        }
        if person.role == "Mentee":
            profile.update(mentee_conditions(person, born_here))
            profile["Goal"] = self.mentee_goal(job, sector)
            profile["Background"] = self.mentee_background(origin, person, born_here)
            profile["Source"] = rng.choice(MENTEE_SOURCES[person.office.region])
            preference = self.mentee_preference(person, origin)
        else:
            profile["Goal"] = rng.choice(MENTOR_MOTIVATIONS).format(sector=sector.lower())
            profile["Background"] = self.mentor_background(sector, retired)
            profile["Source"] = rng.choice(MENTOR_SOURCES)
            profile["Capacity"] = person.capacity
            preference = self.mentor_preference(sector)
        if preference:
            profile["Preferences"] = preference
        return profile

    def mentee_goal(self, job: str, sector: str) -> str:
        template = self.rng.choice(MENTEE_GOALS)
        return template.format(job=job, sector=sector)

    def mentee_background(self, origin: Origin, person: Person, born_here: bool) -> str:
        rng = self.rng
        job = rng.choice(SECTOR_JOBS[rng.choice(person.sectors)])
        if born_here:
            school = rng.choice(("Technical", "General", "Vocational"))
            return f"{school} secondary school in {person.office.name}; student jobs as {job}."
        years = rng.randint(1, 6)
        return f"{rng.choice(DEGREES)} ({origin.country}); {years} years as {job} there."

    def mentee_preference(self, person: Person, origin: Origin) -> str:
        rng = self.rng
        if person.wants_woman_mentor:
            return "woman mentor"
        draw = rng.random()
        if draw < 0.06 and origin.languages:
            return f"mentor who speaks {origin.languages[0]}"
        if draw < 0.12:
            return "video meetings preferred"
        if draw < 0.16:
            return "meetings near the office"
        if draw < 0.2:
            return "mentor working in the sector"
        return ""

    def mentor_background(self, sector: str, retired: bool) -> str:
        rng = self.rng
        role = rng.choice(MENTOR_ROLES)
        years = rng.randint(20, 40)
        if retired:
            return f"{years} years in {sector.lower()}, last as {role}; retired."
        return f"{years} years in {sector.lower()}, currently {role}."

    def mentor_preference(self, sector: str) -> str:
        draw = self.rng.random()
        if draw < 0.08:
            return f"mentee who wants to work in {sector.lower()}"
        if draw < 0.14:
            return "prefers meeting in person"
        if draw < 0.18:
            return "no evening meetings"
        return ""

    # The pipeline before matching ------------------------------------------------------

    def plan_pipeline(self, person: Person) -> None:
        """Info session, intake, training (mentors), ready: each stage a few days to weeks
        after the previous one; stages that would fall after `today` are not reached."""
        rng = self.rng
        stop_stage, stop_status = self.draw_stop(person.role)
        person.info = self.info_session(person, skip=stop_stage == "Applied")
        if stop_stage == "Applied":
            self.stop(person, stop_status, person.applied + _days(rng.randint(20, 60)))
            return
        if person.info is None:
            return
        if stop_stage == "Info session":
            self.stop(person, stop_status, person.info + _days(rng.randint(14, 50)))
            return
        person.intake = self.reached(person.info + _days(rng.randint(5, 28)))
        if person.intake is None:
            return
        if stop_stage == "Intake done":
            self.stop(person, stop_status, person.intake + _days(rng.randint(10, 40)))
            return
        if person.role == "Mentor":
            person.trained = self.training(person, person.intake + _days(3))
            if person.trained is None:
                return
            if stop_stage == "Trained":
                self.stop(person, stop_status, person.trained + _days(rng.randint(5, 30)))
                return
            person.ready = self.reached(person.trained + _days(rng.randint(1, 10)))
        else:
            person.ready = self.reached(person.intake + _days(rng.randint(0, 10)))
        if person.ready is not None and stop_stage == "Ready":
            self.stop(person, stop_status, person.ready + _days(rng.randint(25, 90)))

    def draw_stop(self, role: str) -> tuple[str | None, str]:
        """Which stage, if any, the person drops out (or pauses) after."""
        stage = _weighted(self.rng, MENTEE_STOPS if role == "Mentee" else MENTOR_STOPS)
        hold = stage in ("Intake done", "Trained", "Ready") and self.rng.random() < 0.3
        return stage, "On hold" if hold else "Withdrawn"

    def stop(self, person: Person, status: str, on: dt.date) -> None:
        reasons = HOLDS if status == "On hold" else WITHDRAWALS
        person.stop = Stop(status, on, self.rng.choice(reasons[person.role]))

    def reached(self, day: dt.date) -> dt.date | None:
        return day if day <= self.today else None

    def session_language(self, person: Person) -> str:
        offered = person.office.session_languages
        return next((lang for lang in person.languages if lang in offered), offered[0])

    def info_session(self, person: Person, skip: bool) -> dt.date | None:
        """The info session the person attended, registering for the first one a few days
        after applying; some are absent once and come to the next one."""
        series = self.info_sessions[(person.office.name, self.session_language(person))]
        index = series.first_from(person.applied + _days(self.rng.randint(2, 6)))
        if skip:
            if index is not None and self.rng.random() < 0.5:
                day = series.dates[index]
                status = "Registered" if day > self.today else "Absent"
                self.attend(
                    series.ids[index], person, day if status == "Absent" else person.applied, status
                )
            return None
        absent_once = self.rng.random() < 0.12
        while index is not None and index < len(series.dates):
            day = series.dates[index]
            if day > self.today:
                self.attend(series.ids[index], person, person.applied, "Registered")
                return None
            if absent_once:
                self.attend(series.ids[index], person, day, "Absent")
                absent_once = False
                index += 1
                continue
            self.attend(series.ids[index], person, day, "Attended")
            return day
        return None

    def training(self, person: Person, earliest: dt.date) -> dt.date | None:
        series = self.trainings[person.office.name]
        index = series.first_from(earliest)
        if index is None:
            return None
        day = series.dates[index]
        if day > self.today:
            self.attend(series.ids[index], person, earliest, "Registered")
            return None
        self.attend(series.ids[index], person, day, "Attended")
        return day

    # Matching ----------------------------------------------------------------------------

    def match_office(
        self, office: Office, index: int, mentees: list[Person], mentors: list[Person]
    ) -> None:
        """The weekly matching meetings of one office, in date order: each ready mentee is
        proposed after a wait, to the best free mentor among a sample of the pool."""
        weekday = index % 5
        queue: list[tuple[dt.date, int, Person]] = []
        for order, mentee in enumerate(mentees):
            if mentee.ready is not None:
                day = _next_weekday(mentee.ready + _days(self.wait()), weekday)
                heapq.heappush(queue, (day, order, mentee))
        order = len(mentees)
        while queue:
            day, _, mentee = heapq.heappop(queue)
            if day > self.today or (mentee.stop and mentee.stop.on <= day):
                continue
            mentor = self.find_mentor(mentee, mentors, day)
            if mentor is None:
                order += 1
                heapq.heappush(queue, (day + _days(7), order, mentee))
                continue
            duo = self.propose(mentee, mentor, day)
            again = self.after_duo(duo)
            if again is not None:
                order += 1
                heapq.heappush(queue, (_next_weekday(again, weekday), order, mentee))

    def wait(self) -> int:
        """Days from ready to proposal: mostly two to four weeks, some much longer."""
        draw = self.rng.random()
        if draw < 0.7:
            return self.rng.randint(5, 30)
        if draw < 0.9:
            return self.rng.randint(30, 60)
        return self.rng.randint(60, 100)

    def is_free(self, mentor: Person, day: dt.date) -> bool:
        """Ready, still in the pool, and with fewer running duos than its capacity. Duos
        are created in date order, so every earlier duo started on or before `day`."""
        if mentor.ready is None or mentor.ready > day:
            return False
        if mentor.stop is not None and mentor.stop.on <= day:
            return False
        if mentor.leaves is not None and mentor.leaves.on <= day:
            return False
        return sum(1 for duo in mentor.duos if duo.ends > day) < mentor.capacity

    def find_mentor(self, mentee: Person, mentors: list[Person], day: dt.date) -> Person | None:
        sample = mentors if len(mentors) <= 40 else self.rng.sample(mentors, 40)
        declined = {duo.mentor.id for duo in mentee.duos}
        best: Person | None = None
        best_score = -1
        for mentor in sample:
            if mentor.id in declined or not self.is_free(mentor, day):
                continue
            if mentee.wants_woman_mentor and mentor.gender != "Woman":
                continue
            if not set(mentee.languages) & set(mentor.languages):
                continue
            score = _match_score(mentee, mentor)
            if score > best_score:
                best, best_score = mentor, score
        return best

    def propose(self, mentee: Person, mentor: Person, day: dt.date) -> Duo:
        """A proposal at the matching meeting of `day`, and how it will turn out."""
        rng = self.rng
        intro_set = day + _days(rng.randint(1, 6))
        intro = intro_set + _days(rng.randint(3, 12))
        duo = self.new_duo(mentee, mentor, day, intro_set, intro)
        outcome = _weighted(rng, (("Declined", 10), ("Ended early", 16), ("Completed", 74)))
        if outcome == "Declined":
            duo.outcome, duo.decline = "Declined", rng.choice(DECLINES)
            duo.ends = intro + _days(rng.randint(0, 4))
        else:
            self.run_programme(duo, intro + _days(rng.randint(3, 12)), outcome == "Ended early")
        return duo

    def new_duo(
        self, mentee: Person, mentor: Person, day: dt.date, intro_set: dt.date, intro: dt.date
    ) -> Duo:
        duo = Duo(
            id=self.new_id("D"),
            mentor=mentor,
            mentee=mentee,
            coordinator=mentee.coordinator,
            proposed=day,
            intro_set=intro_set,
            intro=intro,
            outcome="Completed",
            agreement=None,
            ends=intro,
            score=_match_score(mentee, mentor),
            reasons=_match_reasons(mentee, mentor),
        )
        mentee.duos.append(duo)
        mentor.duos.append(duo)
        mentee.stop = mentor.stop = None
        self.duos.append(duo)
        return duo

    def run_programme(self, duo: Duo, agreement: dt.date, early: bool) -> None:
        """Signed on `agreement`; ends early, or a few days after the planned end once the
        evaluation is done."""
        duo.agreement = agreement
        planned_end = add_months(agreement, PROGRAMME_MONTHS)
        if early:
            duo.outcome = "Ended early"
            duo.reason = _weighted(
                self.rng, [(reason, reason.weight) for reason in EARLY_END_REASONS]
            )
            duo.ends = agreement + _days(self.rng.randint(25, 150))
        else:
            duo.ends = planned_end + _days(self.rng.randint(0, 12))

    def after_duo(self, duo: Duo) -> dt.date | None:
        """What the duo's end does to both people; the date the mentee is ready to be
        matched again, if they are."""
        rng = self.rng
        mentee, mentor = duo.mentee, duo.mentor
        effect = duo.reason.effect if duo.reason else ""
        if mentor.leaves is None and duo.outcome == "Completed" and rng.random() < 0.2:
            mentor.leaves = Stop("Alumni", duo.ends, "")
        if mentor.leaves is None and effect == "mentor_gone":
            status = rng.choice(("On hold", "Withdrawn"))
            mentor.leaves = Stop(status, duo.ends, duo.reason.text if duo.reason else "")
        if effect == "mentee_gone":
            mentee.stop = Stop("Withdrawn", duo.ends, duo.reason.text if duo.reason else "")
        again = duo.outcome == "Declined" or effect in ("mentor_gone", "rematch")
        if not again or mentee.rematches >= 2:
            return None
        mentee.rematches += 1
        return duo.ends + _days(rng.randint(7, 28))

    def ensure_recent_proposals(
        self, office: Office, index: int, mentees: list[Person], mentors: list[Person]
    ) -> None:
        """Make sure the office shows a fresh proposal and a planned intro, as right after
        its weekly matching meetings, when someone is waiting and a mentor is free."""
        today, rng = self.today, self.rng
        last_meeting = today - _days((today.weekday() - index % 5) % 7)
        for status, day in (("Proposed", last_meeting), ("Intro planned", last_meeting - _days(7))):
            office_duos = (duo for duo in self.duos if duo.mentee.office is office)
            if any(duo.status_on(today) == status for duo in office_duos):
                continue
            for mentee in mentees:
                if self.status(mentee) != "Ready" or self.waiting_since(mentee) > day:
                    continue
                mentor = self.find_mentor(mentee, mentors, day)
                if mentor is None:
                    continue
                if status == "Proposed":
                    intro_set = today + _days(rng.randint(1, 3))
                    intro = intro_set + _days(rng.randint(3, 12))
                else:
                    intro_set, intro = day + _days(2), today + _days(rng.randint(1, 6))
                duo = self.new_duo(mentee, mentor, day, intro_set, intro)
                self.run_programme(duo, intro + _days(rng.randint(3, 12)), early=False)
                break

    def waiting_since(self, mentee: Person) -> dt.date:
        """When a Ready mentee became available for a (new) match."""
        if mentee.duos:
            return mentee.duos[-1].ends
        return mentee.ready or self.today

    # Statuses on `today` -----------------------------------------------------------------

    def status(self, person: Person) -> str:
        today = self.today
        duos = [duo for duo in person.duos if duo.proposed <= today]
        if any(duo.status_on(today) in LIVE for duo in duos):
            return "In duo"
        for leaving in (person.stop, person.leaves):
            if leaving is not None and leaving.on <= today:
                return leaving.status
        if duos:
            last = duos[-1]
            effect = last.reason.effect if last.reason else ""
            if person.role == "Mentee" and (last.outcome == "Completed" or effect == "mentee_done"):
                return "Alumni"
            return "Ready"
        return _pipeline_status(person)

    # Records -----------------------------------------------------------------------------

    def participant_record(self, person: Person) -> Record:
        rng = self.rng
        status = self.status(person)
        record: Record = {"ID": person.id, "Role": person.role, "Status": status}
        record.update(person.profile)
        if rng.random() < 0.96:
            record["Consent on"] = person.applied
        record["Applied on"] = person.applied
        if person.intake:
            record["Intake on"] = person.intake
            record["Coordinator"] = person.coordinator
        if person.trained:
            record["Trained on"] = person.trained
        notes = self.participant_notes(person, status)
        if notes:
            record["Notes"] = notes
        record["Updated on"] = _at_work_hours(rng, self.last_change(person))
        record.update(_message_preferences(person, status, record))
        return record

    def participant_notes(self, person: Person, status: str) -> str:
        for leaving in (person.stop, person.leaves):
            if leaving and leaving.status == status and leaving.reason:
                return f"{status} since {leaving.on.isoformat()}: {leaving.reason}"
        return ""

    def last_change(self, person: Person) -> dt.date:
        days = [person.applied, person.info, person.intake, person.trained, person.ready]
        for leaving in (person.stop, person.leaves):
            days.append(leaving.on if leaving else None)
        for duo in person.duos:
            days += [duo.proposed, duo.intro_set, duo.agreement, duo.ends]
        return max(day for day in days if day is not None and day <= self.today)

    def duo_record(self, duo: Duo) -> Record:
        status = duo.status_on(self.today)
        record: Record = {
            "ID": duo.id,
            "Mentor ID": duo.mentor.id,
            "Mentee ID": duo.mentee.id,
            "Office": duo.mentee.office.name,
            "Coordinator": duo.coordinator,
            "Status": status,
            "Proposed on": duo.proposed,
            "Match score": duo.score,
            "Match reasons": duo.reasons,
        }
        if status != "Proposed":
            record["Intro on"] = duo.intro
            record.update(_intro_place(duo.id, duo.mentee.office))
        if duo.agreement is not None and status in ("Active", "Completed", "Ended early"):
            record["Agreement on"] = duo.agreement
            record["Planned end"] = duo.planned_end
            record["Objectives"] = _objectives(duo.mentee)
            record["Link version"] = 1 if self.rng.random() < 0.9 else 2
        if status in ("Completed", "Ended early", "Declined"):
            record["Ended on"] = duo.ends
        if status == "Ended early" and duo.reason:
            record["End reason"] = duo.reason.text
        if status == "Declined" and duo.decline:
            record["End reason"], record["Notes"] = duo.decline
        changes = [duo.proposed, duo.intro_set, duo.agreement, duo.ends]
        last = max(day for day in changes if day is not None and day <= self.today)
        record["Updated on"] = _at_work_hours(self.rng, last)
        return record

    def add_meetings(self, duo: Duo) -> None:
        """About weekly, about two hours, from the agreement to the end (or today); some
        duos take a few weeks off, and some active ones have gone quiet."""
        if duo.agreement is None or duo.agreement > self.today:
            return
        rng = self.rng
        last = min(duo.ends - _days(1), self.today)
        if duo.quiet:
            last = self.today - _days(rng.randint(QUIET_DAYS + 1, 45))
        break_at = duo.agreement + _days(rng.randint(40, 120)) if rng.random() < 0.2 else None
        sparse = duo.outcome == "Ended early"
        meetings = self.tables["Meetings"]
        mentee = duo.mentee
        day = duo.agreement
        while day <= last:
            meetings.append(self.meeting(duo, mentee, day))
            step = rng.choice((7, 7, 7, 7, 7, 7, 7, 7, 6, 8, 5, 10, 14))
            if sparse:
                step += rng.choice((0, 3, 7))
            if break_at is not None and day >= break_at:
                step, break_at = rng.randint(18, 28), None
            call = day + _days(rng.randint(2, 4))
            if not sparse and rng.random() < 0.3 and call <= last and step > 4:
                meetings.append(self.meeting(duo, mentee, call, short=True))
            day += _days(step)

    def meeting(self, duo: Duo, mentee: Person, day: dt.date, short: bool = False) -> Record:
        """A weekly meeting, or (`short`) a quick call between two meetings."""
        rng = self.rng
        topics = rng.sample(mentee.topics, 1 if short else rng.choice((1, 1, 2)))
        sector = mentee.sectors[0]
        summaries = SHORT_CALLS if short else MEETING_SUMMARIES[topics[0]]
        summary = rng.choice(summaries).format(
            job=rng.choice(SECTOR_JOBS[sector]), sector=sector.lower()
        )
        by_mentor = rng.random() < 0.8
        logged = min(day + _days(rng.choice((0, 0, 0, 1, 2, 3, 6))), self.today)
        return {
            "ID": self.new_id("M"),
            "Duo ID": duo.id,
            "Date": day,
            "Hours": rng.choice((0.5, 0.5, 1.0) if short else MEETING_HOURS),
            "Mode": _weighted(rng, CALL_MODES if short else MEETING_MODES),
            "Topics": topics,
            "Summary": summary,
            "Logged by": "Mentor (link)" if by_mentor else duo.coordinator,
            "Logged on": _at_work_hours(rng, logged).replace(hour=rng.randint(8, 22)),
        }

    def add_check_ins(self, duo: Duo) -> None:
        """Twice in the first month, then about monthly; the mood darkens before an early
        end; some active duos are overdue for one."""
        if duo.agreement is None or duo.agreement > self.today:
            return
        rng = self.rng
        last = min(duo.ends, self.today)
        overdue = duo.status_on(self.today) == "Active" and rng.random() < 0.2
        if overdue:
            last = min(last, self.today - _days(rng.randint(36, 60)))
        offsets = [rng.randint(6, 12), rng.randint(21, 30)]
        while offsets[-1] < 200:
            offsets.append(offsets[-1] + rng.randint(26, 36))
        for offset in offsets:
            day = duo.agreement + _days(offset)
            if day > last:
                break
            near_end = (duo.ends - day).days < 45
            self.tables["Check-ins"].append(self.check_in(duo, day, near_end))

    def check_in(self, duo: Duo, day: dt.date, near_end: bool) -> Record:
        rng = self.rng
        if duo.outcome == "Ended early" and near_end:
            health = _weighted(rng, (("Good", 2), ("Some concerns", 5), ("At risk", 3)))
        elif duo.quiet and (self.today - day).days < 40:
            health = _weighted(rng, (("Some concerns", 6), ("At risk", 4)))
        else:
            health = _weighted(rng, (("Good", 82), ("Some concerns", 15), ("At risk", 3)))
        record: Record = {
            "ID": self.new_id("C"),
            "Duo ID": duo.id,
            "Date": day,
            "Coordinator": duo.coordinator,
            "With": _weighted(rng, (("Both", 40), ("Mentor", 35), ("Mentee", 25))),
            "Health": health,
            "Notes": rng.choice(CHECK_IN_NOTES[health]),
            "Logged on": _at_work_hours(rng, min(day + _days(rng.randint(0, 2)), self.today)),
        }
        if health != "Good" or rng.random() < 0.15:
            record["Follow-up"] = rng.choice(FOLLOW_UPS)
        return record

    def add_evaluations(self, duo: Duo) -> None:
        """Coordinator, mentor and (less often) mentee evaluations once a duo is over; all
        report the same outcome for the mentee."""
        status = duo.status_on(self.today)
        if status not in ("Completed", "Ended early"):
            return
        rng = self.rng
        outcome, contract = self.outcome(duo)
        positive = outcome in ("Job", "Internship", "Training")
        for respondent, share in (("Coordinator", 1.0), ("Mentor", 0.85), ("Mentee", 0.7)):
            day = duo.ends + _days(rng.randint(0, 14))
            if rng.random() >= share or day > self.today:
                continue
            met = _weighted(rng, OBJECTIVES_IF_POSITIVE if positive else OBJECTIVES_OTHERWISE)
            top = 5 if status == "Completed" else 4
            evaluation: Record = {
                "ID": self.new_id("E"),
                "Duo ID": duo.id,
                "Respondent": respondent,
                "Date": day,
                "Objectives met": met,
                "Outcome": outcome,
                "Contract": contract,
                "Satisfaction": _weighted(rng, ((top, 45), (top - 1, 35), (3, 13), (2, 5), (1, 2))),
                "Comments": rng.choice(COMMENTS[respondent]),
            }
            evaluation |= _later_answers(str(evaluation["ID"]), respondent, positive)
            self.tables["Evaluations"].append(evaluation)

    def outcome(self, duo: Duo) -> tuple[str, str]:
        """The mentee's situation at the end: about 70% job, internship or training and
        about half a stable job (3 months or more) over all ended duos."""
        rng = self.rng
        reason = duo.reason.text if duo.reason else ""
        if reason == "Mentee found a job":
            outcome = "Job"
        elif reason == "Mentee started a training":
            outcome = "Training"
        elif duo.reason is not None:
            outcome = _weighted(rng, (("Still searching", 6), ("Other", 2), ("Job", 2)))
        else:
            outcome = _weighted(rng, COMPLETED_OUTCOMES)
        if outcome == "Job":
            contract = _weighted(
                rng, (("Permanent", 45), ("3 months or more", 43), ("Under 3 months", 12))
            )
        elif outcome == "Internship":
            contract = rng.choice(("Under 3 months", "None"))
        else:
            contract = "None"
        return outcome, contract

    def add_follow_ups(self) -> None:
        """The calls to each mentee 3, 6 and 12 months after the start: most are recorded a
        few days after they fall due, about one in ten is unreachable, about a third of the
        others came in from the mentee's own link (Self-filled), and the ones due in the
        last weeks are often still to do (the to-do list has some). Drawn from a
        generator of their own, so the rest of the demo stays as it was."""
        by_duo: dict[str, list[Record]] = {}
        for evaluation in self.tables["Evaluations"]:
            by_duo.setdefault(str(evaluation["Duo ID"]), []).append(evaluation)
        for duo in self.duos:
            if duo.agreement is None or duo.status_on(self.today) not in STARTED:
                continue
            rng = random.Random(f"follow-ups:{duo.id}")
            outcome = next((str(e["Outcome"]) for e in by_duo.get(duo.id, []) if e["Outcome"]), "")
            contract = next(
                (str(e["Contract"]) for e in by_duo.get(duo.id, []) if e["Contract"]), ""
            )
            for months in FOLLOW_UP_MONTHS:
                due = add_months(duo.agreement, months)
                done = due + _days(rng.randint(0, 20))
                recent = (self.today - due).days < 30
                if done > self.today or rng.random() >= (0.35 if recent else 0.85):
                    continue
                situation, kind = follow_up_situation(rng, months, outcome, contract)
                record: Record = {
                    "ID": ids.new_id("F", self.taken, rng=rng),
                    "Duo ID": duo.id,
                    "Person ID": duo.mentee.id,
                    "Due on": due,
                    "Done on": done,
                    "Situation": situation,
                    "Contract": kind,
                    "Source": "Self-filled"
                    if rng.random() < 0.3 and situation not in NOT_SELF_FILLED
                    else "Coordinator call",
                    "Logged on": _at_work_hours(rng, done),
                }
                self.taken.add(str(record["ID"]))
                self.tables["Follow-ups"].append(record)
        self.tables["Follow-ups"].sort(key=_by("Logged on"))

    def add_peer_exchanges(self, office: Office, index: int, mentors: list[Person]) -> None:
        """Every two months, the mentors of running duos meet in groups of at most 18."""
        day = _next_weekday(self.start + _days(20 + index), 3)
        while day <= self.today + _days(40):
            active = [m for m in mentors if any(d.status_on(day) == "Active" for d in m.duos)]
            for first in range(0, len(active), 18):
                group = active[first : first + 18]
                session_day = day + _days(first // 18)
                language = office.session_languages[0]
                session_id = self.add_session(office, "Peer exchange", language, session_day, 20)
                for mentor in group:
                    if session_day > self.today:
                        status = "Registered"
                    else:
                        status = "Attended" if self.rng.random() < 0.75 else "Absent"
                    self.attend(session_id, mentor, session_day, status)
            day += _days(61)

    def lists_records(self, offices: tuple[Office, ...]) -> list[Record]:
        columns: dict[str, tuple[str, ...]] = {
            "Offices": tuple(office.name for office in offices),
            "Sectors": SECTORS,
            "Languages": LANGUAGES,
            "Topics": TOPICS,
            "End reasons": END_REASONS,
        }
        rows = max(len(values) for values in columns.values())
        return [
            {name: values[row] if row < len(values) else "" for name, values in columns.items()}
            for row in range(rows)
        ]

    # The whole run -----------------------------------------------------------------------

    def build(self) -> Tables:
        offices = self.offices()
        mentor_counts = self.shares(offices, round(BASE_MENTORS * self.scale))
        mentee_counts = self.shares(offices, round(BASE_MENTEES * self.scale))
        people_counts = [a + b for a, b in zip(mentor_counts, mentee_counts, strict=True)]
        self.add_staff(offices, people_counts)
        for index, office in enumerate(offices):
            self.build_office(office, index, mentee_counts[index], mentor_counts[index])
        self.mark_quiet_duos()
        for duo in self.duos:
            self.tables["Duos"].append(self.duo_record(duo))
            self.add_meetings(duo)
            self.add_check_ins(duo)
            self.add_evaluations(duo)
        self.add_follow_ups()
        self.tables["Budgets"] = budget_records(offices, self.today)
        self.tables["Participants"] = [
            self.participant_record(person) for person in sorted(self.people, key=_applied)
        ]
        self.tables["Lists"] = self.lists_records(offices)
        self.sort_tables()
        return self.tables

    def build_office(
        self, office: Office, index: int, mentee_count: int, mentor_count: int
    ) -> None:
        self.add_sessions(office, mentee_count, mentor_count)
        mentors = [self.new_person("Mentor", office) for _ in range(mentor_count)]
        mentees = [self.new_person("Mentee", office) for _ in range(mentee_count)]
        for person in mentors + mentees:
            self.plan_pipeline(person)
        mentees.sort(key=_applied)
        self.match_office(office, index, mentees, mentors)
        self.ensure_recent_proposals(office, index, mentees, mentors)
        self.add_peer_exchanges(office, index, mentors)
        self.people += mentors + mentees

    def mark_quiet_duos(self) -> None:
        """About one running duo in seven stopped logging meetings over three weeks ago;
        at least one does, so that the warning always has an example."""
        candidates = [
            duo
            for duo in self.duos
            if duo.status_on(self.today) == "Active"
            and duo.agreement is not None
            and (self.today - duo.agreement).days > 60
        ]
        for duo in candidates:
            duo.quiet = self.rng.random() < 0.15
        if candidates and not any(duo.quiet for duo in candidates):
            candidates[0].quiet = True

    def sort_tables(self) -> None:
        """Rows in the order staff would have appended them."""
        by_date: dict[str, str] = {
            "Duos": "Proposed on",
            "Meetings": "Logged on",
            "Check-ins": "Logged on",
            "Sessions": "Date",
            "Evaluations": "Date",
            "Attendance": "Updated on",
        }
        for name, column in by_date.items():
            self.tables[name].sort(key=_by(column))


STARTED = ("Active", "Completed", "Ended early")
FOLLOW_UP_MONTHS = (3, 6, 12)
SITUATION_OF_OUTCOME = {
    "Job": "Job",
    "Internship": "Internship",
    "Training": "Qualifying training",
    "Studies": "Studies",
}


NOT_SELF_FILLED = ("Unreachable", "Unknown")
"""Answers only a coordinator's call gives: a mentee who answers is reached."""


def follow_up_situation(
    rng: random.Random, months: int, outcome: str, contract: str
) -> tuple[str, str]:
    """A mentee's situation at a follow-up: on the way at 3 months, then the end outcome,
    sometimes better a year on; about one in ten does not answer."""
    if rng.random() < 0.1:
        return "Unreachable", ""
    situation = SITUATION_OF_OUTCOME.get(outcome, "Looking")
    if months < 6:
        situation = _weighted(rng, (("Looking", 85), ("Qualifying training", 10), ("Job", 5)))
    elif months >= 12 and situation == "Looking" and rng.random() < 0.35:
        situation = "Job"
    if situation != "Job":
        return situation, "None" if situation == "Internship" else ""
    if contract in ("Permanent", "3 months or more", "Under 3 months"):
        return situation, contract
    return situation, _weighted(
        rng, (("Permanent", 40), ("3 months or more", 40), ("Under 3 months", 20))
    )


def budget_records(offices: Sequence[Office], today: dt.date) -> list[Record]:
    """A yearly budget per office for last year and this one (synthetic amounts)."""
    return [
        {
            "Office": office.name,
            "Year": year,
            "Budget": round(40_000 + 120_000 * office.weight + 5_000 * (year - today.year + 1)),
        }
        for office in offices
        for year in (today.year - 1, today.year)
    ]


def _applied(person: Person) -> dt.date:
    return person.applied


def _by(column: str) -> Callable[[Record], dt.datetime]:
    return lambda record: _sortable(record[column])


def _sortable(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise TypeError(f"not a date: {value!r}")


def _pipeline_status(person: Person) -> str:
    """The furthest stage of the pipeline reached by `today` (before any duo or stop)."""
    stages = (
        ("Ready", person.ready),
        ("Trained", person.trained),
        ("Intake done", person.intake),
        ("Info session", person.info),
    )
    return next((status for status, day in stages if day is not None), "Applied")


def _match_score(mentee: Person, mentor: Person) -> int:
    sectors = len(set(mentee.sectors) & set(mentor.sectors))
    topics = len(set(mentee.topics) & set(mentor.topics))
    slots = len(set(mentee.slots) & set(mentor.slots))
    languages = len(set(mentee.languages) & set(mentor.languages))
    score = 30 + 25 * min(sectors, 1) + 6 * min(topics, 3) + 5 * min(slots, 3) + 4 * languages
    return min(100, score)


def _match_reasons(mentee: Person, mentor: Person) -> str:
    parts: list[str] = []
    sectors = [s for s in mentee.sectors if s in mentor.sectors]
    if sectors:
        parts.append(f"Same sector: {', '.join(sectors)}")
    languages = [lang for lang in mentee.languages if lang in mentor.languages]
    parts.append(f"Common languages: {', '.join(languages)}")
    topics = [t for t in mentee.topics if t in mentor.topics]
    if topics:
        parts.append(f"Mentor strong in: {', '.join(topics)}")
    slots = [s for s in mentee.slots if s in mentor.slots]
    if slots:
        parts.append(f"{len(slots)} common slots ({', '.join(slots[:3])})")
    return "; ".join(parts)


def _objectives(mentee: Person) -> str:
    goal = str(mentee.profile.get("Goal", "")).rstrip(".")
    work = ", ".join(topic.lower() for topic in mentee.topics[:3])
    return f"Action plan: {goal}. Work on {work}."


def generate(seed: int = 2013, scale: float = 1.0, today: dt.date | None = None) -> Tables:
    """Synthetic records for every tab of the workbook, keyed by canonical column names.

    Scale 1 is the demo: three offices, about 120 mentors and 150 mentees over the 18
    months before `today`. Scale N has N times the people (and what hangs off them) and
    more offices; scale 67 is about national size (10,000 mentees). The same seed, scale
    and today always give the same records.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    builder = _Builder(random.Random(seed), today or clock.today(), scale)
    return builder.build()


_MESSAGE_LANGUAGE = {"French": "fr", "Dutch": "nl", "English": "en"}


def _message_preferences(person: Person, status: str, record: Record) -> Record:
    """The language the tool writes to people in (those who came through the website
    chose it there: the first programme language they speak), and a few alumni who opted
    out of messages. Derived without the random generator, so the rest of the demo stays
    the same."""
    found: Record = {}
    if record.get("Source") == "Website":
        spoken = [_MESSAGE_LANGUAGE[name] for name in person.languages if name in _MESSAGE_LANGUAGE]
        if spoken:
            found["Language"] = spoken[0]
    if status == "Alumni" and person.id[-1] in "29":
        found["Opted out on"] = person.applied
    return found
