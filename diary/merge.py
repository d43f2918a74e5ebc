"""Planned contacts follow the person when two files are merged (casework/merging.py, ADR 0032)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from casework.merging import MergeCheck, MergePart, count_of, register_merge_part

from .models import PlannedContact


def _apply(source, target) -> dict[str, int]:
    count = 0
    for contact in PlannedContact.objects.select_for_update().filter(detainee_id=source.pk):
        contact.detainee_id = target.pk
        contact.save(update_fields=["detainee", "updated_at"])
        count += 1
    return {"planned_contacts": count}


def register() -> None:
    register_merge_part(
        MergePart(
            name="diary",
            relations=("diary.PlannedContact.detainee",),
            counts=lambda: {"planned_contacts": (gettext_lazy("Geplande contacten"), count_of(PlannedContact))},
            check=lambda source, target: MergeCheck(),
            apply=_apply,
            order=25,
        )
    )
