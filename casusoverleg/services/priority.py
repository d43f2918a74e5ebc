"""The case conference sets the priority of a referral waiting for intake, with its reason (docs/adr/0044).

The priority is the conference's decision: it is recorded on a conference that took place (held, with draft or
with approved minutes), for the referral of that conference's detainee while it still waits for intake, by
whoever may record the conference's decisions (`casusoverleg.set_referral_priority`). The trajectory keeps the
priority, the reason, who and when, in the change history; the manager's inbox and dashboard
sort on it (`TrajectoryQuerySet.waiting_referrals`). Each decision is also a `ReferralPriority` row of the
conference (which conference, what, why, who, when); a later decision is a new row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from config.history import recorded
from trajectories.models import Status, Trajectory

from ..models import Conference, ReferralPriority

PRIORITY_REASON_MAX = 500
DECIDING_STATUSES = (Conference.Status.HELD, Conference.Status.MINUTES_DRAFT, Conference.Status.MINUTES_APPROVED)


def waiting_referral_of(conference: Conference) -> Trajectory | None:
    """The referral of the conference's detainee that waits for intake (at most one: one open trajectory)."""
    return Trajectory.objects.filter(detainee_id=conference.detainee_id, status=Status.REFERRED).first()


def referral_priority_set(*, conference: Conference, user: User, priority: Any, reason: str) -> ReferralPriority:
    """Set the priority of the waiting referral of `conference`'s detainee (the caller checked
    `casusoverleg.set_referral_priority` on the conference). Raises ValidationError with field errors."""
    reason = (reason or "").strip()
    errors = {}
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        priority = None
    if priority not in Trajectory.Priority.values:
        errors["priority"] = _("Kies een prioriteit: dringend, hoog of normaal.")
    if not reason:
        errors["reason"] = _("Geef de reden die het casusoverleg voor deze prioriteit had.")
    elif len(reason) > PRIORITY_REASON_MAX:
        errors["reason"] = _("Hoogstens %(n)s tekens.") % {"n": PRIORITY_REASON_MAX}
    if conference.status not in DECIDING_STATUSES:
        errors["conference"] = _("Een casusoverleg bepaalt de prioriteit pas als het heeft plaatsgevonden.")
    if errors:
        raise ValidationError(errors)
    with recorded(user, "referral_priority_set"):
        trajectory = (
            Trajectory.objects.select_for_update(of=("self",))
            .filter(detainee_id=conference.detainee_id, status=Status.REFERRED)
            .first()
        )
        if trajectory is None:
            raise ValidationError({"priority": _("Deze gedetineerde heeft geen aanmelding die op intake wacht.")})
        decision = ReferralPriority.objects.create(
            conference=conference, trajectory=trajectory, priority=priority, reason=reason, decided_by=user
        )
        trajectory.priority = priority
        trajectory.priority_reason = reason
        trajectory.priority_set_by = user
        trajectory.priority_set_at = decision.created_at
        trajectory.save(
            update_fields=["priority", "priority_reason", "priority_set_by", "priority_set_at", "updated_at"]
        )
    return decision
