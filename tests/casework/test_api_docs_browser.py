"""Browser check: the Swagger UI renders under the strict CSP, from local assets only."""

import pytest

from accounts.models import Organisation
from tests.browser.conftest import *  # noqa: F403 - the browser fixtures (live server, Chromium, reference data)

# Underscore names are not exported by *: the module fixture that reloads the flushed reference data.
from tests.browser.conftest import _restore_reference_data, login, screenshot  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_api_from_local_assets(page, base_url, reference_data):
    user = UserFactory(
        username="docs_reader", consultant=True, organisation=Organisation.objects.get(name="CAW Limburg")
    )
    external, csp_errors = [], []
    page.on("request", lambda request: external.append(request.url) if not request.url.startswith(base_url) else None)
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    login(page, user, base_url=base_url)
    page.goto(f"{base_url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/detainees/", timeout=15000)
    screenshot(page, "api-docs")
    assert external == []
    assert csp_errors == []
