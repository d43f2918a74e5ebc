"""The notification centre: the list (grouped by day), open (mark read and follow the link), mark read,
mark all read, and the header bell."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from config.keyset import CURSOR_PARAM, keyset_page

from . import services
from .models import MailOptOut, Notification
from .selectors import mark_availability

PAGE_SIZE = 25


def get_notification_for_user(user, pk) -> Notification:
    """The user's own notification, or 404 (someone else's is indistinguishable from a missing one)."""
    try:
        return Notification.objects.visible_to(user).select_related("reminder").get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_GET
def notification_list(request):
    only_unread = request.GET.get("filter") == "unread"
    qs = Notification.objects.visible_to(request.user)
    if only_unread:
        qs = qs.unread()
    # Keyset pages, newest first (config/keyset.py): an inbox of years is never counted.
    page = keyset_page(
        qs.select_related("reminder").only(
            "id", "text", "text_code", "text_params", "link", "created_at", "read_at", "kind", "reminder__object_id"
        ),
        time_field="created_at",
        cursor=request.GET.get(CURSOR_PARAM),
        size=PAGE_SIZE,
        query={"filter": "unread"} if only_unread else {},
    )
    page.object_list = mark_availability(request.user, page.object_list)
    unread_count = Notification.objects.visible_to(request.user).unread().count()
    return render(
        request,
        "notifications/list.html",
        {"page": page, "days": by_day(page.object_list), "only_unread": only_unread, "unread_count": unread_count},
    )


def by_day(notifications) -> list[dict]:
    """The page's notifications grouped by the local day they arrived, newest day first (they come sorted)."""
    today = timezone.localdate()
    days: list[dict] = []
    for notification in notifications:
        day = timezone.localdate(notification.created_at)
        if not days or days[-1]["day"] != day:
            days.append(
                {
                    "day": day,
                    "today": day == today,
                    "yesterday": day == today - dt.timedelta(days=1),
                    "notifications": [],
                }
            )
        days[-1]["notifications"].append(notification)
    return days


@login_required
@require_POST
def notification_read(request, pk):
    notification = services.notification_mark_read(
        notification=get_notification_for_user(request.user, pk), user=request.user
    )
    mark_availability(request.user, [notification])
    if request.htmx:
        response = render(request, "notifications/_row.html", {"notification": notification})
        # The bell listens for this event and refreshes its count.
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def notification_open(request, pk):
    """Mark read and follow the link (a POST so that reading is never triggered by a prefetch)."""
    notification = services.notification_mark_read(
        notification=get_notification_for_user(request.user, pk), user=request.user
    )
    # An item the user may no longer open (consent withdrawn) is not followed: back to the list.
    mark_availability(request.user, [notification])
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("notifications:list")


@login_required
@require_GET
def notification_bell(request):
    """The header bell, loaded by htmx after the page so no page pays a query for it."""
    unread = Notification.objects.visible_to(request.user).unread().count()
    return render(request, "notifications/_bell.html", {"unread": unread})


@login_required
@require_POST
def mail_settings(request):
    """The profile's e-mail settings: the ticked optional kinds are mailed, the others only shown in-app."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        services.mail_preferences_save(user=request.user, mailed_kinds=request.POST.getlist("kinds"))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Je e-mailinstellingen zijn bewaard."))
    return redirect(reverse("account_profile") + "#profile-mail")


def mail_section(request) -> dict:
    """The profile section (apps.py): every kind with whether it is mailed to this user (one query)."""
    off = set(MailOptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    kinds = [
        {
            "code": kind.code,
            "label": kind.label,
            "mandatory": kind.mail_mandatory,
            "mailed": kind.mail_mandatory or kind.code not in off,
        }
        for kind in services.mail_kinds()
    ]
    return {"kinds": kinds, "has_email": bool(request.user.email)}
