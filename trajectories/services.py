"""Every write to a trajectory. Plain functions: validate, save, record who and why, return.

`trajectory_transition` is the only way a status changes (UI, API and admin). Each function runs in a
transaction and in a pghistory context, so the change history says who changed what and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.models import Organisation, User
from casework.compartments import is_health_code, refuse_health_write, sees_health_of
from casework.models import Detainee, LifeDomain
from casework.services import detainee_set_case_team
from notifications.services import reminder_schedule

from .models import (
    PROGRESS_MAX,
    PROGRESS_MIN,
    TRANSITIONS,
    Action,
    Assessment,
    AssessmentItem,
    AssessmentRating,
    AssessmentTemplate,
    DomainExploration,
    Goal,
    GoalReview,
    Status,
    Trajectory,
    TrajectoryStatusChange,
)

REASON_MAX = 2000


def _history(user: User | None, reason: str) -> pghistory.context:
    return pghistory.context(user=user.pk if user else None, reason=reason)


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
    with transaction.atomic(), _history(user, "trajectory_refer"):
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
    with transaction.atomic(), _history(user, f"trajectory_transition:{to}"):
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
    with transaction.atomic(), _history(user, "trajectory_assign"):
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
                kind="referral_assigned", obj=trajectory, recipient=lead,
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
    with transaction.atomic(), _history(user, "trajectory_update"):
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
    with transaction.atomic(), _history(user, "exploration_record"):
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
    with transaction.atomic(), _history(user, "goal_create"):
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
    with transaction.atomic(), _history(user, "goal_update"):
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
    with transaction.atomic(), _history(user, "goal_review_add"):
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
    with transaction.atomic(), _history(user, "action_create"):
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
    with transaction.atomic(), _history(user, f"action_set_status:{status}"):
        action.status = status
        action.completed_at = None if status == Action.ActionStatus.OPEN else timezone.now()
        action.save(update_fields=["status", "completed_at", "updated_at"])
    return action


# --- Assessments ----------------------------------------------------------------------------------------

ASSESSMENT_TEXT_FIELDS = ("sources", "overall_judgement", "overall_note", "changes_since_last", "assessed_on")


def _require_draft(assessment: Assessment) -> None:
    if assessment.is_final:
        raise ValidationError(
            {"status": _("Een definitieve inschatting kan niet meer gewijzigd worden; maak een correctie.")}
        )


def assessment_start(
    *,
    trajectory: Trajectory,
    user: User,
    template: AssessmentTemplate,
    assessed_on: dt.date | None = None,
    corrects: Assessment | None = None,
) -> Assessment:
    """Start a draft assessment with one empty rating per item of the template.

    With `corrects`, the draft is a correction of a finalised assessment and starts from its ratings.
    """
    assessed_on = assessed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not template.is_active and corrects is None:
        errors["template"] = _("Dit instrument is niet meer in gebruik.")
    _not_in_future(assessed_on, "assessed_on", errors)
    if corrects is not None:
        # The caller may hold a copy from before it was finalised.
        corrects.refresh_from_db(fields=["status", "finalised_at"])
    if corrects is not None and (corrects.trajectory_id != trajectory.pk or not corrects.is_final):
        errors["corrects"] = _("Enkel een definitieve inschatting van dit traject kan gecorrigeerd worden.")
    if errors:
        raise ValidationError(errors)
    if corrects is None:
        _require_open(trajectory)
    items = list(AssessmentItem.objects.filter(section__template=template))
    previous = {r.item_id: r for r in corrects.ratings.all()} if corrects else {}
    with transaction.atomic(), _history(user, "assessment_start"):
        assessment = Assessment.objects.create(
            trajectory=trajectory,
            template=template,
            assessed_on=assessed_on,
            assessor=user,
            corrects=corrects,
            sources=corrects.sources if corrects else "",
            overall_judgement=corrects.overall_judgement if corrects else "",
            overall_note=corrects.overall_note if corrects else "",
            changes_since_last=corrects.changes_since_last if corrects else "",
        )
        AssessmentRating.objects.bulk_create(
            [
                AssessmentRating(
                    assessment=assessment,
                    item=item,
                    rating=previous[item.pk].rating if item.pk in previous else None,
                    evidence=previous[item.pk].evidence if item.pk in previous else "",
                )
                for item in items
            ]
        )
    return assessment


def assessment_update(
    *, assessment: Assessment, user: User, ratings: Mapping[int, Mapping[str, Any]] | None = None, **fields: Any
) -> Assessment:
    """Fill in a draft: `ratings` maps item id → {"rating": int|None, "evidence": str}; text fields by name.

    A finalised assessment is immutable; every value is checked against its item's scale.
    """
    unknown = set(fields) - set(ASSESSMENT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    with transaction.atomic(), _history(user, "assessment_update"):
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require_draft(locked)
        errors: dict[str, str] = {}
        if "overall_judgement" in fields and fields["overall_judgement"] not in ("", *Assessment.Judgement.values):
            errors["overall_judgement"] = _("Onbekend oordeel.")
        if "assessed_on" in fields:
            _not_in_future(fields["assessed_on"], "assessed_on", errors)
        rows = {r.item_id: r for r in locked.ratings.select_related("item__section")}
        # Health items are filled in by those who may read them (casework/compartments.py): refused, not ignored,
        # so an API client is never told that a score it sent was saved.
        written = [(rows[int(pk)].item.section.code, rows[int(pk)].item.label) for pk in (ratings or {}) if int(pk) in rows]
        if any(is_health_code(code) for code, _label in written):
            refuse_health_write(user, assessment.trajectory.detainee, field="ratings", written=written)
        changed = []
        for item_id, values in (ratings or {}).items():
            row = rows.get(int(item_id))
            if row is None:
                errors["ratings"] = _("Item %(item)s hoort niet bij dit instrument.") % {"item": item_id}
                continue
            value = values.get("rating")
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= row.item.scale_max
            ):
                errors[f"rating_{row.item.code}"] = _("'%(label)s': de score ligt tussen 0 en %(max)s.") % {
                    "label": row.item.label,
                    "max": row.item.scale_max,
                }
                continue
            row.rating = value
            row.evidence = (values.get("evidence") or "")[:2000]
            changed.append(row)
        if errors:
            raise ValidationError(errors)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["trajectory", "template", "corrects"])
        locked.save(update_fields=[*fields, "updated_at"])
        AssessmentRating.objects.bulk_update(changed, ["rating", "evidence"])
    return locked


def _changes_against_previous(assessment: Assessment) -> str:
    """'label: 1 → 2' for every item rated differently in the previous final assessment with this instrument.

    Items are matched by section and item code, so a new template version still compares. The previous
    one is the latest finalised assessment of the same instrument code dated on or before this one; a
    corrected original does not count (its correction does).
    """
    previous = (
        Assessment.objects.filter(
            trajectory_id=assessment.trajectory_id,
            template__code=assessment.template.code,
            status=Assessment.AssessmentStatus.FINALISED,
            assessed_on__lte=assessment.assessed_on,
            corrections__isnull=True,
        )
        .exclude(pk__in=[assessment.pk, assessment.corrects_id or 0])
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if previous is None:
        return ""
    before = {(r.item.section.code, r.item.code): r.rating for r in previous.ratings.select_related("item__section")}
    lines = []
    for r in assessment.ratings.select_related("item__section").order_by("item__section__order", "item__order"):
        if is_health_code(r.item.section.code):
            # This text is read by everyone who sees the assessment; health scores stay in their compartment.
            continue
        old = before.get((r.item.section.code, r.item.code))
        if old is not None and r.rating is not None and old != r.rating:
            lines.append(f"{r.item.label}: {old} → {r.rating}")
    if not lines:
        return _("Geen verschil in de scores met de inschatting van %(date)s.") % {
            "date": local_date(previous.assessed_on)
        }
    header = _("Verschillen met de inschatting van %(date)s:") % {"date": local_date(previous.assessed_on)}
    return "\n".join([header, *lines])[:3000]


def assessment_finalise(*, assessment: Assessment, user: User) -> Assessment:
    """Make a draft final: every item rated and an overall judgement given. From then on it never changes.

    When the assessor left "changes since last" empty, it is filled with the score differences against
    the previous final assessment with the same instrument, so the record says what changed.
    """
    with transaction.atomic(), _history(user, "assessment_finalise"):
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require_draft(locked)
        errors: dict[str, str | list[str]] = {}
        if not locked.overall_judgement:
            errors["overall_judgement"] = _("Geef een algemeen oordeel.")
        unrated = [r.item.section.code for r in locked.ratings.filter(rating__isnull=True).select_related("item__section")]
        hidden = 0
        if any(is_health_code(code) for code in unrated) and not (user is None or sees_health_of(user, assessment.trajectory.detainee)):
            hidden = sum(1 for code in unrated if is_health_code(code))
        problems = []
        if len(unrated) > hidden:
            problems.append(_("Nog %(count)s item(s) zonder score.") % {"count": len(unrated) - hidden})
        if hidden:
            # Someone outside the compartment does not see these items: say who fills them in.
            problems.append(_(
                "De items over gezondheid hebben nog geen score; die vullen de hoofdconsulent, de co-consulenten "
                "of hun manager in."
            ))
        if problems:
            errors["ratings"] = problems
        if errors:
            raise ValidationError(errors)
        if not locked.changes_since_last.strip():
            locked.changes_since_last = _changes_against_previous(locked)
        locked.status = Assessment.AssessmentStatus.FINALISED
        locked.finalised_at = timezone.now()
        locked.save(update_fields=["status", "finalised_at", "changes_since_last", "updated_at"])
    return locked
