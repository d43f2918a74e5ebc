"""Writes on accounts: saving an account from the admin site, deactivation, the language preference and demo
MFA enrolment. Keyword-only, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pghistory
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.history import recorded

from .models import ApiToken, Organisation, User


def _sessions_of(user: User) -> Iterator[tuple[DjangoSession, dict[str, Any]]]:
    """The unexpired database sessions logged in as `user`, each with its decoded data (one query).

    Decoding every live session is linear in the number of sessions; with a few hundred staff
    and a 10-hour absolute lifetime that stays small.
    """
    for session in DjangoSession.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user.pk):
            yield session, data


def _session_keys_of(user: User) -> list[str]:
    return [session.session_key for session, _data in _sessions_of(user)]


@dataclass(frozen=True)
class OpenSession:
    """One of a user's logged-in sessions, as the profile lists it."""

    key: str
    logged_in_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    agent: str
    expires_at: dt.datetime
    current: bool


def _moment(value: str | float | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def user_open_sessions(*, user: User, current_key: str | None) -> list[OpenSession]:
    """The user's unexpired sessions, newest activity first (one query, see `_sessions_of`)."""
    from config.security import LAST_SEEN, LOGIN_AT, USER_AGENT

    found = []
    for session, data in _sessions_of(user):
        found.append(
            OpenSession(
                key=session.session_key,
                logged_in_at=_moment(data.get(LOGIN_AT)),
                last_seen_at=_moment(data.get(LAST_SEEN)),
                agent=str(data.get(USER_AGENT, ""))[:200],
                expires_at=session.expire_date,
                current=session.session_key == current_key,
            )
        )
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda s: (not s.current, -(s.last_seen_at or epoch).timestamp()))


def user_end_other_sessions(*, user: User, current_key: str | None) -> int:
    """Log `user` out everywhere but in the session `current_key`: those sessions are deleted, so their
    cookies no longer log anyone in. Returns how many ended."""
    with transaction.atomic():
        keys = [key for key in _session_keys_of(user) if key != current_key]
        deleted, _rows = DjangoSession.objects.filter(session_key__in=keys).delete()
    return deleted


