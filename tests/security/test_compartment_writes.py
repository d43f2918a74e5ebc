"""Compartments (ADR 0009 §7), writing: health content is written by those who may read it. Ratings, session
domains, goals, explorations and actions in the health compartment are refused from outside it, and a form
leaves what its user cannot see as it was.
"""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import LifeDomain
from tests.factories import SessionFactory
from tests.security.compartment_fixtures import (
    NOW,
    co_consultant,  # noqa: F401
    frozen,  # noqa: F401
    health_partner,  # noqa: F401
    people,  # noqa: F401
    shipped_instruments,  # noqa: F401
    world,  # noqa: F401
)
from trajectories import services
from trajectories.models import Action, AssessmentTemplate, Goal

# --- Writes (ADR 0009 §7): health content is written by those who may read it -------------------------------------

WRITERS = ("consultant", "co_consultant", "manager")  # case staff inside the compartment
READ_ONLY = ("director", "partner", "health_partner", "dpo", "outsider")  # may change no trajectory at all


@pytest.fixture
def draft(world, consultant):  # noqa: F811
    """A draft needs scan with every item still empty."""
    template = AssessmentTemplate.objects.get(code="life-domain-needs")
    return services.assessment_start(trajectory=world["trajectory"], user=consultant, template=template)


def _items(assessment) -> dict[str, int]:
    return {
        r.item.section.code + "/" + r.item.code: r.item_id for r in assessment.ratings.select_related("item__section")
    }


def _rating(assessment, key):
    section, code = key.split("/")
    return assessment.ratings.get(item__section__code=section, item__code=code)


def test_health_ratings_sent_through_the_api_are_refused_outside_the_compartment(client, draft, people):  # noqa: F811
    items = _items(draft)
    health, education = (
        items["mental_health/trauma"],
        items[
            "education_employment/"
            + next(key.split("/")[1] for key in items if key.startswith("education_employment/"))
        ],
    )
    for name, (user, _sees) in people.items():
        client.force_login(user)
        response = client.patch(
            f"/api/v1/assessments/{draft.pk}/",
            {
                "ratings": [
                    {"item": education, "rating": 1, "evidence": f"EDU-{name}"},
                    {"item": health, "rating": 2, "evidence": f"HEALTH-{name}"},
                ]
            },
            content_type="application/json",
        )
        trauma = _rating(draft, "mental_health/trauma")
        if name in WRITERS:
            assert response.status_code == 200, (name, response.content)
            assert (trauma.rating, trauma.evidence) == (2, f"HEALTH-{name}"), name
        elif name == "colleague":
            assert response.status_code == 400, name
            assert "gezondheidsgegevens" in " ".join(response.json()["ratings"]), response.json()
            # Refused as a whole: the education score sent with it is not saved either.
            assert not draft.ratings.filter(evidence="EDU-colleague").exists()
            assert trauma.evidence != "HEALTH-colleague"
        else:
            assert response.status_code in (403, 404), (name, response.status_code)
            assert trauma.evidence != f"HEALTH-{name}", name


