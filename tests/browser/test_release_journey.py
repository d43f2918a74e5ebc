"""A consultant registers a release, the sweep reminds them, and they read it in the notification centre."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import LifeDomain
from notifications import services as engine
from tests.browser.conftest import axe_violations, login, screenshot
from trajectories import services
from trajectories.models import Status

pytestmark = pytest.mark.browser


@pytest.fixture
def active_trajectory(detainee, consultant):
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
    return trajectory


def test_consultant_registers_a_release_and_reads_the_reminder(page, live_server, consultant, active_trajectory):
    base = live_server.url
    today = timezone.localdate()
    login(page, consultant, base_url=base)

    page.goto(f"{base}/trajecten/{active_trajectory.pk}/nazorg/")
    expect(page.get_by_text("Nog geen vrijlating geregistreerd.")).to_be_visible()
    page.get_by_role("link", name="Vrijlating registreren").click()

    # A release date in the future is refused next to the field; nothing changes.
    page.get_by_label("Vrijgelaten op").fill((today + dt.timedelta(days=3)).isoformat())
    page.get_by_label("Modaliteit").select_option("conditional_release")
    page.get_by_label("Gemeente van bestemming").fill("Genk")
    page.get_by_label("Nazorgopvolgingen (maanden na vrijlating)").fill("1, 3, 6")
    page.get_by_role("button", name="Vrijlating registreren").click()
    expect(page.get_by_text("De vrijlating kan niet in de toekomst liggen.")).to_be_visible()
    screenshot(page, "release_form_error")

    page.get_by_label("Vrijgelaten op").fill(today.isoformat())
    page.get_by_role("button", name="Vrijlating registreren").click()
    expect(page.get_by_text("Vrijlating geregistreerd: het traject is nu in nazorg.")).to_be_visible()
    expect(page.locator(".follow-up")).to_have_count(3)
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == Status.AFTERCARE
    assert axe_violations(page) == []
    screenshot(page, "aftercare_page")

    # The sweep delivers the handover-conference proposal; the bell shows it after the page loads.
    assert engine.reminders_sweep().sent == 1
    page.reload()
    bell = page.locator(".notification-bell")
    expect(bell.locator(".notification-count")).to_have_text("1")
    bell.click()
    expect(page.get_by_role("heading", name="Meldingen")).to_be_visible()
    expect(page.get_by_text("Vrijlating geregistreerd: plan een overdrachtsoverleg")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "notification_centre")

    # Mark read with htmx: the row updates in place and the bell empties without a reload.
    page.get_by_role("button", name="Markeer als gelezen").click()
    expect(page.locator(".notification-item .status-pill")).to_have_text("Gelezen")
    expect(bell.locator(".notification-count")).to_have_count(0)
    screenshot(page, "notification_centre_read")


def test_in_english_a_twelve_month_aftercare_registered_late_and_shortened(
    page, live_server, consultant, active_trajectory
):
    """A release registered two months late, for a stabilisation coaching of twelve months; the +1 follow-up
    already passed is reminded at once; later the consultant shortens the aftercare to nine months. In English,
    no Dutch on the pages."""
    from tests.i18n.dutch import database_names, dutch_in

    consultant.language = "en"
    consultant.save(update_fields=["language"])
    base = live_server.url
    released = timezone.localdate() - dt.timedelta(days=60)
    login(page, consultant, base_url=base)
    page.goto(f"{base}/trajecten/{active_trajectory.pk}/vrijlating/")
    page.get_by_label("Released on").fill(released.isoformat())
    page.get_by_label("Modality").select_option("conditional_release")
    page.get_by_label("Destination municipality").fill("Genk")
    page.get_by_label("Length of aftercare").select_option("12")
    page.get_by_role("button", name="Record release").click()
    expect(page.locator(".follow-up")).to_have_count(5)
    expect(page.locator(".release-facts dd", has_text="12 months")).to_be_visible()
    assert dutch_in(page.content(), "en", allowed=database_names()) == []
    assert axe_violations(page) == []
    screenshot(page, "aftercare_twelve_months_en")

    # The +1 follow-up was due a month ago: its reminder is in the notification centre after the next sweep.
    engine.reminders_sweep()
    page.goto(f"{base}/meldingen/")
    expect(page.get_by_text("was due on")).to_be_visible()

    page.goto(f"{base}/trajecten/{active_trajectory.pk}/nazorg/")
    page.get_by_text("Change the length of aftercare").click()
    page.locator("#id_aftercare_months").select_option("9")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.get_by_text("The length of aftercare has been changed.")).to_be_visible()
    expect(page.locator(".release-facts dd", has_text="9 months")).to_be_visible()
    expect(page.locator(".follow-up .status-pill", has_text="Cancelled")).to_have_count(1)
    assert dutch_in(page.content(), "en", allowed=database_names()) == []
    screenshot(page, "aftercare_nine_months_en")
