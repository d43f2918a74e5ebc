"""Writes on accounts: deactivation, the language preference and demo MFA enrolment. Keyword-only,
each in one transaction."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import User


def _session_keys_of(user: User) -> list[str]:
    """The keys of the unexpired database sessions logged in as `user`.

    Decoding every live session is linear in the number of sessions; with a few hundred staff
    and a 10-hour absolute lifetime that stays small.
    """
    keys = []
    for session in DjangoSession.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Disable an account now: it can no longer log in, and its open sessions and API tokens end."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        DjangoSession.objects.filter(session_key__in=_session_keys_of(user)).delete()
        Token.objects.filter(user=user).delete()
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Store the language `user` works in: the interface, and what is sent to them (e-mails,
    invitations, reminders, the calendar feed). Only the languages of settings.LANGUAGES."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").strip().lower()
    if language not in codes:
        raise ValidationError(
            {"language": _("Kies een van deze talen: %(languages)s.") % {"languages": ", ".join(codes)}}
        )
    if user.language != language:
        with transaction.atomic():
            user.language = language
            user.save(update_fields=["language"])
    return user


def user_enrol_totp(*, user: User, secret: str) -> Authenticator:
    """Give `user` a TOTP authenticator with a known base32 secret, plus recovery codes.

    For the fictional demo accounts of `make run` only (the secret is printed so a tester can add
    it to an authenticator app); real users enrol themselves at /accounts/2fa/totp/activate/.
    """
    with transaction.atomic():
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        authenticator = TOTP.activate(user, secret).instance
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
            RecoveryCodes.activate(user)
    return authenticator
