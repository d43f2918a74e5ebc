"""API tokens under two-step verification (docs/adr/0015).

django-rest-knox checks the token (SHA-512 digest, constant-time comparison, expiry; an expired token is
deleted on sight). On top of it:
- an account without a TOTP authenticator has no usable token, whatever tokens it holds (a token must not
  be a way around the second factor); service accounts have no interactive login and are exempt;
- the last use (time, address) is recorded at most once a minute per token, so an active integration
  costs one UPDATE a minute, not one per request;
- answers come in the token owner's language, like logged-in pages;
- `TokenScope` lets a read-only token read and nothing else.
"""

from __future__ import annotations

import datetime as dt

from allauth.mfa.models import Authenticator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .language import activate_user_language
from .models import ApiToken

LAST_USE_GRANULARITY = dt.timedelta(minutes=1)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def token_usable_by(user) -> bool:
    """A token works only for an active account with two-step verification, or for a service account."""
    return user.is_active and (user.is_service_account or has_second_factor(user))


class ApiTokenAuthentication(TokenAuthentication):
    def validate_user(self, auth_token: ApiToken):
        user, token = super().validate_user(auth_token)
        if not token_usable_by(user):
            raise exceptions.AuthenticationFailed(
                _("Dit account heeft geen tweestapsverificatie: zijn API-tokens werken niet."))
        return user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        now = timezone.now()
        address = request.META.get("REMOTE_ADDR") or None
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_GRANULARITY or token.last_used_ip != address:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address)
        activate_user_language(request._request, user)
        return result


class TokenScope(BasePermission):
    """A token with scope `read` is refused every method that writes (403)."""

    message = _("Dit token mag enkel lezen.")

    def has_permission(self, request, view) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return True
        return request.method in SAFE_METHODS or token.scope == ApiToken.Scope.READ_WRITE


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema: `Authorization: Token dsg_…`."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token-based authentication with required prefix \"Token\" (a personal access "
                               "token from the profile page, or a service account's token)."}
