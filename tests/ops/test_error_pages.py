"""The error pages people meet (400, 403, CSRF failure, 404, 500): in the reader's language, in the look of
the application, never Django's technical page or a bare "403 Forbidden" — also in `make run`."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


LANGUAGES = {
    # language: (a word of the 404 page, of the 403 page, of the CSRF page, of the 400 page, of the 500 page)
    "nl-be": (
        "Deze pagina bestaat niet",
        "Je hebt geen toegang",
        "Het formulier is verlopen",
        "Deze aanvraag kon niet worden gelezen",
        "Er ging iets mis aan onze kant",
    ),
    "fr-be": (
        "Cette page n'existe pas",
        "Vous n'avez pas accès",
        "Le formulaire a expiré",
        "Cette requête n'a pas pu être lue",
        "Une erreur s'est produite de notre côté",
    ),
    "en": (
        "This page does not exist",
        "You do not have access",
        "The form has expired",
        "This request could not be read",
        "Something went wrong on our side",
    ),
}


def page(response) -> str:
    from html import unescape

    return unescape(response.content.decode())


def in_the_look_of_the_application(body: str, language: str) -> None:
    assert f'<html lang="{language}">' in body
    assert "css/app.css" in body and "favicon.svg" in body and 'class="navbar app-navbar"' in body
    # Neither Django's debug page nor its bare default.
    assert "URLconf" not in body and "Traceback" not in body and "<h1>Forbidden" not in body


def speaking(user: User, language: str) -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page_is_a_404_in_the_users_language(consultant, language):
    response = speaking(consultant, language).get("/bestaat-niet/<script>")
    assert response.status_code == 404
    body = page(response)
    in_the_look_of_the_application(body, language)
    assert LANGUAGES[language][0] in body
    # The path is shown, quoted.
    assert "/bestaat-niet/%3Cscript%3E" in body and "<script>" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invisible_file_is_the_same_404(outsider, detainee, language):
    response = speaking(outsider, language).get(reverse("casework:detainee_detail", args=[detainee.pk]))
    assert response.status_code == 404
    assert LANGUAGES[language][0] in page(response)
    assert detainee.last_name not in page(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_page_is_a_403_in_the_users_language(consultant, language):
    # The admin site refuses a logged-in user without it (accounts/admin.py).
    response = speaking(consultant, language).get(reverse("admin:login"))
    assert response.status_code == 403
    body = page(response)
    in_the_look_of_the_application(body, language)
    assert LANGUAGES[language][1] in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expired_form_is_explained(consultant, detainee, language):
    consultant.language = language
    consultant.save(update_fields=["language"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(consultant)
    response = client.post(reverse("casework:session_create", args=[detainee.pk]), {"summary": "x"})
    assert response.status_code == 403
    body = page(response)
    in_the_look_of_the_application(body, language)
    assert LANGUAGES[language][2] in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_request_is_a_400_in_the_browsers_language(db, language):
    # An unknown host is refused before any view: the language comes from the browser.
    response = Client().get("/", HTTP_HOST="elsewhere.example", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = page(response)
    in_the_look_of_the_application(body, language)
    assert LANGUAGES[language][3] in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failure_is_a_500_in_the_users_language(consultant, settings, language):
    settings.ROOT_URLCONF = "tests.ops.error_urls"
    client = speaking(consultant, language)
    client.raise_request_exception = False
    response = client.get("/test-only/fails/")
    assert response.status_code == 500
    body = page(response)
    in_the_look_of_the_application(body, language)
    assert LANGUAGES[language][4] in body
    assert "a programming error" not in body


def test_the_500_page_needs_no_database(db, django_assert_num_queries):
    """A 500 may come from a database that is down: the page renders without a query or a request."""
    from django.template import loader
    from django.utils import translation

    with translation.override("fr-be"), django_assert_num_queries(0):
        body = loader.get_template("500.html").render()
    assert "Une erreur s'est produite de notre côté" in body


def test_the_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    assert (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert b"<svg" in (settings.BASE_DIR / "static" / "favicon.svg").read_bytes()


DEMO_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
out = {"debug": settings.DEBUG}
for path in ("/static/css/app.css", "/static/favicon.svg", "/static/vendor/htmx/htmx.min.js", "/nowhere/"):
    response = client.get(path, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    out[path] = [response.status_code, body.decode("utf-8", "replace")[:20000]]
print(json.dumps(out))
"""


def test_the_demo_runs_as_production_with_static_files_through_whitenoise():
    """`make run` uses config.settings.local: DEBUG off unless asked for, the static files still served
    (whitenoise, straight from static/), and a missing page is our 404, not the URL list."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    result = subprocess.run(
        [sys.executable, "-c", DEMO_PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["debug"] is False
    assert out["/static/css/app.css"][0] == 200 and ".app-navbar" in out["/static/css/app.css"][1]
    assert out["/static/favicon.svg"][0] == 200
    assert out["/static/vendor/htmx/htmx.min.js"][0] == 200
    status, body = out["/nowhere/"]
    assert status == 404 and "This page does not exist" in body and "URLconf" not in body
