"""Rendering a handover package: the PDF of what the consent allows (`handover.py`), stored and recorded as a
disclosure, in one transaction. `tasks.handover_package_render` runs it on a worker."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from casework.models import Basis, Purpose, scope_list
from casework.pdf import render_pdf
from casework.services import disclosure_record

from ..handover import handover_context, handover_document
from ..models_release import HandoverPackage

logger = logging.getLogger(__name__)


def handover_package_build(*, package_id: int) -> HandoverPackage:
    """Render, store and disclose one package. Idempotent: a ready package is left alone.

    The PDF is written in the language chosen when it was requested (a package requested before there was
    a choice: the requester's), whichever process renders it."""
    chosen, requester = HandoverPackage.objects.filter(pk=package_id).values_list(
        "language", "requested_by__language"
    ).first() or ("", "")
    with translation.override(chosen or requester or settings.LANGUAGE_CODE):
        return _build(package_id)


def _build(package_id: int) -> HandoverPackage:
    with transaction.atomic():
        package = (
            HandoverPackage.objects.select_for_update(of=("self",))
            .select_related("trajectory__detainee", "recipient_organisation", "consent", "requested_by")
            .get(pk=package_id)
        )
        if package.status in (HandoverPackage.Status.READY, HandoverPackage.Status.WITHHELD):
            return package
        # The consent may have been withdrawn or narrowed since the request: render what is allowed now,
        # and nothing at all once no consent for a handover to this organisation is in force.
        from .release import handover_consent

        consent = handover_consent(package.trajectory, package.recipient_organisation)
        if consent is None:
            # Not a failure: the detainee withdrew the consent, and the package is withheld.
            package.status = HandoverPackage.Status.WITHHELD
            package.save(update_fields=["status", "updated_at"])
            logger.info("handover package %s withheld: no consent in force", package.pk)
            return package
        package.consent = consent
        package.scopes = [scope for scope in package.scopes if scope in consent.scopes]
        context = handover_context(package)
        context["document"] = handover_document(context)
        html = render_to_string("trajectories/release/handover_pdf.html", context)
        pdf = render_pdf(html)
        digest = hashlib.sha256(pdf).hexdigest()
        package.file.save(f"overdracht-{package.pk}.pdf", ContentFile(pdf), save=False)
        disclosure = disclosure_record(
            detainee=package.trajectory.detainee,
            user=package.requested_by,
            recipient_name=package.recipient_organisation.name,
            recipient_organisation=package.recipient_organisation,
            recipient_email=package.recipient_organisation.email,
            purpose=Purpose.HANDOVER,
            basis=Basis.CONSENT,
            consent=package.consent,
            what=gettext_lazy("Overdrachtspakket (%(scopes)s)"),
            what_params={"scopes": scope_list(package.scopes)},
            object_kind="handover_package",
            object_id=str(package.pk),
            file_sha256=digest,
        )
        package.file_sha256 = digest
        package.disclosure = disclosure
        package.status = HandoverPackage.Status.READY
        package.save(update_fields=["file", "file_sha256", "disclosure", "status", "consent", "scopes", "updated_at"])
    return package


def handover_package_fail(*, package_id: int) -> None:
    """Mark a package that could not be rendered as failed (a ready or withheld one stays as it is), so the
    page says so instead of waiting for ever."""
    HandoverPackage.objects.filter(pk=package_id).exclude(
        status__in=[HandoverPackage.Status.READY, HandoverPackage.Status.WITHHELD]
    ).update(status=HandoverPackage.Status.FAILED)
