"""Reads for the data-protection pages: retention due list, filtered disclosure and access logs, and the
subject-access lookup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import timezone

from ..models import AccessLog, AccessRefusal, Detainee, Disclosure
from ..search import rank_order
from ..validators import normalise_national_number
from .registry import participants

if TYPE_CHECKING:
    from accounts.models import Organisation, User

_Log = TypeVar("_Log", bound=Model)


@dataclass(frozen=True)
class RetentionStatus:
    detainee_id: int
    closed_on: dt.date
    due_on: dt.date
    legal_hold: bool
    legal_hold_reason: str


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def closed_files(detainee_ids: Iterable[int] | None = None, *, today: dt.date | None = None) -> list[RetentionStatus]:
    """Files no participant keeps open, with their closing date and retention due date.

    Candidates are the not yet anonymised files out of scope; each participant then answers for all of
    them at once (a fixed number of queries, whatever the number of files).
    """
    years = settings.DISENGAGE_RETENTION_YEARS
    candidates = Detainee.objects.filter(in_scope=False, anonymised_at__isnull=True)
    if detainee_ids is not None:
        candidates = candidates.filter(pk__in=list(detainee_ids))
    rows = {pk: (hold, reason) for pk, hold, reason in candidates.values_list("pk", "legal_hold", "legal_hold_reason")}
    if not rows:
        return []
    is_open: set[int] = set()
    closed_on: dict[int, dt.date] = {}
    for participant in participants():
        if participant.closure is None:
            continue
        for detainee_id, closure in participant.closure(rows.keys()).items():
            if closure.open:
                is_open.add(detainee_id)
            if closure.closed_on and (detainee_id not in closed_on or closure.closed_on > closed_on[detainee_id]):
                closed_on[detainee_id] = closure.closed_on
    statuses = [
        RetentionStatus(pk, closed_on[pk], add_years(closed_on[pk], years), hold, reason)
        for pk, (hold, reason) in rows.items()
        if pk not in is_open and pk in closed_on
    ]
    return sorted(statuses, key=lambda status: (status.due_on, status.detainee_id))


def retention_overview(*, today: dt.date | None = None) -> dict[str, list[RetentionStatus]]:
    """What the dpo sees: files due now (not on hold), on hold although due, and due within a year."""
    today = today or timezone.localdate()
    soon = add_years(today, 1)
    statuses = closed_files(today=today)
    return {
        "due": [s for s in statuses if s.due_on <= today and not s.legal_hold],
        "held": [s for s in statuses if s.legal_hold],
        "upcoming": [s for s in statuses if today < s.due_on <= soon and not s.legal_hold],
    }


def _reviewed(
    qs: QuerySet[_Log],
    *,
    time_field: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    **equal: object,
) -> QuerySet[_Log]:
    """A log with the dpo's filters: a date range on its time field, and each given value matched exactly
    (an empty filter is no filter)."""
    if date_from:
        qs = qs.filter(**{f"{time_field}__date__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{time_field}__date__lte": date_to})
    return qs.filter(**{field: value for field, value in equal.items() if value})


def disclosures_for_review(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    detainee_id: int | None = None,
    organisation: Organisation | None = None,
    purpose: str = "",
) -> QuerySet[Disclosure]:
    """The disclosure log with the dpo's filters; one query with its users and organisations."""
    qs = Disclosure.objects.select_related("recipient_organisation", "disclosed_by").order_by("-disclosed_at", "-pk")
    return _reviewed(
        qs,
        time_field="disclosed_at",
        date_from=date_from,
        date_to=date_to,
        detainee_id=detainee_id,
        recipient_organisation=organisation,
        purpose=purpose,
    )


def access_log_for_review(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    detainee_id: int | None = None,
    user: User | None = None,
    action: str = "",
) -> QuerySet[AccessLog]:
    """Who read which file, with the dpo's filters; one query with the readers and their organisations."""
    qs = AccessLog.objects.select_related("user__organisation").order_by("-at", "-pk")
    return _reviewed(
        qs, time_field="at", date_from=date_from, date_to=date_to, detainee_id=detainee_id, user=user, action=action
    )


def refusals_for_review(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    user: User | None = None,
    route: str = "",
    object_id: str = "",
    status: int | None = None,
    bursts_only: bool = False,
) -> QuerySet[AccessRefusal]:
    """Refused accesses with the dpo's filters; one query with the accounts and their organisations."""
    qs = AccessRefusal.objects.select_related("user__organisation").order_by("-at", "-pk")
    return _reviewed(
        qs,
        time_field="at",
        date_from=date_from,
        date_to=date_to,
        user=user,
        route=route,
        object_id=object_id,
        status=status,
        burst_alert=bursts_only,
    )


# --- Subject access -----------------------------------------------------------------------------------------

SUBJECT_CANDIDATES = 20


@dataclass(frozen=True)
class SubjectLookup:
    """The file a subject-access request is about (`detainee`, when one matches), or the files that may be it,
    best match first (`candidates`, at most SUBJECT_CANDIDATES)."""

    detainee: Detainee | None
    candidates: list[Detainee]


def subject_lookup(reference: str) -> SubjectLookup:
    """Find the data subject among **all** files (the dpo answers for every file, whoever follows it; he is
    the only one who reaches this, `casework.export_subject_access`): an exact file number, national number or
    list reference first, otherwise the caseload's own search (`Detainee.objects.search`, docs/adr/0022: names
    with accents or typos, date of birth, reference prefix, national number).

    At most four queries, whatever the number of files: the exact tries (each only when the text can be one),
    then the search, with the prison of each candidate in the same query."""
    reference = (reference or "").strip()
    exact = Detainee.objects.select_related("current_prison")
    if reference.isdigit() and len(reference) < 11:
        found = exact.filter(pk=int(reference)).first()
        if found is not None:
            return SubjectLookup(found, [])
    national = normalise_national_number(reference)
    if national and national.isdigit():
        found = exact.filter(Detainee.national_number_q(national)).first()
        if found is not None:
            return SubjectLookup(found, [])
    found = exact.filter(external_ref__iexact=reference).first() if reference else None
    if found is not None:
        return SubjectLookup(found, [])
    if not reference:
        return SubjectLookup(None, [])
    matches = list(
        Detainee.objects.search(reference)
        .select_related("current_prison")
        .order_by(*rank_order("last_name", "first_name", "pk"))[: SUBJECT_CANDIDATES + 1]
    )
    if len(matches) == 1:
        return SubjectLookup(matches[0], [])
    return SubjectLookup(None, matches[:SUBJECT_CANDIDATES])
