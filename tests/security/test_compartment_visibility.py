"""Compartments (docs/design.md §4; ADR 0009), reading: confidential notes and health content are seen by the
lead and co-consultants and their manager only — and health content by a partner whose consent covers scope
health. Never by a colleague outside the case team, a director, another partner or the dpo (outside the
subject-access export), on any page, API serializer, PDF or export that carries session data, goals or
assessments.
"""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from casework.models import LifeDomain
from casusoverleg import services as conference_services
from casusoverleg.models import AgendaItem
from casusoverleg.services import minutes as services_minutes
from tests.security.compartment_fixtures import (
    CONFIDENTIAL,
    HEALTH,
    NOW,
    SHARED,
    co_consultant,  # noqa: F401
    frozen,  # noqa: F401
    health_partner,  # noqa: F401
    people,  # noqa: F401
    shipped_instruments,  # noqa: F401
    world,  # noqa: F401
)
from trajectories.models import Action, Assessment, Goal
from trajectories.services import release as services_release
from trajectories.services.handover import handover_package_build


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _surfaces(client, world) -> dict[str, str]:  # noqa: F811
    trajectory, assessment, session = world["trajectory"], world["assessment"], world["session"]
    health_goal = world["goals"]["HEALTH"]
    urls = {
        "api_sessions": f"/api/v1/sessions/?detainee={world['detainee'].pk}",
        "api_session": f"/api/v1/sessions/{session.pk}/",
        "api_trajectory_sessions": f"/api/v1/trajectories/{trajectory.pk}/sessions/",
        "api_assessments": f"/api/v1/trajectories/{trajectory.pk}/assessments/",
        "api_assessment": f"/api/v1/assessments/{assessment.pk}/",
        "api_goals": f"/api/v1/trajectories/{trajectory.pk}/goals/",
        "api_health_goal": f"/api/v1/goals/{health_goal.pk}/",
        "api_health_goal_reviews": f"/api/v1/goals/{health_goal.pk}/reviews/",
        "api_explorations": f"/api/v1/trajectories/{trajectory.pk}/explorations/",
        "api_actions": "/api/v1/actions/",
        "page_trajectory": reverse("trajectories:detail", args=[trajectory.pk]),
        "page_assessment": reverse("trajectories:assessment", args=[assessment.pk]),
        "page_sessions": reverse("casework:file_sessions", args=[world["detainee"].pk]),
        "page_actions": reverse("trajectories:actions"),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def test_health_content_reaches_only_the_team_the_manager_and_a_health_consent(client, world, people):  # noqa: F811
    for name, (user, sees_health) in people.items():
        client.force_login(user)
        for surface, body in _surfaces(client, world).items():
            for marker in HEALTH:
                assert (marker in body) is False or sees_health, (name, surface, marker)
        if sees_health:
            everything = " ".join(_surfaces(client, world).values())
            # Actions are work of the case staff: a partner sees none, health or not.
            for marker in HEALTH if user.is_case_staff else [m for m in HEALTH if not m.startswith("ACTION")]:
                assert marker in everything, (name, marker)


def test_what_is_not_health_stays_visible(client, world, people):  # noqa: F811
    """The compartment takes health away, nothing else: a colleague and a partner keep the other goals."""
    for name in ("colleague", "partner"):
        client.force_login(people[name][0])
        everything = " ".join(_surfaces(client, world).values())
        for marker in SHARED:
            assert marker in everything, (name, marker)


def test_confidential_notes_only_for_the_team_and_the_manager(client, world, people):  # noqa: F811
    for name, (user, _health) in people.items():
        client.force_login(user)
        bodies = _surfaces(client, world)
        team = name in ("consultant", "co_consultant", "manager")
        assert (CONFIDENTIAL in bodies["api_sessions"]) is team, name
        assert (CONFIDENTIAL in bodies["api_session"]) is team, name
        # A trajectory's sessions and the assessments never carry confidential notes, whoever asks.
        for surface in ("api_trajectory_sessions", "api_assessments", "api_assessment", "page_trajectory"):
            assert CONFIDENTIAL not in bodies[surface], (name, surface)


def test_a_sessions_health_domain_is_shown_only_inside_the_compartment(client, world, people):  # noqa: F811
    mental_health = LifeDomain.objects.get(code="mental_health")
    for name, (user, sees_health) in people.items():
        client.force_login(user)
        api = client.get(f"/api/v1/sessions/{world['session'].pk}/")
        if api.status_code == 200:
            domains = api.json()["domains"]
            assert "education_employment" in domains, name
            assert ("mental_health" in domains) is sees_health, name
        page = client.get(reverse("casework:file_sessions", args=[world["detainee"].pk]))
        if page.status_code == 200:
            html = page.content.decode()
            assert "SUMMARY-SHARED" in html, name
            assert (f'<span class="tag">{mental_health.name}</span>' in html) is sees_health, name


def test_a_health_goal_is_a_404_outside_the_compartment(client, world, colleague, partner_with_consent, consultant):  # noqa: F811
    goal = world["goals"]["HEALTH"]
    for user in (colleague, partner_with_consent):
        client.force_login(user)
        assert client.get(f"/api/v1/goals/{goal.pk}/").status_code == 404
        assert client.get(f"/api/v1/goals/{goal.pk}/reviews/").status_code == 404
    client.force_login(consultant)
    assert client.get(f"/api/v1/goals/{goal.pk}/").status_code == 200


def test_the_success_indicator_does_not_depend_on_who_looks(client, world, colleague, consultant):  # noqa: F811
    """Only the health goal is agreed with the detainee: hidden from a colleague, it still makes the success."""
    Goal.objects.filter(pk=world["goals"]["EDU"].pk).update(agreed_with_detainee=False, agreed_on=None)
    for user in (consultant, colleague):
        client.force_login(user)
        response = client.get(reverse("trajectories:detail", args=[world["trajectory"].pk]))
        assert response.context["is_success"] is True


def test_the_automatic_changes_text_leaves_health_items_out(world):  # noqa: F811
    text = Assessment.objects.get(pk=world["assessment"].pk).changes_since_last
    assert "diploma" in text or "kwalificatie" in text  # an education item changed from 1 to 2
    for label in ("onverwerkte ingrijpende ervaringen", "gespecialiseerde zorg", "alcohol, drugs"):
        assert label not in text


# --- PDFs ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def released(world, consultant, frozen):  # noqa: F811
    services_release.trajectory_release(
        trajectory=world["trajectory"],
        user=consultant,
        released_on=dt.date(2026, 3, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    return world


def _package(world, consultant, organisation):  # noqa: F811
    package = services_release.handover_package_request(
        trajectory=world["trajectory"], user=consultant, recipient_organisation=organisation
    )
    return pdf_text(handover_package_build(package_id=package.pk).file.open("rb").read())


def test_the_handover_package_carries_health_only_with_scope_health(
    released,
    consultant,
    partner_with_consent,
    health_partner,  # noqa: F811
):
    without = _package(released, consultant, partner_with_consent.organisation)
    assert "GOAL-EDU" in without and "ACTION-EDU" in without
    assert "GOAL-HEALTH" not in without and "ACTION-HEALTH" not in without
    with_health = _package(released, consultant, health_partner.organisation)
    assert "GOAL-HEALTH" in with_health and "ACTION-HEALTH" in with_health
    for text in (without, with_health):
        assert CONFIDENTIAL not in text and "EVID-" not in text and "SUMMARY-SHARED" in text


def test_the_conference_agenda_and_minutes_pdf_carry_no_health_content(client, world, director, consultant, frozen):  # noqa: F811
    conference = conference_services.conference_schedule(
        user=director,
        detainee=world["detainee"],
        prison=world["detainee"].current_prison,
        starts_at=NOW + dt.timedelta(days=1),
        ends_at=NOW + dt.timedelta(days=1, hours=1),
    )
    agenda = " ".join(f"{item.title} {item.body}" for item in AgendaItem.objects.filter(conference=conference))
    assert "GOAL-EDU" in agenda and "ACTION-EDU" in agenda
    for marker in (*HEALTH, CONFIDENTIAL, "SUMMARY-SHARED", "Verschillen met de inschatting"):
        assert marker not in agenda, marker
    assert "Matig" in agenda  # the judgement of the needs scan stays
    frozen.move_to(NOW + dt.timedelta(days=2))
    minutes = conference.minutes_versions.get()
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Goed overleg.",
        decisions=[{"text": "Verder zo", "consensus": True}],
    )
    services_minutes.minutes_approve(minutes=minutes, user=director)
    for user in (director, consultant):
        client.force_login(user)
        text = pdf_text(client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk])).content)
        assert "GOAL-EDU" in text
        for marker in (*HEALTH, CONFIDENTIAL):
            assert marker not in text, marker


