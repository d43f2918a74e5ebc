"""The diary's panels on "Mijn dag" (registered from `apps.ready`): each one query."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User

from . import selectors

MANAGER_PANEL_DAYS = 7


def _my_contacts(request) -> dict:
    return selectors.my_day_contacts(request.user)


def _planned_vs_held(request) -> dict:
    end = timezone.localdate()
    start = end - dt.timedelta(days=MANAGER_PANEL_DAYS - 1)
    rows = [row for row in selectors.planned_vs_held(request.user, start, end) if row.planned or row.cancelled]
    return {"rows": rows, "start": start, "end": end}


def register() -> None:
    from casework.views.registry import MyDayPanel, register_my_day_panel

    register_my_day_panel(
        MyDayPanel("planned_contacts", "diary/my_day_contacts.html", {User.Role.CONSULTANT}, 5, _my_contacts)
    )
    register_my_day_panel(
        MyDayPanel("planned_vs_held", "diary/my_day_planned_vs_held.html", {User.Role.MANAGER}, 12, _planned_vs_held)
    )
