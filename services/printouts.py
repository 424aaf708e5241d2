"""Printouts: the mentoring agreement a duo signs, and a session's attendance sheet, as PDF.

Built with fpdf2 (pure Python) in the fonts vendored in `fonts/` (DejaVu Sans, which has
every letter of names such as "Łukasz Öztürk" or "Nguyễn"), so a machine with no fonts
installed prints them the same. The texts are in `i18n/printouts.toml`; the agreement is in
the mentee's language (`person_language`), dates day first (26/11/2026). Nothing here reads
the workbook: the page hands over the rows it shows, and offers the bytes to download.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos

import clock
from i18n import LANGUAGES, catalogue, day_text, t
from sheets.values import normalise_key
from venues import time_span
from workflow import cell_date, cell_text, person_name

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
LANGUAGE_CODES = {"French": "fr", "Dutch": "nl", "English": "en"}
"""The programme's languages as stored, and the language of the texts printed for them."""
CANCELLED = "Cancelled"
AGREEMENT_STATUSES = ("Intro planned", "Active", "Completed", "Ended early")
"""The duos whose agreement can be printed: to sign at the intro, or again later."""


def agreement_printable(duo: Mapping[str, Any]) -> bool:
    return cell_text(duo, "Status") in AGREEMENT_STATUSES


def person_language(person: Mapping[str, Any], fallback: str = "fr") -> str:
    """The language to print for a person: their `Language` cell when the workbook has one,
    else the first programme language among their Languages, else `fallback`."""
    chosen = LANGUAGE_CODES.get(cell_text(person, "Language"))
    if chosen:
        return chosen
    languages = person.get("Languages")
    for language in languages if isinstance(languages, list | tuple) else []:
        if language in LANGUAGE_CODES:
            return LANGUAGE_CODES[language]
    return fallback if fallback in LANGUAGES else "fr"


def _text(value: object) -> str:
    """Text as printed: composed (NFC), so that a name typed with combining accents prints
    with the font's own accented letters."""
    return unicodedata.normalize("NFC", "" if value is None else str(value))


def _value(value: str, lang: str) -> str:
    """A stored value (kind, role, language, office) in `lang` when the catalogue has it."""
    key = f"values.{normalise_key(value)}"
    return t(key, lang) if key in catalogue() else value


