"""Writes to a trajectory's goals, their reviews and the actions: validate, save, record who and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from casework.compartments import is_health_code, refuse_health_write
from casework.models import Detainee, LifeDomain
from config.history import recorded

from ..models import (
    PROGRESS_MAX,
    PROGRESS_MIN,
    Action,
    Goal,
    GoalReview,
    Trajectory,
)
from .lifecycle import _health_domain_write, _not_in_future, _require_open

# --- Goals and reviews --------------------------------------------------------------------------------

GOAL_FIELDS = (
    "domain",
    "description",
    "agreed_with_detainee",
    "agreed_on",
    "status",
    "target_date",
    "responsible_organisation",
)


def _check_goal(goal: Goal) -> None:
    errors: dict[str, str] = {}
    if not (goal.description or "").strip():
        errors["description"] = _("Beschrijf het doel.")
    if goal.agreed_with_detainee and goal.agreed_on is None:
        goal.agreed_on = timezone.localdate()
    if not goal.agreed_with_detainee:
        goal.agreed_on = None
    _not_in_future(goal.agreed_on, "agreed_on", errors)
    if goal.agreed_on and goal.agreed_on < goal.trajectory.referred_on:
        errors["agreed_on"] = _("Een doel kan niet vóór de aanmelding afgesproken zijn.")
    if errors:
        raise ValidationError(errors)
    goal.full_clean(exclude=["trajectory"])


def goal_create(
    *,
    trajectory: Trajectory,
    user: User,
    domain: LifeDomain,
    description: str,
    agreed_with_detainee: bool = False,
    agreed_on: dt.date | None = None,
    status: str | None = None,
    target_date: dt.date | None = None,
    responsible_organisation: Organisation | None = None,
) -> Goal:
    """Add a goal in a life domain. A goal agreed with the detainee starts in status `agreed`."""
    _require_open(trajectory)
    _health_domain_write(user, trajectory, domain)
    if status is None:
        status = Goal.GoalStatus.AGREED if agreed_with_detainee else Goal.GoalStatus.PROPOSED
    goal = Goal(
        trajectory=trajectory,
        domain=domain,
        description=(description or "").strip(),
        agreed_with_detainee=agreed_with_detainee,
        agreed_on=agreed_on,
        status=status,
        target_date=target_date,
        responsible_organisation=responsible_organisation,
        created_by=user,
    )
    _check_goal(goal)
    with recorded(user, "goal_create"):
        goal.save()
    return goal


def goal_update(*, goal: Goal, user: User, **fields: Any) -> Goal:
    """Change a goal (wording, agreement, status, target date, responsible organisation)."""
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    _require_open(goal.trajectory)
    # Neither a goal of the health domain, nor moving one into it, for someone outside the compartment.
    _health_domain_write(user, goal.trajectory, goal.domain)
    if "domain" in fields:
        _health_domain_write(user, goal.trajectory, fields["domain"])
    for name, value in fields.items():
        setattr(goal, name, value)
    if fields.get("agreed_with_detainee") and goal.status == Goal.GoalStatus.PROPOSED and "status" not in fields:
        goal.status = Goal.GoalStatus.AGREED
    _check_goal(goal)
    with recorded(user, "goal_update"):
        goal.save(update_fields=[*fields, "agreed_on", "status", "updated_at"])
    return goal


def goal_review_add(*, goal: Goal, user: User, reviewed_on: dt.date, progress: int, note: str = "") -> GoalReview:
    """Record a review of a goal: progress 0 (none) to 4 (reached), with a note."""
    _require_open(goal.trajectory)
    _health_domain_write(user, goal.trajectory, goal.domain, field="goal")
    errors: dict[str, str] = {}
    if isinstance(progress, bool) or not isinstance(progress, int) or not PROGRESS_MIN <= progress <= PROGRESS_MAX:
        errors["progress"] = _("De voortgang is een getal van %(min)s tot %(max)s.") % {
            "min": PROGRESS_MIN,
            "max": PROGRESS_MAX,
        }
    _not_in_future(reviewed_on, "reviewed_on", errors)
    if reviewed_on and reviewed_on < goal.trajectory.referred_on:
        errors["reviewed_on"] = _("Een evaluatie kan niet vóór de aanmelding liggen.")
    if errors:
        raise ValidationError(errors)
    review = GoalReview(goal=goal, reviewed_on=reviewed_on, progress=progress, note=note or "", reviewed_by=user)
    review.full_clean(exclude=["goal"])
    with recorded(user, "goal_review_add"):
        review.save()
    return review


# --- Actions -------------------------------------------------------------------------------------------


def action_create(
    *,
    detainee: Detainee,
    user: User | None,
    description: str,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    owner_name: str = "",
    due_on: dt.date | None = None,
    source_kind: str = Action.SourceKind.OTHER,
    goal: Goal | None = None,
    trajectory: Trajectory | None = None,
) -> Action:
    """Create an open action. Used for goal follow-up and by the case conference for its decisions."""
    if goal is not None:
        trajectory = goal.trajectory
        source_kind = Action.SourceKind.GOAL
        _health_domain_write(user, trajectory, goal.domain, field="goal")
    errors: dict[str, str] = {}
    if not (description or "").strip():
        errors["description"] = _("Beschrijf de actie.")
    if owner_user is None and owner_organisation is None:
        errors["owner_user"] = _("Duid een eigenaar aan: een persoon of een organisatie.")
    if owner_user is not None and not owner_user.is_active:
        errors["owner_user"] = _("Deze gebruiker is niet meer actief.")
    if trajectory is not None and trajectory.detainee_id != detainee.pk:
        errors["trajectory"] = _("Dit traject hoort niet bij deze gedetineerde.")
    if source_kind == Action.SourceKind.GOAL and goal is None:
        errors["goal"] = _("Kies het doel waaruit de actie voortkomt.")
    if errors:
        raise ValidationError(errors)
    if trajectory is not None:
        _require_open(trajectory)
    action = Action(
        detainee=detainee,
        trajectory=trajectory,
        description=description.strip(),
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        owner_name=owner_name or "",
        due_on=due_on,
        source_kind=source_kind,
        goal=goal,
        created_by=user,
    )
    action.full_clean(exclude=["detainee"])
    with recorded(user, "action_create"):
        action.save()
    return action


def action_set_status(*, action: Action, user: User | None, status: str) -> Action:
    """Mark an action done or cancelled (or reopen it)."""
    if status not in Action.ActionStatus.values:
        raise ValidationError({"status": _("Onbekende status: %(value)s.") % {"value": status}})
    if action.goal is not None:
        domain = action.goal.domain
        if is_health_code(domain.code):
            refuse_health_write(user, action.detainee, field="status", written=[(domain.code, domain.label)])
    with recorded(user, f"action_set_status:{status}"):
        action.status = status
        action.completed_at = None if status == Action.ActionStatus.OPEN else timezone.now()
        action.save(update_fields=["status", "completed_at", "updated_at"])
    return action
