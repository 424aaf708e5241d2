"""The printed agreement and attendance sheet: their text read back from the PDF with pypdf."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import pytest
from pypdf import PdfReader

from services.printouts import (
    agreement_pdf,
    agreement_printable,
    attendance_sheet,
    person_language,
)

DUO: dict[str, Any] = {
    "ID": "D-0042",
    "Status": "Active",
    "Office": "Brussels",
    "Coordinator": "Chloé Dubois",
    "Agreement on": pd.Timestamp(2026, 11, 3),
    "Planned end": pd.Timestamp(2027, 5, 3),
    "Objectives": "Trouver un emploi de comptable\nÉlargir son réseau à Bruxelles",
}
MENTOR = {"ID": "P-0001", "First name": "Łukasz", "Last name": "Öztürk"}
MENTEE = {"ID": "P-0002", "First name": "Thị Lan", "Last name": "Nguyễn", "Languages": ["Dutch"]}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def words_of(pdf: bytes) -> str:
    """The text with its spacing made single (PDF extraction may double a space)."""
    return " ".join(text_of(pdf).split())


@pytest.mark.parametrize(
    ("lang", "title", "rule", "not_there"),
    [
        ("fr", "Convention de mentorat", "Le mentorat est bénévole", "Mentoring agreement"),
        ("nl", "Mentoringovereenkomst", "De mentoring is vrijwillig", "Convention de mentorat"),
        ("en", "Mentoring agreement", "The mentoring is voluntary", "Mentoringovereenkomst"),
    ],
)
def test_the_agreement_prints_names_dates_objectives_and_rules_in_its_language(
    lang: str, title: str, rule: str, not_there: str
) -> None:
    pdf = agreement_pdf(DUO, MENTOR, MENTEE, lang)
    assert pdf.startswith(b"%PDF")
    text = words_of(pdf)
    assert title in text and rule in text and not_there not in text
    assert "Łukasz Öztürk" in text and "Thị Lan Nguyễn" in text
    assert "Chloé Dubois" in text and "D-0042" in text
    assert "03/11/2026" in text and "03/05/2027" in text
    assert "Trouver un emploi de comptable" in text and "Élargir son réseau" in text
    assert text.count("2") >= 1 and ("2 heures" in text or "2 uur" in text or "2 hours" in text)
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.title == title


def test_the_agreement_has_a_signature_line_for_the_mentee_the_mentor_and_the_coordinator() -> None:
    text = words_of(agreement_pdf(DUO, MENTOR, MENTEE, "en"))
    assert text.count("Date and signature") == 3
    for who in ("Mentee: Thị Lan Nguyễn", "Mentor: Łukasz Öztürk", "Coordinator: Chloé Dubois"):
        assert who in text


def test_long_objectives_move_the_three_signatures_together_to_the_next_page() -> None:
    long = {**DUO, "Objectives": "Trouver un emploi de comptable dans une PME. " * 12}
    pages = PdfReader(io.BytesIO(agreement_pdf(long, MENTOR, MENTEE, "fr"))).pages
    assert len(pages) == 2
    assert [page.extract_text().count("Date et signature") for page in pages] == [0, 3]


def test_a_name_typed_with_combining_accents_prints_composed() -> None:
    decomposed = {"First name": "Zoe\u0301", "Last name": "Nguye\u0302\u0303n"}
    text = words_of(agreement_pdf(DUO, MENTOR, decomposed, "fr"))
    assert "Zoé Nguyễn" in text


def test_an_agreement_not_yet_signed_prints_with_blank_dates_and_room_for_objectives() -> None:
    planned = {**DUO, "Status": "Intro planned", "Agreement on": pd.NaT, "Planned end": pd.NaT}
    planned["Objectives"] = ""
    text = words_of(agreement_pdf(planned, MENTOR, MENTEE, "fr"))
    assert "à écrire ensemble" in text and "/2026" not in text


def test_the_agreement_is_printable_from_the_intro_on_not_for_a_proposal() -> None:
    assert agreement_printable({"Status": "Intro planned"})
    assert agreement_printable({"Status": "Active"})
    assert not agreement_printable({"Status": "Proposed"})
    assert not agreement_printable({"Status": "Declined"})


@pytest.mark.parametrize(
    ("person", "fallback", "lang"),
    [
        ({"Languages": ["Arabic", "Dutch", "French"]}, "fr", "nl"),
        ({"Languages": ["English"]}, "fr", "en"),
        ({"Languages": ["Arabic"]}, "nl", "nl"),
        ({"Languages": []}, "de", "fr"),
        ({"Language": "French", "Languages": ["Dutch"]}, "en", "fr"),
    ],
)
def test_the_mentee_s_language_is_their_first_programme_language(
    person: dict[str, Any], fallback: str, lang: str
) -> None:
    assert person_language(person, fallback) == lang


SESSION: dict[str, Any] = {
    "ID": "S-0007",
    "Kind": "Info session",
    "Date": pd.Timestamp(2026, 12, 8),
    "Start time": "9h30",
    "End time": "11u30",
    "Office": "Brussels",
    "Language": "French",
    "Address": "Rue de l'Exemple 12, 1000 Brussels",
    "Video link": "",
}


def registered(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"Participant ID": f"P-{i}", "Name": n, "Role": r, "Status": s}
            for i, (n, r, s) in enumerate(rows)
        ]
    )


def test_the_attendance_sheet_lists_the_registered_people_and_not_the_cancelled_ones() -> None:
    people = registered(
        ("Łukasz Öztürk", "Mentor", "Registered"),
        ("Amina El Idrissi", "Mentee", ""),
        ("Gone Away", "Mentee", "Cancelled"),
        ("Nguyễn Văn An", "Mentee", "Attended"),
    )
    text = words_of(attendance_sheet(SESSION, people, "fr"))
    assert "Feuille de présence" in text and "Séance d'info" in text
    assert "08/12/2026" in text and "09:30–11:30" in text
    assert "Rue de l'Exemple 12, 1000 Brussels" in text
    assert "Signature" in text and "Inscrits : 3" in text
    for name in ("Łukasz Öztürk", "Amina El Idrissi", "Nguyễn Văn An"):
        assert name in text
    assert "Gone Away" not in text
    order = [text.index(name) for name in ("Amina", "Łukasz", "Nguyễn")]
    assert order == sorted(order), "by name"


@pytest.mark.parametrize(
    ("lang", "title", "online"),
    [("fr", "Feuille de présence", "en ligne"), ("nl", "Aanwezigheidslijst", "online")],
)
def test_an_online_session_s_sheet_says_so_in_its_language(
    lang: str, title: str, online: str
) -> None:
    session = {**SESSION, "Address": "", "Video link": "https://video.example.org/x"}
    text = words_of(attendance_sheet(session, registered(), lang))
    assert title in text and online in text and "video.example.org" not in text


def test_a_long_list_runs_onto_more_pages() -> None:
    people = registered(*[(f"Person {n:03d}", "Mentee", "Registered") for n in range(60)])
    pdf = attendance_sheet(SESSION, people, "en")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert "Person 000" in text_of(pdf) and "Person 059" in text_of(pdf)


def test_the_printouts_are_dated_by_the_app_s_clock() -> None:
    reader = PdfReader(io.BytesIO(agreement_pdf(DUO, MENTOR, MENTEE, "en")))
    assert reader.metadata is not None
    created = reader.metadata.creation_date
    assert created is not None and created.date() == dt.date(2026, 11, 26)
