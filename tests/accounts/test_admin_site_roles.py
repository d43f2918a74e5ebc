"""Who gets which part of the admin site (/beheer/; docs/design.md §4, accounts/permissions.py).

The functional administrator sees the reference data and the accounts, and nothing else: no case model, no
other app. Every other role has no admin site, not even with the admin-site flag set by hand.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import User
from casework.models import Prison
from tests.accounts.admin_site_helpers import (
    admin,  # noqa: F401
    admin_url,
    superuser,  # noqa: F401
)
from tests.trajectories.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


# app label → the models the administrator manages there (accounts/permissions.py).
MANAGED = {
    "accounts": {"user", "organisation"},
    "casework": {"prison", "lifedomain", "interventionmodule"},
    "trajectories": {"assessmenttemplate", "assessmentsection"},
    "casusoverleg": {"cadencerule", "standingmember"},
    "notifications": {"remindersetting"},
    "diary": {"visitingslot"},
}
# Registered in the admin, but not for the administrator (case content, or other apps' machinery).
CLOSED = [
    "trajectories_trajectory",
    "auth_group",
    "mfa_authenticator",
    "account_emailaddress",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_celery_beat_periodictask",
    "pghistory_events",
    "sites_site",
]
# Case models are not registered at all: the admin site does not know them.
UNREGISTERED = [
    "/beheer/diary/plannedcontact/",
    "/beheer/casework/detainee/",
    "/beheer/casework/session/",
    "/beheer/casework/consent/",
    "/beheer/casusoverleg/conference/",
    "/beheer/casusoverleg/minutes/",
    "/beheer/trajectories/goal/",
    "/beheer/trajectories/assessment/",
    "/beheer/notifications/reminder/",
    "/beheer/casework/accesslog/",
]


# --- What the administrator sees ------------------------------------------------------------------------


def test_the_index_shows_the_reference_data_and_the_accounts_only(admin):  # noqa: F811
    response = admin.get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        app["app_label"]: {model["object_name"].lower() for model in app["models"]}
        for app in response.context["app_list"]
    }
    assert shown == MANAGED


@pytest.mark.parametrize("model", sorted(f"{app}_{name}" for app, names in MANAGED.items() for name in names))
def test_the_administrator_opens_the_list_and_the_add_form_of(admin, model):  # noqa: F811
    assert admin.get(admin_url(model)).status_code == 200
    assert admin.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", CLOSED)
def test_the_administrator_gets_no_other_apps_admin(admin, model):  # noqa: F811
    assert admin.get(admin_url(model)).status_code == 403


def test_the_administrator_cannot_open_a_trajectory(admin, detainee):  # noqa: F811
    trajectory = TrajectoryFactory(detainee=detainee)
    assert admin.get(admin_url("trajectories_trajectory", "change", trajectory.pk)).status_code == 403
    assert admin.get(admin_url("trajectories_trajectory", "history", trajectory.pk)).status_code == 403


def test_a_group_granting_the_trajectory_permission_opens_nothing(admin, admin_user, detainee):  # noqa: F811
    """Trajectories are for superusers' support only, whatever the model permissions say."""
    group = Group.objects.create(name="Te ruim")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="trajectories", codename__endswith="trajectory")
    )
    admin_user.groups.add(group)
    trajectory = TrajectoryFactory(detainee=detainee)
    assert admin.get(admin_url("trajectories_trajectory")).status_code == 403
    assert admin.get(admin_url("trajectories_trajectory", "change", trajectory.pk)).status_code == 403


@pytest.mark.parametrize("path", UNREGISTERED)
def test_case_models_do_not_exist_in_the_admin(admin, path):  # noqa: F811
    assert admin.get(path).status_code == 404


def test_the_superuser_still_sees_trajectories(client, superuser, detainee):  # noqa: F811
    client.force_login(superuser)
    trajectory = TrajectoryFactory(detainee=detainee)
    assert client.get(admin_url("trajectories_trajectory", "change", trajectory.pk)).status_code == 200


# --- Every other role ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["consultant", "manager", "director", "partner_with_consent", "dpo"])
def test_other_roles_have_no_admin_site(client, request, persona):
    """Without the admin-site flag the admin sends them to its login, which refuses someone already logged in
    (403) instead of bouncing him to allauth's login and back."""
    user = request.getfixturevalue(persona)
    assert not user.is_staff
    client.force_login(user)
    for path in (reverse("admin:index"), admin_url("accounts_user"), admin_url("casework_prison", "add")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert client.get(response["Location"]).status_code == 403
    assert client.post(admin_url("casework_prison", "add"), {"name": "X"}).status_code == 302
    assert not Prison.objects.filter(name="X").exists()


@pytest.mark.parametrize("persona", ["consultant", "dpo"])
def test_the_admin_site_flag_alone_grants_nothing(client, request, persona):
    """Even with the flag set by hand, a role other than admin has no app and no model in the admin."""
    user = request.getfixturevalue(persona)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and response.context["app_list"] == []
    assert client.get(admin_url("accounts_user")).status_code == 403
    assert client.get(admin_url("casework_prison")).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(admin_url("accounts_user"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
