"""Object rules of trajectories (docs/design.md §4), as django-rules predicates on a Trajectory.

One condition per predicate. Querysets express the same rules in `models.py` (`visible_to`);
`access.py` turns both into 404s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from casework.models import CASEWORK_PURPOSES, Scope
from casework.permissions import (
    consent_grants,
    directed_prison_ids,
    is_case_staff,
    is_consultant,
    is_director,
    is_manager,
    is_partner,
)

if TYPE_CHECKING:
    from accounts.models import User
    from casework.models import Detainee

    from .models import Trajectory


@rules.predicate
def same_organisation(user: User, trajectory: Trajectory | None) -> bool:
    """The trajectory's file belongs to the user's organisation."""
    return (
        trajectory is not None
        and user.organisation_id is not None
        and trajectory.detainee.organisation_id == user.organisation_id
    )


@rules.predicate
def directs_prison(user: User, trajectory: Trajectory | None) -> bool:
    """The detainee is placed in a prison this director runs."""
    return trajectory is not None and trajectory.detainee.current_prison_id in directed_prison_ids(user)


def consent_covers(scope: str) -> rules.Predicate:
    @rules.predicate(name=f"trajectory_consent_covers_{scope}")
    def predicate(user: User, trajectory: Trajectory | None) -> bool:
        return trajectory is not None and consent_grants(
            user, trajectory.detainee_id, purpose=CASEWORK_PURPOSES, scope=scope
        )

    return predicate


@rules.predicate
def is_open(user: User, trajectory: Trajectory | None) -> bool:
    return trajectory is not None and trajectory.is_open


consent_goals = consent_covers(Scope.TRAJECTORY_GOALS)
consent_assessments = consent_covers(Scope.ASSESSMENTS)
case_staff_of_file = is_case_staff & same_organisation

# Status and lead consultant: everyone who may see the trajectory at all.
rules.add_perm(
    "trajectories.view_status", case_staff_of_file | (is_director & directs_prison) | (is_partner & consent_goals)
)
# The content (explorations, goals, reviews, matrix, timeline of the trajectory).
rules.add_perm("trajectories.view_content", case_staff_of_file | (is_partner & consent_goals))
# Sessions and actions stay with the case staff (session summaries have their own scope in casework).
rules.add_perm("trajectories.view_work", case_staff_of_file)
rules.add_perm("trajectories.change", (is_consultant & same_organisation) | (is_manager & same_organisation))
rules.add_perm("trajectories.assign", is_manager & same_organisation)
rules.add_perm("trajectories.view_assessments", case_staff_of_file | (is_partner & consent_assessments))
# Directors see the overall judgement of assessments only.
rules.add_perm(
    "trajectories.view_assessment_judgement",
    case_staff_of_file | (is_director & directs_prison) | (is_partner & consent_assessments),
)
rules.add_perm("trajectories.refer", is_case_staff)
rules.add_perm("trajectories.view_inbox", is_manager)

# --- On the detainee's file (the "Traject" tab) ------------------------------------------------------


@rules.predicate
def file_of_own_organisation(user: User, detainee: Detainee | None) -> bool:
    return (
        detainee is not None and user.organisation_id is not None and detainee.organisation_id == user.organisation_id
    )


@rules.predicate
def directs_files_prison(user: User, detainee: Detainee | None) -> bool:
    return detainee is not None and detainee.current_prison_id in directed_prison_ids(user)


@rules.predicate
def file_consent_goals(user: User, detainee: Detainee | None) -> bool:
    return detainee is not None and consent_grants(
        user, detainee.pk, purpose=CASEWORK_PURPOSES, scope=Scope.TRAJECTORY_GOALS
    )


rules.add_perm(
    "trajectories.view_file_tab",
    (is_case_staff & file_of_own_organisation)
    | (is_director & directs_files_prison)
    | (is_partner & file_consent_goals),
)
rules.add_perm("trajectories.refer_detainee", is_case_staff & file_of_own_organisation)

# The file's referrals to partners (ADR 0034): the case staff of the file; a partner reads his own organisation's
# referrals through his inbox (PartnerReferral.objects.visible_to), never the file's list.
rules.add_perm("trajectories.view_file_referrals", is_case_staff & file_of_own_organisation)
