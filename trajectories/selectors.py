"""Reads that span several models: the trajectory page, trends, the merged timeline.

Every function runs a fixed number of queries whatever the amount of data (the page asserts it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, JSONField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.display import local_date
from casework.models import LifeDomain, Session

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

from .models import (
    Action,
    Assessment,
    AssessmentRating,
    DomainExploration,
    Goal,
    GoalReview,
    Status,
    Trajectory,
    TrajectoryStatusChange,
)

# --- Sessions of a trajectory (derived, never stored) -------------------------------------------


def trajectory_window(trajectory: Trajectory) -> tuple[dt.datetime, dt.datetime | None]:
    """The period a trajectory was open: from the start of the referral day to the end of the closing day."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(trajectory.referred_on, dt.time.min, tzinfo=tz)
    end = (
        dt.datetime.combine(trajectory.closed_on + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        if trajectory.closed_on
        else None
    )
    return start, end


def sessions_for_trajectory(trajectory: Trajectory, sessions: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """The sessions that count for `trajectory`: the detainee's sessions started while it was open.

    A session belongs to the file; the trajectory it counts for is the one open at `started_at`.
    """
    start, end = trajectory_window(trajectory)
    qs = (sessions if sessions is not None else Session.objects.all()).filter(
        detainee_id=trajectory.detainee_id, started_at__gte=start
    )
    if end is not None:
        qs = qs.filter(started_at__lt=end)
    return qs


def trajectory_for_session(session: Session) -> Trajectory | None:
    """The trajectory a session counts for (open at its `started_at`), or None for outreach contacts."""
    return (
        Trajectory.objects.filter(detainee_id=session.detainee_id)
        .open_at(session.started_at)
        .order_by("-referred_on")
        .first()
    )


# --- Goals: matrix and trends ----------------------------------------------------------------------


@dataclass
class GoalRow:
    goal: Goal
    reviews: list[GoalReview]

    @property
    def latest(self) -> GoalReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def trend(self) -> str:
        """'up', 'down', 'flat' or '' comparing the last two reviews."""
        if len(self.reviews) < 2:
            return ""
        last, before = self.reviews[-1].progress, self.reviews[-2].progress
        return "up" if last > before else "down" if last < before else "flat"


@dataclass
class DomainRow:
    domain: LifeDomain
    exploration: DomainExploration | None
    goals: list[GoalRow] = field(default_factory=list)

    @property
    def series(self) -> list[tuple[dt.date, float]]:
        """Domain trend: after each review date, the mean of every goal's latest progress so far."""
        events = sorted((r.reviewed_on, r.goal_id, r.progress) for row in self.goals for r in row.reviews)
        latest: dict[int, int] = {}
        points: dict[dt.date, float] = {}
        for day, goal_id, progress in events:
            latest[goal_id] = progress
            points[day] = round(mean(latest.values()), 2)
        return sorted(points.items())

    @property
    def trend(self) -> str:
        """'up', 'down', 'flat' or '' comparing the domain's last two points (the mean progress of its goals)."""
        series = self.series
        if len(series) < 2:
            return ""
        last, before = series[-1][1], series[-2][1]
        return "up" if last > before else "down" if last < before else "flat"


def goal_matrix(trajectory: Trajectory) -> list[DomainRow]:
    """Life domains × goals with status and latest progress, plus each domain's exploration.

    Three queries: life domains each with this trajectory's exploration (a correlated subquery; the pair is
    unique), goals, and their reviews (prefetch). Required domains always show; optional ones when explored
    or holding a goal.
    """
    exploration = (
        DomainExploration.objects.filter(trajectory=trajectory, domain=OuterRef("pk"))
        .order_by()
        .values(
            data=JSONObject(
                id="id",
                need="need",
                explored_on="explored_on",
                deferral_reason="deferral_reason",
                note="note",
                recorded_by_id="recorded_by_id",
            )
        )
    )
    domains = list(LifeDomain.objects.annotate(exploration=Subquery(exploration[:1], output_field=JSONField())))
    explorations = {d.pk: _exploration(trajectory, d) for d in domains if d.exploration is not None}
    goals = (
        Goal.objects.filter(trajectory=trajectory)
        .select_related("responsible_organisation")
        .prefetch_related(Prefetch("reviews", queryset=GoalReview.objects.order_by("reviewed_on", "pk")))
    )
    by_domain: dict[int, list[GoalRow]] = defaultdict(list)
    for goal in goals:
        by_domain[goal.domain_id].append(GoalRow(goal=goal, reviews=list(goal.reviews.all())))
    return [
        DomainRow(domain=d, exploration=explorations.get(d.pk), goals=by_domain.get(d.pk, []))
        for d in domains
        if d.required or d.pk in explorations or d.pk in by_domain
    ]


def _exploration(trajectory: Trajectory, domain: LifeDomain) -> DomainExploration:
    """The exploration of `domain` from the JSON its subquery returned (read-only: for display)."""
    data = dict(domain.exploration)  # type: ignore[attr-defined]  # annotated on the domain by domain_matrix's query
    data["explored_on"] = parse_date(data["explored_on"]) if data["explored_on"] else None
    return DomainExploration(trajectory=trajectory, domain=domain, **data)


def chart_data(matrix: list[DomainRow]) -> dict[str, object]:
    """Data for the progress chart: one line per goal and per domain (dates as ISO strings)."""
    goals = [
        {
            # The whole description: the legend wraps it (static/js/trajectories.js), it is never cut.
            "label": row.goal.description,
            "domain": d.domain.label,
            "points": [
                {"x": r.reviewed_on.isoformat(), "d": local_date(r.reviewed_on), "y": r.progress} for r in row.reviews
            ],
        }
        for d in matrix
        for row in d.goals
        if row.reviews
    ]
    domains = [
        {
            "label": d.domain.label,
            "points": [{"x": day.isoformat(), "d": local_date(day), "y": value} for day, value in d.series],
        }
        for d in matrix
        if d.series
    ]
    return {"goals": goals, "domains": domains}


# --- Success indicator ----------------------------------------------------------------------------


def is_success(status_changes: list[TrajectoryStatusChange], matrix: list[DomainRow]) -> bool:
    """Reached `active` (per the history) with at least one goal agreed with the detainee. Computed, never stored."""
    reached_active = any(c.to_status == Status.ACTIVE for c in status_changes)
    return reached_active and any(row.goal.agreed_with_detainee for d in matrix for row in d.goals)


# --- Assessments: trend and what changed ---------------------------------------------------------------


@dataclass
class ItemTrend:
    code: str
    label: str
    section: str
    kind: str
    scale_max: int
    values: list[int | None]

    @property
    def changed(self) -> bool:
        known = [v for v in self.values[-2:] if v is not None]
        return len(self.values) >= 2 and len(known) == 2 and known[0] != known[1]


@dataclass
class InstrumentTrend:
    name: str
    assessments: list[Assessment]
    items: list[ItemTrend]
    sections: list[tuple[str, list[int]]]

    @property
    def changes(self) -> list[ItemTrend]:
        return [item for item in self.items if item.changed]


def assessments_for_page(trajectory: Trajectory, ratings: Prefetch[Any, Any, Any] | None = None) -> list[Assessment]:
    """All assessments of the trajectory with template and ratings (three queries).

    `ratings` narrows the ratings (a reader outside the health compartment: trajectories/compartments.py).
    """
    return list(
        Assessment.objects.filter(trajectory=trajectory)
        .select_related("template", "assessor")
        .prefetch_related(
            ratings or Prefetch("ratings", queryset=AssessmentRating.objects.select_related("item", "item__section"))
        )
        .order_by("assessed_on", "pk")
    )


def assessment_trends(assessments: list[Assessment]) -> list[InstrumentTrend]:
    """Per instrument: the finalised assessments in date order, each item's ratings and each section's total.

    Items are matched by section and item code so a new template version still lines up. A corrected
    assessment is replaced by its correction.
    """
    corrected = {a.corrects_id for a in assessments if a.corrects_id and a.is_final}
    by_template: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        if a.is_final and a.pk not in corrected:
            by_template[a.template.code].append(a)
    trends = []
    for runs in by_template.values():
        keys: dict[tuple[str, str], ItemTrend] = {}
        columns: list[dict[tuple[str, str], int | None]] = []
        for a in runs:
            column = {}
            for r in a.ratings.all():
                key = (r.item.section.code, r.item.code)
                column[key] = r.rating
                if key not in keys:
                    keys[key] = ItemTrend(
                        code=r.item.code,
                        label=r.item.display_label,
                        section=r.item.section.display_title,
                        kind=r.item.kind,
                        scale_max=r.item.scale_max,
                        values=[],
                    )
            columns.append(column)
        for key, item in keys.items():
            item.values = [column.get(key) for column in columns]
        sections: dict[str, list[int]] = {}
        for (_section_code, _code), item in keys.items():
            totals = sections.setdefault(item.section, [0] * len(columns))
            for i, value in enumerate(item.values):
                totals[i] += value or 0
        trends.append(
            InstrumentTrend(
                name=runs[-1].template.display_name,
                assessments=runs,
                items=list(keys.values()),
                sections=list(sections.items()),
            )
        )
    return trends


# --- Timeline -------------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str
    title: StrOrPromise
    detail: str = ""
    who: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


# The trajectory page shows the newest events; the whole contact log is the file's sessions tab.
TIMELINE_LIMIT = 50


def timeline(
    *,
    sessions: list[Session],
    status_changes: list[TrajectoryStatusChange],
    matrix: list[DomainRow],
    assessments: list[Assessment],
    show_session_summary: bool,
) -> list[TimelineEntry]:
    """Sessions, status changes, goal reviews and assessments in one list, newest first (no extra queries)."""
    entries = [
        TimelineEntry(
            at=s.started_at,
            kind="session",
            title=s.get_modality_display(),
            detail=(s.summary if show_session_summary else ""),
            who=str(s.author),
        )
        for s in sessions
    ]
    entries += [
        TimelineEntry(
            at=c.changed_at,
            kind="status",
            title=Status(c.to_status).label,
            detail=c.reason,
            who=str(c.changed_by or ""),
        )
        for c in status_changes
    ]
    entries += [
        TimelineEntry(
            at=_day_start(r.reviewed_on),
            kind="review",
            title=row.goal.description[:80],
            detail=f"{r.progress}/4" + (f" — {r.note}" if r.note else ""),
            who="",
        )
        for d in matrix
        for row in d.goals
        for r in row.reviews
    ]
    entries += [
        TimelineEntry(
            at=_day_start(a.assessed_on),
            kind="assessment",
            title=a.template.display_name,
            detail=a.get_overall_judgement_display() if a.is_final else "",
            who=str(a.assessor),
        )
        for a in assessments
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:TIMELINE_LIMIT]


def open_actions(trajectory: Trajectory, user: User) -> list[Action]:
    """Open actions of the detainee that `user` may see (goal actions and conference decisions alike), one query."""
    return list(Action.objects.visible_to(user).filter(detainee_id=trajectory.detainee_id).open().for_list())


# --- The trajectory on the detainee's file (the "Traject" tab) --------------------------------------------

# An open action whose due date falls within this many days (today included) is "due"; before today, overdue.
DUE_SOON_DAYS = 7


@dataclass
class ActionGroups:
    """The open actions of a file, split by their due date against `today`."""

    overdue: list[Action]
    due: list[Action]
    open: list[Action]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due) + len(self.open)

    @property
    def rows(self) -> list[tuple[str, Action]]:
        """`(state, action)` in the order shown: overdue, due, open; one list for one loop in the template."""
        return [
            *(("overdue", a) for a in self.overdue),
            *(("due", a) for a in self.due),
            *(("open", a) for a in self.open),
        ]


def group_actions(actions: list[Action], today: dt.date) -> ActionGroups:
    """Overdue (due before today), due (within DUE_SOON_DAYS from today) and the other open ones; no query."""
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS - 1)
    overdue = [a for a in actions if a.due_on and a.due_on < today]
    due = [a for a in actions if a.due_on and today <= a.due_on <= horizon]
    rest = [a for a in actions if not a.due_on or a.due_on > horizon]
    return ActionGroups(overdue=overdue, due=due, open=rest)


