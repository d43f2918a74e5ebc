"""The "Traject" tab of the detainee's file (ADR 0027): what each role sees, edit links, empty state, queries."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import AccessLog, LifeDomain, Organisation
from tests.factories import ConsentFactory, UserFactory
from trajectories import services
from trajectories.models import AssessmentTemplate

from .factories import ActionFactory, GoalFactory, GoalReviewFactory

pytestmark = pytest.mark.django_db

# The `frozen` fixture's day (tests/trajectories/conftest.py): 2 June 2025.
TODAY = dt.date(2025, 6, 2)
ALL_ROLES = [
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
]


def tab(client, user, detainee, **headers):
    client.force_login(user)
    return client.get(reverse("trajectories:file_tab", args=[detainee.pk]), **headers)


def finalised(trajectory, user, *, code="exit-barriers", judgement="moderate", on=dt.date(2025, 5, 20), **text):
    template = AssessmentTemplate.objects.filter(code=code).order_by("-version").first()
    assessment = services.assessment_start(trajectory=trajectory, user=user, template=template, assessed_on=on)
    ratings = {r.item_id: {"rating": 1, "evidence": "Gesprek"} for r in assessment.ratings.select_related("item")}
    services.assessment_update(assessment=assessment, user=user, ratings=ratings, overall_judgement=judgement, **text)
    return services.assessment_finalise(assessment=assessment, user=user)


@pytest.fixture
def filled(active_trajectory, consultant):
    """Goals in two domains (one rising, one in the health domain), actions overdue/due/later, an assessment."""
    trajectory = active_trajectory
    work = services.goal_create(
        trajectory=trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="education_employment"),
        description="Opleiding lassen afronden met een erkend attest van de VDAB",
        agreed_with_detainee=True,
        agreed_on=dt.date(2025, 3, 1),
    )
    services.goal_review_add(goal=work, user=consultant, reviewed_on=dt.date(2025, 4, 1), progress=1)
    services.goal_review_add(goal=work, user=consultant, reviewed_on=dt.date(2025, 5, 1), progress=3)
    health = services.goal_create(
        trajectory=trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="mental_health"),
        description="Gesprekken bij de psycholoog volhouden",
    )
    services.goal_review_add(goal=health, user=consultant, reviewed_on=dt.date(2025, 5, 1), progress=2)
    for description, due_on in (
        ("Attest opvragen", TODAY - dt.timedelta(days=3)),
        ("Werkgever bellen", TODAY + dt.timedelta(days=2)),
        ("Huurcontract nakijken", TODAY + dt.timedelta(days=40)),
    ):
        services.action_create(
            detainee=trajectory.detainee,
            user=consultant,
            trajectory=trajectory,
            goal=work,
            description=description,
            owner_user=consultant,
            due_on=due_on,
        )
    finalised(trajectory, consultant, overall_note="Drempels dalen", changes_since_last="Werk gevonden")
    return trajectory


def with_scopes(detainee, partner, scopes):
    """Give the partner's organisation exactly `scopes` on the file (replacing the persona's consent)."""
    detainee.consents.filter(organisation=partner.organisation).delete()
    ConsentFactory(
        detainee=detainee,
        organisation=partner.organisation,
        explained_by=detainee.lead_consultant,
        scopes=["identity", *scopes],
    )


# --- Who gets the tab -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_tab_answers_per_role(client, personas, filled, role):
    response = tab(client, personas[role], filled.detainee)
    visible = {"consultant", "colleague", "manager", "director", "partner_with_consent"}
    assert response.status_code == (200 if role in visible else 404)


@pytest.mark.parametrize("role", ["consultant", "colleague", "manager"])
def test_case_staff_see_goals_trend_explorations_actions_and_the_latest_assessment(client, personas, filled, role):
    html = tab(client, personas[role], filled.detainee).content.decode()
    # Goals per domain, with the whole description, the latest progress and the trend (1 → 3).
    assert "Opleiding lassen afronden met een erkend attest van de VDAB" in html
    assert "3/4" in html and "gestegen" in html
    # Explorations of the required domains.
    assert "Nood" in html
    # Actions by due date: overdue, due within the week, later.
    assert "1 te laat" in html and "1 binnenkort verwacht" in html and "1 andere open actie" in html
    assert html.index("Attest opvragen") < html.index("Werkgever bellen") < html.index("Huurcontract nakijken")
    # The latest assessment in brief, linked to its page.
    assert "Drempels om de groep te verlaten" in html
    assert "Matig" in html and "Drempels dalen" in html and "Werk gevonden" in html
    assert "/trajecten/inschattingen/" in html


@pytest.mark.parametrize("role", ["consultant", "colleague", "manager"])
def test_those_who_may_change_the_trajectory_get_edit_links(client, personas, filled, role):
    html = tab(client, personas[role], filled.detainee).content.decode()
    goal = filled.goals.get(domain__code="education_employment")
    for url in (
        reverse("trajectories:goal_review", args=[goal.pk]),
        reverse("trajectories:goal_update", args=[goal.pk]),
        reverse("trajectories:goal_create", args=[filled.pk]),
        reverse("trajectories:action_create", args=[filled.pk]),
        reverse("trajectories:assessment_start", args=[filled.pk]),
        reverse("trajectories:exploration", args=[filled.pk, "social_context"]),
    ):
        assert url in html, url


def test_the_lead_consultant_sees_the_health_domain_a_colleague_does_not(client, consultant, colleague, filled):
    assert "Gesprekken bij de psycholoog volhouden" in tab(client, consultant, filled.detainee).content.decode()
    assert "Gesprekken bij de psycholoog volhouden" not in tab(client, colleague, filled.detainee).content.decode()


def test_a_director_sees_status_lead_and_the_judgement_only(client, director, consultant, filled):
    html = tab(client, director, filled.detainee).content.decode()
    assert "Actief" in html and str(consultant) in html
    assert "Matig" in html
    for hidden in (
        "Opleiding lassen afronden",
        "Attest opvragen",
        "Drempels dalen",
        "Werk gevonden",
        "/trajecten/inschattingen/",
        "/trajecten/doelen/",
        "nieuw/",
        "Succesindicator",
    ):
        assert hidden not in html, hidden


def test_a_partner_with_the_goals_scope_sees_goals_but_no_actions_assessments_or_edit_links(
    client, partner_with_consent, filled
):
    with_scopes(filled.detainee, partner_with_consent, ["trajectory_goals"])
    html = tab(client, partner_with_consent, filled.detainee).content.decode()
    assert "Opleiding lassen afronden met een erkend attest van de VDAB" in html and "gestegen" in html
    for hidden in (
        "Attest opvragen",
        "Open acties",
        "Laatste inschatting",
        "Matig",
        "Gesprekken bij de psycholoog",
        "/trajecten/doelen/",
        "nieuw/",
        "/verkenning/",
    ):
        assert hidden not in html, hidden


def test_a_partner_with_the_assessments_scope_also_sees_the_latest_assessment(client, partner_with_consent, filled):
    with_scopes(filled.detainee, partner_with_consent, ["trajectory_goals", "assessments"])
    html = tab(client, partner_with_consent, filled.detainee).content.decode()
    assert "Matig" in html and "Drempels dalen" in html
    assert "Attest opvragen" not in html and "nieuw/" not in html


def test_a_partner_with_the_health_scope_also_sees_the_health_domain(client, partner_with_consent, filled):
    with_scopes(filled.detainee, partner_with_consent, ["trajectory_goals", "health"])
    assert (
        "Gesprekken bij de psycholoog volhouden" in tab(client, partner_with_consent, filled.detainee).content.decode()
    )


@pytest.mark.parametrize("scopes", [["assessments"], ["session_summaries", "health"], []])
def test_a_partner_without_the_goals_scope_gets_a_404(client, partner_with_consent, filled, scopes):
    with_scopes(filled.detainee, partner_with_consent, scopes)
    assert tab(client, partner_with_consent, filled.detainee).status_code == 404


def test_a_partner_of_another_organisation_gets_a_404_even_with_a_consent_elsewhere(client, filled):
    other = UserFactory(partner=True, organisation=Organisation.objects.get(name="CGG"))
    assert tab(client, other, filled.detainee).status_code == 404


# --- States of the file -----------------------------------------------------------------------------------


def test_a_file_without_trajectory_shows_the_empty_state_with_the_start_action(client, consultant, detainee):
    html = tab(client, consultant, detainee).content.decode()
    assert "Nog geen traject" in html and "Traject starten" in html
    assert reverse("trajectories:refer", args=[detainee.pk]) in html


@pytest.mark.parametrize("role", ["director", "partner_with_consent"])
def test_the_empty_state_offers_no_start_to_who_may_not_start(client, personas, detainee, role):
    html = tab(client, personas[role], detainee).content.decode()
    assert "Nog geen traject" in html and "geen traject geregistreerd" in html
    assert reverse("trajectories:refer", args=[detainee.pk]) not in html


def test_a_closed_trajectory_is_shown_read_only_with_the_start_of_a_new_one(client, consultant, filled):
    services.trajectory_transition(
        trajectory=filled, user=consultant, to="closed", reason="Einde", closure_reason="goals_reached"
    )
    html = tab(client, consultant, filled.detainee).content.decode()
    assert "Afgesloten" in html and "Opleiding lassen afronden" in html
    assert "Er loopt geen traject meer" in html
    assert reverse("trajectories:refer", args=[filled.detainee_id]) in html
    assert "/trajecten/doelen/" not in html and "nieuw/" not in html and "/verkenning/" not in html


def test_a_trajectory_without_goals_or_actions_says_so(client, consultant, active_trajectory):
    html = tab(client, consultant, active_trajectory.detainee).content.decode()
    assert "Geen doel in dit domein." in html and "Geen open acties" in html
    assert "Nog geen definitieve inschatting" in html


def test_the_read_is_logged_and_htmx_gets_the_tab_alone(client, consultant, filled):
    response = tab(client, consultant, filled.detainee, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Opleiding lassen afronden" in html and "<html" not in html
    assert (
        AccessLog.objects.filter(user=consultant, object_kind="trajectory_tab", detainee=filled.detainee).count() == 1
    )


def test_the_tab_speaks_french_and_english(client, consultant, filled):
    for language, word in (("fr-be", "Actions ouvertes"), ("en", "Open actions")):
        consultant.language = language
        consultant.save(update_fields=["language"])
        assert word in tab(client, consultant, filled.detainee).content.decode()


# --- Query count ----------------------------------------------------------------------------------------------


def grow(trajectory, consultant, n):
    domains = list(LifeDomain.objects.exclude(code="mental_health").order_by("order")[:3])
    template = AssessmentTemplate.objects.filter(code="push-pull").order_by("-version").first()
    for index in range(n):
        goal = GoalFactory(trajectory=trajectory, domain=domains[index % len(domains)])
        GoalReviewFactory(goal=goal)
        GoalReviewFactory(goal=goal, reviewed_on=dt.date(2025, 4, 1), progress=3)
        ActionFactory(
            detainee=trajectory.detainee,
            trajectory=trajectory,
            goal=goal,
            source_kind="goal",
            due_on=TODAY + dt.timedelta(days=index - 3),
        )
        services.assessment_start(trajectory=trajectory, user=consultant, template=template)
    finalised(trajectory, consultant, on=dt.date(2025, 5, 1) + dt.timedelta(days=n))


# What each reader's tab costs (the same with one or ten of everything):
# consultant, manager: 1 session, 1 user, 1 detainee (access), 1 trajectories, 1 life domains with their
#   explorations, 1 goals, 1 reviews, 1 open actions, 1 latest assessments, 1 access-log insert, 1 current
#   listing, 1 co-consultants of the file (the header)
# director: 1 session, 1 user, 1 detainee, 1 prisons he directs, 1 trajectories, 1 latest assessments (their
#   judgement), 1 access-log insert, 1 current listing: no content, no actions
# partner (scope trajectory_goals): 1 session, 1 user, 1 detainee, 1 consent scopes of his organisation,
#   1 trajectories, 1 life domains, 1 goals, 1 reviews, 1 access-log insert: no actions, assessments or listing;
#   the sharing panel of the file page (ADR 0034): 1 his organisation's consents, 1 the conferences he may open
BUDGETS = {"consultant": 12, "manager": 12, "director": 8, "partner_with_consent": 11}


@pytest.mark.parametrize("role", sorted(BUDGETS))
def test_the_tab_costs_a_fixed_number_of_queries(client, personas, active_trajectory, role, django_assert_num_queries):
    consultant = personas["consultant"]
    client.force_login(personas[role])
    url = reverse("trajectories:file_tab", args=[active_trajectory.detainee_id])
    counts = []
    for n in (1, 9):
        grow(active_trajectory, consultant, n)
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(BUDGETS[role]):
        client.get(url)
