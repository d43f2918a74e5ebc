"""A small world whose every dashboard figure is computed by hand in the tests (today = Mon 15 June 2026).

CAW Limburg (manager, consultant "Sara Peeters", colleague):
  D1 `detainee`  lead consultant  T1 active (ref 10/01/26, intake 01/02, active 01/03), goals education (agreed),
                                  psychosocial (proposed); sessions; VDAB consent (persona fixture); leave 01/08/26
  D2             lead colleague   T2 referred 01/06/26, unassigned (14 days waiting)
  D3             lead consultant  T3 referred 16/05/26, assigned (30 days waiting); withdrawn consent only
  D4             lead consultant  T4 intake (ref 01/04/26, intake 20/04); leave 10/01/27
  D5 released    lead colleague   T5 aftercare (ref 01/09/25 … released 01/01/26, aftercare ends 01/07/26),
                                  goal social_context agreed; active consent
  D6 in Gent     lead colleague   T6 declined (ref 01/11/25, declined 20/11/25)
  D7             lead consultant  T7 active since 01/05/25 (ref 01/03/25), goal housing proposed; leave 01/09/26
  D9 released    lead consultant  T9 closed aftercare_ended 01/03/25 (ref 10/01/24), goal agreed
CAW Antwerpen (outsider): D8 in Hasselt, active trajectory, a session, an overdue action, a conference.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import Organisation
from casework.models import Listing, Prison, Session
from casusoverleg.models import Conference
from tests.factories import ConsentFactory, ListingFactory, PlacementFactory, SessionFactory
from trajectories.models import Action

from .factories import BRUSSELS, at, conference, detainee, trajectory

TODAY = dt.date(2026, 6, 15)
D = dt.date


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=BRUSSELS), tick=False):
        yield TODAY


@pytest.fixture(autouse=True)
def no_report_cache(settings):
    """Figures are cached in production; tests read them fresh unless a test says otherwise."""
    settings.REPORTING_CACHE_SECONDS = 0


@pytest.fixture
def world(today, caw, consultant, colleague, outsider, manager, director, other_director, detainee):
    d1 = detainee
    d1.leave_eligible_on = D(2026, 8, 1)
    d1.save(update_fields=["leave_eligible_on"])
    t1 = trajectory(
        d1,
        [("referred", D(2026, 1, 10)), ("intake", D(2026, 2, 1)), ("active", D(2026, 3, 1))],
        goals=[("education_employment", True), ("psychosocial", False)],
    )
    d2 = _detainee(caw, colleague, "Amina", "Bakkali", leave_eligible_on=D(2028, 1, 1))
    t2 = trajectory(d2, [("referred", D(2026, 6, 1))], lead=None)
    d3 = _detainee(caw, consultant, "Bilal", "Chaouki")
    t3 = trajectory(d3, [("referred", D(2026, 5, 16))])
    ConsentFactory(
        detainee=d3,
        organisation=Organisation.objects.get(name="CGG"),
        explained_by=consultant,
        given_on=D(2026, 5, 20),
        withdrawn_on=D(2026, 6, 1),
    )
    d4 = _detainee(caw, consultant, "Dries", "Daoudi", leave_eligible_on=D(2027, 1, 10))
    t4 = trajectory(d4, [("referred", D(2026, 4, 1)), ("intake", D(2026, 4, 20))])
    d5 = _detainee(caw, colleague, "Ilias", "El Idrissi", prison=None, released_on=D(2026, 1, 1))
    t5 = trajectory(
        d5,
        [
            ("referred", D(2025, 9, 1)),
            ("intake", D(2025, 9, 15)),
            ("active", D(2025, 10, 15)),
            ("aftercare", D(2026, 1, 1)),
        ],
        goals=[("social_context", True)],
        released_on=D(2026, 1, 1),
    )
    ConsentFactory(detainee=d5, organisation=Organisation.objects.get(name="VDAB"), explained_by=colleague)
    PlacementFactory(
        detainee=d5, prison=Prison.objects.get(code="hasselt"), from_date=D(2024, 1, 1), to_date=D(2026, 1, 1)
    )
    ListingFactory(detainee=d5, category=Listing.Category.TERRORISM_CONVICT, listed_on=D(2024, 1, 1))
    d6 = _detainee(caw, colleague, "Jonas", "Aerts", prison="gent")
    t6 = trajectory(d6, [("referred", D(2025, 11, 1)), ("declined", D(2025, 11, 20))])
    PlacementFactory(detainee=d6, prison=Prison.objects.get(code="gent"), from_date=D(2025, 1, 1))
    ListingFactory(detainee=d6, category=Listing.Category.PVE, listed_on=D(2025, 1, 1))
    d7 = _detainee(caw, consultant, "Karim", "Mertens", leave_eligible_on=D(2026, 9, 1))
    t7 = trajectory(
        d7,
        [("referred", D(2025, 3, 1)), ("intake", D(2025, 3, 20)), ("active", D(2025, 5, 1))],
        goals=[("housing", False)],
    )
    PlacementFactory(detainee=d7, prison=Prison.objects.get(code="hasselt"), from_date=D(2023, 1, 1))
    d9 = _detainee(caw, consultant, "Omar", "Tahiri", prison=None, released_on=D(2024, 9, 1))
    t9 = trajectory(
        d9,
        [
            ("referred", D(2024, 1, 10)),
            ("intake", D(2024, 2, 1)),
            ("active", D(2024, 3, 1)),
            ("aftercare", D(2024, 9, 1)),
            ("closed", D(2025, 3, 1)),
        ],
        closure_reason="aftercare_ended",
        goals=[("psychosocial", True)],
        released_on=D(2024, 9, 1),
    )
    # Another organisation's file in the same prison: never in the manager's figures, on the director's list.
    d8 = _detainee(outsider.organisation, outsider, "Zakaria", "Zerouali")
    t8 = trajectory(
        d8,
        [("referred", D(2026, 1, 5)), ("intake", D(2026, 1, 20)), ("active", D(2026, 2, 20))],
        goals=[("psychosocial", True)],
    )

    # Sessions: the window is July 2025 - June 2026 (Brussels time).
    SessionFactory(detainee=d1, author=consultant, started_at=at(D(2026, 6, 10)))
    SessionFactory(
        detainee=d1,
        author=consultant,
        started_at=at(D(2026, 6, 12)),
        attendance=Session.Attendance.NO_SHOW,
        engagement=None,
    )
    SessionFactory(detainee=d1, author=consultant, started_at=at(D(2026, 5, 20)))
    SessionFactory(detainee=d1, author=consultant, started_at=at(D(2025, 7, 1), 0, 30))  # first minute(s) of the window
    SessionFactory(detainee=d1, author=consultant, started_at=at(D(2025, 6, 30), 23, 30))  # just before it
    SessionFactory(
        detainee=d7,
        author=consultant,
        started_at=at(D(2026, 1, 15)),
        attendance=Session.Attendance.CANCELLED_BY_PRISON,
        engagement=None,
    )
    SessionFactory(detainee=d8, author=outsider, started_at=at(D(2026, 6, 10)))

    Action.objects.create(
        detainee=d1, trajectory=t1, description="CV opmaken", owner_user=consultant, due_on=D(2026, 6, 1)
    )
    Action.objects.create(
        detainee=d1, trajectory=t1, description="Inschrijving", owner_user=consultant, due_on=D(2026, 7, 1)
    )
    Action.objects.create(
        detainee=d4,
        trajectory=t4,
        description="Attest",
        owner_user=consultant,
        due_on=D(2026, 5, 1),
        status=Action.ActionStatus.DONE,
        completed_at=at(D(2026, 5, 1)),
    )
    Action.objects.create(detainee=d8, trajectory=t8, description="Elders", owner_user=outsider, due_on=D(2026, 1, 1))

    C = Conference.Status
    conference(d1, director, at(D(2026, 6, 20)))  # upcoming
    conference(d4, director, at(D(2026, 7, 20)))  # beyond 30 days
    conference(d5, director, at(D(2026, 6, 1)), status=C.HELD)  # held, minutes not approved
    conference(d1, director, at(D(2026, 5, 1)), status=C.MINUTES_APPROVED)  # D1's last conference
    conference(d3, director, at(D(2026, 6, 25)), status=C.CANCELLED)
    conference(d8, director, at(D(2026, 6, 20)))  # other organisation
    conference(d7, director, at(D(2026, 6, 1)), status=C.HELD, kind=Conference.Kind.PRE_LEAVE)
    return {
        "d1": d1,
        "d2": d2,
        "d3": d3,
        "d4": d4,
        "d5": d5,
        "d6": d6,
        "d7": d7,
        "d8": d8,
        "d9": d9,
        "t1": t1,
        "t2": t2,
        "t3": t3,
        "t4": t4,
        "t5": t5,
        "t6": t6,
        "t7": t7,
        "t8": t8,
        "t9": t9,
    }


def _detainee(org, lead, first, last, prison="hasselt", **fields):
    return detainee(
        org, lead, prison=prison, first_name=first, last_name=last, search_name=f"{first} {last}".lower(), **fields
    )


@pytest.fixture
def more_data(world, caw, consultant, colleague, director):
    """The second data size: many more files, trajectories, sessions, actions and conferences of every kind."""

    def grow():
        for i in range(12):
            person = _detainee(
                caw,
                consultant if i % 2 else colleague,
                f"Extra{i}",
                f"Dossier{i}",
                leave_eligible_on=D(2026, 7 + i % 5, 1),
            )
            steps = [("referred", D(2025, 8, 1)), ("intake", D(2025, 9, 1)), ("active", D(2025, 10, 1))][: 1 + i % 3]
            item = trajectory(person, steps, goals=[("leisure", True)] if i % 3 == 2 else [])
            for k in range(5):
                SessionFactory(detainee=person, author=consultant, started_at=at(D(2026, 1 + k, 3 + i)))
            Action.objects.create(
                detainee=person, trajectory=item, description="x", owner_user=consultant, due_on=D(2026, 3, 1)
            )
            conference(person, director, at(D(2026, 6, 16 + i)))
            ConsentFactory(detainee=person, organisation=caw, explained_by=consultant)

    return grow
