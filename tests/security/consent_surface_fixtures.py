"""What the consent-surface tests share: a file with a session, a CGG partner who gets (and loses) a consent,
a conference he takes part in, an aftercare trajectory and a justice house to hand it over to.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.models import Consent
from casework.services import consent_record
from casusoverleg import services as conference_services
from casusoverleg.models import Participant
from casusoverleg.services import minutes as services_minutes
from tests.factories import DetaineeFactory, OrganisationFactory, SessionFactory
from tests.trajectories.factories import GoalFactory, TrajectoryFactory, domain
from trajectories.models import Status
from trajectories.services import release as services_release

BRUSSELS = ZoneInfo("Europe/Brussels")
NAME = "Haddouchi"


@pytest.fixture
def now():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(consultant, caw, hasselt):
    person = DetaineeFactory(
        first_name="Samir",
        last_name=NAME,
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        search_name="samir haddouchi",
        external_ref="LIST-4711",
    )
    SessionFactory(
        detainee=person,
        author=consultant,
        summary="Gedeelde samenvatting XYZ",
        confidential_notes="Geheime notitie QQQ",
    )
    return person


@pytest.fixture
def partner(partner_without_consent):
    """A CGG partner; each test gives (and takes) the consent itself."""
    return partner_without_consent


def grant(person, partner, consultant, scopes, purposes=("conference",), previous=None) -> Consent:
    return consent_record(
        detainee=person,
        user=consultant,
        organisation=partner.organisation,
        purposes=list(purposes),
        scopes=scopes,
        given_on=dt.date(2026, 1, 5),
        explained_by=consultant,
        language="nl",
        previous=previous,
    )


def _approve(conference, director, now):
    now.move_to(conference.ends_at + dt.timedelta(hours=1))
    minutes = conference.minutes_versions.order_by("-number").first()
    item = conference.agenda_items.first()
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Goed overleg.",
        notes={item.pk: "Opleiding loopt."},
        decisions=[{"text": "Verlof voorbereiden", "consensus": True}],
    )
    return services_minutes.minutes_approve(minutes=minutes, user=director)


@pytest.fixture
def conference(now, director, person, partner):
    conference = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 9, 11, 30, tzinfo=BRUSSELS),
        location="Vergaderzaal 1",
    )
    conference_services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
    )
    return conference


@pytest.fixture
def justice_house():
    return OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house", email="jh@example.org")


@pytest.fixture
def aftercare(person, consultant):
    """A trajectory in aftercare with a goal; released today."""
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC), tick=False):
        trajectory = TrajectoryFactory(detainee=person, lead_consultant=consultant, status=Status.ACTIVE)
        GoalFactory(
            trajectory=trajectory, domain=domain("education_employment"), description="Opleiding lassen afronden"
        )
        services_release.trajectory_release(
            trajectory=trajectory,
            user=consultant,
            released_on=dt.date(2025, 6, 2),
            modality="end_of_sentence",
            destination_municipality="Genk",
        )
    return trajectory
