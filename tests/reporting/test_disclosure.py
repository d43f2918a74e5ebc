"""Disclosure control of the yearly release: an attacker who holds every table of the release (the API's JSON,
which carries the same cells as the page, CSV, XLSX and PDF) cannot narrow any "<5" cell below 1 to 4.

The fixtures: the small hand-computed world of the other report tests; a five-year, five-prison world shaped
like the published parliamentary answers (cells of 0, of 1 to 4 and larger); a row that gives a hidden cell away
by subtraction (one 6, three small cells and a total); and a year where every cell is small.
"""

from __future__ import annotations

import datetime as dt

import pytest

from casework.models import Listing, Prison
from tests.factories import ListingFactory, PlacementFactory

from .auditor import audit, leaks
from .conftest import _detainee
from .factories import trajectory

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/v1/reports/yearly/"

# started per prison and year, as in the published answers: a large prison, small ones, empty years
SHAPE = {
    "hasselt": [7, 6, 5, 8, 6],
    "brugge": [3, 0, 2, 5, 1],
    "gent": [0, 4, 1, 0, 6],
    "antwerpen": [5, 2, 0, 3, 2],
    "leuven-centraal": [1, 0, 3, 0, 0],
}
YEARS = [2021, 2022, 2023, 2024, 2025]
CATEGORIES = [
    Listing.Category.TERRORISM_CONVICT,
    Listing.Category.PVE,
    Listing.Category.FTF,
    Listing.Category.HATE_PROPAGANDIST,
]
GOALS = ["psychosocial", "education_employment", "social_context", "mental_health"]


def _build_shape(caw, consultant, shape):
    """Trajectories per (prison, year), with every kind of outcome, listing category and guidance."""
    from trajectories.models import Goal, Trajectory

    n = 0
    guidance = list(Trajectory.GuidanceType.values)
    reasons = ["aftercare_ended", "goals_reached", "transferred_to_other_service", "reoffended", "other"]
    for code, counts in shape.items():
        prison = Prison.objects.get(code=code)
        for year, count in zip(YEARS, counts, strict=True):
            for i in range(count):
                n += 1
                person = _detainee(caw, consultant, f"Vijf{n}", f"Jaar{n}", prison=code)
                PlacementFactory(detainee=person, prison=prison, from_date=D(2019, 1, 1))
                ListingFactory(
                    detainee=person, category=CATEGORIES[n % len(CATEGORIES) if n % 7 else 0], listed_on=D(2019, 6, 1)
                )
                start = D(year, 1 + (i * 2) % 10, 5)
                if n % 6 == 0:
                    steps = [("referred", start), ("declined", start + dt.timedelta(days=20))]
                    item = trajectory(person, steps)
                else:
                    steps = [
                        ("referred", start),
                        ("intake", start + dt.timedelta(days=15)),
                        ("active", start + dt.timedelta(days=40)),
                    ]
                    closed = n % 4 == 0 and year < 2025
                    if closed:
                        steps.append(("closed", start + dt.timedelta(days=300)))
                    item = trajectory(
                        person,
                        steps,
                        goals=[(GOALS[n % 4], n % 3 != 0)],
                        closure_reason=reasons[n % 5] if closed else "",
                    )
                    goal = item.goals.first()
                    goal.status = [
                        Goal.GoalStatus.ACHIEVED,
                        Goal.GoalStatus.PARTLY_ACHIEVED,
                        Goal.GoalStatus.AGREED,
                        Goal.GoalStatus.NOT_ACHIEVED,
                        Goal.GoalStatus.DROPPED,
                    ][n % 5]
                    goal.save(update_fields=["status"])
                Trajectory.objects.filter(pk=item.pk).update(guidance_type=guidance[n % 3 if n % 5 else 3])
                person.gender = ["male", "male", "female", "unknown", "male", "x"][n % 6]
                person.save(update_fields=["gender"])
    return n


@pytest.fixture
def five_prisons(today, caw, consultant):
    return _build_shape(caw, consultant, SHAPE)


