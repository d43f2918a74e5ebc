"""The yearly release as files that leave the team: CSV, XLSX and PDF, cell for cell the tables of the page.

Every file carries the same tables (`yearly.tables`), each with its definition, and the notes on how to read
them (the markers and the suppression method).
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.documents import Document, made_facts
from casework.pdf import render_pdf
from config.csv_export import CONTENT_TYPE as CSV_CONTENT_TYPE
from config.csv_export import csv_text

from .yearly import Figures, notes, shown, tables

FORMATS = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _blank(value):
    return "" if value is None else value


def _title(fig: Figures) -> str:
    return _("Jaarcijfers %(year)s") % {"year": fig.year}


def to_csv(fig: Figures) -> bytes:
    """One CSV (`;`, UTF-8 with BOM for Excel): the notes, then every table under its title and definition."""
    rows: list[list] = [[_title(fig), fig.organisation], [_("Zo leest u deze cijfers")]]
    rows += [[marker, text] for marker, text in notes()]
    for table in tables(fig):
        rows += [[], [table.title], [table.definition], [c.header for c in table.columns]]
        rows += [[row.label, *(_blank(shown(c.value)) for c in row.cells)] for row in table.rows]
    return csv_text(rows).encode("utf-8")


def to_xlsx(fig: Figures) -> bytes:
    """A workbook with a notes sheet and one sheet per table: counts and years as numbers, percentages as
    percentages (0.33 shown as 33%), markers as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    info = book.active
    info.title = _("Toelichting")[:31]
    info.append([_title(fig)])
    info["A1"].font = Font(bold=True, size=12)
    info.append([fig.organisation])
    info.append([])
    info.append([_("Zo leest u deze cijfers")])
    info.cell(row=info.max_row, column=1).font = Font(bold=True)
    for marker, text in notes():
        info.append([marker, text])
    info.append([])
    info.append([_("Tabel"), _("Definitie")])
    info.cell(row=info.max_row, column=1).font = Font(bold=True)
    for table in tables(fig):
        info.append([table.title, table.definition])
    info.column_dimensions["A"].width = 44
    info.column_dimensions["B"].width = 110
    for row in info.iter_rows(min_row=5):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")

    for table in tables(fig):
        sheet = book.create_sheet(title=table.sheet[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([table.definition])
        sheet.append([])
        sheet.append([int(c.header) if c.header.isdigit() else c.header for c in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            label = int(row.label) if row.number_label else row.label
            values = []
            for cell in row.cells:
                if cell.kind == "percent" and isinstance(cell.value, int):
                    values.append(cell.value / 100)
                else:
                    values.append(shown(cell.value))
            sheet.append([label, *values])
            for column, cell in enumerate(row.cells, start=2):
                target = sheet.cell(row=sheet.max_row, column=column)
                if cell.kind == "percent" and isinstance(cell.value, int):
                    target.number_format = "0%"
                elif isinstance(cell.value, str):
                    target.alignment = Alignment(horizontal="right")
            if row.total:
                for target in sheet[sheet.max_row]:
                    target.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# A table of more columns than this does not fit A4 portrait at a readable size: its page turns landscape.
PORTRAIT_COLUMNS = 6


def yearly_document(fig: Figures, the_tables, *, made_by=None) -> Document:
    """The yearly figures' cover: what the release is, for whom, made by whom and when, in which language,
    how small counts are protected, and the list of its tables."""
    facts = [
        (_("Organisatie"), fig.organisation),
        (_("Jaar"), str(fig.year)),
        *made_facts(made_by=made_by, made_at=fig.generated_at, language=get_language()),
    ]
    return Document(
        title=_("Jaarcijfers disengagementtrajecten %(year)s") % {"year": fig.year},
        for_whom=_("Geaggregeerde cijfers van %(org)s, voor publicatie") % {"org": fig.organisation},
        facts=facts,
        about=_(
            "De cijfers van de disengagementtrajecten zoals ze het team verlaten: dezelfde cellen als op de "
            "pagina, in de API en in de CSV- en XLSX-bestanden. Kleine aantallen zijn onderdrukt zodat geen "
            "persoon herkenbaar is; de eerste pagina na deze legt uit hoe u de cijfers leest."
        ),
        contents=[(table.title, "") for table in the_tables],
        footer=_("Geaggregeerde cijfers — kleine aantallen onderdrukt"),
    )


def _orientation_groups(the_tables) -> list[tuple[bool, list]]:
    """The tables in their order, consecutive ones of one orientation together: (landscape?, tables)."""
    groups: list[tuple[bool, list]] = []
    for table in the_tables:
        wide = len(table.columns) > PORTRAIT_COLUMNS
        if groups and groups[-1][0] == wide:
            groups[-1][1].append(table)
        else:
            groups.append((wide, [table]))
    return groups


def to_pdf(fig: Figures, *, made_by=None) -> bytes:
    """The release as a document to hand over (templates/documents/base.html): a cover, the notes, then each
    table with its definition; a table wider than portrait allows gets landscape pages."""
    the_tables = tables(fig)
    html = render_to_string(
        "reporting/yearly_pdf.html",
        {
            "report": fig,
            "notes": notes(),
            "document": yearly_document(fig, the_tables, made_by=made_by),
            "groups": _orientation_groups(the_tables),
        },
    )
    return render_pdf(html)


def render(fig: Figures, fmt: str, *, made_by=None) -> bytes:
    if fmt == "pdf":
        return to_pdf(fig, made_by=made_by)
    return {"csv": to_csv, "xlsx": to_xlsx}[fmt](fig)
