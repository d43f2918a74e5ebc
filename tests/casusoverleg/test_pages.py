"""Conference pages: access per role (404 when hidden), constant query counts, the htmx minutes editor
with its conflict view, the calendar feed and the detainee-file tab."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from casusoverleg import services
from casusoverleg.models import CalendarFeed, Minutes
from tests.factories import DetaineeFactory

from .conftest import BRUSSELS
from .factories import schedule

pytestmark = pytest.mark.django_db

DETAIL = {
    "director": 200,
    "consultant": 200,
    "colleague": 200,
    "manager": 200,
    "outsider": 404,
    "other_director": 404,
    "partner_with_consent": 404,
    "partner_without_consent": 404,
    "admin": 404,
    "dpo": 404,
}
CHANGE = {role: (200 if role == "director" else 404) for role in DETAIL}
FILE_TAB = {**DETAIL, "partner_with_consent": 404}


@pytest.mark.parametrize("role", sorted(DETAIL))
def test_detail_editor_and_move_per_role(client, personas, conference, role):
    client.force_login(personas[role])
    assert client.get(reverse("casusoverleg:detail", args=[conference.pk])).status_code == DETAIL[role]
    assert client.get(reverse("casusoverleg:move", args=[conference.pk])).status_code == CHANGE[role]
    assert client.get(reverse("casusoverleg:minutes_editor", args=[conference.pk])).status_code == CHANGE[role]
    assert (
        client.get(reverse("casusoverleg:file_conferences", args=[conference.detainee_id])).status_code
        == FILE_TAB[role]
    )
    assert client.get(reverse("casusoverleg:create")).status_code == (
        200 if role in ("director", "other_director") else 404
    )


@pytest.mark.parametrize("role", ["consultant", "partner_with_consent", "other_director"])
def test_only_directors_of_the_prison_change_a_conference(client, personas, conference, role):
    client.force_login(personas[role])
    response = client.post(reverse("casusoverleg:cancel", args=[conference.pk]), {"reason": "x"})
    assert response.status_code == 404
    conference.refresh_from_db()
    assert conference.status == "planned"


def test_schedule_through_the_form(client, director, detainee, now):
    client.force_login(director)
    data = {
        "detainee": detainee.pk,
        "prison": detainee.current_prison_id,
        "kind": "periodic",
        "day": "2026-03-12",
        "start_time": "10:00",
        "end_time": "09:00",
        "basis": "consent",
        "location": "Zaal 1",
    }
    response = client.post(reverse("casusoverleg:create"), data)
    assert response.status_code == 200 and "eindigen na het begin" in response.content.decode()
    response = client.post(reverse("casusoverleg:create"), {**data, "end_time": "11:30"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "El Amrani" in detail.content.decode()


def test_two_editors_conflict_and_nothing_is_lost(client, director, conference):
    url = reverse("casusoverleg:minutes_editor", args=[conference.pk])
    item = conference.agenda_items.first()
    client.force_login(director)
    base = {
        "revision": "0",
        "general_notes": "",
        f"note-{item.pk}": "Mijn eerste tekst",
        "decision-0-consensus": "yes",
        "decision-TOTAL_FORMS": "1",
        "decision-INITIAL_FORMS": "0",
        "decision-MIN_NUM_FORMS": "0",
        "decision-MAX_NUM_FORMS": "50",
        "action-TOTAL_FORMS": "1",
        "action-INITIAL_FORMS": "0",
        "action-MIN_NUM_FORMS": "0",
        "action-MAX_NUM_FORMS": "50",
    }
    first = client.post(url, base, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and "Bewaard" in first.content.decode()
    stale = client.post(url, {**base, f"note-{item.pk}": "Tekst van de tweede persoon"}, HTTP_HX_REQUEST="true")
    html = stale.content.decode()
    assert "intussen bewaard" in html
    assert "Tekst van de tweede persoon" in html  # the user's own text is still in the form
    assert "Mijn eerste tekst" in html  # beside the text saved in between
    assert 'name="revision" value="1"' in html
    assert Minutes.objects.get(conference=conference).item_notes.get(agenda_item=item).text == "Mijn eerste tekst"


def test_list_runs_a_constant_number_of_queries(client, director, detainee, caw, now, django_assert_num_queries):
    client.force_login(director)
    url = reverse("casusoverleg:list")
    for size in (1, 6):
        for index in range(size):
            other = DetaineeFactory(organisation=caw, current_prison=detainee.current_prison)
            schedule(director, other, starts_at=dt.datetime(2026, 4, 1 + index, 10, 0, tzinfo=BRUSSELS))
        # 1 session, 1 user, 1 count, 1 conferences page (detainee, prison, chair joined),
        # 1 the director's prisons (whether he may read the names: remembered for the request)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200


def test_calendar_events_run_a_constant_number_of_queries(
    client, director, detainee, caw, now, django_assert_num_queries
):
    client.force_login(director)
    url = reverse("casusoverleg:events") + "?start=2026-03-01T00:00:00%2B01:00&end=2026-05-01T00:00:00%2B02:00"
    for size in (1, 6):
        for index in range(size):
            other = DetaineeFactory(organisation=caw, current_prison=detainee.current_prison)
            schedule(director, other, starts_at=dt.datetime(2026, 4, 1 + index, 10, 0, tzinfo=BRUSSELS))
        # 1 session, 1 user, 1 conferences, 1 overlapping conferences + 1 their participants (clashes),
        # 1 planning detainees, 1 prison cadences, 1 their conferences (proposals)
        with django_assert_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
    assert any("Voorstel" in event["title"] for event in response.json())


def test_conference_page_runs_a_constant_number_of_queries(
    client, director, conference, caw, now, django_assert_num_queries
):
    from accounts.models import Organisation

    client.force_login(director)
    url = reverse("casusoverleg:detail", args=[conference.pk])
    for size in (1, 5):
        for index in range(size):
            services.participant_add(
                conference=conference,
                user=director,
                role="partner",
                name=f"Extern {size}-{index}",
                email=f"extern{size}{index}@example.org",
                organisation=Organisation.objects.get(name="VDAB"),
            )
            services.agenda_item_add(conference=conference, user=director, title=f"Punt {size}-{index}")
        # 1 session, 1 user, 1 conference (detainee with both cadences, prison, chair), 1 the director's prisons
        # (remembered for every rule), 1 access log (pghistory prefixes its context to the insert), 1 participants,
        # 1 agenda, 1 minutes versions, 2 clashes (overlapping conferences, their participants), 1 rule flags (the
        # detainee's conferences), 2 participant form choices (users, organisations), 2 the basis per participant
        # (the consents for a conference, the prison's directors: ADR 0033). The director edits the
        # minutes: their content comes with the editor (htmx), not with the page.
        with django_assert_num_queries(15):
            assert client.get(url).status_code == 200


def test_events_refuse_bad_ranges(client, director):
    client.force_login(director)
    assert client.get(reverse("casusoverleg:events") + "?start=gisteren&end=morgen").status_code == 400


def test_calendar_feed_is_private_and_revocable(client, consultant, conference):
    client.force_login(consultant)
    client.post(reverse("casusoverleg:feed_settings"), {"action": "rotate"})
    token = CalendarFeed.objects.get(user=consultant).token
    client.logout()
    response = client.get(reverse("casusoverleg:feed", args=[token]))
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [conference.ical_uid]
    services.calendar_feed_rotate(user=consultant)
    assert client.get(reverse("casusoverleg:feed", args=[token])).status_code == 404
    services.calendar_feed_revoke(user=consultant)
    assert not CalendarFeed.objects.filter(user=consultant).exists()


def test_file_tab_lists_conferences_and_proposals(client, consultant, conference, detainee):
    client.force_login(consultant)
    html = client.get(reverse("casusoverleg:file_conferences", args=[detainee.pk])).content.decode()
    assert reverse("casusoverleg:detail", args=[conference.pk]) in html
    assert "Voorstel" in html  # pre-leave proposal (leave eligibility 2027-06-01)
    file_page = client.get(reverse("casework:detainee_detail", args=[detainee.pk])).content.decode()
    assert reverse("casusoverleg:file_conferences", args=[detainee.pk]) in file_page
