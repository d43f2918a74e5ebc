"""Reminders of meetings outside detention (docs/adr/0041) through a REAL Celery worker on Redis and real
PostgreSQL, under the crash tests of the reminder engine (tests/notifications/test_worker.py): the worker is
SIGKILLed in the middle of a sweep, restarted, and every reminder of the LIVC and justice-house meetings is
delivered exactly once — and none to an organiser whose basis (his organisation's consent) was withdrawn.
"""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from casework.models import Consent
from casework.services import detainee_update
from casusoverleg.models import Conference
from casusoverleg.services.meetings import meeting_schedule
from notifications.models import Notification, Reminder, ReminderMail
from notifications.services import reminders_plan
from tests.factories import ConsentFactory, DetaineeFactory, OrganisationFactory, UserFactory
from tests.notifications.test_worker import BROKER, TASK, Worker, flush, producer, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KINDS = ("conference_invitation", "conference_upcoming")


@pytest.fixture
def worker(tmp_path, leave_kind):
    flush(BROKER)
    handle = Worker(tmp_path, BROKER, mail_seconds=0.4)
    yield handle
    handle.kill()
    flush(BROKER)


@pytest.fixture
def leave_kind():
    from tests.notifications import kinds

    kinds.install()
    yield kinds.KIND
    kinds.uninstall()


def _meetings(count: int):
    """`count` meetings tomorrow, each on its own released person, on the court's mandate; and one more on a
    consent that is then withdrawn (its organiser loses his basis, the lead consultant keeps his file)."""
    caw = OrganisationFactory(name="CAW Limburg", kind="caw")
    manager = UserFactory(username="w-manager", manager=True, organisation=caw)
    justice_house = OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house")
    livc = OrganisationFactory(name="LIVC Genk", kind="local_government")
    organiser = UserFactory(username="w-organiser", role=User.Role.ORGANISER, organisation=justice_house)
    lapsed_organiser = UserFactory(username="w-livc", role=User.Role.ORGANISER, organisation=livc)
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    released_on = timezone.localdate() - dt.timedelta(days=20)
    for n in range(count + 1):
        consultant = UserFactory(username=f"w-consultant-{n}", consultant=True, organisation=caw)
        person = DetaineeFactory(
            organisation=caw, current_prison=None, released_on=released_on, lead_consultant=consultant
        )
        number = f"9305182{n:02d}"
        number += f"{97 - int(number) % 97:02d}"
        detainee_update(detainee=person, user=manager, national_number=number)
        if n < count:
            meeting_schedule(
                user=organiser,
                kind="livc" if n % 2 else "justice_house",
                national_number=number,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                venue="Justitiehuis Hasselt",
                basis="court_mandate",
                mandate_reference=f"SURB Antwerpen 2026/{400 + n}",
            )
        else:
            consent = ConsentFactory(
                detainee=person, organisation=livc, explained_by=consultant, purposes=["conference"], scopes=["minutes"]
            )
            meeting_schedule(
                user=lapsed_organiser,
                kind="livc",
                national_number=number,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                venue="LIVC Genk",
                basis="consent",
            )
    reminders_plan()
    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=timezone.localdate())
    ids = list(
        Reminder.objects.filter(
            kind__in=KINDS, object_type="casusoverleg.conference", status=Reminder.Status.PENDING
        ).values_list("pk", flat=True)
    )
    # Due now (the engine sends at 07:00 local by default; the test does not wait for the morning).
    Reminder.objects.filter(pk__in=ids).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    return ids, lapsed_organiser


def _pending(ids) -> int:
    return Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING).count()


def test_meeting_reminders_survive_a_sigkill_exactly_once(worker):
    ids, lapsed_organiser = _meetings(14)
    assert Conference.objects.outside().count() == 15
    assert len(ids) >= 40, len(ids)
    worker.start()
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 4})
    wait_for(lambda: 8 <= len(ids) - _pending(ids) < len(ids), timeout=60, what="a sweep half-way")
    worker.kill()
    assert _pending(ids) > 0, "the sweep finished before the kill; nothing was interrupted"
    done = Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENT).count()
    assert Notification.objects.filter(reminder_id__in=ids).count() == done  # the killed batch rolled back whole
    worker.start()
    producer(BROKER).send_task(TASK, kwargs={"batch_size": 4})
    wait_for(lambda: _pending(ids) == 0, timeout=120, what="all meeting reminders handled after restart")
    wait_for(
        lambda: not ReminderMail.objects.filter(status=ReminderMail.Status.PENDING).exists(),
        timeout=90,
        what="all mails sent after restart",
    )
    sent = set(Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENT).values_list("pk", flat=True))
    # Exactly once: one notification per reminder sent, none for one withdrawn.
    assert Notification.objects.filter(reminder_id__in=ids).count() == len(sent)
    assert set(Notification.objects.filter(reminder_id__in=ids).values_list("reminder_id", flat=True)) == sent
    # The organiser whose basis ended hears nothing more; the file's consultant of that meeting still does.
    assert not Notification.objects.filter(recipient=lapsed_organiser).exists()
    lapsed = Conference.objects.get(chair=lapsed_organiser)
    assert Notification.objects.filter(recipient=lapsed.detainee.lead_consultant).exists()
    # Both kinds reached the organiser on the court's mandate.
    assert set(
        Reminder.objects.filter(pk__in=sent, recipient__username="w-organiser").values_list("kind", flat=True)
    ) >= {"conference_invitation"}
    ids_sent = [line.split("\t")[2] for line in worker.mails()]
    assert set(ids_sent) == {f"<reminder-{m.reminder_id}@localhost>" for m in ReminderMail.objects.all()}
    assert len(ids_sent) - len(set(ids_sent)) <= 1
