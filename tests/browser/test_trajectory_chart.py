"""The goal-progress chart tells time truthfully (ADR 0027): 4 days are narrow, 4 months wide; names are never cut."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import LifeDomain
from tests.browser.conftest import axe_violations, login, screenshot
from trajectories import services

pytestmark = pytest.mark.browser

LONG_GOAL = (
    "Een erkend attest lassen behalen in de opleiding van de gevangenis en daarna solliciteren bij "
    "drie werkgevers in de regio"
)


@pytest.fixture(autouse=True)
def shipped_instruments(reference_data):
    """The live server's transactional flush removes the migration's instruments; put them back."""
    from django.apps import apps

    from trajectories.instruments import load

    load(apps)


@pytest.fixture
def reviewed(consultant, detainee):
    """An active trajectory with one goal reviewed three times: then 4 days later, then 4 months later."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=140)
    days = [first, first + dt.timedelta(days=4), first + dt.timedelta(days=4 + 122)]
    trajectory = services.trajectory_refer(
        detainee=detainee,
        user=consultant,
        referred_on=first - dt.timedelta(days=30),
        referred_by="psd",
        referral_reason="Aangemeld door de PSD",
    )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    for domain in LifeDomain.objects.filter(required=True):
        services.exploration_record(
            trajectory=trajectory,
            user=consultant,
            domain=domain,
            need="need",
            explored_on=first - dt.timedelta(days=20),
        )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="active")
    goal = services.goal_create(
        trajectory=trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="education_employment"),
        description=LONG_GOAL,
        agreed_with_detainee=True,
        agreed_on=first - dt.timedelta(days=10),
    )
    for day, progress in zip(days, (1, 2, 3), strict=True):
        services.goal_review_add(goal=goal, user=consultant, reviewed_on=day, progress=progress)
    return trajectory


# The pixel x of each point of the first line, and what the axis is, read from the Chart.js instance.
POINTS = """() => {
  const chart = Chart.getChart(document.getElementById('progress-chart'));
  return {type: chart.scales.x.type, xs: chart.getDatasetMeta(0).data.map(point => point.x)};
}"""


def test_the_progress_chart_spaces_reviews_by_time_and_keeps_whole_names(page, live_server, consultant, reviewed):
    base = live_server.url
    login(page, consultant, base_url=base)
    page.goto(f"{base}/trajecten/{reviewed.pk}/")
    expect(page.locator("#progress-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('progress-chart'))")

    # Per domain (one line: the mean of its goals) and per goal, the points lie where their dates are.
    for view in ("Per domein", "Per doel"):
        page.get_by_role("button", name=view, exact=True).click()
        scale = page.evaluate(POINTS)
        assert scale["type"] == "time"
        first, second, third = scale["xs"]
        four_days, four_months = second - first, third - second
        assert four_days > 0 and four_months > 10 * four_days, scale

    # The legend is a list in the page with the goal's whole description, wrapped, not cut.
    item = page.locator("#progress-legend button", has_text="Opleiding en tewerkstelling:")
    expect(item).to_have_text(f"Opleiding en tewerkstelling: {LONG_GOAL}")
    assert item.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    # A legend entry hides and shows its line.
    item.click()
    expect(item).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("() => !Chart.getChart(document.getElementById('progress-chart')).isDatasetVisible(0)")
    item.click()
    expect(item).to_have_attribute("aria-pressed", "true")

    # The table stays the other way to read the same figures.
    page.get_by_text("Als tabel").click()
    expect(page.get_by_role("table", name="Evaluaties per doel (voortgang 0 tot 4)")).to_contain_text(LONG_GOAL)
    assert axe_violations(page) == []

    for language, heading in (
        ("nl-be", "Voortgang van de doelen"),
        ("fr-be", "Progression des objectifs"),
        ("en", "Progress of the goals"),
    ):
        consultant.language = language
        consultant.save(update_fields=["language"])
        page.goto(f"{base}/trajecten/{reviewed.pk}/?taal={language}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('progress-chart'))")
        page.get_by_role(
            "button", name={"nl-be": "Per doel", "fr-be": "Par objectif", "en": "Per goal"}[language]
        ).click()
        page.locator("#voortgang").scroll_into_view_if_needed()
        screenshot(page, f"trajectory_progress_chart_{language[:2]}")


def test_the_file_tab_shows_the_trajectory_in_brief(page, live_server, consultant, reviewed):
    base = live_server.url
    login(page, consultant, base_url=base)
    page.goto(f"{base}/gedetineerden/{reviewed.detainee_id}/")
    page.get_by_role("tab", name="Traject").click()
    expect(page.get_by_role("heading", name="Doelen per levensdomein")).to_be_visible()
    expect(page.locator(".traj-file-goals .goal-cell", has_text=LONG_GOAL)).to_be_visible()
    expect(page.locator(".traj-file-goals .progress-score")).to_have_text("3/4")
    assert axe_violations(page) == []
    screenshot(page, "file_trajectory_tab_nl")
    page.get_by_role("link", name=f"Evalueren {LONG_GOAL}").click()
    expect(page.get_by_role("heading", name="Doel evalueren")).to_be_visible()
