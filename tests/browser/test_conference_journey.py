"""Journey: a director schedules a case conference, records attendance and minutes, approves them as
chair and downloads the PDF — in real headless Chromium against the live server."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Organisation, Prison
from casusoverleg.models import Conference, MinutesCopy
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def cast():
    caw = Organisation.objects.get(name="CAW Limburg")
    consultant = UserFactory(
        username="j-consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters"
    )
    director = UserFactory(username="j-director", director=True, first_name="Marc", last_name="Jacobs")
    Prison.objects.get(code="hasselt").directors.add(director)
    detainee = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        lead_consultant=consultant,
        search_name="youssef el amrani",
    )
    ConsentFactory(
        detainee=detainee,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=consultant,
        scopes=["identity", "minutes"],
    )
    return {"director": director, "consultant": consultant, "detainee": detainee}


def test_director_schedules_records_minutes_approves_and_downloads_the_pdf(page, base_url, cast, tmp_path):
    director, detainee = cast["director"], cast["detainee"]
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, director, base_url=base_url)

    page.goto(f"{base_url}/casusoverleg/")
    expect(page.get_by_role("heading", name="Planning casusoverleg")).to_be_visible()
    expect(page.locator(".fc-timegrid")).to_be_visible()
    expect(page.locator("#proposals-title")).to_contain_text("Voorstellen")
    screenshot(page, "conference-calendar")

    # Schedule yesterday's meeting (recorded afterwards), in the director's prison.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_role("link", name="Overleg plannen").first.click()
    page.get_by_role("combobox", name="Gedetineerde").select_option(str(detainee.pk))
    page.locator("#id_day").fill(yesterday.isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("11:30")
    page.get_by_label("Lokaal").fill("Vergaderzaal directie")
    screenshot(page, "conference-form")
    page.get_by_role("button", name="Plannen en uitnodigen").click()
    expect(page.get_by_text("Het overleg is gepland")).to_be_visible()
    conference = Conference.objects.get(detainee=detainee)

    # Attendance, then the minutes in the htmx editor.
    for box in page.locator("input[name='present']").all():
        box.check()
    page.get_by_role("button", name="Aanwezigheden bewaren").click()
    expect(page.get_by_text("Aanwezigheden bewaard.")).to_be_visible()
    editor = page.locator("#minutes-editor")
    expect(editor.get_by_role("button", name="Verslag bewaren")).to_be_visible()
    editor.locator("textarea[name^='note-']").first.fill("Acties van vorig overleg overlopen; alles loopt.")
    editor.get_by_label("Beslissing 1").fill("Voorbereiding penitentiair verlof starten.")
    editor.locator("select[name='decision-0-consensus']").select_option("no")
    editor.get_by_label("Niet akkoord: wie").fill("PSD")
    editor.get_by_label("Waarom").fill("Eerst een nieuwe risico-inschatting.")
    editor.get_by_label("Actie 1").fill("Nieuwe risico-inschatting plannen")
    editor.locator("select[name='action-0-owner']").select_option(f"user:{cast['consultant'].pk}")
    editor.get_by_label("Uiterlijk op").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    editor.get_by_role("button", name="Verslag bewaren").click()
    expect(page.get_by_text("Bewaard (revisie 1)")).to_be_visible()
    screenshot(page, "conference-minutes-editor")
    assert axe_violations(page) == []

    # Approve as chair: the page reloads with the minutes locked and the PDF available.
    page.get_by_role("button", name="Goedkeuren als voorzitter").click()
    expect(page.get_by_text("Het verslag is goedgekeurd en ligt vast")).to_be_visible()
    expect(page.locator("#minutes-editor")).to_have_count(0)
    expect(page.get_by_text("Bericht aan de deelnemers")).to_be_visible()
    screenshot(page, "conference-approved")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Verslag (PDF)").click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert target.name == f"verslag-{conference.reference}-v1.pdf"
    conference.refresh_from_db()
    assert conference.status == Conference.Status.MINUTES_APPROVED
    assert MinutesCopy.objects.filter(minutes__conference=conference).exists()

    # The conference appears on the detainee's file, with the rules' next proposals.
    page.goto(f"{base_url}/casusoverleg/dossier/{detainee.pk}/")
    expect(page.get_by_role("tab", name="Casusoverleg")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".timeline-item")).to_have_count(1)
    screenshot(page, "conference-file-tab")
