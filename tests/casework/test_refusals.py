"""Every refused access on record (casework/refusals.py): a 404 or 403 on a route that names an object
writes who, which route, which object, from where and when — never a path or case content; the dpo lists,
filters and exports them; a burst of refusals by one account e-mails the dpo at once, once."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from casework.models import AccessRefusal
from tests.factories import DetaineeFactory, api_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def settings_burst(settings):
    settings.ACCESS_REFUSAL_BURST = 20
    settings.ACCESS_REFUSAL_WINDOW_MINUTES = 5
    settings.PUBLIC_BASE_URL = "https://disengage.example.org"
    return settings


def test_a_refused_page_is_recorded_with_route_object_and_address(client, outsider, detainee):
    client.force_login(outsider)
    response = client.get(reverse("casework:detainee_detail", args=[detainee.pk]), REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 404
    refusal = AccessRefusal.objects.get()
    assert (refusal.user, refusal.route, refusal.object_id, refusal.status, refusal.method, refusal.ip_address) == (
        outsider,
        "casework:detainee_detail",
        str(detainee.pk),
        404,
        "GET",
        "10.0.0.7",
    )
    assert refusal.params == {"pk": str(detainee.pk)}
    # Codes only: no name of the file anywhere in the row.
    assert "Youssef" not in str(refusal.__dict__) and "El Amrani" not in str(refusal.__dict__)


def test_a_missing_object_is_recorded_like_a_hidden_one(client, consultant):
    client.force_login(consultant)
    assert client.get(reverse("casework:detainee_detail", args=[987654])).status_code == 404
    assert AccessRefusal.objects.get().object_id == "987654"


def test_api_refusals_through_a_token_are_recorded(outsider, detainee):
    api = APIClient(REMOTE_ADDR="10.0.0.9")
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(outsider)}")
    assert api.get(f"/api/v1/detainees/{detainee.pk}/").status_code == 404
    refusal = AccessRefusal.objects.get()
    assert refusal.user == outsider and refusal.object_id == str(detainee.pk) and refusal.ip_address == "10.0.0.9"
    assert refusal.route.endswith("detainee-detail")


def test_a_403_on_an_object_is_recorded(director, detainee):
    api = APIClient()
    api.force_authenticate(director)
    assert api.patch(f"/api/v1/detainees/{detainee.pk}/", {"first_name": "X"}, format="json").status_code == 403
    assert AccessRefusal.objects.get().status == 403


def test_pages_without_an_object_and_successes_are_not_recorded(client, consultant, detainee):
    client.force_login(consultant)
    assert client.get(reverse("casework:detainee_detail", args=[detainee.pk])).status_code == 200
    assert client.get("/bestaat-niet/").status_code == 404
    assert not AccessRefusal.objects.exists()


def test_secrets_in_a_path_are_never_kept(client, consultant):
    client.force_login(consultant)
    assert client.post(reverse("account_token_revoke", args=["dsg_abcdefghij"])).status_code == 404
    assert not AccessRefusal.objects.exists()  # the only parameter is (part of) a secret


def test_a_burst_notifies_the_dpo_once(client, outsider, dpo, caw, settings_burst, django_capture_on_commit_callbacks):
    files = DetaineeFactory.create_batch(25, organisation=caw)
    client.force_login(outsider)
    for index, person in enumerate(files):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("casework:detainee_detail", args=[person.pk]))
        if index == 18:
            assert not mail.outbox  # 19 refusals: no alert yet
    assert AccessRefusal.objects.filter(user=outsider).count() == 25
    assert AccessRefusal.objects.filter(burst_alert=True).count() == 1
    (message,) = mail.outbox
    assert message.to == [dpo.email]
    assert outsider.username in message.body and "20" in message.body
    assert f"https://disengage.example.org{reverse('privacy:refusal_review')}?user={outsider.pk}" in message.body
    for person in files:
        assert person.last_name not in message.body


def test_the_dpo_lists_filters_and_exports(client, dpo, outsider, colleague, detainee, django_assert_num_queries):
    for user in (outsider, colleague, outsider):
        other = client.__class__()
        other.force_login(user)
        other.get(reverse("casework:detainee_detail", args=[detainee.pk + 1000]))
    client.force_login(dpo)
    url = reverse("privacy:refusal_review")
    # 1 session, 1 user, 1 chosen account (filter), 1 access-log insert, 1 accounts of the filter's
    # list, 1 keyset page with accounts and organisations (no count: ADR 0036)
    with django_assert_num_queries(6):
        html = client.get(url, {"user": outsider.pk}).content.decode()
    assert html.count(f"?user={outsider.pk}") >= 2 and f'?user={colleague.pk}"' not in html
    export = client.get(url, {"user": outsider.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["tijdstip", "gebruiker", "rol", "organisatie", "route"]
    assert len(rows) == 3 and {row[1] for row in rows[1:]} == {outsider.username}


@pytest.mark.parametrize("role", ["consultant", "manager", "admin_user", "partner_with_consent"])
def test_only_the_dpo_sees_the_refusals(client, personas, request, role):
    user = personas["admin" if role == "admin_user" else role]
    client.force_login(user)
    assert client.get(reverse("privacy:refusal_review")).status_code == 404
