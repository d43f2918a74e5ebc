"""A consultant logs in, finds a detainee with the live search, logs a session, and sees it on the timeline."""

import pytest
from playwright.sync_api import expect

from casework.text import fold
from tests.browser.conftest import axe_violations, login, screenshot
from tests.factories import DetaineeFactory, SessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def caseload(consultant, caw, hasselt, detainee):
    for first, last in [("Jonas", "Peeters"), ("Emre", "Çelik"), ("Lotte", "Janssens")]:
        other = DetaineeFactory(
            first_name=first,
            last_name=last,
            search_name=fold(f"{first} {last}"),
            organisation=caw,
            current_prison=hasselt,
            lead_consultant=consultant,
        )
        SessionFactory(detainee=other, author=consultant)
    return detainee


def search(page, text: str) -> None:
    """Type in the live search and wait for its htmx answer (debounced by 300 ms)."""
    with page.expect_response(lambda response: "/gedetineerden/?q=" in response.url):
        page.get_by_label("Zoek op naam").fill(text)


def test_consultant_logs_a_session_from_search_to_timeline(page, live_server, consultant, caseload):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    screenshot(page, "login")
    login(page, consultant, base_url=base)
    expect(page.get_by_role("heading", name="Mijn dag")).to_be_visible()
    screenshot(page, "my_day")

    page.get_by_role("link", name="Gedetineerden").first.click()
    expect(page.get_by_role("heading", name="Gedetineerden")).to_be_visible()
    # The live search replaces the results without a page load, and keeps the URL shareable.
    search(page, "AMRANI")
    expect(page.locator("#caseload-results tbody tr")).to_have_count(1)
    expect(page).to_have_url(f"{base}/gedetineerden/?q=AMRANI&prison=&scope=&legal_status=")
    search(page, "celik")  # accents do not matter
    expect(page.locator("#caseload-results tbody tr")).to_have_count(1)
    expect(page.locator("#caseload-results")).to_contain_text("Çelik")
    search(page, "")
    expect(page.locator("#caseload-results tbody tr")).to_have_count(4)
    screenshot(page, "caseload")
    assert axe_violations(page) == []

    search(page, "el amr")
    expect(page.locator("#caseload-results tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Youssef El Amrani").click()
    expect(page.get_by_role("heading", name="Youssef El Amrani")).to_be_visible()

    page.get_by_role("link", name="Contactmoment registreren").first.click()
    expect(page.get_by_label("Tijdstip")).to_be_focused()
    # Attendance other than "attended" hides the engagement score; back to attended shows it again.
    page.get_by_label("Aanwezigheid").select_option("no_show")
    expect(page.locator("#engagement-group")).to_be_hidden()
    page.get_by_label("Aanwezigheid").select_option("attended")
    expect(page.locator("#engagement-group")).to_be_visible()
    page.get_by_label("4", exact=True).check()
    # The domains are one searchable control (tom-select): type, Enter.
    page.get_by_role("combobox", name="Levensdomeinen").fill("Opleiding")
    page.keyboard.press("Enter")
    expect(page.locator("#id_domains option:checked")).to_have_text("Opleiding en tewerkstelling")
    page.get_by_label("Samenvatting").fill("Gesprek over een opleiding lassen na de vrijlating.")
    page.get_by_label("Vertrouwelijke notities").fill("Twijfelt nog over contact met oude vrienden.")
    screenshot(page, "session_form")
    assert axe_violations(page) == []
    # Ctrl+Enter submits from any field.
    page.get_by_label("Vertrouwelijke notities").press("Control+Enter")

    page.wait_for_url(f"{base}/gedetineerden/{caseload.pk}/contactmomenten/")
    expect(page.get_by_text("Het contactmoment is opgeslagen.")).to_be_visible()
    item = page.locator(".timeline-item").first
    expect(item).to_contain_text("Gesprek over een opleiding lassen na de vrijlating.")
    expect(item).to_contain_text("Twijfelt nog over contact met oude vrienden.")
    expect(item).to_contain_text("Opleiding en tewerkstelling")
    screenshot(page, "file_timeline")
    assert axe_violations(page) == []

    # The other tabs load in place with htmx and get a URL of their own.
    page.get_by_role("tab", name="Plaatsingen en vermeldingen").click()
    expect(page).to_have_url(f"{base}/gedetineerden/{caseload.pk}/plaatsingen/")
    expect(page.get_by_role("heading", name="Plaatsingen")).to_be_visible()
    page.get_by_role("tab", name="Geschiedenis").click()
    expect(page.get_by_role("heading", name="Geschiedenis")).to_be_visible()
    screenshot(page, "file_history")
