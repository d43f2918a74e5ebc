"""Reminders about a merged-away file are withdrawn when two files are merged (casework/merging.py, ADR 0032):
the sweep plans the survivor's own on its next run. Delivered notifications stay as they were; their link
leads to the merged-away id, which points the case staff to the survivor.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.merging import MergeCheck, MergePart, count_of, register_merge_part

from .models import Reminder
from .subjects import DETAINEE_OBJECT_TYPE


def _pending(source_id=None):
    return Reminder.objects.filter(
        object_type=DETAINEE_OBJECT_TYPE, object_id=source_id, status=Reminder.Status.PENDING
    )


def _apply(source, target) -> dict[str, int]:
    withdrawn = _pending(source.pk).update(status=Reminder.Status.WITHDRAWN, withdrawn_at=timezone.now())
    return {"reminders_withdrawn": withdrawn}


def register() -> None:
    register_merge_part(
        MergePart(
            name="notifications",
            relations=(),
            counts=lambda: {
                "reminders": (
                    gettext_lazy("Geplande herinneringen (worden ingetrokken)"),
                    count_of(Reminder, "object_id", object_type=DETAINEE_OBJECT_TYPE, status=Reminder.Status.PENDING),
                )
            },
            check=lambda source, target: MergeCheck(),
            apply=_apply,
            order=40,
        )
    )
