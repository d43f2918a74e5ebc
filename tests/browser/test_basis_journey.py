"""Journey (ADR 0033): a director plans a conference "on consent" for a detainee who gave none, invites a CGG
partner, and is warned at once; the partner, signing in from his invitation, is told why the content stays
closed instead of meeting a 404 — in real headless Chromium against the live server."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Organisation, Prison
from casusoverleg.models import Conference
from tests.factories import DetaineeFactory, UserFactory

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def cast():
    caw = Organisation.objects.get(name="CAW Limburg")
    consultant = UserFactory(
        username="b-consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters"
    )
    director = UserFactory(username="b-director", director=True, first_name="Marc", last_name="Jacobs")
    Prison.objects.get(code="hasselt").directors.add(director)
    partner = UserFactory(
        username="b-partner",
        partner=True,
        organisation=Organisation.objects.get(name="CGG"),
        first_name="Lotte",
        last_name="Maes",
    )
    detainee = DetaineeFactory(
        first_name="Karim",
        last_name="Zonderconsent",
        organisation=caw,
        lead_consultant=consultant,
        search_name="karim zonderconsent",
    )
    return {"director": director, "partner": partner, "detainee": detainee}


def test_director_plans_on_consent_without_consent_and_is_warned(page, base_url, cast):
    director, partner, detainee = cast["director"], cast["partner"], cast["detainee"]
    login(page, director, base_url=base_url)

    page.goto(f"{base_url}/casusoverleg/nieuw/")
    page.get_by_role("combobox", name="Gedetineerde").select_option(str(detainee.pk))
    page.locator("#id_day").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("11:00")
    page.get_by_label("Lokaal").fill("Vergaderzaal directie")
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.get_by_text("Het overleg is gepland")).to_be_visible()
    warning = page.get_by_test_id("basis-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("geen enkele lopende toestemming voor casusoverleg")
    conference = Conference.objects.get(detainee=detainee)

    # Inviting the CGG partner: invited, and told at once that he gets no access to the content.
    page.locator("#id_participant_user").select_option(str(partner.pk))
    page.locator("#id_role").select_option("partner")
    page.get_by_role("button", name="Uitnodigen").click()
    expect(
        page.locator(".alert-warning").filter(has_text="uitgenodigd zonder toegang tot de inhoud").first
    ).to_be_visible()
    expect(page.locator("#participants")).to_contain_text("Geen toegang tot de inhoud")
    screenshot(page, "conference-basis-warning")
    assert axe_violations(page) == []

    # Inviting him a second time is refused with a message, not a second invitation.
    page.get_by_text("Deelnemer uitnodigen").click()  # the form folds away from the third participant on
    page.locator("#id_participant_user").select_option(str(partner.pk))
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text("Deze persoon is al uitgenodigd.")).to_be_visible()
    assert conference.participants.filter(user=partner).count() == 1

    # The partner follows his invitation: a clear page, no name, no 404.
    page.context.clear_cookies()
    login(page, partner, base_url=base_url)
    response = page.goto(f"{base_url}/casusoverleg/{conference.pk}/")
    assert response.status == 403
    expect(page.get_by_test_id("invited-without-access")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Zonderconsent")
    expect(page.locator("main")).to_contain_text(conference.reference)
    assert axe_violations(page) == []
    assert len([m for m in mail.outbox if partner.email in m.to]) <= 1
