"""Reading and checking the in-scope list (DG EPI's list of detainees followed under the extremism
instructions) before anything is written. See docs/adr/0003-in-scope-list-import.md and
docs/adr/0015-intake-from-real-spreadsheets.md.

Three steps, none of which writes:
1. `casework.spreadsheet.read_table` reads CSV or XLSX bytes into a header and rows;
2. `propose_mapping` says which of our fields each column holds (the organisation's remembered
   choice first, then the aliases of `casework.import_vocabulary`); the user may correct it;
3. `check_table` checks every row under that mapping and returns one `ImportRow` per data row.
`parse_in_scope_file` does all three. `services_import.detainees_import` writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dates import detainee_date_errors, range_error
from accounts.display import local_date
from config.crypto import blind_index

from . import import_vocabulary as vocabulary
from .models import Detainee, Prison
from .spreadsheet import SpreadsheetError, Table, read_table
from .validators import national_number_is_valid, normalise_national_number

FIELD_CODES = vocabulary.FIELD_CODES
# The column order of the sample file.
COLUMNS = FIELD_CODES
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
# d/m/yyyy is read by %d/%m/%Y too (strptime accepts one digit); a time part is what some tools add to a date.
DATE_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
TEXT_LIMITS = {"external_ref": 40, "last_name": 100, "first_name": 100}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def max_rows() -> int:
    return getattr(settings, "CASEWORK_IMPORT_MAX_ROWS", 15000)


def max_bytes() -> int:
    return getattr(settings, "CASEWORK_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


@dataclass
class RowError:
    """One reason a row (or, with `row=None`, the whole file) cannot be imported.

    `column` is the column as the file names it; `field` our code for it.
    """

    row: int | None
    column: str
    reason: str
    field: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "field": self.field, "reason": self.reason}


@dataclass
class ImportRow:
    """A data row: `number` is its row in the spreadsheet (the header is row 1)."""

    number: int
    external_ref: str
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ColumnMapping:
    """Column `index` of the file, headed `header`, holds our field `field` ("" = ignored)."""

    index: int
    header: str
    field: str
    samples: list[str] = field(default_factory=list)

    @property
    def field_label(self) -> str:
        return str(vocabulary.FIELD_LABELS[self.field]) if self.field else ""

    def as_dict(self) -> dict:
        return {"column": self.header, "field": self.field}


@dataclass
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # (row number, the row's reference, the existing file's id) for each potential duplicate noticed.
    possible_duplicates: list[tuple[int, str, int]] = field(default_factory=list)
    columns: list[ColumnMapping] = field(default_factory=list)
    read_as: str = ""
    format: str = ""
    encoding: str = ""

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.is_valid]

    @property
    def errors(self) -> list[RowError]:
        return [*self.file_errors, *(error for row in self.rows for error in row.errors)]


def _file_error(reason: str, **kwargs) -> ParsedFile:
    return ParsedFile(file_errors=[RowError(row=None, column="", reason=reason)], **kwargs)


# --- Step 1: read --------------------------------------------------------------------------------------


def read_upload(content: bytes) -> tuple[Table | None, ParsedFile | None]:
    """The table in the upload, or (None, a ParsedFile holding the file-level refusal)."""
    if not content or not content.strip():
        return None, _file_error(_("Het bestand is leeg."))
    if len(content) > max_bytes():
        return None, _file_error(
            _("Het bestand is te groot (maximum %(size)s MB).") % {"size": max_bytes() // (1024 * 1024)}
        )
    try:
        table = read_table(content)
    except SpreadsheetError as exc:
        return None, _file_error(str(exc))
    if not any(table.header):
        return None, _file_error(_("Het bestand is leeg."))
    return table, None


# --- Step 2: the columns ------------------------------------------------------------------------------


def propose_mapping(table: Table, *, remembered: dict[str, str] | None = None) -> list[ColumnMapping]:
    """How each column is understood: the organisation's remembered choice, else an alias, else ignored.

    A field claimed by two columns goes to the first; the second is ignored (and shown so).
    """
    remembered = remembered or {}
    aliases = vocabulary.header_aliases()
    taken: set[str] = set()
    columns = []
    for index, header in enumerate(table.header):
        header_key = vocabulary.key(header)
        field_code = remembered[header_key] if header_key in remembered else aliases.get(header_key, "")
        if field_code not in FIELD_CODES or field_code in taken:
            field_code = ""
        if field_code:
            taken.add(field_code)
        samples = [str(_display(cells[index])) for _number, cells in table.rows[:3] if index < len(cells)]
        columns.append(ColumnMapping(index=index, header=header, field=field_code, samples=samples))
    return columns


def mapping_from_choices(table: Table, choices: dict[str, str]) -> tuple[list[ColumnMapping], list[RowError]]:
    """The user's mapping: `choices` maps a header (as in the file, or its key) to a field code or "".

    Headers not in `choices` keep the proposed field. Returns the mapping and the refusals.
    """
    proposed = propose_mapping(table)
    by_key = {vocabulary.key(header): value for header, value in choices.items()}
    errors = []
    for column in proposed:
        header_key = vocabulary.key(column.header)
        if header_key in by_key:
            chosen = by_key[header_key] or ""
            if chosen and chosen not in FIELD_CODES:
                errors.append(RowError(None, column.header, _("Onbekend veld '%(field)s'.") % {"field": chosen}))
                chosen = ""
            column.field = chosen
    seen: dict[str, str] = {}
    for column in proposed:
        if not column.field:
            continue
        if column.field in seen:
            errors.append(
                RowError(
                    None,
                    column.header,
                    _("De kolommen '%(first)s' en '%(second)s' zijn allebei aangeduid als '%(field)s'.")
                    % {"first": seen[column.field], "second": column.header, "field": column.field_label},
                    column.field,
                )
            )
        else:
            seen[column.field] = column.header
    return proposed, errors


def remembered_key_map(columns: list[ColumnMapping]) -> dict[str, str]:
    """What an organisation remembers of a mapping: header key → field code ("" = ignore)."""
    return {vocabulary.key(column.header): column.field for column in columns if vocabulary.key(column.header)}


def _display(value) -> str:
    return local_date(value) if isinstance(value, dt.date) else str(value)


# --- Step 3: the rows -----------------------------------------------------------------------------------


def parse_in_scope_file(
    content: bytes,
    *,
    organisation_id: int | None,
    choices: dict[str, str] | None = None,
    remembered: dict[str, str] | None = None,
) -> ParsedFile:
    """Read, map and check the whole file. Never raises for bad input: every problem is in the result."""
    table, refused = read_upload(content)
    if refused is not None:
        return refused
    if choices:
        columns, mapping_errors = mapping_from_choices(table, choices)
    else:
        columns, mapping_errors = propose_mapping(table, remembered=remembered), []
    return check_table(table, columns, organisation_id=organisation_id, mapping_errors=mapping_errors)


def check_table(
    table: Table,
    columns: list[ColumnMapping],
    *,
    organisation_id: int | None,
    mapping_errors: list[RowError] = (),
) -> ParsedFile:
    parsed = ParsedFile(columns=columns, read_as=table.description, format=table.format, encoding=table.encoding)
    parsed.file_errors.extend(mapping_errors)
    mapped = {column.field: column for column in columns if column.field}
    missing = [code for code in vocabulary.REQUIRED_FIELDS if code not in mapped]
    if missing:
        parsed.file_errors.append(
            RowError(
                None,
                "",
                _("Ontbrekende kolom(men): %(cols)s.")
                % {
                    "cols": ", ".join(f"{vocabulary.FIELD_LABELS[code]} ({code})" for code in missing),
                },
            )
        )
    ignored = [column.header or f"#{column.index + 1}" for column in columns if not column.field]
    if ignored:
        parsed.notices.append(_("Genegeerde kolom(men), niet herkend: %(cols)s.") % {"cols": ", ".join(ignored)})
    if parsed.file_errors:
        return parsed
    if not table.rows:
        parsed.file_errors.append(RowError(None, "", _("Het bestand bevat enkel een kopregel en geen gedetineerden.")))
        return parsed
    if len(table.rows) > max_rows():
        parsed.file_errors.append(
            RowError(
                None,
                "",
                _("Te veel rijen: %(count)s; maximum %(max)s per bestand. Splits het bestand.")
                % {"count": len(table.rows), "max": max_rows()},
            )
        )
        return parsed
    rows = _check_rows(table, mapped, parsed=parsed)
    _check_duplicates(rows, parsed=parsed, column=mapped["external_ref"].header)
    _check_ownership(parsed.rows, organisation_id=organisation_id, column=mapped["external_ref"].header)
    if "national_number" in mapped:
        _check_national_numbers(parsed.rows, organisation_id=organisation_id, column=mapped["national_number"].header)
    _warn_possible_duplicates(parsed, organisation_id=organisation_id)
    return parsed


def _warn_possible_duplicates(parsed: ParsedFile, *, organisation_id: int | None) -> None:
    """A new reference for a person the organisation may already follow (same birth date, similar name):
    a notice on the check step, so the manager decides before a second file is opened."""
    from difflib import SequenceMatcher

    from .search import compact

    rows = [row for row in parsed.rows if row.is_valid and row.values.get("date_of_birth")]
    if not rows or organisation_id is None:
        return
    existing: dict = {}
    for pk, ref, name, born in Detainee.objects.filter(
        organisation_id=organisation_id,
        date_of_birth__in={row.values["date_of_birth"] for row in rows},
    ).values_list("pk", "external_ref", "search_compact", "date_of_birth"):
        existing.setdefault(born, []).append((pk, ref, name))
    for row in rows:
        name = compact(f"{row.values['first_name']} {row.values['last_name']}")
        for pk, ref, other in existing.get(row.values["date_of_birth"], []):
            if ref == row.external_ref:
                continue
            if SequenceMatcher(None, name, other).ratio() >= 0.8:
                parsed.notices.append(
                    _(
                        "Rij %(row)s (%(ref)s) lijkt op het bestaande dossier #%(pk)s (zelfde geboortedatum, gelijkaardige "
                        "naam): nakijken vóór het importeren, anders wordt een tweede dossier geopend."
                    )
                    % {"row": row.number, "ref": row.external_ref, "pk": pk}
                )
                parsed.possible_duplicates.append((row.number, row.external_ref, pk))
                break


def _cell_text(value) -> str:
    return _display(value).strip() if value is not None else ""


def _check_rows(table: Table, mapped: dict[str, ColumnMapping], *, parsed: ParsedFile) -> list[ImportRow]:
    context = _Vocabularies()
    header_width = len(table.header)
    rows = []
    for number, cells in table.rows:
        raw = {code: (cells[column.index] if column.index < len(cells) else "") for code, column in mapped.items()}
        row = ImportRow(number=number, external_ref=_cell_text(raw.get("external_ref", "")))
        if len(cells) > header_width and any(_cell_text(cell) for cell in cells[header_width:]):
            row.errors.append(RowError(number, "", _("Meer cellen dan kolommen in de kopregel.")))
        _check_cells(row, raw, mapped, context)
        rows.append(row)
    parsed.rows = rows
    return rows


class _Vocabularies:
    """The lookups one check needs, loaded once per file."""

    def __init__(self) -> None:
        self.prisons = vocabulary.prison_vocabulary(Prison.objects.all())
        self.legal_statuses = vocabulary.legal_status_vocabulary()
        self.categories = vocabulary.category_vocabulary()
        self.threat_levels = vocabulary.threat_level_vocabulary()
        self.today = timezone.localdate()


def parse_date(value) -> dt.date | None:
    """A date cell, or text as dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, dd-mm-yyyy or dd.mm.yyyy; None if unreadable."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def _check_cells(row: ImportRow, raw: dict, mapped: dict[str, ColumnMapping], context: _Vocabularies) -> None:
    """Every cell of one row against the rules of a file; what the row would write goes to `row.values`, what is
    wrong to `row.errors`, each in the words of the column the user mapped."""

    def error(code: str, reason: str) -> None:
        row.errors.append(RowError(row.number, mapped[code].header, reason, code))

    cells = {code: _cell_text(value) for code, value in raw.items()}
    values: dict = {}
    for code in vocabulary.REQUIRED_FIELDS:
        if not cells.get(code):
            error(code, _("Verplicht veld is leeg."))
    for code, limit in TEXT_LIMITS.items():
        text = cells.get(code, "")
        if len(text) > limit:
            error(code, _("Te lang: maximum %(max)s tekens.") % {"max": limit})
        values[code] = text
    _check_dates(cells, raw, values, error, context)
    _check_national_number(cells, values, error)
    _check_vocabularies(cells, values, error, context)
    _check_listing(row, cells, mapped, error)
    row.values = values


