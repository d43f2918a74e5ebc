"""The one write of the in-scope list import: upsert detainees and their listing by `external_ref`.

Everything happens in one transaction; each row in a savepoint so that, when the user chose to
import only the valid rows, a row the services still refuse is reported and skipped without
touching the others. A dry run does the same work and rolls it back, so the preview shows exactly
what an import would create, update or leave unchanged. See docs/adr/0003-in-scope-list-import.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from config.crypto import blind_index
from config.history import recorded

from .importer import (
    DETAINEE_IMPORT_FIELDS,
    ColumnMapping,
    ImportRow,
    ParsedFile,
    RowError,
    parse_in_scope_file,
    remembered_key_map,
)
from .models import Detainee, ImportColumnMapping, Listing, Placement
from .services import detainee_update, listing_record, placement_record
from .text import fold

ALL_OR_NOTHING = "all_or_nothing"
VALID_ROWS_ONLY = "valid_rows_only"
MODES = (ALL_OR_NOTHING, VALID_ROWS_ONLY)
HISTORY_REASON = "in_scope_import"

UPDATED, UNCHANGED = "updated", "unchanged"


@dataclass
class ImportResult:
    parsed: ParsedFile
    mode: str
    dry_run: bool
    applied: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    absent: list[Detainee] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return self.parsed.errors

    @property
    def invalid_rows(self) -> int:
        return len(self.parsed.rows) - len(self.parsed.valid_rows)

    @property
    def can_import_valid_rows(self) -> bool:
        """Some rows are valid and some are not: the user may confirm importing only the valid ones."""
        return not self.parsed.file_errors and bool(self.parsed.valid_rows) and self.invalid_rows > 0

    @property
    def detail(self) -> str:
        if self.parsed.file_errors:
            return _("Het bestand kan niet geïmporteerd worden.")
        if self.applied and not self.dry_run:
            return _("Import voltooid: %(created)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd.") % {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            }
        if self.invalid_rows and (self.mode == ALL_OR_NOTHING or not self.parsed.valid_rows):
            return ngettext(
                "%(count)s rij bevat fouten; er is niets geïmporteerd.",
                "%(count)s rijen bevatten fouten; er is niets geïmporteerd.",
                self.invalid_rows,
            ) % {"count": self.invalid_rows}
        return _("Controle geslaagd: %(created)s nieuw, %(updated)s bij te werken, %(unchanged)s ongewijzigd.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "detail": self.detail,
            "applied": self.applied and not self.dry_run,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "rows": len(self.parsed.rows),
            "valid_rows": len(self.parsed.valid_rows),
            "invalid_rows": self.invalid_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors],
            "notices": list(self.parsed.notices),
            "read_as": self.parsed.read_as,
            "format": self.parsed.format,
            "encoding": self.parsed.encoding,
            "columns": [column.as_dict() for column in self.parsed.columns],
            "absent": [
                {"id": detainee.pk, "external_ref": detainee.external_ref or "", "name": str(detainee)}
                for detainee in self.absent
            ],
        }


def remembered_mapping(organisation_id: int | None) -> dict[str, str]:
    """The column choices the organisation made last time: header key → field code ("" = ignore)."""
    if organisation_id is None:
        return {}
    stored = (
        ImportColumnMapping.objects.filter(organisation_id=organisation_id).values_list("columns", flat=True).first()
    )
    return stored or {}


def import_mapping_remember(*, user: User, columns: list[ColumnMapping]) -> ImportColumnMapping | None:
    """Remember how the user's organisation names its columns, for its next upload (merged with earlier choices)."""
    if user.organisation_id is None:
        return None
    with transaction.atomic():
        mapping, _created = ImportColumnMapping.objects.select_for_update().get_or_create(
            organisation_id=user.organisation_id,
            defaults={"columns": {}, "updated_by": user},
        )
        merged = {**mapping.columns, **remembered_key_map(columns)}
        if merged != mapping.columns or mapping.updated_by_id != user.pk:
            mapping.columns = merged
            mapping.updated_by = user
            mapping.save(update_fields=["columns", "updated_by", "updated_at"])
    return mapping


