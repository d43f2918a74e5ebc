"""The trajectories' part in retention and in the subject-access export (casework/privacy/registry.py).

Registered from `TrajectoriesConfig.ready()`. What is kept after anonymisation is what the yearly figures
need (statuses, dates, life domains, goal statuses, progress and scores); every free text about the person
is replaced or emptied, the handover PDFs (which carry the name) are deleted while their SHA-256 and
disclosure stay, and the change history of these rows is deleted (it holds the old texts). ADR 0009.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.display import local_date
from casework.merging import history_ids
from casework.models import Detainee
from casework.privacy.registry import Closure, PrivacyParticipant, register_participant

from .models import (
    OPEN_STATUSES,
    Action,
    Assessment,
    AssessmentRating,
    DomainExploration,
    Goal,
    GoalReview,
    Trajectory,
    TrajectoryStatusChange,
)
from .models_court import CourtCondition, CourtReport, ReportingDeadline
from .models_partners import ActionUpdate, PartnerReferral
from .models_release import OUTCOME_FIELDS, FollowUp, HandoverPackage, Release

# pghistory event models of this app and how their rows point to the detainee.
EVENT_LOOKUPS = {
    "TrajectoryEvent": "detainee_id",
    "DomainExplorationEvent": "trajectory__detainee_id",
    "GoalEvent": "trajectory__detainee_id",
    "GoalReviewEvent": "goal__trajectory__detainee_id",
    "ActionEvent": "detainee_id",
    "AssessmentEvent": "trajectory__detainee_id",
    "ReleaseEvent": "trajectory__detainee_id",
    "FollowUpEvent": "trajectory__detainee_id",
    "AssessmentRatingEvent": "assessment__trajectory__detainee_id",
    "HandoverPackageEvent": "trajectory__detainee_id",
    "ActionUpdateEvent": "action__detainee_id",
    "PartnerReferralEvent": "detainee_id",
    "CourtConditionEvent": "release__trajectory__detainee_id",
    "ReportingDeadlineEvent": "condition__release__trajectory__detainee_id",
    "CourtReportEvent": "condition__release__trajectory__detainee_id",
}


def _outcome_text(follow_up: FollowUp) -> str:
    """What a post-closure review recorded of the person, as one line of labelled answers."""
    if not follow_up.outcome_source:
        return ""
    parts = []
    for name in (*OUTCOME_FIELDS, "outcome_source"):
        field = FollowUp._meta.get_field(name)
        parts.append(f"{field.verbose_name}: {getattr(follow_up, f'get_{name}_display')()}")
        if name == "outcome_detention" and follow_up.outcome_detained_on:
            parts[-1] += f" ({local_date(follow_up.outcome_detained_on)})"
    return "; ".join(parts)


def trajectory_closure(detainee_ids: Iterable[int]) -> dict[int, Closure]:
    """An open trajectory keeps a file open; otherwise the last trajectory's closing date counts. Two queries."""
    detainee_ids = list(detainee_ids)
    rows = (
        Trajectory.objects.filter(detainee_id__in=detainee_ids)
        .values("detainee_id")
        .annotate(last_closed=Max("closed_on"))
        .values_list("detainee_id", "last_closed")
    )
    open_ids = set(
        Trajectory.objects.filter(detainee_id__in=detainee_ids, status__in=OPEN_STATUSES).values_list(
            "detainee_id", flat=True
        )
    )
    return {detainee_id: Closure(open=detainee_id in open_ids, closed_on=last) for detainee_id, last in rows}


