"""Response headers (CSP, no-store, framing), production settings (`check --deploy`), API docs
access and DRF throttling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

ROOT = Path(django_settings.BASE_DIR)


def production_env(**overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DISENGAGE_", "AXES_")) and key not in ("DATABASE_URL", "CELERY_BROKER_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="p" * 20 + "-production-like-secret-key-with-enough-entropy-8f3kq0zv",
        DJANGO_ALLOWED_HOSTS="disengage.example.org",
        PUBLIC_BASE_URL="https://disengage.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/9",
        DJANGO_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_NATIONAL_NUMBER_INDEX_KEY="i" * 40,
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.update(overrides)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


# --- Production settings ---------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", "--tag", "security", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # The whole deploy check (every tag) has no errors and nothing from the security checks.
    full = manage("check", "--deploy", env=production_env())
    assert full.returncode == 0, full.stdout + full.stderr
    assert "security." not in full.stdout + full.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_FIELD_ENCRYPTION_KEYS",
        "DJANGO_NATIONAL_NUMBER_INDEX_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "PUBLIC_BASE_URL",
    ],
)
def test_production_has_no_default_for_secrets(missing):
    env = production_env()
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_cookies_and_transport():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.DISENGAGE_MFA_REQUIRED, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(), capture_output=True, text=True
    )
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "True",
        "True",
        "True",
    ], result.stderr


# --- Headers ----------------------------------------------------------------------------------------------


def test_csp_forbids_inline_script_and_framing(client, consultant):
    client.force_login(consultant)
    response = client.get(reverse("casework:my_day"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    # The style nonce in the header is the one the page hands to FullCalendar.
    nonce = directives["style-src"].split("'nonce-")[1].rstrip("'")
    assert f'<meta name="csp-nonce" content="{nonce}">' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_no_inline_script(client, consultant, detainee):
    client.force_login(consultant)
    for url in (
        reverse("casework:my_day"),
        reverse("casework:caseload"),
        reverse("casework:detainee_detail", args=[detainee.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "onclick=" not in html, url
        assert '"includeIndicatorStyles":false' in html


def test_authenticated_responses_are_not_stored(client, consultant, detainee):
    client.force_login(consultant)
    for url in (reverse("casework:detainee_detail", args=[detainee.pk]), "/api/v1/detainees/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_anonymous_login_page_has_a_csp_too(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- API docs and schema -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
def test_api_docs_are_for_logged_in_staff_only(client, consultant, partner_with_consent, name):
    url = reverse(name)
    assert client.get(url).status_code in (401, 403)
    client.force_login(partner_with_consent)
    assert client.get(url).status_code == 403
    client.force_login(consultant)
    response = client.get(url)
    assert response.status_code == 200


def test_there_is_no_redoc_page_fetching_assets_from_cdns(client, consultant):
    # ReDoc loaded fonts and a logo from CDNs; it is gone, the Swagger UI (vendored by the sidecar) stays.
    client.force_login(consultant)
    assert client.get("/api/v1/redoc/").status_code == 404
    html = client.get(reverse("api-docs")).content.decode()
    for cdn in ("cdn.jsdelivr.net", "fonts.googleapis.com", "unpkg.com", "cdn.redoc.ly"):
        assert cdn not in html


def test_swagger_docs_run_without_inline_script(client, consultant):
    client.force_login(consultant)
    html = client.get(reverse("api-docs")).content.decode()
    assert "<script>" not in html
    assert "?script=" in html


# --- Throttling ----------------------------------------------------------------------------------------------


def test_base_settings_throttle_every_api_user():
    import config.settings.base as base

    assert "rest_framework.throttling.UserRateThrottle" in base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]


def test_the_throttle_answers_429(client, consultant, monkeypatch):
    # The test settings switch throttles off for speed; put the production class back with a tiny rate.
    monkeypatch.setattr(APIView, "throttle_classes", [UserRateThrottle])
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    client.force_login(consultant)
    statuses = [client.get("/api/v1/prisons/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
