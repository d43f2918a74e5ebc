"""The court's reporting deadlines through a REAL Celery worker on Redis and real PostgreSQL (ADR 0042): the
worker's sweep plans the `court_report_due` reminders itself and delivers each exactly once, also when it is
SIGKILLed mid-sweep and when two sweeps run at once — the same crash tests as the engine's own kinds
(tests/notifications/test_worker.py, whose worker, producer and broker this reuses)."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from accounts.models import Organisation
from notifications.models import Notification, Reminder, ReminderMail
from tests.factories import DetaineeFactory, OrganisationFactory, UserFactory
from tests.notifications.test_worker import BROKER, TASK, Worker, flush, producer, wait_for
from tests.trajectories.factories import TrajectoryFactory
from trajectories.models import Status
from trajectories.models_court import CourtCondition, ReportingDeadline
from trajectories.models_release import Release

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KIND = "court_report_due"


def deadlines_due(count: int) -> tuple[list[int], object]:
    """`count` deadlines that fell due yesterday (inside the planner's look-back, so the worker's own planning
    finds them and their reminders are due at once), on one condition, one per recipient organisation. Written
    directly: through the services they would be reminded at once, before any sweep."""
    caw = Organisation.objects.get(name="CAW Limburg")
    consultant = UserFactory(username="court-worker-consultant", consultant=True, organisation=caw)
    detainee = DetaineeFactory(organisation=caw, lead_consultant=consultant)
    today = timezone.localdate()
    trajectory = TrajectoryFactory(
        detainee=detainee, status=Status.AFTERCARE, referred_on=today - dt.timedelta(days=400)
    )
    release = Release.objects.create(
        trajectory=trajectory,
        released_on=today - dt.timedelta(days=30),
        modality="conditional_release",
        destination_municipality="Genk",
        aftercare_months=12,
        aftercare_ends_on=today + dt.timedelta(days=300),
        registered_by=consultant,
    )
    supervising = OrganisationFactory(name="Justitiehuis Hasselt (worker)")
    condition = CourtCondition.objects.create(
        release=release,
        kind="disengagement",
        text="Disengagementtraject volgen",
        court="SURB Antwerpen",
        decided_on=today - dt.timedelta(days=40),
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=700),
        supervising_organisation=supervising,
        reporting_mandate=True,
        recorded_by=consultant,
    )
    organisations = [OrganisationFactory(name=f"Dienst {n} (worker)") for n in range(count)]
    rows = ReportingDeadline.objects.bulk_create(
        ReportingDeadline(condition=condition, due_on=today - dt.timedelta(days=1), recipient_organisation=org)
        for org in organisations
    )
    return [r.pk for r in rows], consultant


def counts() -> tuple[int, int]:
    sent = Reminder.objects.filter(kind=KIND, status=Reminder.Status.SENT).count()
    return sent, Notification.objects.filter(kind=KIND).count()


def assert_exactly_once(deadline_ids: list[int]) -> None:
    reminders = Reminder.objects.filter(kind=KIND)
    assert sorted(reminders.values_list("object_id", flat=True)) == sorted(deadline_ids)
    assert reminders.filter(status=Reminder.Status.SENT).count() == len(deadline_ids)
    assert Notification.objects.filter(kind=KIND).count() == len(deadline_ids)
    assert Notification.objects.filter(reminder__in=reminders).count() == len(deadline_ids)


@pytest.fixture
def worker(tmp_path):
    flush(BROKER)
    handle = Worker(tmp_path, BROKER, mail_seconds=0.4)
    yield handle
    handle.kill()
    flush(BROKER)


def test_sigkill_mid_sweep_delivers_every_court_deadline_exactly_once(worker):
    ids, consultant = deadlines_due(40)
    worker.start()
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 5})
    # The sweep plans the deadlines' reminders, then delivers them batch by batch: kill it half-way.
    wait_for(lambda: 8 <= counts()[0] < 40, timeout=90, what="a sweep half-way")
    worker.kill()
    sent_at_kill, notified_at_kill = counts()
    assert sent_at_kill < 40, "the sweep finished before the kill; nothing was interrupted"
    # The killed batch rolled back: nothing is half-sent.
    assert notified_at_kill == sent_at_kill
    worker.start()
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 5})
    wait_for(lambda: counts()[0] == 40, timeout=120, what="all deadlines reminded after restart")
    wait_for(
        lambda: not ReminderMail.objects.filter(status=ReminderMail.Status.PENDING).exists(),
        timeout=90,
        what="all mails sent after restart",
    )
    time.sleep(2)  # the redelivered task runs too: it must find nothing to do
    assert_exactly_once(ids)
    assert set(Notification.objects.filter(kind=KIND).values_list("recipient_id", flat=True)) == {consultant.pk}


def test_two_sweeps_at_once_remind_each_court_deadline_once(worker):
    ids, _consultant = deadlines_due(30)
    worker.start()
    app = producer(BROKER)
    for _ in range(4):
        app.send_task(TASK, kwargs={"batch_size": 4})
    wait_for(lambda: counts()[0] == 30, timeout=120, what="all deadlines reminded")
    time.sleep(2)
    assert_exactly_once(ids)
