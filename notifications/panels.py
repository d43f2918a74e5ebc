"""The reminders panel on "Mijn dag" (registered from `apps.ready`): the user's unread reminders whose day
has come, the overdue ones first. One query (plus one per kind whose recipients can lose access,
notifications/selectors.py)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User

from .models import Notification
from .selectors import mark_availability

PANEL_LIMIT = 10


def _due_reminders(request) -> dict:
    today = timezone.localdate()
    rows = list(
        Notification.objects.filter(recipient=request.user, read_at__isnull=True, reminder__isnull=False,
                                    reminder__due_on__lte=today)
        .select_related("reminder").order_by("reminder__due_on", "pk")[: PANEL_LIMIT + 1]
    )
    rows = mark_availability(request.user, rows)
    for notification in rows:
        notification.overdue = notification.reminder.due_on < today
    return {"notifications": rows[:PANEL_LIMIT], "more": len(rows) > PANEL_LIMIT}


def register() -> None:
    from casework.views.registry import MyDayPanel, register_my_day_panel

    R = User.Role
    register_my_day_panel(MyDayPanel("due_reminders", "notifications/my_day_reminders.html",
                                     {R.CONSULTANT, R.MANAGER, R.DIRECTOR, R.PARTNER, R.DPO}, 7, _due_reminders))
