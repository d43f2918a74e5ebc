"""The conference sets a waiting referral's priority with its reason (docs/adr/0044): the service's rules, the page,
the API with its field errors, who may, the change history, and the manager's inbox, panel and dashboard list
ordered by priority, then waiting time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casework.models import AccessLog
from casusoverleg.models import Conference
from casusoverleg.services import priority as services_priority
from tests.factories import DetaineeFactory
from trajectories import services as trajectory_services
from trajectories.models import Trajectory

from .conftest import BRUSSELS
from .factories import schedule

pytestmark = pytest.mark.django_db
URGENT, HIGH, NORMAL = Trajectory.Priority.URGENT, Trajectory.Priority.HIGH, Trajectory.Priority.NORMAL


def _refer(detainee, user, day):
    return trajectory_services.trajectory_refer(
        detainee=detainee, user=user, referred_on=day, referred_by=Trajectory.ReferredBy.CONFERENCE
    )


@pytest.fixture
def held(now, director, detainee, consultant):
    """Last week's conference on the detainee, held; his referral of 1 February waits for intake."""
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 2, 23, 10, 0, tzinfo=BRUSSELS))
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.HELD)
    conference.refresh_from_db()
    return conference, _refer(detainee, consultant, dt.date(2026, 2, 1))


def test_the_conference_sets_the_priority_with_its_reason(held, director):
    conference, trajectory = held
    decision = services_priority.referral_priority_set(
        conference=conference, user=director, priority=URGENT, reason="Vrijlating binnen zes weken"
    )
    trajectory.refresh_from_db()
    assert (decision.conference_id, decision.trajectory_id, decision.priority, decision.decided_by_id) == (
        conference.pk,
        trajectory.pk,
        URGENT,
        director.pk,
    )
    assert (
        trajectory.priority,
        trajectory.priority_reason,
        trajectory.priority_set_by_id,
        trajectory.priority_set_at,
    ) == (URGENT, "Vrijlating binnen zes weken", director.pk, decision.created_at)
    event = trajectory.events.order_by("-pgh_id").first()
    assert event.pgh_context.metadata["reason"] == "referral_priority_set"
    assert event.priority == URGENT
    # a later decision is a new row; the trajectory carries the latest
    services_priority.referral_priority_set(conference=conference, user=director, priority=NORMAL, reason="Kan wachten")
    trajectory.refresh_from_db()
    assert trajectory.priority == NORMAL
    assert list(conference.referral_priorities.values_list("priority", flat=True)) == [NORMAL, URGENT]


