"""Compartments (docs/design.md §4; ADR 0009): confidential notes and health content are seen by the lead and
co-consultants and their manager only — and health content by a partner whose consent covers scope health.
Never by a colleague outside the case team, a director, another partner or the dpo (outside the subject-access
export), on any page, API serializer, PDF, export or e-mail that carries session data, goals or assessments.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Organisation
from casework.models import LifeDomain
from casework.services import consent_record
from casusoverleg import services as conference_services
from casusoverleg.models import AgendaItem
from casusoverleg.services import minutes as services_minutes
from tests.factories import DetaineeFactory, SessionFactory, UserFactory
from trajectories import services
from trajectories.models import Action, Assessment, AssessmentTemplate, Goal
from trajectories.services import release as services_release
from trajectories.services.handover import handover_package_build

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


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


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


def _surfaces(client, world) -> dict[str, str]:
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


def test_health_content_reaches_only_the_team_the_manager_and_a_health_consent(client, world, people):
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


def test_what_is_not_health_stays_visible(client, world, people):
    """The compartment takes health away, nothing else: a colleague and a partner keep the other goals."""
    for name in ("colleague", "partner"):
        client.force_login(people[name][0])
        everything = " ".join(_surfaces(client, world).values())
        for marker in SHARED:
            assert marker in everything, (name, marker)


def test_confidential_notes_only_for_the_team_and_the_manager(client, world, people):
    for name, (user, _health) in people.items():
        client.force_login(user)
        bodies = _surfaces(client, world)
        team = name in ("consultant", "co_consultant", "manager")
        assert (CONFIDENTIAL in bodies["api_sessions"]) is team, name
        assert (CONFIDENTIAL in bodies["api_session"]) is team, name
        # A trajectory's sessions and the assessments never carry confidential notes, whoever asks.
        for surface in ("api_trajectory_sessions", "api_assessments", "api_assessment", "page_trajectory"):
            assert CONFIDENTIAL not in bodies[surface], (name, surface)


def test_a_sessions_health_domain_is_shown_only_inside_the_compartment(client, world, people):
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


def test_a_health_goal_is_a_404_outside_the_compartment(client, world, colleague, partner_with_consent, consultant):
    goal = world["goals"]["HEALTH"]
    for user in (colleague, partner_with_consent):
        client.force_login(user)
        assert client.get(f"/api/v1/goals/{goal.pk}/").status_code == 404
        assert client.get(f"/api/v1/goals/{goal.pk}/reviews/").status_code == 404
    client.force_login(consultant)
    assert client.get(f"/api/v1/goals/{goal.pk}/").status_code == 200


def test_the_success_indicator_does_not_depend_on_who_looks(client, world, colleague, consultant):
    """Only the health goal is agreed with the detainee: hidden from a colleague, it still makes the success."""
    Goal.objects.filter(pk=world["goals"]["EDU"].pk).update(agreed_with_detainee=False, agreed_on=None)
    for user in (consultant, colleague):
        client.force_login(user)
        response = client.get(reverse("trajectories:detail", args=[world["trajectory"].pk]))
        assert response.context["is_success"] is True


def test_the_automatic_changes_text_leaves_health_items_out(world):
    text = Assessment.objects.get(pk=world["assessment"].pk).changes_since_last
    assert "diploma" in text or "kwalificatie" in text  # an education item changed from 1 to 2
    for label in ("onverwerkte ingrijpende ervaringen", "gespecialiseerde zorg", "alcohol, drugs"):
        assert label not in text


# --- PDFs ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def released(world, consultant, frozen):
    services_release.trajectory_release(
        trajectory=world["trajectory"],
        user=consultant,
        released_on=dt.date(2026, 3, 1),
        modality="end_of_sentence",
        destination_municipality="Genk",
    )
    return world


def _package(world, consultant, organisation):
    package = services_release.handover_package_request(
        trajectory=world["trajectory"], user=consultant, recipient_organisation=organisation
    )
    return pdf_text(handover_package_build(package_id=package.pk).file.open("rb").read())


def test_the_handover_package_carries_health_only_with_scope_health(
    released, consultant, partner_with_consent, health_partner
):
    without = _package(released, consultant, partner_with_consent.organisation)
    assert "GOAL-EDU" in without and "ACTION-EDU" in without
    assert "GOAL-HEALTH" not in without and "ACTION-HEALTH" not in without
    with_health = _package(released, consultant, health_partner.organisation)
    assert "GOAL-HEALTH" in with_health and "ACTION-HEALTH" in with_health
    for text in (without, with_health):
        assert CONFIDENTIAL not in text and "EVID-" not in text and "SUMMARY-SHARED" in text


def test_the_conference_agenda_and_minutes_pdf_carry_no_health_content(client, world, director, consultant, frozen):
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


def test_the_subject_access_export_is_complete(client, world, dpo):
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


def test_the_yearly_exports_carry_no_case_content(client, world, manager):
    client.force_login(manager)
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("reporting:yearly_export", args=[fmt]), {"jaar": 2026})
        assert response.status_code == 200, fmt
        body = pdf_text(response.content) if fmt == "pdf" else response.content.decode("utf-8", "ignore")
        for marker in (*HEALTH, *SHARED, CONFIDENTIAL, "SUMMARY-SHARED", "Benali"):
            assert marker not in body, (fmt, marker)


def test_actions_lists_respect_the_compartment(client, world, colleague, consultant):
    client.force_login(colleague)
    assert not any(
        row["description"].startswith("ACTION-HEALTH") for row in client.get("/api/v1/actions/").json()["results"]
    )
    health_action = Action.objects.get(description__startswith="ACTION-HEALTH")
    assert client.get(f"/api/v1/actions/{health_action.pk}/").status_code == 404
    client.force_login(consultant)
    assert client.get(f"/api/v1/actions/{health_action.pk}/").status_code == 200


def test_other_organisations_get_nothing(client, world, outsider):
    client.force_login(outsider)
    for surface, body in _surfaces(client, world).items():
        for marker in (*HEALTH, *SHARED, CONFIDENTIAL, "SUMMARY-SHARED"):
            assert marker not in body, (surface, marker)


# --- Writes (ADR 0009 §7): health content is written by those who may read it -------------------------------------

WRITERS = ("consultant", "co_consultant", "manager")  # case staff inside the compartment
READ_ONLY = ("director", "partner", "health_partner", "dpo", "outsider")  # may change no trajectory at all


@pytest.fixture
def draft(world, consultant):
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


def test_health_ratings_sent_through_the_api_are_refused_outside_the_compartment(client, draft, people):
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


def _session_of(world, author):
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


def test_editing_a_sessions_domains_keeps_the_hidden_health_tag(client, world, colleague, consultant):
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


def test_a_new_session_gets_a_health_tag_only_from_inside_the_compartment(client, world, people):
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


def test_health_goals_explorations_and_actions_cannot_be_written_from_outside(client, world, people):
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
    client, world, colleague, consultant
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
