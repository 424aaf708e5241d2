"""The annual report: the figures DUO publishes for a year, beside the year before, as a
print-ready PDF in French, Dutch or English, for one office or all of them.

The figures are `impact.impact_report`'s (the same as the Reports page); this module only
lays them out (fpdf2, in the DejaVu Sans vendored in `fonts/`, as the agreement's printout,
so that "→" and office or people's names such as "Łódź" or "Nguyễn" print as typed) with a
bar per rate for each year. A year still running is counted up to today, and the page says so.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

from babel.numbers import format_decimal
from fpdf import FPDF

from i18n import locale_of, t
from impact import FIGURES, Figure, Impact
from services.printouts import FONT, FONTS
from services.reports import impact_of, offices_asked
from services.snapshot import Snapshot

MARGIN, WIDTH = 15, 180
BAR_WIDTH = 70
THIS_YEAR_COLOUR, LAST_YEAR_COLOUR = (31, 119, 180), (174, 199, 232)


def printable(text: str) -> str:
    """Text as printed: composed (NFC), so that letters typed with combining accents print
    with the font's own accented letters."""
    return unicodedata.normalize("NFC", text)


def year_bounds(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """A calendar year, up to today while it runs."""
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


def year_impact(data: Snapshot, year: int, today: dt.date, offices: Sequence[str] | None) -> Impact:
    start, end = year_bounds(year, today)
    return impact_of(data, start, end, today, offices)


def shown_value(figure: Figure, lang: str) -> str:
    """A figure's value in the language's way (a dash when nothing is known)."""
    if figure.value is None:
        return "-"
    locale = locale_of(lang)
    if figure.unit == "rate":
        return t("impact.pdf_percent", lang, value=round(figure.value * 100))
    if figure.unit == "days":
        return t("impact.days", lang, value=format_decimal(round(figure.value), locale=locale))
    if figure.unit == "score":
        return t(
            "impact.out_of_five", lang, value=format_decimal(round(figure.value, 1), locale=locale)
        )
    return t("impact.euros", lang, value=format_decimal(round(figure.value), locale=locale))


def shown_base(figure: Figure, lang: str) -> str:
    text = t("impact.base", lang, over=figure.over, unknown=figure.unknown)
    if figure.unreachable:
        text += " · " + t("impact.base_unreachable", lang, unreachable=figure.unreachable)
    return text


class _Report(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(120)
        self.cell(0, 5, printable(f"{self.footer_text} · {self.page_no()}"), align="C")


def _bar(pdf: _Report, rate: float | None, colour: tuple[int, int, int], label: str) -> None:
    """One year's rate as a bar out of 100%, its label on the left."""
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_font(FONT, size=8)
    pdf.cell(18, 4, printable(label))
    pdf.set_draw_color(200)
    pdf.rect(x + 18, y + 0.5, BAR_WIDTH, 3)
    if rate is not None:
        pdf.set_fill_color(*colour)
        pdf.rect(x + 18, y + 0.5, BAR_WIDTH * max(0.0, min(1.0, rate)), 3, style="F")
    pdf.ln(4.5)


def _figure_block(
    pdf: _Report, name: str, now: Figure, before: Figure, years: tuple[int, int], lang: str
) -> None:
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.set_text_color(0)
    pdf.set_font(FONT, style="B", size=11)
    pdf.cell(WIDTH - 60, 6, printable(t(f"impact.{name}", lang)))
    pdf.cell(30, 6, printable(shown_value(now, lang)), align="R")
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(90)
    pdf.cell(30, 6, printable(shown_value(before, lang)), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    pdf.cell(WIDTH - 60, 4, printable(shown_base(now, lang)))
    pdf.cell(60, 4, printable(shown_base(before, lang)), align="R", new_x="LMARGIN", new_y="NEXT")
    if now.unit == "rate":
        _bar(pdf, now.value, THIS_YEAR_COLOUR, str(years[0]))
        _bar(pdf, before.value, LAST_YEAR_COLOUR, str(years[1]))
    pdf.set_text_color(110)
    pdf.multi_cell(WIDTH, 3.8, printable(t(f"impact.{name}_definition", lang)))
    pdf.ln(3)


def annual_report_pdf(
    data: Snapshot, year: int, lang: str, today: dt.date, office: str | None = None
) -> bytes:
    """The annual report of `year` beside `year - 1`, for one office or every office in view."""
    offices: Sequence[str] | None = (office,) if office else offices_asked(data)
    now, before = (year_impact(data, y, today, offices) for y in (year, year - 1))
    scope = office or t("impact.pdf_all_offices", lang)
    pdf = _Report(t("impact.pdf_footer", lang, year=year, scope=scope))
    pdf.set_title(printable(t("impact.pdf_title", lang, year=year, scope=scope)))
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=16)
    pdf.multi_cell(WIDTH, 8, printable(t("impact.pdf_title", lang, year=year, scope=scope)))
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(90)
    start, end = year_bounds(year, today)
    pdf.multi_cell(
        WIDTH,
        4.5,
        printable(t("impact.pdf_period", lang, start=start, end=end, before=year - 1)),
    )
    pdf.multi_cell(WIDTH, 4.5, printable(t("impact.intro", lang)))
    pdf.ln(2)
    pdf.set_font(FONT, style="B", size=9)
    pdf.set_text_color(0)
    pdf.cell(WIDTH - 60, 5, printable(t("impact.column_figure", lang)))
    pdf.cell(30, 5, str(year), align="R")
    pdf.cell(30, 5, str(year - 1), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + WIDTH, pdf.get_y())
    pdf.ln(2)
    for name in FIGURES:
        _figure_block(pdf, name, now.figures[name], before.figures[name], (year, year - 1), lang)
    return bytes(pdf.output())
