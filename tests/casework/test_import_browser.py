"""Browser journey: a manager checks an in-scope list with errors, then imports only the valid rows.

Runs in the system Chromium with the helpers and fixtures of tests/browser/conftest.py.
"""

from pathlib import Path

import pytest

from accounts.models import Organisation
from casework.models import Detainee
from tests.browser.conftest import *  # noqa: F403 - the browser fixtures (live server, Chromium, reference data)

# Underscore names are not exported by *: the module fixture that reloads the flushed reference data.
from tests.browser.conftest import _restore_reference_data, axe_violations, login, screenshot  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def import_manager(reference_data):
    return UserFactory(
        username="import_manager", manager=True, organisation=Organisation.objects.get(name="CAW Limburg")
    )


def test_manager_checks_the_list_and_imports_the_valid_rows(page, base_url, import_manager):
    login(page, import_manager, base_url=base_url)
    page.goto(f"{base_url}/gedetineerden/import/")
    assert axe_violations(page) == []
    screenshot(page, "import-1-upload")

    page.get_by_label("CSV- of XLSX-bestand").set_input_files(str(FIXTURES / "in_scope_with_errors.csv"))
    page.get_by_role("button", name="Controleren").click()
    # The mapping step: every column understood; nothing checked yet.
    page.wait_for_selector("table.import-mapping")
    assert "UTF-8" in page.locator(".import-read-as").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "import-1b-mapping")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_selector("table.import-errors")
    assert "4 rijen bevatten fouten" in page.content()
    assert page.locator("table.import-errors tbody tr").count() == 5
    assert axe_violations(page) == []
    screenshot(page, "import-2-report-with-errors")
    assert not Detainee.objects.exists()

    page.get_by_role("button", name="Enkel de 2 geldige rijen importeren").click()
    page.wait_for_selector("text=Import voltooid: 2 nieuw")
    screenshot(page, "import-3-done")
    assert set(Detainee.objects.values_list("external_ref", flat=True)) == {"EPI-0001", "EPI-0006"}


def test_a_clean_list_is_imported_after_confirmation_and_again_changes_nothing(page, base_url, import_manager):
    login(page, import_manager, base_url=base_url)
    for expected in ("3 nieuw, 0 bijgewerkt, 0 ongewijzigd", "0 nieuw, 0 bijgewerkt, 3 ongewijzigd"):
        page.goto(f"{base_url}/gedetineerden/import/")
        page.get_by_label("CSV- of XLSX-bestand").set_input_files(str(FIXTURES / "in_scope_valid.csv"))
        page.get_by_role("button", name="Controleren").click()
        page.wait_for_selector("table.import-mapping")
        page.get_by_role("button", name="Controleren").click()
        page.wait_for_selector("text=Alle rijen zijn in orde")
        screenshot(page, "import-4-report-clean")
        page.get_by_role("button", name="3 rijen importeren").click()
        page.wait_for_selector(f"text=Import voltooid: {expected}")
    assert Detainee.objects.count() == 3
