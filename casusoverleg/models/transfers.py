"""Conferences planned at the prison a detainee left (casusoverleg models, re-exported by `casusoverleg.models`)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, User
from casework.models import Prison

from . import (  # noqa: I001 - names of the package defined before this module is imported
    Conference,
)

# --- Transfers (ADR 0040) --------------------------------------------------------------------------------------


class TransferFlagQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> TransferFlagQuerySet:
        """The directors of the prison left and of the new one; the case staff of the file's organisation."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_director:
            directed = Prison.directors.through.objects.filter(user_id=user.pk).values("prison_id")
            return self.filter(Q(placement__transferred_from_id__in=directed) | Q(placement__prison_id__in=directed))
        if user.is_case_staff:
            return self.filter(conference__detainee__organisation_id=user.organisation_id)
        return self.none()

    def pending(self) -> TransferFlagQuerySet:
        """Still to decide: no decision yet and the conference still planned (one held or cancelled meanwhile
        needs none)."""
        return self.filter(resolution=TransferFlag.Resolution.PENDING, conference__status=Conference.Status.PLANNED)


@pghistory.track()
class TransferFlag(BaseModel):
    """A conference planned at the prison a detainee left: either director decides what becomes of it."""

    class Resolution(models.TextChoices):
        PENDING = "pending", _("Beslissing nodig")
        CANCELLED = "cancelled", _("Geannuleerd")
        MOVED = "moved", _("Verplaatst naar de nieuwe gevangenis")
        HANDOVER = "handover", _("Behouden als overdrachtsoverleg")

    conference = models.ForeignKey(
        Conference, verbose_name=_("casusoverleg"), on_delete=models.CASCADE, related_name="transfer_flags"
    )
    # The placement the transfer opened: its prison is the new one, `transferred_from` the one left.
    placement = models.ForeignKey(
        "casework.Placement", verbose_name=_("overplaatsing"), on_delete=models.CASCADE, related_name="conference_flags"
    )
    resolution = models.CharField(
        _("beslissing"), max_length=12, choices=Resolution.choices, default=Resolution.PENDING
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("beslist op"), null=True, blank=True)

    objects = TransferFlagQuerySet.as_manager()

    class Meta:
        ordering = ["conference__starts_at", "pk"]
        verbose_name = _("casusoverleg na overplaatsing")
        verbose_name_plural = _("casusoverleggen na overplaatsing")
        constraints = [
            models.UniqueConstraint(fields=["conference", "placement"], name="transfer_flag_once_per_transfer"),
            models.CheckConstraint(
                condition=Q(resolution="pending") | Q(resolved_at__isnull=False),
                name="transfer_flag_resolved_has_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference} — {self.get_resolution_display()}"

    @property
    def is_pending(self) -> bool:
        return self.resolution == self.Resolution.PENDING
