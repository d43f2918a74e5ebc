"""Writes of the reporting app: the research extract's life (docs/adr/0015)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from casework.models import Basis, Consent, Detainee, Purpose
from casework.services import disclosure_record

from . import research
from .models import ResearchExtract


def research_extract_request(*, user: User, recipient: Organisation, study: str) -> ResearchExtract:
    """A manager asks for an extract for `recipient`'s study; nothing is computed until the dpo approves."""
    if not user.has_perm("reporting.request_research_extract") or user.organisation is None:
        raise PermissionDenied
    study = (study or "").strip()
    errors: dict[str, list[str]] = {}
    if not study:
        errors["study"] = [_("Beschrijf het onderzoek.")]
    elif len(study) > 300:
        errors["study"] = [_("Ten hoogste 300 tekens.")]
    if errors:
        raise ValidationError(errors)
    return ResearchExtract.objects.create(
        organisation=user.organisation, recipient=recipient, study=study, requested_by=user
    )


def _decidable(user: User, extract: ResearchExtract, *statuses: str) -> None:
    if not user.has_perm("reporting.decide_research_extract"):
        raise PermissionDenied
    if extract.status not in statuses:
        raise ValidationError(
            {
                "status": [
                    _("Dit extract is al %(status)s.")
                    % {"status": ResearchExtract.Status(extract.status).label.lower()}
                ]
            }
        )


@transaction.atomic
def research_extract_approve(*, user: User, extract: ResearchExtract) -> ResearchExtract:
    """The dpo approves: the file is built now (pseudonymised, k-anonymous) and kept for review and release."""
    extract = ResearchExtract.objects.select_for_update().get(pk=extract.pk)
    _decidable(user, extract, ResearchExtract.Status.REQUESTED)
    for name, value in research.build(extract).items():
        setattr(extract, name, value)
    extract.status, extract.decided_by, extract.decided_at = ResearchExtract.Status.APPROVED, user, timezone.now()
    extract.save()
    return extract


@transaction.atomic
def research_extract_refuse(*, user: User, extract: ResearchExtract) -> ResearchExtract:
    extract = ResearchExtract.objects.select_for_update().get(pk=extract.pk)
    _decidable(user, extract, ResearchExtract.Status.REQUESTED, ResearchExtract.Status.APPROVED)
    extract.status, extract.decided_by, extract.decided_at = ResearchExtract.Status.REFUSED, user, timezone.now()
    extract.data_csv = extract.codebook_csv = ""
    extract.included = []
    extract.save(
        update_fields=["status", "decided_by", "decided_at", "data_csv", "codebook_csv", "included", "updated_at"]
    )
    return extract


@transaction.atomic
def research_extract_release(*, user: User, extract: ResearchExtract) -> ResearchExtract:
    """The dpo releases the approved file: a disclosure per person in it, on his research consent. A consent
    withdrawn since the approval stops the release (approve a new extract)."""
    extract = ResearchExtract.objects.select_for_update().get(pk=extract.pk)
    _decidable(user, extract, ResearchExtract.Status.APPROVED)
    consents = {
        c.pk: c
        for c in Consent.objects.active().filter(
            pk__in=[consent for _detainee, consent in extract.included], purposes__contains=[Purpose.RESEARCH]
        )
    }
    if len(consents) != len(extract.included):
        raise ValidationError(
            {"status": [_("Een toestemming is intussen ingetrokken of vervangen: keur een nieuw extract goed.")]}
        )
    people = Detainee.objects.in_bulk([detainee for detainee, _consent in extract.included])
    for detainee, consent in extract.included:
        disclosure_record(
            detainee=people[detainee],
            user=user,
            recipient_organisation=extract.recipient,
            recipient_name=extract.recipient.name,
            purpose=Purpose.RESEARCH,
            basis=Basis.CONSENT,
            consent=consents[consent],
            what=gettext_lazy("Onderzoeksextract (gepseudonimiseerd, k ≥ %(k)s)"),
            what_params={"k": str(extract.k)},
            object_kind="research_extract",
            object_id=str(extract.pk),
            file_sha256=extract.sha256,
        )
    extract.status, extract.released_at = ResearchExtract.Status.RELEASED, timezone.now()
    extract.save(update_fields=["status", "released_at", "updated_at"])
    return extract
