"""Actions agreed at a case conference, as their owners see them (ADR 0034): the owner's list ("my actions"),
what of the file he may learn, and the access function for one action.

An owner is the user named on the action, or, for an action owned by an organisation without a named person, a
partner of that organisation. A partner sees his conference actions only while his organisation holds an active
consent with purpose conference for the detainee, or while the conference rests on art. 458ter; the detainee's
name only with consent scope identity. Without either the action does not exist for him (404), and counts,
notifications and the agenda say nothing of it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from casework.models import Basis, Consent, Purpose, Scope, consent_condition
from casework.permissions import directed_prison_ids
from trajectories.models import Action, ActionUpdate

from .models import Conference, Minutes, MinutesAction

# Done actions stay on the owner's list this long, so he sees that his update arrived.
DONE_SHOWN_DAYS = 30


def _first_conference():
    """The conference an action came from: the earliest approved minutes that agreed it."""
    return Subquery(
        MinutesAction.objects.filter(action_id=OuterRef("pk"), minutes__status=Minutes.Status.APPROVED)
        .order_by("minutes__conference__starts_at", "minutes__number")
        .values("minutes__conference_id")[:1]
    )


def _owned_by(user: User) -> Q:
    named = Q(owner_user_id=user.pk)
    if user.is_partner and user.organisation_id:
        return named | Q(owner_user__isnull=True, owner_organisation_id=user.organisation_id)
    return named


def _partner_may_see(user: User) -> Q:
    """A consent of the partner's organisation sharing the minutes for the conference (an action is part of
    them), or the art. 458ter basis."""
    consent = Exists(
        Consent.objects.active().filter(
            consent_condition(purpose=Purpose.CONFERENCE, scope=Scope.MINUTES),
            detainee_id=OuterRef("detainee_id"),
            organisation_id=user.organisation_id,
        )
    )
    art458ter = Exists(Conference.objects.filter(pk=OuterRef("conference_id"), basis=Basis.ART458TER))
    return Q(consent) | Q(art458ter)


def owned_actions(user: User):
    """The conference actions `user` owns and may act on, annotated with `conference_id` (and, for a partner,
    `identity_shared`). Directors: their own; case staff: their own on their organisation's files."""
    if (
        not user.is_authenticated
        or not user.is_active
        or not (user.is_partner or user.is_director or user.is_case_staff)
    ):
        return Action.objects.none()
    qs = (
        Action.objects.filter(source_kind=Action.SourceKind.CONFERENCE_DECISION)
        .filter(_owned_by(user))
        .annotate(conference_id=_first_conference())
        .filter(conference_id__isnull=False)
    )
    if user.is_partner:
        if not user.organisation_id:
            return Action.objects.none()
        qs = qs.filter(_partner_may_see(user)).annotate(
            identity_shared=Exists(
                Consent.objects.active().filter(
                    consent_condition(purpose=Purpose.CONFERENCE, scope=Scope.IDENTITY),
                    detainee_id=OuterRef("detainee_id"),
                    organisation_id=user.organisation_id,
                )
            )
        )
    elif user.is_case_staff:
        qs = qs.filter(detainee__organisation_id=user.organisation_id)
    return qs


def my_actions(user: User, *, today: dt.date | None = None) -> list[Action]:
    """The owner's open actions (by due date) and those done in the last 30 days. Three queries whatever the
    number: the actions with their file and conference, the updates with their authors, the prisons the user
    directs (directors only)."""
    today = today or timezone.localdate()
    since = timezone.now() - dt.timedelta(days=DONE_SHOWN_DAYS)
    rows = list(
        owned_actions(user)
        .filter(Q(status=Action.ActionStatus.OPEN) | Q(status=Action.ActionStatus.DONE, completed_at__gte=since))
        .select_related("detainee", "owner_organisation", "owner_user")
        .prefetch_related(Prefetch("owner_updates", queryset=ActionUpdate.objects.select_related("author")))
        .order_by("status", "due_on", "pk")
    )
    conferences = {
        c.pk: c
        for c in Conference.objects.filter(pk__in={a.conference_id for a in rows})
        .select_related("prison")
        .only("pk", "starts_at", "kind", "basis", "prison__name")
    }
    directed = directed_prison_ids(user) if user.is_director else frozenset()
    for action in rows:
        action.conference = conferences.get(action.conference_id)
        action.shows_identity = _shows_identity(user, action, directed)
        action.is_overdue = (
            action.status == Action.ActionStatus.OPEN and action.due_on is not None and action.due_on < today
        )
    return rows


def _shows_identity(user: User, action: Action, directed) -> bool:
    if user.is_case_staff:
        return True
    if user.is_director:
        return action.detainee.current_prison_id in directed
    return bool(getattr(action, "identity_shared", False))


def get_owned_action_for_user(user: User, pk) -> Action:
    """The conference action `user` owns and may act on, else Http404 (an action of someone else, or one whose
    consent was withdrawn, does not exist for him)."""
    try:
        return owned_actions(user).select_related("detainee").get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
