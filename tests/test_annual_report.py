"""The annual report PDF: the figures of a year beside the year before, checked as text.

On the hand-built workbook of `tests/test_impact.py` (today 15 July 2026): 2026 counts up
to today, so D-7 (signed 1 July 2025, nothing recorded) joins the positive-exit mentees:
2 positive of 4 known, over 6, 2 unknown (50%); in 2025 only D-6 (signed 31 December 2024)
had its 12 months end, with a permanent job: 100% over 1.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from i18n import LANGUAGES, t
from impact import FIGURES
from services.annual_report import annual_report_pdf, printable
from services.snapshot import Snapshot
from tests.test_impact import TODAY, all_duos, budgets, evaluations, follow_ups, participants
from tests.test_workflow import frame


def snapshot() -> Snapshot:
    frames = {
        "Participants": participants(),
        "Duos": all_duos(),
        "Evaluations": evaluations(),
        "Follow-ups": follow_ups(),
        "Budgets": budgets(),
        "Settings": frame("Settings", []),
    }
    return Snapshot(frames, [], ("Antwerp", "Brussels"), version=object(), limited=False)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_holds_every_figure_with_its_base_and_the_year_before(lang: str) -> None:
    text = flat(text_of(annual_report_pdf(snapshot(), 2026, lang, TODAY)))
    scope = t("impact.pdf_all_offices", lang)
    assert flat(printable(t("impact.pdf_title", lang, year=2026, scope=scope))) in text
    for name in FIGURES:
        assert flat(printable(t(f"impact.{name}", lang))) in text, name
    exits_now = t("impact.pdf_percent", lang, value=50)
    exits_before = t("impact.pdf_percent", lang, value=100)
    assert flat(printable(f"{t('impact.positive_exit', lang)} {exits_now} {exits_before}")) in text
    assert flat(printable(t("impact.base", lang, over=6, unknown=2))) in text
    assert flat(printable(t("impact.base", lang, over=1, unknown=0))) in text
    assert flat(printable(t("impact.base_unreachable", lang, unreachable=1))) in text


def test_an_offices_pdf_has_only_its_figures() -> None:
    text = flat(text_of(annual_report_pdf(snapshot(), 2026, "en", TODAY, "Antwerp")))
    assert "annual report 2026: Antwerp" in text
    # Antwerp's mentees: D-4 positive (by its evaluation), D-5 unknown.
    assert "Positive exit within 12 months 100% -" in text
    assert "over 2 · 1 unknown" in text


def test_names_outside_latin_1_and_arrows_print_as_typed() -> None:
    text = flat(text_of(annual_report_pdf(snapshot(), 2026, "en", TODAY, "Łódź Nguyễn")))
    assert "annual report 2026: Łódź Nguyễn" in text
    assert "Conversion applicant → duo" in text
    assert "?" not in text


def test_letters_typed_with_combining_accents_are_composed() -> None:
    assert printable("Nguye\u0302\u0303n") == "Nguyễn"
