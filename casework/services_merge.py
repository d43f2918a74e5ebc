"""Merging two files of the same person into one (ADR 0032).

`detainee_merge_preview` says, without writing, what would move from the file that goes (`source`) to the one
that stays (`target`), which identity facts the survivor takes over, what clashes and how each clash is settled
or why the merge is refused. `detainee_merge` does it: both files locked (`select_for_update`, in id order),
checked again under the lock, every part of every app moved by its registered `MergePart`
(casework/merging.py), the survivor's identity completed, the merged-away file deleted and a `DetaineeMerge`
row left behind so its id points to the survivor — all in one transaction, inside one pghistory context
(reason `detainee_merge`), with an AccessLog row on the survivor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.dates import detainee_date_errors
from accounts.models import User

from .merging import MergeCheck, MergePart, count_of, merge_parts, register_merge_part
from .models import (
    AccessLog,
    Consent,
    Detainee,
    DetaineeMerge,
    Disclosure,
    Listing,
    NetworkPerson,
    Placement,
    RetentionRecord,
    Session,
)
from .text import fold

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MERGE_REASON = "detainee_merge"

# Identity facts the survivor keeps, and takes over from the other file only when it has none itself.
FILLED_WHEN_EMPTY = (
    "date_of_birth",
    "national_number",
    "external_ref",
    "current_prison",
    "lead_consultant",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
    "released_on",
)
# Shown side by side in the preview, in this order.
COMPARED = (
    "last_name",
    "first_name",
    "date_of_birth",
    "national_number",
    "external_ref",
    "legal_status",
    "current_prison",
    "lead_consultant",
    "incarcerated_on",
    "sentence_ends_on",
    "released_on",
    "in_scope",
)


# --- Casework's own part -----------------------------------------------------------------------------------

_MOVED_BY_CASEWORK = (Listing, Placement, Consent, Disclosure, NetworkPerson, Session, AccessLog)


def _casework_counts() -> dict[str, tuple[StrOrPromise, Coalesce]]:
    return {
        "sessions": (gettext_lazy("Contactmomenten"), count_of(Session)),
        "network": (gettext_lazy("Netwerkpersonen"), count_of(NetworkPerson)),
        "listings": (gettext_lazy("OCAD-vermeldingen"), count_of(Listing)),
        "placements": (gettext_lazy("Plaatsingen"), count_of(Placement)),
        "consents": (gettext_lazy("Toestemmingen"), count_of(Consent)),
        "disclosures": (gettext_lazy("Verstrekkingen"), count_of(Disclosure)),
        "access_logs": (gettext_lazy("Geregistreerde raadplegingen"), count_of(AccessLog)),
        "co_consultants": (gettext_lazy("Co-consulenten"), count_of(Detainee.co_consultants.through)),
        "merged_files": (gettext_lazy("Eerder samengevoegde dossiers"), count_of(DetaineeMerge, "survivor")),
    }


def _active_consents(source: Detainee, target: Detainee) -> list[Consent]:
    return list(
        Consent.objects.active()
        .filter(detainee_id__in=[source.pk, target.pk])
        .select_related("organisation")
        .order_by("organisation_id", "-given_on", "-pk")
    )


def _consent_clashes(consents: list[Consent]) -> list[tuple[Consent, list[Consent]]]:
    """Per organisation with an active consent on both files: the newest (stays in force) and the others."""
    by_organisation: dict[int, list[Consent]] = {}
    for consent in consents:
        by_organisation.setdefault(consent.organisation_id, []).append(consent)
    clashes = []
    for rows in by_organisation.values():
        if len({row.detainee_id for row in rows}) > 1:
            clashes.append((rows[0], rows[1:]))
    return clashes


def _check_casework(source: Detainee, target: Detainee) -> MergeCheck:
    check = MergeCheck()
    if RetentionRecord.objects.filter(detainee_id__in=[source.pk, target.pk]).exists() or (
        source.anonymised_at or target.anonymised_at
    ):
        check.conflicts.append(_("Een geanonimiseerd dossier kan niet worden samengevoegd."))
    for newest, older in _consent_clashes(_active_consents(source, target)):
        check.resolutions.append(
            _(
                "Beide dossiers hebben een geldende toestemming voor %(organisation)s: de recentste (gegeven op "
                "%(newest)s) blijft gelden, de oudere (%(older)s) wordt als vervangen bewaard."
            )
            % {
                "organisation": newest.organisation,
                "newest": date_format(newest.given_on, "SHORT_DATE_FORMAT"),
                "older": ", ".join(date_format(item.given_on, "SHORT_DATE_FORMAT") for item in older),
            }
        )
    return check


def _apply_casework(source: Detainee, target: Detainee) -> dict[str, int]:
    moved: dict[str, int] = {}
    # Read before the move: which organisations have a consent in force on both files.
    clashes = _consent_clashes(_active_consents(source, target))
    for model in _MOVED_BY_CASEWORK:
        rows = model._base_manager.filter(detainee_id=source.pk)
        if model is not AccessLog:
            # Row by row through save(), so each move is an update event in the change history.
            count = 0
            for row in rows.select_for_update():
                row.detainee_id = target.pk
                row.save(update_fields=["detainee", *(["updated_at"] if hasattr(row, "updated_at") else [])])
                count += 1
        else:
            # The read log is append-only and holds many rows: moved in one statement; `object_id` keeps the
            # id that was read.
            count = rows.update(detainee_id=target.pk)
        moved[str(model._meta.model_name)] = count
    # Two consents in force for one organisation: the newest stays, the others become its earlier versions.
    now = timezone.now()
    for newest, older in clashes:
        for consent in older:
            consent.superseded_at = now
            consent.save(update_fields=["superseded_at", "updated_at"])
        if newest.previous_id is None:
            newest.previous = older[0]
            newest.save(update_fields=["previous", "updated_at"])
    # The case team of both files follows the survivor.
    team = set(source.co_consultants.values_list("pk", flat=True))
    if source.lead_consultant_id:
        team.add(source.lead_consultant_id)
    team.discard(target.lead_consultant_id or source.lead_consultant_id)
    team -= set(target.co_consultants.values_list("pk", flat=True))
    if team:
        target.co_consultants.add(*team)
    moved["co_consultants"] = len(team)
    # A file merged into the source earlier now points to the survivor.
    moved["merged_files"] = DetaineeMerge.objects.filter(survivor_id=source.pk).update(survivor_id=target.pk)
    return moved


register_merge_part(
    MergePart(
        name="casework",
        relations=(
            "casework.Listing.detainee",
            "casework.Placement.detainee",
            "casework.Consent.detainee",
            "casework.Disclosure.detainee",
            "casework.NetworkPerson.detainee",
            "casework.Session.detainee",
            "casework.AccessLog.detainee",
            "casework.RetentionRecord.detainee",
            "casework.Detainee_co_consultants.detainee",
            "casework.DetaineeMerge.survivor",
        ),
        counts=_casework_counts,
        check=_check_casework,
        apply=_apply_casework,
        order=10,
    )
)


# --- The identity of the survivor -----------------------------------------------------------------------------


@dataclass
class FieldOutcome:
    label: str
    kept: str
    other: str
    taken_over: bool


def _shown(detainee: Detainee, name: str) -> str:
    value = getattr(detainee, name)
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if hasattr(value, "year") and hasattr(value, "day"):
        return date_format(value, "SHORT_DATE_FORMAT")
    display = getattr(detainee, f"get_{name}_display", None)
    return str(display() if display else value)


def _merged_identity(source: Detainee, target: Detainee) -> tuple[dict[str, Any], MergeCheck]:
    """The survivor's identity after the merge (field → value) and what clashes in it."""
    check = MergeCheck()
    changes: dict[str, Any] = {}  # field name → the value the survivor takes over
    for name in FILLED_WHEN_EMPTY:
        mine, theirs = getattr(target, name), getattr(source, name)
        if mine in (None, "") and theirs not in (None, ""):
            changes[name] = theirs
    if target.national_number and source.national_number and target.national_number != source.national_number:
        check.conflicts.append(
            _(
                "De dossiers hebben een verschillend rijksregisternummer: het zijn geen dossiers "
                "van dezelfde persoon, of een van beide nummers is fout. Verbeter eerst het foute "
                "nummer."
            )
        )
    if target.external_ref and source.external_ref and target.external_ref != source.external_ref:
        check.conflicts.append(
            _(
                "Beide dossiers hebben een eigen referentie in de in-scopelijst (%(a)s en %(b)s): de volgende import "
                "zou het verdwenen dossier opnieuw aanmaken. Laat de lijst verbeteren en maak de referentie van één "
                "dossier leeg voor je samenvoegt."
            )
            % {"a": target.external_ref, "b": source.external_ref}
        )
    if target.gender == Detainee.Gender.UNKNOWN and source.gender != Detainee.Gender.UNKNOWN:
        changes["gender"] = source.gender
    languages = list(dict.fromkeys([*target.languages, *source.languages]))
    if languages != list(target.languages):
        changes["languages"] = languages[:6]
    if source.in_scope and not target.in_scope:
        changes["in_scope"] = True
    if source.legal_hold and not target.legal_hold:
        changes["legal_hold"] = True
        changes["legal_hold_reason"] = source.legal_hold_reason
    if target.organisation_id != source.organisation_id:
        check.conflicts.append(_("Enkel dossiers van dezelfde organisatie kunnen worden samengevoegd."))
    dates = {
        name: changes.get(name, getattr(target, name))
        for name in (
            "date_of_birth",
            "incarcerated_on",
            "leave_eligible_on",
            "conditional_release_eligible_on",
            "sentence_ends_on",
            "released_on",
        )
    }
    for message in detainee_date_errors(dates).values():
        check.conflicts.append(
            _("Na de samenvoeging zouden de data van het dossier niet kloppen: %(error)s") % {"error": message}
        )
    return changes, check