def detainees_import(
    *,
    user: User,
    content: bytes,
    mode: str = ALL_OR_NOTHING,
    dry_run: bool = False,
    choices: dict[str, str] | None = None,
) -> ImportResult:
    """Check the whole in-scope list, then (unless `dry_run`) upsert it into the user's organisation.

    The columns are read as `choices` says (header → field code, "" to ignore a column), else as the
    organisation chose last time, else by their names in nl/fr/en. With `mode=all_or_nothing` a
    single bad row means nothing is written; with `valid_rows_only` the valid rows are written and
    the others reported. Re-importing the same file changes nothing.
    """
    if mode not in MODES:
        raise ValidationError({"mode": _("Onbekende modus '%(mode)s'.") % {"mode": mode}})
    if user.organisation_id is None:
        raise ValidationError({"file": _("Enkel een gebruiker van een dossierhoudende organisatie kan importeren.")})
    parsed = parse_in_scope_file(
        content,
        organisation_id=user.organisation_id,
        choices=choices,
        remembered=remembered_mapping(user.organisation_id),
    )
    result = ImportResult(parsed=parsed, mode=mode, dry_run=dry_run)
    if parsed.file_errors or not parsed.valid_rows:
        return result
    # Reconciliation: who is on our in-scope list but not in this file (listed for review, not touched).
    result.absent = absent_from_list(user=user, parsed=parsed)
    if parsed.errors and mode == ALL_OR_NOTHING and not dry_run:
        return result
    with recorded(user, HISTORY_REASON):
        existing = _existing_files(user, parsed.valid_rows)
        new_rows = [row for row in parsed.valid_rows if row.external_ref not in existing]
        try:
            # The check step does not insert the new files: the importer already checked everything
            # `detainee_create` checks, and a bulk insert of thousands of rows (with their history) is
            # most of an import's time. Only the confirmed import writes them.
            if not dry_run:
                with transaction.atomic():
                    _create_files(new_rows, user=user)
            result.created = len(new_rows)
        except IntegrityError:
            # Another import created one of these references in the meantime.
            parsed.file_errors.append(
                RowError(
                    None,
                    "external_ref",
                    _("Een referentie werd intussen door een andere import aangemaakt. Probeer opnieuw."),
                )
            )
        for row in parsed.valid_rows:
            if row.external_ref in existing:
                outcome = _apply_row_in_savepoint(row, user=user, existing=existing)
                if outcome is not None:
                    setattr(result, outcome, getattr(result, outcome) + 1)
        # A row the services refused: all-or-nothing means nothing at all.
        refused = bool(parsed.file_errors) or (parsed.errors and mode == ALL_OR_NOTHING)
        result.applied = not refused
        if dry_run or refused:
            transaction.set_rollback(True)
    if result.applied and not dry_run and choices:
        # The columns as this import read them, for the organisation's next upload.
        import_mapping_remember(user=user, columns=parsed.columns)
    return result


def _existing_files(user: User, rows: list[ImportRow]) -> dict[str, Detainee]:
    refs = [row.external_ref for row in rows]
    files = (
        Detainee.objects.filter(organisation_id=user.organisation_id, external_ref__in=refs)  # type: ignore[misc]  # None reads as IS NULL in Django; django-stubs refuses it
        .select_for_update(of=("self",))
        .prefetch_related(Prefetch("listings", queryset=Listing.objects.order_by("pk")))
    )
    return {str(detainee.external_ref): detainee for detainee in files}  # found by reference: never None


def _listing_source() -> str:
    return _("In-scopelijst DG EPI, import van %(date)s") % {"date": timezone.localdate().isoformat()}


def _create_files(rows: list[ImportRow], *, user: User) -> None:
    """Open the new files in three statements, whatever the number of rows.

    The rows were fully checked by the importer (codes, lengths, dates, national number, references);
    this does what `detainee_create` does for one file (first placement when the incarceration date
    is known) plus the listing, and the history triggers record every row as for any insert.
    """
    if not rows:
        return
    files = []
    for row in rows:
        values = row.values
        files.append(
            Detainee(  # type: ignore[misc]  # an importer's organisation; None would fail the NOT NULL
                organisation_id=user.organisation_id,
                external_ref=row.external_ref,
                current_prison=values["prison"],
                in_scope=True,
                search_name=fold(f"{values['first_name']} {values['last_name']}"),
                national_number_index=blind_index(values["national_number"]),
                **{name: values[name] for name in DETAINEE_IMPORT_FIELDS},
            )
        )
    Detainee.objects.bulk_create(files)
    source = _listing_source()
    Placement.objects.bulk_create(
        [
            Placement(detainee=detainee, prison=detainee.current_prison, from_date=detainee.incarcerated_on)
            for detainee in files
            if detainee.incarcerated_on
        ]
    )
    Listing.objects.bulk_create(
        [
            Listing(
                detainee=detainee,
                category=row.values["listing_category"],
                threat_level=row.values["threat_level"],
                listed_on=row.values["listed_on"],
                source=source,
            )
            for detainee, row in zip(files, rows, strict=True)
            if row.values["listing_category"]
        ]
    )


