"""Outcomes after closure: reviews at +6, +12 and +24 months record what is known of the person (contact,
housing, work, new detention, new listing) and from which source (ADR 0039)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trajectories.models_release import FollowUp
from trajectories.privacy import _outcome_text
from trajectories.services.release import aftercare_close, follow_up_record, trajectory_release

# tests/trajectories/conftest.py freezes the clock on 02/06/2025.
HELD = {
    "outcome_contact": "yes",
    "outcome_housing": "stable",
    "outcome_work": "training",
    "outcome_detention": "no",
    "outcome_listing": "no",
    "outcome_source": "justice_house",
}


@pytest.fixture
def closed(active_trajectory, consultant):
    trajectory_release(
        trajectory=active_trajectory,
        user=consultant,
        released_on=dt.date(2025, 2, 3),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    aftercare_close(
        trajectory=active_trajectory,
        user=consultant,
        closure_reason="aftercare_ended",
        on=dt.date(2025, 5, 1),
        post_closure_reviews=True,
    )
    return active_trajectory


def review(trajectory, months):
    return trajectory.follow_ups.get(kind="post_closure", months_after=months)


def test_closing_plans_reviews_at_six_twelve_and_twenty_four_months(closed):
    assert list(closed.follow_ups.filter(kind="post_closure").values_list("months_after", "due_on")) == [
        (6, dt.date(2025, 11, 1)),
        (12, dt.date(2026, 5, 1)),
        (24, dt.date(2027, 5, 1)),
    ]


def test_a_held_review_records_what_is_known_and_the_source(closed, consultant):
    recorded = follow_up_record(follow_up=review(closed, 6), user=consultant, status="done", **HELD)
    recorded.refresh_from_db()
    assert (recorded.outcome_housing, recorded.outcome_work, recorded.outcome_source) == (
        "stable",
        "training",
        "justice_house",
    )
    assert "Justitiehuis" in _outcome_text(recorded)


@pytest.mark.parametrize("missing", [*HELD])
def test_each_question_needs_an_answer(closed, consultant, missing):
    answers = HELD | {missing: ""}
    with pytest.raises(ValidationError) as error:
        follow_up_record(follow_up=review(closed, 6), user=consultant, status="done", **answers)
    assert missing in error.value.message_dict
    assert review(closed, 6).status == "planned"


def test_unknown_is_an_answer(closed, consultant):
    answers = {name: "unknown" for name in HELD} | {"outcome_source": "other"}
    assert follow_up_record(follow_up=review(closed, 6), user=consultant, status="done", **answers).status == "done"


def test_a_new_detention_needs_its_date(closed, consultant):
    with pytest.raises(ValidationError) as error:
        follow_up_record(
            follow_up=review(closed, 6), user=consultant, status="done", **HELD | {"outcome_detention": "yes"}
        )
    assert "outcome_detained_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        follow_up_record(
            follow_up=review(closed, 6),
            user=consultant,
            status="done",
            **HELD | {"outcome_detention": "yes", "outcome_detained_on": dt.date(2025, 7, 1)},
        )
    assert "outcome_detained_on" in error.value.message_dict  # in the future
    recorded = follow_up_record(
        follow_up=review(closed, 6),
        user=consultant,
        status="done",
        **HELD | {"outcome_detention": "yes", "outcome_detained_on": dt.date(2025, 3, 10)},
    )
    assert recorded.outcome_detained_on == dt.date(2025, 3, 10)
    assert "10/03/2025" in _outcome_text(recorded)


def test_a_date_without_a_detention_is_not_kept(closed, consultant):
    recorded = follow_up_record(
        follow_up=review(closed, 6),
        user=consultant,
        status="done",
        **HELD | {"outcome_detained_on": dt.date(2025, 3, 10)},
    )
    recorded.refresh_from_db()
    assert recorded.outcome_detained_on is None


def test_a_review_that_could_not_be_held_records_no_outcome(closed, consultant):
    recorded = follow_up_record(follow_up=review(closed, 6), user=consultant, status="missed", **HELD)
    recorded.refresh_from_db()
    assert recorded.status == "missed" and recorded.outcome_source == "" and _outcome_text(recorded) == ""


def test_an_aftercare_follow_up_takes_no_outcome(active_trajectory, consultant):
    trajectory_release(
        trajectory=active_trajectory,
        user=consultant,
        released_on=dt.date(2025, 6, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    follow_up = active_trajectory.follow_ups.get(months_after=1)
    with pytest.raises(ValidationError) as error:
        follow_up_record(follow_up=follow_up, user=consultant, status="done", **HELD)
    assert "outcome_contact" in error.value.message_dict


def test_the_database_keeps_outcomes_to_post_closure_reviews(active_trajectory, consultant):
    from django.db import IntegrityError, transaction

    trajectory_release(
        trajectory=active_trajectory,
        user=consultant,
        released_on=dt.date(2025, 6, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(trajectory=active_trajectory, months_after=1).update(outcome_housing="stable")


def test_the_page_records_a_review_with_its_outcome(client, closed, consultant):
    client.force_login(consultant)
    url = reverse("trajectories:follow_up_record", args=[closed.pk, review(closed, 6).pk])
    page = client.get(reverse("trajectories:aftercare", args=[closed.pk]))
    assert "outcome_housing" in page.text
    refused = client.post(url, {"status": "done", "done_on": "2025-06-01"}, follow=True)
    assert any(m.level_tag == "error" for m in refused.context["messages"])
    assert review(closed, 6).status == "planned"
    answer = client.post(url, {"status": "done", "done_on": "2025-06-01", **HELD}, follow=True)
    assert answer.status_code == 200 and review(closed, 6).outcome_work == "training"
    assert "Opleiding" in answer.text


def test_the_subject_access_export_holds_the_outcome(closed, consultant, detainee):
    from trajectories.privacy import export_trajectories as trajectories_export

    follow_up_record(follow_up=review(closed, 6), user=consultant, status="done", **HELD)
    rows = trajectories_export(detainee)["follow_ups"]
    assert any("Justitiehuis" in row["outcome"] for row in rows)
