"""The research extract (docs/adr/0015): requested by a manager, approved and released by the dpo."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, Organisation


class ResearchExtractQuerySet(models.QuerySet["ResearchExtract"]):
    def visible_to(self, user) -> ResearchExtractQuerySet:
        """The dpo sees every extract; a manager his organisation's; nobody else any."""
        if user.is_dpo:
            return self
        if user.is_manager and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


@pghistory.track(exclude=["data_csv", "codebook_csv", "included"])
class ResearchExtract(BaseModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Aangevraagd")
        APPROVED = "approved", _("Goedgekeurd")
        RELEASED = "released", _("Vrijgegeven")
        REFUSED = "refused", _("Geweigerd")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("onderzoeksorganisatie"),
        on_delete=models.PROTECT,
        related_name="research_extracts",
    )
    study = models.CharField(_("onderzoek"), max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    k = models.PositiveSmallIntegerField(default=5)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    rows_included = models.PositiveIntegerField(default=0)
    rows_withheld = models.PositiveIntegerField(default=0)
    generalisation = models.CharField(max_length=200, blank=True)
    data_csv = models.TextField(blank=True)
    codebook_csv = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # (detainee id, consent id) of every row in the file: the disclosures written at release
    included = models.JSONField(default=list, blank=True)

    objects = ResearchExtractQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("onderzoeksextract")
        verbose_name_plural = _("onderzoeksextracten")
        constraints = [models.CheckConstraint(condition=models.Q(k__gte=5), name="research_extract_k_at_least_5")]
