"""Reading and checking the in-scope list (DG EPI's list of detainees followed under the extremism
instructions) before anything is written. See docs/adr/0003-in-scope-list-import.md.

`parse_in_scope_csv` turns the uploaded bytes into one `ImportRow` per data row with its errors;
nothing here touches the database except to look up reference codes and existing files.
`services_import.detainees_import` writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Detainee, Listing, Prison
from .validators import national_number_is_valid, normalise_national_number

# Every column must be present in the header (in any order); cells of optional columns may be empty.
REQUIRED_VALUE_COLUMNS = (
    "external_ref",
    "last_name",
    "first_name",
    "prison",
    "legal_status",
    "listing_category",
    "threat_level",
    "listed_on",
)
OPTIONAL_VALUE_COLUMNS = (
    "date_of_birth",
    "national_number",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
)
COLUMNS = (
    "external_ref",
    "last_name",
    "first_name",
    "date_of_birth",
    "national_number",
    "prison",
    "legal_status",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
    "listing_category",
    "threat_level",
    "listed_on",
)
DATE_COLUMNS = (
    "date_of_birth",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
    "listed_on",
)
# The detainee fields an import sets; the rest of the file (team, release, languages) is the team's.
DETAINEE_IMPORT_FIELDS = (
    "last_name",
    "first_name",
    "date_of_birth",
    "national_number",
    "legal_status",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
TEXT_LIMITS = {"external_ref": 40, "last_name": 100, "first_name": 100}


def max_rows() -> int:
    return getattr(settings, "CASEWORK_IMPORT_MAX_ROWS", 5000)


def max_bytes() -> int:
    return getattr(settings, "CASEWORK_IMPORT_MAX_BYTES", 2 * 1024 * 1024)


@dataclass
class RowError:
    """One reason a row (or, with `row=None`, the whole file) cannot be imported."""

    row: int | None
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportRow:
    """A data row: `number` is its row in a spreadsheet (the header is row 1)."""

    number: int
    external_ref: str
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.is_valid]

    @property
    def errors(self) -> list[RowError]:
        return [*self.file_errors, *(error for row in self.rows for error in row.errors)]


def _decode(content: bytes) -> str:
    # utf-8-sig drops the BOM that Excel writes and reads plain UTF-8 unchanged.
    return content.decode("utf-8-sig")


def _delimiter(header_line: str) -> str:
    # A semicolon in the header means a Belgian-locale Excel export; header names never contain one.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _file_error(reason: str) -> ParsedFile:
    return ParsedFile(file_errors=[RowError(row=None, column="", reason=reason)])


def parse_in_scope_csv(content: bytes, *, organisation_id: int | None) -> ParsedFile:
    """Read and check the whole file. Never raises for bad input: every problem is in the result."""
    if not content or not content.strip():
        return _file_error(_("Het bestand is leeg."))
    if len(content) > max_bytes():
        return _file_error(_("Het bestand is te groot (maximum %(size)s MB).") % {"size": max_bytes() // (1024 * 1024)})
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        return _file_error(_("Het bestand is geen UTF-8-tekst. Bewaar het als 'CSV UTF-8' en probeer opnieuw."))
    if "\x00" in text:
        return _file_error(_("Het bestand is geen CSV-tekstbestand."))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=_delimiter(first_line))
    try:
        records = list(reader)
    except csv.Error as exc:
        return _file_error(_("Het bestand kan niet als CSV gelezen worden: %(error)s") % {"error": exc})
    header = [name.strip().lower() for name in records[0]] if records else []
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    errors = []
    if missing:
        errors.append(RowError(None, "", _("Ontbrekende kolom(men): %(cols)s.") % {"cols": ", ".join(missing)}))
    if unknown:
        errors.append(RowError(None, "", _("Onbekende kolom(men): %(cols)s.") % {"cols": ", ".join(unknown)}))
    if duplicated:
        errors.append(RowError(None, "", _("Dubbele kolom(men): %(cols)s.") % {"cols": ", ".join(duplicated)}))
    if errors:
        return ParsedFile(file_errors=errors)
    # Blank lines (a trailing newline, an empty spreadsheet row) are not data.
    data = [(number, record) for number, record in enumerate(records[1:], start=2) if any(c.strip() for c in record)]
    if not data:
        return _file_error(_("Het bestand bevat enkel een kopregel en geen gedetineerden."))
    if len(data) > max_rows():
        return _file_error(
            _("Te veel rijen: %(count)s; maximum %(max)s per bestand. Splits het bestand.")
            % {"count": len(data), "max": max_rows()}
        )
    return ParsedFile(rows=_check_rows(header, data, organisation_id=organisation_id))


def _check_rows(header: list[str], data: list[tuple[int, list[str]]], *, organisation_id: int | None) -> list[ImportRow]:
    prisons = {prison.code: prison for prison in Prison.objects.all()}
    legal_statuses = {value for value, _label in Detainee.LegalStatus.choices}
    categories = {value for value, _label in Listing.Category.choices}
    rows: list[ImportRow] = []
    for number, record in data:
        cells = {name: (record[index].strip() if index < len(record) else "") for index, name in enumerate(header)}
        row = ImportRow(number=number, external_ref=cells.get("external_ref", ""))
        if len(record) > len(header):
            row.errors.append(RowError(number, "", _("Meer cellen dan kolommen in de kopregel.")))
        _check_cells(row, cells, prisons=prisons, legal_statuses=legal_statuses, categories=categories)
        rows.append(row)
    _check_duplicates(rows)
    _check_ownership(rows, organisation_id=organisation_id)
    return rows


def _check_cells(row: ImportRow, cells: dict, *, prisons, legal_statuses, categories) -> None:
    def error(column: str, reason: str) -> None:
        row.errors.append(RowError(row.number, column, reason))

    today = timezone.localdate()
    values: dict = {}
    for column in REQUIRED_VALUE_COLUMNS:
        if not cells[column]:
            error(column, _("Verplicht veld is leeg."))
    for column, limit in TEXT_LIMITS.items():
        if len(cells[column]) > limit:
            error(column, _("Te lang: maximum %(max)s tekens.") % {"max": limit})
        values[column] = cells[column]
    for column in DATE_COLUMNS:
        if not cells[column]:
            values[column] = None
            continue
        parsed = _parse_date(cells[column])
        if parsed is None:
            error(column, _("Ongeldige datum '%(value)s': gebruik JJJJ-MM-DD of DD/MM/JJJJ.") % {"value": cells[column]})
        values[column] = parsed
    for column in ("date_of_birth", "incarcerated_on", "listed_on"):
        if values.get(column) and values[column] > today:
            error(column, _("De datum ligt in de toekomst."))
    if cells["national_number"]:
        number = normalise_national_number(cells["national_number"])
        if not national_number_is_valid(number):
            error("national_number", _("Ongeldig rijksregisternummer: 11 cijfers met geldige controlecijfers verwacht."))
        values["national_number"] = number
    else:
        values["national_number"] = ""
    prison_code = cells["prison"].lower()
    if prison_code and prison_code not in prisons:
        error("prison", _("Onbekende gevangeniscode '%(value)s'.") % {"value": cells["prison"]})
    values["prison"] = prisons.get(prison_code)
    for column, allowed, message in (
        ("legal_status", legal_statuses, _("Onbekend juridisch statuut '%(value)s'.")),
        ("listing_category", categories, _("Onbekende OCAD-categorie '%(value)s'.")),
    ):
        code = cells[column].lower()
        if code and code not in allowed:
            error(column, message % {"value": cells[column]})
        values[column] = code
    level = cells["threat_level"]
    if level and (not level.isdigit() or not 1 <= int(level) <= 4):
        error("threat_level", _("Dreigingsniveau moet 1, 2, 3 of 4 zijn."))
    values["threat_level"] = int(level) if level.isdigit() else None
    row.values = values


def _check_duplicates(rows: list[ImportRow]) -> None:
    first_seen: dict[str, int] = {}
    for row in rows:
        if not row.external_ref:
            continue
        if row.external_ref in first_seen:
            row.errors.append(RowError(
                row.number, "external_ref",
                _("Referentie '%(ref)s' komt al voor op rij %(first)s.") % {"ref": row.external_ref, "first": first_seen[row.external_ref]},
            ))
        else:
            first_seen[row.external_ref] = row.number


def _check_ownership(rows: list[ImportRow], *, organisation_id: int | None) -> None:
    """A reference already used by another organisation's file cannot be taken over by an import."""
    refs = [row.external_ref for row in rows if row.external_ref]
    foreign = set(
        Detainee.objects.filter(external_ref__in=refs).exclude(organisation_id=organisation_id)
        .values_list("external_ref", flat=True)
    )
    for row in rows:
        if row.external_ref in foreign:
            row.errors.append(RowError(
                row.number, "external_ref",
                _("Deze referentie hoort bij een dossier van een andere organisatie."),
            ))