def anonymise_trajectories(detainee: Detainee, user) -> dict[str, int]:
    """Empty or neutralise every free text of the detainee's trajectories; returns rows changed per kind."""
    from django.apps import apps

    changes: dict[str, int] = {}
    ids = history_ids(detainee)
    for name, lookup in EVENT_LOOKUPS.items():
        event_model = apps.get_model("trajectories", name)
        # Also the rows written before a merge, which name the merged-away id (ADR 0032).
        changes[f"history_{name}"] = event_model.objects.filter(**{f"{lookup}__in": ids}).delete()[0]

    trajectories = Trajectory.objects.filter(detainee=detainee)
    changes["trajectories"] = trajectories.update(referral_reason="", priority_reason="")
    changes["status_changes"] = TrajectoryStatusChange.objects.filter(trajectory__detainee=detainee).update(reason="")
    changes["explorations"] = DomainExploration.objects.filter(trajectory__detainee=detainee).update(
        note="", deferral_reason=""
    )
    # The description is required: a neutral text keeps the goal countable per life domain.
    changes["goals"] = Goal.objects.filter(trajectory__detainee=detainee).update(description=_("Doel (geanonimiseerd)"))
    changes["goal_reviews"] = GoalReview.objects.filter(goal__trajectory__detainee=detainee).update(note="")
    changes["actions"] = Action.objects.filter(detainee=detainee).update(
        description=_("Actie (geanonimiseerd)"), owner_name=""
    )
    changes["assessments"] = Assessment.objects.filter(trajectory__detainee=detainee).update(
        sources="", overall_note="", changes_since_last=""
    )
    changes["assessment_ratings"] = AssessmentRating.objects.filter(assessment__trajectory__detainee=detainee).update(
        evidence=""
    )
    changes["releases"] = Release.objects.filter(trajectory__detainee=detainee).update(
        destination_municipality="", follow_up_service=""
    )
    changes["follow_ups"] = FollowUp.objects.filter(trajectory__detainee=detainee).update(note="")
    changes["action_updates"] = ActionUpdate.objects.filter(action__detainee=detainee).update(note="")
    changes["partner_referrals"] = PartnerReferral.objects.filter(detainee=detainee).update(
        question=_("Doorverwijzing (geanonimiseerd)"), response_note="", outcome_note=""
    )
    packages = list(HandoverPackage.objects.filter(trajectory__detainee=detainee).exclude(file=""))
    for package in packages:
        # The PDF names the person; the SHA-256 and the disclosure record stay as proof of what was sent.
        package.file.delete(save=False)
        package.save(update_fields=["file", "updated_at"])
    changes["handover_files"] = len(packages)
    changes["court_conditions"] = CourtCondition.objects.filter(release__trajectory__detainee=detainee).update(
        text=_("Voorwaarde (geanonimiseerd)"), judgment_reference=""
    )
    reports = list(CourtReport.objects.filter(condition__release__trajectory__detainee=detainee).exclude(file=""))
    for report in reports:
        # Like a handover package: the PDF names the person; its SHA-256 and the disclosure stay as proof.
        report.file.delete(save=False)
        report.save(update_fields=["file", "updated_at"])
    changes["court_report_files"] = len(reports)
    return changes


