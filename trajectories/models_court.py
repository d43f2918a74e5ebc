"""The sentence enforcement court's conditions on a release, their reporting deadlines and the reports
written for the supervising body (docs/design.md §3, ADR 0042).

Imported at the bottom of `trajectories/models.py` so Django sees these models in this app.
Writes go through `services/court.py` only.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from accounts.models import BaseModel, Organisation, User
from casework.models import Basis, Consent, Disclosure

from .models_release import Release

MAX_DEADLINES_PER_CONDITION = 24


class CourtConditionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CourtConditionQuerySet:
        """The court's conditions are work of the case staff of the file's organisation, like the aftercare."""
        if user.is_authenticated and user.is_active and user.is_case_staff:
            return self.filter(release__trajectory__detainee__organisation_id=user.organisation_id)
        return self.none()


@pghistory.track()
class CourtCondition(BaseModel):
    """One condition the sentence enforcement court (strafuitvoeringsrechtbank) attached to the release."""

    class Kind(models.TextChoices):
        DISENGAGEMENT = "disengagement", _("Disengagementtraject volgen")
        GUIDANCE = "guidance", _("Begeleiding of behandeling volgen")
        RESIDENCE = "residence", _("Vaste verblijfplaats")
        WORK_TRAINING = "work_training", _("Werk of opleiding")
        CONTACT_BAN = "contact_ban", _("Contactverbod")
        AREA_BAN = "area_ban", _("Plaatsverbod")
        OTHER = "other", _("Andere voorwaarde")

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="court_conditions")
    kind = models.CharField(_("soort voorwaarde"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("tekst van de voorwaarde"), max_length=2000)
    court = models.CharField(_("strafuitvoeringsrechtbank"), max_length=100)
    decided_on = models.DateField(_("datum van het vonnis"))
    judgment_reference = models.CharField(_("referentie van het vonnis"), max_length=60, blank=True)
    starts_on = models.DateField(_("geldt vanaf"))
    ends_on = models.DateField(_("geldt tot"))
    supervising_organisation = models.ForeignKey(
        Organisation, verbose_name=_("toezichthoudende dienst"), on_delete=models.PROTECT, related_name="+"
    )
    # The judgment asks our service to report on this condition to the supervising body: that mandate (a legal
    # obligation) lets a report carry the facts of the follow-up (attendance), nothing of its content.
    reporting_mandate = models.BooleanField(_("rapportering opgelegd door de rechtbank"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CourtConditionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("voorwaarde van de rechtbank")
        verbose_name_plural = _("voorwaarden van de rechtbank")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="court_condition_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({local_date(self.starts_on)} – {local_date(self.ends_on)})"


class ReportingDeadlineQuerySet(models.QuerySet):
    def planned(self) -> ReportingDeadlineQuerySet:
        return self.filter(status=ReportingDeadline.Status.PLANNED)


@pghistory.track()
class ReportingDeadline(BaseModel):
    """A day by which the supervising body (justice house, Ceapire) expects a report on a condition."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Te rapporteren")
        REPORTED = "reported", _("Gerapporteerd")
        CANCELLED = "cancelled", _("Geannuleerd")

    condition = models.ForeignKey(CourtCondition, on_delete=models.CASCADE, related_name="deadlines")
    due_on = models.DateField(_("uiterlijk op"))
    recipient_organisation = models.ForeignKey(
        Organisation, verbose_name=_("rapporteren aan"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    objects = ReportingDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("rapporteringstermijn")
        verbose_name_plural = _("rapporteringstermijnen")
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "recipient_organisation", "due_on"], name="reporting_deadline_unique_day"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="reporting_deadline_due_idx")]

    def __str__(self) -> str:
        return f"{self.condition_id} → {self.recipient_organisation_id} {local_date(self.due_on)}"


class CourtReportQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CourtReportQuerySet:
        if user.is_authenticated and user.is_active and user.is_case_staff:
            return self.filter(condition__release__trajectory__detainee__organisation_id=user.organisation_id)
        return self.none()


@pghistory.track()
class CourtReport(BaseModel):
    """A report on a condition for the supervising body, written from the file as far as the consent or the
    court's mandate allows, rendered as PDF and recorded as a disclosure (never changed afterwards)."""

    condition = models.ForeignKey(CourtCondition, on_delete=models.PROTECT, related_name="reports")
    deadline = models.OneToOneField(
        ReportingDeadline, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )
    recipient_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The consent scopes the report was cut down to (empty under the mandate alone).
    scopes = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    period_from = models.DateField(_("periode vanaf"))
    period_to = models.DateField(_("periode tot"))
    language = models.CharField(_("taal"), max_length=8)
    file = models.FileField(upload_to="court_reports/%Y/%m/")
    file_sha256 = models.CharField(max_length=64)
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="+")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CourtReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verslag voor de toezichthouder")
        verbose_name_plural = _("verslagen voor de toezichthouder")
        constraints = [
            models.CheckConstraint(
                condition=~Q(basis="consent") | Q(consent__isnull=False),
                name="court_report_consent_basis_names_consent",
            ),
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="court_report_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.condition_id} → {self.recipient_organisation_id} ({local_date(self.period_to)})"
