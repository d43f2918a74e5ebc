"""Reads across models: scheduling proposals, double-booking, the generated agenda, calendar events.

Proposals are computed on read from the detainee's current dates, so a changed detention date needs
no push from casework (which may not import this app): the next read proposes the new date, and a
confirmed conference whose stored `proposed_for` differs from the recomputed proposal is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.display import local_date
from accounts.models import User
from casework.models import Detainee
from trajectories.models import ActionUpdate

from .models import (
    DEFAULT_CADENCE_MONTHS,
    PRE_LEAVE_MONTHS_BEFORE,
    AgendaItem,
    CadenceRule,
    Conference,
    Decision,
    Minutes,
    MinutesAction,
    Participant,
)

# --- Scheduling rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    detainee: Detainee
    kind: str
    proposed_for: dt.date
    overdue: bool
    reason: str


@dataclass(frozen=True)
class DateFlag:
    conference_id: int
    planned_for: dt.date
    now_proposed_for: dt.date
    message: str


def cadence_months(detainee: Detainee, prison_rules: dict[int, int] | None = None) -> int:
    """The periodic cadence for this detainee: own override, else the prison's, else 3 months."""
    try:
        # Cached (also as "none") when the caller selected `conference_cadence`.
        return detainee.conference_cadence.months
    except CadenceRule.DoesNotExist:
        pass
    if detainee.current_prison_id is None:
        # Without a prison there is no prison rule (the rows without a prison are other detainees' own cadences).
        return DEFAULT_CADENCE_MONTHS
    if prison_rules is None:
        prison_rules = dict(
            CadenceRule.objects.filter(prison_id=detainee.current_prison_id).values_list("prison_id", "months")
        )
    return prison_rules.get(detainee.current_prison_id, DEFAULT_CADENCE_MONTHS)


# What to select with a detainee (or `detainee__…` with a conference) so that its cadence costs no query.
CADENCES = ("conference_cadence", "current_prison__conference_cadence")


def _selected_prison_rules(detainee: Detainee) -> dict[int, int]:
    """The cadence of the detainee's prison from `current_prison__conference_cadence`, selected with it."""
    if detainee.current_prison_id is None or detainee.current_prison is None:
        return {}
    try:
        return {detainee.current_prison_id: detainee.current_prison.conference_cadence.months}
    except CadenceRule.DoesNotExist:
        return {}


def pre_leave_date(detainee: Detainee) -> dt.date | None:
    """A pre_leave conference is held three months before the leave eligibility date."""
    if detainee.leave_eligible_on is None:
        return None
    return detainee.leave_eligible_on - relativedelta(months=PRE_LEAVE_MONTHS_BEFORE)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def periodic_due(
    detainee: Detainee, conferences: list[Conference], months: int, *, before: dt.datetime | None = None
) -> dt.date | None:
    """When the next periodic conference is due: `months` after the latest active conference (before
    `before`, if given), or after incarceration when there was none."""
    held = [c for c in conferences if not c.is_cancelled and (before is None or c.starts_at < before)]
    if held:
        return _local_date(max(c.starts_at for c in held)) + relativedelta(months=months)
    if detainee.incarcerated_on:
        return detainee.incarcerated_on + relativedelta(months=months)
    return None


