"""The file as other roles see it, and the file's forms in a real browser: looked at, checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from casework.models import Consent, Detainee
from tests.browser.conftest import axe_violations, login, screenshot
from tests.factories import ListingFactory, NetworkPersonFactory, SessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def file_with_content(detainee, consultant):
    ListingFactory(detainee=detainee, category="ftf", threat_level=3)
    NetworkPersonFactory(
        detainee=detainee,
        name="Fatima El Amrani",
        relation="parent",
        influence="positive",
        involved=True,
        contact_consent=True,
    )
    NetworkPersonFactory(detainee=detainee, name="Oude vriend K.", relation="friend", influence="negative")
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Gesprek over werk in de keuken.",
        confidential_notes="Broer zoekt opnieuw contact.",
    )
    return detainee


def test_director_sees_identity_and_listings_but_no_sessions(page, live_server, director, file_with_content):
    login(page, director, base_url=live_server.url)
    screenshot(page, "my_day_director")
    # Mijn dag names him on several lines (his file, his pre-leave deadline): any link to the file will do.
    page.locator(f"main a[href='/gedetineerden/{file_with_content.pk}/']").first.click()
    expect(page.get_by_role("heading", name="Youssef El Amrani")).to_be_visible()
    expect(page.get_by_role("tab", name="Contactmomenten")).to_have_count(0)
    expect(page.get_by_text("Foreign terrorist fighter (FTF)").first).to_be_visible()
    expect(page.get_by_text("Gesprek over werk")).to_have_count(0)
    screenshot(page, "file_director")
    assert axe_violations(page) == []


def test_partner_sees_summaries_not_confidential_notes(page, live_server, partner_with_consent, file_with_content):
    login(page, partner_with_consent, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/{file_with_content.pk}/")
    expect(page.get_by_text("Gesprek over werk in de keuken.")).to_be_visible()
    expect(page.get_by_text("Broer zoekt opnieuw contact.")).to_have_count(0)
    screenshot(page, "file_partner")


def test_manager_sets_the_case_team(page, live_server, manager, colleague, file_with_content):
    login(page, manager, base_url=live_server.url)
    screenshot(page, "my_day_manager")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/gedetineerden/{file_with_content.pk}/")
    page.get_by_role("link", name="Dossierteam").click()
    page.get_by_label("Hoofdconsulent").select_option(str(colleague.pk))
    screenshot(page, "case_team_form")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het dossierteam is aangepast.")).to_be_visible()
    assert Detainee.objects.get(pk=file_with_content.pk).lead_consultant == colleague


def test_consultant_records_and_withdraws_a_consent(page, live_server, consultant, file_with_content):
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/{file_with_content.pk}/netwerk/")
    expect(page.get_by_role("cell", name="Fatima El Amrani", exact=True)).to_be_visible()
    screenshot(page, "file_network")
    page.get_by_role("tab", name="Toestemmingen").click()
    page.get_by_role("link", name="Toestemming registreren").click()
    page.get_by_label("Ontvangende organisatie").select_option(label="CGG")
    page.get_by_label("Doorverwijzing").check()
    page.get_by_label("Identiteit").check()
    page.get_by_label("Traject en doelen").check()
    page.get_by_label("Taal van de uitleg").fill("Arabisch")
    page.get_by_label("Met tolk").check()
    screenshot(page, "consent_form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De toestemming is geregistreerd.")).to_be_visible()
    screenshot(page, "file_consents")
    assert axe_violations(page) == []

    page.once("dialog", lambda dialog: dialog.accept())
    card = page.locator(".consent-card", has_text="CGG")
    card.get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text("De toestemming is ingetrokken")).to_be_visible()
    assert Consent.objects.get(detainee=file_with_content, organisation__name="CGG").withdrawn_on is not None


def test_new_file_shows_errors_by_the_field_and_keeps_the_input(page, live_server, consultant):
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/nieuw/")
    page.get_by_label("Voornaam").fill("Karim")
    page.get_by_label("Familienaam").fill("Bouzid")
    page.get_by_label("Juridisch statuut").select_option("convicted")
    page.get_by_label("Rijksregisternummer").fill("85.07.30-033.29")
    page.get_by_role("button", name="Dossier aanmaken").click()
    expect(page.get_by_text("Ongeldig rijksregisternummer")).to_be_visible()
    expect(page.get_by_label("Voornaam")).to_have_value("Karim")
    screenshot(page, "detainee_form_errors")
    assert axe_violations(page) == []
    page.get_by_label("Rijksregisternummer").fill("85.07.30-033.28")
    page.get_by_role("button", name="Dossier aanmaken").click()
    expect(page.get_by_text("Het dossier is aangemaakt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Karim Bouzid")).to_be_visible()


def test_the_history_of_a_big_file_pages_in_the_browser(page, live_server, consultant, detainee):
    """The history tab shows 25 changes, newest first; "older" opens the next page (a cursor in the URL) and
    "newer" comes back (ADR 0036)."""
    import datetime as dt

    from django.utils import timezone

    from casework.models import Session

    start = timezone.now() - dt.timedelta(days=1)
    Session.objects.bulk_create(
        [
            Session(
                detainee=detainee,
                author=consultant,
                started_at=start - dt.timedelta(hours=i),
                duration_minutes=30,
                modality=Session.Modality.IN_PERSON_PRISON,
                attendance=Session.Attendance.ATTENDED,
                engagement=3,
                summary=f"Gesprek {i}",
            )
            for i in range(60)
        ]
    )
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/{detainee.pk}/geschiedenis/")
    items = page.locator("ol.history > li")
    expect(items).to_have_count(25)
    # The first line names the change and its session's moment (one per session here).
    first_of_page_one = items.first.inner_text().splitlines()[0]
    page.get_by_role("link", name="Oudere wijzigingen").click()
    expect(page).to_have_url(re.compile(r"cursor="))
    expect(page.get_by_role("link", name="Nieuwere wijzigingen")).to_be_visible()
    expect(items).to_have_count(25)
    expect(items.first).not_to_contain_text(first_of_page_one)
    screenshot(page, "file_history_page_two")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nieuwere wijzigingen").click()
    expect(items.first).to_contain_text(first_of_page_one)
