"""The conferences' panels on "Mijn dag" (registered from `apps.ready`), each a fixed number of queries:

- upcoming_conferences  the user's own conferences of the next 7 days (chair or invited)
- minutes_todo          minutes the user writes (minute taker) or approves (chair), of meetings already held
- pre_leave_deadlines   the director: detainees still in his prison (never the released) whose pre-leave
                        conference falls due, with the conference if one is planned
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import User
from casework.models import Detainee

from .models import PRE_LEAVE_MONTHS_BEFORE, Conference, Participant

UPCOMING_DAYS = 7
PANEL_LIMIT = 10
# The director sees the leave dates of the coming nine months: three months before each, the pre-leave
# conference is held, so six months leave time to plan it.
PRE_LEAVE_HORIZON_DAYS = 9 * 31
MINUTES_OPEN = (Conference.Status.PLANNED, Conference.Status.HELD, Conference.Status.MINUTES_DRAFT)


def _mine(user) -> Q:
    return Q(chair=user) | Q(Exists(Participant.objects.filter(conference=OuterRef("pk"), user=user)))


def _upcoming(request) -> dict:
    now = timezone.now()
    rows = list(
        Conference.objects.visible_to(request.user)
        .active()
        .filter(_mine(request.user))
        .filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS))
        .select_related("prison", "detainee")
        .order_by("starts_at", "pk")[: PANEL_LIMIT + 1]
    )
    return {"conferences": rows[:PANEL_LIMIT], "more": len(rows) > PANEL_LIMIT}


def _minutes_todo(request) -> dict:
    user = request.user
    taker = Exists(Participant.objects.filter(conference=OuterRef("pk"), user=user, role=Participant.Role.MINUTE_TAKER))
    rows = list(
        Conference.objects.visible_to(user)
        .filter(status__in=MINUTES_OPEN, starts_at__lt=timezone.now())
        .annotate(is_taker=taker)
        .filter(Q(chair=user) | Q(is_taker=True))
        .select_related("prison", "detainee")
        .order_by("starts_at", "pk")[: PANEL_LIMIT + 1]
    )
    for conference in rows:
        conference.to_approve = conference.chair_id == user.pk
    return {"conferences": rows[:PANEL_LIMIT], "more": len(rows) > PANEL_LIMIT}


def _pre_leave(request) -> dict:
    """One query: the detainees in the director's prisons, not released, with a leave date from three months
    ago to nine months ahead, and their planned pre-leave conference (if any)."""
    today = timezone.localdate()
    planned = Conference.objects.active().filter(detainee_id=OuterRef("pk"), kind=Conference.Kind.PRE_LEAVE)
    rows = list(
        Detainee.objects.visible_to(request.user)
        .filter(
            released_on__isnull=True,
            leave_eligible_on__gte=today - dt.timedelta(days=90),
            leave_eligible_on__lte=today + dt.timedelta(days=PRE_LEAVE_HORIZON_DAYS),
        )
        .annotate(
            pre_leave_id=Subquery(planned.order_by("starts_at").values("pk")[:1]),
            pre_leave_at=Subquery(planned.order_by("starts_at").values("starts_at")[:1]),
        )
        .select_related("current_prison")
        .order_by("leave_eligible_on", "pk")[: PANEL_LIMIT + 1]
    )
    for detainee in rows:
        conference_due = _months_before(detainee.leave_eligible_on, PRE_LEAVE_MONTHS_BEFORE)
        detainee.pre_leave_due = conference_due
        detainee.pre_leave_late = detainee.pre_leave_id is None and conference_due <= today
    return {"detainees": rows[:PANEL_LIMIT], "more": len(rows) > PANEL_LIMIT, "today": today}


def _months_before(day: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return day - relativedelta(months=months)


def register() -> None:
    from casework.views.registry import MyDayPanel, register_my_day_panel

    R = User.Role
    register_my_day_panel(
        MyDayPanel(
            "upcoming_conferences",
            "casusoverleg/my_day_upcoming.html",
            {R.CONSULTANT, R.DIRECTOR, R.MANAGER, R.PARTNER, R.ORGANISER},
            8,
            _upcoming,
        )
    )
    register_my_day_panel(
        MyDayPanel(
            "minutes_todo",
            "casusoverleg/my_day_minutes.html",
            {R.CONSULTANT, R.DIRECTOR, R.MANAGER, R.ORGANISER},
            9,
            _minutes_todo,
        )
    )
    register_my_day_panel(
        MyDayPanel("pre_leave_deadlines", "casusoverleg/my_day_pre_leave.html", {R.DIRECTOR}, 6, _pre_leave)
    )
