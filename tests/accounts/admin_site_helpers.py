"""What the admin-site tests share: a logged-in client for the administrator, the admin's URLs, the data a
browser would send back for an admin form, and a superuser.
"""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


def admin_url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:{model}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would send back for the admin form in `response`, unchanged (inline formsets and their
    management forms included)."""
    data = {}

    def add(form):
        for field in form:
            if field.field.disabled:
                continue
            value = field.field.prepare_value(field.value())
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(admin_user):
    return admin_client(admin_user)


@pytest.fixture
def superuser(caw):
    return UserFactory(username="root", admin=True, is_superuser=True, organisation=caw)