def first_working_day(day: dt.date) -> dt.date:
    """`day`, or the Monday after it when it falls in a weekend: an overdue conference is proposed for
    the first day it can be held, and prisons do not hold case conferences at weekends."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def proposals_for(
    detainee: Detainee, conferences: list[Conference], *, months: int, today: dt.date | None = None
) -> list[Proposal]:
    """The conferences the rules propose for one detainee, given all their conferences."""
    today = today or timezone.localdate()
    if detainee.released_on and detainee.released_on <= today:
        return []
    now = timezone.now()
    active = [c for c in conferences if not c.is_cancelled]
    proposals = []
    if not any(c.starts_at >= now for c in active):
        due = periodic_due(detainee, conferences, months)
        if due is not None:
            proposals.append(
                Proposal(
                    detainee,
                    Conference.Kind.PERIODIC,
                    max(due, first_working_day(today)),
                    due < today,
                    _("Periodiek overleg (elke %(months)s maanden)") % {"months": months},
                )
            )
    pre_leave = pre_leave_date(detainee)
    if (
        pre_leave
        and detainee.leave_eligible_on
        and detainee.leave_eligible_on > today
        and not any(c.kind == Conference.Kind.PRE_LEAVE for c in active)
    ):
        proposals.append(
            Proposal(
                detainee,
                Conference.Kind.PRE_LEAVE,
                max(pre_leave, first_working_day(today)),
                pre_leave < today,
                _("Drie maanden vóór de toelaatbaarheid tot penitentiair verlof (%(date)s)")
                % {"date": local_date(detainee.leave_eligible_on)},
            )
        )
    return proposals


def date_flags(detainee: Detainee, conferences: list[Conference], *, months: int) -> list[DateFlag]:
    """Planned conferences whose rule date changed since they were confirmed (flagged, never moved)."""
    flags = []
    now = timezone.now()
    today = timezone.localdate()
    for conference in conferences:
        if (
            conference.status != Conference.Status.PLANNED
            or conference.proposed_for is None
            or conference.starts_at < now
        ):
            continue
        if conference.kind == Conference.Kind.PRE_LEAVE:
            expected = pre_leave_date(detainee)
        elif conference.kind == Conference.Kind.PERIODIC:
            expected = periodic_due(detainee, conferences, months, before=conference.starts_at)
        else:
            continue
        if expected is None:
            continue
        # An overdue rule date was proposed as the first working day from the day of planning: compare
        # like with like, or every conference planned for an overdue rule would be flagged at once.
        planned_on = _local_date(conference.created_at) if conference.created_at else today
        if max(expected, first_working_day(planned_on)) == conference.proposed_for:
            continue
        # What is proposed now is never in the past, and a meeting already on that day needs no move.
        suggested = max(expected, first_working_day(today))
        if suggested == _local_date(conference.starts_at):
            continue
        flags.append(
            DateFlag(
                conference.pk,
                conference.proposed_for,
                suggested,
                _(
                    "De regel stelt nu %(new)s voor (bij het plannen: %(old)s). Verplaats het overleg of bevestig de datum."
                )
                % {"new": local_date(suggested), "old": local_date(conference.proposed_for)},
            )
        )
    return flags


def conference_proposals_recompute(
    *, detainee: Detainee, today: dt.date | None = None, refresh: bool = True
) -> tuple[list[Proposal], list[DateFlag]]:
    """Proposals and flags for one detainee from the current dates (three queries).

    `refresh=False` takes `detainee` as given, for a page that fetched it in this request with
    `CADENCES` selected: one query (the detainee's conferences).
    """
    if refresh:
        detainee = Detainee.objects.select_related("conference_cadence").get(pk=detainee.pk)
    conferences = list(Conference.objects.filter(detainee=detainee))
    months = cadence_months(detainee, _selected_prison_rules(detainee) if not refresh else None)
    return proposals_for(detainee, conferences, months=months, today=today), date_flags(
        detainee, conferences, months=months
    )


def planning_proposals(
    detainees: Iterable[Detainee], *, today: dt.date | None = None
) -> tuple[list[Proposal], dict[int, DateFlag]]:
    """Proposals for many detainees (the director's planning) in three queries, whatever their number.

    `detainees` must come with `conference_cadence` selected (see `planning_detainees`).
    """
    detainees = list(detainees)
    prison_ids = {d.current_prison_id for d in detainees if d.current_prison_id is not None}
    prison_rules = dict(CadenceRule.objects.filter(prison_id__in=prison_ids).values_list("prison_id", "months"))
    by_detainee: dict[int, list[Conference]] = defaultdict(list)
    for conference in Conference.objects.filter(detainee__in=[d.pk for d in detainees]).order_by("starts_at"):
        by_detainee[conference.detainee_id].append(conference)
    proposals: list[Proposal] = []
    flags: dict[int, DateFlag] = {}
    for detainee in detainees:
        months = cadence_months(detainee, prison_rules)
        conferences = by_detainee[detainee.pk]
        proposals += proposals_for(detainee, conferences, months=months, today=today)
        flags.update({flag.conference_id: flag for flag in date_flags(detainee, conferences, months=months)})
    return sorted(proposals, key=lambda p: (p.proposed_for, p.detainee.last_name)), flags


def planning_detainees(user: User) -> list[Detainee]:
    """Detainees in scope placed in the director's prisons, with their cadence override (one query)."""
    return list(
        Detainee.objects.filter(current_prison__directors=user, in_scope=True, released_on__isnull=True).select_related(
            "current_prison", "conference_cadence"
        )
    )


# --- Double booking -------------------------------------------------------------------------------------


@dataclass
class Clash:
    conference_id: int
    other_id: int
    other_starts_at: dt.datetime
    reasons: list[str] = field(default_factory=list)


def _participant_keys(participants: Iterable[Participant]) -> dict[str, str]:
    keys = {}
    for p in participants:
        if p.user_id:
            keys[f"user:{p.user_id}"] = p.display_name
        elif p.email:
            keys[f"email:{p.email.lower()}"] = p.display_name
    return keys


def clashes_for(conferences: list[Conference]) -> dict[int, list[Clash]]:
    """Double bookings of the same participant or room for each of `conferences` (two queries).

    A clash is a warning shown to the director, not a refusal: the same consultant may join two
    conferences back to back, and only a human can tell whether an overlap is real.
    """
    conferences = [c for c in conferences if not c.is_cancelled]
    if not conferences:
        return {}
    start = min(c.starts_at for c in conferences)
    end = max(c.ends_at for c in conferences)
    others = list(
        Conference.objects.active()
        .between(start, end)
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("user")))
    )
    keys = {c.pk: _participant_keys(c.participants.all()) for c in others}
    by_id = {c.pk: c for c in others}
    result: dict[int, list[Clash]] = {}
    for conference in conferences:
        mine = by_id.get(conference.pk, conference)
        my_keys = keys.get(mine.pk, {})
        for other in others:
            if other.pk == mine.pk or not (other.starts_at < mine.ends_at and other.ends_at > mine.starts_at):
                continue
            clash = Clash(mine.pk, other.pk, other.starts_at)
            for key in sorted(set(my_keys) & set(keys[other.pk])):
                clash.reasons.append(
                    _("%(name)s is dan ook uitgenodigd voor een ander overleg") % {"name": my_keys[key]}
                )
            if (
                mine.location
                and other.prison_id == mine.prison_id
                and other.location.strip().lower() == mine.location.strip().lower()
            ):
                clash.reasons.append(_("Lokaal %(room)s is dan al bezet") % {"room": mine.location})
            if clash.reasons:
                result.setdefault(mine.pk, []).append(clash)
    return result