def _row_is_unchanged(row: ImportRow, detainee: Detainee) -> bool:
    """True when the row would write nothing: the usual case of a list re-sent mostly unchanged."""
    values = row.values
    if not detainee.in_scope or detainee.current_prison_id != values["prison"].pk:
        return False
    if any(
        values[name] not in (None, "") and getattr(detainee, name) != values[name] for name in DETAINEE_IMPORT_FIELDS
    ):
        return False
    if not values["listing_category"]:
        return True
    return any(
        item.category == values["listing_category"]
        and item.listed_on == values["listed_on"]
        and item.threat_level == values["threat_level"]
        for item in detainee.listings.all()
    )


def _apply_row_in_savepoint(row: ImportRow, *, user: User, existing: dict[str, Detainee]) -> str | None:
    # No savepoint (two statements) for a row that changes nothing.
    if _row_is_unchanged(row, existing[row.external_ref]):
        return UNCHANGED
    try:
        with transaction.atomic():
            return _apply_row(row, user=user, existing=existing)
    except ValidationError as exc:
        for column, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            for message in messages:
                code = "" if column == "__all__" else column
                row.errors.append(RowError(row.number, code, message, code))
        return None


def _apply_row(row: ImportRow, *, user: User, existing: dict[str, Detainee]) -> str:
    values = row.values
    fields = {name: values[name] for name in DETAINEE_IMPORT_FIELDS}
    prison = values["prison"]
    detainee = existing[row.external_ref]
    # An empty optional cell never erases what the team already knows.
    changes = {
        name: value for name, value in fields.items() if value not in (None, "") and getattr(detainee, name) != value
    }
    if not detainee.in_scope:
        changes["in_scope"] = True
    changed = bool(changes)
    if changes:
        detainee_update(detainee=detainee, user=user, reason=HISTORY_REASON, **changes)
    if detainee.current_prison_id != prison.pk:
        # A different prison on the list is a transfer: a new placement from today, same consultant.
        placement_record(
            detainee=detainee, user=user, prison=prison, from_date=timezone.localdate(), reason=HISTORY_REASON
        )
        changed = True
    changed |= _record_listing(detainee, row, user=user, listings=list(detainee.listings.all()))
    return UPDATED if changed else UNCHANGED


def _record_listing(detainee: Detainee, row: ImportRow, *, user: User, listings: list[Listing]) -> bool:
    """The list's listing fact, matched on (category, listed_on); True when something was written."""
    values = row.values
    if not values["listing_category"]:
        # The list has no listing columns: the listings the team holds stay as they are.
        return False
    match = next(
        (
            item
            for item in listings
            if item.category == values["listing_category"] and item.listed_on == values["listed_on"]
        ),
        None,
    )
    if match is None:
        listing_record(
            detainee=detainee,
            user=user,
            category=values["listing_category"],
            threat_level=values["threat_level"],
            listed_on=values["listed_on"],
            source=_listing_source(),
        )
        return True
    if match.threat_level != values["threat_level"]:
        listing_update_threat_level(listing=match, user=user, threat_level=values["threat_level"])
        return True
    return False


def detainee_delist(
    *, detainee: Detainee, user: User, delisted_on: dt.date, reason: str = "delisted_after_import"
) -> Detainee:
    """Record that a person left the in-scope list: every listing in force ends on `delisted_on` and the
    file is no longer followed (in_scope = false). One transaction; the change history keeps both."""
    if delisted_on > timezone.localdate():
        raise ValidationError({"delisted_on": _("De datum ligt in de toekomst.")})
    with recorded(user, reason):
        listings = list(detainee.listings.select_for_update().filter(delisted_on__isnull=True))
        for listing in listings:
            if delisted_on < listing.listed_on:
                raise ValidationError({"delisted_on": _("De schrapping kan niet vóór de opname liggen.")})
            listing.delisted_on = delisted_on
            listing.save(update_fields=["delisted_on", "updated_at"])
        if detainee.in_scope:
            detainee.in_scope = False
            detainee.save(update_fields=["in_scope", "updated_at"])
    return detainee


def absent_from_list(*, user: User, parsed: ParsedFile) -> list[Detainee]:
    """The files of the user's organisation followed as in scope whose reference is not in the new list:
    for review (delisted? released? transferred?), never changed by the import itself."""
    refs = {row.external_ref for row in parsed.rows if row.external_ref}
    return list(
        Detainee.objects.filter(organisation_id=user.organisation_id, in_scope=True)  # type: ignore[misc]  # None reads as IS NULL in Django; django-stubs refuses it
        .exclude(external_ref__in=refs)
        .select_related("current_prison")
        .order_by("last_name", "first_name", "pk")
    )


def listing_update_threat_level(*, listing: Listing, user: User, threat_level: int) -> Listing:
    """OCAD re-assessed the threat level of a listing; the change history keeps the old level."""
    listing.threat_level = threat_level
    listing.full_clean()
    with recorded(user, HISTORY_REASON):
        listing.save(update_fields=["threat_level", "updated_at"])
    return listing
