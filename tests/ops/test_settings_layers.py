"""Production extends the base settings without losing what base.py sets, and a server started without a
settings module gets production's, never the development defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRINT_DATABASE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; print(json.dumps({'options': d.get('OPTIONS', {}), "
    "'health': d['CONN_HEALTH_CHECKS'], 'age': d['CONN_MAX_AGE'], 'name': d['NAME'], 'debug': s.DEBUG}))"
)


def _production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DISENGAGE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="s" * 60,
        DJANGO_ALLOWED_HOSTS="disengage.example.org",
        DATABASE_URL="postgres://app@db.internal:5432/cases",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/9",
        PUBLIC_BASE_URL="https://dossiers.disengage.be",
        DJANGO_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_NATIONAL_NUMBER_INDEX_KEY="i" * 40,
    )
    env.update(extra)
    return env


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_keeps_the_database_options_of_base():
    result = _run(PRINT_DATABASE, _production_env(DJANGO_DB_CONNECT_TIMEOUT="3"))
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["options"]["connect_timeout"] == 3, "a dead database host must fail fast in production too"
    assert database["health"] is True and database["age"] == 60
    assert database["name"] == "cases" and database["debug"] is False


def test_production_requires_a_database_url():
    env = _production_env()
    del env["DATABASE_URL"]
    result = _run(PRINT_DATABASE, env)
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_wsgi_and_asgi_default_to_production():
    env = _production_env()
    del env["DJANGO_SETTINGS_MODULE"]
    for module in ("config.wsgi", "config.asgi"):
        result = _run(f"import {module}; from django.conf import settings as s; print(s.SETTINGS_MODULE)", env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "config.settings.production"
