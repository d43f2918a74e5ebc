"""Release and aftercare: pages and API, per role; bad input answered clearly; constant queries."""

import datetime as dt

import pytest
from django.urls import reverse

from trajectories.models import Status
from trajectories.models_release import FollowUp, Release
from trajectories.services.release import trajectory_release

CASE_STAFF = ["consultant", "colleague", "manager"]
NOT_CASE_STAFF = [
    "outsider",
    "director",
    "other_director",
    "partner_with_consent",
    "partner_without_consent",
    "admin",
    "dpo",
]
PAYLOAD = {
    "released_on": "2025-06-01",
    "modality": "end_of_sentence",
    "destination_municipality": "Genk",
    "follow_up_service": "Justitiehuis Hasselt",
}


@pytest.mark.parametrize("role", CASE_STAFF)
def test_case_staff_register_a_release_through_the_api(client, personas, active_trajectory, role):
    client.force_login(personas[role])
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/release/", PAYLOAD, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["aftercare_ends_on"] == "2025-12-01"
    assert [f["months_after"] for f in body["follow_ups"]] == [1, 3, 6]
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == Status.AFTERCARE
    assert client.get(f"/api/v1/trajectories/{active_trajectory.pk}/release/").json()["modality"] == "end_of_sentence"


@pytest.mark.parametrize("role", NOT_CASE_STAFF)
def test_everyone_else_gets_a_404_and_nothing_changes(client, personas, active_trajectory, role):
    client.force_login(personas[role])
    url = f"/api/v1/trajectories/{active_trajectory.pk}/release/"
    assert client.post(url, PAYLOAD, content_type="application/json").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(reverse("trajectories:aftercare", args=[active_trajectory.pk])).status_code == 404
    assert client.post(reverse("trajectories:release", args=[active_trajectory.pk]), PAYLOAD).status_code == 404
    assert not Release.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"released_on": "2022-01-01"}, "released_on"),
        ({"released_on": "2025-07-01"}, "released_on"),
        ({"released_on": "gisteren"}, "released_on"),
        ({"modality": "escaped"}, "modality"),
        ({"follow_up_months": [3, 1]}, "follow_up_months"),
        ({"follow_up_months": [-1]}, "follow_up_months"),
        ({"destination_municipality": ""}, "destination_municipality"),
        ({"destination_municipality": "x" * 101}, "destination_municipality"),
    ],
)
def test_bad_api_input_is_a_400_with_field_errors(client, consultant, active_trajectory, change, field):
    client.force_login(consultant)
    response = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/release/", {**PAYLOAD, **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Release.objects.exists() and not FollowUp.objects.exists()


def test_second_release_and_release_of_a_referral_are_400(client, consultant, active_trajectory, trajectory):
    client.force_login(consultant)
    url = f"/api/v1/trajectories/{active_trajectory.pk}/release/"
    assert client.post(url, PAYLOAD, content_type="application/json").status_code == 201
    second = client.post(url, PAYLOAD, content_type="application/json")
    assert second.status_code == 400 and "trajectory" in second.json()


def test_release_of_a_referred_trajectory_is_400(client, consultant, trajectory):
    client.force_login(consultant)
    response = client.post(f"/api/v1/trajectories/{trajectory.pk}/release/", PAYLOAD, content_type="application/json")
    assert response.status_code == 400 and "trajectory" in response.json()


def test_release_form_registers_and_redirects(client, consultant, active_trajectory):
    client.force_login(consultant)
    url = reverse("trajectories:release", args=[active_trajectory.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**PAYLOAD, "follow_up_months": "1, 2, 6"})
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:aftercare", args=[active_trajectory.pk])
    assert list(FollowUp.objects.values_list("months_after", flat=True)) == [1, 2, 6]


def test_release_form_shows_errors_next_to_the_field(client, consultant, active_trajectory):
    client.force_login(consultant)
    response = client.post(
        reverse("trajectories:release", args=[active_trajectory.pk]),
        {**PAYLOAD, "released_on": "2022-01-01", "follow_up_months": "6, 3"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "vóór de opsluiting" in page
    assert not Release.objects.exists()


def test_closing_from_the_page_without_a_reason_says_why(client, consultant, active_trajectory):
    trajectory_release(
        trajectory=active_trajectory,
        user=consultant,
        released_on=dt.date(2025, 6, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    client.force_login(consultant)
    response = client.post(
        reverse("trajectories:aftercare_close", args=[active_trajectory.pk]), {"closure_reason": ""}, follow=True
    )
    assert "Kies een reden van afsluiting." in response.content.decode()
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == Status.AFTERCARE
    client.post(
        reverse("trajectories:aftercare_close", args=[active_trajectory.pk]), {"closure_reason": "aftercare_ended"}
    )
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == Status.CLOSED


def test_record_a_follow_up_from_the_page(client, consultant, active_trajectory):
    trajectory_release(
        trajectory=active_trajectory,
        user=consultant,
        released_on=dt.date(2025, 6, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    first = FollowUp.objects.first()
    client.force_login(consultant)
    client.post(
        reverse("trajectories:follow_up_record", args=[active_trajectory.pk, first.pk]),
        {"status": "done", "done_on": "2025-06-02", "note": "Woont bij zijn zus"},
    )
    first.refresh_from_db()
    assert (first.status, first.done_on) == ("done", dt.date(2025, 6, 2))


@pytest.mark.parametrize("months", [[1], [1, 2, 3, 4, 5, 6]])
def test_the_aftercare_page_runs_a_constant_number_of_queries(
    client, consultant, active_trajectory, months, django_assert_num_queries
):
    trajectory_release(
        trajectory=active_trajectory,
        user=consultant,
        released_on=dt.date(2025, 6, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
        follow_up_months=months,
    )
    client.force_login(consultant)
    url = reverse("trajectories:aftercare", args=[active_trajectory.pk])
    # 1 session, 1 user, 1 trajectory (+ detainee, prison, lead), 1 release, 1 follow-ups, 1 packages,
    # 1 access log insert (with its history context), 1 handover consent organisations exist
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
