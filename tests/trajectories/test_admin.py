"""The admin shows a trajectory's status read-only; only the transition service changes it."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(caw):
    return UserFactory(username="root", admin=True, is_superuser=True, organisation=caw)


def test_status_is_read_only_in_the_admin(client, superuser, trajectory):
    client.force_login(superuser)
    url = f"/beheer/trajectories/trajectory/{trajectory.pk}/change/"
    html = client.get(url).content.decode()
    assert 'name="status"' not in html and "Aangemeld" in html
    response = client.post(
        url,
        {
            "status": "closed",
            "referred_on": "2025-01-07",
            "referred_by": "psd",
            "referring_organisation": "",
            "referral_reason": "Gecorrigeerd",
            "guidance_type": "disengagement_consultant",
            "status_changes-TOTAL_FORMS": "1",
            "status_changes-INITIAL_FORMS": "1",
            "status_changes-MIN_NUM_FORMS": "0",
            "status_changes-MAX_NUM_FORMS": "1000",
            "status_changes-0-id": trajectory.status_changes.get().pk,
            "status_changes-0-trajectory": trajectory.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    trajectory.refresh_from_db()
    assert trajectory.status == "referred"
    assert trajectory.referral_reason == "Gecorrigeerd"
    assert str(trajectory.referred_on) == "2025-01-07"
    assert trajectory.status_changes.count() == 1


def test_no_adding_or_deleting_trajectories_in_the_admin(client, superuser, trajectory):
    client.force_login(superuser)
    assert client.get("/beheer/trajectories/trajectory/add/").status_code == 403
    assert client.get(f"/beheer/trajectories/trajectory/{trajectory.pk}/delete/").status_code == 403


def test_instruments_are_managed_in_the_admin(client, superuser):
    client.force_login(superuser)
    html = client.get("/beheer/trajectories/assessmenttemplate/").content.decode()
    assert "Drempels om de groep te verlaten" in html
