"""Health endpoints for the orchestrator and the monitoring.

`/healthz`: the process is up and answers (liveness). No authentication, no dependencies checked.
`/readyz`: every dependency the application needs is there: the database answers, all migrations are applied,
Redis answers, the outbox relay keeps up (no committed job waits longer than `OUTBOX_MAX_BACKLOG_AGE`),
celery beat ticked recently and at least one worker answers a ping. 200 when all pass, else 503,
with `failed` naming the parts that did not pass. The checks run in parallel, each with a short timeout of its own,
and the answer never waits longer than `HEALTH_READYZ_DEADLINE` (under a second): a check still running then is
reported as timed out, whichever dependency hangs (ADR 0016).
Readable from loopback (the container's own health check) or with the `HEALTH_TOKEN` (monitoring from outside).
The answer names checks and their state only: never case content, never a connection string.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import time
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import heartbeat
from .db.base import connect_without_retry

logger = logging.getLogger("disengage.health")


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> tuple[bool, str]:
    # A readiness probe reports a refusing database at once instead of waiting out the connection retry.
    with connect_without_retry(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "ok"


@functools.cache
def code_migrations() -> dict[tuple[str, str], tuple]:
    """Every migration the code ships, with what it replaces (read from disk once per process: the code does not
    change under a running process, the database may)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: tuple(migration.replaces or ()) for key, migration in loader.disk_migrations.items()}


def check_migrations() -> tuple[bool, str]:
    with connect_without_retry():
        applied = set(MigrationRecorder(connection).applied_migrations())
    pending = [
        key
        for key, replaces in code_migrations().items()
        if key not in applied and not (replaces and all(r in applied for r in replaces))
    ]
    return (not pending), ("ok" if not pending else f"{len(pending)} unapplied migration(s)")


def check_redis() -> tuple[bool, str]:
    client = heartbeat.redis_client()
    if client is None:
        return False, "REDIS_URL is not configured"
    client.ping()
    return True, "ok"


def check_beat() -> tuple[bool, str]:
    age = heartbeat.age_seconds()
    if age is None:
        return False, "no heartbeat from celery beat"
    if age > settings.BEAT_HEARTBEAT_MAX_AGE:
        return False, f"last heartbeat {age:.0f}s ago"
    return True, f"last heartbeat {age:.0f}s ago"


def check_worker() -> tuple[bool, str]:
    from config.celery import app

    timeout = settings.HEALTH_WORKER_PING_TIMEOUT
    # A connection of its own that gives up after one short attempt: the broker's default connection retries
    # for seconds when Redis is down. limit=1: answer as soon as one worker replies.
    with app.connection_for_write(connect_timeout=timeout) as broker:
        broker.ensure_connection(max_retries=0, timeout=timeout)
        replies = app.control.ping(timeout=timeout, limit=1, connection=broker)
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s) answered"


def check_outbox() -> tuple[bool, str]:
    from .outbox import oldest_pending_age

    with connect_without_retry():
        age = oldest_pending_age()
    if age is None:
        return True, "nothing waiting"
    if age > settings.OUTBOX_MAX_BACKLOG_AGE:
        return False, f"oldest job waiting {age:.0f}s (relay down or broker unreachable)"
    return True, f"oldest job waiting {age:.0f}s"


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "outbox": check_outbox,
    "redis": check_redis,
    "beat": check_beat,
    "worker": check_worker,
}


def _timed(name: str, check) -> dict:
    started = time.perf_counter()
    try:
        ok, detail = check()
    except Exception as exc:  # a failing dependency is an answer, not a 500
        ok, detail = False, f"unavailable ({type(exc).__name__})"
        logger.warning("readiness check failed", extra={"check": name})
    finally:
        # Each check runs in a thread of its own: close that thread's database connection.
        connections.close_all()
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def run_checks(deadline: float | None = None) -> dict[str, dict]:
    """Every check at once; a check that has not answered by `deadline` seconds is reported as timed out."""
    deadline = settings.HEALTH_READYZ_DEADLINE if deadline is None else deadline
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    futures = {name: pool.submit(_timed, name, check) for name, check in CHECKS.items()}
    wait(futures.values(), timeout=deadline)
    # Never wait for a hanging check: its thread ends on its own socket timeout.
    pool.shutdown(wait=False, cancel_futures=True)
    results = {}
    for name, future in futures.items():
        if future.done() and not future.cancelled():
            results[name] = future.result()
        else:
            logger.warning("readiness check timed out", extra={"check": name})
            results[name] = {"ok": False, "detail": f"timed out after {deadline:.1f}s", "ms": round(deadline * 1000, 1)}
    return results


def _is_loopback(request) -> bool:
    # Behind a reverse proxy on the same host every request comes from loopback: a forwarded one is not ours.
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _has_token(request) -> bool:
    expected = settings.HEALTH_TOKEN
    if not expected:
        return False
    given = request.headers.get("X-Health-Token", "")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        given = auth.removeprefix("Bearer ")
    return hmac.compare_digest(given.encode(), expected.encode())


@never_cache
@require_GET
def readyz(request):
    if not (_is_loopback(request) or _has_token(request)):
        return JsonResponse({"detail": "Readiness is available from loopback or with the health token."}, status=403)
    started = time.perf_counter()
    checks = run_checks()
    failed = [name for name, result in checks.items() if not result["ok"]]
    return JsonResponse(
        {
            "status": "unavailable" if failed else "ready",
            "failed": failed,
            "checks": checks,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
        status=503 if failed else 200,
    )
