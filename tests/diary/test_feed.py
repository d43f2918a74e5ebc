"""The consultant's calendar feed carries his planned contacts: times, kind and prison, no case content."""

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from casusoverleg import services as conference_services
from diary import services
from tests.casusoverleg.factories import schedule

from .conftest import at, plan

pytestmark = pytest.mark.django_db


def _feed(client, user) -> list:
    token = conference_services.calendar_feed_rotate(user=user).token
    client.logout()
    response = client.get(reverse("casusoverleg:feed", args=[token]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_has_the_planned_contact_without_case_content(client, contact, consultant, director, detainee):
    conference = schedule(director, detainee, starts_at=at(2026, 3, 9, 10, 0))
    events = {str(event["UID"]): event for event in _feed(client, consultant)}
    assert conference.ical_uid in events
    event = next(e for uid, e in events.items() if uid.startswith("planned-contact-"))
    assert str(event["SUMMARY"]) == "Bezoek — gevangenis Hasselt"
    assert str(event["LOCATION"]) == "Hasselt"
    assert event.decoded("DTSTART") == at(2026, 3, 2, 14, 0)
    assert event.decoded("DTEND") == at(2026, 3, 2, 14, 45)
    text = event.to_ical().decode()
    for leak in ("Youssef", "El Amrani", "Bezoekzaal", "/gedetineerden/"):
        assert leak not in text
    assert reverse("diary:log", args=[contact.pk]) in str(event["DESCRIPTION"]).replace("\n", "")


def test_the_feed_speaks_its_owners_language(client, contact, consultant):
    consultant.language = "en"
    consultant.save(update_fields=["language"])
    events = _feed(client, consultant)
    assert [str(e["SUMMARY"]) for e in events] == ["Visit — Hasselt prison"]
    translation.activate("nl-be")


def test_cancelled_and_other_peoples_contacts_stay_out(client, contact, consultant, colleague, detainee):
    detainee.co_consultants.add(colleague)
    other = plan(colleague, detainee, at(2026, 3, 3, 10, 0), kind="call")
    cancelled = plan(consultant, detainee, at(2026, 3, 4, 10, 0), kind="call")
    services.planned_contact_cancel(contact=cancelled, user=consultant)
    uids = [str(e["UID"]) for e in _feed(client, consultant)]
    assert uids == [f"planned-contact-{contact.pk}@disengagement"]
    assert other.pk != contact.pk
