"""The case-conference reminder kinds: invitation, 7 and 1 day before, minutes due, pre-leave not planned."""

import datetime as dt
from zoneinfo import ZoneInfo

from casusoverleg import services
from casusoverleg.models import Conference
from notifications import services as engine
from notifications.models import Notification

from .factories import schedule

BRUSSELS = ZoneInfo("Europe/Brussels")


def sweep_days(now, start, end):
    day = start
    while day <= end:
        now.move_to(dt.datetime.combine(day, dt.time(12, 0), tzinfo=BRUSSELS))
        engine.reminders_sweep()
        day += dt.timedelta(days=1)


def received(user):
    return sorted(
        (n.created_at.astimezone(BRUSSELS).date(), n.kind) for n in Notification.objects.filter(recipient=user)
    )


def test_invitation_then_7_and_1_day_before(now, director, detainee, consultant):
    schedule(director, detainee, starts_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS))
    sweep_days(now, dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    expected = [
        (dt.date(2026, 3, 2), "conference_invitation"),
        (dt.date(2026, 3, 13), "conference_upcoming"),
        (dt.date(2026, 3, 19), "conference_upcoming"),
    ]
    assert received(consultant) == expected
    assert received(director) == expected
    texts = set(Notification.objects.filter(recipient=consultant).values_list("text", flat=True))
    assert "Herinnering: casusoverleg morgen om 10:00." in texts
    # No case content: the detainee is not named.
    assert not any("Youssef" in text or "Amrani" in text for text in texts)


def test_a_cancelled_conference_reminds_nobody(now, director, detainee, consultant):
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS))
    sweep_days(now, dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    services.conference_cancel(conference=conference, user=director, reason="Gedetineerde overgeplaatst")
    sweep_days(now, dt.date(2026, 3, 4), dt.date(2026, 3, 25))
    assert received(consultant) == [(dt.date(2026, 3, 2), "conference_invitation")]


def test_a_moved_conference_withdraws_the_planned_reminder(now, director, detainee, consultant):
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS))
    now.move_to(dt.datetime(2026, 3, 19, 6, 0, tzinfo=BRUSSELS))
    engine.reminders_plan()  # "tomorrow" planned for 08:00
    services.conference_move(
        conference=conference,
        user=director,
        starts_at=dt.datetime(2026, 3, 27, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 27, 11, 30, tzinfo=BRUSSELS),
    )
    sweep_days(now, dt.date(2026, 3, 19), dt.date(2026, 3, 27))
    assert (dt.date(2026, 3, 19), "conference_upcoming") not in received(consultant)
    assert (dt.date(2026, 3, 26), "conference_upcoming") in received(consultant)


def test_minutes_due_five_working_days_after_the_meeting(now, director, detainee, consultant):
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=BRUSSELS))  # Thursday
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.HELD)
    sweep_days(now, dt.date(2026, 3, 6), dt.date(2026, 3, 20))
    assert (dt.date(2026, 3, 12), "minutes_draft_due") in received(director)
    assert not any(kind == "minutes_draft_due" for _day, kind in received(consultant))


def test_approved_minutes_are_not_reminded(now, director, detainee):
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=BRUSSELS))
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.MINUTES_APPROVED)
    sweep_days(now, dt.date(2026, 3, 6), dt.date(2026, 3, 20))
    assert not any(kind == "minutes_draft_due" for _day, kind in received(director))


def test_pre_leave_conference_not_planned_four_months_before(now, director, detainee, consultant):
    detainee.leave_eligible_on = dt.date(2026, 7, 10)
    detainee.save(update_fields=["leave_eligible_on"])
    sweep_days(now, dt.date(2026, 3, 8), dt.date(2026, 3, 12))
    assert received(consultant) == [(dt.date(2026, 3, 10), "pre_leave_not_planned")]
    assert received(director) == [(dt.date(2026, 3, 10), "pre_leave_not_planned")]


def test_a_planned_pre_leave_conference_silences_the_reminder(now, director, detainee, consultant):
    detainee.leave_eligible_on = dt.date(2026, 7, 10)
    detainee.save(update_fields=["leave_eligible_on"])
    schedule(director, detainee, starts_at=dt.datetime(2026, 5, 4, 10, 0, tzinfo=BRUSSELS), kind="pre_leave")
    sweep_days(now, dt.date(2026, 3, 8), dt.date(2026, 3, 12))
    assert not any(kind == "pre_leave_not_planned" for _day, kind in received(consultant))
