"""The yearly report as files that leave the team: CSV, XLSX and PDF, always with small cells suppressed."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from casework.pdf import render_pdf

from .yearly import SMALL_CELL, SUPPRESSED, YearlyReport

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def note() -> str:
    return _("Kleine aantallen (1 tot %(n)s) worden weergegeven als \"%(s)s\".") % {"n": SMALL_CELL - 1, "s": SUPPRESSED}


def _blank(value):
    return "" if value is None else value


def to_csv(report: YearlyReport) -> bytes:
    """One CSV with the three tables one after the other, each under its title (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Jaarcijfers %(year)s") % {"year": report.year}, report.organisation])
    writer.writerow([note()])
    for title, header, rows in report.tables():
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_blank(v) for v in row.cells(suppressed=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: YearlyReport) -> bytes:
    """A workbook with one sheet per table; suppressed cells are text, the rest numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for index, (title, header, rows) in enumerate(report.tables(), start=1):
        sheet = book.create_sheet(title=f"{index}. {title}"[:31].replace("/", "-"))
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([report.organisation, note()])
        sheet.append([])
        sheet.append(header)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_blank(v) for v in row.cells(suppressed=True)])
        sheet.column_dimensions["A"].width = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: YearlyReport) -> bytes:
    html = render_to_string("reporting/yearly_pdf.html", {"report": report, "tables": _suppressed_tables(report), "note": note()})
    return render_pdf(html)


def _suppressed_tables(report: YearlyReport):
    return [(title, header, [row.cells(suppressed=True) for row in rows]) for title, header, rows in report.tables()]


def render(report: YearlyReport, fmt: str) -> bytes:
    return {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}[fmt](report)