def _check_dates(
    cells: dict, raw: dict, values: dict, error: Callable[[str, str], None], context: _Vocabularies
) -> None:
    for code in DATE_COLUMNS:
        if not cells.get(code):
            values[code] = None
            continue
        parsed = parse_date(raw[code])
        if parsed is None:
            error(code, _("Ongeldige datum '%(value)s': gebruik DD/MM/JJJJ of JJJJ-MM-DD.") % {"value": cells[code]})
        values[code] = parsed
    if values.get("listed_on") and values["listed_on"] > context.today:
        error("listed_on", _("De datum ligt in de toekomst."))
    # The service's rules for a file's dates (plausible range, born before incarcerated …), in its words.
    date_errors = detainee_date_errors({code: values.get(code) for code in DATE_COLUMNS})
    if values.get("listed_on") and (message := range_error(values["listed_on"])):
        date_errors["listed_on"] = message
    for code, message in date_errors.items():
        error(code, message)


def _check_national_number(cells: dict, values: dict, error: Callable[[str, str], None]) -> None:
    values["national_number"] = ""
    if cells.get("national_number"):
        number = normalise_national_number(cells["national_number"])
        if not national_number_is_valid(number):
            error(
                "national_number", _("Ongeldig rijksregisternummer: 11 cijfers met geldige controlecijfers verwacht.")
            )
        values["national_number"] = number


