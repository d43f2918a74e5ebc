"""The demo conferences load through the services and a second run adds nothing."""

import random

import pytest

from casusoverleg import demo
from casusoverleg.models import Conference, Minutes

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(django_capture_on_commit_callbacks):
    from casework import demo as casework_demo

    casework_demo.seed(rng=random.Random(1), stdout=None)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(rng=random.Random(2))
    count = Conference.objects.count()
    assert count > 0
    assert Minutes.objects.filter(status="approved").count() == count // 2
    demo.seed(rng=random.Random(2))
    assert Conference.objects.count() == count


def test_demo_conferences_rest_on_bases_that_were_there(django_capture_on_commit_callbacks):
    """ADR 0033: every demo participant has the basis the conference claims — none is invited without one, and
    the approved minutes name each participant's real basis."""
    from casework import demo as casework_demo
    from casusoverleg.basis import participants_with_basis
    from casusoverleg.models import StandingMember

    casework_demo.seed(rng=random.Random(1), stdout=None)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(rng=random.Random(2))
    assert StandingMember.objects.filter(role="psd").exists()
    for conference in Conference.objects.select_related("detainee", "prison"):
        participants = participants_with_basis(conference, list(conference.participants.select_related("user", "organisation")))
        assert all(p.basis.has_access for p in participants), conference
        assert any(p.role == "psd" for p in participants)
    for minutes in Minutes.objects.filter(status="approved"):
        assert all(p["basis"] != "Geen toegang tot de inhoud" for p in minutes.snapshot["participants"])
        assert not minutes.snapshot["conference"]["basis_note"]
