"""The authentication backends answer rules-only permission names without a query, and keep Django's
model permissions (the admin site) working."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.backends import model_permission_names

pytestmark = pytest.mark.django_db


def test_model_permission_names_are_those_of_the_models():
    names = model_permission_names()
    assert {"casework.view_detainee", "casework.change_detainee", "accounts.add_user"} <= names
    assert "reporting.view_manager_dashboard" not in names
    assert "casework.view_caseload" not in names


def test_a_refused_rules_permission_costs_no_query(consultant, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not consultant.has_perm("reporting.view_manager_dashboard")
        assert not consultant.has_perm("casework.review_logs")
        assert consultant.has_perm("casework.view_caseload")


def test_model_permissions_still_come_from_groups(admin_user):
    group = Group.objects.create(name="Beheer")
    group.permissions.add(Permission.objects.get(codename="change_organisation", content_type__app_label="accounts"))
    admin_user.groups.add(group)
    assert admin_user.has_perm("accounts.change_organisation")
    assert not admin_user.has_perm("accounts.delete_organisation")
    assert not admin_user.has_perm("reporting.view_manager_dashboard")  # a rules permission: the rules say no
