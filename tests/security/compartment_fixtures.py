"""The file the compartment tests look at (ADR 0009): a trajectory with health and other goals, reviews,
actions, explorations, needs scans and a session with confidential notes, and who may see health content.
"""

import datetime as dt

import pytest
import time_machine

from accounts.models import Organisation
from casework.models import LifeDomain
from casework.services import consent_record
from tests.factories import DetaineeFactory, SessionFactory, UserFactory
from trajectories import services
from trajectories.models import AssessmentTemplate

HEALTH = ["GOAL-HEALTH", "REVIEW-HEALTH", "ACTION-HEALTH", "EXPL-HEALTH", "EVID-mental_health"]
SHARED = ["GOAL-EDU", "REVIEW-EDU", "EXPL-EDU", "EVID-education_employment"]
CONFIDENTIAL = "CONF-NOTE-QQQ"
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def shipped_instruments(db):
    """Transactional tests elsewhere flush the migration's data; put the shipped instruments back if gone."""
    from django.apps import apps

    from trajectories.instruments import load

    if not AssessmentTemplate.objects.exists():
        load(apps)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def co_consultant(caw):
    return UserFactory(username="co_consultant", consultant=True, organisation=caw)


@pytest.fixture
def health_partner(db):
    """A CGG partner whose consent covers health (the partner_without_consent persona's organisation)."""
    return UserFactory(username="cgg_partner", partner=True, organisation=Organisation.objects.get(name="CGG"))


@pytest.fixture
def world(frozen, caw, consultant, co_consultant, hasselt, partner_with_consent, health_partner):
    """A file with a session, a trajectory with health and other goals, reviews, actions, explorations and two
    finalised needs scans; VDAB may see goals and assessments (no health), CGG the same plus health."""
    person = DetaineeFactory(
        first_name="Rachid",
        last_name="Benali",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        search_name="rachid benali",
    )
    person.co_consultants.add(co_consultant)
    base = ["identity", "trajectory_goals", "assessments", "session_summaries", "minutes"]
    for organisation, scopes in (
        (partner_with_consent.organisation, base),
        (health_partner.organisation, [*base, "health"]),
    ):
        consent_record(
            detainee=person,
            user=consultant,
            organisation=organisation,
            purposes=["conference", "handover"],
            scopes=scopes,
            given_on=dt.date(2026, 1, 5),
            explained_by=consultant,
            language="nl",
        )
    session = SessionFactory(
        detainee=person,
        author=consultant,
        started_at=NOW - dt.timedelta(days=3),
        summary="SUMMARY-SHARED",
        confidential_notes=f"{CONFIDENTIAL} over de broer",
    )
    session.domains.set(LifeDomain.objects.filter(code__in=["mental_health", "education_employment"]))
    trajectory = services.trajectory_refer(
        detainee=person, user=consultant, referred_on=dt.date(2026, 1, 5), referred_by="psd"
    )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    for domain in LifeDomain.objects.filter(required=True):
        note = {"mental_health": "EXPL-HEALTH trauma", "education_employment": "EXPL-EDU diploma"}.get(domain.code, "")
        services.exploration_record(
            trajectory=trajectory,
            user=consultant,
            domain=domain,
            need="need",
            explored_on=dt.date(2026, 1, 10),
            note=note,
        )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="active")
    goals = {}
    for code, marker in (("mental_health", "HEALTH"), ("education_employment", "EDU")):
        goal = services.goal_create(
            trajectory=trajectory,
            user=consultant,
            domain=LifeDomain.objects.get(code=code),
            description=f"GOAL-{marker} doel",
            agreed_with_detainee=True,
            agreed_on=dt.date(2026, 1, 12),
        )
        services.goal_review_add(
            goal=goal, user=consultant, reviewed_on=dt.date(2026, 2, 1), progress=2, note=f"REVIEW-{marker} loopt"
        )
        services.action_create(
            detainee=person,
            user=consultant,
            description=f"ACTION-{marker} opvolgen",
            owner_user=consultant,
            due_on=dt.date(2026, 4, 1),
            goal=goal,
            source_kind="goal",
            trajectory=trajectory,
        )
        goals[marker] = goal
    template = AssessmentTemplate.objects.get(code="life-domain-needs")
    assessments = []
    for day, score in ((dt.date(2026, 1, 20), 1), (dt.date(2026, 2, 20), 2)):
        assessment = services.assessment_start(
            trajectory=trajectory, user=consultant, template=template, assessed_on=day
        )
        services.assessment_update(
            assessment=assessment,
            user=consultant,
            overall_judgement="moderate",
            ratings={
                r.item_id: {"rating": score, "evidence": f"EVID-{r.item.section.code}-{r.item.code}"}
                for r in assessment.ratings.select_related("item__section")
            },
        )
        services.assessment_finalise(assessment=assessment, user=consultant)
        assessments.append(assessment)
    return {
        "detainee": person,
        "session": session,
        "trajectory": trajectory,
        "goals": goals,
        "assessment": assessments[-1],
    }


@pytest.fixture
def people(
    consultant, co_consultant, manager, colleague, director, partner_with_consent, health_partner, dpo, outsider
):
    """Who sees health content (True) and who does not."""
    return {
        "consultant": (consultant, True),
        "co_consultant": (co_consultant, True),
        "manager": (manager, True),
        "health_partner": (health_partner, True),
        "colleague": (colleague, False),
        "director": (director, False),
        "partner": (partner_with_consent, False),
        "dpo": (dpo, False),
        "outsider": (outsider, False),
    }
