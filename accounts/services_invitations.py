"""An account starts with an invitation (docs/adr/0025): the administrator creates the account without a
password, the new user gets a link that works once and for `DISENGAGE_INVITATION_DAYS` days, chooses a password
with it and goes straight on to set up two-step verification.

- `invitation_send` (the administrator): replaces the open invitation, if any, and queues the mail through the
  transactional outbox, so a broker outage never fails the administrator's request (ADR 0016).
- `invitation_mail_send` (the Celery task): the mail in the user's language, with an absolute link on
  PUBLIC_BASE_URL. Safe to run twice.
- `invitation_find` / `invitation_accept` (the link's page): the token is looked up by its hash; accepting
  sets the password and marks the invitation used, once, under a row lock.

Every send, use and refusal is in the change history (pghistory, with who and why) and in the security log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

import pghistory
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from config.history import recorded
from config.public_url import absolute_url
from ops.outbox import outbox_enqueue

from .display import person_name
from .models import Invitation, User

security_log = logging.getLogger("disengage.security")

_KEY_SALT = "accounts.invitation"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation) -> str:
    """The secret of the link: derived from the row's salt and the SECRET_KEY, never stored."""
    if not invitation.token_salt:
        raise ValueError("this invitation was used or replaced: its token is gone")
    return salted_hmac(_KEY_SALT, invitation.token_salt, algorithm="sha256").hexdigest()


def invitation_link(invitation: Invitation) -> str:
    return absolute_url(reverse("account_invitation", args=[invitation_token(invitation)]))


def can_invite(by: User) -> bool:
    """Only the functional administrator (and superusers) create accounts and invite their users."""
    return by.is_authenticated and by.is_active and (by.is_admin_role or by.is_superuser)


def invitation_check(*, user: User) -> None:
    """Why `user` cannot be invited, as field errors (the admin form shows them): an invitation is for a
    person's new account, with an address to send it to."""
    errors: dict[str, str] = {}
    if user.is_service_account:
        errors["is_service_account"] = _("Een serviceaccount meldt zich niet aan: het krijgt geen uitnodiging.")
    if not user.email:
        errors["email"] = _("Vul een e-mailadres in: de uitnodiging wordt daarheen gestuurd.")
    if user.pk and not user.is_active:
        errors["is_active"] = _("Een gedeactiveerd account krijgt geen uitnodiging.")
    if user.has_usable_password():
        errors["password"] = _("Dit account heeft al een wachtwoord: een uitnodiging is enkel voor een nieuw account.")
    if errors:
        raise ValidationError(errors)


def invitation_send(*, user: User, by: User, now: dt.datetime | None = None) -> Invitation:
    """Invite `user` (again): the open invitation, if any, stops working, a new one is created and its mail
    queued in this transaction (it leaves after the commit, through the outbox)."""
    from .tasks import invitation_mail_send as invitation_mail_send_task

    if not can_invite(by):
        raise PermissionDenied(_("Enkel de functioneel beheerder nodigt gebruikers uit."))
    invitation_check(user=user)
    now = now or timezone.now()
    salt = secrets.token_hex(32)
    with recorded(by, "invitation_send"):
        # Two administrators resending at once: the second waits, then replaces the first's invitation.
        User.objects.select_for_update().filter(pk=user.pk).first()
        replaced = Invitation.objects.open().filter(user=user).update(revoked_at=now, token_salt="", updated_at=now)
        invitation = Invitation(
            user=user,
            created_by=by,
            token_salt=salt,
            expires_at=now + dt.timedelta(days=settings.DISENGAGE_INVITATION_DAYS),
        )
        invitation.token_hash = _hash(invitation_token(invitation))
        invitation.save()
        outbox_enqueue(invitation_mail_send_task, invitation.pk)
    security_log.info("invitation sent", extra={"account": user.pk, "by": by.pk, "replaced": replaced})
    return invitation


def _mail_message(invitation: Invitation) -> mail.EmailMessage:
    user = invitation.user
    # In the recipient's language, whoever's worker sends it.
    with override(user.language):
        subject = _("Je account voor Disengagement")
        body = _(
            "Goedendag %(name)s,\n\n"
            "De functioneel beheerder heeft een account voor je aangemaakt in Disengagement (gebruikersnaam: "
            "%(username)s). Kies je wachtwoord via de link hieronder; daarna stel je meteen de tweestapsverificatie "
            "in met een authenticator-app op je dienst-smartphone.\n\n%(link)s\n\n"
            "De link werkt één keer en is geldig tot %(expires)s. Is hij verlopen, vraag dan een nieuwe aan de "
            "functioneel beheerder. Verwachtte je deze e-mail niet, negeer hem dan.\n"
        ) % {
            "name": person_name(user),
            "username": user.username,
            "link": invitation_link(invitation),
            "expires": date_format(timezone.localtime(invitation.expires_at), "SHORT_DATETIME_FORMAT"),
        }
    return mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def invitation_mail_send(*, invitation_id: int) -> bool:
    """Send the mail of one invitation, unless it went already or the invitation no longer works (replaced,
    used, expired, the account deactivated). Returns whether a mail left.

    The row is locked while sending, so two deliveries of the task send one mail; an SMTP error rolls back and
    the task's retries try again later (ops/tasks.py)."""
    with transaction.atomic(), pghistory.context(reason="invitation_mail_send"):
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("user").filter(pk=invitation_id).first()
        )
        if (
            invitation is None
            or invitation.sent_at is not None
            or invitation.state != Invitation.State.PENDING
            or not invitation.user.is_active
            or not invitation.user.email
        ):
            return False
        _mail_message(invitation).send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at", "updated_at"])
    return True


def invitation_find(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its state (the page says which); None for a token
    that was never issued. One query."""
    token = (token or "").strip()
    if not token or len(token) > 128:
        return None
    digest = _hash(token)
    invitation = Invitation.objects.select_related("user").filter(token_hash=digest).first()
    if invitation is None or not constant_time_compare(invitation.token_hash, digest):
        return None
    return invitation


def invitation_state(invitation: Invitation) -> str:
    """What the link can still do: a pending invitation of a deactivated account no longer works."""
    state = invitation.state
    if state == Invitation.State.PENDING and not invitation.user.is_active:
        return Invitation.State.REVOKED
    return state


def invitation_accept(
    *, invitation: Invitation, password: str, ip_address: str | None = None, language: str | None = None
) -> User:
    """Use the invitation: the user's password is set (Django's password validators), the invitation is used
    and its token gone; `language`, the one the user read the page in when he switched it, becomes his.
    Refused (ValidationError on `invitation`) once used, replaced or expired."""
    with transaction.atomic(), pghistory.context(user=invitation.user_id, reason="invitation_accept"):
        locked = Invitation.objects.select_for_update(of=("self",)).select_related("user").get(pk=invitation.pk)
        state = invitation_state(locked)
        if state != Invitation.State.PENDING:
            security_log.warning(
                "invitation refused", extra={"account": locked.user_id, "state": state, "ip": ip_address}
            )
            raise ValidationError({"invitation": ValidationError(_("Deze uitnodiging werkt niet meer."), code=state)})
        user = locked.user
        validate_password(password, user)
        user.set_password(password)
        fields = ["password"]
        if language and language in [code for code, _name in settings.LANGUAGES] and language != user.language:
            user.language = language
            fields.append("language")
        user.save(update_fields=fields)
        locked.used_at = timezone.now()
        locked.token_salt = ""
        locked.save(update_fields=["used_at", "token_salt", "updated_at"])
    security_log.info("invitation used", extra={"account": user.pk, "ip": ip_address})
    return user
