"""The trajectory reminder kinds: overdue actions, session gaps, waiting referrals (docs/design.md §5)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from notifications import services as engine
from notifications.models import Notification, Reminder
from tests.factories import SessionFactory, UserFactory
from tests.trajectories.factories import ActionFactory
from trajectories import services

BRUSSELS = ZoneInfo("Europe/Brussels")


def sweep_days(frozen, start, end):
    day = start
    while day <= end:
        frozen.move_to(dt.datetime.combine(day, dt.time(12, 0), tzinfo=BRUSSELS))
        engine.reminders_sweep()
        day += dt.timedelta(days=1)


def received(user):
    return sorted(
        (n.created_at.astimezone(BRUSSELS).date(), n.kind) for n in Notification.objects.filter(recipient=user)
    )


def test_an_overdue_action_goes_to_its_owner_then_to_the_manager(frozen, detainee, consultant, manager, colleague):
    ActionFactory(detainee=detainee, owner_user=colleague, due_on=dt.date(2025, 6, 3))
    sweep_days(frozen, dt.date(2025, 6, 2), dt.date(2025, 6, 20))
    assert received(colleague) == [(dt.date(2025, 6, 4), "action_overdue")]
    assert received(manager) == [(dt.date(2025, 6, 10), "action_overdue_manager")]
    assert received(consultant) == []


def test_a_done_action_is_not_reminded(frozen, detainee, consultant, manager):
    action = ActionFactory(detainee=detainee, owner_user=consultant, due_on=dt.date(2025, 6, 3))
    sweep_days(frozen, dt.date(2025, 6, 2), dt.date(2025, 6, 4))
    services.action_set_status(action=action, user=consultant, status="done")
    sweep_days(frozen, dt.date(2025, 6, 5), dt.date(2025, 6, 20))
    assert received(consultant) == [(dt.date(2025, 6, 4), "action_overdue")]
    assert received(manager) == []


def test_an_action_done_after_planning_is_withdrawn(frozen, detainee, consultant):
    action = ActionFactory(detainee=detainee, owner_user=consultant, due_on=dt.date(2025, 6, 3))
    frozen.move_to(dt.datetime(2025, 6, 4, 6, 0, tzinfo=BRUSSELS))
    engine.reminders_plan()
    services.action_set_status(action=action, user=consultant, status="done")
    frozen.move_to(dt.datetime(2025, 6, 4, 9, 0, tzinfo=BRUSSELS))
    assert engine.reminders_sweep().withdrawn == 1
    assert Reminder.objects.get().status == Reminder.Status.WITHDRAWN


def test_an_action_owned_by_an_organisation_reminds_the_lead_consultant(frozen, detainee, consultant):
    from accounts.models import Organisation

    ActionFactory(
        detainee=detainee,
        owner_user=None,
        owner_organisation=Organisation.objects.get(name="VDAB"),
        due_on=dt.date(2025, 6, 3),
    )
    sweep_days(frozen, dt.date(2025, 6, 3), dt.date(2025, 6, 5))
    assert received(consultant) == [(dt.date(2025, 6, 4), "action_overdue")]


def test_no_session_for_21_days_reminds_the_consultant_and_for_35_the_manager(
    active_trajectory, frozen, detainee, consultant, manager
):
    # Active since 2025-06-02 (frozen "today"); the last session was on 2025-06-05.
    frozen.move_to(dt.datetime(2025, 6, 5, 10, 0, tzinfo=BRUSSELS))
    SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2025, 6, 5, 9, 0, tzinfo=BRUSSELS))
    sweep_days(frozen, dt.date(2025, 6, 5), dt.date(2025, 7, 15))
    assert received(consultant) == [(dt.date(2025, 6, 26), "session_gap")]
    assert received(manager) == [(dt.date(2025, 7, 10), "session_gap_manager")]


def test_a_new_session_restarts_the_gap(active_trajectory, frozen, detainee, consultant, manager):
    sweep_days(frozen, dt.date(2025, 6, 2), dt.date(2025, 6, 20))
    frozen.move_to(dt.datetime(2025, 6, 20, 15, 0, tzinfo=BRUSSELS))
    SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2025, 6, 20, 14, 0, tzinfo=BRUSSELS))
    sweep_days(frozen, dt.date(2025, 6, 21), dt.date(2025, 7, 20))
    assert received(consultant) == [(dt.date(2025, 7, 11), "session_gap")]


def test_a_referral_waiting_more_than_14_days_reminds_the_managers(frozen, detainee, consultant, manager):
    other_manager = UserFactory(username="manager2", manager=True, organisation=manager.organisation)
    services.trajectory_refer(detainee=detainee, user=consultant, referred_on=dt.date(2025, 6, 2), referred_by="psd")
    sweep_days(frozen, dt.date(2025, 6, 2), dt.date(2025, 6, 25))
    assert received(manager) == [(dt.date(2025, 6, 16), "referral_waiting")]
    assert received(other_manager) == [(dt.date(2025, 6, 16), "referral_waiting")]


def test_a_referral_taken_into_intake_is_not_reminded(trajectory, frozen, consultant, manager):
    # Referred on 2025-01-06, long before the window: only items due from now on are planned.
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    sweep_days(frozen, dt.date(2025, 6, 2), dt.date(2025, 6, 30))
    assert received(manager) == []


@pytest.mark.parametrize("offset", [10, 30])
def test_the_organisation_can_change_the_session_gap(active_trajectory, frozen, caw, manager, consultant, offset):
    engine.reminder_setting_save(organisation=caw, kind="session_gap", offsets=[offset], user=manager)
    sweep_days(frozen, dt.date(2025, 6, 2), dt.date(2025, 7, 5))
    assert received(consultant) == [(dt.date(2025, 6, 2) + dt.timedelta(days=offset), "session_gap")]


def test_a_file_past_its_retention_period_is_listed_for_the_dpo(
    trajectory, frozen, consultant, dpo, settings, detainee
):
    settings.DISENGAGE_RETENTION_YEARS = 1
    services.trajectory_transition(
        trajectory=trajectory, user=consultant, to="closed", closure_reason="declined", on=dt.date(2025, 6, 2)
    )
    sweep_days(frozen, dt.date(2026, 5, 30), dt.date(2026, 6, 4))
    assert received(dpo) == [(dt.date(2026, 6, 2), "retention_due")]
    assert received(consultant) == []


def test_a_file_on_legal_hold_is_not_listed(trajectory, frozen, consultant, dpo, settings, detainee):
    settings.DISENGAGE_RETENTION_YEARS = 1
    detainee.legal_hold = True
    detainee.save(update_fields=["legal_hold"])
    services.trajectory_transition(
        trajectory=trajectory, user=consultant, to="closed", closure_reason="declined", on=dt.date(2025, 6, 2)
    )
    sweep_days(frozen, dt.date(2026, 5, 30), dt.date(2026, 6, 4))
    assert received(dpo) == []
