"""A consultant plans a visit from the prison's visiting slots, finds it in his week, and the day after logs it
from "Mijn dag", where it is flagged as not yet logged: the session form comes filled in from the plan."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Session
from diary.models import PlannedContact, VisitingSlot
from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def slot(hasselt):
    """Hasselt receives professional visits tomorrow from 14:00 to 15:30, whatever day the suite runs."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return VisitingSlot.objects.create(
        prison=hasselt,
        weekday=tomorrow.weekday(),
        starts_at=dt.time(14, 0),
        ends_at=dt.time(15, 30),
        note="Bezoekzaal professionelen",
    )


def test_consultant_plans_a_visit_and_logs_it_from_the_plan(page, live_server, consultant, detainee, slot):
    base = live_server.url
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    login(page, consultant, base_url=base)
    expect(page.get_by_role("heading", name="Mijn dag")).to_be_visible()

    page.get_by_role("link", name="Contact plannen").first.click()
    expect(page.get_by_role("heading", name="Contact plannen")).to_be_visible()
    # Choosing the detainee shows his prison's visiting slots; one click takes a slot into the form.
    page.get_by_label("Kies eerst de gedetineerde").select_option(label="Youssef El Amrani")
    page.get_by_role("button", name="Toon de bezoekmomenten").click()
    expect(page.locator(".subtitle")).to_contain_text("Youssef El Amrani")
    page.get_by_role("link", name="Kies").first.click()
    expect(page.get_by_label("Datum en uur")).to_have_value(f"{tomorrow:%Y-%m-%d}T14:00")
    expect(page.get_by_label("Duur (minuten)")).to_have_value("90")
    expect(page.get_by_label("Gedetineerde")).to_have_value(str(detainee.pk))
    page.get_by_label("Plaats").fill("Bezoekzaal 2")
    screenshot(page, "diary_plan")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Plannen").click()

    expect(page.get_by_text("Het contact is gepland.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn week")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Youssef El Amrani")
    expect(page.locator("main")).to_contain_text("Bezoekzaal 2")
    screenshot(page, "diary_week")
    assert axe_violations(page) == []

    # The day after: the visit took place but was not logged yet (the clock moves for the plan, not the test).
    contact = PlannedContact.objects.get()
    PlannedContact.objects.filter(pk=contact.pk).update(starts_at=contact.starts_at - dt.timedelta(days=2))
    page.get_by_role("link", name="Mijn dag").first.click()
    overdue = page.locator(".my-day-overdue")
    expect(overdue).to_contain_text("Youssef El Amrani")
    expect(overdue).to_contain_text("niet geregistreerd")
    overdue.get_by_role("link", name="Registreren").click()

    expect(page.get_by_role("heading", name="Contactmoment registreren")).to_be_visible()
    expect(page.locator(".planned-contact-note")).to_contain_text("Bezoek in de gevangenis")
    planned_at = timezone.localtime(contact.starts_at - dt.timedelta(days=2))
    expect(page.get_by_label("Tijdstip")).to_have_value(f"{planned_at:%d/%m/%Y %H:%M}")
    expect(page.get_by_label("Duur (minuten)")).to_have_value("90")
    expect(page.get_by_label("Vorm")).to_have_value("in_person_prison")
    page.get_by_label("Samenvatting").fill("Bezoek over de voorbereiding van het verlof.")
    screenshot(page, "diary_log")
    assert axe_violations(page) == []
    page.get_by_label("Samenvatting").press("Control+Enter")

    page.wait_for_url(f"{base}/")
    expect(page.get_by_text("Het contactmoment is opgeslagen.")).to_be_visible()
    expect(page.locator(".my-day-overdue")).to_have_count(0)
    contact.refresh_from_db()
    assert contact.session == Session.objects.get(summary="Bezoek over de voorbereiding van het verlof.")
    assert contact.session.duration_minutes == 90
