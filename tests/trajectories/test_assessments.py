"""Assessments: shipped instruments, scale checks, immutability once final, correction, trend and changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from trajectories import selectors, services
from trajectories.models import Assessment, AssessmentItem, AssessmentRating, AssessmentTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def barriers():
    return AssessmentTemplate.objects.get(code="exit-barriers")


def rate_all(assessment, user, value, judgement="moderate", **overrides):
    ratings = {
        r.item_id: {"rating": overrides.get(r.item.code, value), "evidence": "Gesprek"}
        for r in assessment.ratings.select_related("item")
    }
    return services.assessment_update(assessment=assessment, user=user, ratings=ratings, overall_judgement=judgement)


def test_three_instruments_are_shipped():
    codes = dict(AssessmentTemplate.objects.values_list("code", "name"))
    assert set(codes) == {"life-domain-needs", "push-pull", "exit-barriers"}
    assert AssessmentItem.objects.filter(section__template__code="exit-barriers").count() == 7


def test_start_creates_one_empty_rating_per_item(active_trajectory, consultant, barriers):
    assessment = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    assert assessment.ratings.count() == 7
    assert not assessment.ratings.exclude(rating=None).exists()


@pytest.mark.parametrize("value", [3, -1, 9, "2", True])
def test_rating_outside_the_items_scale_is_refused(active_trajectory, consultant, barriers, value):
    assessment = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    item = assessment.ratings.first().item
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            assessment=assessment,
            user=consultant,
            ratings={item.pk: {"rating": value}},
            overall_note="mag niet blijven staan",
        )
    assert f"rating_{item.code}" in error.value.message_dict
    assessment.refresh_from_db()
    assert assessment.overall_note == ""
    assert not assessment.ratings.exclude(rating=None).exists()


def test_yes_no_items_accept_0_and_1_only(active_trajectory, consultant, barriers):
    item = AssessmentItem.objects.filter(section__template=barriers).first()
    item.scale = "yes_no"
    item.save()
    assessment = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    services.assessment_update(assessment=assessment, user=consultant, ratings={item.pk: {"rating": 1}})
    with pytest.raises(ValidationError):
        services.assessment_update(assessment=assessment, user=consultant, ratings={item.pk: {"rating": 2}})


def test_finalise_needs_every_rating_and_a_judgement(active_trajectory, consultant, barriers):
    assessment = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    with pytest.raises(ValidationError) as error:
        services.assessment_finalise(assessment=assessment, user=consultant)
    assert {"overall_judgement", "ratings"} <= set(error.value.message_dict)
    rate_all(assessment, consultant, 1)
    final = services.assessment_finalise(assessment=assessment, user=consultant)
    assert final.status == "finalised" and final.finalised_at


def test_a_finalised_assessment_cannot_be_edited(active_trajectory, consultant, barriers):
    assessment = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    rate_all(assessment, consultant, 1)
    services.assessment_finalise(assessment=assessment, user=consultant)
    item_id = assessment.ratings.first().item_id
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            assessment=assessment, user=consultant, ratings={item_id: {"rating": 2}}, overall_judgement="high"
        )
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.assessment_finalise(assessment=assessment, user=consultant)
    assessment.refresh_from_db()
    assert assessment.overall_judgement == "moderate"
    assert set(assessment.ratings.values_list("rating", flat=True)) == {1}


def test_correction_is_a_new_assessment_that_replaces_the_old_in_the_trend(active_trajectory, consultant, barriers):
    first = services.assessment_start(
        trajectory=active_trajectory, user=consultant, template=barriers, assessed_on=dt.date(2025, 3, 1)
    )
    rate_all(first, consultant, 2)
    services.assessment_finalise(assessment=first, user=consultant)
    correction = services.assessment_start(
        trajectory=active_trajectory, user=consultant, template=barriers, corrects=first
    )
    assert correction.corrects == first and correction.status == "draft"
    assert set(correction.ratings.values_list("rating", flat=True)) == {2}
    rate_all(correction, consultant, 2, fear_of_reprisal=1)
    services.assessment_finalise(assessment=correction, user=consultant)
    trends = selectors.assessment_trends(selectors.assessments_for_page(active_trajectory))
    assert [a.pk for a in trends[0].assessments] == [correction.pk]


def test_trend_and_what_changed(active_trajectory, consultant, barriers):
    for day, overrides in ((dt.date(2025, 3, 1), {}), (dt.date(2025, 5, 1), {"fear_of_reprisal": 0, "loneliness": 2})):
        a = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers, assessed_on=day)
        rate_all(a, consultant, 1, **overrides)
        services.assessment_finalise(assessment=a, user=consultant)
    # A draft does not count in the trend.
    services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    (trend,) = selectors.assessment_trends(selectors.assessments_for_page(active_trajectory))
    assert len(trend.assessments) == 2
    assert {(i.code, tuple(i.values)) for i in trend.changes} == {("fear_of_reprisal", (1, 0)), ("loneliness", (1, 2))}
    assert trend.sections == [("Drempels", [7, 7])]


def test_assessment_api_refuses_editing_a_finalised_one(active_trajectory, consultant, barriers):
    client = APIClient()
    client.force_authenticate(consultant)
    r = client.post(
        f"/api/v1/trajectories/{active_trajectory.pk}/assessments/", {"template": barriers.pk}, format="json"
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    items = [row["item"] for row in r.json()["ratings"]]
    bad = client.patch(f"/api/v1/assessments/{pk}/", {"ratings": [{"item": items[0], "rating": 7}]}, format="json")
    assert bad.status_code == 400
    ok = client.patch(
        f"/api/v1/assessments/{pk}/",
        {"overall_judgement": "low", "ratings": [{"item": i, "rating": 0} for i in items]},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert client.post(f"/api/v1/assessments/{pk}/finalise/").json()["status"] == "finalised"
    refused = client.patch(f"/api/v1/assessments/{pk}/", {"overall_judgement": "high"}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    assert Assessment.objects.get(pk=pk).overall_judgement == "low"
    correction = client.post(f"/api/v1/assessments/{pk}/correct/")
    assert correction.status_code == 201 and correction.json()["corrects"] == pk


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("consultant", 200),
        ("manager", 200),
        ("director", 200),
        ("partner_with_consent", 404),
        ("outsider", 404),
        ("other_director", 404),
        ("dpo", 404),
        ("admin", 404),
    ],
)
def test_assessment_list_per_role(personas, active_trajectory, consultant, barriers, role, expected):
    a = services.assessment_start(trajectory=active_trajectory, user=consultant, template=barriers)
    rate_all(a, consultant, 1, judgement="high")
    services.assessment_finalise(assessment=a, user=consultant)
    client = APIClient()
    client.force_authenticate(personas[role])
    r = client.get(f"/api/v1/trajectories/{active_trajectory.pk}/assessments/")
    assert r.status_code == expected
    if role == "director":
        # Overall judgement only: no ratings, evidence or notes.
        assert r.json()["results"] == [
            {
                "id": a.pk,
                "template": barriers.name,
                "assessed_on": "2025-06-02",
                "status": "finalised",
                "overall_judgement": "high",
            }
        ]
        assert client.get(f"/api/v1/assessments/{a.pk}/").status_code == 404
    assert AssessmentRating.objects.filter(assessment=a).count() == 7


def test_finalising_records_what_changed_since_the_previous(active_trajectory, consultant, barriers):
    first = services.assessment_start(
        trajectory=active_trajectory, user=consultant, template=barriers, assessed_on=dt.date(2025, 3, 1)
    )
    rate_all(first, consultant, 1)
    assert services.assessment_finalise(assessment=first, user=consultant).changes_since_last == ""
    second = services.assessment_start(
        trajectory=active_trajectory, user=consultant, template=barriers, assessed_on=dt.date(2025, 5, 1)
    )
    rate_all(second, consultant, 1, fear_of_reprisal=0)
    second = services.assessment_finalise(assessment=second, user=consultant)
    assert second.changes_since_last.splitlines() == [
        "Verschillen met de inschatting van 01/03/2025:",
        "Vreest wraak of straffen van de groep bij vertrek: 1 → 0",
    ]
    third = services.assessment_start(
        trajectory=active_trajectory, user=consultant, template=barriers, assessed_on=dt.date(2025, 6, 1)
    )
    rate_all(third, consultant, 1, fear_of_reprisal=0)
    services.assessment_update(assessment=third, user=consultant, changes_since_last="Eigen toelichting")
    assert services.assessment_finalise(assessment=third, user=consultant).changes_since_last == "Eigen toelichting"
