"""The profile page (docs/adr/0026): reachable by every role from the user menu, every action a POST on the
user's own data, and back to the page."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session as DjangoSession
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casusoverleg.models import CalendarFeed
from notifications import services as notification_services
from notifications.models import MailOptOut, Reminder, ReminderMail
from notifications.registry import ReminderKind, register, unregister

ROLES = ["consultant", "manager", "director", "partner_with_consent", "admin_user", "dpo"]
PROFILE = "/profiel/"


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.DISENGAGE_MFA_REQUIRED = False


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_the_profile_from_the_user_menu(role, request):
    user = request.getfixturevalue(role)
    client = _client(user)
    home = client.get(reverse("casework:my_day"), follow=True).content.decode()
    assert reverse("account_profile") in home
    page = client.get(reverse("account_profile"))
    assert page.status_code == 200
    html = page.content.decode()
    for anchor in (
        "profile-language",
        "profile-two_step",
        "profile-calendar_feed",
        "profile-sessions",
        "profile-mail",
        "profile-tokens",
    ):
        assert f'id="{anchor}"' in html, anchor
    assert reverse("mfa_activate_totp") in html
    assert reverse("account_tokens") in html


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_two_step_verification_shows_whether_it_is_active(consultant):
    client = _client(consultant)
    assert "Nog niet ingesteld" in client.get(PROFILE).content.decode()
    Authenticator.objects.create(user=consultant, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Authenticator.objects.create(user=consultant, type=Authenticator.Type.RECOVERY_CODES, data={})
    html = client.get(PROFILE).content.decode()
    assert "Nog niet ingesteld" not in html
    assert reverse("mfa_view_recovery_codes") in html and reverse("mfa_index") in html


@pytest.mark.parametrize("role", ROLES)
def test_the_language_is_stored_on_the_user_from_the_profile(role, request):
    user = request.getfixturevalue(role)
    client = _client(user)
    response = client.post(reverse("language_set"), {"language": "fr-be", "next": PROFILE})
    assert response.status_code == 302 and response["Location"] == PROFILE
    user.refresh_from_db()
    assert user.language == "fr-be"
    assert 'lang="fr-be"' in client.get(PROFILE).content.decode()
    assert client.post(reverse("language_set"), {"language": "xx", "next": PROFILE}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_logging_out_elsewhere_ends_the_other_sessions_only(role, request, colleague):
    user = request.getfixturevalue(role)
    here, elsewhere, someone_else = _client(user), _client(user), _client(colleague)
    assert elsewhere.get(PROFILE).status_code == 200
    assert "deze sessie" in here.get(PROFILE).content.decode()
    response = here.post(reverse("account_sessions_end_others"))
    assert response.status_code == 302 and response["Location"] == reverse("account_profile")
    assert here.get(PROFILE).status_code == 200
    gone = elsewhere.get(PROFILE)
    assert gone.status_code == 302 and reverse("account_login") in gone["Location"]
    assert someone_else.get(PROFILE).status_code == 200
    keys = [s.get_decoded().get("_auth_user_id") for s in DjangoSession.objects.all()]
    assert keys.count(str(user.pk)) == 1


def test_logging_out_elsewhere_is_post_only(consultant):
    assert _client(consultant).get(reverse("account_sessions_end_others")).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_revoking_the_feed_from_the_profile_makes_the_old_url_404(role, request):
    user = request.getfixturevalue(role)
    client = _client(user)
    back = PROFILE + "#profile-calendar_feed"
    response = client.post(reverse("casusoverleg:feed_settings"), {"action": "rotate", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    first = CalendarFeed.objects.get(user=user).token
    old_url = reverse("casusoverleg:feed", args=[first])
    assert old_url in client.get(PROFILE).content.decode()
    assert client.get(old_url).status_code == 200
    client.post(reverse("casusoverleg:feed_settings"), {"action": "rotate", "next": back})
    assert client.get(old_url).status_code == 404
    renewed = reverse("casusoverleg:feed", args=[CalendarFeed.objects.get(user=user).token])
    assert client.get(renewed).status_code == 200
    client.post(reverse("casusoverleg:feed_settings"), {"action": "revoke", "next": back})
    assert client.get(renewed).status_code == 404
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_the_feed_form_never_sends_the_user_off_site(consultant):
    response = _client(consultant).post(
        reverse("casusoverleg:feed_settings"), {"action": "rotate", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("casusoverleg:feed_settings")


# --- E-mail settings ------------------------------------------------------------------------------------------------

OPTIONAL, MANDATORY = "test_optional_kind", "test_mandatory_kind"


@pytest.fixture
def kinds():
    register(ReminderKind(code=OPTIONAL, label="Optioneel", plan=lambda ctx: iter(())))
    register(ReminderKind(code=MANDATORY, label="Verplicht", plan=lambda ctx: iter(()), mail_mandatory=True))
    yield
    unregister(OPTIONAL)
    unregister(MANDATORY)


@pytest.mark.parametrize("role", ROLES)
def test_switching_an_optional_kinds_mail_off_and_on(role, request, kinds):
    user = request.getfixturevalue(role)
    client = _client(user)
    assert f'value="{OPTIONAL}"' in client.get(PROFILE).content.decode()
    response = client.post(reverse("notifications:mail_settings"), {"kinds": [MANDATORY]})
    assert response.status_code == 302 and response["Location"].startswith(PROFILE)
    assert set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True)) >= {OPTIONAL}
    assert not MailOptOut.objects.filter(user=user, kind=MANDATORY).exists()
    client.post(reverse("notifications:mail_settings"), {"kinds": [OPTIONAL]})
    assert not MailOptOut.objects.filter(user=user, kind=OPTIONAL).exists()
    # An unknown kind is refused with a message, nothing changes.
    before = set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    response = client.post(reverse("notifications:mail_settings"), {"kinds": ["no_such_kind"]}, follow=True)
    assert "Onbekende soort melding" in response.content.decode()
    assert set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == before


def _due(kind, user, obj):
    notification_services.reminder_schedule(
        kind=kind, obj=obj, recipient=user, text="Tekst", due_at=notification_services.timezone.now()
    )


def test_the_sweep_honours_the_opt_out_but_not_for_mandatory_kinds(consultant, manager, kinds):
    consultant.email, manager.email = "c@example.org", "m@example.org"
    consultant.save(), manager.save()
    notification_services.mail_preferences_save(user=consultant, mailed_kinds=[])
    _due(OPTIONAL, consultant, manager)
    _due(OPTIONAL, manager, manager)
    notification_services.reminders_deliver_batch()
    # The notification is there for both; the e-mail only for the one who did not switch it off.
    assert Reminder.objects.filter(kind=OPTIONAL, status="sent").count() == 2
    assert set(ReminderMail.objects.values_list("recipient_id", flat=True)) == {manager.pk}
    _due(MANDATORY, consultant, manager)
    notification_services.reminders_deliver_batch()
    assert consultant.pk in set(ReminderMail.objects.values_list("recipient_id", flat=True))
    mail.outbox.clear()
    notification_services.reminder_mails_send()
    assert sorted(m.to[0] for m in mail.outbox) == ["c@example.org", "m@example.org"]


# --- Query count ------------------------------------------------------------------------------------------------------


def test_the_profile_costs_the_same_queries_with_one_or_many_sessions_and_opt_outs(consultant, kinds):
    client = _client(consultant)
    client.post(reverse("casusoverleg:feed_settings"), {"action": "rotate"})
    client.get(PROFILE)
    with CaptureQueriesContext(connection) as small:
        assert client.get(PROFILE).status_code == 200
    for _n in range(9):
        _client(consultant)
    notification_services.mail_preferences_save(user=consultant, mailed_kinds=[])
    Authenticator.objects.create(user=consultant, type=Authenticator.Type.RECOVERY_CODES, data={})
    with CaptureQueriesContext(connection) as large:
        html = client.get(PROFILE).content.decode()
    assert html.count("<tr>") >= 11
    assert len(small.captured_queries) == len(large.captured_queries) <= 15
