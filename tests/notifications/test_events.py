"""One line per event (docs/adr/0029): why lines came in identical pairs, the key that keeps them single,
the migration that removed existing pairs, the exact links, the list by day, opening marks read, and the
new lead consultant told of a (re)assigned referral."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification, Reminder, ReminderSetting
from tests.trajectories.factories import ActionFactory, TrajectoryFactory
from trajectories import services as trajectory_services

from . import kinds

BRUSSELS = ZoneInfo("Europe/Brussels")
dedupe = importlib.import_module("notifications.migrations.0007_notification_event_backfill_and_dedupe")


def at(*args):
    return dt.datetime(*args, tzinfo=BRUSSELS)


# --- The cause: one sweep delivered every due reminder of an object, each as its own line -----------------------


@pytest.fixture
def leave_tomorrow(detainee, caw, leave_kind):
    """The organisation reminds 3 days and 1 day before a leave date; the file's leave date is tomorrow, and
    the file was only just given that date: both reminders fall inside the planning window at once."""
    ReminderSetting.objects.create(organisation=caw, kind=kinds.CODE, offsets=[-3, -1])
    detainee.leave_eligible_on = dt.date(2026, 12, 11)
    detainee.save(update_fields=["leave_eligible_on"])
    return detainee


def test_reminders_of_one_object_due_at_once_reach_the_person_as_one_line(leave_tomorrow, consultant):
    with time_machine.travel(at(2026, 12, 10, 9, 0), tick=False):
        result = services.reminders_sweep()
    # Before: two lines "Verlofdatum nadert voor een dossier.", the same words and link, one per offset.
    assert Reminder.objects.filter(kind=kinds.CODE).count() == 2
    line = Notification.objects.get(recipient=consultant)
    assert (line.object_type, line.object_id, line.due_on) == (
        "casework.detainee",
        leave_tomorrow.pk,
        dt.date(2026, 12, 10),
    )
    # The earlier reminder is withdrawn, not left pending for a later sweep.
    assert Reminder.objects.get(kind=kinds.CODE, due_on=dt.date(2026, 12, 8)).status == Reminder.Status.WITHDRAWN
    assert (result.sent, result.withdrawn) == (1, 1)


def test_a_kind_that_supersedes_another_leaves_one_line(detainee, consultant, leave_kind):
    """The invitation to a conference planned inside the week says when it is: no 7-day reminder next to it."""
    from notifications.registry import ReminderKind, register, unregister

    register(
        ReminderKind(code="test_invitation", label="Uitnodiging", plan=lambda ctx: iter(()), supersedes=(kinds.CODE,))
    )
    try:
        for kind in ("test_invitation", kinds.CODE):
            services.reminder_schedule(kind=kind, obj=detainee, recipient=consultant, text="Over dit dossier.")
        services.reminders_sweep(plan=False)
    finally:
        unregister("test_invitation")
    assert list(Notification.objects.values_list("kind", flat=True)) == ["test_invitation"]


def test_the_database_refuses_a_second_line_for_the_same_event(consultant, detainee):
    event = {
        "recipient": consultant,
        "kind": "action_overdue",
        "object_type": "trajectories.action",
        "object_id": 7,
        "due_on": dt.date(2026, 12, 1),
        "text": "Een actie is over de vervaldatum.",
    }
    Notification.objects.create(**event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**event)
    # Another day, another person or another object is another event.
    Notification.objects.create(**{**event, "due_on": dt.date(2026, 12, 2)})
    Notification.objects.create(**{**event, "object_id": 8})
    # Lines without an object (written before the key) are not constrained.
    Notification.objects.create(recipient=consultant, kind="test", text="Los")
    Notification.objects.create(recipient=consultant, kind="test", text="Los")


def test_delivering_a_reminder_whose_event_already_has_a_line_writes_none(detainee, consultant, leave_kind):
    reminder = services.reminder_schedule(kind=kinds.CODE, obj=detainee, recipient=consultant, text="Over dit dossier.")
    # The line exists already (its reminder row was lost and planned again, say).
    Notification.objects.create(
        recipient=consultant,
        kind=kinds.CODE,
        object_type="casework.detainee",
        object_id=detainee.pk,
        due_on=reminder.due_on,
        text="Over dit dossier.",
    )
    services.reminders_sweep(plan=False)
    assert Notification.objects.filter(recipient=consultant).count() == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT  # done, not retried at every sweep


# --- The migration that removed existing duplicates ------------------------------------------------------------


def test_the_migration_fills_in_the_events_and_keeps_one_line_of_each(consultant, colleague, detainee, leave_kind):
    with connection.cursor() as cursor:
        # As before 0008: no key on the lines (rolled back with the test).
        cursor.execute("DROP INDEX notification_one_per_event")
    reminder = services.reminder_schedule(kind=kinds.CODE, obj=detainee, recipient=consultant, text="Dossier.")
    read_at = timezone.now() - dt.timedelta(hours=1)
    same = {"recipient": consultant, "kind": kinds.CODE, "text": "Dossier."}
    first = Notification.objects.create(**same, reminder=reminder, created_at=timezone.now() - dt.timedelta(hours=3))
    Notification.objects.create(
        **same,
        object_type="casework.detainee",
        object_id=detainee.pk,
        due_on=reminder.due_on,
        read_at=read_at,
        created_at=timezone.now() - dt.timedelta(hours=2),
    )
    # Without an object: the same words and link on the same day are the same line; on another day not.
    loose = {
        "recipient": colleague,
        "kind": "action_overdue",
        "text": "Een actie is over de vervaldatum.",
        "link": "/trajecten/acties/",
    }
    kept_loose = Notification.objects.create(**loose, created_at=at(2026, 12, 1, 8, 0))
    Notification.objects.create(**loose, created_at=at(2026, 12, 1, 8, 5))
    other_day = Notification.objects.create(**loose, created_at=at(2026, 12, 2, 8, 0))
    # Someone else's line about the same object is his own.
    theirs = Notification.objects.create(
        recipient=colleague,
        kind=kinds.CODE,
        text="Dossier.",
        reminder=None,
        object_type="casework.detainee",
        object_id=detainee.pk,
        due_on=reminder.due_on,
    )

    dedupe.backfill_and_dedupe(django_apps, None)

    assert set(Notification.objects.values_list("pk", flat=True)) == {first.pk, kept_loose.pk, other_day.pk, theirs.pk}
    first.refresh_from_db()
    assert (first.object_type, first.object_id, first.due_on) == ("casework.detainee", detainee.pk, reminder.due_on)
    assert first.read_at == read_at  # read in one copy: read in the one that stays
    dedupe.clear_events(django_apps, None)
    first.refresh_from_db()
    assert (first.object_type, first.object_id, first.due_on) == ("", None, None)


# --- Context: the exact object ------------------------------------------------------------------------------------


def test_an_overdue_action_says_its_due_date_and_links_to_the_action(detainee, consultant):
    trajectory = TrajectoryFactory(detainee=detainee)
    on_trajectory = ActionFactory(
        detainee=detainee, owner_user=consultant, trajectory=trajectory, due_on=dt.date(2026, 5, 4)
    )
    loose = ActionFactory(detainee=detainee, owner_user=consultant, trajectory=None, due_on=dt.date(2026, 5, 3))
    with time_machine.travel(at(2026, 5, 5, 9, 0), tick=False):
        services.reminders_sweep()
    lines = {n.object_id: n for n in Notification.objects.filter(kind="action_overdue")}
    assert lines[on_trajectory.pk].link == f"/trajecten/{trajectory.pk}/#actie-{on_trajectory.pk}"
    assert lines[loose.pk].link == f"/trajecten/acties/#actie-{loose.pk}"
    assert lines[on_trajectory.pk].display_text == "Een actie met vervaldatum 04/05/2026 is over de vervaldatum."
    assert lines[loose.pk].display_text == "Een actie met vervaldatum 03/05/2026 is over de vervaldatum."


def test_the_trajectory_page_has_the_anchor_an_action_link_points_at(client, consultant, detainee):
    trajectory = TrajectoryFactory(detainee=detainee)
    action = ActionFactory(detainee=detainee, owner_user=consultant, trajectory=trajectory)
    client.force_login(consultant)
    assert (
        f'id="actie-{action.pk}"' in client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    )
    assert f'id="actie-{action.pk}"' in client.get(reverse("trajectories:actions")).content.decode()


# --- The list by day, and opening ---------------------------------------------------------------------------------


@time_machine.travel(at(2026, 12, 3, 10, 0), tick=False)
def test_the_list_is_grouped_by_day_newest_first(client, consultant):
    for moment, text in [
        (at(2026, 12, 3, 9, 0), "Vandaag twee"),
        (at(2026, 12, 3, 0, 30), "Vandaag een"),
        (at(2026, 12, 2, 23, 50), "Gisteren laat"),
        (at(2026, 11, 28, 8, 0), "Vorige week"),
    ]:
        Notification.objects.create(recipient=consultant, kind="test", text=text, created_at=moment)
    client.force_login(consultant)
    body = client.get(reverse("notifications:list")).content.decode()
    headings = [
        body.index(h) for h in ('id="day-2026-12-03">Vandaag<', 'id="day-2026-12-02">Gisteren<', 'id="day-2026-11-28">')
    ]
    assert headings == sorted(headings)
    # 00:30 in Brussels is still "today" (23:30 UTC the day before); 23:50 yesterday is yesterday.
    assert headings[0] < body.index("Vandaag een") < headings[1] < body.index("Gisteren laat") < headings[2]
    assert "zaterdag 28 november 2026" in body


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client, consultant, colleague):
    line = Notification.objects.create(
        recipient=consultant, kind="test", text="Open mij", link="/trajecten/acties/#actie-3"
    )
    client.force_login(consultant)
    # Only a POST opens (a prefetch must not mark read).
    assert client.get(reverse("notifications:open", args=[line.pk])).status_code == 405
    response = client.post(reverse("notifications:open", args=[line.pk]))
    assert response.status_code == 302 and response["Location"] == "/trajecten/acties/#actie-3"
    line.refresh_from_db()
    assert line.read_at is not None
    # The list offers it as a button that posts to open.
    body = client.get(reverse("notifications:list")).content.decode()
    assert f'action="{reverse("notifications:open", args=[line.pk])}"' in body
    # Someone else's cannot be opened, and stays unread.
    theirs = Notification.objects.create(recipient=colleague, kind="test", text="Niet van jou", link="/")
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_never_follows_a_link_off_the_site(client, consultant):
    line = Notification.objects.create(recipient=consultant, kind="test", text="Weg", link="https://evil.example/")
    client.force_login(consultant)
    response = client.post(reverse("notifications:open", args=[line.pk]))
    assert response["Location"] == reverse("notifications:list")


# --- A (re)assigned referral --------------------------------------------------------------------------------------


@pytest.fixture
def referral(detainee, consultant, manager):
    return TrajectoryFactory(detainee=detainee, lead_consultant=consultant, referred_on=dt.date(2026, 11, 20))


def test_a_reassigned_referral_tells_the_new_lead_consultant(referral, manager, consultant, colleague):
    trajectory_services.trajectory_assign(trajectory=referral, user=manager, lead=colleague)
    services.reminders_sweep(plan=False)
    line = Notification.objects.get(kind="referral_assigned")
    assert line.recipient == colleague
    assert line.display_text == "Een aanmelding van 20/11/2026 is aan jou toegewezen."
    assert line.link == reverse("trajectories:detail", args=[referral.pk])
    assert not Notification.objects.filter(recipient=consultant).exists()


def test_assigning_the_same_lead_again_or_oneself_tells_nobody(referral, manager, consultant):
    trajectory_services.trajectory_assign(trajectory=referral, user=manager, lead=consultant)  # unchanged
    trajectory_services.trajectory_assign(trajectory=referral, user=consultant, lead=consultant)
    services.reminders_sweep(plan=False)
    assert not Notification.objects.filter(kind="referral_assigned").exists()


def test_a_referral_moved_on_before_the_sweep_reaches_only_its_last_lead(referral, manager, colleague, consultant):
    trajectory_services.trajectory_assign(trajectory=referral, user=manager, lead=colleague)
    trajectory_services.trajectory_assign(trajectory=referral, user=manager, lead=consultant)
    services.reminders_sweep(plan=False)
    assert list(Notification.objects.filter(kind="referral_assigned").values_list("recipient", flat=True)) == [
        consultant.pk
    ]
