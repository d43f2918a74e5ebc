"""API v1: trajectories, transition, explorations, goals, reviews, actions — per role, bad input, query counts."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from casework.models import AccessLog, LifeDomain
from tests.factories import ConsentFactory, DetaineeFactory
from trajectories import services
from trajectories.models import Action, Goal, GoalReview, Trajectory

from .conftest import explore_required
from .factories import ActionFactory, GoalFactory, GoalReviewFactory, TrajectoryFactory

pytestmark = pytest.mark.django_db

ROLES_THAT_SEE = {"consultant", "colleague", "manager", "director", "partner_with_consent"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def goal(active_trajectory, consultant):
    return services.goal_create(
        trajectory=active_trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Omgaan met frustratie",
        agreed_with_detainee=True,
    )


# --- access per role ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "consultant",
        "colleague",
        "outsider",
        "manager",
        "director",
        "other_director",
        "partner_with_consent",
        "partner_without_consent",
        "admin",
        "dpo",
    ],
)
def test_trajectory_detail_per_role(personas, trajectory, role):
    response = api(personas[role]).get(f"/api/v1/trajectories/{trajectory.pk}/")
    assert response.status_code == (200 if role in ROLES_THAT_SEE else 404)
    listed = api(personas[role]).get("/api/v1/trajectories/").json()["results"]
    assert [t["id"] for t in listed] == ([trajectory.pk] if role in ROLES_THAT_SEE else [])


def test_director_sees_status_and_lead_consultant_only(director, trajectory, consultant):
    body = api(director).get(f"/api/v1/trajectories/{trajectory.pk}/").json()
    assert body == {
        "id": trajectory.pk,
        "detainee": trajectory.detainee_id,
        "status": "referred",
        "lead_consultant": {"id": consultant.pk, "name": str(consultant)},
    }
    for sub in ("goals", "explorations"):
        assert api(director).get(f"/api/v1/trajectories/{trajectory.pk}/{sub}/").status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        "consultant",
        "colleague",
        "outsider",
        "manager",
        "director",
        "other_director",
        "partner_with_consent",
        "partner_without_consent",
        "admin",
        "dpo",
    ],
)
def test_goals_per_role(personas, goal, role):
    response = api(personas[role]).get(f"/api/v1/trajectories/{goal.trajectory_id}/goals/")
    sees = role in {"consultant", "colleague", "manager", "partner_with_consent"}
    assert response.status_code == (200 if sees else 404)
    assert api(personas[role]).get(f"/api/v1/goals/{goal.pk}/").status_code == (200 if sees else 404)


def test_partner_loses_access_when_consent_is_withdrawn(partner_with_consent, trajectory):
    trajectory.detainee.consents.update(withdrawn_on=dt.date(2025, 5, 1))
    assert api(partner_with_consent).get(f"/api/v1/trajectories/{trajectory.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["director", "partner_with_consent"])
def test_readers_may_not_change(personas, trajectory, role):
    response = api(personas[role]).post(
        f"/api/v1/trajectories/{trajectory.pk}/transition/", {"to": "intake"}, format="json"
    )
    assert response.status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.status == "referred"


@pytest.mark.parametrize("role", ["outsider", "other_director", "partner_without_consent", "admin", "dpo"])
def test_strangers_get_404_on_writes(personas, trajectory, role):
    response = api(personas[role]).post(
        f"/api/v1/trajectories/{trajectory.pk}/transition/", {"to": "intake"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role", ["consultant", "colleague", "outsider", "manager", "director", "partner_with_consent", "dpo"]
)
def test_actions_per_role(personas, detainee, role):
    action = ActionFactory(detainee=detainee)
    sees = role in {"consultant", "colleague", "manager"}
    assert api(personas[role]).get(f"/api/v1/actions/{action.pk}/").status_code == (200 if sees else 404)
    assert len(api(personas[role]).get("/api/v1/actions/").json()["results"]) == (1 if sees else 0)


def test_only_the_manager_assigns(manager, consultant, colleague, trajectory, detainee):
    body = {"lead_consultant": colleague.pk, "co_consultants": [consultant.pk]}
    assert api(consultant).post(f"/api/v1/trajectories/{trajectory.pk}/assign/", body, format="json").status_code == 403
    response = api(manager).post(f"/api/v1/trajectories/{trajectory.pk}/assign/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["lead_consultant"]["id"] == colleague.pk
    detainee.refresh_from_db()
    assert detainee.lead_consultant == colleague


def test_reads_are_logged(consultant, trajectory):
    api(consultant).get(f"/api/v1/trajectories/{trajectory.pk}/")
    log = AccessLog.objects.get()
    assert (log.user, log.detainee, log.object_kind, log.action) == (
        consultant,
        trajectory.detainee,
        "trajectory",
        "api",
    )


# --- the workflow through the API -------------------------------------------------------------------


def test_referral_exploration_goal_review_through_the_api(consultant, detainee, frozen):
    client = api(consultant)
    response = client.post(
        "/api/v1/trajectories/",
        {"detainee": detainee.pk, "referred_on": "2025-05-01", "referred_by": "psd"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert (
        client.post(
            f"/api/v1/trajectories/{pk}/transition/", {"to": "intake", "reason": "Kennismaking"}, format="json"
        ).status_code
        == 200
    )
    for d in LifeDomain.objects.filter(required=True):
        r = client.post(
            f"/api/v1/trajectories/{pk}/explorations/",
            {"domain": d.code, "need": "need", "explored_on": "2025-05-10"},
            format="json",
        )
        assert r.status_code == 201, r.json()
    assert (
        client.post(f"/api/v1/trajectories/{pk}/transition/", {"to": "active"}, format="json").json()["status"]
        == "active"
    )
    r = client.post(
        f"/api/v1/trajectories/{pk}/goals/",
        {"domain": "education_employment", "description": "Diploma secundair", "agreed_with_detainee": True},
        format="json",
    )
    assert r.status_code == 201, r.json()
    goal_id = r.json()["id"]
    for day, progress in (("2025-05-20", 1), ("2025-06-01", 3)):
        assert (
            client.post(
                f"/api/v1/goals/{goal_id}/reviews/", {"reviewed_on": day, "progress": progress}, format="json"
            ).status_code
            == 201
        )
    detail = client.get(f"/api/v1/trajectories/{pk}/").json()
    assert detail["is_success"] is True
    assert [h["to_status"] for h in detail["status_history"]] == ["referred", "intake", "active"]
    assert client.get(f"/api/v1/goals/{goal_id}/").json()["latest_progress"] == 3


# --- bad input: 400 with field errors, nothing changed ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "aftercare"}, "to"),
        ({"to": "closed"}, "closure_reason"),
        ({"to": "closed", "closure_reason": "bored"}, "closure_reason"),
        ({"to": "nowhere"}, "to"),
        ({}, "to"),
        ({"to": "active"}, "to"),
        ({"to": "closed", "closure_reason": "deceased", "on": "not-a-date"}, "on"),
        ({"to": "closed", "closure_reason": "deceased", "reason": "x" * 2001}, "reason"),
    ],
)
def test_bad_transitions_answer_400(consultant, trajectory, body, field):
    response = api(consultant).post(f"/api/v1/trajectories/{trajectory.pk}/transition/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    trajectory.refresh_from_db()
    assert trajectory.status == "referred" and trajectory.status_changes.count() == 1


def test_anything_from_closed_answers_400(consultant, trajectory):
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="closed", closure_reason="deceased")
    for to in ("referred", "intake", "active", "aftercare", "closed", "declined"):
        response = api(consultant).post(
            f"/api/v1/trajectories/{trajectory.pk}/transition/",
            {"to": to, "closure_reason": "other", "reason": "x"},
            format="json",
        )
        assert response.status_code == 400, to
    assert trajectory.status_changes.count() == 2


def test_second_open_trajectory_answers_400(consultant, trajectory, detainee):
    response = api(consultant).post(
        "/api/v1/trajectories/",
        {"detainee": detainee.pk, "referred_on": "2025-05-01", "referred_by": "psd"},
        format="json",
    )
    assert response.status_code == 400
    assert "detainee" in response.json()
    assert Trajectory.objects.count() == 1


def test_referral_for_an_invisible_detainee_is_404(consultant, outsider):
    stranger = DetaineeFactory(organisation=outsider.organisation)
    response = api(consultant).post(
        "/api/v1/trajectories/",
        {"detainee": stranger.pk, "referred_on": "2025-05-01", "referred_by": "psd"},
        format="json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("progress", [-1, 5, "veel", None])
def test_progress_outside_0_4_answers_400(consultant, goal, progress):
    response = api(consultant).post(
        f"/api/v1/goals/{goal.pk}/reviews/", {"reviewed_on": "2025-05-01", "progress": progress}, format="json"
    )
    assert response.status_code == 400
    assert "progress" in response.json()
    assert not GoalReview.objects.exists()


def test_goal_and_review_on_closed_trajectory_answer_400(consultant, goal):
    services.trajectory_transition(
        trajectory=goal.trajectory, user=consultant, to="closed", closure_reason="goals_reached"
    )
    client = api(consultant)
    r = client.post(
        f"/api/v1/trajectories/{goal.trajectory_id}/goals/",
        {"domain": "psychosocial", "description": "x"},
        format="json",
    )
    assert r.status_code == 400 and "trajectory" in r.json()
    r = client.post(f"/api/v1/goals/{goal.pk}/reviews/", {"reviewed_on": "2025-05-01", "progress": 2}, format="json")
    assert r.status_code == 400 and "trajectory" in r.json()
    assert Goal.objects.count() == 1 and not GoalReview.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"domain": "astrology", "need": "need"}, "domain"),
        ({"domain": "psychosocial", "need": "maybe"}, "need"),
        ({"domain": "psychosocial", "need": "need", "explored_on": "2030-01-01"}, "explored_on"),
        # Only a domain: the answer is the point of recording an exploration (this used to be a 500).
        ({"domain": "psychosocial"}, "need"),
    ],
)
def test_bad_explorations_answer_400(consultant, trajectory, body, field):
    response = api(consultant).post(f"/api/v1/trajectories/{trajectory.pk}/explorations/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not trajectory.explorations.exists()


def test_action_status_through_the_api(consultant, detainee):
    client = api(consultant)
    r = client.post(
        "/api/v1/actions/",
        {"detainee": detainee.pk, "description": "Bel de VDAB", "owner_user": consultant.pk, "due_on": "2025-07-01"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert (
        client.patch(f"/api/v1/actions/{r.json()['id']}/", {"status": "done"}, format="json").json()["status"] == "done"
    )
    assert client.patch(f"/api/v1/actions/{r.json()['id']}/", {"status": "later"}, format="json").status_code == 400
    bad = client.post("/api/v1/actions/", {"detainee": detainee.pk, "description": "Zonder eigenaar"}, format="json")
    assert bad.status_code == 400 and "owner_user" in bad.json()
    assert Action.objects.count() == 1


# --- constant query counts ------------------------------------------------------------------------------


def build(consultant, caw, n):
    for _ in range(n):
        person = DetaineeFactory(organisation=caw, lead_consultant=consultant)
        trajectory = TrajectoryFactory(detainee=person)
        trajectory.co_consultants.add(consultant)
        goal = GoalFactory(trajectory=trajectory)
        GoalReviewFactory(goal=goal)
        ActionFactory(detainee=person, goal=goal, trajectory=trajectory, source_kind="goal")


@pytest.mark.parametrize("n", [2, 12])
def test_trajectory_list_query_count(consultant, caw, django_assert_num_queries, n):
    build(consultant, caw, n)
    client = api(consultant)
    # 1 count, 1 page of trajectories (with lead consultant and the success annotation), 1 co-consultants
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/trajectories/").json()["results"]) == n


@pytest.mark.parametrize("n", [2, 12])
def test_action_list_query_count(consultant, caw, django_assert_num_queries, n):
    build(consultant, caw, n)
    client = api(consultant)
    # 1 count, 1 page of actions with detainee, owner, goal and trajectory joined
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/actions/?status=open").json()["results"]) == n


@pytest.mark.parametrize("n", [2, 12])
def test_goal_list_query_count(consultant, active_trajectory, django_assert_num_queries, n):
    for _ in range(n):
        GoalReviewFactory(goal=GoalFactory(trajectory=active_trajectory))
    explore_required(active_trajectory, consultant)
    client = api(consultant)
    # 1 trajectory (access), 1 access log insert, 1 count, 1 goals page, 1 reviews
    with django_assert_num_queries(5):
        assert len(client.get(f"/api/v1/trajectories/{active_trajectory.pk}/goals/").json()["results"]) == n


def test_consent_with_scope_assessments_only_reaches_assessments(consultant, detainee, trajectory):
    from tests.factories import UserFactory

    cgg = ConsentFactory(
        detainee=detainee, organisation__name="CGG", explained_by=consultant, scopes=["assessments"]
    ).organisation
    reader = UserFactory(username="cgg_reader", partner=True, organisation=cgg)
    assert api(reader).get(f"/api/v1/trajectories/{trajectory.pk}/").status_code == 404
    assert api(reader).get(f"/api/v1/trajectories/{trajectory.pk}/assessments/").status_code == 200


def test_sessions_of_a_trajectory_are_derived_from_their_date(
    consultant, partner_with_consent, director, trajectory, frozen
):
    from tests.factories import SessionFactory

    detainee = trajectory.detainee
    before = SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2025, 1, 5, 9, tzinfo=dt.UTC))
    during = SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC))
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="declined", on=dt.date(2025, 4, 1))
    after = SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2025, 4, 2, 9, tzinfo=dt.UTC))
    body = api(consultant).get(f"/api/v1/trajectories/{trajectory.pk}/sessions/").json()
    assert [s["id"] for s in body["results"]] == [during.pk]
    assert "confidential_notes" not in body["results"][0]
    # The partner's consent covers session summaries; the director sees no session content.
    assert api(partner_with_consent).get(f"/api/v1/trajectories/{trajectory.pk}/sessions/").json()["count"] == 1
    assert api(director).get(f"/api/v1/trajectories/{trajectory.pk}/sessions/").status_code == 404
    assert {before.pk, after.pk}.isdisjoint({s["id"] for s in body["results"]})


def test_open_at_finds_the_trajectory_a_session_counts_for(consultant, trajectory):
    from tests.factories import SessionFactory
    from trajectories import selectors

    session = SessionFactory(
        detainee=trajectory.detainee, author=consultant, started_at=dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC)
    )
    outreach = SessionFactory(
        detainee=trajectory.detainee, author=consultant, started_at=dt.datetime(2024, 12, 5, 9, tzinfo=dt.UTC)
    )
    assert selectors.trajectory_for_session(session) == trajectory
    assert selectors.trajectory_for_session(outreach) is None
