"""Release registration, six months of aftercare, follow-ups, closing and post-closure reviews."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casework.models import Consent
from notifications import services as engine
from notifications.models import Notification, Reminder
from tests.factories import ConsentFactory
from trajectories import services
from trajectories.models import Status, TrajectoryStatusChange
from trajectories.models_release import AftercareSetting, FollowUp, Release
from trajectories.services.release import (
    add_months,
    aftercare_close,
    aftercare_setting_save,
    follow_up_record,
    trajectory_release,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def release(trajectory, user, **overrides):
    fields = {
        "released_on": dt.date(2025, 6, 1),
        "modality": "conditional_release",
        "destination_municipality": "Genk",
        "follow_up_service": "Justitiehuis Hasselt",
    }
    fields.update(overrides)
    return trajectory_release(trajectory=trajectory, user=user, **fields)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2025, 8, 31), 1) == dt.date(2025, 9, 30)
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_release_moves_the_trajectory_to_aftercare_for_six_months(active_trajectory, consultant, detainee):
    registered = release(active_trajectory, consultant)
    active_trajectory.refresh_from_db()
    detainee.refresh_from_db()
    assert active_trajectory.status == Status.AFTERCARE
    assert registered.aftercare_ends_on == dt.date(2025, 12, 1)
    assert detainee.released_on == dt.date(2025, 6, 1)
    assert list(active_trajectory.follow_ups.values_list("months_after", "due_on")) == [
        (1, dt.date(2025, 7, 1)),
        (3, dt.date(2025, 9, 1)),
        (6, dt.date(2025, 12, 1)),
    ]
    change = TrajectoryStatusChange.objects.filter(trajectory=active_trajectory).latest("changed_at")
    assert (change.from_status, change.to_status, change.changed_by) == ("active", "aftercare", consultant)
    # A handover conference is proposed to the consultant (the casusoverleg app plans it).
    proposal = Reminder.objects.get(kind="handover_conference_proposal")
    assert proposal.recipient == consultant and proposal.status == Reminder.Status.PENDING


def test_the_organisations_schedule_is_used(active_trajectory, consultant, manager, caw):
    aftercare_setting_save(organisation=caw, user=manager, follow_up_months=[2, 4])
    release(active_trajectory, consultant)
    assert list(active_trajectory.follow_ups.values_list("months_after", flat=True)) == [2, 4]


def _nothing_changed(trajectory, detainee, status=Status.ACTIVE):
    trajectory.refresh_from_db()
    detainee.refresh_from_db()
    assert trajectory.status == status
    assert not Release.objects.exists() or Release.objects.count() == 1
    assert detainee.released_on is None or status == Status.AFTERCARE


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"released_on": dt.date(2022, 12, 31)}, "released_on"),  # before incarceration (10/01/2023)
        ({"released_on": dt.date(2025, 6, 3)}, "released_on"),  # in the future (today is 02/06/2025)
        ({"follow_up_months": [-1, 3]}, "follow_up_months"),
        ({"follow_up_months": [3, 1]}, "follow_up_months"),
        ({"follow_up_months": [1, 1, 6]}, "follow_up_months"),
        ({"follow_up_months": [1, 7]}, "follow_up_months"),
        ({"follow_up_months": []}, "follow_up_months"),
        ({"modality": "escaped"}, "modality"),
        ({"destination_municipality": "  "}, "destination_municipality"),
    ],
)
def test_bad_release_input_is_refused_and_nothing_changes(active_trajectory, consultant, detainee, overrides, field):
    with pytest.raises(ValidationError) as error:
        release(active_trajectory, consultant, **overrides)
    assert field in error.value.message_dict
    _nothing_changed(active_trajectory, detainee)
    assert not Release.objects.exists() and not FollowUp.objects.exists() and not Reminder.objects.exists()


def test_release_of_a_trajectory_that_is_not_active_is_refused(trajectory, consultant, detainee):
    with pytest.raises(ValidationError) as error:
        release(trajectory, consultant)
    assert "trajectory" in error.value.message_dict
    _nothing_changed(trajectory, detainee, status=Status.REFERRED)
    assert not Release.objects.exists()


def test_a_second_release_is_refused(active_trajectory, consultant):
    release(active_trajectory, consultant)
    with pytest.raises(ValidationError) as error:
        release(active_trajectory, consultant, released_on=dt.date(2025, 6, 2))
    assert "trajectory" in error.value.message_dict
    assert Release.objects.get().released_on == dt.date(2025, 6, 1)
    assert FollowUp.objects.count() == 3


def test_closing_aftercare_without_a_reason_is_refused(active_trajectory, consultant):
    release(active_trajectory, consultant)
    with pytest.raises(ValidationError) as error:
        aftercare_close(trajectory=active_trajectory, user=consultant, closure_reason="")
    assert "closure_reason" in error.value.message_dict
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == Status.AFTERCARE


def test_closing_a_trajectory_not_in_aftercare_is_refused(active_trajectory, consultant):
    with pytest.raises(ValidationError):
        aftercare_close(trajectory=active_trajectory, user=consultant, closure_reason="aftercare_ended")


@pytest.mark.parametrize("months", [[0, 6], [6, 3], [1, 30]])
def test_bad_aftercare_settings_are_refused(caw, manager, months):
    with pytest.raises(ValidationError):
        aftercare_setting_save(organisation=caw, user=manager, follow_up_months=[1, 3], post_closure_months=months)
    assert not AftercareSetting.objects.exists()


def test_follow_up_record_validates(active_trajectory, consultant):
    release(active_trajectory, consultant)
    first = active_trajectory.follow_ups.first()
    with pytest.raises(ValidationError):
        follow_up_record(follow_up=first, user=consultant, status="planned")
    with pytest.raises(ValidationError):
        follow_up_record(follow_up=first, user=consultant, status="done", done_on=dt.date(2030, 1, 1))
    follow_up_record(follow_up=first, user=consultant, status="done", done_on=dt.date(2025, 6, 2), note="Goed gesprek")
    with pytest.raises(ValidationError):
        follow_up_record(follow_up=first, user=consultant, status="missed")


# --- The whole walk, with the reminder engine --------------------------------------------------------------------


def _sweep_daily(frozen, start: dt.date, end: dt.date, on_day=None):
    day = start
    while day <= end:
        frozen.move_to(dt.datetime.combine(day, dt.time(13, 0), tzinfo=BRUSSELS))
        if on_day:
            on_day(day)
        engine.reminders_sweep()
        day += dt.timedelta(days=1)


def test_a_trajectory_walks_from_release_through_every_follow_up_to_closure(
    active_trajectory, consultant, caw, manager, frozen
):
    aftercare_setting_save(organisation=caw, user=manager, follow_up_months=[1, 3, 6], post_closure_reviews=True)
    release(active_trajectory, consultant)

    def record_follow_ups(day):
        # The consultant records each follow-up the day after its reminder.
        for follow_up in FollowUp.objects.planned().filter(kind="aftercare", due_on__lt=day):
            follow_up_record(follow_up=follow_up, user=consultant, status="done", done_on=day)

    _sweep_daily(frozen, dt.date(2025, 6, 2), dt.date(2025, 12, 3), on_day=record_follow_ups)
    sent = sorted(
        (at.astimezone(BRUSSELS).date(), kind)
        for kind, at in Notification.objects.filter(recipient=consultant).values_list("kind", "created_at")
    )
    assert sent == [
        (dt.date(2025, 6, 2), "handover_conference_proposal"),
        (dt.date(2025, 7, 1), "aftercare_follow_up"),
        (dt.date(2025, 9, 1), "aftercare_follow_up"),
        (dt.date(2025, 11, 17), "aftercare_ending"),
        (dt.date(2025, 12, 1), "aftercare_close"),
        (dt.date(2025, 12, 1), "aftercare_follow_up"),
    ]
    assert FollowUp.objects.filter(kind="aftercare", status="done").count() == 3

    frozen.move_to(dt.datetime(2025, 12, 4, 10, 0, tzinfo=BRUSSELS))
    aftercare_close(
        trajectory=active_trajectory,
        user=consultant,
        closure_reason="aftercare_ended",
        reason="Nazorg verlopen zoals gepland",
    )
    active_trajectory.refresh_from_db()
    assert (active_trajectory.status, active_trajectory.closed_on) == (Status.CLOSED, dt.date(2025, 12, 4))
    reviews = list(FollowUp.objects.filter(kind="post_closure").values_list("months_after", "due_on"))
    assert reviews == [(6, dt.date(2026, 6, 4)), (12, dt.date(2026, 12, 4)), (24, dt.date(2027, 12, 4))]

    before = Notification.objects.count()
    _sweep_daily(frozen, dt.date(2025, 12, 5), dt.date(2026, 12, 6))
    after = list(Notification.objects.order_by("id").values_list("kind", flat=True))[before:]
    assert after == ["post_closure_review", "post_closure_review"]
    # Every reminder went out once; the e-mails carried no case content.
    assert Notification.objects.count() == Reminder.objects.filter(status="sent").count() == 8
    assert all("Genk" not in m.body and "Youssef" not in m.body for m in mail.outbox)


def test_closing_early_withdraws_the_pending_aftercare_reminders(active_trajectory, consultant, frozen):
    release(active_trajectory, consultant)
    frozen.move_to(dt.datetime(2025, 7, 1, 6, 0, tzinfo=BRUSSELS))
    engine.reminders_plan()  # the +1 month follow-up reminder is planned for 08:00
    assert Reminder.objects.filter(kind="aftercare_follow_up", status="pending").exists()
    aftercare_close(trajectory=active_trajectory, user=consultant, closure_reason="reoffended")
    frozen.move_to(dt.datetime(2025, 7, 1, 9, 0, tzinfo=BRUSSELS))
    engine.reminders_sweep()
    assert not Notification.objects.filter(kind="aftercare_follow_up").exists()
    assert FollowUp.objects.filter(kind="aftercare", status="cancelled").count() == 3


# --- Handover package ------------------------------------------------------------------------------------------------


@pytest.fixture
def justice_house_consent(detainee, consultant):
    from accounts.models import Organisation

    organisation = (
        Organisation.objects.get(name="Justitiehuis")
        if Organisation.objects.filter(name="Justitiehuis").exists()
        else Organisation.objects.create(name="Justitiehuis", kind="justice_house")
    )
    return ConsentFactory(
        detainee=detainee,
        organisation=organisation,
        explained_by=consultant,
        purposes=["handover"],
        scopes=["identity", "trajectory_goals"],
    )


def test_handover_package_is_filtered_by_consent_and_disclosed(
    active_trajectory, consultant, detainee, justice_house_consent, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from pypdf import PdfReader

    from casework.models import Disclosure
    from tests.factories import SessionFactory
    from tests.trajectories.factories import GoalFactory

    GoalFactory(trajectory=active_trajectory, description="Een opleiding lassen starten")
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Samenvatting die niet gedeeld mag worden",
        confidential_notes="Enkel voor het team: gesprek met de broer",
    )
    release(active_trajectory, consultant)
    with django_capture_on_commit_callbacks(execute=True):
        package = services_release_request(active_trajectory, consultant, justice_house_consent.organisation)
    package.refresh_from_db()
    assert package.status == "ready"
    # A table cell wraps its value inside the page, so the text is read with its lines joined.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(package.file.read())).pages).split())
    assert "Youssef" in text and "Een opleiding lassen starten" in text and "Genk" in text
    assert "Samenvatting die niet gedeeld" not in text and "gesprek met de broer" not in text
    disclosure = Disclosure.objects.get(object_kind="handover_package", object_id=str(package.pk))
    assert disclosure.consent == justice_house_consent and disclosure.purpose == "handover"
    assert disclosure.file_sha256 == package.file_sha256 and len(package.file_sha256) == 64


def services_release_request(trajectory, user, organisation):
    from trajectories.services.release import handover_package_request

    return handover_package_request(trajectory=trajectory, user=user, recipient_organisation=organisation)


def test_handover_without_a_handover_consent_is_refused(active_trajectory, consultant, partner_org):
    # The detainee persona's VDAB consent has no "handover" purpose.
    with pytest.raises(ValidationError) as error:
        services_release_request(active_trajectory, consultant, partner_org)
    assert "recipient_organisation" in error.value.message_dict


def test_a_withdrawn_consent_stops_the_handover(active_trajectory, consultant, justice_house_consent):
    Consent.objects.filter(pk=justice_house_consent.pk).update(withdrawn_on=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError):
        services_release_request(active_trajectory, consultant, justice_house_consent.organisation)


def test_services_module_still_refuses_aftercare_without_release(active_trajectory, consultant):
    with pytest.raises(ValidationError):
        services.trajectory_transition(trajectory=active_trajectory, user=consultant, to="aftercare")
