"""Errors tied to their fields (WCAG 3.3.1, 1.3.1): a refused field is marked invalid and its error text
is part of its accessible description, in the hand-written forms as in the crispy ones."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_a_refused_session_names_the_error_on_the_field(page, live_server, consultant, detainee):
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/{detainee.pk}/contactmoment/")
    page.get_by_label("Duur (minuten)").fill("0")
    page.get_by_label("Samenvatting").fill("x" * 10)
    page.get_by_label("Samenvatting").press("Control+Enter")
    expect(page.get_by_text("Het contactmoment is niet opgeslagen.")).to_be_visible()
    duration = page.get_by_label("Duur (minuten)")
    expect(duration).to_have_attribute("aria-invalid", "true")
    expect(duration).to_have_accessible_description("De duur moet tussen 1 minuut en 12 uur liggen.")
    # A valid field keeps its help text as description and is not marked.
    summary = page.get_by_label("Samenvatting")
    expect(summary).not_to_have_attribute("aria-invalid", "true")
    expect(summary).to_have_accessible_description(re.compile("^Zichtbaar voor je team"))
    assert axe_violations(page) == []


def test_a_refused_login_and_a_refused_new_file_name_their_errors(page, live_server, consultant):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Aanmelden").click()
    login_field = page.get_by_label("Gebruikersnaam")
    expect(login_field).to_have_attribute("aria-invalid", "true")
    expect(login_field).to_have_accessible_description("Dit veld is vereist.")

    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/nieuw/")
    page.get_by_label("Voornaam").fill("Karim")
    page.get_by_role("button", name="Dossier aanmaken").click()
    last_name = page.get_by_label("Familienaam")
    expect(last_name).to_have_attribute("aria-invalid", "true")
    expect(last_name).to_have_accessible_description("Dit veld is vereist.")
