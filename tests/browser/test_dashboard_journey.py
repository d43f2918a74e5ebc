"""A manager opens the dashboard, reads the charts and their tables, and follows a figure to the list behind it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, login, screenshot
from tests.factories import SessionFactory
from tests.reporting.factories import detainee, trajectory

pytestmark = pytest.mark.browser


@pytest.fixture
def files(caw, consultant):
    today = timezone.localdate()
    waiting = detainee(caw, consultant, first_name="Amina", last_name="Bakkali", search_name="amina bakkali")
    trajectory(waiting, [("referred", today - dt.timedelta(days=12))])
    active = detainee(caw, consultant, first_name="Karim", last_name="Mertens", search_name="karim mertens")
    trajectory(
        active,
        [
            ("referred", today - dt.timedelta(days=90)),
            ("intake", today - dt.timedelta(days=80)),
            ("active", today - dt.timedelta(days=60)),
        ],
        goals=[("education_employment", True)],
    )
    for days in (3, 40, 70):
        SessionFactory(detainee=active, author=consultant, started_at=timezone.now() - dt.timedelta(days=days))


def test_manager_reads_the_dashboard_and_opens_a_figure(page, live_server, manager, files):
    base = live_server.url
    login(page, manager, base_url=base)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    # The charts are drawn by Chart.js from the vendored file (no CDN) and carry a text alternative.
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-sessions') !== undefined")
    assert page.evaluate("() => Chart.getChart('chart-sessions').data.datasets[0].data.reduce((a, b) => a + b, 0)") == 3
    expect(page.locator("#chart-sessions")).to_have_attribute("role", "img")
    expect(page.get_by_text("Cijfers als tabel").first).to_be_visible()
    screenshot(page, "manager_dashboard")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Wachtende aanmeldingen").click()
    expect(page.get_by_role("heading", name="Wachtende aanmeldingen")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Amina Bakkali")
    screenshot(page, "manager_dashboard_list")
