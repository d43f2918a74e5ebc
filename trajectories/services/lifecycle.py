"""Every write to a trajectory. Plain functions: validate, save, record who and why, return.

`trajectory_transition` is the only way a status changes (UI, API and admin). Each function runs in a
transaction and in a pghistory context, so the change history says who changed what and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.models import Organisation, User
from casework.compartments import is_health_code, refuse_health_write
from casework.models import Detainee, LifeDomain
from casework.services import detainee_set_case_team
from config.history import recorded
from notifications.services import reminder_schedule

from ..models import (
    TRANSITIONS,
    DomainExploration,
    Status,
    Trajectory,
    TrajectoryStatusChange,
)

REASON_MAX = 2000


def _not_in_future(value: dt.date | None, field: str, errors: dict[str, str]) -> None:
    if value is not None and value > timezone.localdate():
        errors[field] = _("Deze datum ligt in de toekomst.")


def _require_open(trajectory: Trajectory, field: str = "trajectory") -> None:
    if not trajectory.is_open:
        raise ValidationError({field: _("Dit traject is afgesloten; er kan niets meer aan toegevoegd worden.")})


def _health_domain_write(user: User | None, trajectory: Trajectory, domain: LifeDomain, field: str = "domain") -> None:
    """Goals, explorations, reviews and actions in a health domain are written by those who may read them
    (casework/compartments.py, ADR 0009 §7); the pages and the API already answer 404 for the existing ones.
    Outside a health domain this costs nothing."""
    if is_health_code(domain.code):
        refuse_health_write(user, trajectory.detainee, field=field, written=[(domain.code, domain.label)])


# --- Trajectory: referral, lifecycle, team -------------------------------------------------------


def trajectory_refer(
    *,
    detainee: Detainee,
    user: User,
    referred_on: dt.date,
    referred_by: str,
    referring_organisation: Organisation | None = None,
    referral_reason: str = "",
    guidance_type: str = Trajectory.GuidanceType.DISENGAGEMENT_CONSULTANT,
) -> Trajectory:
    """Register a referral: a new trajectory in status `referred`, with its first history line."""
    trajectory = Trajectory(
        detainee=detainee,
        referred_on=referred_on,
        referred_by=referred_by,
        referring_organisation=referring_organisation,
        referral_reason=referral_reason,
        guidance_type=guidance_type,
        created_by=user,
        lead_consultant=detainee.lead_consultant,
        status=Status.REFERRED,
        status_changed_at=timezone.now(),
    )
    errors: dict[str, str] = {}
    _not_in_future(referred_on, "referred_on", errors)
    if errors:
        raise ValidationError(errors)
    trajectory.full_clean(exclude=["detainee"])
    with recorded(user, "trajectory_refer"):
        # Lock the file so two referrals at once cannot both pass the checks below.
        Detainee.objects.select_for_update().filter(pk=detainee.pk).first()
        others = Trajectory.objects.filter(detainee=detainee)
        if others.open().exists():
            raise ValidationError({"detainee": _("Deze gedetineerde heeft al een lopend traject.")})
        if others.filter(closed_on__gt=referred_on).exists():
            raise ValidationError(
                {"referred_on": _("Een vorig traject liep toen nog; trajecten mogen niet overlappen.")}
            )
        try:
            with transaction.atomic():
                trajectory.save()
        except IntegrityError:
            raise ValidationError({"detainee": _("Deze gedetineerde heeft al een lopend traject.")}) from None
        TrajectoryStatusChange.objects.create(
            trajectory=trajectory,
            from_status="",
            to_status=Status.REFERRED,
            changed_at=trajectory.status_changed_at,  # type: ignore[misc]  # set when the trajectory was saved
            changed_by=user,
            reason=referral_reason[:REASON_MAX],
        )
    return trajectory


def unsettled_required_domains(trajectory: Trajectory) -> list[LifeDomain]:
    """Required life domains neither explored nor deferred with a reason (they block `active`)."""
    settled = {e.domain_id for e in trajectory.explorations.all() if e.is_settled}
    return [d for d in LifeDomain.objects.filter(required=True) if d.pk not in settled]


def trajectory_transition(
    *,
    trajectory: Trajectory,
    user: User | None,
    to: str,
    reason: str = "",
    closure_reason: str = "",
    on: dt.date | None = None,
    via_release: bool = False,
) -> Trajectory:
    """Move a trajectory to status `to`, checking the lifecycle, and record who/when/why.

    `aftercare` is entered only by registering a release: the release service calls this with
    `via_release=True`; every other caller (UI, API, admin) is refused. Closing needs a closure
    reason; declining records the closure reason `declined` itself. `on` dates the end of a
    closed or declined trajectory (default today).
    """
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    with recorded(user, f"trajectory_transition:{to}"):
        # Re-read under lock: two people clicking at once must not both move the status.
        locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        current = locked.status
        if to not in Status.values:
            raise ValidationError({"to": _("Onbekende status: %(to)s.") % {"to": to}})
        if to not in TRANSITIONS[current]:
            raise ValidationError(
                {
                    "to": _("Van '%(current)s' kan een traject niet naar '%(to)s'.")
                    % {"current": Status(current).label, "to": Status(to).label}
                }
            )
        if to == Status.AFTERCARE and not via_release:
            raise ValidationError({"to": _("Nazorg begint enkel door een vrijlating te registreren.")})
        if len(reason) > REASON_MAX:
            raise ValidationError(
                {"reason": _("De toelichting is te lang (maximum %(max)s tekens).") % {"max": REASON_MAX}}
            )
        errors: dict[str, str] = {}
        if to == Status.ACTIVE:
            missing = unsettled_required_domains(locked)
            if missing:
                errors["to"] = _(
                    "Eerst alle verplichte levensdomeinen verkennen of met reden uitstellen: %(domains)s."
                ) % {"domains": ", ".join(d.label for d in missing)}
        if to == Status.CLOSED:
            if closure_reason not in Trajectory.ClosureReason.values:
                errors["closure_reason"] = _("Kies een reden van afsluiting.")
            elif closure_reason == Trajectory.ClosureReason.OTHER and not reason:
                errors["reason"] = _("Licht de reden 'andere' toe.")
        if to == Status.DECLINED:
            closure_reason = Trajectory.ClosureReason.DECLINED
        if to in (Status.CLOSED, Status.DECLINED):
            if on > timezone.localdate():
                errors["on"] = _("Deze datum ligt in de toekomst.")
            elif on < locked.referred_on:
                errors["on"] = _("Een traject kan niet eindigen vóór de aanmelding.")
        if errors:
            raise ValidationError(errors)

        now = timezone.now()
        locked.status = to
        locked.status_changed_at = now
        fields = ["status", "status_changed_at", "updated_at"]
        if to in (Status.CLOSED, Status.DECLINED):
            locked.closed_on = on
            locked.closure_reason = closure_reason
            fields += ["closed_on", "closure_reason"]
        locked.save(update_fields=fields)
        TrajectoryStatusChange.objects.create(
            trajectory=locked,
            from_status=current,
            to_status=to,
            changed_at=now,
            changed_by=user,
            reason=reason,
        )
    for name in ("status", "status_changed_at", "closed_on", "closure_reason"):
        setattr(trajectory, name, getattr(locked, name))
    return trajectory


def trajectory_assign(
    *, trajectory: Trajectory, user: User, lead: User, co_consultants: Iterable[User] = ()
) -> Trajectory:
    """The manager assigns (or reassigns) the consultants; the detainee file's team follows in the same transaction."""
    co_consultants = [c for c in dict.fromkeys(co_consultants) if c != lead]
    organisation_id = trajectory.detainee.organisation_id
    for member in [lead, *co_consultants]:
        if (
            member is None
            or not member.is_consultant
            or member.organisation_id != organisation_id
            or not member.is_active
        ):
            raise ValidationError(
                {"lead_consultant": _("Enkel actieve consulenten van de dossierhoudende organisatie.")}
            )
    _require_open(trajectory, "lead_consultant")
    previous_lead_id = trajectory.lead_consultant_id
    with recorded(user, "trajectory_assign"):
        trajectory.lead_consultant = lead
        trajectory.assigned_at = timezone.now()
        trajectory.save(update_fields=["lead_consultant", "assigned_at", "updated_at"])
        trajectory.co_consultants.set(co_consultants)
        detainee_set_case_team(detainee=trajectory.detainee, user=user, lead=lead, co_consultants=co_consultants)
        if lead.pk != previous_lead_id and lead.pk != user.pk:
            # The new lead hears of it at the next sweep (in-app, and a content-free mail); the same
            # assignment twice on one day is one line (the reminder's key), one that moves on before the
            # sweep reaches nobody (referral_assigned's still_applies).
            reminder_schedule(
                kind="referral_assigned",
                obj=trajectory,
                recipient=lead,
                text=gettext_lazy("Een aanmelding van %(day)s is aan jou toegewezen."),
                text_params={"day": local_date(trajectory.referred_on)},
                link=reverse("trajectories:detail", args=[trajectory.pk]),
            )
    return trajectory


