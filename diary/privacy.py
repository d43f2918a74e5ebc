"""The diary's part in retention and in the subject-access export (casework/privacy/registry.py).

After anonymisation a planned contact keeps when, how long, what kind and in which prison (the manager's
planned-vs-held figures count them); the free text of the place is emptied and the change history of the rows
is deleted (it holds the old texts). ADR 0009, ADR 0024.
"""

from __future__ import annotations

from django.apps import apps

from casework.merging import history_ids
from casework.models import Detainee
from casework.privacy.registry import PrivacyParticipant, register_participant

from .models import PlannedContact

# pghistory event models of this app and how their rows point to the detainee.
EVENT_LOOKUPS = {"PlannedContactEvent": "detainee_id"}


def anonymise_planned_contacts(detainee: Detainee, user) -> dict[str, int]:
    changes: dict[str, int] = {}
    ids = history_ids(detainee)
    for name, lookup in EVENT_LOOKUPS.items():
        event_model = apps.get_model("diary", name)
        # Also the rows written before a merge, which name the merged-away id (ADR 0032).
        changes[f"history_{name}"] = event_model.objects.filter(**{f"{lookup}__in": ids}).delete()[0]
    changes["planned_contacts"] = PlannedContact.objects.filter(detainee=detainee).exclude(place="").update(place="")
    return changes


def export_planned_contacts(detainee: Detainee) -> dict:
    """The planned contacts about the detainee, one table for the subject-access export."""
    return {
        "planned_contacts": [
            {
                "id": c.pk,
                "starts_at": c.starts_at,
                "duration_minutes": c.duration_minutes,
                "kind": c.get_kind_display(),
                "prison": str(c.prison or ""),
                "place": c.place,
                "consultant": str(c.consultant),
                "session": c.session_id,
                "cancelled_at": c.cancelled_at,
            }
            for c in PlannedContact.objects.filter(detainee=detainee)
            .select_related("prison", "consultant")
            .order_by("starts_at", "pk")
        ],
    }


def planned_contacts_about(detainee_id: int) -> list[int]:
    return list(PlannedContact.objects.filter(detainee_id=detainee_id).values_list("pk", flat=True))


def planned_contacts_still_visible(user, ids: set[int]) -> set[int]:
    """Of `ids`, the planned contacts `user` may still open (a consultant taken off the case team loses them)."""
    return set(PlannedContact.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def register() -> None:
    from notifications.subjects import register_detainee_objects, register_recipient_check

    from .reminders import CODE

    register_participant(
        PrivacyParticipant(
            name="diary",
            anonymise=anonymise_planned_contacts,
            export=export_planned_contacts,
            order=25,
        )
    )
    register_detainee_objects("diary.plannedcontact", planned_contacts_about)
    register_recipient_check(CODE, planned_contacts_still_visible)
