"""An account starts with an invitation (docs/adr/0025): created without a password by the functional
administrator, the user gets a link in his language that works once and for seven days, chooses a password with
it and goes straight on to two-step verification; resending stops the previous link; a used, expired, replaced
or unknown link is a clear page, never a 500."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services_invitations as invitations
from accounts.models import Invitation, InvitationEvent, User
from ops.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://dossiers.disengage.example"
GOOD_PASSWORD = "Zeer-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def _clean_rate_limit_and_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.DISENGAGE_INVITATION_RATE = (20, 600)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newcomer(caw):
    """An account as the administrator creates it: no password yet."""
    user = UserFactory(
        username="nieuw", first_name="Nora", last_name="Wouters", email="nora@example.org", organisation=caw
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def invite(user, by, django_capture_on_commit_callbacks) -> Invitation:
    with django_capture_on_commit_callbacks(execute=True):
        return invitations.invitation_send(user=user, by=by)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    assert link.startswith(BASE + "/"), link
    return link[len(BASE) :]


# --- The service -----------------------------------------------------------------------------------------------


def test_an_invitation_stores_only_a_hash_and_expires_after_seven_days(
    newcomer, admin_user, django_capture_on_commit_callbacks
):
    now = timezone.now()
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    token = invitations.invitation_token(invitation)
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    # The outbox row carries the id, not the link.
    row = OutboxMessage.objects.get(task="accounts.tasks.invitation_mail_send")
    assert row.args == [invitation.pk] and token not in str(row.kwargs)
    assert (
        dt.timedelta(days=7) - dt.timedelta(minutes=1) < invitation.expires_at - now <= dt.timedelta(days=7, minutes=1)
    )
    assert invitation.created_by == admin_user and invitation.state == Invitation.State.PENDING
    assert invitations.invitation_find(token) == invitation


def test_only_the_administrator_invites(newcomer, request, django_capture_on_commit_callbacks):
    for persona in ("consultant", "manager", "director", "partner_with_consent", "dpo"):
        with pytest.raises(PermissionDenied):
            invitations.invitation_send(user=newcomer, by=request.getfixturevalue(persona))
    assert not Invitation.objects.exists()
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert invite(newcomer, superuser, django_capture_on_commit_callbacks).created_by == superuser


def test_who_cannot_be_invited(newcomer, consultant, admin_user):
    with pytest.raises(ValidationError) as error:
        invitations.invitation_send(user=consultant, by=admin_user)  # has a password already
    assert "password" in error.value.error_dict
    newcomer.email = ""
    with pytest.raises(ValidationError) as error:
        invitations.invitation_send(user=newcomer, by=admin_user)
    assert "email" in error.value.error_dict
    newcomer.email, newcomer.is_service_account = "nora@example.org", True
    with pytest.raises(ValidationError) as error:
        invitations.invitation_send(user=newcomer, by=admin_user)
    assert "is_service_account" in error.value.error_dict


def test_resending_replaces_the_open_invitation(newcomer, admin_user, django_capture_on_commit_callbacks, client):
    first = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    second = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.revoked_at is not None and first.token_salt == "" and second.state == Invitation.State.PENDING
    assert len(mail.outbox) == 2
    old_link, new_link = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert old_link != new_link
    response = client.get(path_of(old_link))
    assert response.status_code == 410
    assert "Deze uitnodiging werkt niet meer" in response.content.decode()
    assert client.get(path_of(new_link)).status_code == 200
    # One link works at a time, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=first.pk).update(revoked_at=None)


def test_the_mail_is_sent_once_in_the_users_language_with_an_absolute_link(
    newcomer, admin_user, django_capture_on_commit_callbacks, client
):
    newcomer.language = "en"
    newcomer.save(update_fields=["language"])
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@example.org"]
    assert message.subject == "Your Disengagement account"
    assert "nieuw" in message.body and "two-step verification" in message.body and "Goedendag" not in message.body
    link = link_in(message)
    assert link == BASE + reverse("account_invitation", args=[invitations.invitation_token(invitation)])
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    # A second delivery of the task sends nothing.
    assert invitations.invitation_mail_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1
    # The page speaks English too, whatever the browser asks.
    page = client.get(path_of(link), HTTP_ACCEPT_LANGUAGE="nl-be")
    assert "Choose your password" in page.content.decode()


def test_the_language_switched_on_the_page_wins_and_stays(newcomer, admin_user, django_capture_on_commit_callbacks):
    invite(newcomer, admin_user, django_capture_on_commit_callbacks)  # a Dutch-speaking account
    path = path_of(link_in(mail.outbox[0]))
    client = Client()
    client.post(reverse("set_language"), {"language": "fr-be", "next": path})
    assert "Choisissez votre mot de passe" in client.get(path).content.decode()
    client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    newcomer.refresh_from_db()
    assert newcomer.language == "fr-be"


def test_a_french_speaker_gets_french(newcomer, admin_user, django_capture_on_commit_callbacks):
    newcomer.language = "fr-be"
    newcomer.save(update_fields=["language"])
    invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject == "Votre compte Disengagement"


def test_a_broker_outage_does_not_fail_the_administrator(admin_user, caw, settings, monkeypatch):
    """The mail is a job in the outbox, written with the account: the request never talks to the broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    from accounts import tasks

    monkeypatch.setattr(tasks.invitation_mail_send, "apply_async", broker_down)
    monkeypatch.setattr(tasks.invitation_mail_send, "delay", broker_down)
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuwe.collega",
            "first_name": "Lena",
            "last_name": "Maes",
            "email": "lena@example.org",
            "role": "consultant",
            "organisation": caw.pk,
            "language": "nl-be",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nieuwe.collega")
    invitation = Invitation.objects.get(user=user)
    assert OutboxMessage.objects.filter(
        task="accounts.tasks.invitation_mail_send", args=[invitation.pk], relayed_at__isnull=True
    ).exists()
    assert mail.outbox == []
    # When the broker is back, the relay publishes it and the worker sends it.
    assert invitations.invitation_mail_send(invitation_id=invitation.pk) is True
    assert mail.outbox[0].to == ["lena@example.org"]


