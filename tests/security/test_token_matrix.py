"""The permission matrix through API tokens: every API URL pattern × persona, authenticated by a personal
access token instead of a session, and through a service account.

- a read-and-write token answers exactly what the persona's session answers (same rules, same 404s);
- a read token answers the same for GET and 403 for every POST;
- a token of an account without two-step verification answers 401/403 everywhere;
- a service account answers like the role and organisation it was given.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from tests.factories import UserFactory, api_token_for
from tests.security.matrix_expectations import PERSONAS
from tests.security.test_permission_matrix import objects, resolve_url, url_patterns  # noqa: F401 (fixture)

TOKEN_PERSONAS = [p for p in PERSONAS if p != "anonymous"]


def api_patterns():
    return [
        (name, route)
        for name, route in url_patterns()
        if route.startswith("api/v1/") and name not in ("api-schema", "api-docs")
    ]


def call(client, method, url, **headers):
    return getattr(client, method)(url, HTTP_ACCEPT="application/json", **headers)


@pytest.mark.parametrize("persona", TOKEN_PERSONAS)
def test_a_token_answers_what_the_session_answers_and_a_read_token_never_writes(
    persona,
    personas,
    objects,  # noqa: F811
    settings,
):
    settings.DISENGAGE_MFA_REQUIRED = False
    user = personas[persona]
    writer = {"HTTP_AUTHORIZATION": f"Token {api_token_for(user, scope='read_write')}"}
    reader = {"HTTP_AUTHORIZATION": f"Token {api_token_for(user, scope='read')}"}
    session = Client(raise_request_exception=False)
    session.force_login(user)
    tokens = Client(raise_request_exception=False, enforce_csrf_checks=True)
    failures = []
    for name, route in api_patterns():
        url = resolve_url(name, route, objects)
        expected = call(session, "get", url).status_code
        for label, headers in (("read_write", writer), ("read", reader)):
            got = call(tokens, "get", url, **headers).status_code
            if got != expected:
                failures.append(f"GET {url} ({name}) {label} token -> {got}, session {expected}")
        got = call(tokens, "post", url, **reader).status_code
        # A read token is refused before anything else; a route that is GET-only answers 405 first.
        if got not in (403, 405):
            failures.append(f"POST {url} ({name}) read token -> {got}, expected 403")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_a_token_without_two_step_verification_opens_nothing(personas, objects, settings):  # noqa: F811
    settings.DISENGAGE_MFA_REQUIRED = False
    user = personas["consultant"]
    headers = {"HTTP_AUTHORIZATION": f"Token {api_token_for(user)}"}
    Authenticator.objects.filter(user=user).delete()
    client = Client(raise_request_exception=False)
    for name, route in api_patterns():
        url = resolve_url(name, route, objects)
        for method in ("get", "post"):
            status = call(client, method, url, **headers).status_code
            assert status in (401, 403), f"{method.upper()} {url} ({name}) -> {status}"


def test_a_service_account_answers_like_its_role(personas, objects, caw, settings):  # noqa: F811
    settings.DISENGAGE_MFA_REQUIRED = False
    account = UserFactory(
        username="koppeling",
        consultant=True,
        organisation=caw,
        is_service_account=True,
        service_owner=personas["manager"],
    )
    headers = {"HTTP_AUTHORIZATION": f"Token {api_token_for(account, scope='read')}"}
    colleague = Client(raise_request_exception=False)
    colleague.force_login(personas["colleague"])  # same role and organisation, not on the case team
    client = Client(raise_request_exception=False)
    failures = []
    for name, route in api_patterns():
        url = resolve_url(name, route, objects)
        got, expected = call(client, "get", url, **headers).status_code, call(colleague, "get", url).status_code
        if got != expected:
            failures.append(f"GET {url} ({name}) service account -> {got}, colleague {expected}")
    assert not failures, "\n".join(failures)
