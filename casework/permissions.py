"""Object rules of the case file (docs/design.md §4), as django-rules predicates.

One condition per predicate, so every branch shows in coverage. Querysets express the same
rules in `models.py` (`visible_to`); `access.py` turns both into 404s for views.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import rules
from django.db.models import prefetch_related_objects

from accounts.memo import remembered
from accounts.permissions import is_admin_role  # noqa: F401  (one definition; the admin role's rules live there)
from config.db_router import primary_reads

from .models import CASEWORK_PURPOSES, Consent, Prison, Scope, consent_grants_row

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Detainee, Session

# One purpose of a consent, or any of several.
Purposes = str | Iterable[str]


def directed_prison_ids(user: User) -> frozenset[int]:
    """The prisons this user directs: one query, remembered for the request (accounts/memo.py). An access
    decision: read on the primary even inside a report (config/db_router.py)."""

    def compute() -> frozenset[int]:
        with primary_reads():
            return frozenset(
                Prison.directors.through.objects.filter(user_id=user.pk).values_list("prison_id", flat=True)
            )

    return remembered(user, ("directed_prison_ids",), compute)


def _consent_rows(user: User, detainee_id: int | None) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(purposes, scopes) of each active consent of the user's organisation for this detainee: one query per
    file, remembered for the request, whichever purposes and scopes the page's rules ask about."""
    organisation_id = user.organisation_id
    if detainee_id is None or organisation_id is None:
        return ()

    def compute() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        rows = Consent.objects.active().filter(detainee_id=detainee_id, organisation_id=organisation_id)
        return tuple((tuple(purposes), tuple(scopes)) for purposes, scopes in rows.values_list("purposes", "scopes"))

    return remembered(user, ("consent_rows", detainee_id), compute)


def consent_grants(user: User, detainee_id: int | None, *, purpose: Purposes, scope: str) -> bool:
    """THE predicate of a partner's access (ADR 0033): an active consent of the user's organisation shares
    `scope` of this detainee for `purpose` (one purpose, or any of several). Pages, API, PDFs, mails,
    calendars, reminders and exports ask this (or its queryset twin `casework.models.consent_exists`)."""
    return any(
        consent_grants_row(purposes, scopes, purpose=purpose, scope=scope)
        for purposes, scopes in _consent_rows(user, detainee_id)
    )


def consent_scopes(user: User, detainee_id: int | None, *, purpose: Purposes = CASEWORK_PURPOSES) -> frozenset[str]:
    """The scopes active consents of the user's organisation share for this detainee for `purpose`."""
    return frozenset(
        scope
        for purposes, scopes in _consent_rows(user, detainee_id)
        if set(purposes) & set(_purpose_set(purpose))
        for scope in scopes
    )


def _purpose_set(purpose: Purposes) -> tuple[str, ...]:
    return (str(purpose),) if isinstance(purpose, str) else tuple(str(p) for p in purpose)


# --- Roles ----------------------------------------------------------------------------------

is_consultant = rules.predicate(lambda user: user.is_authenticated and user.is_consultant, name="is_consultant")
is_manager = rules.predicate(lambda user: user.is_authenticated and user.is_manager, name="is_manager")
is_director = rules.predicate(lambda user: user.is_authenticated and user.is_director, name="is_director")
is_partner = rules.predicate(lambda user: user.is_authenticated and user.is_partner, name="is_partner")
is_dpo = rules.predicate(lambda user: user.is_authenticated and user.is_dpo, name="is_dpo")
is_case_staff = is_consultant | is_manager


# --- Relations to a detainee -------------------------------------------------------------------


@rules.predicate
def same_organisation(user: User, detainee: Detainee | None) -> bool:
    """The file belongs to the user's organisation's caseload."""
    return (
        detainee is not None and user.organisation_id is not None and detainee.organisation_id == user.organisation_id
    )


@rules.predicate
def directs_detainees_prison(user: User, detainee: Detainee | None) -> bool:
    """The detainee is placed in a prison this director runs."""
    return detainee is not None and detainee.current_prison_id in directed_prison_ids(user)


@rules.predicate
def is_lead_consultant(user: User, detainee: Detainee | None) -> bool:
    return detainee is not None and detainee.lead_consultant_id == user.pk