# --- Pages -----------------------------------------------------------------------------------------------


class ConferenceContent(TypedDict):
    """What `conference_for_page` gives the conference page besides the conference."""

    participants: list[Participant]
    agenda: list[AgendaItem]
    versions: list[Minutes]
    basis_warnings: list[str]


class MinutesDetail(TypedDict):
    """One minutes version's content as `minutes_detail` reads it: notes by agenda item, decisions, actions."""

    notes: dict[int, str]
    decisions: list[Decision]
    actions: Sequence[MinutesAction]  # annotated with what their owners reported


def conference_for_page(conference: Conference, user: User | None = None) -> ConferenceContent:
    """What the conference page shows besides the conference itself, in a fixed number of queries.

    With `user`, only the minutes versions he may read: a draft only for those with the rule
    `casusoverleg.view_draft_minutes` (the prison's directors, the file's case staff), the approved ones for
    everyone else who sees the conference (an invited partner)."""
    from .basis import conference_basis_warnings, participants_with_basis

    # Each participant's basis as it is now (two queries: the consents for a conference, the prison's directors).
    participants = participants_with_basis(
        conference, list(conference.participants.select_related("user", "user__organisation", "organisation"))
    )
    agenda = list(conference.agenda_items.all())
    versions = conference.minutes_versions.select_related("approved_by", "last_edited_by").order_by("number")
    if user is not None and not user.has_perm("casusoverleg.view_draft_minutes", conference):
        versions = versions.filter(status=Minutes.Status.APPROVED)
    # Who has no basis is the conference's own business: its direction and case staff see it, an invited partner
    # (who only ever sees participants with a basis, himself included) does not learn who lacks a consent.
    warnings = (
        conference_basis_warnings(conference, participants)
        if user is None or user.has_perm("casusoverleg.view_draft_minutes", conference)
        else []
    )
    return {"participants": participants, "agenda": agenda, "versions": list(versions), "basis_warnings": warnings}


def minutes_detail(minutes: Minutes) -> MinutesDetail:
    """Notes per agenda item, decisions and actions of one minutes version, with the owners' updates (four
    queries)."""
    notes = {n.agenda_item_id: n.text for n in minutes.item_notes.all()}
    decisions = list(minutes.decisions.all())
    # With what each owner reported on his action (ADR 0034), so the team sees who did what: read in the same
    # query as the actions (an array of JSON rows per action), so the page stays within its query budget.
    reported = (
        ActionUpdate.objects.filter(action_id=OuterRef("action_id"))
        .order_by("created_at", "pk")
        .values(
            row=JSONObject(
                created_at="created_at",
                kind="kind",
                note="note",
                first_name="author__first_name",
                last_name="author__last_name",
                username="author__username",
            )
        )
    )
    actions = list(
        minutes.actions.select_related("owner_user", "owner_organisation", "action").annotate(
            reported=ArraySubquery(reported)
        )
    )
    for action in actions:
        action.updates = [_update_row(row) for row in action.reported or []]
    return {"notes": notes, "decisions": decisions, "actions": actions}


def _update_row(row: dict[str, Any]) -> ActionUpdate:
    """An owner's update as read by `minutes_detail` (unsaved: for display only)."""
    created_at = parse_datetime(row["created_at"])
    assert created_at is not None  # a NOT NULL column, read back as ISO text
    return ActionUpdate(
        created_at=created_at,
        kind=row["kind"],
        note=row["note"] or "",
        author=User(
            first_name=row["first_name"] or "", last_name=row["last_name"] or "", username=row["username"] or ""
        ),
    )
