"""Release, six to twelve months of aftercare, follow-ups and the handover package (docs/design.md §3).

Imported at the bottom of `trajectories/models.py` so Django sees these models in this app.
Writes go through `services/release.py` only.
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
from casework.models import Consent, Disclosure

from .models import Trajectory

# Aftercare lasts six months after release unless the trajectory (or the organisation) sets a longer
# stabilisation coaching, up to twelve months (docs/design.md §3, ADR 0038).
DEFAULT_AFTERCARE_MONTHS = 6
MIN_AFTERCARE_MONTHS = 6
MAX_AFTERCARE_MONTHS = 12
AFTERCARE_LENGTHS = range(MIN_AFTERCARE_MONTHS, MAX_AFTERCARE_MONTHS + 1)
# What exit programmes report after closure: reviews at +6, +12 and +24 months (ADR 0039).
DEFAULT_POST_CLOSURE_MONTHS = (6, 12, 24)


def default_follow_up_months(aftercare_months: int = DEFAULT_AFTERCARE_MONTHS) -> tuple[int, ...]:
    """+1, +3, +6 months, then every three months, and always one at the end of the aftercare."""
    months = [m for m in (1, 3, 6, 9, 12) if m <= aftercare_months]
    return tuple(months if months[-1] == aftercare_months else [*months, aftercare_months])


DEFAULT_FOLLOW_UP_MONTHS = default_follow_up_months()


class ReleaseQuerySet(models.QuerySet["Release"]):
    def visible_to(self, user: User) -> ReleaseQuerySet:
        """Releases of the trajectories the user may see the status of."""
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user))


@pghistory.track()
class Release(BaseModel):
    class Modality(models.TextChoices):
        END_OF_SENTENCE = "end_of_sentence", _("Strafeinde")
        CONDITIONAL_RELEASE = "conditional_release", _("Voorwaardelijke invrijheidstelling")
        ELECTRONIC_MONITORING = "electronic_monitoring", _("Elektronisch toezicht")
        LEAVE = "leave", _("Penitentiair verlof")
        DEPORTED = "deported", _("Verwijderd van het grondgebied")
        OTHER = "other", _("Andere")

    # One release per trajectory: a second registration is refused by the database too.
    trajectory = models.OneToOneField(Trajectory, on_delete=models.PROTECT, related_name="release")
    released_on = models.DateField(_("vrijgelaten op"))
    modality = models.CharField(_("modaliteit"), max_length=24, choices=Modality.choices)
    destination_municipality = models.CharField(_("gemeente van bestemming"), max_length=100)
    follow_up_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("opvolgende dienst"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up_service = models.CharField(_("opvolgende dienst (naam, contact)"), max_length=200, blank=True)
    aftercare_months = models.PositiveSmallIntegerField(
        _("duur van de nazorg (maanden)"), default=DEFAULT_AFTERCARE_MONTHS
    )
    aftercare_ends_on = models.DateField(_("einde nazorg"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vrijlating")
        verbose_name_plural = _("vrijlatingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(aftercare_ends_on__gt=F("released_on")), name="release_aftercare_after_release"
            ),
            models.CheckConstraint(
                condition=Q(aftercare_months__gte=MIN_AFTERCARE_MONTHS, aftercare_months__lte=MAX_AFTERCARE_MONTHS),
                name="release_aftercare_six_to_twelve_months",
            ),
        ]
        indexes = [models.Index(fields=["aftercare_ends_on"], name="release_aftercare_end_idx")]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {local_date(self.released_on)}"


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def visible_to(self, user: User) -> FollowUpQuerySet:
        """Follow-ups are work of the case staff of the file's organisation."""
        if user.is_authenticated and user.is_active and user.is_case_staff:
            return self.filter(trajectory__detainee__organisation_id=user.organisation_id)
        return self.none()

    def planned(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUp.Status.PLANNED)


