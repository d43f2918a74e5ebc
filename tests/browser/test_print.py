"""The detainee file on paper: the record prints, the controls do not (static/css/app.css, @media print)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.factories import ListingFactory, NetworkPersonFactory, SessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def file_with_content(detainee, consultant):
    ListingFactory(detainee=detainee, category="ftf", threat_level=3)
    NetworkPersonFactory(detainee=detainee, name="Fatima El Amrani", relation="parent", influence="positive")
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Gesprek over werk in de keuken.",
        confidential_notes="Broer zoekt opnieuw contact.",
    )
    return detainee


def displayed(page, selector: str) -> list[bool]:
    """Per match: whether it is laid out at all (an element inside a hidden one has no boxes)."""
    return page.eval_on_selector_all(selector, "els => els.map(el => el.getClientRects().length > 0)")


@pytest.mark.parametrize(
    "tab, content",
    [
        ("contactmomenten", "Gesprek over werk in de keuken."),
        ("netwerk", "Fatima El Amrani"),
    ],
)
def test_the_file_prints_the_record_without_the_controls(
    page, live_server, consultant, file_with_content, tab, content
):
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/{file_with_content.pk}/{tab}/")
    # On screen: navigation, tabs and buttons are there.
    assert all(displayed(page, ".app-navbar, .file-tabs, .file-header .btn"))
    page.emulate_media(media="print")
    for controls in (".app-navbar", ".breadcrumb", ".file-tabs", ".btn", "a[href*='/bewerken/']", ".skip-link"):
        assert not any(displayed(page, controls)), f"{controls} would print"
    expect(page.get_by_role("heading", name="Youssef El Amrani")).to_be_visible()
    expect(page.locator(".file-header dl")).to_contain_text("Hoofdconsulent")
    expect(page.locator("#tab-content")).to_contain_text(content)
    expect(page.locator(".app-footer")).to_contain_text("Vertrouwelijk")  # the confidentiality line prints
    screenshot(page, f"file_print_{tab}")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
