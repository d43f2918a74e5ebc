"""Factories of the trajectories app (the core ones live in tests.factories)."""

import datetime as dt

import factory

from casework.models import LifeDomain
from tests.factories import DetaineeFactory
from trajectories.models import Action, Goal, GoalReview, Status, Trajectory, TrajectoryStatusChange


class TrajectoryFactory(factory.django.DjangoModelFactory):
    """A trajectory in `referred`. Use the services to move it; `with_status` is for read-side tests only."""

    class Meta:
        model = Trajectory

    detainee = factory.SubFactory(DetaineeFactory)
    referred_on = dt.date(2025, 1, 6)
    referred_by = Trajectory.ReferredBy.PSD
    status = Status.REFERRED
    lead_consultant = factory.LazyAttribute(lambda t: t.detainee.lead_consultant)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            TrajectoryStatusChange.objects.create(
                trajectory=obj,
                from_status="",
                to_status=Status.REFERRED,
                changed_at=dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC),
            )


def domain(code: str) -> LifeDomain:
    return LifeDomain.objects.get(code=code)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    trajectory = factory.SubFactory(TrajectoryFactory)
    domain = factory.LazyFunction(lambda: LifeDomain.objects.get(code="education_employment"))
    description = factory.Sequence(lambda n: f"Doel {n}: een opleiding starten")
    agreed_with_detainee = True
    agreed_on = dt.date(2025, 2, 1)
    status = Goal.GoalStatus.AGREED


class GoalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalReview

    goal = factory.SubFactory(GoalFactory)
    reviewed_on = dt.date(2025, 3, 1)
    progress = 2


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    detainee = factory.SubFactory(DetaineeFactory)
    description = factory.Sequence(lambda n: f"Actie {n}")
    owner_user = factory.LazyAttribute(lambda a: a.detainee.lead_consultant)
    due_on = dt.date(2025, 4, 1)
