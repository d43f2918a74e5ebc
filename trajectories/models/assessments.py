"""Assessment instruments and the assessments made with them (trajectories models, re-exported by `trajectories.models`)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from accounts.models import BaseModel, User
from casework.models import Scope
from trajectories.instruments import shipped_text

from . import (  # noqa: I001 - names of the package defined before this module is imported
    Trajectory,
)

# --- Assessment instruments -----------------------------------------------------------------------------


class Scale(models.TextChoices):
    YES_NO = "yes_no", _("Ja / nee (0-1)")
    ZERO_TWO = "0_2", _("0 tot 2")
    ZERO_THREE = "0_3", _("0 tot 3")
    ZERO_FOUR = "0_4", _("0 tot 4")


SCALE_MAX = {Scale.YES_NO: 1, Scale.ZERO_TWO: 2, Scale.ZERO_THREE: 3, Scale.ZERO_FOUR: 4}


class AssessmentTemplate(BaseModel):
    """An instrument: shipped ones in our own wording, licensed ones configured by an admin."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), max_length=3000, blank=True)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instrumenten")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="assessment_template_code_version")]

    def __str__(self) -> str:
        return f"{self.display_name} (v{self.version})"

    @property
    def display_name(self) -> str:
        """The name in the reader's language when it is a shipped one (instruments.py); else as typed."""
        return shipped_text(self.name)

    @property
    def display_description(self) -> str:
        return shipped_text(self.description)


class AssessmentSection(models.Model):
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("titel"), max_length=200)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="assessment_section_code_unique")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language when it is a shipped one (instruments.py); else as typed."""
        return shipped_text(self.title)


class AssessmentItem(models.Model):
    class Kind(models.TextChoices):
        RISK = "risk", _("Risicofactor")
        PROTECTIVE = "protective", _("Beschermende factor")
        NEED = "need", _("Nood")

    section = models.ForeignKey(AssessmentSection, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("omschrijving"), max_length=300)
    guidance = models.TextField(_("toelichting"), max_length=2000, blank=True)
    scale = models.CharField(_("schaal"), max_length=8, choices=Scale.choices, default=Scale.ZERO_TWO)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="assessment_item_code_unique")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the reader's language when it is a shipped one (instruments.py); else as typed.
        `label` itself stays the stored Dutch text: the minutes and the stored change lines quote it."""
        return shipped_text(self.label)

    @property
    def scale_max(self) -> int:
        return SCALE_MAX[self.scale]


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: User) -> AssessmentQuerySet:
        """Assessments: case staff of the organisation; directors (overall judgement only, the views
        limit the fields); partners with consent scope assessments."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user, scope=Scope.ASSESSMENTS))

    def finalised(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.AssessmentStatus.FINALISED)


@pghistory.track()
class Assessment(BaseModel):
    class AssessmentStatus(models.TextChoices):
        DRAFT = "draft", _("Ontwerp")
        FINALISED = "finalised", _("Definitief")

    class Judgement(models.TextChoices):
        LOW = "low", _("Laag")
        MODERATE = "moderate", _("Matig")
        HIGH = "high", _("Hoog")
        OTHER = "other", _("Andere (zie toelichting)")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="assessments")
    template = models.ForeignKey(
        AssessmentTemplate, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("datum"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beoordelaar"), on_delete=models.PROTECT, related_name="+"
    )
    sources = models.TextField(_("bronnen"), max_length=2000, blank=True)
    overall_judgement = models.CharField(_("algemeen oordeel"), max_length=12, choices=Judgement.choices, blank=True)
    overall_note = models.TextField(_("toelichting bij het oordeel"), max_length=3000, blank=True)
    changes_since_last = models.TextField(_("wijzigingen sinds de vorige"), max_length=3000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    finalised_at = models.DateTimeField(_("definitief gemaakt op"), null=True, blank=True)
    # A finalised assessment is never edited; a correction is a new assessment pointing back.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrigeert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("inschatting")
        verbose_name_plural = _("inschattingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", finalised_at__isnull=True)
                | Q(status="finalised", finalised_at__isnull=False),
                name="assessment_finalised_at_iff_final",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(overall_judgement=""), name="assessment_final_has_judgement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} {local_date(self.assessed_on)}"

    @property
    def is_final(self) -> bool:
        return self.status == self.AssessmentStatus.FINALISED


@pghistory.track()
class AssessmentRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="ratings")
    # Empty means "not rated (yet)"; the service checks the value against the item's scale.
    rating = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    evidence = models.TextField(_("onderbouwing"), max_length=2000, blank=True)

    class Meta:
        ordering = ["item__section__order", "item__order", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_rating_one_per_item"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__lte=4), name="assessment_rating_max_4"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.rating}"