@pytest.mark.parametrize(
    "priority, reason, field",
    [
        (7, "reden", "priority"),
        ("abc", "reden", "priority"),
        (None, "reden", "priority"),
        (URGENT, "", "reason"),
        (URGENT, "   ", "reason"),
        (HIGH, "x" * 501, "reason"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_changes(held, director, priority, reason, field):
    conference, trajectory = held
    with pytest.raises(ValidationError) as caught:
        services_priority.referral_priority_set(conference=conference, user=director, priority=priority, reason=reason)
    assert field in caught.value.message_dict
    trajectory.refresh_from_db()
    assert (trajectory.priority, trajectory.priority_reason) == (NORMAL, "")
    assert not conference.referral_priorities.exists()


def test_only_a_conference_that_took_place_decides(conference, director, detainee, consultant):
    trajectory = _refer(detainee, consultant, dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as caught:
        services_priority.referral_priority_set(conference=conference, user=director, priority=HIGH, reason="r")
    assert "conference" in caught.value.message_dict
    trajectory.refresh_from_db()
    assert trajectory.priority == NORMAL


def test_only_a_referral_that_waits_for_intake(held, director, consultant):
    conference, trajectory = held
    Trajectory.objects.filter(pk=trajectory.pk).update(status="intake")
    with pytest.raises(ValidationError) as caught:
        services_priority.referral_priority_set(conference=conference, user=director, priority=HIGH, reason="r")
    assert "priority" in caught.value.message_dict


def test_the_page_sets_it_and_the_conference_page_links_to_it(held, client, director):
    conference, trajectory = held
    client.force_login(director)
    detail = client.get(f"/casusoverleg/{conference.pk}/")
    url = f"/casusoverleg/{conference.pk}/prioriteit-aanmelding/"
    assert url in detail.content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Prioriteit van de aanmelding" in page.content.decode()
    bad = client.post(url, {"priority": "2", "reason": ""})
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(url, {"priority": "1", "reason": "Vrijlating nabij"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert (trajectory.priority, trajectory.priority_reason) == (URGENT, "Vrijlating nabij")
    assert AccessLog.objects.filter(user=director, object_kind="conference", object_id=str(conference.pk)).exists()


@pytest.mark.parametrize("language, words", [("fr-be", "Priorité"), ("en", "Priority")])
def test_the_page_in_french_and_english(held, client, director, language, words):
    conference, _trajectory = held
    director.language = language
    director.save(update_fields=["language"])
    client.force_login(director)
    html = client.get(
        f"/casusoverleg/{conference.pk}/prioriteit-aanmelding/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert words in html and "Prioriteit" not in html


def test_who_may_set_it(held, client, consultant, manager, partner_with_consent, outsider):
    conference, trajectory = held
    url = f"/casusoverleg/{conference.pk}/prioriteit-aanmelding/"
    for user in (consultant, manager, partner_with_consent, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"priority": "1", "reason": "r"}).status_code == 404, user
    trajectory.refresh_from_db()
    assert trajectory.priority == NORMAL


def test_the_api(held, client, director, consultant):
    conference, trajectory = held
    url = f"/api/v1/conferences/{conference.pk}/referral-priority/"
    client.force_login(director)
    bad = client.post(url, {"priority": 9, "reason": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert {"priority", "reason"} <= set(bad.json())
    response = client.post(url, {"priority": 2, "reason": "Werk geregeld"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["trajectory"], body["priority"], body["reason"], body["conference"], body["set_by"]) == (
        trajectory.pk,
        2,
        "Werk geregeld",
        conference.pk,
        director.pk,
    )
    assert body["priority_label"] == "Hoog"
    client.force_login(consultant)
    detail = client.get(f"/api/v1/trajectories/{trajectory.pk}/")
    assert (detail.json()["priority"], detail.json()["priority_reason"]) == (2, "Werk geregeld")
    assert client.post(url, {"priority": 1, "reason": "r"}, content_type="application/json").status_code == 404


def test_the_inbox_panel_and_dashboard_order_by_priority_then_waiting(
    now, client, manager, consultant, director, detainee, caw, hasselt
):
    """Oldest first within a priority; an urgent referral of yesterday goes before a normal one of last month."""
    people = [detainee] + [
        DetaineeFactory(organisation=caw, lead_consultant=consultant, current_prison=hasselt) for _ in range(3)
    ]
    days = [dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 1, 20)]
    trajectories = [_refer(p, consultant, d) for p, d in zip(people, days, strict=True)]
    for person, priority in ((people[2], URGENT), (people[1], HIGH)):
        conference = schedule(director, person, starts_at=dt.datetime(2026, 2, 23, 10, 0, tzinfo=BRUSSELS))
        Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.HELD)
        conference.refresh_from_db()
        services_priority.referral_priority_set(
            conference=conference, user=director, priority=priority, reason="Beslist op het overleg"
        )
    expected = [trajectories[2].pk, trajectories[1].pk, trajectories[0].pk, trajectories[3].pk]
    client.force_login(manager)
    inbox = client.get("/trajecten/aanmeldingen/")
    assert [t.pk for t in inbox.context["page"].object_list] == expected
    html = inbox.content.decode()
    assert "Dringend" in html and "Beslist op het overleg" in html
    panel = client.get("/trajecten/paneel/aanmeldingen/")
    assert [t.pk for t in panel.context["referrals"]] == expected
    listed = client.get("/rapportering/dashboard/lijst/waiting/")
    assert [t.pk for t in listed.context["page"].object_list] == expected


def test_the_priority_decision_is_in_the_subject_access_export(held, director):
    """The person may read what a conference decided about his referral and why (GDPR art. 15)."""
    from django.utils import translation

    from casework.privacy.dossier import dossier
    from casusoverleg.privacy import export_conferences

    conference, trajectory = held
    services_priority.referral_priority_set(
        conference=conference, user=director, priority=URGENT, reason="Vrijlating binnen zes weken"
    )
    rows = export_conferences(conference.detainee)["referral_priorities"]
    assert [(r["conference"], r["trajectory"], r["reason"], r["by"]) for r in rows] == [
        (conference.pk, trajectory.pk, "Vrijlating binnen zes weken", str(director))
    ]
    with translation.override("en"):
        rendered = str(dossier({"sections": {"casusoverleg": export_conferences(conference.detainee)}}))
    assert "Referral priorities" in rendered and "Vrijlating binnen zes weken" in rendered
