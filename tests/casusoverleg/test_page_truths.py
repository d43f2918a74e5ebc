"""What the conference page claims is so: approval is offered only once the meeting took place, the
"date changed" flag appears only when the rule's proposal really changed after planning and never
proposes a day in the past, a meeting cannot be moved into the past, and the attendance form carries
its own submit button."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.services import detainee_update
from casusoverleg import selectors, services

from .conftest import BRUSSELS
from .factories import schedule

pytestmark = pytest.mark.django_db

APPROVE = "verslag/goedkeuren/"


def _page(client, user, conference):
    client.force_login(user)
    return client.get(reverse("casusoverleg:detail", args=[conference.pk])).content.decode()


def test_approval_is_offered_only_once_the_meeting_started(client, now, director, conference):
    assert APPROVE not in _page(client, director, conference)  # planned for next week
    now.move_to(dt.datetime(2026, 3, 9, 12, 0, tzinfo=BRUSSELS))
    assert APPROVE in _page(client, director, conference)


def test_planning_an_overdue_proposal_raises_no_flag_then_or_later(now, director, detainee):
    # Incarcerated 2023-01-10: the periodic conference was due 2023-04-10 and is proposed for today.
    proposal = next(p for p in selectors.conference_proposals_recompute(detainee=detainee)[0] if p.kind == "periodic")
    assert proposal.overdue and proposal.proposed_for == dt.date(2026, 3, 2)
    schedule(
        director,
        detainee,
        starts_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS),
        proposed_for=proposal.proposed_for,
    )
    assert selectors.conference_proposals_recompute(detainee=detainee)[1] == []
    now.move_to(dt.datetime(2026, 3, 12, 9, 0, tzinfo=BRUSSELS))
    assert selectors.conference_proposals_recompute(detainee=detainee)[1] == []


def test_a_flag_never_proposes_a_day_in_the_past(now, director, detainee):
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 9, 1))
    conf = schedule(director, detainee, kind="pre_leave", starts_at=dt.datetime(2026, 6, 1, 14, 0, tzinfo=BRUSSELS))
    # The leave date moves earlier: three months before it is already past (a Saturday, even).
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 5, 31))
    flags = selectors.conference_proposals_recompute(detainee=detainee)[1]
    assert [f.conference_id for f in flags] == [conf.pk]
    assert flags[0].now_proposed_for == dt.date(2026, 3, 2)  # today, not 28 February
    assert "02/03/2026" in flags[0].message and "28/02/2026" not in flags[0].message


def test_a_meeting_that_already_took_place_is_not_flagged(now, director, detainee):
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 9, 1))
    schedule(director, detainee, kind="pre_leave", starts_at=dt.datetime(2026, 6, 1, 14, 0, tzinfo=BRUSSELS))
    detainee_update(detainee=detainee, user=None, leave_eligible_on=dt.date(2026, 11, 15))
    assert selectors.conference_proposals_recompute(detainee=detainee)[1]
    now.move_to(dt.datetime(2026, 6, 2, 9, 0, tzinfo=BRUSSELS))
    assert selectors.conference_proposals_recompute(detainee=detainee)[1] == []


def test_moving_a_meeting_into_the_past_is_refused_in_the_service_and_the_page(client, now, director, conference):
    past = dt.datetime(2026, 2, 27, 10, 0, tzinfo=BRUSSELS)
    with pytest.raises(ValidationError) as refused:
        services.conference_move(
            conference=conference, user=director, starts_at=past, ends_at=past + dt.timedelta(hours=1)
        )
    assert "starts_at" in refused.value.message_dict
    conference.refresh_from_db()
    assert conference.starts_at == dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS) and conference.ical_sequence == 0
    # Keeping the time and changing only the room stays possible, also once the meeting has started.
    now.move_to(dt.datetime(2026, 3, 9, 10, 30, tzinfo=BRUSSELS))
    services.conference_move(
        conference=conference,
        user=director,
        starts_at=conference.starts_at,
        ends_at=conference.ends_at,
        location="Zaal 2",
    )
    conference.refresh_from_db()
    assert conference.location == "Zaal 2"


def test_the_attendance_form_holds_its_submit_button(client, now, director, conference):
    now.move_to(dt.datetime(2026, 3, 9, 10, 30, tzinfo=BRUSSELS))
    page = _page(client, director, conference)
    start = page.index('id="attendance-form"')
    form = page[page.rindex("<form", 0, start) : page.index("</form>", start)]
    assert 'type="submit"' in form
    assert 'form="attendance-form"' in page  # the checkboxes join it


def test_the_move_page_explains_the_refusal_in_the_readers_language(client, now, director, conference):
    director.language = "en"
    director.save(update_fields=["language"])
    client.force_login(director)
    response = client.post(
        reverse("casusoverleg:move", args=[conference.pk]),
        {
            "day": "2026-02-27",
            "start_time": "10:00",
            "end_time": "11:00",
            "location": "Zaal 1",
        },
    )
    assert response.status_code == 200
    assert "A conference cannot be moved to a moment in the past." in response.content.decode()
    conference.refresh_from_db()
    assert conference.starts_at == dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS)