def test_the_subject_access_export_is_complete(client, world, dpo):  # noqa: F811
    """The person's own data: health and confidential notes included (the dpo weighs art. 15(4))."""
    import zipfile

    client.force_login(dpo)
    archive = zipfile.ZipFile(
        io.BytesIO(client.post(reverse("privacy:subject_access_download", args=[world["detainee"].pk])).content)
    )
    exported = archive.read(next(n for n in archive.namelist() if n.endswith(".json"))).decode()
    for marker in (*HEALTH, CONFIDENTIAL):
        assert marker in exported, marker


# --- Exports ----------------------------------------------------------------------------------------------------------


def test_the_yearly_exports_carry_no_case_content(client, world, manager):  # noqa: F811
    client.force_login(manager)
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("reporting:yearly_export", args=[fmt]), {"jaar": 2026})
        assert response.status_code == 200, fmt
        body = pdf_text(response.content) if fmt == "pdf" else response.content.decode("utf-8", "ignore")
        for marker in (*HEALTH, *SHARED, CONFIDENTIAL, "SUMMARY-SHARED", "Benali"):
            assert marker not in body, (fmt, marker)


def test_actions_lists_respect_the_compartment(client, world, colleague, consultant):  # noqa: F811
    client.force_login(colleague)
    assert not any(
        row["description"].startswith("ACTION-HEALTH") for row in client.get("/api/v1/actions/").json()["results"]
    )
    health_action = Action.objects.get(description__startswith="ACTION-HEALTH")
    assert client.get(f"/api/v1/actions/{health_action.pk}/").status_code == 404
    client.force_login(consultant)
    assert client.get(f"/api/v1/actions/{health_action.pk}/").status_code == 200


def test_other_organisations_get_nothing(client, world, outsider):  # noqa: F811
    client.force_login(outsider)
    for surface, body in _surfaces(client, world).items():
        for marker in (*HEALTH, *SHARED, CONFIDENTIAL, "SUMMARY-SHARED"):
            assert marker not in body, (surface, marker)
