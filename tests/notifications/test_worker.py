"""Robustness of the sweep with a REAL Celery worker on Redis and real PostgreSQL (docs/design.md §5).

Celery delivers at least once; these tests prove the database delivers each reminder exactly once
when the worker is SIGKILLed mid-sweep, when two sweeps run at once, when Redis restarts and
when PostgreSQL drops the worker's connections.

Broker: WORKER_TEST_BROKER_URL, else CELERY_BROKER_URL, else Redis DB 7 of the local server; the Redis-restart
test starts a private redis-server on a free port and never touches the shared one.
"""

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from notifications.models import Notification, Reminder, ReminderMail
from tests import parallel
from tests.celery_worker import CeleryWorker, flush, wait_for
from tests.factories import DetaineeFactory, UserFactory

from . import kinds

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
# Each engineer's (and CI's) own Redis database: the test process runs eager tasks, so nothing else
# consumes from it, and parallel runs of this suite never flush each other's queues.
# Under xdist, each xdist worker's own database on that server (tests/parallel.py).
BROKER = parallel.redis_url(
    os.environ.get("WORKER_TEST_BROKER_URL") or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/7"
)
TASK = "notifications.tasks.reminders_sweep"


class Worker(CeleryWorker):
    """The sweep's worker: prefork (SIGKILL takes the whole pool), its mails logged by a slow backend."""

    def __init__(self, tmp_path: Path, broker: str, *, concurrency: int = 2, mail_seconds: float = 0.0):
        self.mail_log = tmp_path / "mail.log"
        super().__init__(
            tmp_path,
            broker,
            name="remind{n}@%h",
            app="tests.notifications.worker_app",
            pool="prefork",
            concurrency=concurrency,
            ready_timeout=40,
            env={"SLOW_MAIL_LOG": str(self.mail_log), "SLOW_MAIL_SECONDS": str(mail_seconds)},
        )

    def mails(self) -> list[str]:
        return self.mail_log.read_text().splitlines() if self.mail_log.exists() else []


class producer:  # noqa: N801 - reads like the function it replaces at call sites
    """A client that really publishes to `broker` (the test process itself runs with eager tasks,
    and Celery lets CELERY_BROKER_URL in the environment override an app's broker argument)."""

    def __init__(self, broker: str):
        self.broker = broker
        self.app = Celery("disengage-test-producer", set_as_current=False)

    def send_task(self, name: str, **options):
        with self.app.connection_for_write(self.broker) as conn:
            return self.app.send_task(name, connection=conn, **options)


def due_reminders(count: int, *, recipients: int = 3) -> list[int]:
    users = [UserFactory(username=f"worker-test-{n}", consultant=True) for n in range(recipients)]
    detainees = DetaineeFactory.create_batch(count, in_scope=True)
    moment = timezone.now() - dt.timedelta(minutes=1)
    rows = Reminder.objects.bulk_create(
        Reminder(
            kind=kinds.CODE,
            object_type="casework.detainee",
            object_id=d.pk,
            due_on=timezone.localdate(),
            due_at=moment,
            recipient=users[n % recipients],
            text="Item",
        )
        for n, d in enumerate(detainees)
    )
    return [r.pk for r in rows]


def counts() -> tuple[int, int, int]:
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).count()
    return sent, pending, Notification.objects.count()


def assert_exactly_once(reminder_ids: list[int]) -> None:
    assert Reminder.objects.filter(pk__in=reminder_ids, status=Reminder.Status.SENT).count() == len(reminder_ids)
    # One notification per reminder: every reminder has exactly one, and there are no others.
    assert Notification.objects.filter(reminder_id__in=reminder_ids).count() == len(reminder_ids)
    assert Notification.objects.count() == len(reminder_ids)


@pytest.fixture
def worker(tmp_path, leave_kind):
    flush(BROKER)
    handle = Worker(tmp_path, BROKER, mail_seconds=0.4)
    yield handle
    handle.kill()
    flush(BROKER)


