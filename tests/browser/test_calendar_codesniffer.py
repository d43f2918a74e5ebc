"""The planning calendar under a second accessibility engine: HTML_CodeSniffer (vendored, WCAG2AA) finds no
error in the week and month views, with conferences and the rules' proposals on screen. axe-core checks
every page elsewhere; the calendar library's markup is where the two engines disagreed."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Organisation, Prison
from casusoverleg import services
from tests.factories import DetaineeFactory, UserFactory

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

HTMLCS_URL = "/static/vendor/html_codesniffer/HTMLCS.js"
RUN_HTMLCS = """() => new Promise(resolve => {
  HTMLCS.process('WCAG2AA', document, () => {
    resolve(HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => ({
      code: m.code, msg: m.msg, html: (m.element.outerHTML || '').slice(0, 160)})));
  });
})"""


def _errors(page) -> list[dict]:
    page.add_script_tag(url=HTMLCS_URL)
    return page.evaluate(RUN_HTMLCS)


@pytest.fixture
def director_with_conferences():
    caw = Organisation.objects.get(name="CAW Limburg")
    director = UserFactory(username="cs-director", director=True, first_name="Marc", last_name="Jacobs")
    hasselt = Prison.objects.get(code="hasselt")
    hasselt.directors.add(director)
    consultant = UserFactory(username="cs-consultant", consultant=True, organisation=caw)
    today = timezone.localdate()
    for index in range(2):
        detainee = DetaineeFactory(
            organisation=caw,
            lead_consultant=consultant,
            current_prison=hasselt,
            incarcerated_on=today - dt.timedelta(days=400),
        )
        starts_at = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=index), dt.time(10 + index)))
        services.conference_schedule(
            user=director,
            detainee=detainee,
            prison=hasselt,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=1),
            location="Zaal 1",
        )
    DetaineeFactory(
        organisation=caw,
        lead_consultant=consultant,
        current_prison=hasselt,
        incarcerated_on=today - dt.timedelta(days=400),
    )  # overdue: a proposal on the calendar
    return director


def _open(page, base_url, director, view):
    login(page, director, base_url=base_url)
    page.goto(f"{base_url}/casusoverleg/")
    page.locator(".fc-view").first.wait_for()
    page.locator(f".fc-{view}-button").click()
    page.locator(".fc-event").first.wait_for()
    screenshot(page, f"calendar-codesniffer-{view}")


@pytest.mark.parametrize("view", ["timeGridDay", "timeGridWeek", "dayGridMonth"])
def test_the_planning_calendar_passes_html_codesniffer_wcag2aa(page, base_url, director_with_conferences, view):
    _open(page, base_url, director_with_conferences, view)
    assert _errors(page) == []


def test_the_list_of_conferences_is_our_own_page_and_passes_html_codesniffer(page, base_url, director_with_conferences):
    """The calendar offers no FullCalendar list view (its table model fails H43); the list is a page of ours."""
    login(page, director_with_conferences, base_url=base_url)
    page.goto(f"{base_url}/casusoverleg/")
    page.locator(".fc-view").first.wait_for()
    assert page.locator(".fc-listMonth-button, .fc-listWeek-button").count() == 0
    page.get_by_role("link", name="Toon alle komende overleggen als lijst").click()
    page.wait_for_url("**/casusoverleg/lijst/")
    screenshot(page, "calendar-codesniffer-list-page")
    assert _errors(page) == []
