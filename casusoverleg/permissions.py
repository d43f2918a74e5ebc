"""Object rules of case conferences (docs/design.md §4), as django-rules predicates on a Conference.

One condition per predicate. `ConferenceQuerySet.visible_to` expresses the same rules for lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from casework.models import Basis, Purpose, Scope
from casework.permissions import consent_grants, directed_prison_ids, is_case_staff, is_director, is_partner

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Conference


def _participant_roles(conference: Conference) -> dict[int, str]:
    cached = getattr(conference, "_participant_roles", None)
    if cached is None:
        cached = dict(conference.participants.filter(user__isnull=False).values_list("user_id", "role"))
        conference._participant_roles = cached
    return cached


@rules.predicate
def directs_conference_prison(user: User, conference: Conference | None) -> bool:
    """The conference takes place in a prison this director runs."""
    return conference is not None and conference.prison_id in directed_prison_ids(user)


@rules.predicate
def conference_in_own_organisation(user: User, conference: Conference | None) -> bool:
    return (
        conference is not None
        and user.organisation_id is not None
        and conference.detainee.organisation_id == user.organisation_id
    )


@rules.predicate
def is_invited(user: User, conference: Conference | None) -> bool:
    return conference is not None and user.pk in _participant_roles(conference)


@rules.predicate
def consent_covers_minutes(user: User, conference: Conference | None) -> bool:
    """An active consent of the user's organisation shares this detainee's minutes for a conference (ADR 0033:
    a consent for research or a referral with scope minutes does not open a conference)."""
    return conference is not None and consent_grants(
        user, conference.detainee_id, purpose=Purpose.CONFERENCE, scope=Scope.MINUTES
    )


@rules.predicate
def rests_on_art458ter(user: User, conference: Conference | None) -> bool:
    return conference is not None and conference.basis == Basis.ART458TER


@rules.predicate
def is_chair(user: User, conference: Conference | None) -> bool:
    return conference is not None and conference.chair_id == user.pk


@rules.predicate
def is_minute_taker(user: User, conference: Conference | None) -> bool:
    return conference is not None and _participant_roles(conference).get(user.pk) == "minute_taker"


@rules.predicate
def is_organiser(user: User) -> bool:
    return user.is_authenticated and user.is_organiser


@rules.predicate
def organises_outside_meeting(user: User, conference: Conference | None) -> bool:
    """He chairs this meeting outside detention (docs/adr/0041)."""
    return conference is not None and conference.is_outside and conference.chair_id == user.pk


@rules.predicate
def meeting_basis_holds(user: User, conference: Conference | None) -> bool:
    """The organiser's basis now: the court's mandate recorded on the meeting, or a consent in force of his
    organisation for a conference with scope minutes (the same condition as `organiser_meeting_condition`)."""
    if conference is None:
        return False
    if conference.basis == Basis.COURT_MANDATE and conference.mandate_reference:
        return True
    return consent_grants(user, conference.detainee_id, purpose=Purpose.CONFERENCE, scope=Scope.MINUTES)


@rules.predicate
def receives_transfer(user: User, conference: Conference | None) -> bool:
    """The conference was flagged by a transfer into a prison this director runs (ADR 0040)."""
    if conference is None:
        return False
    directed = directed_prison_ids(user)
    return bool(directed) and conference.transfer_flags.filter(placement__prison_id__in=directed).exists()


prison_director = is_director & directs_conference_prison
# The organiser of a meeting outside detention holds there what a director holds in his prison, on a basis.
meeting_organiser = is_organiser & organises_outside_meeting & meeting_basis_holds

rules.add_perm(
    "casusoverleg.view_conference",
    prison_director
    | (is_director & receives_transfer)
    | meeting_organiser
    | (is_case_staff & conference_in_own_organisation)
    | (is_partner & is_invited & (consent_covers_minutes | rests_on_art458ter)),
)
# Scheduling, moving, cancelling, participants and agenda: the directors of the prison (the organiser outside).
rules.add_perm("casusoverleg.change_conference", prison_director | meeting_organiser)
# Draft minutes are not yet the minutes: until the chair approves them they stay with the prison's directors and
# the case staff of the file's organisation. Everyone else who sees the conference (an invited partner) reads the
# approved versions only (ADR 0005, "Who reads a draft").
rules.add_perm(
    "casusoverleg.view_draft_minutes",
    prison_director | meeting_organiser | (is_case_staff & conference_in_own_organisation),
)
# Minutes are written by the prison's directors or the appointed minute taker (a user participant).
rules.add_perm(
    "casusoverleg.edit_minutes",
    prison_director | meeting_organiser | (is_minute_taker & (is_case_staff & conference_in_own_organisation)),
)
# Only the chair approves (and opens a correction).
rules.add_perm("casusoverleg.approve_minutes", is_chair & (~is_organiser | meeting_basis_holds))
# The conference's decision on a referral's priority: recorded by its chair, or by whoever keeps its minutes.
rules.add_perm(
    "casusoverleg.set_referral_priority",
    is_chair | prison_director | (is_minute_taker & (is_case_staff & conference_in_own_organisation)),
)
rules.add_perm("casusoverleg.schedule_conference", is_director)
# Meetings outside detention (LIVC, justice house) are planned by their organiser (docs/adr/0041).
rules.add_perm("casusoverleg.schedule_meeting", is_organiser)

# The conferences tab of a detainee's file (predicate on the detainee): the case staff and the directors of his prison.
from casework.permissions import case_staff_of_file, directs_detainees_prison  # noqa: E402

rules.add_perm("casusoverleg.view_file_conferences", case_staff_of_file | (is_director & directs_detainees_prison))