# --- Preview and merge ----------------------------------------------------------------------------------------


@dataclass
class MergePreview:
    source: Detainee
    target: Detainee
    moves: list[tuple[str, int]] = field(default_factory=list)
    fields: list[FieldOutcome] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)

    @property
    def can_merge(self) -> bool:
        return not self.conflicts


def _counts(source: Detainee) -> list[tuple[str, int]]:
    """What each part would move out of `source`: one query, whatever the number of parts and rows."""
    labels: dict[str, StrOrPromise] = {}
    annotations: dict[str, Coalesce] = {}
    for part in merge_parts():
        for key, (label, expression) in part.counts().items():
            labels[f"n_{part.name}_{key}"] = label
            annotations[f"n_{part.name}_{key}"] = expression
    row: Mapping[str, Any] = Detainee._base_manager.filter(pk=source.pk).values(**annotations).first() or {}
    return [(str(label), int(row.get(key) or 0)) for key, label in labels.items()]


def _check(source: Detainee, target: Detainee) -> tuple[dict[str, Any], MergeCheck]:
    if source.pk == target.pk:
        return {}, MergeCheck(conflicts=[_("Kies twee verschillende dossiers.")])
    changes, check = _merged_identity(source, target)
    for part in merge_parts():
        check.extend(part.check(source, target))
    return changes, check