class Known(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nee")
    UNKNOWN = "unknown", _("Onbekend")


class Housing(models.TextChoices):
    STABLE = "stable", _("Stabiele woonst")
    UNSTABLE = "unstable", _("Onstabiele woonst")
    NONE = "none", _("Dakloos")
    UNKNOWN = "unknown", _("Onbekend")


class Work(models.TextChoices):
    WORK = "work", _("Werk")
    TRAINING = "training", _("Opleiding")
    NONE = "none", _("Geen werk of opleiding")
    UNKNOWN = "unknown", _("Onbekend")


class OutcomeSource(models.TextChoices):
    JUSTICE_HOUSE = "justice_house", _("Justitiehuis")
    PERSON = "person", _("De persoon zelf")
    NETWORK = "network", _("Netwerk of familie")
    PARTNER = "partner", _("Partnerdienst")
    POLICE = "police", _("Politie of LIVC")
    PRISON = "prison", _("Gevangenisadministratie")
    OTHER = "other", _("Andere bron")


# The outcome fields of a post-closure review, each answered when the review is recorded as held.
OUTCOME_FIELDS = ("outcome_contact", "outcome_housing", "outcome_work", "outcome_detention", "outcome_listing")


@pghistory.track()
class FollowUp(BaseModel):
    """A scheduled aftercare contact (+1/+3/+6 months) or a post-closure review (+6/+12/+24 months), which
    records what is known of the person then, and from which source."""

    class Kind(models.TextChoices):
        AFTERCARE = "aftercare", _("Nazorgopvolging")
        POST_CLOSURE = "post_closure", _("Evaluatie na afsluiting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        DONE = "done", _("Uitgevoerd")
        MISSED = "missed", _("Niet gelukt")
        CANCELLED = "cancelled", _("Geannuleerd")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    months_after = models.PositiveSmallIntegerField(_("maanden na"))
    due_on = models.DateField(_("gepland op"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    note = models.TextField(_("notitie"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Post-closure reviews only (blank otherwise).
    outcome_contact = models.CharField(
        _("in contact met hulpverlening"), max_length=8, choices=Known.choices, blank=True
    )
    outcome_housing = models.CharField(_("woonsituatie"), max_length=8, choices=Housing.choices, blank=True)
    outcome_work = models.CharField(_("werk of opleiding"), max_length=8, choices=Work.choices, blank=True)
    outcome_detention = models.CharField(_("opnieuw gedetineerd"), max_length=8, choices=Known.choices, blank=True)
    outcome_detained_on = models.DateField(_("opnieuw gedetineerd sinds"), null=True, blank=True)
    outcome_listing = models.CharField(_("nieuwe OCAD-registratie"), max_length=8, choices=Known.choices, blank=True)
    outcome_source = models.CharField(_("bron"), max_length=16, choices=OutcomeSource.choices, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("opvolging")
        verbose_name_plural = _("opvolgingen")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "kind", "months_after"], name="follow_up_unique_per_month"),
            models.CheckConstraint(condition=Q(months_after__gte=1), name="follow_up_months_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "cancelled"]) | Q(done_on__isnull=False),
                name="follow_up_done_has_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="post_closure")
                | Q(
                    outcome_contact="",
                    outcome_housing="",
                    outcome_work="",
                    outcome_detention="",
                    outcome_listing="",
                    outcome_source="",
                ),
                name="follow_up_outcome_only_after_closure",
            ),
            models.CheckConstraint(
                condition=Q(outcome_detained_on__isnull=True) | Q(outcome_detention="yes"),
                name="follow_up_detained_on_only_if_detained",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="follow_up_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} +{self.months_after}m ({local_date(self.due_on)})"


class AftercareSetting(BaseModel):
    """An organisation's schedule: follow-up months after release, and optional post-closure reviews."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="aftercare_setting")
    aftercare_months = models.PositiveSmallIntegerField(
        _("duur van de nazorg (maanden)"), default=DEFAULT_AFTERCARE_MONTHS
    )
    follow_up_months = ArrayField(models.PositiveSmallIntegerField(), size=6, default=list)
    post_closure_reviews = models.BooleanField(_("evaluaties na afsluiting"), default=False)
    post_closure_months = ArrayField(models.PositiveSmallIntegerField(), size=4, default=list)

    class Meta:
        verbose_name = _("instelling nazorg")
        verbose_name_plural = _("instellingen nazorg")
        constraints = [
            models.CheckConstraint(
                condition=Q(aftercare_months__gte=MIN_AFTERCARE_MONTHS, aftercare_months__lte=MAX_AFTERCARE_MONTHS),
                name="aftercare_setting_six_to_twelve_months",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.follow_up_months}"


class HandoverPackageQuerySet(models.QuerySet["HandoverPackage"]):
    def visible_to(self, user: User) -> HandoverPackageQuerySet:
        """Handover packages are prepared and read by the case staff of the file's organisation."""
        if user.is_authenticated and user.is_active and user.is_case_staff:
            return self.filter(trajectory__detainee__organisation_id=user.organisation_id)
        return self.none()


@pghistory.track()
class HandoverPackage(BaseModel):
    """A PDF for the justice house / Ceapire / LIVC, limited to the recipient's consent scopes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wordt aangemaakt")
        READY = "ready", _("Klaar")
        # Rendering broke (a template or PDF error): worth asking again, or telling the administrator.
        FAILED = "failed", _("Mislukt")
        # Not rendered because no consent for this handover was in force any more: nothing left the team,
        # and asking again helps only after a new consent.
        WITHHELD = "withheld", _("Ingehouden: toestemming ingetrokken")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="handover_packages")
    recipient_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    # The scopes the package was filtered on (a later consent change does not rewrite history).
    scopes = ArrayField(models.CharField(max_length=24), default=list)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The language the package is written in, chosen when it is requested (blank on packages requested
    # before: the requester's language, as then).
    language = models.CharField(_("taal"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="handover/%Y/%m/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = HandoverPackageQuerySet.as_manager()
    # Not columns: set by services_release.handover_packages_for_list for the trajectory's page.
    consent_in_force: bool
    shareable: bool

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("overdrachtspakket")
        verbose_name_plural = _("overdrachtspakketten")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file_sha256="") & Q(disclosure__isnull=False)),
                name="handover_ready_is_disclosed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory_id} → {self.recipient_organisation_id}"
