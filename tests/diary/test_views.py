"""The diary's pages per role: the week, planning, logging from a plan, the manager's overview; 404 for
what is not one's own, with the refusal on record."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import AccessRefusal, Session
from diary.models import PlannedContact, VisitingSlot

from .conftest import at, plan

pytestmark = pytest.mark.django_db

PAGES = ["diary:update", "diary:log"]


def test_the_week_shows_the_consultants_contacts_per_day(client, contact, consultant):
    plan(consultant, contact.detainee, at(2026, 3, 5, 10, 0), kind="call")
    plan(consultant, contact.detainee, at(2026, 3, 9, 10, 0), kind="call")  # next week
    client.force_login(consultant)
    response = client.get(reverse("diary:week"))
    assert response.status_code == 200
    days = dict(response.context["days"])
    assert [c.pk for c in days[dt.date(2026, 3, 2)]] == [contact.pk]
    assert len(days[dt.date(2026, 3, 5)]) == 1
    assert sum(len(c) for c in days.values()) == 2
    later = client.get(reverse("diary:week") + "?week=2026-03-11")
    assert sum(len(c) for _day, c in later.context["days"]) == 1


@pytest.mark.parametrize("persona", ["manager", "director", "partner_with_consent", "admin", "dpo"])
def test_the_week_is_the_consultants_page(client, personas, persona, frozen):
    client.force_login(personas[persona])
    assert client.get(reverse("diary:week")).status_code == 403


def test_planning_from_the_form(client, consultant, detainee, frozen, hasselt):
    VisitingSlot.objects.create(prison=hasselt, weekday=1, starts_at=dt.time(14, 0), ends_at=dt.time(15, 30))
    client.force_login(consultant)
    page = client.get(reverse("diary:create") + f"?gedetineerde={detainee.pk}")
    assert page.status_code == 200
    # Next Tuesday's slot is offered, and choosing it fills in the form.
    starts = [s["starts_at"] for s in page.context["suggestions"]]
    assert starts[0] == at(2026, 3, 3, 14, 0) and len(starts) == 2
    chosen = client.get(
        reverse("diary:create") + f"?gedetineerde={detainee.pk}&start=2026-03-03T14:00&soort=visit&duur=90"
    )
    assert chosen.context["form"].initial["duration_minutes"] == 90
    response = client.post(
        reverse("diary:create"),
        {
            "detainee": detainee.pk,
            "starts_at": "2026-03-03T14:00",
            "duration_minutes": "90",
            "kind": "visit",
            "prison": "",
            "place": "Bezoekzaal",
        },
    )
    assert response.status_code == 302
    contact = PlannedContact.objects.get()
    assert (contact.starts_at, contact.prison, contact.consultant) == (at(2026, 3, 3, 14, 0), hasselt, consultant)


def test_the_form_shows_the_services_refusal(client, consultant, detainee, frozen):
    client.force_login(consultant)
    response = client.post(
        reverse("diary:create"),
        {"detainee": detainee.pk, "starts_at": "2026-03-01T14:00", "duration_minutes": "60", "kind": "visit"},
    )
    assert response.status_code == 400
    assert "niet in het verleden" in response.content.decode()
    assert not PlannedContact.objects.exists()


def test_the_form_offers_only_the_own_caseload(client, colleague, detainee, frozen):
    client.force_login(colleague)
    assert client.get(reverse("diary:create") + f"?gedetineerde={detainee.pk}").status_code == 404
    response = client.post(
        reverse("diary:create"),
        {"detainee": detainee.pk, "starts_at": "2026-03-03T14:00", "duration_minutes": "60", "kind": "visit"},
    )
    assert response.status_code == 400 and not PlannedContact.objects.exists()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["colleague", "outsider", "manager", "director", "partner_with_consent", "dpo"])
def test_someone_elses_planned_contact_is_a_404_on_record(client, personas, persona, contact, name):
    client.force_login(personas[persona])
    assert client.get(reverse(name, args=[contact.pk])).status_code == 404
    refusal = AccessRefusal.objects.get()
    assert (refusal.route, refusal.status) == (name, 404)
    assert client.post(reverse("diary:cancel", args=[contact.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.is_open


def test_logging_from_the_plan_prefills_the_session_and_links_it(client, contact, consultant, frozen):
    frozen.move_to(at(2026, 3, 2, 15, 0))
    client.force_login(consultant)
    page = client.get(reverse("diary:log", args=[contact.pk]) + "?vanuit=mijn-dag")
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["started_at"] == at(2026, 3, 2, 14, 0)
    assert (initial["duration_minutes"], initial["modality"]) == (45, "in_person_prison")
    assert page.context["detainee"] == contact.detainee
    assert "Vanuit de agenda" in page.content.decode()
    response = client.post(
        reverse("diary:log", args=[contact.pk]) + "?vanuit=mijn-dag",
        {
            "started_at": "2026-03-02T14:00",
            "duration_minutes": "45",
            "modality": "in_person_prison",
            "attendance": "attended",
            "engagement": "4",
            "summary": "Goed gesprek.",
        },
    )
    assert response.status_code == 302 and response.url == reverse("casework:my_day")
    contact.refresh_from_db()
    assert contact.session == Session.objects.get(summary="Goed gesprek.")
    # Logged once: the page now sends back.
    assert client.get(reverse("diary:log", args=[contact.pk])).status_code == 302


def test_moving_and_cancelling_from_the_pages(client, contact, consultant):
    client.force_login(consultant)
    assert client.get(reverse("diary:update", args=[contact.pk])).status_code == 200
    response = client.post(
        reverse("diary:update", args=[contact.pk]),
        {"starts_at": "2026-03-04T10:00", "duration_minutes": "30", "kind": "call", "prison": "", "place": ""},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.starts_at, contact.kind) == (at(2026, 3, 4, 10, 0), "call")
    assert client.post(reverse("diary:cancel", args=[contact.pk])).status_code == 302
    contact.refresh_from_db()
    assert contact.cancelled_at is not None


def test_the_manager_sees_planned_against_held_per_consultant(client, manager, consultant, colleague, detainee, frozen):
    held = plan(consultant, detainee, at(2026, 3, 2, 9, 30))
    missed = plan(consultant, detainee, at(2026, 3, 2, 10, 0))
    plan(consultant, detainee, at(2026, 3, 20, 10, 0))  # still to come: not counted
    frozen.move_to(at(2026, 3, 3, 9, 0))
    from diary import services

    services.planned_contact_log(
        contact=held, user=consultant, started_at=held.starts_at, duration_minutes=60, modality="in_person_prison"
    )
    client.force_login(manager)
    response = client.get(reverse("diary:overview"))
    assert response.status_code == 200
    rows = {row.consultant_id: row for row in response.context["rows"]}
    assert (rows[consultant.pk].planned, rows[consultant.pk].held, rows[consultant.pk].not_logged) == (2, 1, 1)
    assert rows[colleague.pk].planned == 0 and rows[consultant.pk].held_share == 50
    assert missed.pk  # the one not logged is the one counted as such
    day = client.get(reverse("casework:my_day"))
    figures = next(p["data"] for p in day.context["panels"] if p["name"] == "planned_vs_held")
    assert [(r.planned, r.held) for r in figures["rows"]] == [(2, 1)]
    assert reverse("diary:overview") in day.content.decode()


@pytest.mark.parametrize("persona", ["consultant", "director", "partner_with_consent", "admin", "dpo"])
def test_the_overview_is_the_managers(client, personas, persona, frozen):
    client.force_login(personas[persona])
    assert client.get(reverse("diary:overview")).status_code == 403


def test_malformed_dates_in_the_query_are_ignored(client, consultant, manager, detainee, frozen):
    client.force_login(consultant)
    assert client.get(reverse("diary:week") + "?week=2026-02-31").status_code == 200
    assert (
        client.get(reverse("diary:create") + f"?gedetineerde={detainee.pk}&start=2026-13-01T10:00").status_code == 200
    )
    assert client.get(reverse("diary:create") + "?gedetineerde=abc").status_code == 404
    client.force_login(manager)
    response = client.get(reverse("diary:overview") + "?van=2026-02-30&tot=morgen")
    assert response.status_code == 200 and response.context["end"] == dt.date(2026, 3, 2)
