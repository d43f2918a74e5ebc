"""Reads of the notification centre.

A notification outlives the access that made it relevant: a partner invited to a conference loses it
when the consent is withdrawn. The list must then neither link to the item nor keep pointing at it;
kinds that can lose their recipients say so with `register_recipient_check` (subjects.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .models import Notification
from .subjects import recipient_check

if TYPE_CHECKING:
    from accounts.models import User


def mark_availability(user: User, notifications: Iterable[Notification]) -> list[Notification]:
    """Set `available` on each notification and drop the link of those whose item `user` may no longer
    open. One query per kind on the page that can lose its recipients; none for the others.

    The notifications must come with their reminder (`select_related("reminder")`).
    """
    notifications = list(notifications)
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        notification.available = True
        if notification.reminder_id and recipient_check(notification.kind) is not None:
            by_kind[notification.kind].append(notification)
    for code, rows in by_kind.items():
        check = recipient_check(code)
        if check is None:
            continue
        visible = check(user, {n.reminder.object_id for n in rows if n.reminder is not None})
        for notification in rows:
            if notification.reminder is not None and notification.reminder.object_id not in visible:
                notification.available = False
                notification.link = ""
    return notifications
