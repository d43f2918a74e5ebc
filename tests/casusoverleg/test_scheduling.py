"""Scheduling rules (cadence, pre_leave, recomputed proposals, flags), double booking, bad input,
and the invitations with their iCalendar attachment (parsed with `icalendar`)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from casework.models import Prison
from casework.services import detainee_update
from casusoverleg import ics, selectors, services
from casusoverleg.models import CadenceRule, Conference, Participant
from tests.factories import DetaineeFactory

from .conftest import BRUSSELS
from .factories import schedule

pytestmark = pytest.mark.django_db


def _kinds(proposals):
    return {p.kind: p for p in proposals}


# --- Rules --------------------------------------------------------------------------------------------------


def test_first_periodic_proposal_is_three_months_after_incarceration_or_today_when_overdue(now, detainee):
    proposals, _ = selectors.conference_proposals_recompute(detainee=detainee)
    periodic = _kinds(proposals)["periodic"]
    # incarcerated 2023-01-10: the first conference was due 2023-04-10, so it is proposed for today, overdue.
    assert periodic.proposed_for == dt.date(2026, 3, 2) and periodic.overdue


def test_an_overdue_proposal_seen_at_the_weekend_is_for_the_next_monday(now, detainee):
    now.move_to(dt.datetime(2026, 3, 7, 9, 0, tzinfo=BRUSSELS))  # a Saturday
    periodic = _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])["periodic"]
    assert periodic.proposed_for == dt.date(2026, 3, 9) and periodic.overdue


def test_periodic_follows_the_last_conference_with_the_prison_cadence_and_the_detainee_override(
    now, director, detainee
):
    past = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 3, 10, 0, tzinfo=BRUSSELS))
    now.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS))
    assert _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])["periodic"].proposed_for == dt.date(
        2026, 6, 3
    )
    CadenceRule.objects.create(prison=detainee.current_prison, months=2)
    assert _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])["periodic"].proposed_for == dt.date(
        2026, 5, 3
    )
    CadenceRule.objects.create(detainee=detainee, months=6)
    assert _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])["periodic"].proposed_for == dt.date(
        2026, 9, 3
    )
    assert past.pk


def test_a_detainee_without_a_prison_has_the_default_cadence_not_another_detainees_override(detainee):
    """The rules without a prison are the detainees' own cadences: none of them is a prison rule for a file whose
    placement is not known (the planning already read it so)."""
    other = DetaineeFactory(organisation=detainee.organisation)
    CadenceRule.objects.create(detainee=other, months=6)
    detainee.current_prison = None
    detainee.save(update_fields=["current_prison"])
    detainee = type(detainee).objects.get(pk=detainee.pk)
    assert selectors.cadence_months(detainee) == 3
    assert selectors.cadence_months(detainee, {}) == 3


def test_no_periodic_proposal_while_one_is_planned(now, conference, detainee):
    assert "periodic" not in _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])


def test_pre_leave_is_proposed_three_months_before_leave_eligibility(now, detainee):
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 8, 31))
    pre_leave = _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])["pre_leave"]
    # 31 August − 3 months = 31 May (relativedelta clamps month ends correctly)
    assert pre_leave.proposed_for == dt.date(2026, 5, 31) and not pre_leave.overdue


def test_changed_leave_date_recomputes_the_proposal_and_flags_the_confirmed_conference(now, director, detainee):
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 9, 1))
    conf = schedule(director, detainee, kind="pre_leave", starts_at=dt.datetime(2026, 6, 1, 14, 0, tzinfo=BRUSSELS))
    assert conf.proposed_for == dt.date(2026, 6, 1)
    assert selectors.conference_proposals_recompute(detainee=detainee)[1] == []
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 11, 15))
    _, flags = selectors.conference_proposals_recompute(detainee=detainee)
    assert [f.conference_id for f in flags] == [conf.pk]
    assert flags[0].now_proposed_for == dt.date(2026, 8, 15)
    conf.refresh_from_db()
    assert conf.starts_at == dt.datetime(2026, 6, 1, 14, 0, tzinfo=BRUSSELS)  # flagged, never moved
    services.conference_confirm_rule_date(conference=conf, user=director)
    assert selectors.conference_proposals_recompute(detainee=detainee)[1] == []


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(2026, 3, 29, 10, 0),  # the Sunday clocks go forward (CET → CEST)
        dt.datetime(2026, 10, 25, 10, 0),  # the Sunday clocks go back (CEST → CET)
        dt.datetime(2026, 3, 27, 10, 0),  # Friday before the spring change
    ],
)
def test_dst_weeks_keep_the_local_wall_time(director, detainee, start):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False):
        conf = schedule(director, detainee, starts_at=start.replace(tzinfo=ZoneInfo("Europe/Brussels")))
        conf.refresh_from_db()
        local = conf.starts_at.astimezone(BRUSSELS)
        assert (local.hour, local.minute) == (10, 0)
        ical = Calendar.from_ical(ics.invitation(conf, conf.participants.first()))
        event = ical.walk("VEVENT")[0]
        assert event.decoded("dtstart").hour == 10 and str(event["dtstart"].params["TZID"]) == "Europe/Brussels"


def test_periodic_proposal_across_the_spring_change_stays_a_calendar_date(director, detainee):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=BRUSSELS), tick=False) as traveller:
        schedule(director, detainee, starts_at=dt.datetime(2026, 1, 5, 23, 30, tzinfo=BRUSSELS), minutes=20)
        traveller.move_to(dt.datetime(2026, 1, 6, 9, 0, tzinfo=BRUSSELS))
        # 23:30 local is 22:30 UTC: the rule counts from the Brussels date, not the UTC one.
        assert _kinds(selectors.conference_proposals_recompute(detainee=detainee)[0])[
            "periodic"
        ].proposed_for == dt.date(2026, 4, 5)


# --- Bad input ------------------------------------------------------------------------------------------------


def test_conference_ending_before_it_starts_is_refused(now, director, detainee):
    with pytest.raises(ValidationError) as caught:
        schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS), minutes=-30)
    assert "ends_at" in caught.value.message_dict
    assert not Conference.objects.exists()


def test_prison_the_director_does_not_run_is_refused(now, other_director, detainee):
    with pytest.raises(ValidationError) as caught:
        schedule(other_director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    assert "prison" in caught.value.message_dict
    assert not Conference.objects.exists()


def test_detainee_not_in_that_prison_is_refused(now, director, caw):
    elsewhere = DetaineeFactory(organisation=caw, current_prison=Prison.objects.get(code="gent"))
    with pytest.raises(ValidationError) as caught:
        services.conference_schedule(
            user=director,
            detainee=elsewhere,
            prison=Prison.objects.get(code="hasselt"),
            starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
            ends_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=BRUSSELS),
        )
    assert "detainee" in caught.value.message_dict
    assert not Conference.objects.exists()


def test_ical_uid_collision_is_refused(now, director, detainee, conference):
    with pytest.raises(ValidationError) as caught:
        schedule(
            director, detainee, starts_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS), ical_uid=conference.ical_uid
        )
    assert "ical_uid" in caught.value.message_dict
    assert Conference.objects.count() == 1


def test_external_participant_without_email_cannot_be_invited(now, director, conference):
    with pytest.raises(ValidationError) as caught:
        services.participant_add(conference=conference, user=director, role="partner", name="Externe Zonder Mail")
    assert "e-mailadres" in caught.value.message_dict["email"][0]
    assert conference.participants.count() == 2
    # The detainee himself takes part without an e-mail and receives no invitation.
    services.participant_add(conference=conference, user=director, role="detainee", name="Youssef El Amrani")


# --- Double booking -----------------------------------------------------------------------------------------------


def test_double_booking_of_a_participant_or_room_is_flagged(now, director, detainee, caw, consultant):
    first = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS), location="Zaal A")
    other = DetaineeFactory(organisation=caw, current_prison=detainee.current_prison, lead_consultant=consultant)
    second = schedule(director, other, starts_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=BRUSSELS), location="zaal a")
    later = schedule(director, other, starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=BRUSSELS), location="Zaal A")
    clashes = selectors.clashes_for([first, second, later])
    reasons = " ".join(clashes[first.pk][0].reasons)
    assert clashes[first.pk][0].other_id == second.pk
    assert "Zaal A" in reasons and str(consultant) in reasons
    assert later.pk not in clashes


# --- Invitations --------------------------------------------------------------------------------------------------


def _ics(message) -> Calendar:
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_invitation_move_and_cancel_carry_uid_sequence_and_method(
    now, director, detainee, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conf = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([director.email, consultant.email])
    invite = _ics(mail.outbox[0])
    event = invite.walk("VEVENT")[0]
    assert str(invite["METHOD"]) == "REQUEST" and str(event["UID"]) == conf.ical_uid and int(event["SEQUENCE"]) == 0
    assert invite.walk("VTIMEZONE")[0]["TZID"] == "Europe/Brussels"
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS)
    assert "El Amrani" not in mail.outbox[0].body and "El Amrani" not in str(event["SUMMARY"])  # no case content
    assert conf.participants.filter(invited_at__isnull=False).count() == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conference_move(
            conference=conf,
            user=director,
            starts_at=dt.datetime(2026, 3, 10, 14, 0, tzinfo=BRUSSELS),
            ends_at=dt.datetime(2026, 3, 10, 15, 0, tzinfo=BRUSSELS),
        )
    moved = _ics(mail.outbox[0]).walk("VEVENT")[0]
    assert str(moved["UID"]) == conf.ical_uid and int(moved["SEQUENCE"]) == 1
    assert moved.decoded("dtstart") == dt.datetime(2026, 3, 10, 14, 0, tzinfo=BRUSSELS)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conference_cancel(conference=conf, user=director, reason="Transfer naar Brugge")
    cancel = _ics(mail.outbox[0])
    assert str(cancel["METHOD"]) == "CANCEL"
    event = cancel.walk("VEVENT")[0]
    assert str(event["UID"]) == conf.ical_uid and int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"
    assert len(mail.outbox) == 2


def test_added_participant_gets_only_his_own_invitation(
    now, director, conference, partner_with_consent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_add(
            conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
        )
    assert [m.to for m in mail.outbox] == [[partner_with_consent.email]]
    attendee = _ics(mail.outbox[0]).walk("VEVENT")[0]["ATTENDEE"]
    assert str(attendee) == f"mailto:{partner_with_consent.email}"


def test_cancelled_conference_cannot_be_moved(now, director, conference):
    services.conference_cancel(conference=conference, user=director, reason="Ziekte")
    with pytest.raises(ValidationError):
        services.conference_move(
            conference=conference, user=director, starts_at=conference.starts_at, ends_at=conference.ends_at
        )


def test_cadence_is_set_by_the_prisons_director_only(client, now, director, other_director, detainee):
    from django.urls import reverse

    client.force_login(director)
    client.post(reverse("casusoverleg:cadence"), {"prison": detainee.current_prison_id, "months": "2"})
    client.post(reverse("casusoverleg:cadence"), {"detainee": detainee.pk, "months": "4"})
    assert CadenceRule.objects.get(prison=detainee.current_prison).months == 2
    assert CadenceRule.objects.get(detainee=detainee).months == 4
    response = client.post(reverse("casusoverleg:cadence"), {"detainee": detainee.pk, "months": "40"}, follow=True)
    assert "tussen 1 en 24" in response.content.decode()
    assert CadenceRule.objects.get(detainee=detainee).months == 4
    client.post(reverse("casusoverleg:cadence"), {"detainee": detainee.pk, "months": ""})
    assert not CadenceRule.objects.filter(detainee=detainee).exists()
    client.force_login(other_director)
    assert (
        client.post(reverse("casusoverleg:cadence"), {"prison": detainee.current_prison_id, "months": "6"}).status_code
        == 404
    )
    assert client.post(reverse("casusoverleg:cadence"), {"detainee": detainee.pk, "months": "6"}).status_code == 404
    assert CadenceRule.objects.get(prison=detainee.current_prison).months == 2
