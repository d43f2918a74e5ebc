"""Conference figures for the dashboards, from the casusoverleg app.

Reporting sits at the end of the dependency chain: it imports casusoverleg directly, so the edge is visible
to the import contracts (`make lint`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from casusoverleg.models import AWAITING_MINUTES, Conference

SOON_DAYS = 30


def _statuses():
    return Conference.Status, tuple(AWAITING_MINUTES)


def upcoming(user, now: dt.datetime) -> QuerySet:
    """Conferences (not cancelled) starting within the next 30 days."""
    return (
        Conference.objects.visible_to(user)
        .active()
        .filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=SOON_DAYS))
    )


def without_approved_minutes(user, now: dt.datetime) -> QuerySet:
    """Conferences that took place but whose minutes are not approved yet."""
    _, waiting = _statuses()
    return Conference.objects.visible_to(user).filter(status__in=waiting, starts_at__lt=now)


def manager_figures(user, today: dt.date) -> dict:
    """Conferences in the next 30 days and held ones without approved minutes. 1 query."""
    now = timezone.now()
    _, waiting = _statuses()
    soon = Q(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=SOON_DAYS))
    awaiting = Q(status__in=waiting, starts_at__lt=now)
    # Only the rows either count can hold, so the planner reads two index ranges (the start time; the partial
    # index of conferences awaiting minutes) instead of every conference of the organisation.
    return (
        Conference.objects.visible_to(user)
        .filter(soon | awaiting)
        .aggregate(
            upcoming=Count("pk", filter=soon & ~Q(status=Conference.Status.CANCELLED)),
            without_minutes=Count("pk", filter=awaiting),
        )
    )


def with_last_and_next(qs: QuerySet) -> QuerySet:
    """Annotate `last_conference` and `next_conference` (start times, cancelled ones left out) per detainee."""
    now = timezone.now()
    held = Conference.objects.active().filter(detainee=OuterRef("pk"))
    return qs.annotate(
        last_conference=Subquery(held.filter(starts_at__lt=now).order_by("-starts_at").values("starts_at")[:1]),
        next_conference=Subquery(held.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]),
    )


def with_pre_leave(qs: QuerySet) -> QuerySet:
    """Annotate `pre_leave_planned`: the start of the file's latest pre-leave conference not cancelled."""
    pre_leave = Conference.objects.active().filter(detainee=OuterRef("pk"), kind=Conference.Kind.PRE_LEAVE)
    return qs.annotate(pre_leave_planned=Subquery(pre_leave.order_by("-starts_at").values("starts_at")[:1]))