def export_trajectories(detainee: Detainee) -> dict:
    """Everything the trajectories app holds about the detainee, as flat lists (one table each in the PDF)."""
    trajectories = list(
        Trajectory.objects.filter(detainee=detainee)
        .select_related("lead_consultant", "referring_organisation")
        .prefetch_related("co_consultants")
        .order_by("referred_on", "pk")
    )
    return {
        "trajectories": [
            {
                "id": t.pk,
                "status": t.get_status_display(),
                "referred_on": t.referred_on,
                "referred_by": t.get_referred_by_display(),
                "referring_organisation": str(t.referring_organisation or ""),
                "referral_reason": t.referral_reason,
                "guidance_type": t.get_guidance_type_display(),
                "lead_consultant": str(t.lead_consultant or ""),
                "co_consultants": ", ".join(str(u) for u in t.co_consultants.all()),
                "closure_reason": t.get_closure_reason_display(),
                "closed_on": t.closed_on,
            }
            for t in trajectories
        ],
        "status_changes": [
            {
                "trajectory": c.trajectory_id,
                "from": c.from_status,
                "to": c.to_status,
                "at": c.changed_at,
                "by": str(c.changed_by or ""),
                "reason": c.reason,
            }
            for c in TrajectoryStatusChange.objects.filter(trajectory__detainee=detainee)
            .select_related("changed_by")
            .order_by("changed_at", "pk")
        ],
        "explorations": [
            {
                "trajectory": e.trajectory_id,
                "domain": e.domain.name,
                "need": e.get_need_display(),
                "explored_on": e.explored_on,
                "deferral_reason": e.deferral_reason,
                "note": e.note,
            }
            for e in DomainExploration.objects.filter(trajectory__detainee=detainee)
            .select_related("domain")
            .order_by("trajectory_id", "domain__order")
        ],
        "goals": [
            {
                "id": g.pk,
                "trajectory": g.trajectory_id,
                "domain": g.domain.name,
                "description": g.description,
                "agreed_with_detainee": g.agreed_with_detainee,
                "agreed_on": g.agreed_on,
                "status": g.get_status_display(),
                "target_date": g.target_date,
                "responsible_organisation": str(g.responsible_organisation or ""),
            }
            for g in Goal.objects.filter(trajectory__detainee=detainee)
            .select_related("domain", "responsible_organisation")
            .order_by("trajectory_id", "pk")
        ],
        "goal_reviews": [
            {
                "goal": r.goal_id,
                "reviewed_on": r.reviewed_on,
                "progress": r.progress,
                "note": r.note,
                "by": str(r.reviewed_by or ""),
            }
            for r in GoalReview.objects.filter(goal__trajectory__detainee=detainee)
            .select_related("reviewed_by")
            .order_by("goal_id", "reviewed_on", "pk")
        ],
        "actions": [
            {
                "id": a.pk,
                "description": a.description,
                "owner": a.owner_display,
                "due_on": a.due_on,
                "status": a.get_status_display(),
                "source": a.get_source_kind_display(),
                "completed_at": a.completed_at,
            }
            for a in Action.objects.filter(detainee=detainee)
            .select_related("owner_user", "owner_organisation")
            .order_by("created_at", "pk")
        ],
        "assessments": [
            {
                "id": a.pk,
                "trajectory": a.trajectory_id,
                "instrument": str(a.template),
                "assessed_on": a.assessed_on,
                "assessor": str(a.assessor),
                "status": a.get_status_display(),
                "sources": a.sources,
                "overall_judgement": a.get_overall_judgement_display(),
                "overall_note": a.overall_note,
                "changes_since_last": a.changes_since_last,
            }
            for a in Assessment.objects.filter(trajectory__detainee=detainee)
            .select_related("template", "assessor")
            .order_by("assessed_on", "pk")
        ],
        "assessment_ratings": [
            {
                "assessment": r.assessment_id,
                "section": r.item.section.title,
                "item": r.item.label,
                "rating": r.rating,
                "scale_max": r.item.scale_max,
                "evidence": r.evidence,
            }
            for r in AssessmentRating.objects.filter(assessment__trajectory__detainee=detainee)
            .select_related("item__section")
            .order_by("assessment_id", "item__section__order", "item__order")
        ],
        "releases": [
            {
                "trajectory": r.trajectory_id,
                "released_on": r.released_on,
                "modality": r.get_modality_display(),
                "destination_municipality": r.destination_municipality,
                "follow_up": " ".join(
                    part for part in (str(r.follow_up_organisation or ""), r.follow_up_service) if part
                ),
                "aftercare_ends_on": r.aftercare_ends_on,
            }
            for r in Release.objects.filter(trajectory__detainee=detainee)
            .select_related("follow_up_organisation")
            .order_by("released_on")
        ],
        "follow_ups": [
            {
                "trajectory": f.trajectory_id,
                "kind": f.get_kind_display(),
                "due_on": f.due_on,
                "status": f.get_status_display(),
                "done_on": f.done_on,
                "note": f.note,
                "outcome": _outcome_text(f),
            }
            for f in FollowUp.objects.filter(trajectory__detainee=detainee).order_by("due_on", "pk")
        ],
        "action_updates": [
            {
                "action": u.action_id,
                "kind": u.get_kind_display(),
                "note": u.note,
                "by": str(u.author),
                "at": u.created_at,
            }
            for u in ActionUpdate.objects.filter(action__detainee=detainee)
            .select_related("author")
            .order_by("created_at", "pk")
        ],
        "partner_referrals": [
            {
                "reference": r.reference,
                "organisation": str(r.organisation),
                "service": r.service,
                "question": r.question,
                "status": r.get_status_display(),
                "referred_at": r.referred_at,
                "responded_at": r.responded_at,
                "response_note": r.response_note,
                "outcome": r.get_outcome_display(),
                "outcome_note": r.outcome_note,
            }
            for r in PartnerReferral.objects.filter(detainee=detainee)
            .select_related("organisation")
            .order_by("referred_at", "pk")
        ],
        "handover_packages": [
            {
                "recipient": str(p.recipient_organisation),
                "scopes": ", ".join(p.scopes),
                "requested_at": p.created_at,
                "status": p.get_status_display(),
                "sha256": p.file_sha256,
            }
            for p in HandoverPackage.objects.filter(trajectory__detainee=detainee)
            .select_related("recipient_organisation")
            .order_by("created_at", "pk")
        ],
        "court_conditions": [
            {
                "id": c.pk,
                "kind": c.get_kind_display(),
                "text": c.text,
                "court": c.court,
                "decided_on": c.decided_on,
                "reference": c.judgment_reference,
                "from_date": c.starts_on,
                "to_date": c.ends_on,
                "supervising": str(c.supervising_organisation),
            }
            for c in CourtCondition.objects.filter(release__trajectory__detainee=detainee)
            .select_related("supervising_organisation")
            .order_by("starts_on", "pk")
        ],
        "reporting_deadlines": [
            {
                "condition": d.condition_id,
                "due_on": d.due_on,
                "recipient": str(d.recipient_organisation),
                "status": d.get_status_display(),
            }
            for d in ReportingDeadline.objects.filter(condition__release__trajectory__detainee=detainee)
            .select_related("recipient_organisation")
            .order_by("due_on", "pk")
        ],
        "court_reports": [
            {
                "condition": r.condition_id,
                "recipient": str(r.recipient_organisation),
                "basis": r.get_basis_display(),
                "from_date": r.period_from,
                "to_date": r.period_to,
                "at": r.created_at,
                "file_sha256": r.file_sha256,
            }
            for r in CourtReport.objects.filter(condition__release__trajectory__detainee=detainee)
            .select_related("recipient_organisation")
            .order_by("created_at", "pk")
        ],
    }


