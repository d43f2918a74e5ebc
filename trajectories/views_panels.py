"""The trajectories app's panels on "Mijn dag" (registered from `apps.ready`).

The panels load with htmx after the page, so "Mijn dag" itself runs no query for them; each panel
view runs one query (plus the request's session and user).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from .models import Action, Trajectory

PANEL_LIMIT = 8


@login_required
def my_open_actions(request):
    """The consultant's own open actions, earliest due first (overdue ones on top)."""
    if not request.user.is_case_staff:
        raise Http404
    actions = list(
        Action.objects.visible_to(request.user).open().filter(owner_user=request.user).for_list()[: PANEL_LIMIT + 1]
    )
    context = {"actions": actions[:PANEL_LIMIT], "more": len(actions) > PANEL_LIMIT, "today": timezone.localdate()}
    return render(request, "trajectories/_panel_actions.html", context)


@login_required
def waiting_referrals(request):
    """The manager's oldest waiting referrals, with days waiting."""
    if not request.user.is_manager:
        raise Http404
    today = timezone.localdate()
    referrals = list(
        Trajectory.objects.visible_to(request.user)
        .waiting_referrals()
        .select_related("detainee", "lead_consultant")[: PANEL_LIMIT + 1]
    )
    for trajectory in referrals:
        trajectory.days_waiting = (today - trajectory.referred_on).days
    return render(request, "trajectories/_panel_referrals.html", {"referrals": referrals[:PANEL_LIMIT]})
