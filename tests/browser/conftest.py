"""Browser journeys: pytest-playwright on the system Chromium against Django's live server.

- Chromium comes from the system (`/usr/bin/chromium`); `playwright install` is never run.
- `live_server` needs `transactional_db`, which empties every table after each test, the migration's
  reference data included. `reference_data` loads it again before each journey (the loader is
  idempotent), with the Site row allauth expects, and `_restore_reference_data` loads it once more after
  the last flush of each module, so the next run on the reused test database (`--reuse-db`) still finds it.
- Playwright's sync API keeps an event loop running in the test thread for the whole session (the
  browser is session-wide); Django refuses database calls from such a thread unless
  DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set when this directory is collected, for the session, since
  the flush after the last journey also runs next to that loop.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "demo-password-123"  # what tests.factories.UserFactory sets
AXE_URL = "/static/vendor/axe-core/axe.min.js"  # from our own origin: the CSP allows no inline script


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "nl-BE",
        "timezone_id": "Europe/Brussels",
        "viewport": {"width": 1366, "height": 900},
    }


os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _load_reference_data() -> None:
    """The data migrations' rows (one loader for the whole suite: tests/conftest.py)."""
    from tests.conftest import load_migrated_data

    load_migrated_data()


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker):
    """Torn down after the last journey of the module, so after its flush: put the reference data back."""
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Reload what the reference-data migration inserted (flushed by the previous transactional test)."""
    _load_reference_data()


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright resolves relative URLs against this (pytest-django's live server is session-wide)."""
    return live_server.url


def login(page, user, *, base_url: str, password: str = PASSWORD) -> None:
    """Log in through the real login form, as a person would (in whatever language the page is shown)."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(user.username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core on the page; return the violations of the given impacts."""
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