def _check_vocabularies(cells: dict, values: dict, error: Callable[[str, str], None], context: _Vocabularies) -> None:
    """The prison, the legal status, the OCAD category and the threat level, each as one of the known values."""
    values["prison"] = None
    if cells.get("prison"):
        prison = context.prisons.get(vocabulary.prison_key(cells["prison"])) or context.prisons.get(
            vocabulary.key(cells["prison"])
        )
        if prison is None:
            error("prison", _("Onbekende gevangenis '%(value)s'.") % {"value": cells["prison"]})
        values["prison"] = prison
    for code, known, message in (
        ("legal_status", context.legal_statuses, _("Onbekend juridisch statuut '%(value)s'.")),
        ("listing_category", context.categories, _("Onbekende OCAD-categorie '%(value)s'.")),
    ):
        values[code] = ""
        if cells.get(code):
            values[code] = known.get(vocabulary.key(cells[code]), "")
            if not values[code]:
                error(code, message % {"value": cells[code]})
    level = cells.get("threat_level", "")
    values["threat_level"] = None
    if level:
        values["threat_level"] = context.threat_levels.get(vocabulary.key(level))
        if values["threat_level"] is None:
            error("threat_level", _("Dreigingsniveau moet 1, 2, 3 of 4 zijn."))


def _check_listing(
    row: ImportRow, cells: dict, mapped: dict[str, ColumnMapping], error: Callable[[str, str], None]
) -> None:
    """A listing needs its three facts; a file without any of them records no listing."""
    listing_codes = ("listing_category", "threat_level", "listed_on")
    if not any(cells.get(code) for code in listing_codes):
        return
    for code in listing_codes:
        if cells.get(code):
            continue
        if code in mapped:
            error(code, _("Verplicht wanneer de OCAD-vermelding is ingevuld."))
        else:
            row.errors.append(
                RowError(
                    row.number,
                    "",
                    _(
                        "Kolom '%(field)s' ontbreekt: een OCAD-vermelding heeft categorie, dreigingsniveau en datum nodig."
                    )
                    % {"field": vocabulary.FIELD_LABELS[code]},
                    code,
                )
            )


