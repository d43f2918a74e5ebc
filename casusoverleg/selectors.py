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
from typing import Any, TypedDict, cast

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Field, Max, Model, OuterRef, Prefetch, Q
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.models import User
from accounts.texts import date_part, meaning, render_parts
from casework.models import Consent, Detainee, Scope, Session
from trajectories.compartments import HEALTH_CODES
from trajectories.models import Action, ActionUpdate, Assessment, Goal, GoalReview

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


# --- Agenda generated from the case --------------------------------------------------------------------


def previous_conference(conference: Conference) -> Conference | None:
    return (
        Conference.objects.active()
        .filter(detainee_id=conference.detainee_id, starts_at__lt=conference.starts_at)
        .exclude(pk=conference.pk)
        .order_by("-starts_at")
        .first()
    )


def _d(day: dt.date | None) -> str:
    return local_date(day) if day else "—"


def generated_agenda(conference: Conference) -> list[tuple[str, str, str]]:
    """(source, title, body) of the generated agenda items in the active language (see
    `generated_agenda_parts`)."""
    return [(source, str(title), render_lines(lines)) for source, title, lines in generated_agenda_parts(conference)]


def render_lines(lines: list[object]) -> str:
    """An agenda item's body (its stored lines, accounts/texts.py trees) in the active language."""
    return "\n".join(render_parts(line) for line in lines)


