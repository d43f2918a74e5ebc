"""API tokens under two-step verification (docs/adr/0018).

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

import binascii
import datetime as dt
from hmac import compare_digest

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
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
    def authenticate_credentials(self, token: bytes):
        """Knox's check in one query: the candidate rows with their user and whether he has a TOTP
        authenticator. An expired token is deleted when presented; other expired tokens stay until
        presented (knox would read all of the user's tokens on every request)."""
        message = _("Ongeldig token.")
        secret = token.decode("utf-8")
        has_totp = Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)
        candidates = (
            ApiToken.objects.filter(token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(user_has_totp=Exists(has_totp))
        )
        for auth_token in candidates:
            if auth_token.expiry is None or auth_token.expiry < timezone.now():
                auth_token.delete()
                continue
            try:
                digest = hash_token(secret)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)

    def validate_user(self, auth_token: ApiToken):
        user, token = super().validate_user(auth_token)
        second_factor = getattr(token, "user_has_totp", None)
        if second_factor is None:
            second_factor = has_second_factor(user)
        if not (user.is_service_account or second_factor):
            raise exceptions.AuthenticationFailed(
                _("Dit account heeft geen tweestapsverificatie: zijn API-tokens werken niet.")
            )
        return user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        now = timezone.now()
        address = request.META.get("REMOTE_ADDR") or None
        if (
            token.last_used_at is None
            or now - token.last_used_at >= LAST_USE_GRANULARITY
            or token.last_used_ip != address
        ):
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
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token" (a personal access '
            "token from the profile page, or a service account's token).",
        }