def trajectory_update(*, trajectory: Trajectory, user: User, **fields: Any) -> Trajectory:
    """Correct the referral details. Status, team and closure have their own services."""
    allowed = {"referred_on", "referred_by", "referring_organisation", "referral_reason", "guidance_type"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown trajectory fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(trajectory, name, value)
    errors: dict[str, str] = {}
    _not_in_future(trajectory.referred_on, "referred_on", errors)
    if errors:
        raise ValidationError(errors)
    trajectory.full_clean(exclude=["detainee"])
    with recorded(user, "trajectory_update"):
        trajectory.save(update_fields=[*fields, "updated_at"])
    return trajectory


# --- Domain exploration ----------------------------------------------------------------------------


def exploration_record(
    *,
    trajectory: Trajectory,
    user: User,
    domain: LifeDomain,
    need: str,
    explored_on: dt.date | None = None,
    deferral_reason: str = "",
    note: str = "",
) -> DomainExploration:
    """Record how a life domain was explored (or why it is deferred). One row per domain, updated in place."""
    _require_open(trajectory)
    _health_domain_write(user, trajectory, domain)
    deferral_reason = (deferral_reason or "").strip()
    errors: dict[str, str] = {}
    if need not in DomainExploration.Need.values:
        errors["need"] = _("Onbekende waarde: %(value)s.") % {"value": need}
    elif need != DomainExploration.Need.NOT_YET_EXPLORED:
        explored_on = explored_on or timezone.localdate()
        deferral_reason = ""
    else:
        explored_on = None
    _not_in_future(explored_on, "explored_on", errors)
    if explored_on and explored_on < trajectory.referred_on:
        errors["explored_on"] = _("De verkenning kan niet vóór de aanmelding liggen.")
    if errors:
        raise ValidationError(errors)
    with recorded(user, "exploration_record"):
        exploration, _created = DomainExploration.objects.select_for_update().get_or_create(
            trajectory=trajectory, domain=domain, defaults={"recorded_by": user}
        )
        exploration.need = need
        exploration.explored_on = explored_on
        exploration.deferral_reason = deferral_reason
        exploration.note = note
        exploration.recorded_by = user
        exploration.full_clean(exclude=["trajectory", "domain"])
        exploration.save(update_fields=["need", "explored_on", "deferral_reason", "note", "recorded_by", "updated_at"])
    return exploration
