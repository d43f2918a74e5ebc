"""In a real Chromium: the full login with MFA, then the main pages of each role, with the CSP
enforced — the browser must report no CSP violation and no page may run inline script."""

from __future__ import annotations

import os

import pytest

from tests.security.conftest import PASSWORD, TOTP_SECRET, totp_code
from tests.security.test_api_fuzz import _load_reference_data, _restore_reference_data  # noqa: F401

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls next to it otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright's session browser (shared with tests/browser): the system Chromium, never a download.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture
def people(transactional_db, settings):
    _load_reference_data()
    from accounts.models import Organisation
    from accounts.services import user_enrol_totp
    from tests.factories import ConsentFactory, DetaineeFactory, SessionFactory, UserFactory

    settings.DISENGAGE_MFA_REQUIRED = True
    caw = Organisation.objects.get(name="CAW Limburg")
    consultant = UserFactory(username="csp_consultant", consultant=True, organisation=caw)
    dpo = UserFactory(username="csp_dpo", dpo=True, organisation=caw)
    for user in (consultant, dpo):
        user_enrol_totp(user=user, secret=TOTP_SECRET)
    detainee = DetaineeFactory(organisation=caw, lead_consultant=consultant)
    ConsentFactory(detainee=detainee, organisation=Organisation.objects.get(name="VDAB"), explained_by=consultant)
    SessionFactory(detainee=detainee, author=consultant)
    return {"consultant": consultant, "dpo": dpo, "detainee": detainee}


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("#id_code", totp_code())
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def test_no_csp_violation_on_the_main_pages(live_server, people, browser):
    detainee = people["detainee"].pk
    pages = {
        "csp_consultant": [
            "/",
            "/gedetineerden/",
            f"/gedetineerden/{detainee}/",
            f"/gedetineerden/{detainee}/netwerk/",
            f"/gedetineerden/{detainee}/contactmoment/",
            f"/privacy/gedetineerden/{detainee}/verstrekkingen/",
            "/casusoverleg/",
            "/meldingen/",
            "/accounts/2fa/",
        ],
        "csp_dpo": ["/privacy/raadplegingen/", "/privacy/verstrekkingen/", "/privacy/bewaring/", "/privacy/inzage/"],
    }
    violations, visited = [], []
    for username, paths in pages.items():
        context = browser.new_context()
        page = context.new_page()
        page.on(
            "console",
            lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
        )
        login(page, live_server.url, username)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            assert response.status == 200, f"{username} {path} -> {response.status}"
            assert "script-src 'self'" in response.headers["content-security-policy"]
            # Give htmx (the bell) and FullCalendar time to run.
            page.wait_for_timeout(300)
            visited.append(path)
        context.close()
    assert len(visited) == 13
    assert violations == []
