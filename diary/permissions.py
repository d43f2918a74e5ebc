"""django-rules predicates of the diary: the same rules per object as `PlannedContact.objects.visible_to`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from casework.permissions import case_team_member, is_consultant

if TYPE_CHECKING:
    from accounts.models import User

    from .models import PlannedContact


@rules.predicate
def plans_it(user: User, contact: PlannedContact | None) -> bool:
    """The user planned this contact."""
    return contact is not None and contact.consultant_id == user.pk


@rules.predicate
def file_still_on_caseload(user: User, contact: PlannedContact | None) -> bool:
    """The contact's file is still on the user's own caseload (lead or co-consultant, same organisation)."""
    return contact is not None and case_team_member(user, contact.detainee)


# Plan a contact with a detainee: a consultant of the file's case team (docs/design.md §4).
rules.add_perm("diary.plan_contact", case_team_member)
rules.add_perm("diary.change_planned_contact", is_consultant & plans_it & file_still_on_caseload)
