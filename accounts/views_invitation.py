"""The invitation link's page (docs/adr/0025): choose a password, then straight on to two-step verification.

Reachable without an account (it is under accounts/, like the login: the MFA middleware lets it through).
The page speaks the invited user's language as soon as the link is known (or the one picked with the switch in
this browser, which the account then keeps); a link that was never issued gets a
clear 404 page in the browser's language, a used, replaced or expired one a 410 page saying what to do. Every
refusal is logged and counts against a per-address ceiling (`DISENGAGE_INVITATION_RATE`), past which the page
answers 429 for a while, whatever the link.
"""

from __future__ import annotations

import logging

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from .language import activate_user_language, language_codes
from .models import Invitation
from .services_invitations import invitation_accept, invitation_find, invitation_state

security_log = logging.getLogger("disengage.security")


class InvitationPasswordForm(SetPasswordForm):
    """Django's form to set a password, which runs AUTH_PASSWORD_VALIDATORS, with our words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kies een wachtwoord")
        self.fields["new_password1"].help_text = _(
            "Minstens 12 tekens, niet te gelijkend op je naam, geen gekend wachtwoord en niet enkel cijfers."
        )
        self.fields["new_password2"].label = _("Herhaal het wachtwoord")
        for field in self.fields.values():
            field.widget = forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"})


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "-"


def _switched_language(request) -> str | None:
    """The language chosen with the switch in this browser (the language cookie), if it is one of ours."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in language_codes() else None


def _rate_key(request) -> str:
    return f"invitation-refusals:{_client_ip(request)}"


def _rate_limited(request) -> bool:
    """This address had its links refused too often within the window (a guesser, not a newcomer: the right
    link is refused only once it is used, replaced or expired)."""
    limit, _window = settings.DISENGAGE_INVITATION_RATE
    return (cache.get(_rate_key(request)) or 0) >= limit


def _count_refusal(request) -> None:
    _limit, window = settings.DISENGAGE_INVITATION_RATE
    key = _rate_key(request)
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def _unusable(request, state: str, *, status: int, invitation: Invitation | None = None):
    return render(
        request,
        "accounts/invitation/unusable.html",
        {"state": state, "invitation": invitation, "login_url": reverse("account_login")},
        status=status,
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token: str):
    if _rate_limited(request):
        security_log.warning("invitation links: rate limit reached", extra={"ip": _client_ip(request)})
        return _unusable(request, "rate_limited", status=429)
    invitation = invitation_find(token)
    if invitation is None:
        security_log.warning("invitation link unknown", extra={"ip": _client_ip(request)})
        _count_refusal(request)
        return _unusable(request, "unknown", status=404)
    user = invitation.user
    # From here on, the page is the invited user's: in the language the administrator gave the account, unless
    # the language switch was used in this browser (its cookie), which then becomes the account's language.
    chosen = _switched_language(request)
    if chosen is None:
        activate_user_language(request, user)
    state = invitation_state(invitation)
    if state != Invitation.State.PENDING:
        security_log.info(
            "invitation link refused", extra={"account": user.pk, "state": state, "ip": _client_ip(request)}
        )
        _count_refusal(request)
        return _unusable(request, state, status=410, invitation=invitation)
    if request.user.is_authenticated:
        # Someone else's session in this browser: the new account must not be mixed up with it.
        return render(request, "accounts/invitation/signed_in.html", {"here": request.path})
    form = InvitationPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["new_password1"],
                ip_address=_client_ip(request),
                language=chosen,
            )
        except ValidationError as error:
            if "invitation" in getattr(error, "error_dict", {}):
                # Used or replaced between showing the form and sending it.
                return _unusable(request, error.error_dict["invitation"][0].code, status=410, invitation=invitation)
            form.add_error("new_password2", error.messages)
        else:
            # Logged in as allauth does after a password login. The password was typed a moment ago, so it counts
            # as a fresh re-authentication too (allauth records the same after its own password prompt): the
            # two-step set-up that follows does not ask for it again.
            record_authentication(request, user, method="password", username=user.username, reauthenticated=True)
            return perform_login(request, user, redirect_url=reverse("mfa_activate_totp"))
    return render(request, "accounts/invitation/accept.html", {"form": form, "invitation": invitation, "account": user})