def _comparable(row: ImportRow) -> tuple:
    return tuple(
        sorted((code, str(value.pk) if hasattr(value, "pk") else str(value)) for code, value in row.values.items())
    )


def _check_duplicates(rows: list[ImportRow], *, parsed: ParsedFile, column: str) -> None:
    """The same reference twice: identical rows collapse into one (with a notice); different ones are errors."""
    first_seen: dict[str, ImportRow] = {}
    kept = []
    for row in rows:
        first = first_seen.get(row.external_ref) if row.external_ref else None
        if first is None:
            if row.external_ref:
                first_seen[row.external_ref] = row
            kept.append(row)
            continue
        if row.is_valid and first.is_valid and _comparable(row) == _comparable(first):
            parsed.notices.append(
                _("Rij %(row)s is gelijk aan rij %(first)s en telt als één rij.")
                % {"row": row.number, "first": first.number}
            )
            continue
        row.errors.append(
            RowError(
                row.number,
                column,
                _("Referentie '%(ref)s' komt al voor op rij %(first)s met andere gegevens.")
                % {"ref": row.external_ref, "first": first.number},
                "external_ref",
            )
        )
        kept.append(row)
    parsed.rows = kept


def _check_national_numbers(rows: list[ImportRow], *, organisation_id: int | None, column: str) -> None:
    """One file per person: a national number twice in the file, or held by a file with another reference."""
    indexes = {row.number: blind_index(row.values.get("national_number", "")) for row in rows if row.is_valid}
    holders = dict(
        Detainee.objects.filter(national_number_index__in=[index for index in indexes.values() if index]).values_list(
            "national_number_index", "external_ref"
        )
    )
    first_seen: dict[str, int] = {}
    for row in rows:
        index = indexes.get(row.number, "")
        if not index:
            continue
        if index in first_seen:
            row.errors.append(
                RowError(
                    row.number,
                    column,
                    _("Dit rijksregisternummer staat ook op rij %(first)s.") % {"first": first_seen[index]},
                    "national_number",
                )
            )
            continue
        first_seen[index] = row.number
        if index in holders and holders[index] != row.external_ref:
            # Not which file: it may belong to a file the user may not see.
            row.errors.append(
                RowError(
                    row.number, column, _("Dit rijksregisternummer hoort al bij een ander dossier."), "national_number"
                )
            )


def _check_ownership(rows: list[ImportRow], *, organisation_id: int | None, column: str) -> None:
    """A reference already used by another organisation's file cannot be taken over by an import."""
    refs = [row.external_ref for row in rows if row.external_ref]
    foreign = set(
        Detainee.objects.filter(external_ref__in=refs)
        .exclude(organisation_id=organisation_id)
        .values_list("external_ref", flat=True)
    )
    for row in rows:
        if row.external_ref in foreign:
            row.errors.append(
                RowError(
                    row.number,
                    column,
                    _("Deze referentie hoort bij een dossier van een andere organisatie."),
                    "external_ref",
                )
            )
