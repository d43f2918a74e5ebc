"""API v1: conferences (?prison=&from=&to=), participants, minutes, approve, minutes.pdf — per role and bad input."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from casusoverleg import services
from casusoverleg.models import Conference, Minutes, Participant

from .conftest import BRUSSELS

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(detainee, **extra):
    return {
        "detainee": detainee.pk,
        "prison": detainee.current_prison_id,
        "kind": "periodic",
        "starts_at": "2026-03-16T10:00:00+01:00",
        "ends_at": "2026-03-16T11:30:00+01:00",
        "location": "Zaal 2",
        **extra,
    }


def test_director_schedules_through_the_api(now, director, detainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(director).post("/api/v1/conferences/", _payload(detainee), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "planned"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ends_at": "2026-03-16T09:00:00+01:00"}, "ends_at"),
        ({"basis": "art458ter"}, "authorisation_reference"),
        ({"prison": "gent"}, "prison"),
    ],
)
def test_bad_schedules_are_400_and_write_nothing(now, director, detainee, change, field):
    from casework.models import Prison

    if change.get("prison") == "gent":
        change = {"prison": Prison.objects.get(code="gent").pk}
    response = api(director).post("/api/v1/conferences/", _payload(detainee, **change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Conference.objects.exists()


def test_detainee_of_another_prison_cannot_be_scheduled(now, director, detainee):
    from casework.models import Prison

    detainee.current_prison = Prison.objects.get(code="gent")
    detainee.save()
    response = api(director).post(
        "/api/v1/conferences/", _payload(detainee, prison=Prison.objects.get(code="hasselt").pk), format="json"
    )
    assert response.status_code == 400 and "detainee" in response.json()


def test_ical_uid_collision_is_refused(now, director, detainee, conference):
    response = api(director).post(
        "/api/v1/conferences/", _payload(detainee, ical_uid=conference.ical_uid), format="json"
    )
    assert response.status_code == 400
    assert "ical_uid" in response.json()
    assert Conference.objects.count() == 1


def test_list_filters(now, director, detainee, conference):
    client = api(director)
    assert client.get("/api/v1/conferences/?prison=hasselt").json()["count"] == 1
    assert client.get("/api/v1/conferences/?prison=gent").json()["count"] == 0
    assert client.get("/api/v1/conferences/?from=2026-03-09&to=2026-03-09").json()["count"] == 1
    assert client.get("/api/v1/conferences/?from=2026-03-10").json()["count"] == 0
    assert client.get("/api/v1/conferences/?from=gisteren").status_code == 400


EXPECTED = {
    "director": 200,
    "consultant": 200,
    "colleague": 200,
    "manager": 200,
    "outsider": 404,
    "other_director": 404,
    "partner_with_consent": 404,
    "partner_without_consent": 404,
    "admin": 404,
    "dpo": 404,
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_conference_visibility_per_role(now, personas, conference, role):
    response = api(personas[role]).get(f"/api/v1/conferences/{conference.pk}/")
    assert response.status_code == EXPECTED[role]
    listed = api(personas[role]).get("/api/v1/conferences/").json()["count"]
    assert listed == (1 if EXPECTED[role] == 200 else 0)


def test_invited_partner_needs_scope_minutes(now, director, conference, partner_with_consent, minutes_consent):
    client = api(partner_with_consent)
    assert client.get(f"/api/v1/conferences/{conference.pk}/").status_code == 404  # consent, but not invited
    services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
    )
    assert client.get(f"/api/v1/conferences/{conference.pk}/").status_code == 200
    minutes_consent.withdrawn_on = dt.date(2026, 3, 1)
    minutes_consent.save()
    assert client.get(f"/api/v1/conferences/{conference.pk}/").status_code == 404


def test_invited_partner_without_consent_sees_an_art458ter_conference(now, director, detainee, partner_without_consent):
    from .factories import schedule

    conf = schedule(
        director,
        detainee,
        starts_at=dt.datetime(2026, 3, 10, 14, 0, tzinfo=BRUSSELS),
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/123",
        kind="ad_hoc",
    )
    services.participant_add(
        conference=conf, user=director, role=Participant.Role.PARTNER, participant_user=partner_without_consent
    )
    assert api(partner_without_consent).get(f"/api/v1/conferences/{conf.pk}/").status_code == 200


def test_participants_and_minutes_round_trip(now, director, consultant, conference, django_capture_on_commit_callbacks):
    client = api(director)
    response = client.post(
        f"/api/v1/conferences/{conference.pk}/participants/",
        {"name": "Ilse Claes", "email": "ilse@justitiehuis.example", "role": "partner"},
        format="json",
    )
    assert response.status_code == 201
    bad = client.post(
        f"/api/v1/conferences/{conference.pk}/participants/", {"name": "Zonder Mail", "role": "partner"}, format="json"
    )
    assert bad.status_code == 400 and "email" in bad.json()
    assert len(client.get(f"/api/v1/conferences/{conference.pk}/participants/").json()) == 3
    assert (
        api(consultant)
        .post(
            f"/api/v1/conferences/{conference.pk}/participants/", {"name": "X", "email": "x@example.org"}, format="json"
        )
        .status_code
        == 404
    )

    minutes = client.get(f"/api/v1/conferences/{conference.pk}/minutes/").json()
    item = conference.agenda_items.first()
    body = {
        "revision": minutes["revision"],
        "general_notes": "Goed overleg",
        "notes": [{"agenda_item": item.pk, "text": "OK"}],
        "decisions": [{"text": "Doorgaan", "consensus": True}],
        "actions": [{"description": "Verslag bezorgen", "owner_user": director.pk, "due_on": "2026-03-20"}],
    }
    saved = client.put(f"/api/v1/conferences/{conference.pk}/minutes/", body, format="json")
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    stale = client.put(f"/api/v1/conferences/{conference.pk}/minutes/", body, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["revision"] == 1

    # Approval before the meeting: 400; by a non-chair: 400; after the meeting by the chair: 200.
    assert client.post(f"/api/v1/conferences/{conference.pk}/minutes/approve/", {}, format="json").status_code == 400
    now.move_to(dt.datetime(2026, 3, 9, 12, 0, tzinfo=BRUSSELS))
    assert (
        api(consultant).post(f"/api/v1/conferences/{conference.pk}/minutes/approve/", {}, format="json").status_code
        == 400
    )
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/api/v1/conferences/{conference.pk}/minutes/approve/", {"revision": 1}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert len(approved.json()["fingerprint"]) == 64
    again = client.put(f"/api/v1/conferences/{conference.pk}/minutes/", {**body, "revision": 1}, format="json")
    assert again.status_code == 400 and "status" in again.json()

    pdf = client.get(f"/api/v1/conferences/{conference.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert api(consultant).get(f"/api/v1/conferences/{conference.pk}/minutes.pdf").status_code == 200
    assert Minutes.objects.get(conference=conference).is_approved


def test_minutes_pdf_is_404_before_approval_and_for_outsiders(now, director, outsider, conference):
    assert api(director).get(f"/api/v1/conferences/{conference.pk}/minutes.pdf").status_code == 404
    assert api(outsider).get(f"/api/v1/conferences/{conference.pk}/minutes.pdf").status_code == 404
