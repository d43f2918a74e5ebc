"""The reminders panel on "Mijn dag" (registered from `apps.ready`): the user's unread reminders whose day
has come, the overdue ones first. One query.

The panel does not ask whether the user may still open each item (`mark_availability`, one query per kind):
the texts are content-free, and every line opens through `notifications:open`, which asks at the click and
sends an item no longer open to the user back to the list. So the panel costs the same whatever the kinds."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User

from .models import Notification

PANEL_LIMIT = 10


def _due_reminders(request) -> dict:
    today = timezone.localdate()
    rows = list(
        Notification.objects.filter(
            recipient=request.user, read_at__isnull=True, reminder__isnull=False, reminder__due_on__lte=today
        )
        .select_related("reminder")
        .order_by("reminder__due_on", "pk")[: PANEL_LIMIT + 1]
    )
    for notification in rows:
        notification.overdue = notification.reminder.due_on < today
    return {"notifications": rows[:PANEL_LIMIT], "more": len(rows) > PANEL_LIMIT}


def register() -> None:
    from casework.views.registry import MyDayPanel, register_my_day_panel

    R = User.Role
    register_my_day_panel(
        MyDayPanel(
            "due_reminders",
            "notifications/my_day_reminders.html",
            {R.CONSULTANT, R.MANAGER, R.DIRECTOR, R.PARTNER, R.DPO},
            7,
            _due_reminders,
        )
    )