@rules.predicate
def is_co_consultant(user: User, detainee: Detainee | None) -> bool:
    if detainee is None:
        return False
    # Load the case team as a prefetch (unless a list already prefetched it, as the API sessions do): the file
    # header lists the same co-consultants, and every later rule on this file asks without a query. Changing
    # the team through the related manager (`set`, `add`, `remove`) drops the prefetch.
    prefetch_related_objects([detainee], "co_consultants")
    return any(member.pk == user.pk for member in detainee.co_consultants.all())


def consent_covers(scope: str, *, purpose: Purposes = CASEWORK_PURPOSES) -> rules.Predicate:
    """A predicate: an active consent of the user's organisation shares `scope` of this detainee for
    `purpose` (by default the partner's own work with the file: ADR 0033)."""

    @rules.predicate(name=f"consent_covers_{scope}")
    def predicate(user: User, detainee: Detainee | None) -> bool:
        return detainee is not None and consent_grants(user, detainee.pk, purpose=purpose, scope=scope)

    return predicate


consent_identity = consent_covers(Scope.IDENTITY, purpose=CASEWORK_PURPOSES)
consent_session_summaries = consent_covers(Scope.SESSION_SUMMARIES, purpose=CASEWORK_PURPOSES)

case_staff_of_file = is_case_staff & same_organisation
case_team_member = is_consultant & same_organisation & (is_lead_consultant | is_co_consultant)

# --- Rules ------------------------------------------------------------------------------------------

rules.add_perm(
    "casework.view_detainee",
    case_staff_of_file | (is_director & directs_detainees_prison) | (is_partner & consent_identity),
)
rules.add_perm("casework.change_detainee", case_staff_of_file)
rules.add_perm("casework.view_sessions", case_staff_of_file | (is_partner & consent_session_summaries))
rules.add_perm("casework.log_session", is_consultant & same_organisation)
# Confidential notes never leave the consultant team: lead, co-consultants and their manager.
rules.add_perm("casework.view_confidential", case_team_member | (is_manager & same_organisation))
rules.add_perm("casework.view_network", case_staff_of_file)
rules.add_perm("casework.change_network", case_staff_of_file)
rules.add_perm("casework.view_listings", case_staff_of_file | (is_director & directs_detainees_prison))
rules.add_perm("casework.view_consents", case_staff_of_file)
rules.add_perm("casework.change_consents", case_staff_of_file)
rules.add_perm("casework.view_history", case_staff_of_file)
rules.add_perm("casework.import_detainees", is_manager)
# Merging two files of one person (ADR 0032): the manager of the files' organisation.
rules.add_perm("casework.merge_detainee", is_manager & same_organisation)
rules.add_perm("casework.create_detainee", is_case_staff)
rules.add_perm("casework.view_caseload", is_case_staff | is_director | is_partner)

# --- Sessions and the case team ------------------------------------------------------------------


@rules.predicate
def session_in_own_organisation(user: User, session: Session | None) -> bool:
    return (
        session is not None
        and user.organisation_id is not None
        and session.detainee.organisation_id == user.organisation_id
    )


@rules.predicate
def is_session_author(user: User, session: Session | None) -> bool:
    return session is not None and session.author_id == user.pk


@rules.predicate
def leads_sessions_file(user: User, session: Session | None) -> bool:
    return session is not None and session.detainee.lead_consultant_id == user.pk


# A logged session is corrected by its author or by the file's lead consultant (the history keeps the old text).
rules.add_perm(
    "casework.change_session", is_consultant & session_in_own_organisation & (is_session_author | leads_sessions_file)
)
# The manager decides who follows a file.
rules.add_perm("casework.set_case_team", is_manager & same_organisation)

# --- Data protection (casework/privacy) ---------------------------------------------------------------
# The disclosure log of a file is read by its case staff; every log, retention and the subject-access
# export belong to the dpo, who never sees case content otherwise.
rules.add_perm("casework.view_disclosures", case_staff_of_file)
rules.add_perm("casework.review_logs", is_dpo)
rules.add_perm("casework.run_retention", is_dpo)
rules.add_perm("casework.export_subject_access", is_dpo)
