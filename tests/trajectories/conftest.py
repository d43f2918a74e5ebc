import datetime as dt

import pytest
import time_machine

from casework.models import LifeDomain
from trajectories import services
from trajectories.models import DomainExploration

TODAY = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def trajectory(detainee, consultant, frozen):
    """A referred trajectory of the `detainee` persona, created through the service."""
    return services.trajectory_refer(
        detainee=detainee,
        user=consultant,
        referred_on=dt.date(2025, 1, 6),
        referred_by="psd",
        referral_reason="Aangemeld door de PSD",
    )


def explore_required(trajectory, user, need="need"):
    for domain in LifeDomain.objects.filter(required=True):
        services.exploration_record(
            trajectory=trajectory, user=user, domain=domain, need=need, explored_on=dt.date(2025, 2, 1)
        )


@pytest.fixture
def active_trajectory(trajectory, consultant):
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake", reason="Eerste gesprek")
    explore_required(trajectory, consultant)
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="active", reason="Plan afgesproken")
    return trajectory


__all__ = ["DomainExploration", "explore_required"]


@pytest.fixture(autouse=True)
def shipped_instruments(db):
    """Transactional tests elsewhere flush the migration's data; put the shipped instruments back if gone."""
    from django.apps import apps

    from trajectories.instruments import load
    from trajectories.models import AssessmentTemplate

    if not AssessmentTemplate.objects.exists():
        load(apps)
