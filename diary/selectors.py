"""Reads of the diary, each a fixed number of queries whatever the data size (docs/design.md §11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, Q
from django.utils import timezone

from accounts.display import person_name
from accounts.models import User

from .models import PlannedContact, VisitingSlot, _local_day_start

MY_DAY_OVERDUE_DAYS = 30
MY_DAY_LIMIT = 30
SUGGESTION_DAYS = 14


class MyDay(TypedDict):
    today: list[PlannedContact]
    overdue: list[PlannedContact]
    more: bool


class SlotSuggestion(TypedDict):
    slot: VisitingSlot
    starts_at: dt.datetime
    duration: int


def my_day_contacts(user: User, today: dt.date | None = None) -> MyDay:
    """Today's planned contacts (open, logged) and the open ones of the last 30 days that were never logged.
    One query."""
    today = today or timezone.localdate()
    start = _local_day_start(today - dt.timedelta(days=MY_DAY_OVERDUE_DAYS))
    rows = list(
        PlannedContact.objects.visible_to(user)
        .filter(consultant=user, cancelled_at__isnull=True)
        .filter(
            Q(starts_at__gte=_local_day_start(today), starts_at__lt=_local_day_start(today + dt.timedelta(days=1)))
            | Q(starts_at__gte=start, starts_at__lt=_local_day_start(today), session__isnull=True)
        )
        .for_list()[: MY_DAY_LIMIT + 1]
    )
    overdue = [c for c in rows if timezone.localdate(c.starts_at) < today]
    planned = [c for c in rows if timezone.localdate(c.starts_at) == today]
    return {"today": planned, "overdue": overdue, "more": len(rows) > MY_DAY_LIMIT}


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_contacts(user: User, monday: dt.date) -> list[tuple[dt.date, list[PlannedContact]]]:
    """The seven days from `monday` with the user's planned contacts (cancelled ones too, marked). One query."""
    contacts = list(
        PlannedContact.objects.visible_to(user)
        .filter(
            consultant=user,
            starts_at__gte=_local_day_start(monday),
            starts_at__lt=_local_day_start(monday + dt.timedelta(days=7)),
        )
        .for_list()
    )
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    return [(day, [c for c in contacts if timezone.localdate(c.starts_at) == day]) for day in days]


def overdue_contacts(user: User) -> list[PlannedContact]:
    """Every open contact of the user planned before today (the week page's list to clear). One query."""
    return list(PlannedContact.objects.visible_to(user).filter(consultant=user).overdue().for_list()[:MY_DAY_LIMIT])


def slot_suggestions(prison_id: int | None, *, now: dt.datetime | None = None) -> list[SlotSuggestion]:
    """The next two weeks' occurrences of the prison's visiting slots, as start moments the form offers.
    One query (none without a prison)."""
    if prison_id is None:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    slots = list(VisitingSlot.objects.filter(prison_id=prison_id).order_by("weekday", "starts_at"))
    found: list[SlotSuggestion] = []
    for offset in range(SUGGESTION_DAYS):
        day = today + dt.timedelta(days=offset)
        for slot in slots:
            if slot.weekday != day.weekday():
                continue
            start = timezone.make_aware(dt.datetime.combine(day, slot.starts_at))
            if start < now:
                continue
            found.append(
                {
                    "slot": slot,
                    "starts_at": start,
                    "duration": int(
                        (
                            dt.datetime.combine(day, slot.ends_at) - dt.datetime.combine(day, slot.starts_at)
                        ).total_seconds()
                        // 60
                    ),
                }
            )
    return found


@dataclass
class ConsultantFigures:
    consultant: str
    consultant_id: int
    planned: int
    held: int
    not_logged: int
    cancelled: int

    @property
    def held_share(self) -> int | None:
        """Held as a percentage of the planned contacts that are due (not cancelled)."""
        return round(100 * self.held / self.planned) if self.planned else None


def planned_vs_held(user: User, start: dt.date, end: dt.date) -> list[ConsultantFigures]:
    """Per consultant of the manager's organisation: contacts planned in [start, end] that are due by now
    (cancelled ones apart), held (logged), planned but not logged, and cancelled. One query."""
    now = timezone.now()
    upper = min(_local_day_start(end + dt.timedelta(days=1)), now)
    due = Q(
        planned_contacts__starts_at__gte=_local_day_start(start),
        planned_contacts__starts_at__lt=upper,
        planned_contacts__detainee__organisation_id=user.organisation_id,
    )
    active = due & Q(planned_contacts__cancelled_at__isnull=True)
    rows = (
        # django-stubs refuses None in an exact lookup; Django reads it as IS NULL, which this query relies on.
        User.objects.filter(organisation_id=user.organisation_id, role=User.Role.CONSULTANT, is_active=True)  # type: ignore[misc]
        .annotate(
            planned=Count("planned_contacts", filter=active),
            held=Count("planned_contacts", filter=active & Q(planned_contacts__session__isnull=False)),
            not_logged=Count("planned_contacts", filter=active & Q(planned_contacts__session__isnull=True)),
            cancelled=Count("planned_contacts", filter=due & Q(planned_contacts__cancelled_at__isnull=False)),
        )
        .order_by("last_name", "first_name", "pk")
    )
    return [
        ConsultantFigures(person_name(row), row.pk, row.planned, row.held, row.not_logged, row.cancelled)
        for row in rows
    ]
