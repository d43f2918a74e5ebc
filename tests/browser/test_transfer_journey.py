"""Journey (ADR 0040): a consultant records the transfer of a detainee with a conference planned at the old prison;
the new prison's director is told, moves the conference to his prison and chairs it; the old director no longer
opens the file but sees what became of his conference — in real headless Chromium against the live server."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import services as casework_services
from casework.models import Organisation, Prison
from casusoverleg import services
from casusoverleg.models import Conference, TransferFlag
from notifications import services as engine
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def cast():
    caw = Organisation.objects.get(name="CAW Limburg")
    hasselt, gent = Prison.objects.get(code="hasselt"), Prison.objects.get(code="gent")
    consultant = UserFactory(
        username="t-consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters"
    )
    old = UserFactory(username="t-director-hasselt", director=True, first_name="Marc", last_name="Jacobs")
    new = UserFactory(username="t-director-gent", director=True, first_name="Ines", last_name="Claes")
    hasselt.directors.add(old)
    gent.directors.add(new)
    today = timezone.localdate()
    detainee = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        lead_consultant=consultant,
        search_name="youssef el amrani",
        current_prison=hasselt,
        incarcerated_on=today - dt.timedelta(days=400),
    )
    ConsentFactory(
        detainee=detainee,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=consultant,
        scopes=["identity", "minutes"],
    )
    casework_services.placement_record(
        detainee=detainee, user=consultant, prison=hasselt, from_date=detainee.incarcerated_on
    )
    zone = timezone.get_current_timezone()
    starts = dt.datetime.combine(today + dt.timedelta(days=8), dt.time(10, 0), tzinfo=zone)
    conference = services.conference_schedule(
        user=old,
        detainee=detainee,
        prison=hasselt,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=90),
        location="Zaal B",
    )
    return {"consultant": consultant, "old": old, "new": new, "detainee": detainee, "conference": conference}


def test_a_transfer_with_a_planned_conference(page, base_url, cast):
    today = timezone.localdate()
    detainee, conference = cast["detainee"], cast["conference"]

    # The consultant records the transfer from the file; a date in the future is refused next to the field.
    login(page, cast["consultant"], base_url=base_url)
    page.goto(f"{base_url}/gedetineerden/{detainee.pk}/plaatsingen/")
    page.get_by_role("link", name="Overplaatsing registreren").click()
    expect(page.get_by_text("De gedetineerde verblijft nu in Hasselt.", exact=False)).to_be_visible()
    page.get_by_label("Nieuwe gevangenis").select_option(label="Gent")
    page.get_by_label("Datum van de overplaatsing").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Overplaatsing registreren").click()
    expect(page.get_by_text("de datum ligt in de toekomst", exact=False)).to_be_visible()
    assert TransferFlag.objects.count() == 0
    screenshot(page, "transfer_form_error")
    page.get_by_label("Datum van de overplaatsing").fill(today.isoformat())
    page.get_by_role("button", name="Overplaatsing registreren").click()
    expect(page.get_by_text("De overplaatsing is geregistreerd", exact=False)).to_be_visible()
    expect(page.get_by_text("overgeplaatst uit Hasselt")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "transfer_recorded")

    # The new prison's director is told; the notice leads him to the decision.
    engine.reminders_sweep()
    page.context.clear_cookies()
    login(page, cast["new"], base_url=base_url)
    bell = page.locator(".notification-bell")
    expect(bell.locator(".notification-count")).to_have_text("2")
    page.goto(f"{base_url}/casusoverleg/overplaatsingen/")
    expect(page.get_by_role("heading", name="Casusoverleg na overplaatsing")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Beslissen").click()
    expect(page.get_by_text("overgeplaatst van Hasselt naar Gent", exact=False)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "transfer_decision")
    page.get_by_label("Verplaatsen naar de nieuwe gevangenis", exact=False).check()
    page.get_by_role("button", name="Beslissing registreren").click()
    expect(page.get_by_text("De beslissing is geregistreerd", exact=False)).to_be_visible()
    expect(page.get_by_text("Verplaatst naar de nieuwe gevangenis")).to_be_visible()
    conference.refresh_from_db()
    assert (conference.prison.code, conference.chair, conference.status) == (
        "gent",
        cast["new"],
        Conference.Status.PLANNED,
    )
    page.goto(f"{base_url}/casusoverleg/{conference.pk}/")
    expect(page.locator("body")).to_contain_text("Gent")
    screenshot(page, "transfer_conference_moved")

    # The old director: the file is closed to him now, the list says what became of his conference.
    page.context.clear_cookies()
    login(page, cast["old"], base_url=base_url)
    assert page.goto(f"{base_url}/gedetineerden/{detainee.pk}/").status == 404
    assert page.goto(f"{base_url}/casusoverleg/{conference.pk}/").status == 404
    page.goto(f"{base_url}/casusoverleg/overplaatsingen/")
    expect(page.get_by_text("Verplaatst naar de nieuwe gevangenis")).to_be_visible()
    expect(page.get_by_text("Geen overleggen die op een beslissing wachten.")).to_be_visible()
