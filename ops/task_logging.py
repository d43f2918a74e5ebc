"""Celery task logs: task id, task name, outcome and duration; never the arguments or the result
(arguments are ids today, but a log is the wrong place to find out the day one carries text)."""

from __future__ import annotations

import logging
import time

from celery import signals

logger = logging.getLogger("disengage.task")
_started: dict[str, float] = {}


def _duration(task_id: str | None) -> float | None:
    started = _started.pop(task_id, None) if task_id else None
    return round((time.perf_counter() - started) * 1000, 1) if started is not None else None


def on_prerun(task_id=None, task=None, **_kwargs):
    _started[task_id] = time.perf_counter()
    logger.info("task started", extra={"task_id": task_id, "task": task.name if task else None, "outcome": "started"})


def on_postrun(task_id=None, task=None, state=None, **_kwargs):
    outcome = (state or "unknown").lower()
    level = logging.INFO if outcome in ("success", "retry") else logging.WARNING
    logger.log(
        level,
        "task finished",
        extra={
            "task_id": task_id,
            "task": task.name if task else None,
            "outcome": outcome,
            "duration_ms": _duration(task_id),
        },
    )


def on_retry(request=None, reason=None, **_kwargs):
    logger.warning(
        "task retry",
        extra={
            "task_id": getattr(request, "id", None),
            "task": getattr(request, "task", None),
            "outcome": "retry",
            "retries": getattr(request, "retries", None),
        },
    )


def on_failure(task_id=None, sender=None, exception=None, **_kwargs):
    # The exception type only: its message may quote the data the task worked on.
    logger.error(
        "task failed: %s",
        type(exception).__name__,
        extra={
            "task_id": task_id,
            "task": getattr(sender, "name", None),
            "outcome": "failure",
        },
    )


def connect() -> None:
    signals.task_prerun.connect(on_prerun, weak=False, dispatch_uid="ops.task_prerun")
    signals.task_postrun.connect(on_postrun, weak=False, dispatch_uid="ops.task_postrun")
    signals.task_retry.connect(on_retry, weak=False, dispatch_uid="ops.task_retry")
    signals.task_failure.connect(on_failure, weak=False, dispatch_uid="ops.task_failure")
