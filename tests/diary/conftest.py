"""Fixtures of the diary's tests: a frozen Monday morning, and contacts planned through the service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from diary import services

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS)  # a Monday


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def plan(consultant, detainee, starts_at, **fields):
    return services.planned_contact_plan(
        detainee=detainee, consultant=consultant, starts_at=starts_at, kind=fields.pop("kind", "visit"), **fields
    )


@pytest.fixture
def contact(frozen, consultant, detainee):
    """A visit in Hasselt this afternoon, on the consultant's own caseload."""
    return plan(consultant, detainee, at(2026, 3, 2, 14, 0), duration_minutes=45, place="Bezoekzaal 2")
