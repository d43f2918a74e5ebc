"""The contact log: sessions with a detainee (casework models, re-exported by `casework.models`)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.display import local_datetime
from accounts.models import BaseModel, Organisation, User
from config.crypto import EncryptedTextField

from . import (  # noqa: I001 - names of the package defined before this module is imported
    CASEWORK_PURPOSES,
    Detainee,
    InterventionModule,
    LifeDomain,
    NetworkPerson,
    Scope,
    consent_exists,
)

# --- Sessions (contact log) ------------------------------------------------------------------------

SESSION_MAX_MINUTES = 12 * 60
SUMMARY_MAX_LENGTH = 5000
CONFIDENTIAL_MAX_LENGTH = 10000


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, user: User) -> SessionQuerySet:
        """Session summaries: the case staff; partners with consent scope session_summaries."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        if user.is_partner and user.organisation_id:
            return self.filter(consent_exists(user, Scope.SESSION_SUMMARIES, "detainee_id", purpose=CASEWORK_PURPOSES))
        return self.none()

    def for_timeline(self) -> SessionQuerySet:
        """Everything the timeline shows, in a fixed number of queries."""
        return self.select_related("author").prefetch_related(
            "domains", "modules", "participants", "partner_organisations"
        )

    def for_api(self) -> SessionQuerySet:
        """What the API shows of each session, in one query: the author and the file joined, and each many-to-many
        relation as an array of what the API writes of it (life domain and module codes, network person and
        partner ids; in the related model's own order, as `for_timeline`'s prefetch gives them), so a page of 50
        builds no related manager per row (casework/serializers.py `AnnotatedManyField`)."""
        return self.select_related("author", "detainee").annotate(
            domains_values=ArraySubquery(LifeDomain.objects.filter(sessions=OuterRef("pk")).values("code")),
            modules_values=ArraySubquery(InterventionModule.objects.filter(sessions=OuterRef("pk")).values("code")),
            participants_values=ArraySubquery(NetworkPerson.objects.filter(sessions=OuterRef("pk")).values("pk")),
            partner_organisations_values=ArraySubquery(
                Organisation.objects.filter(sessions=OuterRef("pk")).values("pk")
            ),
        )


@pghistory.track()
class Session(BaseModel):
    class Modality(models.TextChoices):
        IN_PERSON_PRISON = "in_person_prison", _("Face to face in de gevangenis")
        IN_PERSON_OUTSIDE = "in_person_outside", _("Face to face buiten de gevangenis")
        PHONE = "phone", _("Telefonisch")
        VIDEO = "video", _("Videogesprek")
        LETTER = "letter", _("Brief")

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Doorgegaan")
        REFUSED = "refused", _("Geweigerd door gedetineerde")
        NO_SHOW = "no_show", _("Niet opgedaagd")
        CANCELLED_BY_PRISON = "cancelled_by_prison", _("Geannuleerd door de gevangenis")
        CANCELLED_BY_CONSULTANT = "cancelled_by_consultant", _("Geannuleerd door consulent")

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="sessions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="sessions"
    )
    started_at = models.DateTimeField(_("tijdstip"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur (minuten)"), validators=[MinValueValidator(1), MaxValueValidator(SESSION_MAX_MINUTES)]
    )
    modality = models.CharField(_("vorm"), max_length=20, choices=Modality.choices)
    attendance = models.CharField(
        _("aanwezigheid"), max_length=24, choices=Attendance.choices, default=Attendance.ATTENDED
    )
    engagement = models.PositiveSmallIntegerField(
        _("betrokkenheid (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    participants = models.ManyToManyField(
        NetworkPerson, verbose_name=_("netwerkpersonen aanwezig"), blank=True, related_name="sessions"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("partners aanwezig"), blank=True, related_name="sessions"
    )
    domains = models.ManyToManyField(LifeDomain, verbose_name=_("levensdomeinen"), blank=True, related_name="sessions")
    modules = models.ManyToManyField(InterventionModule, verbose_name=_("modules"), blank=True, related_name="sessions")
    summary = models.TextField(_("samenvatting (deelbaar)"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    # Encrypted at rest (config/crypto.py); never leaves the consultant team.
    confidential_notes = EncryptedTextField(
        _("vertrouwelijke notities (enkel het consulententeam)"), max_length=CONFIDENTIAL_MAX_LENGTH, blank=True
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=SESSION_MAX_MINUTES),
                name="session_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(engagement__isnull=True) | Q(attendance="attended", engagement__gte=1, engagement__lte=5),
                name="session_engagement_only_when_attended",
            ),
        ]
        indexes = [
            # The file's timeline in keyset pages: the same order as the page, id as the tiebreaker (ADR 0036).
            models.Index(fields=["detainee", "-started_at", "-id"], name="session_file_keyset_idx"),
            # Newest first across many files (the sessions API of an organisation: 280 ms → 2 ms at national
            # scale), and the 12 months of sessions per month and attendance on the manager dashboard read from
            # the index alone (150 → 55 ms): docs/adr/0012-query-budget-and-indexes.md.
            models.Index(fields=["-started_at", "-id"], include=["detainee", "attendance"], name="session_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee} {local_datetime(self.started_at)}"
