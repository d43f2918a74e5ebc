"""The diary's reminder kind, registered with the one engine (notifications/registry.py).

- planned_contact_not_logged   the consultant, the day after a planned contact that is neither logged nor
                               cancelled (offsets count days after the contact)

The text says when the contact was planned, never with whom.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from notifications.registry import PlanContext, ReminderKind, register

from .models import PlannedContact, _local_day_start

CODE = "planned_contact_not_logged"


def _plan(ctx: PlanContext):
    for offset, days in ctx.reference_days(CODE).items():
        start, end = _local_day_start(min(days)), _local_day_start(max(days) + dt.timedelta(days=1))
        rows = (
            PlannedContact.objects.open()
            .filter(starts_at__gte=start, starts_at__lt=end, consultant__is_active=True)
            .select_related("detainee")
            .only("pk", "starts_at", "consultant_id", "detainee__organisation_id")
        )
        for contact in rows:
            if offset not in ctx.offsets(CODE, contact.detainee.organisation_id):
                continue
            when = timezone.localtime(contact.starts_at)
            yield ctx.draft(
                kind=CODE,
                obj=contact,
                due_on=when.date() + dt.timedelta(days=offset),
                recipient_id=contact.consultant_id,
                text=_("Een gepland contact van %(day)s om %(time)s is nog niet geregistreerd."),
                text_params={"day": local_date(when), "time": f"{when:%H:%M}"},
                link=reverse("diary:log", args=[contact.pk]),
            )


def _still_open(reminders) -> set[int]:
    """Still neither logged nor cancelled, and still the recipient's to log."""
    open_ids = set(
        PlannedContact.objects.open().filter(pk__in={r.object_id for r in reminders}).values_list("pk", "consultant_id")
    )
    return {r.pk for r in reminders if (r.object_id, r.recipient_id) in open_ids}


register(
    ReminderKind(
        code=CODE,
        label=_("Gepland contact niet geregistreerd"),
        default_offsets=(1,),
        plan=_plan,
        still_applies=_still_open,
        offsets_help="days after the planned contact",
    )
)
