import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Organisation
from tests.factories import ConsentFactory

from .factories import schedule

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def now():
    """A fixed 'now' (a Monday morning in Brussels) for every conference test."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False) as traveller:
        yield traveller


@pytest.fixture
def conference(now, director, detainee):
    """Planned for next week in Hasselt, chaired by the director; the lead consultant is invited."""
    return schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))


@pytest.fixture
def minutes_consent(detainee, consultant):
    """VDAB's consent extended with scope minutes (the partner_with_consent persona's organisation)."""
    return ConsentFactory(
        detainee=detainee,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=consultant,
        scopes=["identity", "minutes"],
    )
