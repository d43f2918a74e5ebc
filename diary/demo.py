"""Demo data of the diary (`manage.py seed_demo`): the prisons' visiting slots, and for every demo consultant a
few planned contacts on his own caseload — this afternoon, tomorrow, later this week, and one of yesterday that
was never logged, so "Mijn dag" shows what is overdue. Idempotent: a consultant who has plans is skipped."""

from __future__ import annotations

import datetime as dt
import random

import pghistory
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import selectors as casework_selectors
from casework.models import Prison

from . import services
from .models import ContactKind, PlannedContact, VisitingSlot

# weekday, from, to, kind, note
SLOTS = [
    (1, dt.time(14, 0), dt.time(16, 0), ContactKind.VISIT, "Bezoekzaal professionelen"),
    (3, dt.time(9, 0), dt.time(11, 30), ContactKind.VISIT, "Bezoekzaal professionelen"),
    (2, dt.time(10, 0), dt.time(12, 0), ContactKind.VIDEO, "Videolokaal, aanmelden bij de PSD"),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed(*, rng: random.Random, stdout=None) -> None:
    slots = 0
    for prison in Prison.objects.all():
        if prison.visiting_slots.exists():
            continue
        VisitingSlot.objects.bulk_create(
            [
                VisitingSlot(prison=prison, weekday=weekday, starts_at=start, ends_at=end, kind=kind, note=note)
                for weekday, start, end, kind, note in SLOTS
            ]
        )
        slots += len(SLOTS)
    now = timezone.localtime()
    today = now.date()
    planned = 0
    for consultant in User.objects.filter(role=User.Role.CONSULTANT, is_active=True).order_by("pk"):
        if PlannedContact.objects.filter(consultant=consultant).exists():
            continue
        caseload = [
            d
            for d in casework_selectors.own_caseload(consultant)[:8]
            if d.released_on is None and d.current_prison_id is not None
        ][:6]
        if not caseload:
            continue
        later_today = max(now + dt.timedelta(hours=1), _at(today, 15)).replace(second=0, microsecond=0)
        moments = [
            (later_today, ContactKind.VISIT),
            (_at(today + dt.timedelta(days=1), 10), ContactKind.CALL),
            (_at(today + dt.timedelta(days=3), 14), ContactKind.VISIT),
            (_at(today + dt.timedelta(days=8), 9, 30), ContactKind.VIDEO),
        ]
        with transaction.atomic():
            for index, (starts_at, kind) in enumerate(moments):
                detainee = caseload[index % len(caseload)]
                services.planned_contact_plan(
                    detainee=detainee,
                    consultant=consultant,
                    starts_at=starts_at,
                    kind=kind,
                    duration_minutes=rng.choice([30, 45, 60]),
                )
                planned += 1
            # Yesterday's visit, never logged: planned then, it stands as the service wrote it.
            with pghistory.context(user=consultant.pk, reason="demo"):
                detainee = caseload[-1]
                PlannedContact.objects.create(
                    detainee=detainee,
                    consultant=consultant,
                    kind=ContactKind.VISIT,
                    prison=detainee.current_prison,
                    duration_minutes=60,
                    starts_at=_at(today - dt.timedelta(days=1), 10),
                )
            planned += 1
    if stdout is not None:
        stdout.write(f"diary: {slots} visiting slots, {planned} planned contacts")