def test_no_mail_for_an_invitation_that_no_longer_works(newcomer, admin_user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # keep the mail in the outbox
    invitation = invitations.invitation_send(user=newcomer, by=admin_user)
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    assert invitations.invitation_mail_send(invitation_id=invitation.pk) is False
    assert mail.outbox == []


# --- The link's page --------------------------------------------------------------------------------------------


def test_the_user_chooses_a_password_and_goes_on_to_two_step_verification(
    newcomer, admin_user, settings, django_capture_on_commit_callbacks
):
    from config.settings import base

    settings.DISENGAGE_MFA_REQUIRED = True
    settings.AUTH_PASSWORD_VALIDATORS = base.AUTH_PASSWORD_VALIDATORS  # the suite runs without them
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kies je wachtwoord" in html and "nieuw" in html
    # Django's password validators apply: too short, and the two must match.
    response = client.post(path, {"new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": "iets-anders-dan-dat-1"})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.used_at is None
    response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.token_salt == ""
    # Logged in, and the set-up page opens without asking for the password just chosen.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "Tweestapsverificatie instellen" in setup.content.decode()
    # Case pages stay closed until the second factor is set up.
    assert client.get(reverse("casework:my_day"))["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_used_link_is_a_clear_page(newcomer, admin_user, client, django_capture_on_commit_callbacks):
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    invitations.invitation_accept(invitation=invitation, password=GOOD_PASSWORD)
    for method in (client.get, client.post):
        response = method(
            path, {"new_password1": "Nog-een-ander-wachtwoord-7", "new_password2": "Nog-een-ander-wachtwoord-7"}
        )
        assert response.status_code == 410
        assert "Deze uitnodiging is al gebruikt" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.check_password(GOOD_PASSWORD)
    with pytest.raises(ValidationError):
        invitations.invitation_accept(invitation=invitation, password="Nog-een-ander-wachtwoord-7")


def test_an_expired_link_is_a_clear_page_in_the_users_language(
    newcomer, admin_user, client, django_capture_on_commit_callbacks
):
    newcomer.language = "en"
    newcomer.save(update_fields=["language"])
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    with time_machine.travel(invitation.expires_at + dt.timedelta(minutes=1)):
        response = client.get(path)
        assert response.status_code == 410
        assert "This invitation has expired" in response.content.decode()
        response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
        assert response.status_code == 410
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert invitation.state_at(invitation.expires_at - dt.timedelta(seconds=1)) == Invitation.State.PENDING


@pytest.mark.parametrize("token", ["not-a-real-token", "a" * 64, "x" * 300])
def test_a_wrong_token_is_a_clear_not_found_page(
    newcomer, admin_user, client, token, django_capture_on_commit_callbacks
):
    invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    response = client.get(reverse("account_invitation", args=[token]))
    assert response.status_code == 404
    assert "Deze link is ongeldig" in response.content.decode()
    assert (
        client.post(
            reverse("account_invitation", args=[token]),
            {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
        ).status_code
        == 404
    )


def test_a_deactivated_accounts_link_no_longer_works(newcomer, admin_user, client, django_capture_on_commit_callbacks):
    invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    assert client.get(path).status_code == 410


def test_someone_logged_in_is_asked_to_log_out_first(
    newcomer, admin_user, consultant, django_capture_on_commit_callbacks
):
    invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    client = Client()
    client.force_login(consultant)
    response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 200 and "Je bent al aangemeld" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_invitation_links_are_rate_limited_per_address(
    newcomer, admin_user, client, settings, django_capture_on_commit_callbacks
):
    settings.DISENGAGE_INVITATION_RATE = (3, 600)
    invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    # A newcomer who reloads the page or mistypes his password is never stopped: only refusals count.
    for _attempt in range(5):
        assert client.get(path).status_code == 200
        assert client.post(path, {"new_password1": "a", "new_password2": "b"}).status_code == 200
    for guess in ("a", "b", "c"):
        assert client.get(reverse("account_invitation", args=[guess])).status_code == 404
    # Even the right link waits now (the ceiling counts refusals from this address).
    response = client.get(path)
    assert response.status_code == 429
    assert "Even geduld" in response.content.decode()
    assert client.get(path, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_sending_and_using_an_invitation_are_on_record(
    newcomer, admin_user, client, caplog, django_capture_on_commit_callbacks
):
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[0]))
    with caplog.at_level("INFO", logger="disengage.security"):
        client.get(reverse("account_invitation", args=["geraden"]))
        client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    messages = [record.getMessage() for record in caplog.records if record.name == "disengage.security"]
    assert "invitation link unknown" in messages and "invitation used" in messages
    reasons = list(
        InvitationEvent.objects.filter(pgh_obj=invitation)
        .order_by("pgh_id")
        .values_list("pgh_label", "pgh_context__metadata__reason", "pgh_context__metadata__user")
    )
    assert reasons == [
        ("insert", "invitation_send", admin_user.pk),
        ("update", "invitation_mail_send", None),
        ("update", "invitation_accept", newcomer.pk),
    ]


# --- The admin site --------------------------------------------------------------------------------------------


@pytest.fixture
def admin(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_administrator_creates_an_account_and_the_user_is_invited(
    admin, admin_user, caw, django_capture_on_commit_callbacks
):
    form = admin.get(reverse("admin:accounts_user_add")).content.decode()
    assert 'name="password1"' not in form and 'name="usable_password"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "nieuwe.collega",
                "first_name": "Lena",
                "last_name": "Maes",
                "email": "lena@example.org",
                "role": "consultant",
                "organisation": caw.pk,
                "language": "fr-be",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="nieuwe.collega")
    assert not user.has_usable_password()
    invitation = Invitation.objects.get(user=user)
    assert invitation.created_by == admin_user
    assert [m.to for m in mail.outbox] == [["lena@example.org"]] and mail.outbox[
        0
    ].subject == "Votre compte Disengagement"
    page = admin.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert "Verstuurd op" in page and "nog niet gebruikt" in page


def test_an_account_without_e_mail_is_refused_on_the_form(admin, caw):
    response = admin.post(
        reverse("admin:accounts_user_add"),
        {"username": "zonder.mail", "role": "consultant", "organisation": caw.pk, "language": "nl-be"},
    )
    assert response.status_code == 200
    assert "de uitnodiging wordt daarheen gestuurd" in response.content.decode()
    assert not User.objects.filter(username="zonder.mail").exists()


def test_a_service_account_gets_no_invitation(admin, caw, consultant):
    response = admin.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "koppeling",
            "role": "consultant",
            "organisation": caw.pk,
            "language": "nl-be",
            "is_service_account": "on",
            "service_owner": consultant.pk,
        },
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_administrator_resends_and_sees_the_state(
    admin, newcomer, consultant, admin_user, django_capture_on_commit_callbacks
):
    first = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    changelist = reverse("admin:accounts_user_changelist")
    with time_machine.travel(first.expires_at + dt.timedelta(hours=1)):
        admin.force_login(admin_user)  # the earlier session timed out meanwhile
        assert "Verlopen op" in admin.get(reverse("admin:accounts_user_change", args=[newcomer.pk])).content.decode()
        assert "Verlopen" in admin.get(changelist).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post(
                changelist, {"action": "invite", "_selected_action": [newcomer.pk, consultant.pk]}, follow=True
            )
    html = response.content.decode()
    assert "1 uitnodiging verstuurd." in html
    assert "Geen uitnodiging voor consultant" in html  # he has a password: no invitation
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert Invitation.objects.open().get(user=newcomer).pk != first.pk
    assert len(mail.outbox) == 2
    assert admin.get(path_of(link_in(mail.outbox[0]))).status_code == 410


def test_the_accounts_list_with_invitations_costs_the_same_whatever_their_number(
    admin, admin_user, caw, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def accounts(count):
        for index in range(count):
            user = UserFactory(username=f"uitgenodigd{count}-{index}", organisation=caw)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            invite(user, admin_user, django_capture_on_commit_callbacks)

    url = reverse("admin:accounts_user_changelist")
    accounts(1)
    admin.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert admin.get(url).status_code == 200
    accounts(5)
    with CaptureQueriesContext(connection) as many:
        assert admin.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["consultant", "manager", "director", "partner_with_consent", "dpo"])
def test_no_other_role_invites_through_the_admin_site(request, persona, newcomer, caw):
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(changelist, {"action": "invite", "_selected_action": [newcomer.pk]})
    assert response.status_code in (302, 403) and not response.get("Location", "").startswith(changelist)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ongewenst",
            "email": "x@example.org",
            "role": "consultant",
            "organisation": caw.pk,
            "language": "nl-be",
        },
    )
    assert response.status_code in (302, 403)
    assert not Invitation.objects.exists() and not User.objects.filter(username="ongewenst").exists()


