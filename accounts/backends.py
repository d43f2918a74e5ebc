"""Authentication backends that answer model-permission questions without a query when the answer is no.

Who may do what is decided by the django-rules predicates of each app (`<app>/permissions.py`, docs/design.md §4).
Django's model permissions (groups, user permissions) remain for the admin site only. Django asks every
backend about every permission, so a rules permission that is refused (the navigation asks "may this user
see the manager dashboard?" on every page) used to make Django's ModelBackend load the user's and the
groups' permissions: two queries per page for a question it can only answer with no, because a rules
permission such as `reporting.view_manager_dashboard` is no model permission.

These backends keep Django's behaviour for the permissions that exist as model permissions
(`<app_label>.<action>_<model>` and every model's `Meta.permissions`) and answer no at once for any other
name.
"""

from __future__ import annotations

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


@cache
def model_permission_names() -> frozenset[str]:
    """Every permission name Django's model permissions can grant, from the model registry (no query)."""
    names = set()
    for model in apps.get_models():
        opts = model._meta
        names.update(f"{opts.app_label}.{get_permission_codename(action, opts)}" for action in opts.default_permissions)
        names.update(f"{opts.app_label}.{codename}" for codename, _name in opts.permissions)
    return frozenset(names)


class ModelPermissionsOnlyMixin:
    def has_perm(self, user_obj, perm, obj=None):
        if perm not in model_permission_names():
            return False
        return super().has_perm(user_obj, perm, obj)


class ModelBackend(ModelPermissionsOnlyMixin, DjangoModelBackend):
    """Django's ModelBackend (admin logins, model permissions), without queries for other names."""


class AuthenticationBackend(ModelPermissionsOnlyMixin, AllauthBackend):
    """allauth's backend (it inherits ModelBackend's permission checks), likewise."""