def detainee_merge_preview(*, source: Detainee, target: Detainee) -> MergePreview:
    """What `detainee_merge` would do; writes nothing. A fixed number of queries."""
    changes, check = _check(source, target)
    outcomes = []
    for name in COMPARED:
        label = str(cast("Field[Any, Any]", Detainee._meta.get_field(name)).verbose_name)  # COMPARED names columns
        outcomes.append(
            FieldOutcome(label[:1].upper() + label[1:], _shown(target, name), _shown(source, name), name in changes)
        )
    return MergePreview(
        source=source,
        target=target,
        moves=_counts(source),
        fields=outcomes,
        conflicts=check.conflicts,
        resolutions=check.resolutions,
    )


def _refuse_if_merged(pk: int) -> None:
    if DetaineeMerge.objects.filter(merged_id=pk).exists():
        raise ValidationError(_("Dit dossier is al samengevoegd met een ander dossier."))
    raise ValidationError(_("Dit dossier bestaat niet (meer)."))


def detainee_merge(
    *,
    source: Detainee,
    target: Detainee,
    user: User,
    reason: str = MERGE_REASON,
    path: str = "",
    ip_address: str | None = None,
) -> DetaineeMerge:
    """Merge `source` into `target`: everything about the person moves to `target`, `source` is deleted and its
    id points to `target`. Refused (ValidationError, nothing written) on any conflict of any part."""
    if source.pk == target.pk:
        raise ValidationError(_("Kies twee verschillende dossiers."))
    try:
        with transaction.atomic(), pghistory.context(user=user.pk, reason=reason, merged=source.pk, survivor=target.pk):
            # Both rows locked, always in id order so two merges of the same pair cannot deadlock; a merge that
            # waited for another finds its file gone and is refused.
            locked = {
                row.pk: row
                for row in Detainee.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
            }
            for pk in (source.pk, target.pk):
                if pk not in locked:
                    _refuse_if_merged(pk)
            source, target = locked[source.pk], locked[target.pk]
            for detainee in (source, target):
                if not user.has_perm("casework.merge_detainee", detainee):
                    raise PermissionDenied
            changes, check = _check(source, target)
            if check.conflicts:
                raise ValidationError(check.conflicts)
            moved: dict[str, int] = {}
            for part in merge_parts():
                moved.update({f"{part.name}.{key}": n for key, n in part.apply(source, target).items()})
            # The unique facts leave the merged-away file first, so the survivor can take them over.
            if any(name in changes for name in ("national_number", "external_ref")):
                Detainee.objects.filter(pk=source.pk).update(
                    national_number="", national_number_index="", external_ref=None
                )
            for name, value in changes.items():
                setattr(target, name, value)
            if "national_number" in changes:
                target.national_number_index = source.national_number_index
                changes["national_number_index"] = True
            if changes:
                target.search_name = fold(f"{target.first_name} {target.last_name}")
                target.save(update_fields=[*changes, "updated_at"])
            merge = DetaineeMerge.objects.create(merged_id=source.pk, survivor=target, merged_by=user, moved=moved)
            source.delete()
            AccessLog.objects.create(
                user=user,
                detainee=target,
                object_kind="detainee_merge",
                object_id=str(merge.merged_id),
                action=AccessLog.Action.VIEW,
                path=path[:300],
                ip_address=ip_address,
            )
    except IntegrityError as error:
        # A constraint the checks did not foresee (a concurrent change): nothing was written.
        raise ValidationError(
            _(
                "De dossiers konden niet worden samengevoegd: een van beide is intussen gewijzigd. "
                "Bekijk het voorbeeld opnieuw."
            )
        ) from error
    return merge


def merged_into(user: User, pk: str | int) -> Detainee | None:
    """The survivor of a merged-away file `pk`, when `user` may see the survivor's history (case staff of its
    organisation); None otherwise, so everyone else gets the plain 404 of a file that never existed."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    merge = (
        DetaineeMerge.objects.filter(merged_id=pk)
        .filter(Q(survivor__in=Detainee.objects.visible_to(user)))
        .select_related("survivor")
        .first()
    )
    if merge is None or not user.has_perm("casework.view_history", merge.survivor):
        return None
    return merge.survivor
