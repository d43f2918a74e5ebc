"""Personal access tokens and service accounts (docs/adr/0018): created on the profile page after the
second factor, hashed, named, scoped, expiring, listed with last use, revocable; no usable token without
two-step verification."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import token_create, token_revoke, user_enrol_totp
from tests.factories import UserFactory, api_token_for
from tests.security.conftest import TOTP_SECRET, password_login, totp_code

pytestmark = pytest.mark.django_db


def api(secret, address="10.1.2.3"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def logged_in_with_totp(client, user):
    user_enrol_totp(user=user, secret=TOTP_SECRET)
    password_login(client, user.username)
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()}).status_code == 302
    return client


# --- The rule: no second factor, no token -------------------------------------------------------------------


def test_a_token_of_an_account_without_two_step_verification_is_refused(consultant, detainee):
    secret = api_token_for(consultant)
    assert api(secret).get(f"/api/v1/detainees/{detainee.pk}/").status_code == 200
    # The authenticator is removed afterwards (or the token is old): the token stops working at once.
    consultant.authenticator_set.all().delete()
    response = api(secret).get(f"/api/v1/detainees/{detainee.pk}/")
    assert response.status_code in (401, 403)
    assert "Youssef" not in response.content.decode()


def test_no_token_is_issued_without_two_step_verification(consultant):
    with pytest.raises(Exception, match="tweestapsverificatie"):
        token_create(user=consultant, name="script", scope="read", days=30)
    assert not ApiToken.objects.exists()


# --- Hashed, named, scoped, expiring -------------------------------------------------------------------------


def test_only_a_digest_is_stored_and_the_secret_is_recognisable(consultant):
    secret = api_token_for(consultant)
    token = ApiToken.objects.get(user=consultant)
    assert secret.startswith("dsg_")
    assert secret not in (token.digest, token.token_key)
    assert token.digest == hashlib.sha512(secret.encode()).hexdigest()
    assert secret[:15] == token.token_key


@pytest.mark.parametrize(("days", "ok"), [(0, False), (1, True), (90, True), (91, False), (3650, False)])
def test_a_token_expires_within_ninety_days(consultant, days, ok):
    user_enrol_totp(user=consultant, secret=TOTP_SECRET)
    if not ok:
        with pytest.raises(Exception, match="dagen"):
            token_create(user=consultant, name="x", scope="read", days=days)
        return
    token, _secret = token_create(user=consultant, name="x", scope="read", days=days)
    assert abs((token.expiry - timezone.now()) - dt.timedelta(days=days)) < dt.timedelta(minutes=1)


def test_an_expired_token_is_refused_and_removed(consultant, detainee):
    secret = api_token_for(consultant, days=1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        assert api(secret).get(f"/api/v1/detainees/{detainee.pk}/").status_code in (401, 403)
    assert not ApiToken.objects.filter(user=consultant).exists()


def test_a_read_token_reads_but_never_writes(consultant, detainee):
    secret = api_token_for(consultant, scope="read")
    assert api(secret).get(f"/api/v1/detainees/{detainee.pk}/").status_code == 200
    response = api(secret).patch(f"/api/v1/detainees/{detainee.pk}/", {"first_name": "X"}, format="json")
    assert response.status_code == 403
    detainee.refresh_from_db()
    assert detainee.first_name == "Youssef"
    writer = api_token_for(consultant, scope="read_write")
    assert api(writer).patch(f"/api/v1/detainees/{detainee.pk}/", {"first_name": "Y"}, format="json").status_code == 200


def test_last_use_and_address_are_recorded(consultant, detainee):
    secret = api_token_for(consultant)
    api(secret, "10.9.8.7").get("/api/v1/prisons/")
    token = ApiToken.objects.get(user=consultant)
    assert token.last_used_ip == "10.9.8.7"
    assert token.last_used_at is not None


def test_a_revoked_token_stops_at_once(consultant, colleague, detainee):
    secret = api_token_for(consultant)
    token = ApiToken.objects.get(user=consultant)
    with pytest.raises(Exception):  # noqa: B017,PT011 — nobody revokes another person's token
        token_revoke(token=token, by=colleague)
    token_revoke(token=token, by=consultant)
    assert api(secret).get("/api/v1/prisons/").status_code in (401, 403)


# --- The profile page ---------------------------------------------------------------------------------------


def test_creating_a_token_asks_for_the_second_factor_again(client, consultant):
    logged_in_with_totp(client, consultant)
    url = reverse("account_tokens")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        response = client.post(url, {"name": "rapport", "scope": "read", "days": "30"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_reauthenticate"))
        assert not ApiToken.objects.exists()
        # The code of the authenticator app, then the form again.
        assert client.post(response["Location"], {"code": totp_code()}).status_code == 302
        created = client.post(url, {"name": "rapport", "scope": "read", "days": "30"})
    assert created.status_code == 200
    token = ApiToken.objects.get(user=consultant)
    html = created.content.decode()
    secret = html.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("dsg_") and hashlib.sha512(secret.encode()).hexdigest() == token.digest
    # Shown once: the list afterwards names it and its start, never the secret.
    again = client.get(url).content.decode()
    assert "rapport" in again and token.token_key in again and secret not in again
    assert (token.name, token.scope, token.created_by) == ("rapport", "read", consultant)


def test_bad_token_input_is_a_form_error(client, consultant):
    logged_in_with_totp(client, consultant)
    response = client.post(reverse("account_tokens"), {"name": "", "scope": "all", "days": "365"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_ones_own_tokens_and_revokes_them(client, consultant, colleague):
    mine = api_token_for(consultant)
    api_token_for(colleague)
    other = ApiToken.objects.get(user=colleague)
    client.force_login(consultant)
    html = client.get(reverse("account_tokens")).content.decode()
    assert mine[:15] in html and other.token_key not in html
    assert client.post(reverse("account_token_revoke", args=[other.token_key])).status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    assert client.post(reverse("account_token_revoke", args=[mine[:15]])).status_code == 302
    assert not ApiToken.objects.filter(user=consultant).exists()


# --- Service accounts -----------------------------------------------------------------------------------------


@pytest.fixture
def service_account(caw, consultant):
    return UserFactory(
        username="rapport-koppeling",
        consultant=True,
        organisation=caw,
        is_service_account=True,
        service_owner=consultant,
    )


def test_a_service_account_has_no_interactive_login(client, admin_user, service_account):
    from accounts.services import user_save_by_admin

    user_save_by_admin(user=service_account, by=admin_user, creating=False)
    service_account.refresh_from_db()
    assert not service_account.has_usable_password()
    response = password_login(client, service_account.username)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_only_the_administrator_issues_a_service_accounts_token(admin_user, consultant, service_account, detainee):
    with pytest.raises(Exception, match="beheerder"):
        token_create(user=service_account, name="x", scope="read", days=30, by=consultant)
    token, secret = token_create(user=service_account, name="x", scope="read", days=90, by=admin_user)
    assert token.created_by == admin_user
    # No authenticator needed; it reads what its role and organisation may read, and only reads.
    assert api(secret).get(f"/api/v1/detainees/{detainee.pk}/").status_code == 200
    assert api(secret).patch(f"/api/v1/detainees/{detainee.pk}/", {"first_name": "X"}, format="json").status_code == 403


def test_the_admin_site_issues_a_service_token_once(client, admin_user, service_account):
    client.force_login(admin_user)
    response = client.post(
        "/beheer/accounts/user/", {"action": "issue_read_token", "_selected_action": [service_account.pk]}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=service_account)
    assert token.scope == "read" and token.created_by == admin_user
    assert "dsg_" in response.content.decode()
    client.post("/beheer/accounts/user/", {"action": "revoke_tokens", "_selected_action": [service_account.pk]})
    assert not ApiToken.objects.filter(user=service_account).exists()


def test_a_service_account_needs_an_owner(admin_user, caw):
    from django.core.exceptions import ValidationError

    from accounts.services import user_save_by_admin

    account = User(username="zonder-eigenaar", role="consultant", organisation=caw, is_service_account=True)
    with pytest.raises(ValidationError):
        user_save_by_admin(user=account, by=admin_user, creating=True)
