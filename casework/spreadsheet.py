"""Reading an uploaded spreadsheet into a header and rows of cells, whatever office tool wrote it.

Accepted: CSV with `;`, `,` or tab as delimiter (sniffed), in UTF-8 (with or without BOM), UTF-16
with BOM (Excel's "Unicode text"), Windows-1252 or ISO-8859-1 (Excel's older "CSV" save), and XLSX
(the first sheet; date cells arrive as dates). Anything else — an image, a PDF, an old .xls, a ZIP
that is no workbook — is "not a CSV or XLSX file", never an encoding hint.

Nothing here knows about detainees: `casework.importer` maps the columns and checks the cells.
See docs/adr/0015-intake-from-real-spreadsheets.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Signatures of common files people upload by mistake; none of them is a spreadsheet we can read.
_NOT_SPREADSHEET_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"RIFF",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
    b"{\\rtf",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and .doc of Office 97-2003
_ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")
ENCODING_LABELS = {
    "utf-8-sig": gettext_lazy("UTF-8 met BOM"),
    "utf-8": gettext_lazy("UTF-8"),
    "utf-16": gettext_lazy("UTF-16"),
    "cp1252": gettext_lazy("Windows-1252"),
    "latin-1": gettext_lazy("ISO-8859-1"),
}
DELIMITER_LABELS = {";": gettext_lazy("puntkomma"), ",": gettext_lazy("komma"), "\t": gettext_lazy("tab")}


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet; the message is for the user."""


@dataclass
class Table:
    """The first row is the header; `rows` holds (spreadsheet row number, cells) for the other non-blank rows.

    A cell is a stripped `str`, or a `datetime.date` when an XLSX cell holds a date.
    """

    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ""

    @property
    def description(self) -> str:
        """How the file was read, for the preview: "CSV, Windows-1252, puntkomma" or "XLSX"."""
        if self.format == "xlsx":
            return _("XLSX-werkmap (eerste blad)")
        return _("CSV, tekencodering %(encoding)s, scheidingsteken %(delimiter)s") % {
            "encoding": ENCODING_LABELS.get(self.encoding, self.encoding),
            "delimiter": DELIMITER_LABELS.get(self.delimiter, self.delimiter),
        }


def not_a_spreadsheet() -> SpreadsheetError:
    return SpreadsheetError(
        _("Dit is geen CSV- of XLSX-bestand. Bewaar de lijst als CSV of als Excel-werkmap (.xlsx).")
    )


def read_table(content: bytes) -> Table:
    """Read `content` (CSV or XLSX bytes). Raises `SpreadsheetError` with a message for the user."""
    if content.startswith(_ZIP_MAGIC):
        return _read_xlsx(content)
    if content.startswith(_OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "Dit is geen CSV- of XLSX-bestand maar een oud Excel-bestand (.xls). Bewaar het als Excel-werkmap (.xlsx) of als CSV."
            )
        )
    if content.startswith(_NOT_SPREADSHEET_MAGIC):
        raise not_a_spreadsheet()
    text, encoding = _decode(content)
    return _read_csv(text, encoding)


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise not_a_spreadsheet() from exc
    # Text never holds NUL or most C0 control characters; binary files nearly always do.
    sample = content[:65536]
    if b"\x00" in sample or sum(sample.count(bytes([c])) for c in range(1, 32) if c not in (9, 10, 13)) > 2:
        raise not_a_spreadsheet()
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Excel's "CSV" save in Western Europe is Windows-1252. The five bytes cp1252 leaves
    # undefined mean ISO-8859-1 (control characters there, never letters we would misread).
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, the same number on each line."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ";", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(record) for record in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths:
            continue
        header_width = widths[0]
        consistent = sum(1 for width in widths if width == header_width)
        score = (header_width if header_width > 1 else 0, consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(text: str, encoding: str) -> Table:
    text = text.lstrip("\ufeff\r\n")
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(_("Het bestand kan niet als CSV gelezen worden: %(error)s") % {"error": exc}) from exc
    if not records:
        raise SpreadsheetError(_("Het bestand is leeg."))
    header = [cell.strip() for cell in records[0]]
    rows = [
        (number, [cell.strip() for cell in record])
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    ]
    return Table(header=header, rows=rows, format="csv", encoding=encoding, delimiter=delimiter)


def _xlsx_cell(value) -> str | dt.date:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        # A ZIP that is not a workbook (a .docx, an archive) or a damaged workbook.
        raise not_a_spreadsheet() from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SpreadsheetError(_("Het bestand is leeg."))
        header: list[str] | None = None
        rows: list[tuple[int, list]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_cell(value) for value in values]
            if header is None:
                if not any(cells):
                    # Leading blank rows above the header: the header is the first row with content.
                    continue
                header = [str(cell) for cell in cells]
                continue
            if any(cell != "" for cell in cells):
                rows.append((number, cells))
    finally:
        workbook.close()
    if header is None:
        raise SpreadsheetError(_("Het bestand is leeg."))
    # Trailing empty header cells are formatting, not columns.
    while header and header[-1] == "":
        header.pop()
    return Table(header=header, rows=rows, format="xlsx")
