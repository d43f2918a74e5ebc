"""Two days' work in the browser: the manager compares planned and held contacts per consultant (from the
dashboard), and the DPO finds a person for a subject-access request by a misspelt name and the date of birth and downloads the
export in French. The data is built relative to today, so the journeys hold on any day."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import PlannedContact
from tests.browser.conftest import axe_violations, login, screenshot
from tests.factories import DetaineeFactory, SessionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def diary(consultant, colleague, detainee, hasselt):
    """Over the last fortnight: the consultant planned three visits (one held, one not logged, one cancelled),
    his colleague one, held."""
    now = timezone.now()

    def plan(who, days_ago, **extra):
        return PlannedContact.objects.create(
            detainee=detainee, consultant=who, prison=hasselt, starts_at=now - dt.timedelta(days=days_ago), **extra
        )

    plan(
        consultant,
        9,
        session=SessionFactory(detainee=detainee, author=consultant, started_at=now - dt.timedelta(days=9)),
    )
    plan(consultant, 5)
    plan(consultant, 3, cancelled_at=now - dt.timedelta(days=4))
    plan(
        colleague, 2, session=SessionFactory(detainee=detainee, author=colleague, started_at=now - dt.timedelta(days=2))
    )


def test_manager_compares_planned_and_held_per_consultant(page, live_server, manager, consultant, colleague, diary):
    base = live_server.url
    login(page, manager, base_url=base)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Gepland en gehouden per consulent").click()
    expect(page.get_by_role("heading", name="Gepland en gehouden per consulent")).to_be_visible()
    rows = page.locator("table tbody tr")
    mine = rows.filter(has_text=str(consultant))
    expect(mine).to_have_count(1)
    # Due and not cancelled: 2 (1 held, 1 not logged); 1 cancelled; half of what was due was held.
    expect(mine.locator("td")).to_have_text([str(consultant), "2", "1", "1", "1", "50%"])
    expect(rows.filter(has_text=str(colleague)).locator("td")).to_have_text(
        [str(colleague), "1", "1", "0", "0", "100%"]
    )
    screenshot(page, "day_manager_planned_vs_held")
    assert axe_violations(page) == []


def test_dpo_finds_a_person_by_a_misspelt_name_and_exports_the_file_in_french(page, live_server, dpo, caw, hasselt):
    base = live_server.url
    person = DetaineeFactory(
        organisation=caw,
        first_name="Hendrik",
        last_name="Vandenbroeck",
        search_name="hendrik vandenbroeck",
        current_prison=hasselt,
        date_of_birth=dt.date(1990, 4, 2),
    )
    DetaineeFactory(
        organisation=caw,
        first_name="Sofie",
        last_name="Vandenbroeck",
        search_name="sofie vandenbroeck",
        current_prison=hasselt,
        date_of_birth=dt.date(1985, 11, 20),
    )
    login(page, dpo, base_url=base)
    page.goto(f"{base}/privacy/inzage/")
    page.locator("input[name=reference]").fill("vandenbroek")
    page.get_by_role("button", name="Dossier zoeken").click()
    # Two files answer the misspelt name; the date of birth tells them apart.
    candidates = page.locator(".subject-candidates tbody tr")
    expect(candidates).to_have_count(2)
    screenshot(page, "day_dpo_lookup")
    assert axe_violations(page) == []
    candidates.filter(has_text="02/04/1990").get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"Inzage dossier #{person.pk}")).to_be_visible()
    page.get_by_label("Taal van de export").select_option("fr-be")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export maken en downloaden").click()
    archive = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    names = archive.namelist()
    assert any(name.endswith(".pdf") for name in names) and any(name.endswith(".json") for name in names)
    assert b"%PDF-" == archive.read(next(n for n in names if n.endswith(".pdf")))[:5]
