"""The accounts in the admin site (/beheer/; accounts/admin.py): the administrator adds and changes accounts,
the admin-site flag follows the role, he cannot give privileges (superuser, staff, groups, permissions) nor
touch a superuser's account, deactivating ends sessions and API tokens, and the list's query count.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, User
from tests.accounts.admin_site_helpers import (
    admin,  # noqa: F401
    admin_url,
    form_data,
    superuser,  # noqa: F401
)
from tests.factories import UserFactory, api_token_for

pytestmark = pytest.mark.django_db


# --- Accounts ------------------------------------------------------------------------------------------


def test_the_administrator_adds_an_account_whose_admin_flag_follows_the_role(admin, caw):  # noqa: F811
    # No password on the form: a password sent anyway is ignored, the user chooses his own (docs/adr/0025).
    response = admin.post(
        admin_url("accounts_user", "add"),
        {
            "username": "nieuwe.beheerder",
            "usable_password": "true",
            "password1": "Een-lang-wachtwoord-9",
            "password2": "Een-lang-wachtwoord-9",
            "first_name": "Nina",
            "last_name": "Claes",
            "email": "nina@example.org",
            "role": "admin",
            "organisation": caw.pk,
            "language": "nl-be",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="nieuwe.beheerder")
    assert created.is_staff and not created.is_superuser and created.role == "admin"
    assert not created.has_usable_password() and not created.check_password("Een-lang-wachtwoord-9")

    response = admin.post(
        admin_url("accounts_user", "add"),
        {
            "username": "nieuwe.consulent",
            "role": "consultant",
            "organisation": caw.pk,
            "email": "consulent@example.org",
            "language": "fr-be",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    consultant = User.objects.get(username="nieuwe.consulent")
    assert not consultant.is_staff and not consultant.has_usable_password() and consultant.language == "fr-be"


def test_the_role_decides_the_admin_flag_when_it_changes(admin, consultant):  # noqa: F811
    url = admin_url("accounts_user", "change", consultant.pk)
    data = form_data(admin.get(url))
    assert admin.post(url, {**data, "role": "admin"}).status_code == 302
    consultant.refresh_from_db()
    assert consultant.is_staff
    assert admin.post(url, {**data, "role": "manager"}).status_code == 302
    consultant.refresh_from_db()
    assert not consultant.is_staff and consultant.role == "manager"


def test_the_privilege_fields_are_neither_shown_nor_taken(admin, consultant):  # noqa: F811
    url = admin_url("accounts_user", "change", consultant.pk)
    response = admin.get(url)
    html = response.content.decode()
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in html
    group = Group.objects.create(name="Alles")
    permission = Permission.objects.get(codename="change_user", content_type__app_label="accounts")
    response = admin.post(
        url,
        {
            **form_data(response),
            "first_name": "Sarah",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "user_permissions": [permission.pk],
        },
    )
    assert response.status_code == 302
    consultant.refresh_from_db()
    assert consultant.first_name == "Sarah"
    assert not consultant.is_superuser and not consultant.is_staff
    assert not consultant.groups.exists() and not consultant.user_permissions.exists()


def test_the_administrator_cannot_make_himself_superuser(admin, admin_user):  # noqa: F811
    url = admin_url("accounts_user", "change", admin_user.pk)
    response = admin.post(url, {**form_data(admin.get(url)), "is_superuser": "on"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser and admin_user.is_staff


def test_a_superusers_account_is_read_only_for_the_administrator(admin, superuser):  # noqa: F811
    url = admin_url("accounts_user", "change", superuser.pk)
    response = admin.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="username"' not in html
    assert superuser.password not in html
    assert admin.post(url, {"username": "root", "role": "consultant", "language": "nl-be"}).status_code == 403
    assert admin.get(reverse("admin:auth_user_password_change", args=[superuser.pk])).status_code == 403
    response = admin.post(admin_url("accounts_user"), {"action": "deactivate", "_selected_action": [superuser.pk]})
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser and superuser.role == "admin"


def test_the_service_refuses_an_escalation_the_form_would_not_send(admin_user, consultant):
    """The server-side check behind the hidden fields."""
    from django.core.exceptions import PermissionDenied

    from accounts.services import user_save_by_admin

    consultant.is_superuser = True
    with pytest.raises(PermissionDenied):
        user_save_by_admin(user=consultant, by=admin_user, creating=False)
    assert not User.objects.get(pk=consultant.pk).is_superuser


def test_a_superuser_keeps_the_privilege_fields(client, superuser, consultant):  # noqa: F811
    client.force_login(superuser)
    html = client.get(admin_url("accounts_user", "change", consultant.pk)).content.decode()
    assert 'name="is_superuser"' in html and 'name="groups"' in html


# --- Deactivation ----------------------------------------------------------------------------------------


def logged_in_elsewhere(user) -> Client:
    other = Client()
    other.force_login(user)
    assert other.get(reverse("casework:my_day")).status_code == 200
    return other


def live_session_users() -> set[str]:
    return {
        str(s.get_decoded().get("_auth_user_id")) for s in DjangoSession.objects.filter(expire_date__gt=timezone.now())
    }


def test_unticking_active_ends_the_sessions_and_tokens(admin, admin_user, consultant):  # noqa: F811
    browser = logged_in_elsewhere(consultant)
    api_token_for(consultant)
    url = admin_url("accounts_user", "change", consultant.pk)
    data = form_data(admin.get(url))
    data.pop("is_active")
    assert admin.post(url, data).status_code == 302
    consultant.refresh_from_db()
    assert not consultant.is_active
    assert str(consultant.pk) not in live_session_users()
    assert str(admin_user.pk) in live_session_users()
    assert not ApiToken.objects.filter(user=consultant).exists()
    assert browser.get(reverse("casework:my_day")).status_code == 302


def test_the_deactivate_action_ends_the_sessions_and_tokens(admin, admin_user, consultant, manager):  # noqa: F811
    logged_in_elsewhere(consultant)
    logged_in_elsewhere(manager)
    api_token_for(consultant)
    api_token_for(manager)
    response = admin.post(
        admin_url("accounts_user"),
        {"action": "deactivate", "_selected_action": [consultant.pk, manager.pk, admin_user.pk]},
        follow=True,
    )
    assert "2 accounts gedeactiveerd" in response.content.decode()
    assert "1 account niet gedeactiveerd" in response.content.decode()
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"consultant", "manager"}
    assert not ApiToken.objects.exists()
    assert {str(consultant.pk), str(manager.pk)}.isdisjoint(live_session_users())
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_administrator_cannot_deactivate_himself(admin, admin_user):  # noqa: F811
    url = admin_url("accounts_user", "change", admin_user.pk)
    data = form_data(admin.get(url))
    data.pop("is_active")
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "Je kan je eigen account niet deactiveren." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


# --- Query count -----------------------------------------------------------------------------------------------


def test_the_accounts_list_costs_the_same_whatever_the_number_of_accounts(admin, django_assert_num_queries):  # noqa: F811
    from tests.factories import OrganisationFactory

    for size in (1, 15):
        for _ in range(size):
            UserFactory(organisation=OrganisationFactory())
        # 1 session, 1 user, 2 the user's and his groups' model permissions (the admin's names are model
        # permission names too), 1 organisations for the filter, 2 counts (filtered, total), 1 page of accounts
        with django_assert_num_queries(8):
            assert admin.get(admin_url("accounts_user")).status_code == 200
