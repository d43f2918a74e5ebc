"""Pages of the accounts app. Logging in, MFA and passwords are allauth's pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .language import activate_user_language
from .services import user_set_language


def safe_next(request, default: str | None = None) -> str:
    """Where to go back to: the posted `next` when it stays on this site, else `default` ("Mijn dag")."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


@login_required
@require_POST
def language_set(request):
    """The language switch in the header: store the choice on the user and show the same page in it."""
    try:
        user_set_language(user=request.user, language=request.POST.get("language", ""))
    except ValidationError as exc:
        return render(
            request,
            "accounts/language_invalid.html",
            {"errors": exc.message_dict.get("language", exc.messages), "next": safe_next(request)},
            status=400,
        )
    activate_user_language(request, request.user)
    # The cookie follows from accounts.language.UserLanguageMiddleware on this response.
    return redirect(safe_next(request))
