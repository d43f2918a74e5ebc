"""The diary of planned contacts: what a consultant intends to do (a visit, a call), before it is a session.

A planned contact points at the session that logged it (`session`); casework keeps no key to the diary
(docs/architecture.md, one-way dependencies). The prisons' weekly visiting slots are reference data the plan
form offers as suggestions, nothing is refused for falling outside them. ADR 0024.
"""

from __future__ import annotations

import datetime as dt

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.display import local_datetime
from accounts.models import BaseModel, User
from casework.models import Detainee, Prison, Session

CONTACT_MIN_MINUTES, CONTACT_MAX_MINUTES = 5, 12 * 60


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Bezoek in de gevangenis")
    CALL = "call", _("Telefoongesprek")
    VIDEO = "video", _("Videogesprek")
    OUTSIDE = "outside", _("Afspraak buiten de gevangenis")


# The session modality a planned contact becomes when it is logged.
KIND_MODALITY = {
    ContactKind.VISIT: Session.Modality.IN_PERSON_PRISON,
    ContactKind.CALL: Session.Modality.PHONE,
    ContactKind.VIDEO: Session.Modality.VIDEO,
    ContactKind.OUTSIDE: Session.Modality.IN_PERSON_OUTSIDE,
}


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class VisitingSlot(BaseModel):
    """A weekly moment a prison receives professional visits or calls (reference data, the admin keeps it)."""

    prison = models.ForeignKey(
        Prison, verbose_name=_("gevangenis"), on_delete=models.CASCADE, related_name="visiting_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("weekdag"), choices=Weekday.choices)
    starts_at = models.TimeField(_("van"))
    ends_at = models.TimeField(_("tot"))
    kind = models.CharField(_("soort"), max_length=12, choices=ContactKind.choices, default=ContactKind.VISIT)
    note = models.CharField(_("opmerking"), max_length=200, blank=True)

    class Meta:
        ordering = ["prison__name", "weekday", "starts_at"]
        verbose_name = _("bezoekmoment")
        verbose_name_plural = _("bezoekmomenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visiting_slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="visiting_slot_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.prison} {self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class PlannedContactQuerySet(models.QuerySet["PlannedContact"]):
    def visible_to(self, user: User) -> PlannedContactQuerySet:
        """Consultants: the contacts they planned, on files still on their own caseload (lead or co-consultant)
        of their organisation. Managers: their organisation's (for the planned-vs-held figures). Nobody else."""
        if not user.is_authenticated or not user.is_active or not user.organisation_id:
            return self.none()
        if user.is_consultant:
            team = Detainee.co_consultants.through.objects.filter(user_id=user.pk).values("detainee_id")
            return self.filter(consultant=user, detainee__organisation_id=user.organisation_id).filter(
                Q(detainee__lead_consultant=user) | Q(detainee_id__in=team)
            )
        if user.is_manager:
            return self.filter(detainee__organisation_id=user.organisation_id)
        return self.none()

    def open(self) -> PlannedContactQuerySet:
        """Neither logged nor cancelled."""
        return self.filter(session__isnull=True, cancelled_at__isnull=True)

    def on_day(self, day: dt.date) -> PlannedContactQuerySet:
        return self.filter(
            starts_at__gte=_local_day_start(day), starts_at__lt=_local_day_start(day + dt.timedelta(days=1))
        )

    def overdue(self, today: dt.date | None = None) -> PlannedContactQuerySet:
        """Open contacts planned before today: planned but not logged."""
        return self.open().filter(starts_at__lt=_local_day_start(today or timezone.localdate()))

    def for_list(self) -> PlannedContactQuerySet:
        """What a list shows (the detainee's name, the prison), in one query."""
        return self.select_related("detainee", "prison").order_by("starts_at", "pk")


@pghistory.track()
class PlannedContact(BaseModel):
    """A visit, call or video call a consultant plans with a detainee of his caseload."""

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("gedetineerde"), on_delete=models.CASCADE, related_name="planned_contacts"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consulent"), on_delete=models.PROTECT, related_name="planned_contacts"
    )
    starts_at = models.DateTimeField(_("tijdstip"))
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), default=60)
    kind = models.CharField(_("soort"), max_length=12, choices=ContactKind.choices, default=ContactKind.VISIT)
    prison = models.ForeignKey(
        Prison,
        verbose_name=_("gevangenis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_contacts",
    )
    place = models.CharField(
        _("plaats"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld de bezoekzaal of het adres; komt niet in je agendafeed."),
    )
    # The session that logged it; a logged contact is done. SET_NULL: a session removed by retention leaves the plan.
    session = models.OneToOneField(
        Session,
        verbose_name=_("contactmoment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_contact",
    )
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)

    objects = PlannedContactQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("gepland contact")
        verbose_name_plural = _("geplande contacten")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=CONTACT_MIN_MINUTES, duration_minutes__lte=CONTACT_MAX_MINUTES),
                name="planned_contact_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(cancelled_at__isnull=True),
                name="planned_contact_logged_or_cancelled",
            ),
        ]
        indexes = [
            # The consultant's day and week, and the manager's figures per consultant over a period.
            models.Index(fields=["consultant", "starts_at"], name="planned_contact_diary_idx"),
            # The reminder sweep: open contacts by day.
            models.Index(
                fields=["starts_at"],
                condition=Q(session__isnull=True, cancelled_at__isnull=True),
                name="planned_contact_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {local_datetime(self.starts_at)}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        return self.session_id is None and self.cancelled_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate(self.starts_at) < timezone.localdate()
