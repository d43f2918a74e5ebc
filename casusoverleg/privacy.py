"""Case conferences' part in retention and in the subject-access export (casework/privacy/registry.py).

Registered from `CasusoverlegConfig.ready()`. After anonymisation a conference keeps its dates, prison,
kind, status, legal basis, the staff who took part and the proof of every copy that was sent; external
people lose their name and e-mail, and every free text (agenda, notes, decisions, actions, cancellation
reason) is emptied. Approved minutes keep their number, approval date and fingerprint — so a copy still
in someone's hands can be matched to the version that was approved — but their frozen snapshot is
reduced to the facts without personal content (ADR 0009). The change history of these rows is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.merging import history_ids
from casework.models import Detainee
from casework.privacy.registry import Closure, PrivacyParticipant, register_participant

from .models import (
    AgendaItem,
    Conference,
    Decision,
    ItemNote,
    Minutes,
    MinutesAction,
    MinutesCopy,
    Participant,
    ReferralPriority,
)

ANONYMISED = "anonymised"

# pghistory event models of this app and how their rows point to the detainee: the history would otherwise
# keep the names and texts that anonymisation removes.
EVENT_LOOKUPS = {
    "ConferenceEvent": "detainee_id",
    "MinutesEvent": "conference__detainee_id",
    "CadenceRuleEvent": "detainee_id",
    "ParticipantEvent": "conference__detainee_id",
    "AgendaItemEvent": "conference__detainee_id",
    "ItemNoteEvent": "minutes__conference__detainee_id",
    "DecisionEvent": "minutes__conference__detainee_id",
    "MinutesActionEvent": "minutes__conference__detainee_id",
    "TransferFlagEvent": "conference__detainee_id",
}


def anonymised_snapshot(minutes: Minutes) -> dict:
    """What approved minutes keep: which conference and version, when approved. No person, no text."""
    snapshot = minutes.snapshot or {}
    return {
        ANONYMISED: True,
        "conference": {
            key: snapshot.get("conference", {}).get(key)
            for key in ("id", "reference", "kind", "starts_at", "prison", "basis")
        },
        "minutes": {key: snapshot.get("minutes", {}).get(key) for key in ("version", "approved_at")},
    }


def is_anonymised(minutes: Minutes) -> bool:
    return bool(minutes.snapshot and minutes.snapshot.get(ANONYMISED))


def conference_closure(detainee_ids: Iterable[int]) -> dict[int, Closure]:
    """A conference still to come keeps the file open; otherwise the last conference held counts. Two queries."""
    detainee_ids = list(detainee_ids)
    active = Conference.objects.active().filter(detainee_id__in=detainee_ids)
    last = dict(active.values("detainee_id").annotate(last=Max("starts_at")).values_list("detainee_id", "last"))
    upcoming = set(active.filter(starts_at__gte=timezone.now()).values_list("detainee_id", flat=True))
    return {
        detainee_id: Closure(open=detainee_id in upcoming, closed_on=timezone.localdate(moment) if moment else None)
        for detainee_id, moment in last.items()
    }


def anonymise_conferences(detainee: Detainee, user) -> dict[str, int]:
    """Remove names of external people and every free text from the detainee's conferences and minutes."""
    from django.apps import apps

    changes: dict[str, int] = {}
    ids = history_ids(detainee)
    for name, lookup in EVENT_LOOKUPS.items():
        event_model = apps.get_model("casusoverleg", name)
        # Also the rows written before a merge, which name the merged-away id (ADR 0032).
        changes[f"history_{name}"] = event_model.objects.filter(**{f"{lookup}__in": ids}).delete()[0]

    conferences = Conference.objects.filter(detainee=detainee)
    changes["conferences"] = conferences.update(cancel_reason="")
    changes["referral_priorities"] = ReferralPriority.objects.filter(conference__detainee=detainee).update(reason="")

    externals = list(
        Participant.objects.filter(conference__detainee=detainee, user__isnull=True).order_by("conference_id", "pk")
    )
    for number, participant in enumerate(externals, start=1):
        participant.name = (
            _("Gedetineerde")
            if participant.role == Participant.Role.DETAINEE
            else _("Externe deelnemer %(number)s") % {"number": number}
        )
        participant.email = ""
        participant.save(update_fields=["name", "email", "updated_at"])
    changes["external_participants"] = len(externals)

    changes["agenda_items"] = AgendaItem.objects.filter(
        conference__detainee=detainee, source=AgendaItem.Source.FREE
    ).update(title=_("Agendapunt (geanonimiseerd)"), body="")
    changes["agenda_items"] += (
        AgendaItem.objects.filter(conference__detainee=detainee).exclude(source=AgendaItem.Source.FREE).update(body="")
    )

    minutes_rows = list(Minutes.objects.filter(conference__detainee=detainee))
    for minutes in minutes_rows:
        minutes.general_notes = ""
        minutes.correction_reason = ""
        fields = ["general_notes", "correction_reason", "updated_at"]
        if minutes.is_approved and not is_anonymised(minutes):
            minutes.snapshot = anonymised_snapshot(minutes)
            fields.append("snapshot")
        minutes.save(update_fields=fields)
    changes["minutes_versions"] = len(minutes_rows)
    changes["item_notes"] = ItemNote.objects.filter(minutes__conference__detainee=detainee).update(text="")
    # A decision without consensus must name who disagreed and why (database constraint): neutral words.
    changes["decisions"] = Decision.objects.filter(minutes__conference__detainee=detainee, consensus=True).update(
        text=_("Beslissing (geanonimiseerd)")
    )
    changes["decisions"] += Decision.objects.filter(minutes__conference__detainee=detainee, consensus=False).update(
        text=_("Beslissing (geanonimiseerd)"), dissent_who=_("geanonimiseerd"), dissent_why=_("geanonimiseerd")
    )
    changes["minutes_actions"] = MinutesAction.objects.filter(minutes__conference__detainee=detainee).update(
        description=_("Actie (geanonimiseerd)"), owner_name=""
    )
    return changes


