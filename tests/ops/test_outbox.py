"""The transactional outbox: a job exists exactly when its change committed, and the relay publishes it to a real
Redis broker in id order, later, whatever state the broker was in when the change was made (ADR 0016)."""

import datetime as dt
import json
import os

import pytest
import redis
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from casusoverleg.tasks import conference_invitations_send
from config.celery import app as celery_app
from notifications.tasks import reminders_sweep
from ops import outbox
from ops.models import OutboxMessage
from tests import parallel
from tests.casusoverleg.factories import schedule

# serialized_rollback: the flush after each test leaves the content types to the next serialized test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BROKER = parallel.redis_url(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"))
REFUSING_BROKER = "redis://127.0.0.1:1/0"


def _use_broker(url: str) -> None:
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.update(broker_url=url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def real_broker(settings, monkeypatch):
    """This process publishes for real (no eager run) to the suite's own Redis database; nobody consumes."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER)
    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(task_always_eager=False)
    _use_broker(BROKER)
    client = redis.Redis.from_url(BROKER)
    client.delete("celery")
    yield client
    client.delete("celery")
    celery_app.conf.update(**saved)
    _use_broker(saved["broker_url"])


def queued_task_ids(client) -> list[str]:
    """Task ids in the order a worker would take them (kombu pushes left, pops right)."""
    return [json.loads(raw)["headers"]["id"] for raw in reversed(client.lrange("celery", 0, -1))]


def test_a_job_exists_only_when_its_change_committed(real_broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_enqueue(reminders_sweep, batch_size=5)
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    with transaction.atomic():
        message = outbox.outbox_enqueue(reminders_sweep, batch_size=5)
    assert OutboxMessage.objects.get() == message
    assert message.relayed_at is None and real_broker.llen("celery") == 0  # nothing talked to the broker


def test_the_relay_publishes_in_id_order_with_stable_task_ids(real_broker):
    messages = [outbox.outbox_enqueue(reminders_sweep, batch_size=n) for n in (1, 2, 3)]
    assert outbox.outbox_relay_batch() == (3, False)
    assert queued_task_ids(real_broker) == [f"outbox-{m.pk}" for m in messages]
    assert not OutboxMessage.objects.pending().exists()
    assert outbox.outbox_relay_batch() == (0, False)  # nothing is published twice
    assert real_broker.llen("celery") == 3


def test_scheduling_a_conference_while_the_broker_is_down_succeeds_and_the_invitation_follows(
    real_broker, director, detainee
):
    _use_broker(REFUSING_BROKER)
    conference = schedule(director, detainee, starts_at=timezone.now() + dt.timedelta(days=10))
    message = OutboxMessage.objects.get()
    assert message.task == conference_invitations_send.name and message.args == [conference.pk]

    assert outbox.outbox_relay_batch() == (0, True)
    message.refresh_from_db()
    assert message.relayed_at is None and message.attempts == 1 and message.last_error
    assert message.next_attempt_at > timezone.now()  # backs off

    _use_broker(BROKER)
    assert outbox.outbox_relay_batch() == (0, False)  # still waiting for its back-off
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.outbox_relay_batch() == (1, False)
    assert queued_task_ids(real_broker) == [f"outbox-{message.pk}"]


def test_a_refused_row_holds_back_the_rows_after_it(real_broker):
    first, second, third = (outbox.outbox_enqueue(reminders_sweep, batch_size=n) for n in (1, 2, 3))
    published = []

    def publish(message):
        if message.pk == second.pk:
            raise ConnectionError("broker went away")
        published.append(message.pk)

    assert outbox.outbox_relay_batch(publish=publish) == (1, True)
    assert published == [first.pk]
    rows = {m.pk: m for m in OutboxMessage.objects.all()}
    assert rows[first.pk].relayed_at is not None
    assert rows[second.pk].relayed_at is None and rows[second.pk].attempts == 1
    assert rows[third.pk].relayed_at is None and rows[third.pk].attempts == 0


def test_two_relays_never_publish_the_same_row(real_broker):
    """A second relay skips the rows the first one holds (SKIP LOCKED) instead of publishing them too."""
    outbox.outbox_enqueue(reminders_sweep, batch_size=1)
    outbox.outbox_enqueue(reminders_sweep, batch_size=2)
    inner = []

    def publish_while_another_relay_runs(message):
        if not inner:
            inner.append(outbox.outbox_relay_batch_in_thread())
        outbox._publish(message)

    outbox.outbox_relay_batch_in_thread = _relay_in_other_thread
    try:
        assert outbox.outbox_relay_batch(publish=publish_while_another_relay_runs) == (2, False)
    finally:
        del outbox.outbox_relay_batch_in_thread
    assert inner == [(0, False)]
    assert real_broker.llen("celery") == 2


def _relay_in_other_thread():
    import threading

    from django.db import connection

    result = []

    def run():
        try:
            result.append(outbox.outbox_relay_batch())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result[0]


def test_relayed_rows_are_pruned_after_a_week(real_broker):
    old = outbox.outbox_enqueue(reminders_sweep)
    recent = outbox.outbox_enqueue(reminders_sweep)
    OutboxMessage.objects.filter(pk=old.pk).update(relayed_at=timezone.now() - dt.timedelta(days=8))
    OutboxMessage.objects.filter(pk=recent.pk).update(relayed_at=timezone.now() - dt.timedelta(days=1))
    assert outbox.outbox_prune() == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_relay_health_check(tmp_path, monkeypatch):
    monkeypatch.setattr(outbox, "ALIVE_FILE", tmp_path / "alive")
    with pytest.raises(CommandError, match="not running"):
        call_command("outbox_relay", "--check")
    call_command("outbox_relay", "--once")  # one round: touches the file
    call_command("outbox_relay", "--check")
    os.utime(tmp_path / "alive", (0, 0))
    with pytest.raises(CommandError, match="stuck"):
        call_command("outbox_relay", "--check")


def test_readyz_names_a_backlog_the_relay_does_not_clear(client, settings, real_broker):
    settings.OUTBOX_MAX_BACKLOG_AGE = 60
    message = outbox.outbox_enqueue(reminders_sweep)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    body = client.get("/readyz").json()
    assert "outbox" in body["failed"]
    assert body["checks"]["outbox"]["detail"].startswith("oldest job waiting 30")
