"""The profile page: everything about one's own account in one place (docs/adr/0026).

The page is a list of sections (`accounts/profile.py`); accounts brings language, two-step verification,
open sessions and API tokens, casusoverleg the calendar feed, notifications the e-mail settings. Every
action is a POST with CSRF to the view that owns it, and comes back here. Only the logged-in user's own data.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .profile import ProfileSection, profile_sections, register_profile_section
from .services import user_end_other_sessions, user_open_sessions


@login_required
@require_GET
def profile(request):
    sections = []
    for section in profile_sections(request.user):
        context = section.context(request)
        if context is not None:
            sections.append((section, context))
    return render(request, "accounts/profile/page.html", {"sections": sections})


@login_required
@require_POST
def sessions_end_others(request):
    """ "Log out elsewhere": every other session of this user ends; this one stays."""
    ended = user_end_other_sessions(user=request.user, current_key=request.session.session_key)
    if ended:
        messages.success(
            request,
            ngettext("%(count)s andere sessie is afgemeld.", "%(count)s andere sessies zijn afgemeld.", ended)
            % {"count": ended},
        )
    else:
        messages.info(request, _("Er was geen andere sessie open."))
    return redirect("account_profile")


# --- The sections accounts brings ----------------------------------------------------------------------------


def _language(request) -> dict:
    return {}


def _two_step(request) -> dict:
    # One query: the user's authenticators (TOTP and recovery codes).
    types = set(Authenticator.objects.filter(user=request.user).values_list("type", flat=True))
    return {"totp": Authenticator.Type.TOTP in types, "recovery_codes": Authenticator.Type.RECOVERY_CODES in types}


def _sessions(request) -> dict:
    return {"open_sessions": user_open_sessions(user=request.user, current_key=request.session.session_key)}


def _tokens(request):
    # A service account has no profile of tokens of its own (the administrator issues them).
    if request.user.is_service_account:
        return None
    return {}


register_profile_section(ProfileSection("language", _("Taal"), "accounts/profile/_language.html", 10, _language))
register_profile_section(
    ProfileSection("two_step", _("Tweestapsverificatie"), "accounts/profile/_two_step.html", 20, _two_step)
)
register_profile_section(
    ProfileSection("sessions", _("Open sessies"), "accounts/profile/_sessions.html", 60, _sessions)
)
register_profile_section(ProfileSection("tokens", _("API-tokens"), "accounts/profile/_tokens.html", 70, _tokens))
