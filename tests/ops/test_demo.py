"""seed_demo: every role has a demo account that can log in, the dataset is realistic, reproducible and
idempotent (a second run adds nothing)."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from casework.demo import ACCOUNTS, DEMO_PASSWORD
from casework.models import Consent, Detainee, NetworkPerson, Placement, Session


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "users": User.objects.count(),
        "detainees": Detainee.objects.count(),
        "sessions": Session.objects.count(),
        "consents": Consent.objects.count(),
        "network": NetworkPerson.objects.count(),
        "placements": Placement.objects.count(),
        "names": list(Detainee.objects.order_by("external_ref").values_list("external_ref", "first_name", "last_name")),
    }


@pytest.mark.django_db
def test_seed_demo_is_complete_and_idempotent(client):
    output = seed()
    first = snapshot()
    assert first["detainees"] == 40
    assert 200 <= first["sessions"] <= 1000
    roles = set(User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list("role", flat=True))
    assert roles == set(User.Role.values)
    assert User.objects.filter(role="consultant", organisation__name="CAW Limburg").count() == 3
    assert {p.code for u in User.objects.filter(role="director") for p in u.directed_prisons.all()} == {
        "hasselt",
        "brugge",
    }
    assert set(User.objects.filter(role="partner").values_list("organisation__name", flat=True)) == {
        "VDAB",
        "CGG",
        "Justitiehuis",
    }
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    assert Consent.objects.filter(withdrawn_on__isnull=True).exists()
    assert Placement.objects.filter(to_date__isnull=False).exists()  # transfers
    assert Detainee.objects.filter(released_on__isnull=False).exists()  # aftercare files
    assert Session.objects.exclude(attendance="attended").filter(engagement__isnull=True).exists()
    # Every account is printed with the password, and it works.
    assert DEMO_PASSWORD in output
    for account in ACCOUNTS:
        assert account.username in output
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username

    # Reproducible: a fixed seed gives these files on every machine and every day.
    assert first["names"][0] == ("DEMO-001", "Jonas", "Boukhari")
    assert first["names"][1] == ("DEMO-002", "Sofiane", "Azzouz")
    assert first["names"][-1] == ("DEMO-040", "Rachid", "Benali")

    second_output = seed()
    assert snapshot() == first
    assert "0 demo files created, 40 already present" in second_output
