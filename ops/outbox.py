"""The transactional outbox and its relay (ADR 0016).

`outbox_enqueue(task, *args, **kwargs)` replaces `transaction.on_commit(lambda: task.delay(...))` for every job that
must happen (invitations, PDF renders, handover packages): the job is a row written in the caller's transaction,
so it exists exactly when the change that causes it committed, and no request ever talks to the broker.

`outbox_relay_batch()` hands committed rows to Celery in id order, each with a stable task id, and marks them
relayed in the same short transaction (rows claimed with SKIP LOCKED, so two relays never publish one row at the
same time). When the broker refuses, the batch stops at that row (order kept), the row records the attempt and
waits for its back-off, and everything before it is marked. A relay that dies between publishing and marking
publishes those rows again: Celery delivers at least once anyway, and every task is idempotent.

`run_relay()` is the loop of `manage.py outbox_relay` (its own process in the Procfiles and in compose): poll,
relay, back off while the broker or the database is away, prune relayed rows after a week.
Under CELERY_TASK_ALWAYS_EAGER (tests) a row is relayed, and so run, right after its commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import signal
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from .models import OutboxMessage

logger = logging.getLogger("disengage.outbox")

BROKER_ERRORS = (BrokerOperationalError, ConnectionError, TimeoutError, OSError)
DATABASE_ERRORS = (OperationalError, InterfaceError)
KEEP_RELAYED = dt.timedelta(days=7)
# The relay touches this file on every round; `outbox_relay --check` (the container health check) reads its age.
ALIVE_FILE = Path(
    os.environ.get("OUTBOX_RELAY_ALIVE_FILE", Path(tempfile.gettempdir()) / "disengage-outbox-relay.alive")
)


def outbox_enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Record a Celery task call in the current transaction; it is published after the commit, whatever the broker."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        message_id = message.pk
        transaction.on_commit(lambda: outbox_relay_batch(ids=[message_id]))
    return message


def _publish(message: OutboxMessage) -> None:
    from config.celery import app

    task = app.tasks.get(message.task)
    options = {"task_id": message.task_id, "retry": False}
    if task is not None:
        # apply_async honours CELERY_TASK_ALWAYS_EAGER; send_task (an unknown task: another codebase) does not.
        task.apply_async(args=message.args, kwargs=message.kwargs, **options)
    else:
        app.send_task(message.task, args=message.args, kwargs=message.kwargs, **options)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(60.0, 0.5 * 2 ** min(attempts, 10)) * random.uniform(0.8, 1.2))  # noqa: S311


def outbox_relay_batch(*, limit: int = 100, ids: list[int] | None = None, publish=_publish) -> tuple[int, bool]:
    """Publish up to `limit` pending rows in id order. Returns (published, broker_refused)."""
    with transaction.atomic():
        rows = OutboxMessage.objects.pending()
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        batch = list(rows.select_for_update(skip_locked=True).order_by("id")[:limit])
        published: list[int] = []
        refused = False
        for message in batch:
            try:
                publish(message)
            except BROKER_ERRORS as exc:
                refused = True
                message.attempts += 1
                message.last_error = type(exc).__name__[:200]
                message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning(
                    "outbox: broker refused, will retry", extra={"outbox_id": message.pk, "attempts": message.attempts}
                )
                # Keep the order: nothing after a refused row goes out before it.
                break
            published.append(message.pk)
        if published:
            OutboxMessage.objects.filter(pk__in=published).update(relayed_at=timezone.now())
    return len(published), refused


def relay_alive_age() -> float | None:
    """Seconds since the relay on this host last went round its loop, or None when it never did."""
    try:
        return max(0.0, time.time() - ALIVE_FILE.stat().st_mtime)
    except FileNotFoundError:
        return None


def oldest_pending_age(*, now: dt.datetime | None = None) -> float | None:
    """Age in seconds of the oldest committed row not yet relayed (None when none waits): the backlog /readyz shows."""
    created = (
        OutboxMessage.objects.filter(relayed_at__isnull=True)
        .order_by("id")
        .values_list("created_at", flat=True)
        .first()
    )
    if created is None:
        return None
    return max(0.0, ((now or timezone.now()) - created).total_seconds())


def outbox_prune(*, now: dt.datetime | None = None) -> int:
    """Forget rows relayed more than a week ago (the broker and the task logs have them)."""
    cutoff = (now or timezone.now()) - KEEP_RELAYED
    return OutboxMessage.objects.filter(relayed_at__lt=cutoff).delete()[0]


class _Stop:
    requested = False

    def __call__(self, signum, frame) -> None:
        self.requested = True


def run_relay(*, poll_seconds: float = 0.5, max_backoff: float = 30.0, once: bool = False) -> None:
    """The relay loop: relay, then sleep `poll_seconds` when idle, or back off (doubling) while a dependency is away."""
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = poll_seconds
    last_prune = 0.0
    while not stop.requested:
        ALIVE_FILE.touch()
        try:
            published, refused = outbox_relay_batch()
            if time.monotonic() - last_prune > 3600:
                outbox_prune()
                last_prune = time.monotonic()
        except DATABASE_ERRORS:
            logger.warning("outbox: database unavailable, backing off", extra={"delay": delay})
            for conn in connections.all(initialized_only=True):
                conn.close()
            published, refused = 0, True
        else:
            close_old_connections()
        if once:
            return
        if refused:
            time.sleep(delay)
            delay = min(max_backoff, delay * 2)
            continue
        delay = poll_seconds
        if not published:
            time.sleep(poll_seconds)
