"""The reminder engine: planning is idempotent, delivery exactly-once, withdrawal, offsets, DST."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from notifications import services
from notifications.models import Notification, Reminder, ReminderSetting
from notifications.registry import add_working_days, local_moment
from tests.factories import DetaineeFactory

from . import kinds

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args):
    return dt.datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def leave_in_a_week(detainee):
    detainee.leave_eligible_on = dt.date(2026, 12, 10)
    detainee.save(update_fields=["leave_eligible_on"])
    return detainee


def test_planning_creates_one_reminder_per_offset_and_never_twice(leave_kind, leave_in_a_week):
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        services.reminders_plan()
        services.reminders_plan()
    with time_machine.travel(at(2026, 12, 9, 9, 0), tick=False):
        services.reminders_plan()
        services.reminders_plan()
    rows = Reminder.objects.filter(kind=kinds.CODE)
    assert sorted(r.due_on for r in rows) == [dt.date(2026, 12, 3), dt.date(2026, 12, 9)]
    assert {r.due_at for r in rows} == {at(2026, 12, 3, 8, 0), at(2026, 12, 9, 8, 0)}


def test_sweep_delivers_a_notification_and_a_content_free_mail_once(leave_kind, leave_in_a_week, consultant):
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        first = services.reminders_sweep()
        second = services.reminders_sweep()
    assert (first.sent, second.sent) == (1, 0)
    notification = Notification.objects.get(recipient=consultant)
    assert notification.text == "Verlofdatum nadert voor een dossier."
    assert notification.reminder.status == Reminder.Status.SENT
    assert notification.reminder.sent_at == at(2026, 12, 3, 9, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [consultant.email]
    assert "Je hebt een nieuw item in Disengagement. Meld je aan om het te lezen." in message.body
    assert "/meldingen/" in message.body
    # No case content: not the name, not the kind's text, not the file link.
    for leak in ("Youssef", "El Amrani", "Verlof", f"/dossiers/{leave_in_a_week.pk}"):
        assert leak not in message.body and leak not in message.subject


def test_a_reminder_is_not_sent_before_its_moment(leave_kind, leave_in_a_week):
    with time_machine.travel(at(2026, 12, 3, 7, 59), tick=False):
        result = services.reminders_sweep()
    assert result.sent == 0
    assert Reminder.objects.get().status == Reminder.Status.PENDING


def test_reminder_that_no_longer_applies_is_withdrawn_not_sent(leave_kind, leave_in_a_week):
    with time_machine.travel(at(2026, 12, 3, 6, 0), tick=False):
        services.reminders_plan()
    leave_in_a_week.in_scope = False
    leave_in_a_week.save(update_fields=["in_scope"])
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        result = services.reminders_sweep()
    assert (result.sent, result.withdrawn) == (0, 1)
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.WITHDRAWN and reminder.withdrawn_at is not None
    assert not Notification.objects.exists() and not mail.outbox


def test_inactive_recipient_gets_nothing(leave_kind, leave_in_a_week, consultant):
    consultant.is_active = False
    consultant.save(update_fields=["is_active"])
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        result = services.reminders_sweep()
    assert (result.sent, result.withdrawn) == (0, 1)
    assert not mail.outbox


def test_an_unregistered_kind_is_withdrawn(leave_kind, leave_in_a_week):
    with time_machine.travel(at(2026, 12, 3, 6, 0), tick=False):
        services.reminders_plan()
    kinds.uninstall()
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        assert services.reminders_sweep().withdrawn == 1


def test_organisation_offsets_replace_the_defaults(leave_kind, leave_in_a_week, caw, manager):
    services.reminder_setting_save(organisation=caw, kind=kinds.CODE, offsets=[-14], user=manager)
    for day in range(20):
        with time_machine.travel(at(2026, 11, 20, 9, 0) + dt.timedelta(days=day), tick=False):
            services.reminders_sweep()
    assert list(Reminder.objects.values_list("due_on", flat=True)) == [dt.date(2026, 11, 26)]


def test_a_disabled_kind_plans_nothing(leave_kind, leave_in_a_week, caw, manager):
    services.reminder_setting_save(organisation=caw, kind=kinds.CODE, offsets=[], enabled=False, user=manager)
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        services.reminders_sweep()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        ([7, 1], "oplopen"),
        ([1, 1], "oplopen"),
        ([], "minstens één"),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], "acht"),
        ([1000], "twee jaar"),
    ],
)
def test_bad_offsets_are_refused_and_nothing_changes(leave_kind, caw, manager, offsets, message):
    with pytest.raises(ValidationError) as error:
        services.reminder_setting_save(organisation=caw, kind=kinds.CODE, offsets=offsets, user=manager)
    assert message in str(error.value.message_dict["offsets"])
    assert not ReminderSetting.objects.exists()


def test_unknown_kind_setting_is_refused(caw, manager):
    with pytest.raises(ValidationError) as error:
        services.reminder_setting_save(organisation=caw, kind="nope", offsets=[1], user=manager)
    assert "kind" in error.value.message_dict


def test_reminders_withdraw_for_an_object(leave_kind, leave_in_a_week):
    with time_machine.travel(at(2026, 12, 3, 6, 0), tick=False):
        services.reminders_plan()
    assert services.reminders_withdraw_for(obj=leave_in_a_week) == 1
    assert Reminder.objects.get().status == Reminder.Status.WITHDRAWN


def test_reminder_schedule_is_idempotent(leave_kind, detainee, consultant):
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        first = services.reminder_schedule(kind=kinds.CODE, obj=detainee, recipient=consultant, text="Nieuw item.")
        second = services.reminder_schedule(kind=kinds.CODE, obj=detainee, recipient=consultant, text="Nieuw item.")
        assert first is not None and second is None
        assert services.reminders_sweep().sent == 1


def test_reminder_schedule_refuses_unknown_kind(detainee, consultant):
    with pytest.raises(ValidationError):
        services.reminder_schedule(kind="nope", obj=detainee, recipient=consultant, text="x")


# --- Query count per batch ------------------------------------------------------------------------------


def _due_reminders(count, consultant, caw):
    detainees = DetaineeFactory.create_batch(count, organisation=caw, lead_consultant=consultant)
    Reminder.objects.bulk_create(
        Reminder(
            kind=kinds.CODE,
            object_type="casework.detainee",
            object_id=d.pk,
            due_on=dt.date(2026, 12, 3),
            due_at=at(2026, 12, 3, 8, 0),
            recipient=consultant,
            text="Item",
        )
        for d in detainees
    )


@pytest.mark.parametrize("count", [5, 60])
def test_a_batch_costs_a_constant_number_of_queries(leave_kind, consultant, caw, count, django_assert_num_queries):
    _due_reminders(count, consultant, caw)
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        # 1 savepoint, 1 claim (FOR UPDATE SKIP LOCKED), 1 still-applies (test kind), 1 recipients,
        # 1 notifications insert, 1 mark sent, 1 e-mail opt-outs of the batch's recipients,
        # 1 outgoing messages insert, 1 release savepoint
        with django_assert_num_queries(9):
            sent, withdrawn = services.reminders_deliver_batch(batch_size=100)
        assert (sent, withdrawn) == (count, 0)
        assert not mail.outbox  # the e-mail goes out afterwards, in its own transaction
        assert services.reminder_mails_send() == 1
    assert len(mail.outbox) == 1  # one content-free mail per recipient per batch


# --- Working days -----------------------------------------------------------------------------------------


def test_add_working_days_skips_weekends():
    friday = dt.date(2026, 11, 20)
    assert add_working_days(friday, 5) == dt.date(2026, 11, 27)
    assert add_working_days(dt.date(2026, 11, 21), 1) == dt.date(2026, 11, 23)


# --- DST (Europe/Brussels) ----------------------------------------------------------------------------------


def _sweep_every_five_minutes(start, hours):
    moment = start
    end = start + dt.timedelta(hours=hours)
    while moment <= end:
        with time_machine.travel(moment, tick=False):
            services.reminders_sweep()
        moment += dt.timedelta(minutes=5)


def test_a_reminder_due_at_0230_on_the_spring_forward_night_is_sent_once(leave_kind, detainee, consultant):
    # 02:30 does not exist on 2027-03-28 in Brussels: clocks jump from 02:00 to 03:00.
    due_at = local_moment(dt.date(2027, 3, 28), dt.time(2, 30))
    Reminder.objects.create(
        kind=kinds.CODE,
        object_type="casework.detainee",
        object_id=detainee.pk,
        due_on=dt.date(2027, 3, 28),
        due_at=due_at,
        recipient=consultant,
        text="Item",
    )
    _sweep_every_five_minutes(dt.datetime(2027, 3, 27, 23, 0, tzinfo=dt.UTC), hours=5)
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.SENT
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    # It went out in the first sweep after 03:00 local (01:00 UTC), not an hour early or late.
    assert reminder.sent_at == dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)


def test_no_reminder_is_doubled_on_the_autumn_night(leave_kind, detainee, consultant):
    # 02:00–03:00 happens twice on 2026-10-25; a reminder at 02:30 and the daily planning must not repeat.
    detainee.leave_eligible_on = dt.date(2026, 10, 26)
    detainee.save(update_fields=["leave_eligible_on"])
    Reminder.objects.create(
        kind=kinds.CODE,
        object_type="casework.detainee",
        object_id=detainee.pk,
        due_on=dt.date(2026, 10, 25),
        due_at=local_moment(dt.date(2026, 10, 25), dt.time(2, 30)),
        recipient=consultant,
        text="Item",
    )
    _sweep_every_five_minutes(dt.datetime(2026, 10, 24, 22, 0, tzinfo=dt.UTC), hours=12)
    # The explicit 02:30 reminder plus the kind's own "-1 day" reminder (due 25/10 08:00) collapse
    # into one row: same kind, object, due day and recipient.
    assert Reminder.objects.count() == 1
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    assert Reminder.objects.get().sent_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


# --- Two sweeps at once (in process, real PostgreSQL row locks) ------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sweeps_deliver_nothing_twice(leave_kind, consultant, caw):
    _due_reminders(40, consultant, caw)
    claimed = threading.Event()
    release = threading.Event()
    results = {}

    def hold(batch):
        # The first sweep holds its claimed batch open while the second one runs.
        claimed.set()
        release.wait(10)

    def first():
        try:
            with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
                results["first"] = services.reminders_deliver_batch(batch_size=15, on_claimed=hold)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert claimed.wait(10)
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):
        second = services.reminders_sweep(batch_size=15, plan=False)
    release.set()
    thread.join(10)
    assert results["first"] == (15, 0)
    assert second.sent == 25
    assert Notification.objects.count() == 40
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 40
