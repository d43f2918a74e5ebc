"""Journey: a justice-house assistant plans an LIVC meeting after release on the court's mandate, adds an agenda
point, records attendance and minutes, approves them as chair and downloads the PDF — in real headless Chromium
against the live server (docs/adr/0041)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from casework.models import Organisation
from casework.services import detainee_update
from casusoverleg.models import Conference, MinutesCopy
from tests.factories import DetaineeFactory, OrganisationFactory, UserFactory

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser

NN = "93051822361"


@pytest.fixture
def cast():
    caw = Organisation.objects.get(name="CAW Limburg")
    consultant = UserFactory(
        username="m-consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters"
    )
    manager = UserFactory(username="m-manager", manager=True, organisation=caw)
    justice_house = OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house")
    organiser = UserFactory(
        username="m-organiser",
        role=User.Role.ORGANISER,
        organisation=justice_house,
        first_name="Lies",
        last_name="Janssens",
    )
    detainee = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        lead_consultant=consultant,
        search_name="youssef el amrani",
        current_prison=None,
        released_on=timezone.localdate() - dt.timedelta(days=40),
    )
    detainee_update(detainee=detainee, user=manager, national_number=NN)
    return {"organiser": organiser, "consultant": consultant, "detainee": detainee}


def test_an_livc_meeting_from_planning_to_approved_minutes(page, base_url, cast, tmp_path):
    organiser, detainee = cast["organiser"], cast["detainee"]
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, organiser, base_url=base_url)

    page.goto(f"{base_url}/casusoverleg/")
    page.get_by_role("link", name="Overleg buiten detentie plannen").first.click()
    expect(page.get_by_role("heading", name="Overleg buiten detentie plannen")).to_be_visible()
    assert axe_violations(page) == []
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Of: rijksregisternummer").fill(NN)
    page.locator("#id_day").fill(yesterday.isoformat())
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_end_time").fill("15:30")
    page.get_by_label("Plaats van het overleg").fill("LIVC Genk, stadhuis")
    page.get_by_label("Mandaat van de strafuitvoeringsrechtbank").check()
    # Without the judgment's reference: the error on its field, nothing planned.
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.get_by_text("Vermeld de referentie van het vonnis")).to_be_visible()
    assert not Conference.objects.filter(detainee=detainee).exists()
    page.get_by_label("Referentie vonnis strafuitvoeringsrechtbank").fill("SURB Antwerpen 2026/412")
    screenshot(page, "meeting-form")
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.get_by_text("Het overleg is gepland")).to_be_visible()
    conference = Conference.objects.get(detainee=detainee)
    assert (conference.kind, conference.prison_id, conference.chair_id) == ("livc", None, organiser.pk)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Overleg in de LIVC")
    expect(page.get_by_text("LIVC Genk, stadhuis").first).to_be_visible()

    # A free agenda point next to the generated ones.
    page.get_by_label("Vrij agendapunt").fill("Wonen en werk na vrijlating")
    page.get_by_role("button", name="Punt toevoegen").click()
    expect(page.locator("#agenda").get_by_text("Wonen en werk na vrijlating")).to_be_visible()

    for box in page.locator("input[name='present']").all():
        box.check()
    page.get_by_role("button", name="Aanwezigheden bewaren").click()
    expect(page.get_by_text("Aanwezigheden bewaard.")).to_be_visible()
    editor = page.locator("#minutes-editor")
    expect(editor.get_by_role("button", name="Verslag bewaren")).to_be_visible()
    editor.locator("textarea[name^='note-']").first.fill("Woont bij zijn broer; zoekt werk via VDAB.")
    editor.get_by_label("Beslissing 1").fill("Maandelijkse opvolging in de LIVC.")
    editor.get_by_label("Actie 1").fill("Afspraak VDAB regelen")
    editor.locator("select[name='action-0-owner']").select_option(f"user:{cast['consultant'].pk}")
    editor.get_by_label("Uiterlijk op").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    editor.get_by_role("button", name="Verslag bewaren").click()
    expect(page.get_by_text("Bewaard (revisie 1)")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Goedkeuren als voorzitter").click()
    expect(page.get_by_text("Het verslag is goedgekeurd en ligt vast")).to_be_visible()
    screenshot(page, "meeting-approved")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Verslag (PDF)").click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    conference.refresh_from_db()
    assert conference.status == Conference.Status.MINUTES_APPROVED
    assert MinutesCopy.objects.filter(
        minutes__conference=conference, participant__user=organiser, outcome=MinutesCopy.Outcome.SENT
    ).exists()

    # The file itself stays closed to him.
    response = page.goto(f"{base_url}/gedetineerden/{detainee.pk}/")
    assert response.status == 404