def test_sigkill_in_the_middle_of_a_sweep_delivers_every_reminder_exactly_once(worker):
    ids = due_reminders(60)
    worker.start()
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 6})
    # Let a few batches commit, then kill the worker while a batch is in flight.
    wait_for(lambda: 12 <= counts()[0] < 60, timeout=60, what="a sweep half-way")
    worker.kill()
    sent_at_kill, pending_at_kill, _ = counts()
    assert pending_at_kill > 0, "the sweep finished before the kill; nothing was interrupted"
    # The killed batch rolled back: nothing is half-sent.
    assert Notification.objects.count() == sent_at_kill
    worker.start()
    # The unacknowledged task comes back by itself (visibility timeout); beat would send another anyway.
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 6})
    wait_for(lambda: counts()[1] == 0, timeout=90, what="all reminders delivered after restart")
    wait_for(
        lambda: not ReminderMail.objects.filter(status=ReminderMail.Status.PENDING).exists(),
        timeout=60,
        what="all mails sent after restart",
    )
    time.sleep(2)  # let the redelivered duplicate task run too: it must find nothing to do
    assert_exactly_once(ids)
    # Every message went out, and a repeat is only the message in flight of the one killed slot, with the
    # same Message-ID (ADR 0016).
    ids_sent = [line.split("\t")[2] for line in worker.mails()]
    assert set(ids_sent) == {f"<reminder-{m.reminder_id}@localhost>" for m in ReminderMail.objects.all()}
    assert ReminderMail.objects.exclude(status=ReminderMail.Status.SENT).count() == 0
    assert len(ids_sent) - len(set(ids_sent)) <= 1


def test_two_sweeps_at_the_same_time_deliver_nothing_twice(worker):
    ids = due_reminders(80)
    worker.start()
    app = producer(BROKER)
    for _ in range(4):
        app.send_task(TASK, kwargs={"batch_size": 5})
    wait_for(lambda: counts()[1] == 0, timeout=90, what="all reminders delivered")
    wait_for(
        lambda: not ReminderMail.objects.filter(status=ReminderMail.Status.PENDING).exists(),
        timeout=60,
        what="all mails sent",
    )
    time.sleep(1)
    assert_exactly_once(ids)
    ids_sent = [line.split("\t")[2] for line in worker.mails()]
    assert len(ids_sent) == len(set(ids_sent)) == ReminderMail.objects.count()  # no mail twice
    # Both pool processes worked on the sweep at the same time.
    log = worker.log()
    assert log.count("succeeded") >= 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server binary not installed")
def test_a_redis_restart_loses_nothing(tmp_path, leave_kind):
    port = _free_port()
    broker = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        return subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    redis_server = start_redis()
    worker = Worker(tmp_path, broker, mail_seconds=0.0)
    try:
        time.sleep(0.5)
        first = due_reminders(20)
        worker.start()
        producer(broker).send_task(TASK)
        wait_for(lambda: counts()[1] == 0, timeout=60, what="first delivery")
        # And its mails: the sweep is done, no task is in flight when Redis goes (kombu's Redis transport ends a
        # worker that loses the broker with a message unacknowledged; compose's restart policy covers that case).
        wait_for(
            lambda: not ReminderMail.objects.filter(status=ReminderMail.Status.PENDING).exists(),
            timeout=60,
            what="first mails",
        )
        time.sleep(1)
        # Redis goes away and comes back (appendonly: queued tasks survive); the worker reconnects.
        redis_server.terminate()
        redis_server.wait(10)
        second = _more_reminders(20)
        time.sleep(1)
        redis_server = start_redis()
        time.sleep(0.5)
        producer(broker).send_task(TASK)
        wait_for(lambda: counts()[1] == 0, timeout=60, what="delivery after the Redis restart")
        assert_exactly_once(first + second)
    finally:
        worker.kill()
        redis_server.kill()


def _more_reminders(count: int) -> list[int]:
    users = list(UserFactory._meta.model.objects.filter(username__startswith="worker-test-"))
    detainees = DetaineeFactory.create_batch(count, in_scope=True)
    moment = timezone.now() - dt.timedelta(minutes=1)
    rows = Reminder.objects.bulk_create(
        Reminder(
            kind=kinds.CODE,
            object_type="casework.detainee",
            object_id=d.pk,
            due_on=timezone.localdate(),
            due_at=moment,
            recipient=users[n % len(users)],
            text="Item",
        )
        for n, d in enumerate(detainees)
    )
    return [r.pk for r in rows]


def test_postgresql_dropping_the_workers_connections_mid_sweep_loses_nothing(worker):
    ids = due_reminders(40)
    worker.start()
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 5})
    wait_for(lambda: 5 <= counts()[0] < 40, timeout=60, what="a sweep half-way")
    # What a PostgreSQL restart does to the worker: every one of its connections is cut.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (terminated,) = cursor.fetchone()
    assert terminated >= 1
    # A batch that was in flight on a cut connection rolled back; the task goes on with a fresh connection (the
    # backend reconnects, or the task retries with back-off) and delivers the rest, nothing twice.
    wait_for(lambda: counts()[1] == 0, timeout=90, what="delivery after the connections were cut")
    assert_exactly_once(ids)
