"""Merging from the page and the API (ADR 0032): who may merge, conflicts shown and refused, the merged-away id
pointing case staff — and only them — to the survivor, and what a preview and a merge cost in queries.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organisation
from casework.models import AccessLog, Detainee, Listing, NetworkPerson, Placement, Session
from casework.services_merge import detainee_merge
from casusoverleg.models import Conference
from diary.models import PlannedContact
from tests.casework.merge_fixtures import (
    _client,
    duplicate,  # noqa: F401
)
from tests.factories import DetaineeFactory, ListingFactory, NetworkPersonFactory, PlacementFactory, SessionFactory
from tests.trajectories.factories import TrajectoryFactory
from trajectories.models import Action

# --- The page ----------------------------------------------------------------------------------------------


def test_the_manager_merges_from_the_file(detainee, duplicate, consultant, manager):  # noqa: F811
    SessionFactory(detainee=duplicate, author=consultant)
    client = _client(manager)
    file_page = client.get(reverse("casework:detainee_detail", args=[detainee.pk])).content.decode()
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    assert url in file_page
    # The potential duplicates are offered first.
    start = client.get(url).content.decode()
    assert f"?met={duplicate.pk}" in start
    preview = client.get(url, {"met": duplicate.pk}).content.decode()
    assert "Contactmomenten: 1" in preview and 'name="confirm"' in preview
    # Without the confirmation nothing happens.
    refused = client.post(url, {"other": duplicate.pk, "survivor": detainee.pk})
    assert refused.status_code == 200 and Detainee.objects.filter(pk=duplicate.pk).exists()
    response = client.post(url, {"other": duplicate.pk, "survivor": detainee.pk, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "casework:detainee_detail", args=[detainee.pk]
    )
    assert not Detainee.objects.filter(pk=duplicate.pk).exists()
    assert AccessLog.objects.filter(object_kind="merge_preview", detainee=detainee).exists()


def test_the_manager_may_keep_the_other_file(detainee, duplicate, manager):  # noqa: F811
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    response = _client(manager).post(url, {"other": duplicate.pk, "survivor": duplicate.pk, "confirm": "on"})
    assert response["Location"] == reverse("casework:detainee_detail", args=[duplicate.pk])
    assert not Detainee.objects.filter(pk=detainee.pk).exists()


def test_a_conflict_is_shown_and_refused_on_the_page(detainee, duplicate, manager):  # noqa: F811
    TrajectoryFactory(detainee=detainee)
    TrajectoryFactory(detainee=duplicate)
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    client = _client(manager)
    page = client.get(url, {"met": duplicate.pk}).content.decode()
    assert "merge-conflicts" in page and 'name="confirm"' not in page
    response = client.post(url, {"other": duplicate.pk, "survivor": detainee.pk, "confirm": "on"})
    assert response.status_code == 200 and "lopend traject" in response.content.decode()
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize("other", ["999999", "abc", ""])
def test_an_unknown_other_file_is_a_message_not_an_error(detainee, manager, other):
    response = _client(manager).get(reverse("casework:detainee_merge", args=[detainee.pk]), {"met": other})
    assert response.status_code == 200


def test_a_file_of_another_organisation_cannot_be_chosen(detainee, manager):
    foreign = DetaineeFactory(organisation=Organisation.objects.create(name="CAW Oost", kind="caw"))
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    response = _client(manager).post(url, {"other": foreign.pk, "survivor": detainee.pk, "confirm": "on"})
    assert response.status_code == 200 and "Geen ander dossier" in response.content.decode()
    assert Detainee.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("consultant", 403),
        ("colleague", 403),
        ("director", 403),
        ("partner_with_consent", 403),
        ("outsider", 404),
        ("other_director", 404),
        ("partner_without_consent", 404),
        ("admin", 404),
        ("dpo", 404),
    ],
)
def test_who_may_open_the_merge_page(persona, status, personas, detainee, duplicate):  # noqa: F811
    client = _client(personas[persona])
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    assert client.get(url, {"met": duplicate.pk}).status_code == status
    if persona != "manager":
        client.post(url, {"other": duplicate.pk, "survivor": detainee.pk, "confirm": "on"})
        assert Detainee.objects.filter(pk=duplicate.pk).exists()


# --- The merged-away id ------------------------------------------------------------------------------------------


@pytest.fixture
def merged(detainee, duplicate, manager):  # noqa: F811
    """The duplicate merged into the consultant's file; returns the merged-away id."""
    pk = duplicate.pk
    detainee_merge(source=duplicate, target=detainee, user=manager)
    return pk


@pytest.mark.parametrize("persona", ["consultant", "colleague", "manager"])
def test_case_staff_get_a_pointer_to_the_survivor(persona, personas, merged, detainee):
    client = _client(personas[persona])
    for name in ("casework:detainee_detail", "casework:file_sessions", "casework:detainee_update"):
        response = client.get(reverse(name, args=[merged]))
        assert response.status_code == 404
        assert reverse("casework:detainee_detail", args=[detainee.pk]) in response.content.decode()
    api = APIClient()
    api.force_authenticate(personas[persona])
    body = api.get(f"/api/v1/detainees/{merged}/").json()
    assert body["merged_into"] == detainee.pk


