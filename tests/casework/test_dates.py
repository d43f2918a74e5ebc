"""Plausible dates, the same rules for the pages, the API and the import (accounts/dates.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from casework.models import Detainee, Session
from trajectories.models import Goal

from .test_import import csv_bytes, errors_of
from .test_import import post as import_post

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def session_body(detainee, started_at):
    return {
        "detainee": detainee.pk,
        "started_at": started_at,
        "duration_minutes": 45,
        "modality": "in_person_prison",
        "attendance": "attended",
        "summary": "Gesprek.",
    }


@pytest.mark.parametrize("started_at", ["0205-03-09T10:00:00+01:00", "1899-12-31T10:00:00+01:00"])
def test_a_session_in_an_implausible_year_is_refused(consultant, detainee, started_at):
    response = api(consultant).post("/api/v1/sessions/", session_body(detainee, started_at), format="json")
    assert response.status_code == 400
    assert "started_at" in response.json()
    assert not Session.objects.exists()


def test_a_session_before_the_detainee_was_born_is_refused(consultant, detainee):
    detainee.date_of_birth = dt.date(1995, 4, 1)
    detainee.save(update_fields=["date_of_birth"])
    response = api(consultant).post(
        "/api/v1/sessions/", session_body(detainee, "1994-06-01T10:00:00+02:00"), format="json"
    )
    assert response.status_code == 400
    assert "geboortedatum" in str(response.json()["started_at"])
    ok = api(consultant).post("/api/v1/sessions/", session_body(detainee, "2026-03-09T10:00:00+01:00"), format="json")
    assert ok.status_code == 201, ok.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"incarcerated_on": "2024-01-10", "sentence_ends_on": "2023-06-01"}, "sentence_ends_on"),
        ({"incarcerated_on": "2024-01-10", "sentence_ends_on": "2024-01-10"}, "sentence_ends_on"),
        ({"date_of_birth": "1990-05-05", "incarcerated_on": "1989-01-01"}, "incarcerated_on"),
        ({"date_of_birth": "0205-05-05"}, "date_of_birth"),
        ({"incarcerated_on": "2024-01-10", "leave_eligible_on": "2020-01-01"}, "leave_eligible_on"),
        ({"sentence_ends_on": "2999-01-01"}, "sentence_ends_on"),
    ],
)
def test_implausible_file_dates_are_refused_by_the_api(consultant, detainee, payload, field):
    before = Detainee.objects.values().get(pk=detainee.pk)
    response = api(consultant).patch(f"/api/v1/detainees/{detainee.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Detainee.objects.values().get(pk=detainee.pk) == before


def test_the_form_refuses_a_sentence_that_ends_before_the_incarceration(client, consultant, detainee):
    client.force_login(consultant)
    url = reverse("casework:detainee_update", args=[detainee.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(incarcerated_on="2024-01-10", sentence_ends_on="2023-06-01")
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert "Het einde van de straf moet na de opsluiting liggen." in response.content.decode()
    detainee.refresh_from_db()
    assert detainee.sentence_ends_on != dt.date(2023, 6, 1)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "EPI-9;Janssens;Tom;1991-05-05;;gent;convicted;2024-01-01;;;2023-06-01;ftf;2;2023-12-01",
            "sentence_ends_on",
            "Het einde van de straf moet na de opsluiting liggen.",
        ),
        (
            "EPI-9;Janssens;Tom;1991-05-05;;gent;convicted;1990-01-01;;;;ftf;2;2023-12-01",
            "incarcerated_on",
            "De opsluiting moet na de geboortedatum liggen.",
        ),
        (
            "EPI-9;Janssens;Tom;0205-05-05;;gent;convicted;2024-01-01;;;;ftf;2;2023-12-01",
            "date_of_birth",
            "Deze datum is niet aannemelijk",
        ),
    ],
)
def test_the_import_applies_the_same_rules_in_the_same_words(manager, row, column, message):
    response = import_post(manager, csv_bytes(row))
    assert response.status_code == 400
    assert (2, column) in errors_of(response)
    assert message in str(response.json()["errors"])
    assert not Detainee.objects.exists()


def test_every_model_date_has_the_range_even_without_its_own_rule(consultant, detainee):
    """A goal's target date (no rule of its own) in the year 0205 is refused by the shared check."""
    from tests.trajectories.factories import TrajectoryFactory

    trajectory = TrajectoryFactory(detainee=detainee, lead_consultant=consultant)
    response = api(consultant).post(
        f"/api/v1/trajectories/{trajectory.pk}/goals/",
        {"domain": "psychosocial", "description": "Werk", "target_date": "0205-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "target_date" in response.json(), response.json()
    assert not Goal.objects.exists()
