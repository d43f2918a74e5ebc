"""The day's work in French and in English, and not a Dutch word on the way: a consultant logs a session from
the file, the director plans yesterday's conference, records attendance and minutes, approves them as chair and
downloads the PDF. Every page met is searched for Dutch (tests/i18n/dutch.py), the PDF's text too. What people
typed is typed in the reader's language; names of people, prisons and organisations are shown as typed."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from casework.models import Organisation, Prison, Session
from casusoverleg.models import Conference
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory
from tests.i18n.dutch import database_names, dutch_in
from tests.pdfcheck import text_of

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser

TYPED = {
    "fr-be": {
        "summary": "Entretien sur la formation; il reprend confiance.",
        "room": "Salle de réunion",
        "note": "Actions précédentes passées en revue.",
        "decision": "Préparer le congé pénitentiaire.",
        "action": "Planifier une nouvelle évaluation",
    },
    "en": {
        "summary": "Talked about the training; he regains confidence.",
        "room": "Meeting room",
        "note": "Previous actions reviewed.",
        "decision": "Prepare the prison leave.",
        "action": "Plan a new assessment",
    },
}


def _words(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def _no_dutch(page, language: str, where: str) -> None:
    found = dutch_in(page.content(), language, allowed=database_names())
    assert found == [], f"{where} [{language}]: {found}"


@pytest.fixture
def cast():
    caw = Organisation.objects.get(name="CAW Limburg")
    consultant = UserFactory(
        username="l-consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters"
    )
    director = UserFactory(username="l-director", director=True, first_name="Marc", last_name="Jacobs")
    Prison.objects.get(code="hasselt").directors.add(director)
    detainee = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        lead_consultant=consultant,
        search_name="youssef el amrani",
        current_prison=Prison.objects.get(code="hasselt"),
    )
    ConsentFactory(
        detainee=detainee,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=consultant,
        scopes=["identity", "minutes"],
    )
    return {"director": director, "consultant": consultant, "detainee": detainee}


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_a_day_in_one_language_meets_no_dutch(browser, base_url, cast, language, tmp_path):
    typed = TYPED[language]
    consultant, director, detainee = cast["consultant"], cast["director"], cast["detainee"]
    for user in (consultant, director):
        user.language = language
        user.save(update_fields=["language"])
    locale = {"fr-be": "fr-BE", "en": "en-GB"}[language]

    # The consultant logs a session from the file page.
    context = browser.new_context(locale=locale, timezone_id="Europe/Brussels", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    login(page, consultant, base_url=base_url)
    page.goto(f"{base_url}/gedetineerden/{detainee.pk}/")
    _no_dutch(page, language, "file")
    page.goto(f"{base_url}/gedetineerden/{detainee.pk}/contactmoment/")
    _no_dutch(page, language, "session form")
    page.locator("#id_summary").fill(typed["summary"])
    page.locator("#id_summary").press("Control+Enter")
    expect(page.get_by_text(_words(language, "Het contactmoment is opgeslagen."))).to_be_visible()
    assert Session.objects.filter(detainee=detainee, summary=typed["summary"]).exists()
    _no_dutch(page, language, "after the session")
    screenshot(page, f"language-journey-{language}-session")
    context.close()

    # The director plans yesterday's conference, records it and approves the minutes.
    context = browser.new_context(
        locale=locale, timezone_id="Europe/Brussels", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, director, base_url=base_url)
    page.goto(f"{base_url}/casusoverleg/")
    page.locator(".fc-view").first.wait_for()
    _no_dutch(page, language, "planning calendar")
    page.goto(f"{base_url}/casusoverleg/nieuw/")
    _no_dutch(page, language, "conference form")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.locator("#id_detainee").select_option(str(detainee.pk))
    page.locator("#id_day").fill(yesterday.isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("11:30")
    page.locator("#id_location").fill(typed["room"])
    page.get_by_role("button", name=_words(language, "Plannen en uitnodigen")).click()
    expect(
        page.get_by_text(_words(language, "Het overleg is gepland; de uitnodigingen worden verstuurd."))
    ).to_be_visible()
    conference = Conference.objects.get(detainee=detainee)
    _no_dutch(page, language, "conference page")

    for box in page.locator("input[name='present']").all():
        box.check()
    page.get_by_role("button", name=_words(language, "Aanwezigheden bewaren")).click()
    expect(page.get_by_text(_words(language, "Aanwezigheden bewaard."))).to_be_visible()
    editor = page.locator("#minutes-editor")
    editor.locator("textarea[name^='note-']").first.fill(typed["note"])
    editor.locator("[name='decision-0-text']").fill(typed["decision"])
    editor.locator("[name='action-0-description']").fill(typed["action"])
    editor.locator("select[name='action-0-owner']").select_option(f"user:{consultant.pk}")
    editor.locator("[name='action-0-due_on']").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    editor.get_by_role("button", name=_words(language, "Verslag bewaren")).click()
    expect(editor.get_by_text("(", exact=False).first).to_be_visible()
    page.get_by_role("button", name=_words(language, "Goedkeuren als voorzitter")).click()
    expect(
        page.get_by_text(
            _words(
                language,
                "Het verslag is goedgekeurd en ligt vast. De gerechtigde deelnemers krijgen bericht om het te lezen.",
            )
        )
    ).to_be_visible()
    _no_dutch(page, language, "approved conference")
    screenshot(page, f"language-journey-{language}-approved")
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.locator(f"a[href^='/casusoverleg/{conference.pk}/verslag.pdf']").first.click()
    pdf = tmp_path / "copy.pdf"
    download.value.save_as(pdf)
    text = text_of(pdf.read_bytes())
    for dutch in (
        "VERTROUWELIJK",
        "Verslag casusoverleg",
        "Deelnemers",
        "Beslissingen",
        "Acties",
        "Voorzitter",
        "Grondslag",
        "Vingerafdruk",
        "Pagina",
        "Geen notities bij dit punt",
    ):
        assert dutch not in text, f"{dutch!r} in the {language} minutes PDF"
    assert typed["decision"] in text.replace("\n", " ")
    context.close()