def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Disable an account now: it can no longer log in, and its open sessions and API tokens end."""
    with recorded(by, "user_deactivate"):
        user.is_active = False
        user.save(update_fields=["is_active"])
        DjangoSession.objects.filter(session_key__in=_session_keys_of(user)).delete()
        ApiToken.objects.filter(user=user).delete()
    return user


def staff_status(*, role: str, is_superuser: bool) -> bool:
    """Whether an account may enter the admin site: the functional administrator and superusers, nobody else."""
    return role == User.Role.ADMIN or is_superuser


def user_save_by_admin(*, user: User, by: User, creating: bool) -> User:
    """Save an account as the admin site's form left it (`user`, unsaved), on behalf of `by`.

    The admin site hides the privilege fields from administrators who are no superuser; this is the
    server-side check behind it: only a superuser creates or changes a superuser, or gives superuser status.
    The admin-site flag follows the role (`staff_status`). Unticking "active" disables the account through
    `user_deactivate`: its sessions and API tokens end. Nobody deactivates his own account here.
    A new account has no password: a person's account is sent an invitation to choose one (docs/adr/0025),
    in the same transaction; a service account never logs in.
    """
    from .services_invitations import invitation_check, invitation_send

    with recorded(by, "user_save_by_admin"):
        stored = None if creating else User.objects.select_for_update().get(pk=user.pk)
        if not by.is_superuser:
            if user.is_superuser or (stored is not None and stored.is_superuser):
                raise PermissionDenied(_("Enkel een superuser beheert superusers."))
        if stored is not None and user.pk == by.pk and stored.is_active and not user.is_active:
            raise ValidationError({"is_active": _("Je kan je eigen account niet deactiveren.")})
        user.is_staff = staff_status(role=user.role, is_superuser=user.is_superuser)
        if user.is_organiser:
            _check_organiser(user)
        if user.is_service_account:
            _check_service_account(user)
            # No interactive login, ever: whatever password the form carried is replaced.
            user.set_unusable_password()
        inviting = creating and not user.is_service_account
        if creating:
            # Nobody but the user knows his password: he chooses it with the invitation's link.
            user.set_unusable_password()
        if inviting:
            invitation_check(user=user)
        user.save()
        if inviting:
            invitation_send(user=user, by=by)
        if stored is not None and stored.is_active and not user.is_active:
            user_deactivate(user=user, by=by)
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


# --- API tokens and service accounts (docs/adr/0018) -------------------------------------------------------


def token_create(*, user: User, name: str, scope: str, days: int, by: User | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user`: returns the row and the secret, which is shown once and never stored.

    A person's own token needs his two-step verification (the page asks for it again first); a service
    account's token is issued by the functional administrator (`by`)."""
    from .tokens import token_usable_by

    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Geef het token een naam (waarvoor dient het?).")
    elif len(name) > 80:
        errors["name"] = _("Ten hoogste %(limit)d tekens.") % {"limit": 80}
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Onbekend bereik.")
    if not isinstance(days, int) or not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors["days"] = _("Een token vervalt na 1 tot %(max)d dagen.") % {"max": settings.API_TOKEN_MAX_DAYS}
    if user.is_service_account and (by is None or not (by.is_admin_role or by.is_superuser)):
        errors["user"] = _("Enkel de functioneel beheerder geeft tokens uit aan een serviceaccount.")
    if not user.is_service_account and not token_usable_by(user):
        errors["user"] = _("Stel eerst tweestapsverificatie in: zonder werkt geen enkel token.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), pghistory.context(user=(by or user).pk, reason="token_create"):
        token, secret = ApiToken.objects.create(
            user, expiry=dt.timedelta(days=days), name=name, scope=scope, created_by=by or user
        )
    return token, secret


def token_revoke(*, token: ApiToken, by: User) -> None:
    """Revoke a token now: the next request with it is refused."""
    if token.user_id != by.pk and not (by.is_admin_role or by.is_superuser):
        raise PermissionDenied
    with recorded(by, "token_revoke"):
        ApiToken.objects.filter(pk=token.pk).delete()


def _check_organiser(user: User) -> None:
    """A meeting organiser works for a justice house or for a municipality's LIVC (docs/adr/0041)."""
    from .models import Organisation

    kinds = (Organisation.Kind.JUSTICE_HOUSE, Organisation.Kind.LOCAL_GOVERNMENT)
    if user.organisation is None or user.organisation.kind not in kinds:
        raise ValidationError(
            {
                "organisation": _(
                    "Een organisator van overleg buiten detentie hoort bij een justitiehuis of bij een lokaal bestuur (LIVC)."
                )
            }
        )


def _check_service_account(user: User) -> None:
    errors: dict[str, str] = {}
    owner = user.service_owner
    if owner is None or owner.is_service_account or not owner.is_active:
        errors["service_owner"] = _("Kies een actieve medewerker als verantwoordelijke.")
    if user.role in (User.Role.ADMIN, User.Role.DPO) or user.is_superuser:
        errors["role"] = _(
            "Een serviceaccount leest of schrijft casusgegevens met de rechten van een van de rollen die dat mogen."
        )
    if errors:
        raise ValidationError(errors)


def service_account_create(
    *, by: User, username: str, organisation: Organisation | None, role: str, owner: User
) -> User:
    """An integration's account: no password (no interactive login), an owner who answers for it."""
    if not (by.is_admin_role or by.is_superuser):
        raise PermissionDenied
    errors: dict[str, str] = {}
    username = (username or "").strip()
    if not username:
        errors["username"] = _("Verplicht veld.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("Deze gebruikersnaam bestaat al.")
    if role not in (User.Role.CONSULTANT, User.Role.MANAGER, User.Role.PARTNER, User.Role.DIRECTOR):
        errors["role"] = _(
            "Een serviceaccount leest of schrijft casusgegevens met de rechten van een van de rollen die dat mogen."
        )
    if owner is None or owner.is_service_account or not owner.is_active:
        errors["service_owner"] = _("Kies een actieve medewerker als verantwoordelijke.")
    if errors:
        raise ValidationError(errors)
    with recorded(by, "service_account_create"):
        account = User(
            username=username,
            organisation=organisation,
            role=role,
            is_service_account=True,
            service_owner=owner,
            first_name=username,
        )
        account.set_unusable_password()
        account.save()
    return account
