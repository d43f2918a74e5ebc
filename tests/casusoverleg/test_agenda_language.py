"""A generated agenda item keeps what it means and is read in each reader's language; the typed parts
(goal and action descriptions, names) stay as typed, and the Dutch words remain for the official minutes."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from casusoverleg.models import AgendaItem
from tests.trajectories.factories import ActionFactory, GoalFactory, GoalReviewFactory, TrajectoryFactory

from .conftest import BRUSSELS
from .factories import schedule


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _conference(director, detainee):
    ActionFactory(detainee=detainee, description="Attest van de opleiding opvragen", due_on=dt.date(2026, 3, 20))
    trajectory = TrajectoryFactory(detainee=detainee, status="active")
    goal = GoalFactory(trajectory=trajectory, description="Opleiding lassen afronden", status="agreed")
    GoalReviewFactory(goal=goal, reviewed_on=dt.date(2026, 2, 10), progress=3)
    return schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))


def test_the_item_is_stored_as_meaning_and_read_in_each_language(now, director, detainee):
    conference = _conference(director, detainee)
    goals = conference.agenda_items.get(source=AgendaItem.Source.GOALS)
    # The official (Dutch) words stay on the row for the minutes; the title is its own code.
    assert goals.title == "Doelen en voortgang" and "voortgang 3/4" in goals.body
    assert goals.body_parts
    with translation.override("fr-be"):
        assert goals.display_title == "Objectifs et progression"
        body = goals.display_body
        assert "Opleiding lassen afronden" in body and "Convenu" in body
        assert "voortgang" not in body and "Afgesproken" not in body
    with translation.override("en"):
        body = goals.display_body
        assert "Opleiding lassen afronden" in body and "Agreed" in body and "Afgesproken" not in body
    with translation.override("nl-be"):
        assert goals.display_body == goals.body
    actions = conference.agenda_items.get(source=AgendaItem.Source.ACTIONS)
    with translation.override("en"):
        assert (
            "Attest van de opleiding opvragen" in actions.display_body and "due by 20/03/2026" in actions.display_body
        )


def test_a_free_item_is_shown_as_typed(now, director, detainee):
    conference = _conference(director, detainee)
    item = AgendaItem.objects.create(
        conference=conference, source=AgendaItem.Source.FREE, title="Doelen en voortgang", body="Zelf getypt", order=99
    )
    with translation.override("en"):
        assert item.display_title == "Doelen en voortgang" and item.display_body == "Zelf getypt"


def test_the_conference_page_shows_the_agenda_in_the_readers_language(now, client, director, detainee):
    conference = _conference(director, detainee)
    director.language = "en"
    director.save(update_fields=["language"])
    client.force_login(director)
    body = client.get(reverse("casusoverleg:detail", args=[conference.pk])).content.decode()
    assert "Goals and progress" in body and "Follow-up of open actions" in body
    assert "Doelen en voortgang" not in body and "Opvolging openstaande acties" not in body