@pytest.fixture
def five_prisons_with_sessions(five_prisons, caw, consultant):
    """The five-prison world with a year of contacts (on intervention modules), outreach to files without a
    trajectory, and people transferred between prisons during the year."""
    from casework.models import Detainee, InterventionModule
    from tests.factories import SessionFactory

    from .factories import at

    modules = list(InterventionModule.objects.order_by("code")[:4])
    people = list(Detainee.objects.filter(first_name__startswith="Vijf").order_by("pk"))
    for i in range(9):
        person = _detainee(caw, consultant, f"Outreach{i}", f"Buiten{i}", prison="gent" if i % 2 else "brugge")
        PlacementFactory(detainee=person, prison=person.current_prison, from_date=D(2020, 1, 1))
        if i % 3 == 0:
            people.append(person)
    for n, person in enumerate(people):
        for k in range(n % 4):
            session = SessionFactory(detainee=person, author=consultant, started_at=at(D(2025, 1 + (n + k) % 12, 10)))
            session.modules.set(modules[(n + k) % 4 : (n + k) % 4 + 1 + k % 2])
        if n % 11 == 0:  # moved to Hasselt in the autumn, and seen there
            person.placements.update(to_date=D(2025, 8, 31))
            PlacementFactory(detainee=person, prison=Prison.objects.get(code="hasselt"), from_date=D(2025, 9, 1))
            SessionFactory(detainee=person, author=consultant, started_at=at(D(2025, 10, 3)))


@pytest.fixture
def subtraction(today, caw, consultant):
    """2025 per prison: Hasselt 6, three prisons with small counts (1 each), total 9."""
    return _build_shape(
        caw,
        consultant,
        {"hasselt": [0, 0, 0, 0, 6], "brugge": [0, 0, 0, 0, 1], "gent": [0, 0, 0, 0, 1], "antwerpen": [0, 0, 0, 0, 1]},
    )


@pytest.fixture
def all_small(today, caw, consultant):
    return _build_shape(caw, consultant, {"hasselt": [0, 0, 0, 2, 1], "gent": [1, 0, 0, 0, 2]})


@pytest.fixture
def five_prisons_with_releases(five_prisons, caw, consultant):
    """The five-prison world with releases whose 12- and 24-month windows end in 2024 and 2025: re-incarcerated
    (a new placement, a review with the date), known not to be (a later review), and without information, in
    small and larger counts."""
    from .factories import released

    n = 0
    for year, parts in ((2023, (3, 7, 1)), (2022, (2, 0, 6)), (2024, (1, 2, 9))):
        for outcome, count in zip(("placed", "free", "unknown"), parts, strict=True):
            for i in range(count):
                n += 1
                day = D(year, 1 + (n * 5) % 12, 1 + i % 27)
                released(
                    caw,
                    consultant,
                    500 + n,
                    day,
                    placed_on=day + dt.timedelta(days=200) if outcome == "placed" else None,
                    review=(D(2026, 3, 1), "no", None) if outcome == "free" else None,
                )


def _release(client, manager, year=2025):
    client.force_login(manager)
    response = client.get(API, {"year": year})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    "fixture",
    ["world", "five_prisons", "five_prisons_with_sessions", "subtraction", "all_small", "five_prisons_with_releases"],
)
def test_no_release_narrows_a_small_cell(request, fixture, client, manager):
    request.getfixturevalue(fixture)
    small = 0
    for year in (2024, 2025):
        body = _release(client, manager, year)
        small += sum(1 for i in audit(body) if i.marker == "<5")
        narrowed = leaks(body)
        assert not narrowed, "\n".join(f"{year} {i.key}: {i.low:g}..{i.high:g}" for i in narrowed)
    assert small, "the fixture should have small cells"


def test_the_release_of_the_five_prisons_still_publishes_most_cells(five_prisons_with_sessions, client, manager):
    body = _release(client, manager, 2025)
    markers = [i.marker for i in audit(body)]
    published = sum(
        1
        for table in ("series_by_prison", "by_prison", "reach_by_prison")
        for row in body[table]
        for k, v in row.items()
        if k not in ("label", "code", "total") and isinstance(v, int)
    )
    assert markers.count("<5") > 5 and published > 25
    totals = body["series_by_prison"][-1]
    assert [totals[y] for y in ("2022", "2023", "2024")] == [12, 11, 16]  # the year totals stay ...
    # ... except where every part is small: 2021's four categories are 4 each, so its total of 16 would give
    # them all away
    assert totals["2021"] == "x"
    assert all(row["2021"] == "<5" for row in body["series_by_category"] if not row["total"])
