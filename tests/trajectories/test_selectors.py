"""Selectors of the file's trajectory tab: actions by due date, the latest assessment per instrument, domain trend."""

import datetime as dt

import pytest

from casework.models import LifeDomain
from trajectories import selectors, services
from trajectories.models import Action, AssessmentTemplate

from .factories import GoalFactory, GoalReviewFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 2)


def test_actions_are_split_into_overdue_due_within_the_week_and_the_other_open_ones():
    days = {"yesterday": -1, "today": 0, "in six days": 6, "in a week": 7, "no date": None}
    actions = [
        Action(description=name, due_on=None if offset is None else TODAY + dt.timedelta(days=offset))
        for name, offset in days.items()
    ]
    groups = selectors.group_actions(actions, TODAY)
    assert [a.description for a in groups.overdue] == ["yesterday"]
    assert [a.description for a in groups.due] == ["today", "in six days"]
    assert [a.description for a in groups.open] == ["in a week", "no date"]
    assert groups.count == 5


def _final(trajectory, user, template, on, *, corrects=None, judgement="moderate"):
    assessment = services.assessment_start(
        trajectory=trajectory, user=user, template=template, assessed_on=on, corrects=corrects
    )
    ratings = {r.item_id: {"rating": 1, "evidence": "Gesprek"} for r in assessment.ratings.select_related("item")}
    services.assessment_update(assessment=assessment, user=user, ratings=ratings, overall_judgement=judgement)
    return services.assessment_finalise(assessment=assessment, user=user)


def test_the_latest_assessment_per_instrument_skips_drafts_and_replaced_ones(
    active_trajectory, consultant, django_assert_num_queries
):
    barriers = AssessmentTemplate.objects.filter(code="exit-barriers").first()
    push_pull = AssessmentTemplate.objects.filter(code="push-pull").first()
    _final(active_trajectory, consultant, barriers, dt.date(2025, 3, 1))
    newest = _final(active_trajectory, consultant, barriers, dt.date(2025, 5, 1), judgement="high")
    correction = _final(active_trajectory, consultant, barriers, dt.date(2025, 5, 1), corrects=newest, judgement="low")
    other = _final(active_trajectory, consultant, push_pull, dt.date(2025, 4, 1))
    services.assessment_start(
        trajectory=active_trajectory, user=consultant, template=push_pull, assessed_on=dt.date(2025, 5, 20)
    )  # a draft: not yet a result
    with django_assert_num_queries(1):
        latest = selectors.latest_assessments(active_trajectory)
    assert [a.pk for a in latest] == [correction.pk, other.pk]
    assert latest[0].overall_judgement == "low"


def test_a_domains_trend_follows_the_mean_of_its_goals(active_trajectory):
    domain = LifeDomain.objects.get(code="education_employment")
    first, second = (
        GoalFactory(trajectory=active_trajectory, domain=domain),
        GoalFactory(trajectory=active_trajectory, domain=domain),
    )
    GoalReviewFactory(goal=first, reviewed_on=dt.date(2025, 3, 1), progress=2)
    GoalReviewFactory(goal=second, reviewed_on=dt.date(2025, 3, 5), progress=2)
    row = next(r for r in selectors.goal_matrix(active_trajectory) if r.domain == domain)
    assert row.trend == "flat"
    GoalReviewFactory(goal=second, reviewed_on=dt.date(2025, 4, 1), progress=0)
    row = next(r for r in selectors.goal_matrix(active_trajectory) if r.domain == domain)
    assert row.series[-1] == (dt.date(2025, 4, 1), 1) and row.trend == "down"


def test_the_chart_keeps_a_goals_whole_description(active_trajectory):
    goal = GoalFactory(trajectory=active_trajectory, description="Een lange beschrijving " * 6)
    GoalReviewFactory(goal=goal)
    chart = selectors.chart_data(selectors.goal_matrix(active_trajectory))
    assert chart["goals"][0]["label"] == goal.description
