"""The director dashboard (docs/design.md §8): his prisons' detainees in scope, conferences and pre-leave deadlines.

A director sees identity, placement, dates, trajectory status and lead consultant of the files placed in
his prison(s) (docs/design.md §4), nothing of the session or trajectory content; every queryset here starts from
`Detainee.objects.visible_to(director)`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from casework.models import Detainee, Prison
from trajectories.models import OPEN_STATUSES, Trajectory

from . import conferences
from .selectors import add_months

PRE_LEAVE_MONTHS = 3  # a pre-leave conference is due at leave_eligible_on − 3 months (docs/design.md §3)
DEADLINE_HORIZON_MONTHS = 9  # deadlines shown: eligibility within the next 9 months


def in_scope(user: User) -> QuerySet[Detainee]:
    """Detainees in follow-up, still detained, in the director's prisons."""
    return Detainee.objects.visible_to(user).filter(in_scope=True, released_on__isnull=True)


def with_status(qs: QuerySet[Detainee]) -> QuerySet[Detainee]:
    """Annotate the open trajectory's status (a detainee has at most one open trajectory)."""
    open_trajectory = Trajectory.objects.filter(detainee=OuterRef("pk"), status__in=OPEN_STATUSES)
    return qs.annotate(trajectory_status=Subquery(open_trajectory.values("status")[:1]))


def prisons_summary(user: User) -> list[Prison]:
    """The director's prisons with the number of detainees in scope in each. 1 query."""
    return list(
        Prison.objects.filter(directors=user)
        .annotate(in_scope=Count("detainees", filter=Q(detainees__in_scope=True, detainees__released_on__isnull=True)))
        .order_by("name")
    )


def detainee_rows(user: User, prison_code: str | None = None) -> QuerySet[Detainee]:
    """Rows of the in-scope table: identity, prison, lead consultant, trajectory status, last/next conference."""
    qs = in_scope(user)
    if prison_code:
        qs = qs.filter(current_prison__code=prison_code)
    qs = with_status(qs).select_related("current_prison", "lead_consultant")
    return conferences.with_last_and_next(qs).order_by("last_name", "first_name", "pk")


def pre_leave_deadlines(user: User, today: dt.date | None = None, limit: int = 25) -> list[Detainee]:
    """Files whose leave eligibility falls within the horizon, soonest first, with the date the pre-leave
    conference is due (eligibility − 3 months); overdue when that date has passed. 1 query."""
    today = today or timezone.localdate()
    qs = (
        in_scope(user)
        .filter(leave_eligible_on__gte=today, leave_eligible_on__lte=add_months(today, DEADLINE_HORIZON_MONTHS))
        .select_related("current_prison", "lead_consultant")
        .order_by("leave_eligible_on", "pk")
    )
    rows = list(conferences.with_pre_leave(qs)[:limit])
    for row in rows:
        row.pre_leave_due = add_months(row.leave_eligible_on, -PRE_LEAVE_MONTHS)
        row.pre_leave_overdue = row.pre_leave_due < today and not getattr(row, "pre_leave_planned", None)
    return rows
