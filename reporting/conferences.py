"""Conference figures for the dashboards, from the casusoverleg app.

The model is looked up through the app registry, so this module imports nothing from casusoverleg at
load time (reporting sits at the end of the dependency chain and must not break an app's migrations).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

SOON_DAYS = 30


def conference_model():
    return apps.get_model("casusoverleg", "Conference")


def _statuses():
    status = conference_model().Status
    return status, (status.HELD, status.MINUTES_DRAFT)


def upcoming(user, now: dt.datetime) -> QuerySet:
    """Conferences (not cancelled) starting within the next 30 days."""
    return conference_model().objects.visible_to(user).active().filter(
        starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=SOON_DAYS)
    )


def without_approved_minutes(user, now: dt.datetime) -> QuerySet:
    """Conferences that took place but whose minutes are not approved yet."""
    _, waiting = _statuses()
    return conference_model().objects.visible_to(user).filter(status__in=waiting, starts_at__lt=now)


def manager_figures(user, today: dt.date) -> dict:
    """Conferences in the next 30 days and held ones without approved minutes. 1 query."""
    now = timezone.now()
    _, waiting = _statuses()
    return conference_model().objects.visible_to(user).aggregate(
        upcoming=Count("pk", filter=Q(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=SOON_DAYS))
                       & ~Q(status=conference_model().Status.CANCELLED)),
        without_minutes=Count("pk", filter=Q(status__in=waiting, starts_at__lt=now)),
    )


def with_last_and_next(qs: QuerySet) -> QuerySet:
    """Annotate `last_conference` and `next_conference` (start times, cancelled ones left out) per detainee."""
    now = timezone.now()
    held = conference_model().objects.active().filter(detainee=OuterRef("pk"))
    return qs.annotate(
        last_conference=Subquery(held.filter(starts_at__lt=now).order_by("-starts_at").values("starts_at")[:1]),
        next_conference=Subquery(held.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]),
    )


def with_pre_leave(qs: QuerySet) -> QuerySet:
    """Annotate `pre_leave_planned`: the start of the file's latest pre-leave conference not cancelled."""
    model = conference_model()
    pre_leave = model.objects.active().filter(detainee=OuterRef("pk"), kind=model.Kind.PRE_LEAVE)
    return qs.annotate(pre_leave_planned=Subquery(pre_leave.order_by("-starts_at").values("starts_at")[:1]))
