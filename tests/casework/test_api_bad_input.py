"""API v1 of the case file, bad input: a 400 with field errors, never a 500, and nothing written."""

import datetime as dt

import pytest

from casework.models import Consent, Detainee, Listing, NetworkPerson, Placement, Session
from tests.casework.api_helpers import (
    NOW,
    api_as,
    fixed_now,  # noqa: F401
    session_payload,
)
from tests.factories import DetaineeFactory, NetworkPersonFactory

# --- Bad input: 400 with field errors, nothing written ------------------------------------------------------


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"released_on": "2022-01-01"}, "released_on"),  # incarcerated on 2023-01-10
        ({"national_number": "85073003329"}, "national_number"),
        ({"national_number": "12345"}, "national_number"),
        ({"legal_status": "suspect"}, "legal_status"),
        ({"current_prison": "atlantis"}, "current_prison"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"external_ref": "r" * 41}, "external_ref"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
    ],
)
def test_bad_detainee_input_is_refused_with_a_field_error(consultant, detainee, payload, field):
    before = Detainee.objects.values().get(pk=detainee.pk)
    response = api_as(consultant).patch(f"/api/v1/detainees/{detainee.pk}/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Detainee.objects.values().get(pk=detainee.pk) == before


def test_an_external_ref_in_use_is_refused(consultant, detainee, caw):
    DetaineeFactory(organisation=caw, external_ref="EPI-1")
    response = api_as(consultant).patch(f"/api/v1/detainees/{detainee.pk}/", {"external_ref": "EPI-1"}, format="json")
    assert response.status_code == 400
    assert "external_ref" in str(response.json())


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"started_at": (NOW + dt.timedelta(hours=3)).isoformat()}, "started_at"),
        ({"duration_minutes": 12 * 60 + 1}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"attendance": "no_show", "engagement": 3}, "engagement"),
        ({"engagement": 6}, "engagement"),
        ({"modality": "telepathy"}, "modality"),
        ({"attendance": "maybe"}, "attendance"),
        ({"domains": ["astrology"]}, "domains"),
        ({"modules": ["unknown_module"]}, "modules"),
        ({"summary": "x" * 5001}, "summary"),
        ({"confidential_notes": "x" * 10001}, "confidential_notes"),
        ({"started_at": "yesterday"}, "started_at"),
    ],
)
def test_bad_session_input_is_refused_with_a_field_error(consultant, detainee, overrides, field):
    response = api_as(consultant).post("/api/v1/sessions/", session_payload(detainee, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Session.objects.exists()


def test_a_session_with_another_files_network_person_is_refused(consultant, detainee, caw):
    stranger = NetworkPersonFactory(detainee=DetaineeFactory(organisation=caw))
    response = api_as(consultant).post(
        "/api/v1/sessions/", session_payload(detainee, participants=[stranger.pk]), format="json"
    )
    assert response.status_code == 400
    assert "participants" in response.json()
    assert not Session.objects.exists()


def test_placement_ending_before_it_starts_is_refused(consultant, detainee):
    response = api_as(consultant).post(
        f"/api/v1/detainees/{detainee.pk}/placements/",
        {"prison": "gent", "regime": "regular", "from_date": "2024-05-01", "to_date": "2024-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "to_date" in response.json()
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"purposes": ["marketing"]}, "purposes"),
        ({"purposes": []}, "purposes"),
        ({"given_on": "2026-04-01"}, "given_on"),
        ({"language": "x" * 41}, "language"),
    ],
)
def test_bad_consent_input_is_refused(consultant, detainee, overrides, field):
    payload = {
        "organisation": detainee.consents.get().organisation_id,
        "purposes": ["conference"],
        "scopes": ["identity"],
        "given_on": "2026-03-01",
        "explained_by": consultant.pk,
        "language": "Arabisch",
        "interpreter": True,
    }
    payload.update(overrides)
    response = api_as(consultant).post(f"/api/v1/detainees/{detainee.pk}/consents/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Consent.objects.count() == 1


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"category": "spy", "threat_level": 2, "listed_on": "2024-01-01", "source": "OCAD"}, "category"),
        ({"category": "ftf", "threat_level": 5, "listed_on": "2024-01-01", "source": "OCAD"}, "threat_level"),
        (
            {
                "category": "ftf",
                "threat_level": 2,
                "listed_on": "2024-01-01",
                "delisted_on": "2023-01-01",
                "source": "OCAD",
            },
            "delisted_on",
        ),
        ({"category": "ftf", "threat_level": 2, "listed_on": "2024-01-01", "source": "x" * 201}, "source"),
    ],
)
def test_bad_listing_input_is_refused(consultant, detainee, payload, field):
    response = api_as(consultant).post(f"/api/v1/detainees/{detainee.pk}/listings/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json() or "non_field_errors" in response.json(), response.json()
    assert not Listing.objects.exists()


def test_bad_network_input_is_refused(consultant, detainee):
    response = api_as(consultant).post(
        f"/api/v1/detainees/{detainee.pk}/network/",
        {"name": "Fatima", "relation": "cousin", "influence": "positive"},
        format="json",
    )
    assert response.status_code == 400
    assert "relation" in response.json()
    assert not NetworkPerson.objects.exists()


def test_malformed_json_is_a_400_not_a_500(consultant):
    response = api_as(consultant).generic("POST", "/api/v1/sessions/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_network_notes_over_the_limit_are_refused(consultant, detainee):
    response = api_as(consultant).post(
        f"/api/v1/detainees/{detainee.pk}/network/",
        {"name": "Fatima", "relation": "sibling", "influence": "positive", "notes": "x" * 2001},
        format="json",
    )
    assert response.status_code == 400
    assert "notes" in response.json()
    assert not NetworkPerson.objects.exists()
