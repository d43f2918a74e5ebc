"""Who read which file, which reads were refused, which files were anonymised (casework models, re-exported by `casework.models`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: I001 - names of the package defined before this module is imported
    Detainee,
)

# --- Audit of reads ------------------------------------------------------------------------------------


# What an AccessLog row says was read: stored as a code (`object_kind`), shown in the reader's language.
ACCESS_OBJECT_KINDS = {
    "detainee": _("Dossier"),
    "sessions": _("Contactmomenten van het dossier"),
    "session": _("Contactmoment"),
    "network": _("Netwerk van het dossier"),
    "placements": _("Plaatsingen en OCAD-gegevens"),
    "listings": _("OCAD-gegevens"),
    "consents": _("Toestemmingen"),
    "consent_document": _("Document van een toestemming"),
    "history": _("Geschiedenis van het dossier"),
    "trajectory": _("Traject"),
    "trajectory_tab": _("Tabblad van een traject"),
    "trajectory_explorations": _("Verkenningen van een traject"),
    "trajectory_goals": _("Doelen van een traject"),
    "trajectory_sessions": _("Contactmomenten van een traject"),
    "trajectory_assessments": _("Inschattingen van een traject"),
    "assessment": _("Inschatting"),
    "aftercare": _("Nazorg"),
    "handover_package": _("Overdrachtspakket"),
    "court_conditions": _("Voorwaarden van de rechtbank"),
    "court_report": _("Verslag over een voorwaarde van de rechtbank"),
    "partner_referral": _("Doorverwijzing naar een partner"),
    "partner_referrals": _("Doorverwijzingen van het dossier"),
    "conference": _("Casusoverleg"),
    "conferences": _("Overleggen van het dossier"),
    "minutes": _("Verslag van een casusoverleg"),
    "disclosures": _("Verstrekkingen van het dossier"),
    "disclosure_log": _("Register van verstrekkingen"),
    "access_review": _("Overzicht van raadplegingen"),
    "refusal_review": _("Overzicht van geweigerde toegangen"),
    "research_extract": _("Onderzoeksextract"),
    "subject_access": _("Inzage-export"),
    "subject_lookup": _("Zoekopdracht voor een inzageverzoek"),
    "yearly_report": _("Jaarcijfers"),
    "merge_preview": _("Voorbeeld van een samenvoeging"),
    "detainee_merge": _("Samenvoeging van dossiers"),
}


# Object ids that are not a record's number but say which file was read (`2026.pdf`, `12.codebook`).
ACCESS_FILE_FORMATS = {
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "data": "CSV",
    "codebook": _("codeboek"),
}


def access_object_kind_label(code: str) -> str:
    """The reader's words for an AccessLog `object_kind` (a code not in the list is shown as stored)."""
    label = ACCESS_OBJECT_KINDS.get(code)
    return str(label) if label is not None else code


def access_object_label(code: str, object_id: str, *, detainee_id=None) -> str:
    """What one AccessLog row says was read, in the reader's language: the kind's words and, when the row
    names more than the file, which one (a number, a year, a file format)."""
    words = access_object_kind_label(code)
    object_id = str(object_id or "")
    if not object_id or object_id == str(detainee_id or ""):
        return words
    number, _dot, fmt = object_id.partition(".")
    if code == "yearly_report":
        words = f"{words} {number}"
    else:
        words = f"{words} #{number}"
    if fmt:
        words = f"{words} ({ACCESS_FILE_FORMATS.get(fmt, fmt)})"
    return words


class AccessLog(models.Model):
    """Who read which piece of case content, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Bekeken")
        API = "api", _("Opgevraagd via API")
        PDF = "pdf", _("PDF")
        EXPORT = "export", _("Export")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs")
    detainee = models.ForeignKey(Detainee, on_delete=models.PROTECT, related_name="access_logs", null=True, blank=True)
    object_kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    path = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("raadpleging")
        verbose_name_plural = _("raadplegingen")
        indexes = [
            models.Index(fields=["detainee", "-at"], name="accesslog_detainee_idx"),
            models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
            # The dpo's access review in keyset pages, newest first (ADR 0036).
            models.Index(fields=["-at", "-id"], name="accesslog_keyset_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_kind} {self.object_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def object_kind_label(self) -> str:
        return access_object_kind_label(self.object_kind)

    @property
    def object_label(self) -> str:
        """The kind and which one, in the reader's language (the access review's "Onderdeel" column)."""
        return access_object_label(self.object_kind, self.object_id, detainee_id=self.detainee_id)


class AccessRefusal(models.Model):
    """A refused access (404 or 403) to a route that names an object: who, which route, which object, from
    where, when. Codes only (the route's name and its path parameters), never the path, a query string or
    any case content; written by `casework.refusals.AccessRefusalMiddleware`. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_refusals")
    route = models.CharField(_("route"), max_length=120)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    method = models.CharField(max_length=8)
    status = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The refusal that completed a burst and made the dpo be told (one alert per burst).
    burst_alert = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("geweigerde toegang")
        verbose_name_plural = _("geweigerde toegangen")
        indexes = [
            models.Index(fields=["user", "-at"], name="accessrefusal_user_idx"),
            # The dpo's review of refusals in keyset pages, newest first (ADR 0036).
            models.Index(fields=["-at", "-id"], name="accessrefusal_keyset_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.route} {self.object_id} {self.at:%Y-%m-%d %H:%M}"


# --- Retention ------------------------------------------------------------------------------------------


class RetentionRecord(models.Model):
    """Proof that a file was anonymised under the retention policy: when, by whom, on what grounds.

    Holds no personal data: only the detainee id, the dates the decision rested on and what each
    registered anonymiser changed (counts per app). Append-only.
    """

    detainee = models.OneToOneField(Detainee, on_delete=models.PROTECT, related_name="retention_record")
    closed_on = models.DateField(_("afgesloten op"))
    retention_years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    due_on = models.DateField(_("te anonimiseren vanaf"))
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changes = models.JSONField(_("wijzigingen per onderdeel"), default=dict)

    class Meta:
        ordering = ["-anonymised_at"]
        verbose_name = _("anonimisering")
        verbose_name_plural = _("anonimiseringen")
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("closed_on")), name="retention_due_after_closure"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee_id} {self.anonymised_at:%Y-%m-%d}"
