"""The profile's API tokens page: list (last use, address, expiry), create after re-authentication with the
second factor (the secret shown once), revoke. docs/adr/0018."""

import time
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.forms import add_service_errors

from .models import ApiToken
from .services import token_create, token_revoke
from .tokens import has_second_factor

REAUTHENTICATION_WINDOW = 300


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=80,
        help_text=gettext_lazy("Waarvoor dient het token (bv. 'rapportage-script')?"),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Bereik"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    days = forms.IntegerField(
        label=gettext_lazy("Geldig (dagen)"), min_value=1, max_value=settings.API_TOKEN_MAX_DAYS, initial=30
    )


def recently_verified_second_factor(request) -> bool:
    """The session holds a two-step verification (TOTP or recovery code) of the last five minutes."""
    now = time.time()
    return any(
        record.get("method") == "mfa" and now - float(record.get("at", 0)) <= REAUTHENTICATION_WINDOW
        for record in get_authentication_records(request, request.user)
    )


def _reauthenticate(request):
    return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({"next": reverse("account_tokens")}))


def _own_tokens(user):
    return ApiToken.objects.filter(user=user).order_by("-created")


@login_required
def token_list(request):
    """GET lists the user's tokens; POST creates one (second factor verified in the last five minutes)."""
    user = request.user
    if user.is_service_account:
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if not has_second_factor(user):
            messages.error(request, _("Stel eerst tweestapsverificatie in: zonder werkt geen enkel token."))
            return redirect("account_tokens")
        if not recently_verified_second_factor(request):
            return _reauthenticate(request)
        if form.is_valid():
            try:
                token, secret = token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    context = {
        "tokens": list(_own_tokens(user)),
        "form": form,
        "secret": secret,
        "has_second_factor": has_second_factor(user),
        "max_days": settings.API_TOKEN_MAX_DAYS,
    }
    response = render(request, "accounts/tokens.html", context, status=status)
    return response


@login_required
@require_POST
def token_revoke_view(request, token_key):
    token = _own_tokens(request.user).filter(token_key=token_key).first()
    if token is None:
        raise Http404
    token_revoke(token=token, by=request.user)
    messages.success(request, _("Het token '%(name)s' is ingetrokken; het werkt niet meer.") % {"name": token.name})
    return redirect("account_tokens")
