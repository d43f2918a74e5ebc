"""The shipped instruments are read in the reader's language (ADR 0010); the stored rows stay Dutch."""

import datetime as dt

import pytest
from django.urls import reverse

from trajectories import services
from trajectories.models import AssessmentItem, AssessmentTemplate

pytestmark = pytest.mark.django_db

DUTCH = "Vreest wraak of straffen van de groep bij vertrek"
FRENCH = "Craint des représailles ou des sanctions du groupe en cas de départ"


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def two_final_runs(active_trajectory, consultant):
    barriers = AssessmentTemplate.objects.get(code="exit-barriers")
    runs = []
    for day, value in ((dt.date(2025, 3, 1), 1), (dt.date(2025, 5, 1), 2)):
        a = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers, assessed_on=day)
        ratings = {r.item_id: {"rating": value} for r in a.ratings.all()}
        services.assessment_update(assessment=a, user=consultant, ratings=ratings, overall_judgement="moderate")
        runs.append(services.assessment_finalise(assessment=a, user=consultant))
    return runs


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        (
            "fr-be",
            [FRENCH, "Obstacles à la sortie du groupe", "Obstacles"],
            [DUTCH, "Drempels om de groep te verlaten"],
        ),
        ("nl-be", [DUTCH, "Drempels om de groep te verlaten"], [FRENCH, "Obstacles à la sortie du groupe"]),
    ],
)
def test_trend_and_assessment_page_show_the_item_in_the_readers_language(
    client, consultant, active_trajectory, two_final_runs, language, shown, hidden
):
    client.force_login(speaks(consultant, language))
    response = client.get(reverse("trajectories:detail", args=[active_trajectory.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in shown:
        assert text in body, text
    for text in hidden:
        assert text not in body, text
    response = client.get(reverse("trajectories:assessment", args=[two_final_runs[-1].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    # The scores table is translated; the stored "what changed" text under it is quoted as written (Dutch).
    assert f"<h1>{shown[1]} " in body
    assert f"<td>{shown[0]}</td>" in body and f"<td>{hidden[0]}</td>" not in body
    # The stored rows and the stored change lines stay Dutch, whoever wrote or reads them.
    assert AssessmentItem.objects.get(code="fear_of_reprisal").label == DUTCH
    assert DUTCH in two_final_runs[-1].changes_since_last


def test_the_draft_form_is_in_french_and_a_typed_label_is_shown_as_typed(client, consultant, active_trajectory):
    barriers = AssessmentTemplate.objects.get(code="exit-barriers")
    typed = AssessmentItem.objects.get(section__template=barriers, code="loneliness")
    typed.label = "Eigen omschrijving van de beheerder"
    typed.save(update_fields=["label"])
    draft = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    client.force_login(speaks(consultant, "fr-be"))
    body = client.get(reverse("trajectories:assessment", args=[draft.pk])).content.decode()
    assert f'<label for="id_rating_fear_of_reprisal">{FRENCH}</label>' in body and DUTCH not in body
    assert f'aria-label="Justification pour {FRENCH}"' in body
    assert "Eigen omschrijving van de beheerder" in body