def register() -> None:
    from notifications.subjects import register_detainee_objects, register_recipient_check

    from .reminders import referrals_still_visible

    register_participant(
        PrivacyParticipant(
            name="trajectories",
            anonymise=anonymise_trajectories,
            export=export_trajectories,
            closure=trajectory_closure,
            order=20,
        )
    )
    # Reminders point at these (trajectories/reminders.py): the notification centre's privacy part finds them.
    register_detainee_objects(
        "trajectories.trajectory",
        lambda detainee_id: Trajectory.objects.filter(detainee_id=detainee_id).values_list("pk", flat=True),
    )
    register_detainee_objects(
        "trajectories.action",
        lambda detainee_id: Action.objects.filter(detainee_id=detainee_id).values_list("pk", flat=True),
    )
    register_detainee_objects(
        "trajectories.partnerreferral",
        lambda detainee_id: PartnerReferral.objects.filter(detainee_id=detainee_id).values_list("pk", flat=True),
    )
    register_recipient_check("partner_referral", referrals_still_visible)
    register_detainee_objects(
        "trajectories.followup",
        lambda detainee_id: FollowUp.objects.filter(trajectory__detainee_id=detainee_id).values_list("pk", flat=True),
    )
    register_detainee_objects(
        "trajectories.reportingdeadline",
        lambda detainee_id: ReportingDeadline.objects.filter(
            condition__release__trajectory__detainee_id=detainee_id
        ).values_list("pk", flat=True),
    )