def test_the_assessment_form_leaves_hidden_health_items_as_they_were(client, draft, consultant, colleague):
    items = _items(draft)
    client.force_login(consultant)
    services.assessment_update(
        assessment=draft,
        user=consultant,
        ratings={items["mental_health/trauma"]: {"rating": 2, "evidence": "EVID-TEAM trauma"}},
    )
    client.force_login(colleague)
    url = reverse("trajectories:assessment", args=[draft.pk])
    form = client.get(url).context["form"]
    assert "rating_trauma" not in form.fields and "evidence_trauma" not in form.fields
    data = {
        "assessed_on": draft.assessed_on.isoformat(),
        "overall_judgement": "moderate",
        "rating_trauma": "0",
        "evidence_trauma": "overschreven door een collega",
    }
    for name in form.fields:
        if name.startswith("rating_") and name != "rating_trauma":
            data[name] = "1"
    response = client.post(url, data)
    assert response.status_code == 302
    trauma = _rating(draft, "mental_health/trauma")
    assert (trauma.rating, trauma.evidence) == (2, "EVID-TEAM trauma")
    assert (
        _rating(
            draft,
            "education_employment/" + next(k.split("/")[1] for k in items if k.startswith("education_employment/")),
        ).rating
        == 1
    )
    # Finalising needs the health items the colleague cannot fill in: the form says who does.
    response = client.post(url, {**data, "finalise": "1"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "hoofdconsulent, de co-consulenten of hun manager" in errors
    assert "zonder score" not in errors  # every item the colleague sees has its score
    draft.refresh_from_db()
    assert not draft.is_final


def _session_of(world, author):  # noqa: F811
    session = SessionFactory(
        detainee=world["detainee"], author=author, started_at=NOW - dt.timedelta(days=1), summary="SESSION-EDIT"
    )
    session.domains.set(LifeDomain.objects.filter(code__in=["mental_health", "education_employment"]))
    return session


def _session_form_data(session, domains) -> dict:
    return {
        "started_at": session.started_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "modality": session.modality,
        "attendance": session.attendance,
        "summary": "SESSION-EDIT bijgewerkt",
        "domains": [d.pk for d in domains],
    }


def _codes(session) -> set[str]:
    return set(session.domains.values_list("code", flat=True))


def test_editing_a_sessions_domains_keeps_the_hidden_health_tag(client, world, colleague, consultant):  # noqa: F811
    """The colleague who logged the session may correct it; the health tag the lead added stays as it was."""
    session = _session_of(world, colleague)
    family = LifeDomain.objects.exclude(code__in=["mental_health", "education_employment"]).first()
    url = reverse("casework:session_update", args=[world["detainee"].pk, session.pk])
    client.force_login(colleague)
    form = client.get(url).context["form"]
    assert not form.fields["domains"].queryset.filter(code="mental_health").exists()
    response = client.post(url, _session_form_data(session, [family]))
    assert response.status_code == 302
    assert _codes(session) == {"mental_health", family.code}
    # Through the API: the visible domains are replaced, the health tag stays.
    response = client.patch(
        f"/api/v1/sessions/{session.pk}/", {"domains": ["education_employment"]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["domains"] == ["education_employment"]
    assert _codes(session) == {"mental_health", "education_employment"}
    # Setting the health tag is refused, on the form and in the API.
    mental_health = LifeDomain.objects.get(code="mental_health")
    response = client.post(url, _session_form_data(session, [mental_health]))
    assert response.status_code == 400 and response.context["form"].errors["domains"]
    response = client.patch(
        f"/api/v1/sessions/{session.pk}/", {"domains": ["mental_health"]}, content_type="application/json"
    )
    assert response.status_code == 400 and "gezondheidsgegevens" in " ".join(response.json()["domains"])
    assert _codes(session) == {"mental_health", "education_employment"}
    # The lead consultant sees the tag and may take it away.
    client.force_login(consultant)
    form = client.get(url).context["form"]
    assert form.fields["domains"].queryset.filter(code="mental_health").exists()
    response = client.post(url, _session_form_data(session, [family]))
    assert response.status_code == 302
    assert _codes(session) == {family.code}


def test_a_new_session_gets_a_health_tag_only_from_inside_the_compartment(client, world, people):  # noqa: F811
    mental_health = LifeDomain.objects.get(code="mental_health")
    for name, (user, _sees_health) in people.items():
        client.force_login(user)
        payload = {
            "detainee": world["detainee"].pk,
            "started_at": (NOW - dt.timedelta(hours=2)).isoformat(),
            "duration_minutes": 30,
            "modality": "in_person_prison",
            "summary": f"NEW-{name}",
            "domains": ["mental_health"],
        }
        response = client.post("/api/v1/sessions/", payload, content_type="application/json")
        if name in ("consultant", "co_consultant"):
            assert response.status_code == 201, (name, response.content)
            assert "mental_health" in response.json()["domains"]
        elif name == "colleague":
            assert response.status_code == 400 and "domains" in response.json(), name
            page = client.get(reverse("casework:session_create", args=[world["detainee"].pk]))
            assert not page.context["form"].fields["domains"].queryset.filter(pk=mental_health.pk).exists()
        else:  # only consultants log sessions; the others get a refusal, never a write
            assert response.status_code in (400, 403, 404), (name, response.status_code)
        from casework.models import Session

        assert Session.objects.filter(summary=f"NEW-{name}", domains=mental_health).exists() is (
            name in ("consultant", "co_consultant")
        ), name


def test_health_goals_explorations_and_actions_cannot_be_written_from_outside(client, world, people):  # noqa: F811
    """Existing health rows are a 404 for every write; a new one in the health domain is a 400 on `domain`."""
    trajectory, health_goal, edu_goal = world["trajectory"], world["goals"]["HEALTH"], world["goals"]["EDU"]
    health_action = Action.objects.get(description__startswith="ACTION-HEALTH")
    for name, (user, _sees_health) in people.items():
        client.force_login(user)
        note_before = trajectory.explorations.get(domain__code="mental_health").note
        writes = {
            "goal_update": client.patch(
                f"/api/v1/goals/{health_goal.pk}/", {"description": f"GOAL-{name}"}, content_type="application/json"
            ),
            "goal_review": client.post(
                f"/api/v1/goals/{health_goal.pk}/reviews/",
                {"reviewed_on": "2026-03-01", "progress": 3, "note": f"REVIEW-{name}"},
                content_type="application/json",
            ),
            "action_status": client.patch(
                f"/api/v1/actions/{health_action.pk}/", {"status": "done"}, content_type="application/json"
            ),
            "action_on_goal": client.post(
                "/api/v1/actions/",
                {
                    "detainee": world["detainee"].pk,
                    "description": f"ACTION-{name}",
                    "owner_user": user.pk,
                    "goal": health_goal.pk,
                },
                content_type="application/json",
            ),
            "goal_create": client.post(
                f"/api/v1/trajectories/{trajectory.pk}/goals/",
                {"domain": "mental_health", "description": f"GOAL-NEW-{name}"},
                content_type="application/json",
            ),
            "goal_moved_in": client.patch(
                f"/api/v1/goals/{edu_goal.pk}/", {"domain": "mental_health"}, content_type="application/json"
            ),
            "exploration": client.post(
                f"/api/v1/trajectories/{trajectory.pk}/explorations/",
                {"domain": "mental_health", "need": "no_need", "note": f"EXPL-{name}"},
                content_type="application/json",
            ),
            "page_exploration": client.get(reverse("trajectories:exploration", args=[trajectory.pk, "mental_health"])),
            "page_exploration_post": client.post(
                reverse("trajectories:exploration", args=[trajectory.pk, "mental_health"]),
                {"need": "no_need", "note": f"EXPL-PAGE-{name}"},
            ),
            "page_goal_update": client.get(reverse("trajectories:goal_update", args=[health_goal.pk])),
            "page_goal_review": client.post(
                reverse("trajectories:goal_review", args=[health_goal.pk]),
                {"reviewed_on": "2026-03-01", "progress": "3"},
            ),
            "page_action_status": client.post(
                reverse("trajectories:action_status", args=[health_action.pk]), {"status": "done"}
            ),
        }
        codes = {surface: response.status_code for surface, response in writes.items()}
        if name in WRITERS:
            assert codes == {
                "goal_update": 200,
                "goal_review": 201,
                "action_status": 200,
                "action_on_goal": 201,
                "goal_create": 201,
                "goal_moved_in": 200,
                "exploration": 201,
                "page_exploration": 200,
                "page_exploration_post": 302,
                "page_goal_update": 200,
                "page_goal_review": 302,
                "page_action_status": 302,
            }, (name, codes)
            # Put things back for the next person.
            Goal.objects.filter(pk=edu_goal.pk).update(domain=LifeDomain.objects.get(code="education_employment"))
            Action.objects.filter(pk=health_action.pk).update(status="open", completed_at=None)
            continue
        if name == "colleague":
            expected = {surface: 404 for surface in writes}
            expected.update(goal_create=400, goal_moved_in=400, exploration=400)
            assert codes == expected, (name, codes)
            for surface in ("goal_create", "goal_moved_in", "exploration"):
                assert "gezondheidsgegevens" in " ".join(writes[surface].json()["domain"]), surface
        else:
            assert all(code in (403, 404) for code in codes.values()), (name, codes)
        assert not Goal.objects.filter(description__in=[f"GOAL-{name}", f"GOAL-NEW-{name}"]).exists(), name
        assert Goal.objects.get(pk=edu_goal.pk).domain.code == "education_employment", name
        assert not health_goal.reviews.filter(note=f"REVIEW-{name}").exists(), name
        assert Action.objects.get(pk=health_action.pk).status == "open", name
        assert not Action.objects.filter(description=f"ACTION-{name}").exists(), name
        assert trajectory.explorations.get(domain__code="mental_health").note == note_before, name


def test_the_trajectory_forms_offer_no_health_domain_or_goal_outside_the_compartment(
    client,
    world,  # noqa: F811
    colleague,
    consultant,  # noqa: F811
):
    trajectory, health_goal = world["trajectory"], world["goals"]["HEALTH"]
    for user, sees in ((colleague, False), (consultant, True)):
        client.force_login(user)
        goal_form = client.get(reverse("trajectories:goal_create", args=[trajectory.pk]) + "?domein=mental_health")
        assert goal_form.context["form"].fields["domain"].queryset.filter(code="mental_health").exists() is sees
        action_form = client.get(reverse("trajectories:action_create", args=[trajectory.pk]))
        assert action_form.context["form"].fields["goal"].queryset.filter(pk=health_goal.pk).exists() is sees
        assert ("GOAL-HEALTH" in action_form.content.decode()) is sees
    client.force_login(colleague)
    response = client.post(
        reverse("trajectories:goal_create", args=[trajectory.pk]),
        {"domain": LifeDomain.objects.get(code="mental_health").pk, "description": "GOAL-SNEAKED-IN"},
    )
    assert response.status_code == 200 and response.context["form"].errors["domain"]
    assert not Goal.objects.filter(description="GOAL-SNEAKED-IN").exists()
