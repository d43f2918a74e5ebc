"""The people around a detainee (casework models, re-exported by `casework.models`)."""

from __future__ import annotations

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, User
from config.crypto import EncryptedTextField

from . import (  # noqa: I001 - names of the package defined before this module is imported
    Detainee,
)

# --- Network ------------------------------------------------------------------------------------


class NetworkPersonQuerySet(models.QuerySet["NetworkPerson"]):
    def visible_to(self, user: User) -> NetworkPersonQuerySet:
        """Third parties in the detainee's network are known to the case staff only."""
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        return self.none()


@pghistory.track()
class NetworkPerson(BaseModel):
    class Relation(models.TextChoices):
        PARENT = "parent", _("Ouder")
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Kind")
        SIBLING = "sibling", _("Broer of zus")
        FRIEND = "friend", _("Vriend(in)")
        SIGNIFICANT_OTHER = "significant_other", _("Belangrijke andere")
        RELIGIOUS_FIGURE = "religious_figure", _("Religieuze figuur")
        MENTOR = "mentor", _("Mentor")
        PROFESSIONAL = "professional", _("Professional")
        OTHER = "other", _("Andere")

    class Influence(models.TextChoices):
        POSITIVE = "positive", _("Positief")
        NEGATIVE = "negative", _("Negatief")
        AMBIVALENT = "ambivalent", _("Ambivalent")

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    influence = models.CharField(_("invloed"), max_length=12, choices=Influence.choices)
    involved = models.BooleanField(_("betrokken bij het traject"), default=False)
    contact_consent = models.BooleanField(_("toestemming om contact op te nemen"), default=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    # Encrypted at rest (config/crypto.py): notes about third parties are as sensitive as the file.
    notes = EncryptedTextField(_("notities"), max_length=2000, blank=True)

    objects = NetworkPersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("netwerkpersoon")
        verbose_name_plural = _("netwerk")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"
