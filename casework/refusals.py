"""Every refused access on record (docs/security.md §1): a 404 or 403 on a route that names an object.

The walk of someone trying ids (17,000 requests answered 404) used to leave request-log lines without the
object or the address. `AccessRefusalMiddleware` writes an `AccessRefusal` for each such answer to a
logged-in account (pages and API, session or token alike): the route's name, its path parameters, the
status, the address and the time. A burst — `ACCESS_REFUSAL_BURST` refusals within
`ACCESS_REFUSAL_WINDOW_MINUTES` by one account — e-mails every active dpo at once, once per burst, without
case content: the account, the count and a link to the filtered list.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.display import local_datetime
from accounts.models import User
from config.public_url import absolute_url

from .access import client_ip
from .models import AccessRefusal

CODE = re.compile(r"^[\w.-]{1,40}$")
# Secrets and partial secrets in a path are never kept (a calendar feed token, an API token's start).
SECRET_PARAMETERS = ("token", "key", "secret")


def _object_params(kwargs: dict) -> dict:
    return {
        name: str(value)
        for name, value in kwargs.items()
        if not any(word in name for word in SECRET_PARAMETERS) and CODE.match(str(value))
    }


class AccessRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            if match is not None and match.kwargs and user is not None and user.is_authenticated:
                params = _object_params(match.kwargs)
                if params:
                    access_refusal_record(
                        user=user,
                        route=match.view_name or match.route,
                        params=params,
                        method=request.method,
                        status=response.status_code,
                        ip_address=client_ip(request),
                    )
        return response


def access_refusal_record(
    *, user: User, route: str, params: dict, method: str, status: int, ip_address: str | None
) -> AccessRefusal:
    """Record one refusal; tell the dpo when it completes a burst."""
    now = timezone.now()
    object_id = params.get("pk") or next(iter(params.values()), "")
    window_start = now - dt.timedelta(minutes=settings.ACCESS_REFUSAL_WINDOW_MINUTES)
    with transaction.atomic():
        refusal = AccessRefusal.objects.create(
            user=user,
            route=route[:120],
            object_id=str(object_id)[:40],
            params=params,
            method=method[:8],
            status=status,
            ip_address=ip_address,
            at=now,
        )
        recent = AccessRefusal.objects.filter(user=user, at__gte=window_start)
        if recent.count() >= settings.ACCESS_REFUSAL_BURST and not recent.filter(burst_alert=True).exists():
            refusal.burst_alert = True
            refusal.save(update_fields=["burst_alert"])
            count = recent.count()
            transaction.on_commit(lambda: _alert_dpo(user_id=user.pk, count=count, since=window_start))
    return refusal


def _alert_dpo(*, user_id: int, count: int, since: dt.datetime) -> None:
    account = User.objects.get(pk=user_id)
    link = absolute_url(reverse("privacy:refusal_review") + f"?user={account.pk}")
    messages = []
    for dpo in User.objects.filter(role=User.Role.DPO, is_active=True).exclude(email=""):
        with override(dpo.language):
            subject = _("Verhoogd aantal geweigerde toegangen: %(user)s") % {"user": account.username}
            body = (
                _(
                    "Het account %(user)s kreeg %(count)d geweigerde toegangen (404/403) sinds %(since)s. "
                    "Bekijk ze in de lijst van geweigerde toegangen:"
                )
                % {"user": account.username, "count": count, "since": local_datetime(since)}
                + f"\n\n{link}\n"
            )
        messages.append(mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [dpo.email]))
    if messages:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
