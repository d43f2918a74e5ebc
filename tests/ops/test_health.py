"""/healthz and /readyz: both states of every readiness check, who may read them, and that they leak nothing."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from ops import health, heartbeat
from tests import parallel
from tests.celery_worker import CeleryWorker, flush, publishing_to, test_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def beat_fresh(settings):
    heartbeat.beat()
    yield
    client = heartbeat.redis_client()
    if client is not None:
        client.delete(heartbeat.KEY)


@pytest.fixture
def no_heartbeat(settings):
    heartbeat.redis_client().delete(heartbeat.KEY)


@pytest.fixture
def worker_answers(monkeypatch):
    from config.celery import app

    monkeypatch.setattr(app.control, "ping", lambda **kwargs: [{"celery@test": {"ok": "pong"}}])


@pytest.fixture
def no_worker(monkeypatch):
    from config.celery import app

    monkeypatch.setattr(app.control, "ping", lambda **kwargs: [])


def test_healthz_answers_anyone_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_all_ready(client, beat_fresh, worker_answers):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "outbox", "redis", "beat", "worker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_503_without_beat_and_worker(client, no_heartbeat, no_worker):
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["beat"] == {**checks["beat"], "ok": False, "detail": "no heartbeat from celery beat"}
    assert checks["worker"]["ok"] is False and checks["worker"]["detail"] == "no worker answered"
    assert checks["database"]["ok"] and checks["redis"]["ok"] and checks["migrations"]["ok"]


@pytest.mark.django_db
def test_readyz_stale_beat(client, settings, worker_answers):
    heartbeat.beat(now=time.time() - settings.BEAT_HEARTBEAT_MAX_AGE - 30)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["beat"]["ok"] is False
    assert "ago" in response.json()["checks"]["beat"]["detail"]


@pytest.mark.django_db
def test_readyz_database_down_is_503_without_details(client, monkeypatch, beat_fresh, worker_answers, settings):
    def broken():
        raise OperationalError(
            f"could not connect to server at {settings.DATABASES['default']['NAME']} password=secret"
        )

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        **response.json()["checks"]["database"],
        "ok": False,
        "detail": "unavailable (OperationalError)",
    }
    assert "secret" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_redis_down(client, settings, worker_answers):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["ok"] is False and checks["redis"]["detail"].startswith("unavailable")
    assert checks["beat"]["ok"] is False


@pytest.mark.django_db
def test_readyz_pending_migrations(client, monkeypatch, beat_fresh, worker_answers):
    shipped = {**health.code_migrations(), ("ops", "9998_not_applied"): (), ("ops", "9999_not_applied"): ()}
    monkeypatch.setattr(health, "code_migrations", lambda: shipped)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        **response.json()["checks"]["migrations"],
        "ok": False,
        "detail": "2 unapplied migration(s)",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "headers", "token", "allowed"),
    [
        ("127.0.0.1", {}, "", True),
        ("::1", {}, "", True),
        ("10.1.2.3", {}, "", False),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "", False),  # a proxied outside request
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer s3cret-health-token"}, "s3cret-health-token", True),
        ("10.1.2.3", {"HTTP_X_HEALTH_TOKEN": "s3cret-health-token"}, "s3cret-health-token", True),
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer wrong"}, "s3cret-health-token", False),
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer "}, "", False),  # no token configured: only loopback
    ],
)
def test_readyz_loopback_or_token(client, settings, beat_fresh, worker_answers, remote, headers, token, allowed):
    settings.HEALTH_TOKEN = token
    response = client.get("/readyz", REMOTE_ADDR=remote, **headers)
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert "checks" not in response.json()


@pytest.mark.django_db
def test_health_answers_carry_no_case_content(client, detainee, beat_fresh, no_worker):
    body = client.get("/readyz").content.decode() + client.get("/healthz").content.decode()
    for text in (
        detainee.first_name,
        detainee.last_name,
        str(connection.settings_dict["NAME"]),
        "postgres://",
        "redis://",
    ):
        assert text not in body


def test_post_is_not_allowed(client):
    assert client.post("/healthz").status_code == 405


# The readyz test's own Redis database, emptied first: tasks another test left queued on the suite's
# database would keep a solo worker busy instead of answering the ping.
# Under xdist, this worker's own Redis database on that server (tests/parallel.py).
READYZ_REDIS_URL = parallel.redis_url(os.environ.get("READYZ_TEST_REDIS_URL", "redis://127.0.0.1:6379/3"))


@pytest.mark.integration
@pytest.mark.django_db
def test_readyz_with_a_real_worker_and_beat(client, settings, monkeypatch, tmp_path):
    """A real Celery worker and a real beat: ready; stop the worker: the worker check fails.

    The worker and beat run in their own processes on the test database (beat's scheduler reads it) and on
    their own Redis database; this test's transaction only reads. Their output goes to files (a pipe nobody
    reads fills up and blocks the worker)."""
    flush(READYZ_REDIS_URL)
    settings.REDIS_URL = READYZ_REDIS_URL
    settings.CELERY_BROKER_URL = READYZ_REDIS_URL
    env = {"REDIS_URL": READYZ_REDIS_URL}
    worker = CeleryWorker(
        tmp_path, READYZ_REDIS_URL, name=f"readyz-{os.getpid()}@%h", loglevel="WARNING", env=env, quiet=False
    )
    beat_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": READYZ_REDIS_URL,
        **env,
    }
    beat_log = open(tmp_path / "beat.log", "w")  # noqa: SIM115
    with publishing_to(READYZ_REDIS_URL, monkeypatch):
        worker.start(wait=False)
        beat = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                str(tmp_path / "beat-schedule"),
            ],
            cwd=ROOT,
            env=beat_env,
            stdout=beat_log,
            stderr=subprocess.STDOUT,
        )
        try:
            body = {}
            # Generous: a worker and beat start in a few seconds on an idle machine, far slower on a loaded one.
            deadline = time.monotonic() + 150
            while time.monotonic() < deadline:
                response = client.get("/readyz")
                body = response.json()
                if response.status_code == 200:
                    break
                time.sleep(0.5)
            logs = f"\nworker: {worker.log()[-1500:]}\nbeat: {(tmp_path / 'beat.log').read_text()[-1500:]}"
            assert body.get("status") == "ready", json.dumps(body.get("checks"), indent=1) + logs
            assert "worker(s) answered" in body["checks"]["worker"]["detail"]
            worker.stop(timeout=30)
            response = client.get("/readyz")
            assert response.status_code == 503
            assert response.json()["checks"]["worker"]["ok"] is False
            assert response.json()["checks"]["beat"]["ok"] is True
        finally:
            worker.stop(timeout=30)
            beat.terminate()
            try:
                beat.wait(timeout=30)
            except subprocess.TimeoutExpired:
                beat.kill()
            beat_log.close()
            flush(READYZ_REDIS_URL)


def test_check_beat_command(settings):
    from django.core.management import CommandError, call_command

    heartbeat.redis_client().delete(heartbeat.KEY)
    with pytest.raises(CommandError, match="missing"):
        call_command("check_beat")
    heartbeat.beat()
    try:
        call_command("check_beat")
    finally:
        heartbeat.redis_client().delete(heartbeat.KEY)


def test_readyz_json_is_valid_for_monitoring_tools(client, db, no_heartbeat, no_worker):
    payload = json.loads(client.get("/readyz").content)
    assert payload["status"] == "unavailable"
    assert all(set(check) == {"ok", "detail", "ms"} for check in payload["checks"].values())