def export_conferences(detainee: Detainee) -> dict:
    """Everything the case-conference app holds about the detainee, as flat lists."""
    conferences = list(
        Conference.objects.filter(detainee=detainee).select_related("prison", "chair").order_by("starts_at", "pk")
    )
    minutes = list(
        Minutes.objects.filter(conference__detainee=detainee)
        .select_related("approved_by")
        .order_by("conference_id", "number")
    )
    return {
        "conferences": [
            {
                "id": c.pk,
                "reference": c.reference,
                "kind": c.get_kind_display(),
                "starts_at": c.starts_at,
                "ends_at": c.ends_at,
                # A meeting outside detention has no prison: its place is its venue (docs/adr/0041).
                "place": c.place,
                "location": c.location,
                "chair": str(c.chair),
                "status": c.get_status_display(),
                "basis": c.get_basis_display(),
                "authorisation_reference": c.authorisation_reference,
                "cancel_reason": c.cancel_reason,
            }
            for c in conferences
        ],
        "participants": [
            {
                "conference": p.conference_id,
                "name": p.display_name,
                "organisation": str(p.organisation_effective or ""),
                "role": p.get_role_display(),
                "response": p.get_response_display(),
                "attended": p.attended,
            }
            for p in Participant.objects.filter(conference__detainee=detainee)
            .select_related("user", "user__organisation", "organisation")
            .order_by("conference_id", "pk")
        ],
        "agenda": [
            {"conference": item.conference_id, "title": item.display_title, "body": item.display_body}
            for item in AgendaItem.objects.filter(conference__detainee=detainee).order_by(
                "conference_id", "order", "pk"
            )
        ],
        "minutes": [
            {
                "conference": m.conference_id,
                "version": m.number,
                "status": m.get_status_display(),
                "general_notes": m.general_notes,
                "correction_reason": m.correction_reason,
                "approved_by": str(m.approved_by or ""),
                "approved_at": m.approved_at,
                "fingerprint": m.fingerprint,
            }
            for m in minutes
        ],
        "minutes_notes": [
            {
                "conference": n.minutes.conference_id,
                "version": n.minutes.number,
                "agenda_item": n.agenda_item.title,
                "text": n.text,
            }
            for n in ItemNote.objects.filter(minutes__conference__detainee=detainee)
            .exclude(text="")
            .select_related("minutes", "agenda_item")
            .order_by("minutes_id", "agenda_item__order")
        ],
        "decisions": [
            {
                "conference": d.minutes.conference_id,
                "version": d.minutes.number,
                "text": d.text,
                "consensus": d.consensus,
                "dissent_who": d.dissent_who,
                "dissent_why": d.dissent_why,
            }
            for d in Decision.objects.filter(minutes__conference__detainee=detainee)
            .select_related("minutes")
            .order_by("minutes_id", "order", "pk")
        ],
        "actions": [
            {
                "conference": a.minutes.conference_id,
                "version": a.minutes.number,
                "description": a.description,
                "owner": a.owner_display,
                "due_on": a.due_on,
            }
            for a in MinutesAction.objects.filter(minutes__conference__detainee=detainee)
            .select_related("minutes", "owner_user", "owner_organisation")
            .order_by("minutes_id", "order", "pk")
        ],
        # What a conference decided about the priority of the person's referral, with its reason (ADR 0044).
        "referral_priorities": [
            {
                "conference": decision.conference_id,
                "trajectory": decision.trajectory_id,
                "priority": decision.get_priority_display(),
                "reason": decision.reason,
                "by": str(decision.decided_by),
                "at": decision.created_at,
            }
            for decision in ReferralPriority.objects.filter(conference__detainee=detainee)
            .select_related("decided_by")
            .order_by("created_at", "pk")
        ],
        "minutes_copies": [
            {
                "conference": c.minutes.conference_id,
                "version": c.minutes.number,
                "recipient": c.participant.display_name,
                "outcome": c.get_outcome_display(),
                "reason": c.reason,
                "sha256": c.file_sha256,
            }
            for c in MinutesCopy.objects.filter(minutes__conference__detainee=detainee)
            .select_related("minutes", "participant", "participant__user")
            .order_by("minutes_id", "pk")
        ],
    }


def conferences_about(detainee_id: int) -> list[int]:
    return list(Conference.objects.filter(detainee_id=detainee_id).values_list("pk", flat=True))


def conferences_still_visible(user, ids: set[int]) -> set[int]:
    """Of `ids`, the conferences `user` may still open (a partner loses them with the consent)."""
    return set(Conference.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def register() -> None:
    from notifications.subjects import register_detainee_objects, register_recipient_check

    register_participant(
        PrivacyParticipant(
            name="casusoverleg",
            anonymise=anonymise_conferences,
            export=export_conferences,
            closure=conference_closure,
            order=30,
        )
    )
    register_detainee_objects("casusoverleg.conference", conferences_about)
    for kind in ("conference_invitation", "conference_upcoming", "minutes_draft_due"):
        register_recipient_check(kind, conferences_still_visible)
    # An overdue conference action reminds its owner while he may still see it (ADR 0034).
    from .reminders import conference_actions_still_owned

    register_recipient_check("conference_action_overdue", conference_actions_still_owned)