def generated_agenda_parts(conference: Conference) -> list[tuple[str, object, list[object]]]:
    """(source, title, lines) of the generated agenda items, from the case as it is now: the title a lazy
    text, each line a tree of accounts/texts.py, so every reader reads the item in his own language
    while the typed parts (action and goal descriptions, names) stay as typed.

    Open actions carry over from earlier conferences; goal progress, sessions and assessments are
    counted since the previous conference (or the last 3 months when there is none). Session
    summaries are never copied: the agenda may reach partners, so it counts contacts only. For the same
    reason it never carries health content (goals and their actions in a health life domain,
    casework/compartments.py) nor the assessor's free text: an assessment shows its judgement and how
    that changed.
    """
    detainee = conference.detainee
    previous = previous_conference(conference)
    since = _local_date(previous.starts_at) if previous else _local_date(conference.starts_at) - relativedelta(months=3)
    since_label = (
        meaning(gettext_lazy("sinds het vorige overleg van %(date)s"), date=date_part(since))
        if previous
        else meaning(gettext_lazy("in de laatste drie maanden"))
    )
    items: list[tuple[str, object, list[object]]] = []

    actions = list(
        Action.objects.filter(detainee=detainee)
        .open()
        .exclude(goal__domain__code__in=HEALTH_CODES)
        .select_related("owner_user", "owner_organisation")
        .prefetch_related(Prefetch("owner_updates", queryset=ActionUpdate.objects.select_related("author")))
    )
    lines: list[object] = []
    for a in actions:
        lines.append(
            [
                "• ",
                a.description,
                " — ",
                a.owner_display,
                ", ",
                meaning(gettext_lazy("uiterlijk")),
                " ",
                date_part(a.due_on),
            ]
        )
        # What the owner reported since (ADR 0034): his latest progress note, with who and when.
        updates = list(a.owner_updates.all())
        latest = updates[-1] if updates else None
        if latest is not None and latest.note:
            lines.append(
                [
                    "  ",
                    meaning(
                        gettext_lazy("Stand van %(day)s door %(who)s:"),
                        day=date_part(_local_date(latest.created_at)),
                        who=str(latest.author),
                    ),
                    " ",
                    latest.note,
                ]
            )
    # Conference actions their owners closed since the previous conference, so the team sees them done.
    since_moment = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    done = list(
        ActionUpdate.objects.filter(
            action__detainee=detainee,
            kind=ActionUpdate.Kind.DONE,
            created_at__gte=since_moment,
            created_at__lt=conference.starts_at,
        )
        .exclude(action__goal__domain__code__in=HEALTH_CODES)
        .select_related("action", "author")
        .order_by("created_at", "pk")
    )
    for update in done:
        line: list[object] = [
            "• ",
            update.action.description,
            " — ",
            meaning(
                gettext_lazy("afgerond op %(day)s door %(who)s"),
                day=date_part(_local_date(update.created_at)),
                who=str(update.author),
            ),
        ]
        if update.note:
            line += [": ", update.note]
        lines.append(line)
    items.append(
        (
            AgendaItem.Source.ACTIONS,
            gettext_lazy("Opvolging openstaande acties"),
            lines or [meaning(gettext_lazy("Geen openstaande acties."))],
        )
    )

    goals = list(
        Goal.objects.filter(trajectory__detainee=detainee, trajectory__closed_on__isnull=True)
        .exclude(domain__code__in=HEALTH_CODES)
        .select_related("domain")
        .annotate(
            reviews_since=Count("reviews", filter=_q_reviews_since(since)),
            last_review=Max("reviews__reviewed_on"),
        )
    )
    last_progress = dict(
        GoalReview.objects.filter(goal__in=goals)
        .order_by("goal_id", "-reviewed_on", "-pk")
        .distinct("goal_id")
        .values_list("goal_id", "progress")
    )
    lines = []
    for goal in goals:
        progress = last_progress.get(goal.pk)
        progress_text = (
            meaning(gettext_lazy("voortgang %(p)s/4"), p=progress)
            if progress is not None
            else meaning(gettext_lazy("nog niet geëvalueerd"))
        )
        # A shipped domain name is a catalogue text; one the administrator typed is shown as typed.
        # `reviews_since` is annotated above; django-stubs loses annotations through a custom queryset's methods.
        lines.append(
            [
                "• ",
                {"t": goal.domain.name},
                ": ",
                goal.description,
                " (",
                _choice(Goal, "status", goal.status),
                ", ",
                progress_text,
                ", ",
                str(goal.reviews_since),  # type: ignore[attr-defined]
                " ",
                meaning(gettext_lazy("evaluatie(s)")),
                " ",
                since_label,
                ")",
            ]
        )
    items.append(
        (
            AgendaItem.Source.GOALS,
            gettext_lazy("Doelen en voortgang"),
            lines or [meaning(gettext_lazy("Nog geen doelen vastgelegd."))],
        )
    )

    since_start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    counts = dict(
        Session.objects.filter(detainee=detainee, started_at__gte=since_start, started_at__lt=conference.starts_at)
        .values_list("attendance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(counts.values())
    line = [meaning(gettext_lazy("%(n)s contactmoment(en) %(since)s"), n=total, since=since_label)]
    if total:
        line.append(": ")
        for index, (key, value) in enumerate(sorted(counts.items())):
            # A known code has a catalogue label (a dict), anything else stays as stored.
            label = (
                {**cast("dict[str, Any]", _choice(Session, "attendance", key)), "lower": True}
                if key in Session.Attendance.values
                else key
            )
            line += ([", "] if index else []) + [label, f" {value}"]
    items.append((AgendaItem.Source.SESSIONS, gettext_lazy("Contactmomenten"), [[*line, "."]]))

    dates = [
        (gettext_lazy("Toelaatbaarheid penitentiair verlof"), detainee.leave_eligible_on),
        (gettext_lazy("Toelaatbaarheid voorwaardelijke invrijheidstelling"), detainee.conditional_release_eligible_on),
        (gettext_lazy("Strafeinde"), detainee.sentence_ends_on),
    ]
    held_on = timezone.localtime(conference.starts_at).date()
    items.append(
        (
            AgendaItem.Source.DATES,
            gettext_lazy("Komende data"),
            [
                [
                    "• ",
                    meaning(label),
                    ": ",
                    date_part(day),
                    *([" (", meaning(gettext_lazy("reeds bereikt")), ")"] if day and day < held_on else []),
                ]
                for label, day in dates
            ],
        )
    )

    consents = list(Consent.objects.active().filter(detainee=detainee).select_related("organisation"))
    lines = []
    for c in consents:
        scopes: list[object] = []
        for index, scope in enumerate(c.scopes):
            scopes += ([", "] if index else []) + [meaning(Scope(scope).label) if scope in Scope.values else scope]
        lines.append(
            [
                "• ",
                str(c.organisation),
                ": ",
                *scopes,
                " (",
                meaning(gettext_lazy("sinds")),
                " ",
                date_part(c.given_on),
                ")",
            ]
        )
    basis_line = (
        meaning(
            gettext_lazy("Grondslag van dit overleg: art. 458ter Sw., machtiging %(ref)s"),
            ref=conference.authorisation_reference,
        )
        if conference.basis == "art458ter"
        else meaning(gettext_lazy("Grondslag van dit overleg: toestemming"))
    )
    items.append(
        (
            AgendaItem.Source.CONSENT,
            gettext_lazy("Toestemmingen en grondslag"),
            [basis_line, *lines] if lines else [basis_line, meaning(gettext_lazy("Geen geldende toestemmingen."))],
        )
    )

    finalised = (
        Assessment.objects.filter(trajectory__detainee=detainee, status=Assessment.AssessmentStatus.FINALISED)
        .select_related("template")
        .order_by("assessed_on", "pk")
    )
    judgements: dict[str, str] = {}
    lines = []
    for assessment in finalised:
        before = judgements.get(assessment.template.code)
        judgements[assessment.template.code] = assessment.overall_judgement
        if assessment.assessed_on < since:
            continue
        line = [
            "• ",
            {"t": assessment.template.name},
            " (",
            date_part(assessment.assessed_on),
            "): ",
            _judgement(assessment.overall_judgement),
        ]
        if before and before != assessment.overall_judgement:
            was = _judgement(before)
            line += [
                " (",
                meaning(
                    gettext_lazy("was %(before)s"), before={**was, "lower": True} if isinstance(was, dict) else was
                ),
                ")",
            ]
        lines.append(line)
    items.append(
        (
            AgendaItem.Source.ASSESSMENTS,
            gettext_lazy("Wijzigingen in inschattingen"),
            lines or [meaning(gettext_lazy("Geen nieuwe inschattingen %(since)s."), since=since_label)],
        )
    )
    return items


def _choice(model: type[Model], field: str, value: str) -> dict[str, Any] | str:
    """The label of a choice as a catalogue text (accounts/texts.py); an unknown value as stored."""
    label = dict(cast("Field[Any, Any]", model._meta.get_field(field)).flatchoices).get(value)
    return meaning(label) if label is not None else value


def _judgement(code: str) -> dict[str, Any] | str:
    """An overall judgement: a code of Assessment.Judgement, or free text as typed."""
    return meaning(Assessment.Judgement(code).label) if code in Assessment.Judgement.values else code


def _q_reviews_since(since: dt.date) -> Q:
    return Q(reviews__reviewed_on__gte=since)


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
