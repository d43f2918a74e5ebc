"""A case conference's decision on the priority of a waiting referral (docs/adr/0044).

Imported at the bottom of `casusoverleg/models.py` so Django sees the model in this app. Written by
`services_priority.referral_priority_set` only, which also sets the priority on the trajectory.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel
from trajectories.models import Trajectory

from .models import Conference


class ReferralPriority(BaseModel):
    """One decision, never changed: a later decision is a new row, the trajectory carries the latest."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("casusoverleg"), on_delete=models.PROTECT, related_name="referral_priorities"
    )
    trajectory = models.ForeignKey(Trajectory, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="+")
    priority = models.PositiveSmallIntegerField(_("prioriteit"), choices=Trajectory.Priority.choices)
    reason = models.CharField(_("reden van de prioriteit"), max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("prioriteit van een aanmelding")
        verbose_name_plural = _("prioriteiten van aanmeldingen")

    def __str__(self) -> str:
        return f"{self.conference_id} → {self.trajectory_id}: {self.get_priority_display()}"
