"""Health endpoints for the orchestrator and the monitoring.

`/healthz`: the process is up and answers (liveness). No authentication, no dependencies checked.
`/readyz`: every dependency the application needs is there: the database answers, all migrations are applied,
Redis answers, celery beat ticked recently and at least one worker answers a ping. 200 when all pass, else 503.
Readable from loopback (the container's own health check) or with the `HEALTH_TOKEN` (monitoring from outside).
The answer names checks and their state only: never case content, never a connection string.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import heartbeat

logger = logging.getLogger("disengage.health")


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "ok"


def check_migrations() -> tuple[bool, str]:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
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

    # limit=1: answer as soon as one worker replies instead of waiting out the timeout.
    replies = app.control.ping(timeout=settings.HEALTH_WORKER_PING_TIMEOUT, limit=1)
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s) answered"


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "redis": check_redis,
    "beat": check_beat,
    "worker": check_worker,
}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            ok, detail = check()
        except Exception as exc:  # a failing dependency is an answer, not a 500
            ok, detail = False, f"unavailable ({type(exc).__name__})"
            logger.warning("readiness check failed", extra={"check": name})
        results[name] = {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}
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
    checks = run_checks()
    ready = all(result["ok"] for result in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
