"""The beat heartbeat: celery beat writes the time of its last tick into Redis; /readyz reads its age.

A stale heartbeat means no periodic job (reminder sweeps, retention) is being scheduled, even though web and
worker look fine — the failure nobody notices for weeks unless something checks for it.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings

KEY = "disengage:beat:heartbeat"


def redis_client() -> redis.Redis | None:
    """A short-timeout client on REDIS_URL, or None when no Redis is configured (filesystem broker)."""
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5)


def beat(now: float | None = None) -> None:
    client = redis_client()
    if client is not None:
        # Expires on its own, so a beat that died long ago leaves no misleading key behind.
        client.set(KEY, f"{now if now is not None else time.time():.3f}", ex=24 * 3600)


def age_seconds(now: float | None = None) -> float | None:
    """Seconds since beat last ticked, or None when it never did (or the key expired)."""
    client = redis_client()
    value = client.get(KEY) if client is not None else None
    if value is None:
        return None
    return max(0.0, (now if now is not None else time.time()) - float(value))
