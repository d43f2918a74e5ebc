"""The owner of a conference action records what he did: a short progress note, or the action done (ADR 0034).

The update and the action's new status are written together (or not at all), in the change history with who
did it; the next planned conference of the file gets its generated agenda refreshed in the same transaction, so
its "open actions" item carries the owner's update before anyone opens it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.history import recorded
from trajectories.models import Action, ActionUpdate
from trajectories.models_partners import ACTION_NOTE_MAX

from ..models import Conference, Minutes


def action_owner_update(*, action: Action, user: User, kind: str, note: str = "") -> ActionUpdate:
    """Record the owner's `kind` (progress or done) with `note` on `action` (fetched with
    `casusoverleg.actions.get_owned_action_for_user`, which checks that `user` owns it)."""
    from trajectories.services.goals import action_set_status

    from .conferences import agenda_generate

    note = (note or "").strip()
    errors = {}
    if kind not in ActionUpdate.Kind.values:
        errors["kind"] = _("Kies: voortgang melden of de actie afronden.")
    if kind == ActionUpdate.Kind.PROGRESS and not note:
        errors["note"] = _("Schrijf kort wat er gebeurde.")
    if len(note) > ACTION_NOTE_MAX:
        errors["note"] = _("Hoogstens %(n)s tekens.") % {"n": ACTION_NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    with recorded(user, f"action_owner_update:{kind}"):
        locked = (
            Action.objects.select_for_update(of=("self",)).select_related("goal__domain", "detainee").get(pk=action.pk)
        )
        if locked.status != Action.ActionStatus.OPEN:
            raise ValidationError({"kind": _("Deze actie is al afgerond of geannuleerd; er kan niets meer bij.")})
        update = ActionUpdate.objects.create(action=locked, author=user, kind=kind, note=note)
        if kind == ActionUpdate.Kind.DONE:
            action_set_status(action=locked, user=user, status=Action.ActionStatus.DONE)
        upcoming = (
            Conference.objects.filter(
                detainee_id=locked.detainee_id, status=Conference.Status.PLANNED, starts_at__gt=timezone.now()
            )
            .exclude(minutes_versions__status=Minutes.Status.APPROVED)
            .order_by("starts_at")
            .first()
        )
        if upcoming is not None:
            agenda_generate(upcoming)
    action.status, action.completed_at = locked.status, locked.completed_at
    return update
