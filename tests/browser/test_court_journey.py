"""A consultant records the sentence enforcement court's condition on a release, with a reporting deadline to
the justice house; the deadline already due is in his notifications; he writes the report under the court's
mandate and downloads the PDF, which holds the facts of the follow-up and nothing of its content."""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Disclosure, LifeDomain
from notifications import services as engine
from tests.browser.conftest import axe_violations, login, screenshot
from tests.factories import SessionFactory
from trajectories import services
from trajectories.models_court import CourtCondition, CourtReport
from trajectories.services.release import trajectory_release

pytestmark = pytest.mark.browser


@pytest.fixture
def released(detainee, consultant):
    today = timezone.localdate()
    trajectory = services.trajectory_refer(
        detainee=detainee, user=consultant, referred_on=today - dt.timedelta(days=90), referred_by="psd"
    )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    for domain in LifeDomain.objects.filter(required=True):
        services.exploration_record(
            trajectory=trajectory,
            user=consultant,
            domain=domain,
            need="need",
            explored_on=today - dt.timedelta(days=60),
        )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="active")
    return trajectory_release(
        trajectory=trajectory,
        user=consultant,
        released_on=today - dt.timedelta(days=10),
        modality="conditional_release",
        destination_municipality="Genk",
    )


def test_consultant_records_a_condition_and_writes_the_report(
    page, live_server, consultant, detainee, released, tmp_path
):
    base = live_server.url
    today = timezone.localdate()
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Sprak over zijn broer",
        confidential_notes="Heel vertrouwelijk",
        started_at=timezone.now() - dt.timedelta(days=2),
    )
    login(page, consultant, base_url=base)

    page.goto(f"{base}/trajecten/{released.trajectory_id}/nazorg/")
    page.get_by_role("link", name="Voorwaarden van de rechtbank").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorwaarden van de rechtbank")
    expect(page.get_by_text("Geen voorwaarden vastgelegd.")).to_be_visible()

    # An end before the start is refused next to the field; nothing is recorded.
    page.get_by_label("Soort voorwaarde").select_option("disengagement")
    page.get_by_label("Tekst van de voorwaarde").fill("Een disengagementtraject volgen bij Ceapire.")
    page.get_by_label("Strafuitvoeringsrechtbank").fill("SURB Antwerpen")
    page.get_by_label("Datum van het vonnis").fill((today - dt.timedelta(days=20)).isoformat())
    page.get_by_label("Referentie van het vonnis").fill("VI/2025/77")
    page.get_by_label("Geldt vanaf").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_label("Geldt tot").fill((today - dt.timedelta(days=11)).isoformat())
    page.get_by_label("Toezichthoudende dienst").select_option(label="Justitiehuis")
    page.get_by_label("De rechtbank vraagt onze dienst te rapporteren over deze voorwaarde").check()
    page.get_by_label("Rapporteringstermijnen").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Voorwaarde vastleggen").click()
    expect(page.get_by_text("Het einde ligt vóór het begin van de voorwaarde.")).to_be_visible()
    assert not CourtCondition.objects.exists()
    screenshot(page, "court_condition_error")

    page.get_by_label("Geldt tot").fill((today + dt.timedelta(days=700)).isoformat())
    page.get_by_role("button", name="Voorwaarde vastleggen").click()
    expect(page.get_by_text("Voorwaarde van de rechtbank vastgelegd.")).to_be_visible()
    expect(page.get_by_text("VI/2025/77")).to_be_visible()
    expect(page.locator("tr[id^=termijn-]")).to_have_count(1)
    assert axe_violations(page) == []
    screenshot(page, "court_conditions")

    # The deadline due today is reminded at once; the sweep brings it to the bell.
    engine.reminders_sweep()
    page.reload()
    # Two: the proposal of a handover conference made at the release, and the deadline.
    expect(page.locator(".notification-bell .notification-count")).to_have_text("2")
    page.locator(".notification-bell").click()
    expect(page.get_by_text("verwacht Justitiehuis een verslag over een voorwaarde")).to_be_visible()
    page.go_back()

    # The report for the deadline, in French for the justice house.
    page.get_by_label("Voor termijn").select_option(index=1)
    page.get_by_label("Taal van het verslag").select_option("fr-be")
    page.get_by_role("button", name="Verslag opmaken").click()
    expect(page.get_by_text("Het verslag is opgemaakt en als verstrekking gelogd.")).to_be_visible()
    expect(page.locator("tr[id^=termijn-]")).to_contain_text("Gerapporteerd")
    report = CourtReport.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF downloaden").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Rapport sur une condition du tribunal de l'application des peines" in text
    assert detainee.full_name in text and "SURB Antwerpen" in text and "A eu lieu" in text
    assert "broer" not in text and "vertrouwelijk" not in text
    disclosure = Disclosure.objects.get(pk=report.disclosure_id)
    assert (disclosure.basis, disclosure.purpose) == ("legal_obligation", "supervision")
    assert axe_violations(page) == []
    screenshot(page, "court_report_written")
