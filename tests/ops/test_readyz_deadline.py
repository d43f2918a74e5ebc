"""/readyz answers within a second in every failure state, and names what failed.

The failures are real sockets: a port nothing listens on (refused) and a port that accepts connections and never
says a word (a hung server, the worst case: only a timeout ends the wait)."""

import socket
import time

import pytest
from django.db import connections

from config.celery import app as celery_app
from ops import heartbeat
from tests import parallel

# A loopback port of this suite's private range (tests/ops/test_chaos.py uses the others).
HANG_PORT = parallel.port(56379)  # per xdist worker (tests/parallel.py)
REFUSED_PORT = 1
# Under xdist, never at the same time as the fault suite's stack (the heaviest load of the suite): these answers
# are timed to the second, and the fault suite is the one test that would take the machine from under them.
pytestmark = pytest.mark.xdist_group("deadlines-and-the-fault-stack")


@pytest.fixture
def hung_server():
    """Accepts TCP connections (the kernel's backlog) and never answers."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", HANG_PORT))
        server.listen(64)
        yield HANG_PORT


def _point_redis_at(settings, monkeypatch, port: int) -> None:
    url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL = url
    monkeypatch.setattr(celery_app.conf, "broker_url", url)


def _point_database_at(monkeypatch, port: int) -> None:
    # The checks run in threads of their own, which open new connections from these settings; this test's own
    # connection is already open and keeps working.
    monkeypatch.setitem(connections.settings["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(connections.settings["default"], "PORT", port)


def _timed_readyz(client):
    # The first request of a process imports every URLconf and view (a second on this machine): not the probe's cost.
    client.get("/healthz")
    started = time.monotonic()
    response = client.get("/readyz")
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_redis_refusing(client, settings, monkeypatch):
    _point_redis_at(settings, monkeypatch, REFUSED_PORT)
    response, elapsed = _timed_readyz(client)
    assert response.status_code == 503
    assert elapsed < 1.0, response.json()
    assert {"redis", "beat", "worker"} <= set(response.json()["failed"])
    assert "database" not in response.json()["failed"]


@pytest.mark.django_db
def test_redis_hanging(client, settings, monkeypatch, hung_server):
    _point_redis_at(settings, monkeypatch, hung_server)
    response, elapsed = _timed_readyz(client)
    assert response.status_code == 503
    assert elapsed < 1.0
    assert {"redis", "beat", "worker"} <= set(response.json()["failed"])


@pytest.mark.django_db
def test_database_hanging(client, monkeypatch, hung_server):
    heartbeat.beat()
    _point_database_at(monkeypatch, hung_server)
    response, elapsed = _timed_readyz(client)
    assert response.status_code == 503
    assert elapsed < 1.0
    body = response.json()
    assert {"database", "migrations", "outbox"} <= set(body["failed"])
    assert body["checks"]["database"]["detail"].startswith(("timed out", "unavailable"))
    assert body["checks"]["redis"]["ok"] is True


@pytest.mark.django_db
def test_database_refusing_does_not_wait_for_the_connection_retry(client, settings, monkeypatch):
    settings.DISENGAGE_DB_CONNECT_RETRY_SECONDS = 5.0
    _point_database_at(monkeypatch, REFUSED_PORT)
    response, elapsed = _timed_readyz(client)
    assert elapsed < 1.0
    assert response.json()["checks"]["database"]["detail"] == "unavailable (OperationalError)"


@pytest.mark.django_db
def test_everything_hanging_at_once(client, settings, monkeypatch, hung_server):
    _point_redis_at(settings, monkeypatch, hung_server)
    _point_database_at(monkeypatch, hung_server)
    response, elapsed = _timed_readyz(client)
    # The answer's own clock is the guarantee (under a second); the wall time around the test client also holds
    # the client's work, which a second xdist worker slows down (1.14 s seen in CI with six hung checks).
    assert response.json()["ms"] < 1000
    assert elapsed < 1.5
    assert set(response.json()["failed"]) == {"database", "migrations", "outbox", "redis", "beat", "worker"}
