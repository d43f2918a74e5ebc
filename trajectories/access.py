"""The one way views and API views fetch trajectory objects: visible or 404 (no existence leak)."""

from __future__ import annotations

from django.http import Http404

from casework.models import Detainee, Scope

from .models import Action, Assessment, Goal, Trajectory


def get_trajectory_for_user(
    user, pk, *, perm: str = "trajectories.view_status", scope: str = Scope.TRAJECTORY_GOALS
) -> Trajectory:
    """Return the trajectory if `user` holds `perm` on it, else raise Http404.

    `scope` is the consent scope that lets a partner find it at all (assessments use their own).
    """
    try:
        trajectory = (
            Trajectory.objects.visible_to(user, scope=scope)
            .select_related("detainee", "detainee__current_prison", "detainee__organisation", "lead_consultant")
            .get(pk=pk)
        )
    except (Trajectory.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm(perm, trajectory):
        raise Http404
    return trajectory


def get_goal_for_user(user, pk, *, perm: str = "trajectories.view_content") -> Goal:
    try:
        goal = Goal.objects.visible_to(user).select_related("trajectory", "trajectory__detainee", "domain").get(pk=pk)
    except (Goal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm(perm, goal.trajectory):
        raise Http404
    return goal


def get_action_for_user(user, pk) -> Action:
    try:
        return Action.objects.visible_to(user).select_related("detainee", "trajectory").get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_assessment_for_user(user, pk, *, perm: str = "trajectories.view_assessments") -> Assessment:
    try:
        assessment = (
            Assessment.objects.visible_to(user)
            .select_related("trajectory", "trajectory__detainee", "template", "assessor")
            .get(pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm(perm, assessment.trajectory):
        raise Http404
    return assessment


def get_detainee_for_trajectory_work(user, pk) -> Detainee:
    """The detainee a referral or action is written for: a file of the user's organisation, else 404.

    Only case staff write trajectory content, and for them `visible_to` is exactly "own organisation".
    """
    if not (user.is_authenticated and user.is_case_staff):
        raise Http404
    try:
        return Detainee.objects.visible_to(user).select_related("organisation", "lead_consultant").get(pk=pk)
    except (Detainee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
