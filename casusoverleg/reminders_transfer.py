"""Reminder kinds of a transfer (ADR 0040), events queued by casusoverleg/services/transfer.py:

- transfer_recorded             the case team and the directors of both prisons, on the day a transfer is recorded
- transfer_conference_flagged   the directors of both prisons, for each conference still planned at the old one;
                                withdrawn once either of them has decided
- transfer_conference_resolved  the directors of both prisons and the case team (not the one who decided)

Texts name the prisons and the day, never the detainee (docs/design.md §9).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.registry import ReminderKind, register

from .models import TransferFlag


def _still_pending(reminders) -> set[int]:
    pending = set(
        TransferFlag.objects.pending().filter(pk__in={r.object_id for r in reminders}).values_list("pk", flat=True)
    )
    return {r.pk for r in reminders if r.object_id in pending}


register(
    ReminderKind(
        code="transfer_recorded",
        label=_("Overplaatsing van een gedetineerde"),
        default_offsets=(0,),
        plan=lambda ctx: iter(()),
    )
)
register(
    ReminderKind(
        code="transfer_conference_flagged",
        label=_("Casusoverleg na overplaatsing: beslissing nodig"),
        default_offsets=(0,),
        plan=lambda ctx: iter(()),
        still_applies=_still_pending,
    )
)
register(
    ReminderKind(
        code="transfer_conference_resolved",
        label=_("Casusoverleg na overplaatsing: beslist"),
        default_offsets=(0,),
        plan=lambda ctx: iter(()),
    )
)