def latest_assessments(trajectory: Trajectory) -> list[Assessment]:
    """Per instrument, the newest finalised assessment that no finalised correction replaced (one query).

    What the file shows in brief: instrument, date, overall judgement (and, for those who may read
    assessments, the note and what changed); the ratings stay on the assessment's own page.
    """
    replaced = Assessment.objects.filter(corrects=OuterRef("pk"), status=Assessment.AssessmentStatus.FINALISED)
    final = (
        Assessment.objects.filter(trajectory=trajectory, status=Assessment.AssessmentStatus.FINALISED)
        .exclude(Exists(replaced))
        .select_related("template", "assessor")
        .order_by("assessed_on", "pk")
    )
    newest: dict[str, Assessment] = {}
    for assessment in final:
        newest[assessment.template.code] = assessment
    return sorted(newest.values(), key=lambda a: (a.assessed_on, a.pk), reverse=True)


def domains_to_explore(matrix: list[DomainRow]) -> list[LifeDomain]:
    """Required domains neither explored with an outcome nor deferred with a reason."""
    return [
        row.domain for row in matrix if row.domain.required and not (row.exploration and row.exploration.is_settled)
    ]


# --- Referrals to partners on the manager's dashboard (ADR 0034) ------------------------------------------------


def partner_referral_dashboard(user: User, *, now: dt.datetime | None = None) -> list[dict[str, object]]:
    """Per partner organisation: referrals waiting for an answer, accepted and running, the longest current wait
    and the average days to an answer over the last 12 months. One query (aggregated in SQL)."""
    from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q
    from django.utils import timezone

    from .models_partners import PartnerReferral

    now = now or timezone.now()
    year_ago = now - dt.timedelta(days=365)
    requested = Q(status=PartnerReferral.Status.REQUESTED)
    answer_time = ExpressionWrapper(F("responded_at") - F("referred_at"), output_field=DurationField())
    rows = (
        PartnerReferral.objects.visible_to(user)
        .values("organisation__name")
        .annotate(
            waiting=Count("pk", filter=requested),
            running=Count("pk", filter=Q(status=PartnerReferral.Status.ACCEPTED)),
            oldest=Min("referred_at", filter=requested),
            answer=Avg(answer_time, filter=Q(responded_at__isnull=False, referred_at__gte=year_ago)),
        )
        .filter(Q(waiting__gt=0) | Q(running__gt=0) | Q(answer__isnull=False))
        .order_by("organisation__name")
    )
    return [
        {
            "organisation": r["organisation__name"],
            "waiting": r["waiting"],
            "running": r["running"],
            "longest_days": (now - r["oldest"]).days if r["oldest"] else None,
            "average_days": round(r["answer"].total_seconds() / 86400, 1) if r["answer"] is not None else None,
        }
        for r in rows
    ]
