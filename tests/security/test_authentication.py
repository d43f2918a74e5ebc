"""Authentication hardening: MFA before content, re-authentication, lockout with cool-off, no user
enumeration, idle and absolute session timeouts, session rotation, deactivation ending sessions."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session as DjangoSession
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import user_deactivate, user_enrol_totp
from tests.factories import api_token_for
from tests.security.conftest import PASSWORD, TOTP_SECRET, password_login, totp_code

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def my_day():
    return reverse("casework:my_day")


# --- MFA ----------------------------------------------------------------------------------------------


def test_an_account_without_mfa_is_sent_to_the_mfa_setup(client, consultant, mfa_required):
    client.force_login(consultant)
    response = client.get(my_day())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_api_refuses_an_account_without_mfa(client, consultant, detainee, mfa_required):
    client.force_login(consultant)
    response = client.get("/api/v1/detainees/")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert "El Amrani" not in response.content.decode()


def test_background_htmx_requests_do_not_start_the_setup(client, consultant, mfa_required):
    client.force_login(consultant)
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response.content == b""


def test_mfa_setup_logout_and_health_stay_reachable_without_mfa(client, consultant, mfa_required):
    client.force_login(consultant)
    setup = client.get(reverse("mfa_activate_totp"))
    # allauth may first ask for the password again; it never loops back to the MFA redirect.
    assert setup.status_code in (200, 302)
    if setup.status_code == 302:
        assert setup["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get("/healthz").status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_without_the_setting_nothing_is_enforced(client, consultant, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    client.force_login(consultant)
    assert client.get(my_day()).status_code == 200


def test_login_with_password_and_totp_reaches_the_case_pages(client, consultant, mfa_required):
    user_enrol_totp(user=consultant, secret=TOTP_SECRET)
    response = password_login(client, "consultant")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Half logged in: no case page yet.
    assert client.get(my_day()).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(my_day()).status_code == 200


def test_totp_secrets_are_encrypted_at_rest(consultant):
    authenticator = user_enrol_totp(user=consultant, secret=TOTP_SECRET)
    authenticator.refresh_from_db()
    assert TOTP_SECRET not in str(authenticator.data)
    assert authenticator.data["secret"].startswith("gAAAAA")
    seed = Authenticator.objects.get(user=consultant, type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    assert seed.startswith("gAAAAA")


def test_the_totp_authenticator_cannot_be_removed_while_mfa_is_required(consultant, mfa_required):
    authenticator = user_enrol_totp(user=consultant, secret=TOTP_SECRET)
    assert get_mfa_adapter().can_delete_authenticator(authenticator) is False


# --- Re-authentication -------------------------------------------------------------------------------


def test_changing_mfa_or_email_asks_for_the_password_again(client, consultant, mfa_required):
    user_enrol_totp(user=consultant, secret=TOTP_SECRET)
    consultant.emailaddress_set.create(email="consultant@example.org", primary=True, verified=True)
    consultant.emailaddress_set.create(email="tweede@example.org", primary=False, verified=True)
    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        assert client.get(my_day()).status_code == 200
        # Re-authentication lasts 5 minutes; 10 minutes later (well within the idle timeout) it is gone.
        traveller.shift(dt.timedelta(minutes=10))
        for url in (reverse("mfa_generate_recovery_codes"), reverse("mfa_deactivate_totp")):
            response = client.get(url)
            assert response.status_code == 302, url
            assert "reauthenticate" in response["Location"], url
        # (allauth refuses adding an address to an MFA account outright; removing one needs the password.)
        response = client.post(reverse("account_email"), {"action_remove": "", "email": "tweede@example.org"})
        assert response.status_code == 302
        assert "reauthenticate" in response["Location"]
    assert consultant.emailaddress_set.filter(email="tweede@example.org").exists()


# --- Lockout and enumeration ---------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25


def test_lockout_after_five_failures_with_a_cool_off(client, consultant, axes_on):
    with time_machine.travel(START, tick=False) as traveller:
        for _attempt in range(4):
            assert password_login(client, "consultant", "wrong-password").status_code == 200
        # The fifth failure locks (username + IP); from then on even the right password is refused.
        assert password_login(client, "consultant", "wrong-password").status_code == 429
        locked = password_login(client, "consultant")
        assert locked.status_code == 429
        assert "tijdelijk geblokkeerd" in locked.content.decode()
        # Still locked 14 minutes later, even with the right password.
        traveller.shift(dt.timedelta(minutes=14))
        assert password_login(client, "consultant").status_code == 429
        # After the 15-minute cool-off, the right password works again: nobody is locked out for good.
        traveller.shift(dt.timedelta(minutes=2))
        response = password_login(client, "consultant")
        assert response.status_code == 302
        assert client.get(my_day()).status_code == 200


def test_lockout_is_per_username_and_ip(client, consultant, colleague, axes_on):
    for _attempt in range(5):
        password_login(client, "consultant", "wrong-password")
    assert password_login(client, "consultant").status_code == 429
    # Another account from the same address, and the same account from another address, still log in.
    assert password_login(client, "colleague").status_code == 302
    client.logout()
    assert password_login(client, "consultant", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_an_unknown_username_locks_out_the_same_way(client, axes_on, db):
    for _attempt in range(4):
        assert password_login(client, "nobody-here", "wrong-password").status_code == 200
    assert password_login(client, "nobody-here", "wrong-password").status_code == 429


def test_unknown_user_and_wrong_password_look_the_same(client, consultant, monkeypatch):
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))

    wrong = password_login(client, "consultant", "wrong-password")
    hashes_for_wrong_password = len(calls)
    unknown = password_login(client, "nobody-here", "wrong-password")
    hashes_for_unknown_user = len(calls) - hashes_for_wrong_password

    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    # The password hasher runs for an unknown user too, so the timing does not tell them apart.
    assert hashes_for_wrong_password >= 1
    assert hashes_for_unknown_user >= 1


# --- Session lifetime -------------------------------------------------------------------------------------


def test_idle_timeout_after_thirty_minutes(client, consultant):
    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(my_day()).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(my_day())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        # Logged out for good: the next request is anonymous too.
        assert client.get(my_day()).status_code == 302


def test_the_polling_bell_does_not_keep_an_idle_session_alive(client, consultant):
    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        assert client.get(my_day()).status_code == 200
        for _minute in range(1, 31):
            traveller.shift(dt.timedelta(minutes=1))
            client.get(reverse("notifications:bell"))
        traveller.shift(dt.timedelta(minutes=1))
        response = client.get(my_day())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def test_a_page_view_within_a_minute_of_the_last_recorded_activity_writes_no_session(client, consultant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        traveller.shift(dt.timedelta(seconds=40))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(my_day()).status_code == 200
        assert _session_writes(ctx.captured_queries) == []
        traveller.shift(dt.timedelta(seconds=30))  # 70 s after the recorded activity: recorded again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(my_day()).status_code == 200
        assert len(_session_writes(ctx.captured_queries)) == 1
        stored = DjangoSession.objects.get(session_key=client.session.session_key)
        assert stored.expire_date == START + dt.timedelta(seconds=70) + dt.timedelta(minutes=30)


def test_an_idle_session_never_outlives_thirty_minutes_after_the_recorded_activity(client, consultant):
    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        traveller.shift(dt.timedelta(seconds=50))
        assert client.get(my_day()).status_code == 200  # within the resolution: not recorded
        traveller.shift(dt.timedelta(minutes=29, seconds=11))  # 30 min 1 s after the login, the last recording
        # The stored session itself has expired: nothing the cookie says can revive it.
        assert not DjangoSession.objects.filter(expire_date__gt=timezone.now()).exists()
        response = client.get(my_day())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_absolute_timeout_after_ten_hours_of_activity(client, consultant):
    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        for _step in range(29):  # a request every 20 minutes for 9 h 40
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(my_day()).status_code == 200
        traveller.shift(dt.timedelta(minutes=21))
        response = client.get(my_day())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_api_answers_401_after_a_timeout(client, consultant):
    with time_machine.travel(START, tick=False) as traveller:
        password_login(client, "consultant")
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/api/v1/detainees/")
        assert response.status_code in (401, 403)


def test_the_session_key_changes_at_login(client, consultant):
    session = client.session
    session["before_login"] = True
    session.save()
    key_before = session.session_key
    client.cookies["sessionid"] = key_before
    password_login(client, "consultant")
    assert client.session.session_key != key_before
    assert not DjangoSession.objects.filter(session_key=key_before).exists()


# --- Deactivation ------------------------------------------------------------------------------------------


def test_django_refuses_an_inactive_user(consultant):
    consultant.is_active = False
    consultant.save(update_fields=["is_active"])
    assert authenticate(username="consultant", password=PASSWORD) is None


def test_deactivating_a_user_ends_their_sessions_and_tokens(client, consultant, manager, detainee):
    password_login(client, "consultant")
    assert client.get(my_day()).status_code == 200
    other_browser = client.__class__()
    other_browser.force_login(manager)
    secret = api_token_for(consultant)

    user_deactivate(user=consultant, by=manager)

    assert client.get(my_day()).status_code == 302
    sessions = [
        s.get_decoded().get("_auth_user_id") for s in DjangoSession.objects.filter(expire_date__gt=timezone.now())
    ]
    assert str(consultant.pk) not in sessions
    assert str(manager.pk) in sessions  # other people's sessions are untouched
    assert not ApiToken.objects.filter(user=consultant).exists()
    api = client.__class__()
    assert api.get("/api/v1/detainees/", HTTP_AUTHORIZATION=f"Token {secret}").status_code in (401, 403)
    fresh = client.__class__()
    assert password_login(fresh, "consultant")["Location"] == reverse("account_inactive")  # not logged in
    assert fresh.get(my_day()).status_code == 302


def test_the_admin_login_goes_through_allauth(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
