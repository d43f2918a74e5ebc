"""The permission matrix for the organiser of meetings outside detention (ADR 0041): every URL pattern × three
organisers × GET and POST, with the expected statuses in tests/security/matrix_organiser.py.

The objects are those of the main matrix (test_permission_matrix.py), except that every conference route points
at a meeting outside detention on a released person of the same organisation:
- `organiser` chairs it on the court's mandate (his basis holds);
- `organiser_without_basis` chairs a second one whose consent was withdrawn (every route of it is his 404);
- `other_organiser` chairs nothing.
The file routes point at the in-prison file of the main matrix: no organiser ever opens a file.
Set `MATRIX_DUMP=1` to print the observed table instead of asserting.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from casework.models import Consent
from casusoverleg.services.meetings import meeting_schedule
from tests.factories import ConsentFactory, DetaineeFactory, OrganisationFactory, UserFactory
from tests.security.matrix_organiser import EXPECTED, ORGANISERS
from tests.security.test_permission_matrix import objects, resolve_url, url_patterns  # noqa: F401 - fixture

NN = "93051822361"


@pytest.fixture
def organisers(db):
    justice_house = OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house")
    livc = OrganisationFactory(name="LIVC Genk", kind="local_government")
    return {
        "organiser": UserFactory(username="organiser", role=User.Role.ORGANISER, organisation=justice_house),
        "organiser_without_basis": UserFactory(
            username="organiser_without_basis", role=User.Role.ORGANISER, organisation=livc
        ),
        "other_organiser": UserFactory(
            username="other_organiser",
            role=User.Role.ORGANISER,
            organisation=OrganisationFactory(name="LIVC Maasmechelen", kind="local_government"),
        ),
    }


@pytest.fixture
def meeting_objects(objects, organisers, caw, consultant):  # noqa: F811 - the main matrix's fixture
    released = DetaineeFactory(
        organisation=caw,
        current_prison=None,
        released_on=timezone.localdate() - dt.timedelta(days=30),
        lead_consultant=consultant,
    )
    start = timezone.now() + dt.timedelta(days=7)
    meeting = meeting_schedule(
        user=organisers["organiser"],
        kind="livc",
        detainee=None,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        venue="Justitiehuis Hasselt",
        basis="court_mandate",
        mandate_reference="SURB Antwerpen 2026/412",
        **_found(released),
    )
    consent = ConsentFactory(
        detainee=released,
        organisation=organisers["organiser_without_basis"].organisation,
        explained_by=consultant,
        purposes=["conference"],
        scopes=["minutes"],
    )
    lapsed = meeting_schedule(
        user=organisers["organiser_without_basis"],
        kind="livc",
        detainee=None,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        venue="LIVC Genk",
        basis="consent",
        **_found(released),
    )
    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=timezone.localdate())
    by_persona = {}
    for persona, conference in (
        ("organiser", meeting),
        ("organiser_without_basis", lapsed),
        ("other_organiser", meeting),
    ):
        by_persona[persona] = {
            **objects,
            "conference": conference,
            "participant": conference.participants.first(),
            "agenda_item": conference.agenda_items.first(),
        }
    return by_persona


def _found(released) -> dict:
    """Plan by national number: the service finds the file through its blind index."""
    from casework.services import detainee_update

    manager = UserFactory(username="matrix-manager", manager=True, organisation=released.organisation)
    detainee_update(detainee=released, user=manager, national_number=NN)
    return {"national_number": NN}


def test_every_url_pattern_has_expectations():
    missing = [f"{name}  ({route})" for name, route in url_patterns() if name not in EXPECTED]
    assert not missing, "URL patterns without a row in tests/security/matrix_organiser.py:\n" + "\n".join(missing)


def test_no_stale_rows():
    stale = sorted(set(EXPECTED) - {name for name, _route in url_patterns()})
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("persona", ORGANISERS)
def test_organiser_matrix(persona, organisers, meeting_objects, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    client = Client(raise_request_exception=False)
    user = organisers[persona]
    client.force_login(user)
    failures, observed = [], []
    dump = bool(os.environ.get("MATRIX_DUMP"))
    for name, route in url_patterns():
        row = EXPECTED.get(name) or ({"get": {}, "post": {}} if dump else None)
        if row is None:
            continue
        url = resolve_url(name, route, meeting_objects[persona])
        for method in ("get", "post") if "post" in row else ("get",):
            expected = row[method].get(persona)
            if name.startswith(("account_", "mfa_")):
                client.force_login(user)
            status = getattr(client, method)(url, HTTP_ACCEPT="text/html,application/json").status_code
            if name.startswith(("account_", "mfa_")):
                client.force_login(user)
            observed.append(f"{method.upper():4} {status} {name}")
            if status >= 500 and not (expected and status in expected):
                failures.append(f"{method.upper()} {url} ({name}) -> {status}")
            elif expected is not None and status not in expected:
                failures.append(f"{method.upper()} {url} ({name}) -> {status}, expected {sorted(expected)}")
            elif expected is None and not dump:
                failures.append(f"{method.upper()} {name}: no expectation for {persona}")
    if dump:
        print(f"\n=== {persona}\n" + "\n".join(observed))
        return
    assert not failures, f"{persona}:\n" + "\n".join(failures)
