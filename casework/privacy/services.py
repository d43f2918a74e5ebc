"""Writes of data protection: legal hold, anonymisation under the retention policy, subject-access export.

Each service validates, owns its transaction and records who did it and why (pghistory context,
RetentionRecord, Disclosure, AccessLog).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.display import local_date
from accounts.documents import document_language
from accounts.models import User
from config.history import recorded

from ..models import SUBJECT_ACCESS, AccessLog, Basis, Detainee, RetentionRecord
from ..pdf import render_pdf
from ..services import disclosure_record
from .dossier import dossier, dossier_document
from .registry import participants
from .selectors import closed_files

LEGAL_HOLD_REASON_MAX = 300


def legal_hold_set(*, detainee: Detainee, user: User, hold: bool, reason: str = "") -> Detainee:
    """Put a file on legal hold (never anonymised while it lasts) or lift the hold. A hold needs a reason."""
    reason = reason.strip()
    if hold and not reason:
        raise ValidationError({"reason": _("Geef de reden van de juridische bewaring (bv. lopende procedure).")})
    if len(reason) > LEGAL_HOLD_REASON_MAX:
        raise ValidationError({"reason": _("De reden is te lang (maximum 300 tekens).")})
    if detainee.anonymised_at is not None:
        raise ValidationError({"reason": _("Dit dossier is al geanonimiseerd.")})
    with recorded(user, "legal_hold_set"):
        detainee.legal_hold = hold
        detainee.legal_hold_reason = reason if hold else ""
        detainee.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
    return detainee


def detainee_anonymise(*, detainee_id: int, user: User | None, today: dt.date | None = None) -> RetentionRecord:
    """Anonymise one file whose retention period has passed, in every registered app, and record it.

    Re-checks everything under a row lock, so a hold placed or a trajectory opened a moment earlier
    wins, and running it twice anonymises once.
    """
    today = today or timezone.localdate()
    with recorded(user, "retention_anonymise"):
        detainee = Detainee.objects.select_for_update().get(pk=detainee_id)
        if detainee.anonymised_at is not None:
            raise ValidationError({"detainee": _("Dit dossier is al geanonimiseerd.")})
        if detainee.legal_hold:
            raise ValidationError({"detainee": _("Dit dossier staat onder juridische bewaring.")})
        status = next(iter(closed_files([detainee.pk], today=today)), None)
        if status is None:
            raise ValidationError({"detainee": _("Dit dossier is nog niet afgesloten.")})
        if status.due_on > today:
            raise ValidationError(
                {
                    "detainee": _("De bewaartermijn van dit dossier loopt nog tot %(day)s.")
                    % {"day": local_date(status.due_on)}
                }
            )
        changes = {}
        for participant in participants():
            changes[participant.name] = participant.anonymise(detainee, user) or {}
        return RetentionRecord.objects.create(
            detainee=detainee,
            closed_on=status.closed_on,
            retention_years=settings.DISENGAGE_RETENTION_YEARS,
            due_on=status.due_on,
            run_by=user,
            changes=changes,
        )


@dataclass
class RetentionRun:
    anonymised: list[RetentionRecord]
    skipped: list[tuple[int, str]]


def retention_run(*, user: User | None, today: dt.date | None = None) -> RetentionRun:
    """Anonymise every file that is due and not on hold; one transaction per file, so one failure stops nothing."""
    today = today or timezone.localdate()
    run = RetentionRun([], [])
    for status in closed_files(today=today):
        if status.due_on > today or status.legal_hold:
            continue
        try:
            run.anonymised.append(detainee_anonymise(detainee_id=status.detainee_id, user=user, today=today))
        except ValidationError as error:
            run.skipped.append((status.detainee_id, "; ".join(error.messages)))
    return run


@dataclass
class SubjectAccessExport:
    detainee: Detainee
    data: dict[str, object]
    json_bytes: bytes
    pdf_bytes: bytes


def subject_access_build(detainee: Detainee) -> dict[str, object]:
    """All data every registered app holds on the detainee, keyed by app."""
    sections = {}
    for participant in participants():
        section = participant.export(detainee)
        if section is not None:
            sections[participant.name] = section
    return {
        "generated_at": timezone.now(),
        "detainee_id": detainee.pk,
        "sections": sections,
    }


def subject_access_export(
    *, detainee: Detainee, user: User, path: str, ip_address: str | None, language: str | None = None
) -> SubjectAccessExport:
    """Build the JSON and the readable dossier PDF for a subject-access request, in `language` (one of
    settings.LANGUAGES; default the dpo's own); log it as a Disclosure and an AccessLog row."""
    if not user.is_dpo:
        raise ValidationError({"detainee": _("Enkel de functionaris gegevensbescherming maakt een inzage-export.")})
    language = document_language(language, default=user.language)
    with override(language):
        data = subject_access_build(detainee)
        json_bytes = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
        content = dossier(data)
        html = render_to_string(
            "privacy/subject_access_pdf.html",
            {
                "detainee": detainee,
                "data": data,
                "dossier": content,
                "document": dossier_document(
                    content, detainee=detainee, made_by=user, made_at=data["generated_at"], language=language
                ),
            },
        )
    pdf_bytes = render_pdf(html)
    # The record's fixed texts are written in the default language: they are their own codes and are read
    # in each reader's language (Disclosure.display_what).
    with transaction.atomic(), override(settings.LANGUAGE_CODE):
        disclosure_record(
            detainee=detainee,
            user=user,
            recipient_name=_("De betrokkene (inzageverzoek)"),
            purpose=SUBJECT_ACCESS,
            basis=Basis.LEGAL_OBLIGATION,
            legal_reference="AVG art. 15",
            what=_("Volledige inzage-export (JSON en PDF)"),
            object_kind="subject_access",
            object_id=str(detainee.pk),
            file_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        )
        AccessLog.objects.create(
            user=user,
            detainee=detainee,
            object_kind="subject_access",
            object_id=str(detainee.pk),
            action=AccessLog.Action.EXPORT,
            path=path[:300],
            ip_address=ip_address,
        )
    return SubjectAccessExport(detainee, data, json_bytes, pdf_bytes)
