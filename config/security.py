"""Security middleware and hooks (docs/security.md, docs/adr/0007-security-hardening.md).

- `MFARequiredMiddleware`: no case content for an account without a TOTP authenticator.
- `SessionTimeoutMiddleware`: idle (30 min) and absolute (10 h) session lifetimes, enforced on the
  server; background polling (the notification bell) does not count as activity.
- `NoStoreMiddleware`: authenticated responses are never cached by browsers or proxies.
- `ContentFreeLogFilter` and `axes_client_str`: failed logins and denied requests reach the logs
  without case content, national numbers, e-mail addresses or the typed username.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

security_log = logging.getLogger("disengage.security")

LOGIN_AT = "_disengage_login_at"
LAST_SEEN = "_disengage_last_seen"
MFA_ENROLLED = "_disengage_mfa_user"
# The browser a session was opened with, so the profile's list of open sessions says which is which.
USER_AGENT = "_disengage_agent"


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _exempt_prefixes() -> tuple[str, ...]:
    """Paths an account without MFA may still reach: login/logout/MFA set-up, static files, health."""
    accounts_root = reverse("account_login").rsplit("/", 2)[0] + "/"
    return (accounts_root, settings.STATIC_URL, "/healthz", "/readyz", "/i18n/")


# --- MFA -------------------------------------------------------------------------------------------


def record_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: start the absolute lifetime and the idle clock at login."""
    now = timezone.now().timestamp()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[USER_AGENT] = request.META.get("HTTP_USER_AGENT", "")[:200]
    request.session.pop(MFA_ENROLLED, None)


def has_totp(request) -> bool:
    """Whether the logged-in user has a TOTP authenticator; a yes is remembered in the session.

    Remembering only a yes keeps the check off the query count of every page, and the TOTP
    authenticator cannot be removed while MFA is required (accounts.adapters.MFAAdapter).
    """
    from allauth.mfa.models import Authenticator

    if request.session.get(MFA_ENROLLED) == request.user.pk:
        return True
    enrolled = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    if enrolled:
        request.session[MFA_ENROLLED] = request.user.pk
    return enrolled


class MFARequiredMiddleware:
    """Sends an authenticated user without a TOTP authenticator to the MFA set-up page.

    The API answers 403 with a `detail` instead. Token-authenticated API clients are authenticated by
    DRF after this middleware and are integrations issued by the administrator, not people.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.DISENGAGE_MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path_info.startswith(_exempt_prefixes())
            and not has_totp(request)
        ):
            if _is_api(request):
                return JsonResponse(
                    {"detail": _("Stel eerst tweestapsverificatie in via de webtoepassing.")}, status=403
                )
            if request.headers.get("HX-Request"):
                # A background htmx request (the bell) must not start the set-up flow: allauth would
                # remember its URL as where to go after re-authentication.
                return HttpResponse(status=403)
            target = reverse("mfa_activate_totp")
            if request.method == "GET" and url_has_allowed_host_and_scheme(request.get_full_path(), None):
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)


# --- Session lifetime ----------------------------------------------------------------------------------


class SessionTimeoutMiddleware:
    """Ends a session after 30 idle minutes or 10 hours in total, whatever the cookie says.

    The last activity is recorded in the session only when the recorded one is older than
    DISENGAGE_SESSION_ACTIVITY_RESOLUTION (a minute), so most page views leave the session unchanged and
    cost no write (SESSION_SAVE_EVERY_REQUEST is off); each recording saves the session, which also moves
    the stored session's own expiry (SESSION_COOKIE_AGE) along. An idle session thus ends at most 30
    minutes after the last request, on the server, whatever the cookie says. The notification bell polls
    every minute and would keep an abandoned screen logged in for ever: requests to the URL names in
    DISENGAGE_SESSION_PASSIVE_URLS therefore do not count as activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        now = timezone.now().timestamp()
        login_at = request.session.setdefault(LOGIN_AT, now)
        recorded = request.session.get(LAST_SEEN)
        last_seen = now if recorded is None else recorded
        expired_absolute = now - login_at > settings.DISENGAGE_SESSION_MAX_AGE
        expired_idle = now - last_seen > settings.SESSION_COOKIE_AGE
        if expired_absolute or expired_idle:
            security_log.info(
                "session ended: %s timeout (user %s)", "absolute" if expired_absolute else "idle", request.user.pk
            )
            logout(request)
            if _is_api(request):
                return JsonResponse({"detail": _("Je sessie is verlopen. Meld je opnieuw aan.")}, status=401)
            messages.info(request, _("Je sessie is verlopen. Meld je opnieuw aan."))
            target = reverse("account_login")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        match = request.resolver_match
        active = match is None or match.view_name not in settings.DISENGAGE_SESSION_PASSIVE_URLS
        if active and (recorded is None or now - recorded >= settings.DISENGAGE_SESSION_ACTIVITY_RESOLUTION):
            request.session[LAST_SEEN] = now
        return None


# --- Caching ----------------------------------------------------------------------------------------------


class NoStoreMiddleware:
    """Case pages and API answers must not survive in a shared computer's browser cache or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or _is_api(request):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


# Browser features no page of the application uses are switched off for every page (and any frame).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every answer: camera, microphone, geolocation, payment … are denied."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# --- Logs without content --------------------------------------------------------------------------------

NATIONAL_NUMBER = re.compile(r"\b\d{2}\.?\d{2}\.?\d{2}[-.]?\d{3}\.?\d{2}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def account_ref(username: str | None) -> str:
    """A stable, non-reversible reference for a typed username (it may be a mistyped password)."""
    if not username:
        return "-"
    digest = hmac.new(settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What axes writes about a client in its log lines: no username in clear, no user agent."""
    return f"{{account: {account_ref(username)}, ip: {ip_address}, path: {path_info}}}"


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    """`user_login_failed` receiver: one content-free line per failed login."""
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    security_log.warning("login failed: account %s from %s", account_ref(credentials.get("username")), ip)


class ContentFreeLogFilter(logging.Filter):
    """Last line of defence on the log handler: masks national numbers and e-mail addresses.

    Loggers of the project never pass case content; third-party loggers (django.security, axes,
    allauth) might quote a path or a form value.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = EMAIL.sub("[e-mail]", NATIONAL_NUMBER.sub("[rijksregisternummer]", message))
        if masked != message:
            record.msg, record.args = masked, None
        return True
