"""Journeys of a partner (ADR 0031, 0034) in real headless Chromium against the live server: he downloads his
copy of the approved minutes after signing in and checks it on the "verify a copy" page; he closes the action the
conference gave him, and the consultant finds it on the next conference's agenda."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Organisation, Prison
from casusoverleg import services
from casusoverleg.services import minutes as services_minutes
from tests.casusoverleg.factories import schedule
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory
from trajectories.models import Action

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def approved():
    """Yesterday's conference in Hasselt, the VDAB partner invited on a consent with scopes identity and minutes,
    its minutes approved with one action for him; the next conference planned in a week."""
    caw, vdab = Organisation.objects.get(name="CAW Limburg"), Organisation.objects.get(name="VDAB")
    consultant = UserFactory(
        username="p-consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters"
    )
    director = UserFactory(username="p-director", director=True, first_name="Marc", last_name="Jacobs")
    partner = UserFactory(
        username="p-partner", partner=True, organisation=vdab, first_name="Pieter", last_name="De Vos"
    )
    hasselt = Prison.objects.get(code="hasselt")
    hasselt.directors.add(director)
    detainee = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        search_name="youssef el amrani",
    )
    ConsentFactory(detainee=detainee, organisation=vdab, explained_by=consultant, scopes=["identity", "minutes"])
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    conference = schedule(director, detainee, starts_at=yesterday.replace(hour=10, minute=0, second=0, microsecond=0))
    services.participant_add(conference=conference, user=director, role="partner", participant_user=partner)
    minutes = conference.minutes_versions.get(number=1)
    services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Werk besproken.",
        decisions=[{"text": "Opleiding lassen voorbereiden.", "consensus": True}],
        actions=[
            {
                "description": "Intake opleiding lassen plannen",
                "owner_user": partner,
                "due_on": timezone.localdate() + dt.timedelta(days=14),
            }
        ],
    )
    minutes.refresh_from_db()
    services_minutes.minutes_approve(minutes=minutes, user=director, revision=minutes.revision)
    following = schedule(
        director,
        detainee,
        starts_at=(timezone.localtime() + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0),
    )
    return {"conference": conference, "following": following, "partner": partner, "consultant": consultant}


def test_a_partner_downloads_his_copy_and_verifies_it(page, base_url, approved, tmp_path):
    conference = approved["conference"]
    login(page, approved["partner"], base_url=base_url)
    page.goto(f"{base_url}/casusoverleg/{conference.pk}/")
    with page.expect_download() as download_info:
        page.get_by_test_id("pdf-download").click()
    copy = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(copy)
    assert copy.read_bytes().startswith(b"%PDF")

    page.goto(f"{base_url}/casusoverleg/exemplaar-controleren/")
    page.locator("input[name='document']").set_input_files(str(copy))
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator("#verdict-title")).to_have_text("Echt exemplaar")
    # A partner learns the verdict, not to whom or when it was issued.
    expect(page.get_by_text("Uitgegeven aan")).to_have_count(0)
    screenshot(page, "partner-verify-copy")

    # The same file, one byte changed, is not authentic.
    altered = tmp_path / "altered.pdf"
    data = bytearray(copy.read_bytes())
    data[-10] = (data[-10] + 1) % 256
    altered.write_bytes(bytes(data))
    page.locator("input[name='document']").set_input_files(str(altered))
    page.get_by_role("button", name="Controleren").click()
    expect(page.locator("#verdict-title")).to_have_text("Geen echt exemplaar")


def test_a_partner_closes_his_action_and_the_consultant_sees_it_on_the_next_agenda(page, base_url, approved):
    login(page, approved["partner"], base_url=base_url)
    page.goto(f"{base_url}/casusoverleg/mijn-acties/")
    expect(page.get_by_role("heading", name="Mijn acties")).to_be_visible()
    action = Action.objects.get(description="Intake opleiding lassen plannen")
    card = page.locator(f"#actie-{action.pk}")
    expect(card).to_contain_text(approved["conference"].reference)
    expect(card).to_contain_text("Youssef El Amrani")
    assert axe_violations(page) == []
    # Progress without a note is refused with a message, nothing written.
    card.get_by_role("button", name="Bewaren").click()
    expect(page.locator(f"#actie-{action.pk}")).to_contain_text("Schrijf kort wat er gebeurde.")
    card = page.locator(f"#actie-{action.pk}")
    card.get_by_label("De actie is afgerond").check()
    card.get_by_label("Korte notitie").fill("Intake gehad, start op 1 maart")
    card.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("De actie is afgerond. Het dossierteam ziet het op het volgende overleg.")).to_be_visible()
    expect(page.get_by_role("heading", name="Onlangs afgerond")).to_be_visible()
    screenshot(page, "partner-my-actions")

    page.context.clear_cookies()
    login(page, approved["consultant"], base_url=base_url)
    page.goto(f"{base_url}/casusoverleg/{approved['following'].pk}/")
    agenda = page.locator(".agenda-body").first
    expect(page.locator("body")).to_contain_text("Intake opleiding lassen plannen")
    expect(page.locator("body")).to_contain_text("Intake gehad, start op 1 maart")
    expect(page.locator("body")).to_contain_text("Pieter De Vos")
    assert agenda is not None
    screenshot(page, "consultant-next-agenda")