@pytest.mark.parametrize(
    "persona", ["partner_with_consent", "partner_without_consent", "director", "outsider", "dpo", "admin"]
)
def test_nobody_else_learns_of_the_merge(persona, personas, merged, detainee):
    client = _client(personas[persona])
    never = client.get(reverse("casework:detainee_detail", args=[999998]))
    response = client.get(reverse("casework:detainee_detail", args=[merged]))
    assert response.status_code == 404
    text = response.content.decode()
    assert reverse("casework:detainee_detail", args=[detainee.pk]) not in text
    assert "samengevoegd" not in text and "El Amrani" not in text
    assert text.replace(str(merged), "N") == never.content.decode().replace("999998", "N")
    api = APIClient()
    api.force_authenticate(personas[persona])
    body = api.get(f"/api/v1/detainees/{merged}/").json()
    assert "merged_into" not in body


# --- The API ----------------------------------------------------------------------------------------------------


def test_the_api_previews_and_merges(detainee, duplicate, consultant, manager):  # noqa: F811
    SessionFactory(detainee=duplicate, author=consultant)
    api = APIClient()
    api.force_authenticate(manager)
    url = f"/api/v1/detainees/{detainee.pk}/merge/"
    preview = api.post(url, {"merged": duplicate.pk, "dry_run": True}, format="json")
    assert preview.status_code == 200 and preview.json()["can_merge"] and preview.json()["merged"] == duplicate.pk
    assert api.post(url, {"merged": duplicate.pk, "confirm": False}, format="json").status_code == 400
    assert api.post(url, {"merged": "x", "confirm": True}, format="json").status_code == 400
    response = api.post(url, {"merged": duplicate.pk, "confirm": True}, format="json")
    assert response.status_code == 200 and response.json()["id"] == detainee.pk
    again = api.post(url, {"merged": duplicate.pk, "confirm": True}, format="json")
    assert again.status_code == 400


def test_the_api_refuses_a_conflict_with_its_reasons(detainee, duplicate, manager):  # noqa: F811
    TrajectoryFactory(detainee=detainee)
    TrajectoryFactory(detainee=duplicate)
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(
        f"/api/v1/detainees/{detainee.pk}/merge/", {"merged": duplicate.pk, "confirm": True}, format="json"
    )
    assert response.status_code == 400 and "lopend traject" in str(response.json())
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 403),
        ("director", 403),
        ("partner_with_consent", 403),
        ("outsider", 404),
        ("partner_without_consent", 404),
        ("dpo", 404),
    ],
)
def test_the_api_merge_is_for_managers(persona, status, personas, detainee, duplicate):  # noqa: F811
    api = APIClient()
    api.force_authenticate(personas[persona])
    response = api.post(
        f"/api/v1/detainees/{detainee.pk}/merge/", {"merged": duplicate.pk, "confirm": True}, format="json"
    )
    assert response.status_code == status
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


# --- Query counts -------------------------------------------------------------------------------------------------


def test_the_preview_costs_the_same_with_one_or_ten_of_everything(detainee, duplicate, consultant, manager):  # noqa: F811
    client = _client(manager)
    url = reverse("casework:detainee_merge", args=[detainee.pk])

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"met": duplicate.pk}).status_code == 200
        return len(queries)

    SessionFactory(detainee=duplicate, author=consultant)
    NetworkPersonFactory(detainee=duplicate)
    ListingFactory(detainee=duplicate)
    one = measure()
    for _ in range(9):
        SessionFactory(detainee=duplicate, author=consultant)
        NetworkPersonFactory(detainee=duplicate)
        ListingFactory(detainee=duplicate)
        PlacementFactory(detainee=duplicate)
    ten = measure()
    # Session and user, memo, the two files, permission, the counts (one query for every part), trajectories,
    # consents, retention, cadence, candidates, the two access-log rows.
    assert one == ten <= 15


def test_the_merge_itself_is_one_transaction_whatever_moves(detainee, duplicate, consultant, manager):  # noqa: F811
    for _ in range(3):
        SessionFactory(detainee=duplicate, author=consultant)
    Listing.objects.count()
    detainee_merge(source=duplicate, target=detainee, user=manager)
    assert Session.objects.filter(detainee=detainee).count() == 3
    assert not NetworkPerson.objects.filter(detainee_id=duplicate.pk).exists()
    assert not Placement.objects.filter(detainee_id=duplicate.pk).exists()
    assert not PlannedContact.objects.filter(detainee_id=duplicate.pk).exists()
    assert not Conference.objects.filter(detainee_id=duplicate.pk).exists()
    assert not Action.objects.filter(detainee_id=duplicate.pk).exists()
