"""The transfer's rows of the permission matrix with a real transfer (ADR 0040): the detainee moved from Hasselt
(the `director` persona's prison) to Gent (`other_director`'s) with one conference planned and flagged and one
held in Hasselt. Per persona: the file, the flagged and the held conference, the decision page and endpoint, the
list of flags and the transfers of the file. An invisible record is a 404 (and the refusal is logged)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from casework import services as casework_services
from casework.models import AccessRefusal, Prison
from casework.services_transfer import detainee_transfer
from casusoverleg import services
from tests.casusoverleg.factories import schedule
from tests.security.matrix_expectations import PERSONAS

BRUSSELS = ZoneInfo("Europe/Brussels")
NAMED = [persona for persona in PERSONAS if persona != "anonymous"]


def expect(line: str) -> dict[str, int]:
    codes = line.split()
    assert len(codes) == len(NAMED)
    return dict(zip(NAMED, (int(code) for code in codes), strict=True))


#                                   co  cl  ou  ma  di  od  pw  po  ad  dp
FILE = expect("200 200 404 200 404 200 200 404 404 404")
FLAGGED = expect("200 200 404 200 200 200 404 404 404 404")
HELD = expect("200 200 404 200 200 404 404 404 404 404")
RESOLVE_GET = expect("200 200 404 200 200 200 404 404 404 404")
RESOLVE_POST = expect("403 403 404 403 400 400 404 404 404 404")
API_FLAGS = expect("200 200 404 200 200 200 404 404 404 404")
API_RESOLVE = expect("403 403 404 403 400 400 404 404 404 404")
FLAG_LIST = expect("1   1   0   1   1   1   0   0   0   0")
TRANSFER_FORM = expect("200 200 404 200 404 403 403 404 404 404")


@pytest.fixture
def moved(detainee, consultant, director, other_director, hasselt):
    with time_machine.travel(dt.datetime(2026, 2, 2, 9, 0, tzinfo=BRUSSELS), tick=False) as traveller:
        casework_services.placement_record(
            detainee=detainee, user=consultant, prison=hasselt, from_date=detainee.incarcerated_on
        )
        held = schedule(director, detainee, starts_at=dt.datetime(2026, 2, 3, 10, 0, tzinfo=BRUSSELS))
        traveller.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS))
        services.attendance_record(
            conference=held, user=director, attended={p.pk: True for p in held.participants.all()}
        )
        planned = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
        detainee_transfer(
            detainee=detainee,
            user=consultant,
            prison=Prison.objects.get(code="gent"),
            transferred_on=dt.date(2026, 3, 2),
        )
        yield {"held": held, "planned": planned}


@pytest.mark.parametrize("persona", NAMED)
def test_transfer_rows_per_role(persona, personas, detainee, moved, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    user = personas[persona]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    planned, held = moved["planned"], moved["held"]
    observed = {
        "file": client.get(reverse("casework:detainee_detail", args=[detainee.pk])).status_code,
        "flagged": client.get(reverse("casusoverleg:detail", args=[planned.pk])).status_code,
        "held": client.get(reverse("casusoverleg:detail", args=[held.pk])).status_code,
        "resolve_get": client.get(reverse("casusoverleg:transfer_resolve", args=[planned.pk])).status_code,
        "resolve_post": client.post(reverse("casusoverleg:transfer_resolve", args=[planned.pk]), {}).status_code,
        "api_flags": api.get(f"/api/v1/conferences/{planned.pk}/transfer/").status_code,
        "api_resolve": api.post(f"/api/v1/conferences/{planned.pk}/transfer/", {}, format="json").status_code,
        "flag_list": api.get("/api/v1/transfer-flags/").json()["count"],
        "transfer_form": client.get(reverse("casework:transfer_create", args=[detainee.pk])).status_code,
    }
    expected = {
        "file": FILE[persona],
        "flagged": FLAGGED[persona],
        "held": HELD[persona],
        "resolve_get": RESOLVE_GET[persona],
        "resolve_post": RESOLVE_POST[persona],
        "api_flags": API_FLAGS[persona],
        "api_resolve": API_RESOLVE[persona],
        "flag_list": FLAG_LIST[persona],
        "transfer_form": TRANSFER_FORM[persona],
    }
    assert observed == expected
    # Nothing was decided by a refused or empty request.
    assert planned.transfer_flags.get().is_pending
    if observed["file"] == 404:
        assert AccessRefusal.objects.filter(user=user).exists()
