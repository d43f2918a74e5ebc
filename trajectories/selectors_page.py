"""The trajectory page, assembled in one place: what one reader sees of one trajectory (the view renders it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import User
from casework.models import Detainee, LifeDomain, Session

from . import compartments, selectors
from .models import Action, Assessment, AssessmentTemplate, Status, Trajectory, TrajectoryStatusChange
from .selectors import DomainRow, InstrumentTrend, TimelineEntry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The status bar: the lifecycle's steps in order (declined is an end, not a step).
LIFECYCLE = [Status.REFERRED, Status.INTAKE, Status.ACTIVE, Status.AFTERCARE, Status.CLOSED]


@dataclass
class TrajectoryPage:
    """Status bar with history, life-domain matrix with trend, actions, assessments and the merged timeline.

    The `sees_*` and `can_*` flags are the reader's rights; what they do not allow stays empty."""

    trajectory: Trajectory
    history: list[TrajectoryStatusChange]
    lifecycle: list[tuple[Status, StrOrPromise]]
    reached: set[str]
    can_change: bool
    can_assign: bool
    sees_content: bool
    sees_work: bool
    sees_assessments: bool
    sees_judgement: bool
    today: dt.date
    assessments: list[Assessment] = field(default_factory=list)
    matrix: list[DomainRow] | None = None
    chart: dict[str, object] | None = None
    is_success: bool | None = None
    co_consultants: list[User] | None = None
    unsettled: list[LifeDomain] | None = None
    trends: list[InstrumentTrend] | None = None
    templates: list[AssessmentTemplate] | None = None
    actions: list[Action] | None = None
    timeline: list[TimelineEntry] | None = None
    timeline_more: bool = False

    @property
    def detainee(self) -> Detainee:
        return self.trajectory.detainee

    def context(self) -> dict[str, object]:
        # Shallow (not dataclasses.asdict, which would deep-copy the model instances in the lists).
        return {"detainee": self.detainee, **{f.name: getattr(self, f.name) for f in fields(self)}}


def trajectory_page(trajectory: Trajectory, user: User) -> TrajectoryPage:
    history = list(TrajectoryStatusChange.objects.filter(trajectory=trajectory).select_related("changed_by"))
    page = TrajectoryPage(
        trajectory=trajectory,
        history=history,
        lifecycle=[(s, Status(s).label) for s in LIFECYCLE],
        reached={c.to_status for c in history},
        can_change=user.has_perm("trajectories.change", trajectory),
        can_assign=user.has_perm("trajectories.assign", trajectory),
        sees_content=user.has_perm("trajectories.view_content", trajectory),
        sees_work=user.has_perm("trajectories.view_work", trajectory),
        sees_assessments=user.has_perm("trajectories.view_assessments", trajectory),
        sees_judgement=user.has_perm("trajectories.view_assessment_judgement", trajectory),
        today=timezone.localdate(),
    )
    if page.sees_content:
        full_matrix = selectors.goal_matrix(trajectory)
        # Health domains only for those who see the file's health content (casework/compartments.py); the
        # success indicator and the list of domains still to explore are computed on the whole trajectory.
        page.matrix = compartments.matrix_for(user, trajectory.detainee, full_matrix)
        page.chart = selectors.chart_data(page.matrix)
        page.is_success = selectors.is_success(history, full_matrix)
        page.co_consultants = list(trajectory.co_consultants.all())
        page.unsettled = [
            row.domain
            for row in full_matrix
            if row.domain.required and not (row.exploration and row.exploration.is_settled)
        ]
    page.assessments = compartments.assessments_for_page(trajectory, user) if page.sees_judgement else []
    if page.sees_assessments:
        page.trends = selectors.assessment_trends(page.assessments)
        if page.can_change:
            page.templates = list(AssessmentTemplate.objects.filter(is_active=True))
    if page.sees_work:
        page.actions = selectors.open_actions(trajectory, user)
    if page.sees_content:
        # Only the newest sessions can reach the timeline's first TIMELINE_LIMIT events: one more tells
        # that older ones exist (the file's sessions tab has them all), without a count query.
        sessions = list(
            selectors.sessions_for_trajectory(trajectory, Session.objects.visible_to(user))
            .select_related("author")
            .order_by("-started_at")[: selectors.TIMELINE_LIMIT + 1]
        )
        page.timeline_more = len(sessions) > selectors.TIMELINE_LIMIT
        assert page.matrix is not None  # set above, on the same right
        page.timeline = selectors.timeline(
            sessions=sessions,
            status_changes=history,
            matrix=page.matrix,
            assessments=page.assessments if page.sees_assessments else [],
            show_session_summary=True,
        )
    return page
