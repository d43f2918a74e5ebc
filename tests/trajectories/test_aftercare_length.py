"""Aftercare of six to twelve months (stabilisation coaching), changed while it runs, and a release registered
late: the follow-ups already due are reminded at once, exactly once (ADR 0038)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications import services as engine
from notifications.models import Notification, Reminder, ReminderSetting
from trajectories.models import Status
from trajectories.models_release import FollowUp, Release, default_follow_up_months
from trajectories.services.release import aftercare_setting_save, release_aftercare_change, trajectory_release

BRUSSELS = ZoneInfo("Europe/Brussels")
# tests/trajectories/conftest.py freezes the clock on 02/06/2025.


def release(trajectory, user, **overrides):
    fields = {"released_on": dt.date(2025, 6, 1), "modality": "conditional_release", "destination_municipality": "Genk"}
    fields.update(overrides)
    return trajectory_release(trajectory=trajectory, user=user, **fields)


def months(trajectory, status=None):
    rows = trajectory.follow_ups.filter(kind="aftercare").order_by("months_after")
    if status:
        rows = rows.filter(status=status)
    return list(rows.values_list("months_after", flat=True))


@pytest.mark.parametrize(
    ("length", "schedule"),
    [
        (6, (1, 3, 6)),
        (7, (1, 3, 6, 7)),
        (9, (1, 3, 6, 9)),
        (11, (1, 3, 6, 9, 11)),
        (12, (1, 3, 6, 9, 12)),
    ],
)
def test_the_default_schedule_reaches_the_end_of_the_aftercare(length, schedule):
    assert default_follow_up_months(length) == schedule


def test_a_release_with_twelve_months_of_aftercare(active_trajectory, consultant):
    registered = release(active_trajectory, consultant, aftercare_months=12)
    assert (registered.aftercare_months, registered.aftercare_ends_on) == (12, dt.date(2026, 6, 1))
    assert months(active_trajectory) == [1, 3, 6, 9, 12]


def test_the_organisations_length_is_the_default(active_trajectory, consultant, manager, caw):
    aftercare_setting_save(organisation=caw, user=manager, aftercare_months=9, follow_up_months=[1, 3, 6, 9])
    registered = release(active_trajectory, consultant)
    assert (registered.aftercare_months, registered.aftercare_ends_on) == (9, dt.date(2026, 3, 1))
    assert months(active_trajectory) == [1, 3, 6, 9]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"aftercare_months": 5}, "aftercare_months"),
        ({"aftercare_months": 13}, "aftercare_months"),
        ({"aftercare_months": "zes"}, "aftercare_months"),
        ({"aftercare_months": 6, "follow_up_months": [1, 3, 9]}, "follow_up_months"),  # a follow-up after the end
    ],
)
def test_a_length_out_of_range_is_refused_and_nothing_is_written(active_trajectory, consultant, overrides, field):
    with pytest.raises(ValidationError) as error:
        release(active_trajectory, consultant, **overrides)
    assert field in error.value.message_dict
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == Status.ACTIVE
    assert not Release.objects.exists() and not FollowUp.objects.exists() and not Reminder.objects.exists()


def test_the_database_refuses_a_length_outside_six_to_twelve(active_trajectory, consultant):
    from django.db import IntegrityError, transaction

    registered = release(active_trajectory, consultant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=registered.pk).update(aftercare_months=24)


def test_lengthening_adds_the_follow_ups_it_now_reaches(active_trajectory, consultant):
    registered = release(active_trajectory, consultant)
    changed = release_aftercare_change(
        release=registered, user=consultant, aftercare_months=12, reason="Stabilisatiecoaching"
    )
    assert (changed.aftercare_months, changed.aftercare_ends_on) == (12, dt.date(2026, 6, 1))
    assert months(active_trajectory) == [1, 3, 6, 9, 12]
    # In the change history, with who and why.
    event = Release.pgh_event_model.objects.filter(pgh_obj=registered).latest("pgh_id")
    assert event.aftercare_months == 12 and event.pgh_context.metadata["reason"] == "release_aftercare_change"


def test_shortening_cancels_the_follow_ups_after_the_new_end(active_trajectory, consultant):
    registered = release(active_trajectory, consultant, aftercare_months=12)
    release_aftercare_change(release=registered, user=consultant, aftercare_months=8)
    assert months(active_trajectory, "planned") == [1, 3, 6]
    assert months(active_trajectory, "cancelled") == [9, 12]
    # Shortening keeps what was planned up to the new end; it adds nothing.
    assert 8 not in months(active_trajectory)
    cancelled = active_trajectory.follow_ups.get(months_after=9)
    assert cancelled.recorded_by == consultant and "12" in cancelled.note and "8" in cancelled.note


def test_the_end_reminders_follow_the_new_end(active_trajectory, consultant, frozen):
    registered = release(active_trajectory, consultant)
    # 14 days before the six-month end the 'aftercare ending' reminder is planned …
    frozen.move_to(dt.datetime(2025, 11, 17, 6, 0, tzinfo=BRUSSELS))
    engine.reminders_plan()
    assert Reminder.objects.filter(kind="aftercare_ending", status="pending").count() == 1
    # … then the aftercare is lengthened: it is withdrawn, and planned again 14 days before the new end.
    release_aftercare_change(release=registered, user=consultant, aftercare_months=12)
    frozen.move_to(dt.datetime(2025, 11, 17, 9, 0, tzinfo=BRUSSELS))
    engine.reminders_sweep()
    assert not Notification.objects.filter(kind="aftercare_ending").exists()
    frozen.move_to(dt.datetime(2026, 5, 18, 9, 0, tzinfo=BRUSSELS))
    engine.reminders_sweep()
    assert Notification.objects.filter(kind="aftercare_ending").count() == 1


@pytest.mark.parametrize(("length", "field"), [(5, "aftercare_months"), (13, "aftercare_months")])
def test_a_change_out_of_range_is_refused(active_trajectory, consultant, length, field):
    registered = release(active_trajectory, consultant)
    with pytest.raises(ValidationError) as error:
        release_aftercare_change(release=registered, user=consultant, aftercare_months=length)
    assert field in error.value.message_dict
    registered.refresh_from_db()
    assert registered.aftercare_months == 6 and months(active_trajectory) == [1, 3, 6]


def test_shortening_to_an_end_already_past_is_refused(active_trajectory, consultant, frozen):
    registered = release(active_trajectory, consultant, aftercare_months=12)
    frozen.move_to(dt.datetime(2026, 1, 10, 10, 0, tzinfo=BRUSSELS))
    with pytest.raises(ValidationError) as error:
        release_aftercare_change(release=registered, user=consultant, aftercare_months=6)
    assert "sluit het traject af" in error.value.message_dict["aftercare_months"][0]


def test_the_length_of_a_closed_trajectory_cannot_change(active_trajectory, consultant):
    from trajectories.services.release import aftercare_close

    registered = release(active_trajectory, consultant)
    aftercare_close(trajectory=active_trajectory, user=consultant, closure_reason="reoffended")
    with pytest.raises(ValidationError) as error:
        release_aftercare_change(release=registered, user=consultant, aftercare_months=12)
    assert "trajectory" in error.value.message_dict


# --- A release registered late ---------------------------------------------------------------------------------


def test_a_release_registered_late_reminds_of_the_follow_ups_already_due_exactly_once(
    active_trajectory, consultant, frozen
):
    # Registered on 02/06/2025 for a release on 20/03/2025: +1 (20/04) is past the planner's three days of
    # look-back, +3 (20/06) is still ahead.
    release(active_trajectory, consultant, released_on=dt.date(2025, 3, 20))
    late = Reminder.objects.get(kind="aftercare_follow_up")
    assert late.due_on == dt.date(2025, 4, 20) and late.status == Reminder.Status.PENDING
    assert "20/04/2025" in late.text and late.text_code
    for _sweep in range(3):
        engine.reminders_sweep()
    assert Notification.objects.filter(kind="aftercare_follow_up", recipient=consultant).count() == 1
    # The +3 follow-up comes in its time, from the planner, once.
    frozen.move_to(dt.datetime(2025, 6, 20, 9, 0, tzinfo=BRUSSELS))
    engine.reminders_sweep()
    engine.reminders_sweep()
    assert Notification.objects.filter(kind="aftercare_follow_up", recipient=consultant).count() == 2


def test_a_release_two_days_late_is_reminded_once_not_twice(active_trajectory, consultant):
    # 31/03 + 2 months = 31/05: due two days ago, inside the planner's look-back too: one reminder, one key.
    release(active_trajectory, consultant, released_on=dt.date(2025, 4, 30), aftercare_months=6)
    engine.reminders_sweep()
    engine.reminders_sweep()
    assert Reminder.objects.filter(kind="aftercare_follow_up").count() == 1
    assert Notification.objects.filter(kind="aftercare_follow_up").count() == 1


def test_late_reminders_respect_an_organisation_that_switched_them_off(active_trajectory, consultant, caw):
    ReminderSetting.objects.create(organisation=caw, kind="aftercare_follow_up", offsets=[0], enabled=False)
    release(active_trajectory, consultant, released_on=dt.date(2025, 3, 20))
    assert not Reminder.objects.filter(kind="aftercare_follow_up").exists()


def test_the_reminder_in_the_consultants_language(active_trajectory, consultant):
    consultant.language = "fr-be"
    consultant.save(update_fields=["language"])
    release(active_trajectory, consultant, released_on=dt.date(2025, 3, 20))
    text = Reminder.objects.get(kind="aftercare_follow_up").text
    assert "20/04/2025" in text and "Nazorg" not in text


# --- Page and API ------------------------------------------------------------------------------------------------


def test_the_aftercare_page_changes_the_length(client, active_trajectory, consultant):
    release(active_trajectory, consultant)
    client.force_login(consultant)
    page = client.get(reverse("trajectories:aftercare", args=[active_trajectory.pk]))
    assert reverse("trajectories:aftercare_length", args=[active_trajectory.pk]) in page.text
    answer = client.post(
        reverse("trajectories:aftercare_length", args=[active_trajectory.pk]),
        {"aftercare_months": "12", "reason": "Stabilisatie"},
        follow=True,
    )
    assert answer.status_code == 200
    assert Release.objects.get().aftercare_months == 12
    bad = client.post(
        reverse("trajectories:aftercare_length", args=[active_trajectory.pk]), {"aftercare_months": "24"}, follow=True
    )
    assert bad.status_code == 200 and Release.objects.get().aftercare_months == 12
    assert any(m.level_tag == "error" for m in bad.context["messages"])


NOT_CASE_STAFF = [
    "outsider",
    "director",
    "other_director",
    "partner_with_consent",
    "partner_without_consent",
    "admin",
    "dpo",
]


@pytest.mark.parametrize("role", NOT_CASE_STAFF)
def test_only_the_case_staff_change_it(client, personas, active_trajectory, consultant, role):
    release(active_trajectory, consultant)
    client.force_login(personas[role])
    page = client.post(
        reverse("trajectories:aftercare_length", args=[active_trajectory.pk]), {"aftercare_months": "12"}
    )
    api = client.patch(
        f"/api/v1/trajectories/{active_trajectory.pk}/release/",
        {"aftercare_months": 12},
        content_type="application/json",
    )
    assert (page.status_code, api.status_code) == (404, 404)
    assert Release.objects.get().aftercare_months == 6


def test_the_release_api_registers_and_changes_the_length(client, active_trajectory, consultant):
    client.force_login(consultant)
    url = f"/api/v1/trajectories/{active_trajectory.pk}/release/"
    created = client.post(
        url,
        {
            "released_on": "2025-06-01",
            "modality": "end_of_sentence",
            "destination_municipality": "Gent",
            "aftercare_months": 9,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["aftercare_months"] == 9
    assert [f["months_after"] for f in created.json()["follow_ups"]] == [1, 3, 6, 9]
    changed = client.patch(url, {"aftercare_months": 12}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["aftercare_ends_on"] == "2026-06-01"
    assert [f["months_after"] for f in changed.json()["follow_ups"]] == [1, 3, 6, 9, 12]
    bad = client.patch(url, {"aftercare_months": 3}, content_type="application/json")
    assert bad.status_code == 400 and "aftercare_months" in bad.json()