# --- Every state of the page in the user's language --------------------------------------------------------


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_every_state_of_the_page_is_in_the_users_language(
    newcomer, admin_user, language, settings, django_capture_on_commit_callbacks
):
    from tests.i18n.dutch import database_names, dutch_in

    newcomer.language = language
    newcomer.save(update_fields=["language"])
    pages = {}
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    path = path_of(link_in(mail.outbox[-1]))
    pages["form"] = Client().get(path)
    pages["form with errors"] = Client().post(path, {"new_password1": "a", "new_password2": "b"})
    with time_machine.travel(invitation.expires_at + dt.timedelta(minutes=1)):
        pages["expired"] = Client().get(path)
    replaced_path = path
    invitation = invite(newcomer, admin_user, django_capture_on_commit_callbacks)
    pages["replaced"] = Client().get(replaced_path)
    path = path_of(link_in(mail.outbox[-1]))
    invitations.invitation_accept(invitation=invitation, password=GOOD_PASSWORD)
    pages["used"] = Client().get(path)
    pages["unknown"] = Client().get(reverse("account_invitation", args=["onbekend"]), HTTP_ACCEPT_LANGUAGE=language)
    settings.DISENGAGE_INVITATION_RATE = (1, 600)
    pages["rate limited"] = Client().get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert pages["rate limited"].status_code == 429
    allowed = (*database_names(), newcomer.username)  # the username is content, shown as typed
    for state, response in pages.items():
        body = response.content.decode()
        assert f'lang="{language[:2]}' in body, state
        assert dutch_in(body, language, allowed=allowed) == [], state
    assert "Goedendag" not in mail.outbox[-1].body and "gebruikersnaam" not in mail.outbox[-1].body