class _Sheet(FPDF):
    """An A4 page in DejaVu Sans, with the programme's name and page numbers in the footer."""

    def __init__(self, lang: str, title: str) -> None:
        super().__init__(format="A4")
        self.lang_code = lang
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_lang(lang)
        self.set_creator(t("printouts.programme", lang))
        self.set_creation_date(clock.now().astimezone())
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{t('printouts.programme', self.lang_code)} · {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, _text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, 5.5, _text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label and value, one line each (the value wraps under itself)."""
        for name, value in rows:
            self.set_font(FONT, "B", 10)
            self.cell(52, 6, _text(name))
            self.set_font(FONT, "", 10)
            self.multi_cell(
                0, 6, _text(value) or "—", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())


def agreement_pdf(
    duo: Mapping[str, Any],
    mentor: Mapping[str, Any],
    mentee: Mapping[str, Any],
    lang: str,
) -> bytes:
    """The mentoring agreement of a duo in `lang`: both names, the coordinator, the office,
    the start (Agreement on) and planned end, the meeting frequency, the objectives, the rules
    of the programme and a signature line for each of the three."""
    tr = _translator(lang)
    mentor_name, mentee_name = person_name(mentor), person_name(mentee)
    pdf = _Sheet(lang, tr("agreement_title"))
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, _text(tr("programme")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.heading(tr("agreement_title"))
    pdf.paragraph(tr("agreement_intro", mentor=mentor_name, mentee=mentee_name))
    start, end = cell_date(duo, "Agreement on"), cell_date(duo, "Planned end")
    pdf.facts(
        [
            (tr("mentee"), mentee_name),
            (tr("mentor"), mentor_name),
            (tr("coordinator"), cell_text(duo, "Coordinator")),
            (tr("office"), _value(cell_text(duo, "Office"), lang)),
            (tr("duo"), cell_text(duo, "ID")),
            (tr("start"), day_text(start) if start else ""),
            (tr("planned_end"), day_text(end) if end else ""),
            (tr("frequency"), tr("frequency_text")),
        ]
    )
    pdf.heading(tr("objectives"), 12)
    pdf.paragraph(cell_text(duo, "Objectives") or tr("no_objectives"))
    pdf.heading(tr("rules"), 12)
    for number, rule in enumerate(tr("rules_text").splitlines(), start=1):
        pdf.paragraph(f"{number}. {rule}", size=9)
    if pdf.will_page_break(SIGNATURES_HEIGHT):
        pdf.add_page()  # the three signatures on one page, under their heading
    pdf.heading(tr("signatures"), 12)
    pdf.paragraph(tr("read_and_approved"), size=9)
    for role, name in (
        (tr("mentee"), mentee_name),
        (tr("mentor"), mentor_name),
        (tr("coordinator"), cell_text(duo, "Coordinator")),
    ):
        _signature_block(pdf, f"{role}: {name}", tr("signature_line"))
    return pdf.bytes()


SIGNATURE_HEIGHT = 24
"""Millimetres of one signature block: who, "date and signature", room to sign, the line."""
SIGNATURES_HEIGHT = 3 * SIGNATURE_HEIGHT + 20


def _signature_block(pdf: _Sheet, who: str, line: str) -> None:
    if pdf.will_page_break(SIGNATURE_HEIGHT):
        pdf.add_page()
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 6, _text(who), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, _text(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(9)
    y = pdf.get_y()
    pdf.line(pdf.l_margin, y, pdf.l_margin + 90, y)
    pdf.ln(4)


def attendance_sheet(session: Mapping[str, Any], people: pd.DataFrame, lang: str) -> bytes:
    """A session's attendance sheet: kind, date, time, place, then a table of the people
    registered (name, role, signature). `people` is `services.sessions.registrations`:
    cancelled registrations are left out whatever rows are given."""
    tr = _translator(lang)
    kind = _value(cell_text(session, "Kind"), lang)
    pdf = _Sheet(lang, f"{tr('attendance_title')} · {kind}")
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, _text(tr("programme")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.heading(f"{tr('attendance_title')} · {kind}")
    on = cell_date(session, "Date")
    address = cell_text(session, "Address")
    place = address or (tr("online") if cell_text(session, "Video link") else "")
    pdf.facts(
        [
            (tr("date"), day_text(on) if on else ""),
            (tr("time"), time_span(session.get("Start time"), session.get("End time"))),
            (tr("place"), place),
            (tr("office"), _value(cell_text(session, "Office"), lang)),
            (tr("language"), _value(cell_text(session, "Language"), lang)),
        ]
    )
    shown = _kept(people)
    pdf.paragraph(tr("registered_count", count=len(shown)))
    if not shown:
        pdf.paragraph(tr("nobody"))
        return pdf.bytes()
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        col_widths=(8, 62, 30, 74),
        line_height=9,
        first_row_as_headings=True,
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT"),
    ) as table:
        header = table.row()
        for title in ("#", tr("name"), tr("role"), tr("signature")):
            header.cell(title)
        for number, person in enumerate(shown, start=1):
            row = table.row()
            row.cell(str(number))
            row.cell(_text(person["Name"]))
            row.cell(_value(person["Role"], lang) if person["Role"] else "")
            row.cell("")
    return pdf.bytes()


def _kept(people: pd.DataFrame) -> list[dict[str, str]]:
    """The people registered (a cancelled registration aside), by name."""
    kept = []
    for row in people.to_dict("records"):
        if str(row.get("Status") or "").strip() == CANCELLED:
            continue
        name = str(row.get("Name") or row.get("Participant ID") or "")
        kept.append({"Name": name, "Role": str(row.get("Role") or "")})
    return sorted(kept, key=lambda person: alphabetical(person["Name"]))


_BASE_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})


def alphabetical(name: str) -> str:
    """A sort key that files a name under its base letters (Łukasz under L, Élodie under E)."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_BASE_LETTERS))
    return "".join(char for char in folded if not unicodedata.combining(char))


def _translator(lang: str) -> Callable[..., str]:
    def tr(key: str, **params: Any) -> str:
        return t(f"printouts.{key}", lang, **params)

    return tr
