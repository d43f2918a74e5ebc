"""The demo conferences load through the services and a second run adds nothing.

The demo data is seeded once for the module, in a transaction rolled back after its last test (each test runs in
a savepoint inside it, as in Django's TestCase.setUpTestData): both tests read the same seed, which took the
better part of a minute per test."""

import random

import pytest
from django.db import transaction
from django.test import TestCase

from casusoverleg import demo
from casusoverleg.models import Conference, Minutes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from casework import demo as casework_demo

    with django_db_blocker.unblock(), transaction.atomic():
        casework_demo.seed(rng=random.Random(1), stdout=None)
        with TestCase.captureOnCommitCallbacks(execute=True):
            demo.seed(rng=random.Random(2))
        yield
        transaction.set_rollback(True)


def test_demo_seed_is_idempotent(seeded):
    count = Conference.objects.count()
    assert count > 0
    assert Minutes.objects.filter(status="approved").count() == count // 2
    demo.seed(rng=random.Random(2))
    assert Conference.objects.count() == count


def test_demo_conferences_rest_on_bases_that_were_there(seeded):
    """ADR 0033: every demo participant has the basis the conference claims — none is invited without one, and
    the approved minutes name each participant's real basis."""
    from casusoverleg.basis import participants_with_basis
    from casusoverleg.models import StandingMember

    assert StandingMember.objects.filter(role="psd").exists()
    for conference in Conference.objects.select_related("detainee", "prison"):
        participants = participants_with_basis(
            conference, list(conference.participants.select_related("user", "organisation"))
        )
        assert all(p.basis.has_access for p in participants), conference
        if conference.prison_id is not None:  # a meeting outside detention has no prison, so no PSD (ADR 0041)
            assert any(p.role == "psd" for p in participants)
    for minutes in Minutes.objects.filter(status="approved"):
        assert all(p["basis"] != "Geen toegang tot de inhoud" for p in minutes.snapshot["participants"])
        assert not minutes.snapshot["conference"]["basis_note"]
