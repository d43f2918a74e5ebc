"""A consultant starts a trajectory, explores the life domains, agrees a goal, reviews it twice and sees the trend."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import LifeDomain
from tests.browser.conftest import axe_violations, login, screenshot
from trajectories.models import Goal, GoalReview, Trajectory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def shipped_instruments(reference_data):
    """The live server's transactional flush removes the migration's instruments; put them back."""
    from django.apps import apps

    from trajectories.instruments import load

    load(apps)


def test_consultant_explores_agrees_a_goal_reviews_twice_and_sees_the_trend(page, live_server, consultant, detainee):
    base = live_server.url
    today = timezone.localdate()
    login(page, consultant, base_url=base)

    # The "Traject" tab of the file offers to register the referral.
    page.goto(f"{base}/gedetineerden/{detainee.pk}/")
    page.get_by_role("tab", name="Traject").click()
    expect(page.get_by_text("Nog geen traject")).to_be_visible()
    page.get_by_role("link", name="Aanmelding registreren").click()
    page.get_by_label("Aangemeld op").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_label("Aangemeld door").select_option("psd")
    page.get_by_label("Reden van aanmelding").fill("Aangemeld door de PSD na het onthaalgesprek")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Traject — Youssef El Amrani")).to_be_visible()
    trajectory = Trajectory.objects.get(detainee=detainee)

    # Intake; becoming active is refused while required domains are unexplored.
    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("Nieuwe status").select_option("intake")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".traj-step.is-current")).to_contain_text("Intake")
    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("Nieuwe status").select_option("active")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Eerst alle verplichte levensdomeinen verkennen")).to_be_visible()
    page.get_by_role("link", name="Annuleren").click()

    # Explore every required domain: four with an outcome, one deferred with a reason.
    required = list(LifeDomain.objects.filter(required=True))
    for index, domain in enumerate(required):
        page.get_by_role("link", name=f"Verkennen {domain.name}").click()
        if index == len(required) - 1:
            page.get_by_label("Nog niet verkend").check()
            page.get_by_label("Reden van uitstel").fill("Pas bespreekbaar na het proces")
        else:
            page.get_by_label("Nood", exact=True).check() if index % 2 == 0 else page.get_by_label("Geen nood").check()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text(f"Verkenning van '{domain.name}' bewaard.")).to_be_visible()
    expect(page.get_by_text("verplicht domein te verkennen")).to_have_count(0)
    screenshot(page, "trajectory_explored")

    page.get_by_role("link", name="Status wijzigen").click()
    page.get_by_label("Nieuwe status").select_option("active")
    page.get_by_label("Toelichting").fill("Trajectplan samen opgesteld")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".traj-step.is-current")).to_contain_text("Actief")

    # Agree a goal in "education and employment" with the detainee.
    page.get_by_role("link", name="Doel toevoegen Opleiding en tewerkstelling").click()
    page.locator("#id_description").fill("Opleiding lassen in de gevangenis afronden")
    page.get_by_label("Samen met de gedetineerde afgesproken").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het doel is toegevoegd.")).to_be_visible()
    expect(page.get_by_text("Succesindicator behaald")).to_be_visible()
    expect(page.locator(".traj-matrix")).to_contain_text("Afgesproken")

    # Review it twice: progress 1, two weeks later 3.
    for days_ago, label in ((14, "1 — beperkt"), (0, "3 — grotendeels")):
        page.get_by_role("link", name="Evalueren Opleiding lassen in de gevangenis afronden").click()
        page.get_by_label("Datum").fill((today - dt.timedelta(days=days_ago)).isoformat())
        page.get_by_label(label).check()
        page.get_by_label("Notitie").fill("Module gehaald" if days_ago == 0 else "Ingeschreven")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("De evaluatie is bewaard.")).to_be_visible()

    # The trend: latest progress with an upward arrow, the chart and its table alternative.
    expect(page.locator(".traj-matrix")).to_contain_text("3/4")
    expect(page.locator(".traj-matrix .trend-up")).to_be_visible()
    expect(page.locator("#progress-chart")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('progress-chart') !== undefined")
    assert page.evaluate("() => Chart.getChart('progress-chart').data.datasets.length") == 1
    page.get_by_role("button", name="Per doel").click()
    expect(page.get_by_role("button", name="Per doel")).to_have_attribute("aria-pressed", "true")
    page.get_by_text("Als tabel").click()
    expect(page.locator("#voortgang table").first).to_contain_text("1 → ")
    screenshot(page, "trajectory_trend")
    assert axe_violations(page) == []

    goal = Goal.objects.get(trajectory=trajectory)
    assert list(GoalReview.objects.filter(goal=goal).values_list("progress", flat=True)) == [1, 3]
    assert list(trajectory.status_changes.values_list("to_status", flat=True)) == ["referred", "intake", "active"]
