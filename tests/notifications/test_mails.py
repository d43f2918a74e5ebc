"""Reminder e-mails: one row per outgoing message, claimed, sent and marked in a transaction of its own, with a
Message-ID derived from the reminder (ADR 0016). Real PostgreSQL row locks; the SIGKILL of a real worker is in
test_worker.py."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction

from notifications import services
from notifications.models import Notification, Reminder, ReminderMail
from tests.factories import DetaineeFactory, UserFactory

from . import kinds

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=BRUSSELS)


class WorkerDied(BaseException):
    """What a SIGKILL looks like from inside: the process stops between the SMTP answer and the COMMIT."""


def _due(recipients, per_recipient=2):
    rows = []
    for user in recipients:
        for detainee in DetaineeFactory.create_batch(per_recipient):
            rows.append(
                Reminder(
                    kind=kinds.CODE,
                    object_type="casework.detainee",
                    object_id=detainee.pk,
                    due_on=NOW.date(),
                    due_at=NOW - dt.timedelta(hours=1),
                    recipient=user,
                    text="Item",
                )
            )
    return Reminder.objects.bulk_create(rows)


@pytest.fixture
def staff(db):
    return [UserFactory(username=f"mail-{n}", consultant=True, email=f"mail-{n}@example.org") for n in range(3)]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_one_message_per_recipient_with_a_message_id_from_its_first_reminder(leave_kind, staff):
    reminders = _due(staff)
    result = services.reminders_sweep(plan=False)
    assert (result.sent, result.mails) == (6, 3)
    assert len(mail.outbox) == 3
    first_of = {}
    for reminder in sorted(reminders, key=lambda r: r.pk):
        first_of.setdefault(reminder.recipient_id, reminder.pk)
    by_address = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox}
    assert by_address == {u.email: f"<reminder-{first_of[u.pk]}@localhost>" for u in staff}
    assert set(ReminderMail.objects.values_list("status", flat=True)) == {ReminderMail.Status.SENT}
    # The message as sent carries that id (not one made up at sending time).
    assert mail.outbox[0].message()["Message-ID"] == mail.outbox[0].extra_headers["Message-ID"]


def test_a_worker_dying_after_smtp_repeats_only_the_message_in_flight_with_the_same_id(leave_kind, staff):
    _due(staff)
    services.reminders_deliver_batch()
    calls = []

    def die_on_the_second(row):
        calls.append(row.pk)
        if len(calls) == 2:
            raise WorkerDied

    with pytest.raises(WorkerDied):
        services.reminder_mails_send(on_sent=die_on_the_second)
    assert len(mail.outbox) == 2
    assert ReminderMail.objects.filter(status=ReminderMail.Status.SENT).count() == 1  # the second never committed
    services.reminder_mails_send()
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 4 and len(set(ids)) == 3  # one repeat, and it carries the same Message-ID
    assert ids[1] == ids[2]
    assert Notification.objects.count() == 6  # notifications were never at risk


def test_an_unreachable_mail_server_leaves_the_messages_pending_with_a_back_off(leave_kind, staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    _due(staff)
    result = services.reminders_sweep(plan=False)
    assert result.sent == 6 and result.mails == 0
    rows = list(ReminderMail.objects.all())
    assert len(rows) == 3
    assert all(r.status == ReminderMail.Status.PENDING and r.attempts == 1 and r.next_attempt_at > NOW for r in rows)
    # Back again: the next sweep after the back-off sends them, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        assert services.reminders_sweep(plan=False).mails == 3
    assert len(mail.outbox) == 3


def test_a_message_fails_for_good_after_its_last_attempt(leave_kind, staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    _due(staff[:1])
    services.reminders_deliver_batch()
    ReminderMail.objects.update(attempts=services.MAIL_MAX_ATTEMPTS - 1)
    services.reminder_mails_send()
    assert ReminderMail.objects.get().status == ReminderMail.Status.FAILED


def test_sending_costs_a_constant_number_of_queries_per_message(leave_kind, staff, django_assert_num_queries):
    _due(staff, per_recipient=1)
    services.reminders_deliver_batch()
    services.absolute_url("/")  # warm the Site cache, as in a long-running worker
    # per message: 1 savepoint, 1 claim (FOR UPDATE SKIP LOCKED, with its recipient), 1 mark sent, 1 release;
    # then 1 savepoint, 1 empty claim, 1 release
    with django_assert_num_queries(3 * 4 + 3):
        assert services.reminder_mails_send() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_another_sweep_is_sending_is_skipped(leave_kind):
    staff = [UserFactory(username=f"lock-{n}", consultant=True, email=f"lock-{n}@example.org") for n in range(2)]
    _due(staff, per_recipient=1)
    services.reminders_deliver_batch()
    held = ReminderMail.objects.order_by("id").first()
    locked, release = threading.Event(), threading.Event()

    def other_sweep_sending():
        try:
            with transaction.atomic():
                ReminderMail.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sweep_sending)
    thread.start()
    try:
        assert locked.wait(30)
        assert services.reminder_mails_send() == 1
        assert [m.to[0] for m in mail.outbox] == [u.email for u in staff if u.pk != held.recipient_id]
    finally:
        release.set()
        thread.join(30)
    assert ReminderMail.objects.get(pk=held.pk).status == ReminderMail.Status.PENDING


def test_a_killed_task_comes_back_within_minutes_and_never_while_it_still_runs(settings):
    """The visibility timeout (redelivery of a dead worker's task) is sized to the longest task and retry wait."""
    from ops.tasks import ResilientTask

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT + ResilientTask.retry_backoff_max
    assert visibility <= 15 * 60
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
