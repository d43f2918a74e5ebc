"""The beat scheduler: django-celery-beat's database scheduler, plus a heartbeat on every tick."""

from __future__ import annotations

import logging
import time

from django_celery_beat.schedulers import DatabaseScheduler

from . import heartbeat

logger = logging.getLogger("disengage.beat")


class HeartbeatScheduler(DatabaseScheduler):
    heartbeat_every = 15.0  # seconds; /readyz calls beat stale after BEAT_HEARTBEAT_MAX_AGE
    _last_beat = 0.0

    def tick(self, *args, **kwargs):
        now = time.time()
        if now - self._last_beat >= self.heartbeat_every:
            try:
                heartbeat.beat(now)
                self._last_beat = now
            except Exception as exc:  # a Redis hiccup must never stop the scheduler itself
                logger.warning("beat heartbeat not written: %s", type(exc).__name__)
        return super().tick(*args, **kwargs)
