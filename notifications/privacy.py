"""The notification centre's part in retention and in the subject-access export (casework/privacy/registry.py).

Reminders and notifications point at items (a conference, an action, a trajectory, the file itself) that
the owning apps declare per detainee in `subjects.py`. Their texts are content-free by design (docs/design.md §9),
but they are still messages about the person: on anonymisation pending reminders are withdrawn and every
text and link is replaced by a neutral one, so nothing leads back to the file. ADR 0009.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Detainee
from casework.privacy.registry import PrivacyParticipant, register_participant

from .models import Notification, Reminder
from .subjects import detainee_objects


def _about(detainee: Detainee) -> Q:
    condition = Q(pk__in=[])
    for object_type, ids in detainee_objects(detainee.pk).items():
        if ids:
            condition |= Q(object_type=object_type, object_id__in=ids)
    return condition


def anonymise_notifications(detainee: Detainee, user) -> dict[str, int]:
    reminders = Reminder.objects.filter(_about(detainee))
    now = timezone.now()
    text = _("Melding over een geanonimiseerd dossier.")
    changes = {
        "reminders_withdrawn": reminders.filter(status=Reminder.Status.PENDING).update(
            status=Reminder.Status.WITHDRAWN, withdrawn_at=now
        ),
    }
    changes["reminders"] = reminders.update(text=text, link="")
    changes["notifications"] = Notification.objects.filter(reminder__in=reminders).update(text=text, link="")
    return changes


def export_notifications(detainee: Detainee) -> dict:
    """Which reminders and notifications went to whom about the detainee (recipients by role and organisation)."""
    reminders = Reminder.objects.filter(_about(detainee)).select_related("recipient__organisation", "notification")
    rows = []
    for reminder in reminders.order_by("due_at", "pk"):
        notification = getattr(reminder, "notification", None)
        rows.append(
            {
                "kind": reminder.kind,
                "due_on": reminder.due_on,
                "status": reminder.get_status_display(),
                "recipient": str(reminder.recipient),
                "role": reminder.recipient.get_role_display(),
                "organisation": str(reminder.recipient.organisation or ""),
                "text": reminder.display_text,
                "notified_at": notification.created_at if notification else None,
            }
        )
    return {"reminders": rows}


def register() -> None:
    register_participant(
        PrivacyParticipant(
            name="notifications",
            anonymise=anonymise_notifications,
            export=export_notifications,
            order=40,
        )
    )
