"""The "Traject" tab of the detainee's file: the trajectory in brief, inside the file (ADR 0027).

What the tab shows follows the same rules as the trajectory page (`views.trajectory_detail`):

- status and lead consultant for everyone who may see the trajectory (a director of the prison too);
- life domains, explorations, goals with their trend: case staff of the file's organisation, and a partner
  whose organisation holds an active consent with scope `trajectory_goals` (the tab is a 404 without it);
  a health domain only for those who see the file's health content;
- open actions (overdue, due, open): case staff only;
- the latest assessment per instrument: its overall judgement for those who may see judgements (a director
  of the prison, a partner with scope `assessments`), the note and what changed for those who may read
  assessments.

Edit links point into the trajectory pages and show only to those who may change an open trajectory.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from casework.access import get_detainee_for_user

from . import compartments, selectors
from .models import OPEN_STATUSES, Trajectory


@login_required
def file_tab(request, detainee_pk):
    """The current trajectory (or else the newest one) in brief, and the earlier ones.

    Queries, whatever the number of goals, reviews, actions or assessments: the trajectories of the file;
    then, as the reader may see them, the life domains with their explorations, the goals, their reviews,
    the open actions and the latest assessments (one each); the file page around it adds its own.
    """
    from casework.views.file import render_file_page

    user = request.user
    detainee = get_detainee_for_user(user, detainee_pk, perm="trajectories.view_file_tab")
    trajectories = list(
        Trajectory.objects.visible_to(user)
        .filter(detainee=detainee)
        .with_success()
        .select_related("lead_consultant")
        .order_by("-referred_on", "-pk")
    )
    for trajectory in trajectories:
        # The rules read the trajectory's file: the one already fetched, not one query per row.
        trajectory.detainee = detainee
    current = next((t for t in trajectories if t.status in OPEN_STATUSES), None)
    shown = current or (trajectories[0] if trajectories else None)
    context = {
        "trajectories": trajectories,
        "current": current,
        "shown": shown,
        "earlier": [t for t in trajectories if t != shown],
        "can_refer": current is None and user.has_perm("trajectories.refer_detainee", detainee),
        "today": timezone.localdate(),
    }
    if shown is not None:
        context.update(_overview(user, shown, today=context["today"]))
    return render_file_page(
        request,
        detainee,
        tab="trajectory",
        template="trajectories/file_tab.html",
        context=context,
        object_kind="trajectory_tab",
    )


def _overview(user, trajectory: Trajectory, *, today) -> dict:
    """What the reader may see of `trajectory`, each part only when a rule allows it."""
    sees_content = user.has_perm("trajectories.view_content", trajectory)
    can_edit = trajectory.is_open and user.has_perm("trajectories.change", trajectory)
    overview = {
        "sees_content": sees_content,
        "sees_work": user.has_perm("trajectories.view_work", trajectory),
        "sees_assessments": user.has_perm("trajectories.view_assessments", trajectory),
        "sees_judgement": user.has_perm("trajectories.view_assessment_judgement", trajectory),
        "can_edit": can_edit,
    }
    if sees_content:
        full_matrix = selectors.goal_matrix(trajectory)
        # The health domains only for those who see the file's health content; the domains still to explore
        # are counted on the whole trajectory (a rule of the lifecycle, not content).
        matrix = compartments.matrix_for(user, trajectory.detainee, full_matrix)
        overview.update(
            matrix=matrix,
            to_explore=selectors.domains_to_explore(full_matrix),
            goal_count=sum(len(row.goals) for row in matrix),
        )
    if overview["sees_work"]:
        overview["actions"] = selectors.group_actions(selectors.open_actions(trajectory, user), today)
    if overview["sees_judgement"]:
        overview["assessments"] = selectors.latest_assessments(trajectory)
    return overview
