"""Query budget of every page and API list (docs/design.md §8, §10, §11): at most 15 queries per request, and the
same number whatever the data size.

The walk takes every URL pattern of the project (the permission matrix's resolver walk) and every persona,
requests each page the persona may see (a 200 in tests/security/matrix_expectations.py), once on a file
with one row of everything (sessions, goals, reviews, actions, network persons, consents, participants,
agenda items, decisions, conferences, notifications, …) and once after nine more of each were added, and
asserts for every (persona, page) that the count stays within the budget and did not grow.

Beyond the ceiling, the exact count of every (persona, page) is recorded in tests/query_counts.json, a reviewed
file: a page that costs one query more (or less) fails here until the file is regenerated, so the change shows in
the diff of the commit that causes it. To regenerate it after a deliberate change (the file is rewritten with
this run's counts, one line per page; review the diff):

    QUERY_COUNTS_UPDATE=1 make test PYTEST_ARGS=tests/test_query_counts.py

Set `QUERY_COUNT_DUMP=1` to print the table of counts (e.g. to review a new page), or to a view name
(`QUERY_COUNT_DUMP=trajectories:detail`) to print that page's queries too.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework.models import AccessLog, InterventionModule, LifeDomain
from casusoverleg import services as conference_services
from casusoverleg.models import Conference
from casusoverleg.services import minutes as services_minutes
from diary.models import PlannedContact
from diary.services import planned_contact_plan
from notifications.models import Notification
from tests.casusoverleg.factories import schedule
from tests.factories import (
    ConsentFactory,
    DetaineeFactory,
    ListingFactory,
    NetworkPersonFactory,
    PlacementFactory,
    SessionFactory,
)
from tests.security.matrix_expectations import EXPECTED
from tests.security.test_permission_matrix import resolve_url, url_patterns
from tests.trajectories.factories import ActionFactory, GoalFactory, GoalReviewFactory
from trajectories import services as trajectory_services
from trajectories.models import AssessmentTemplate, PartnerReferral

pytestmark = pytest.mark.django_db

BUDGET = 15
BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS)
PERSONAS = [
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
# Pages whose work is not a page view: logging out and re-authenticating end or restart the session.
NOT_A_PAGE_VIEW = ("account_logout", "account_reauthenticate", "mfa_reauthenticate")
# persona -> "view name route" -> queries: the reviewed record of every page's exact cost.
COUNTS_FILE = Path(__file__).with_name("query_counts.json")
UPDATE = bool(os.environ.get("QUERY_COUNTS_UPDATE"))


def recorded_counts() -> dict[str, dict[str, int]]:
    return json.loads(COUNTS_FILE.read_text()) if COUNTS_FILE.exists() else {}


def record_counts(persona: str, counts: dict[str, int]) -> None:
    """Rewrite the persona's entry of the file (under a lock: xdist workers may record other personas at once)."""
    with open(COUNTS_FILE, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read()
        every = json.loads(text) if text.strip() else {}
        every[persona] = dict(sorted(counts.items()))
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(dict(sorted(every.items())), indent=1, ensure_ascii=False) + "\n")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(frozen, personas, detainee, consultant, director, caw, partner_org):
    """The consultant's file in Hasselt with an active trajectory and a conference with draft minutes; the
    objects the URL patterns point at, as in the permission matrix."""
    if not AssessmentTemplate.objects.exists():  # a transactional test elsewhere flushed the shipped instruments
        from django.apps import apps

        from trajectories.instruments import load

        load(apps)
    ConsentFactory(
        detainee=detainee,
        organisation=partner_org,
        explained_by=consultant,
        purposes=["conference", "referral"],
        scopes=["identity", "session_summaries", "trajectory_goals", "assessments", "minutes"],
    )
    trajectory = trajectory_services.trajectory_refer(
        detainee=detainee,
        user=consultant,
        referred_on=dt.date(2025, 1, 6),
        referred_by="psd",
        referral_reason="Aangemeld door de PSD",
    )
    trajectory_services.trajectory_transition(
        trajectory=trajectory, user=consultant, to="intake", reason="Eerste gesprek"
    )
    for domain in LifeDomain.objects.filter(required=True):
        trajectory_services.exploration_record(
            trajectory=trajectory, user=consultant, domain=domain, need="need", explored_on=dt.date(2025, 2, 1)
        )
    trajectory_services.trajectory_transition(
        trajectory=trajectory, user=consultant, to="active", reason="Plan afgesproken"
    )
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    session = SessionFactory(detainee=detainee, author=consultant, started_at=NOW - dt.timedelta(days=3))
    person = NetworkPersonFactory(detainee=detainee)
    goal = GoalFactory(trajectory=trajectory, domain=LifeDomain.objects.get(code="psychosocial"))
    action = ActionFactory(
        detainee=detainee, trajectory=trajectory, goal=goal, owner_user=consultant, source_kind="goal"
    )
    planned_contact = planned_contact_plan(
        detainee=detainee, consultant=consultant, kind="visit", starts_at=NOW + dt.timedelta(hours=5)
    )
    from trajectories.services.referrals import partner_referral_create

    referral = partner_referral_create(
        detainee=detainee, user=consultant, organisation=partner_org, service="Werk", question="Kan hij starten?"
    )
    objects = {
        "referral": referral,
        "planned_contact": planned_contact,
        "detainee": detainee,
        "session": session,
        "person": person,
        "consent": detainee.consents.first(),
        "trajectory": trajectory,
        "goal": goal,
        "action": action,
        "conference": conference,
        "participant": conference.participants.first(),
        "agenda_item": conference.agenda_items.first(),
    }
    grow(objects, personas, 1)
    return objects


def grow(objects, personas, n: int) -> None:
    """Add `n` rows of every kind a page lists, on the file and around it."""
    detainee, trajectory, conference = objects["detainee"], objects["trajectory"], objects["conference"]
    consultant, director, caw = personas["consultant"], personas["director"], personas["consultant"].organisation
    partner = personas["partner_with_consent"]
    domains = list(LifeDomain.objects.order_by("order")[:3])
    modules = list(InterventionModule.objects.all()[:2])
    template = AssessmentTemplate.objects.order_by("pk").first()
    for index in range(n):
        person = NetworkPersonFactory(detainee=detainee)
        session = SessionFactory(
            detainee=detainee, author=consultant, started_at=NOW - dt.timedelta(days=10 + index, hours=index)
        )
        session.domains.add(*domains)
        session.modules.add(*modules)
        session.participants.add(person)
        ListingFactory(detainee=detainee, listed_on=dt.date(2022, 5, 1) + dt.timedelta(days=index))
        PlacementFactory(detainee=detainee, from_date=dt.date(2023, 1, 10) + dt.timedelta(days=index))
        goal = GoalFactory(trajectory=trajectory, domain=domains[index % len(domains)])
        GoalReviewFactory(goal=goal)
        GoalReviewFactory(goal=goal, reviewed_on=dt.date(2025, 4, 1), progress=3)
        ActionFactory(detainee=detainee, trajectory=trajectory, goal=goal, owner_user=consultant, source_kind="goal")
        trajectory_services.assessment_start(
            trajectory=trajectory,
            user=consultant,
            template=template,
            assessed_on=dt.date(2025, 3, 1) + dt.timedelta(days=index),
        )
        # One address per person: grow() runs twice, and the same address is the same person (ADR 0033).
        seat = conference.participants.count()
        conference_services.participant_add(
            conference=conference,
            user=director,
            role="partner",
            name=f"Extern {seat}",
            email=f"extern{seat}@example.org",
            organisation=partner.organisation,
        )
        conference_services.agenda_item_add(conference=conference, user=director, title=f"Punt {index}")
        # Another file in the same organisation and prison, with its own contact, listing, trajectory and
        # conference: the caseload, dashboards, calendars and API lists grow too.
        other = DetaineeFactory(organisation=caw, current_prison=detainee.current_prison, lead_consultant=consultant)
        ListingFactory(detainee=other)
        other_consent = ConsentFactory(
            detainee=other,
            organisation=partner.organisation,
            explained_by=consultant,
            purposes=["conference", "referral"],
            scopes=["identity", "session_summaries", "trajectory_goals", "minutes"],
        )
        # Referrals to the partner grow with the files (ADR 0034): the referral lists and the dashboard.
        PartnerReferral.objects.create(
            detainee=other,
            organisation=partner.organisation,
            service="Werk",
            question="Vraag",
            consent=other_consent,
            referred_by=consultant,
        )
        SessionFactory(detainee=other, author=consultant, started_at=NOW - dt.timedelta(days=5, hours=index))
        other_trajectory = trajectory_services.trajectory_refer(
            detainee=other,
            user=consultant,
            referred_on=dt.date(2025, 6, 1),
            referred_by="psd",
            referral_reason="Aangemeld",
        )
        ActionFactory(detainee=other, trajectory=other_trajectory, owner_user=consultant, due_on=dt.date(2026, 2, 1))
        schedule(director, other, starts_at=dt.datetime(2026, 3, 10 + index, 10, 0, tzinfo=BRUSSELS))
        # The diary: a visit today, one next week, and one of yesterday never logged (written as it stands).
        planned_contact_plan(
            detainee=other, consultant=consultant, kind="visit", starts_at=NOW + dt.timedelta(hours=2, minutes=index)
        )
        planned_contact_plan(
            detainee=other, consultant=consultant, kind="call", starts_at=NOW + dt.timedelta(days=3, minutes=index)
        )
        PlannedContact.objects.create(
            detainee=other,
            consultant=consultant,
            kind="visit",
            prison=other.current_prison,
            starts_at=NOW - dt.timedelta(days=1, minutes=index),
        )
        for user in personas.values():
            Notification.objects.create(recipient=user, kind="test", text=f"Melding {index}")
        AccessLog.objects.create(
            user=consultant, detainee=detainee, object_kind="detainee", object_id=str(detainee.pk), action="view"
        )
    minutes = conference.minutes_versions.get(number=1)
    items = list(conference.agenda_items.values_list("pk", flat=True))
    size = objects.get("_size", 0) + n
    decisions = [{"text": f"Besluit {i}", "consensus": True} for i in range(size)]
    actions = [
        {"description": f"Actie {i}", "owner_user": consultant, "due_on": dt.date(2026, 4, 1)}
        for i in range(len(decisions))
    ]
    services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Notities",
        notes={pk: "Besproken" for pk in items},
        decisions=decisions,
        actions=actions,
    )
    objects["_size"] = size
    # Saving minutes marks the conference as having a draft; put it back to planned so its page shows every
    # section at once: the scheduling rule flags of a planned conference and the minutes with their content.
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.PLANNED)


def pages(persona: str) -> list[tuple[str, str]]:
    """(view name, route) of every pattern the persona may GET (an expected 200)."""
    rows = []
    for name, route in url_patterns():
        expected = EXPECTED.get(name, {}).get("get", {}).get(persona, set())
        if 200 in expected and name not in NOT_A_PAGE_VIEW and name not in ("healthz", "readyz"):
            rows.append((name, route))
    return rows


def measure(client: Client, persona: str, objects) -> dict[str, tuple[int, int]]:
    """(queries, status) per "view name route" (the route, not the URL: primary keys differ between runs)."""
    counts = {}
    for name, route in pages(persona):
        url = resolve_url(name, route, objects)
        client.get(url, HTTP_ACCEPT="text/html,application/json")  # warm up, as a second visit
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        if response.status_code != 200:
            continue
        counts[f"{name} {route}"] = (len(ctx.captured_queries), response.status_code)
        if os.environ.get("QUERY_COUNT_DUMP") == name:
            print(f"\n--- {persona} {url}")
            for query in ctx.captured_queries:
                print("  ", query["sql"][:400])
    return counts


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_stays_within_the_budget_whatever_the_data_size(persona, personas, world, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    settings.REPORTING_CACHE_SECONDS = 0
    client = Client()
    client.force_login(personas[persona])
    small = measure(client, persona, world)
    grow(world, personas, 9)
    large = measure(client, persona, world)
    if os.environ.get("QUERY_COUNT_DUMP"):
        print(f"\n=== {persona}")
        for key in sorted(small):
            print(f"{small[key][0]:>3} {large.get(key, ('-',))[0]:>3}  {key}")
    over = {key: count for key, (count, _) in large.items() if count > BUDGET}
    grew = {key: (small[key][0], large[key][0]) for key in small if key in large and large[key][0] != small[key][0]}
    assert not over, f"{persona}: pages over {BUDGET} queries: {over}"
    assert not grew, f"{persona}: pages whose query count grows with the data (1 row → 10 rows): {grew}"
    assert small, f"{persona}: no page measured"
    exact = {key: count for key, (count, _) in large.items()}
    if UPDATE:
        record_counts(persona, exact)
        return
    recorded = recorded_counts().get(persona, {})
    changed = {
        key: f"{recorded.get(key, 'new')} → {count}" for key, count in exact.items() if recorded.get(key) != count
    }
    gone = sorted(set(recorded) - set(exact))
    assert not changed and not gone, (
        f"{persona}: the query counts differ from {COUNTS_FILE.name} (recorded → now): {changed}"
        f"{f'; no longer measured: {gone}' if gone else ''}. If the change is meant, regenerate the file with "
        f"QUERY_COUNTS_UPDATE=1 (see the module's docstring) and commit it with the change."
    )


def _approved_conference(director, detainee, partner, n: int) -> Conference:
    """A conference with `n` participants, agenda items, decisions and actions, its minutes approved."""
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    conference_services.participant_add(conference=conference, user=director, role="partner", participant_user=partner)
    for index in range(n):
        conference_services.participant_add(
            conference=conference,
            user=director,
            role="partner",
            name=f"Extern {index}",
            email=f"extern{index}@example.org",
        )
        conference_services.agenda_item_add(conference=conference, user=director, title=f"Punt {index}")
    minutes = conference.minutes_versions.get(number=1)
    services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Notities",
        notes={pk: "Besproken" for pk in conference.agenda_items.values_list("pk", flat=True)},
        decisions=[
            {"text": f"Besluit {i}", "consensus": i % 2 == 0, "dissent_who": "PSD", "dissent_why": "Te vroeg"}
            for i in range(n)
        ],
        actions=[
            {"description": f"Actie {i}", "owner_user": director, "due_on": dt.date(2026, 4, 1)} for i in range(n)
        ],
    )
    return conference


@pytest.mark.parametrize("persona", ["director", "consultant", "manager", "partner_with_consent"])
def test_the_page_of_approved_minutes_costs_the_same_with_one_or_ten_decisions(
    persona, personas, frozen, detainee, caw, partner_org, settings
):
    """The benchmark's conference page: approved minutes, read by the chair, the case staff and an invited
    partner whose organisation holds a consent with scope minutes."""
    settings.DISENGAGE_MFA_REQUIRED = False
    director, partner = personas["director"], personas["partner_with_consent"]
    other = DetaineeFactory(
        organisation=caw, current_prison=detainee.current_prison, lead_consultant=personas["consultant"]
    )
    for person in (detainee, other):
        ConsentFactory(
            detainee=person,
            organisation=partner_org,
            explained_by=personas["consultant"],
            scopes=["identity", "minutes"],
        )
    small, large = (
        _approved_conference(director, detainee, partner, 1),
        _approved_conference(director, other, partner, 10),
    )
    frozen.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    for conference in (small, large):
        minutes = conference.minutes_versions.get(number=1)
        services_minutes.minutes_approve(minutes=minutes, user=director, revision=minutes.revision)
    client = Client()
    client.force_login(personas[persona])
    counts = []
    for conference in (small, large):
        url = f"/casusoverleg/{conference.pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert "Besluit 0" in response.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.parametrize("existing", [1, 10])
def test_saving_a_session_costs_a_fixed_number_of_queries(
    existing, client, consultant, detainee, frozen, django_assert_num_queries
):
    """The benchmark's "session save": a routine entry with domains, modules and network persons present, on a
    file with one or ten earlier sessions (and as many network persons)."""
    from casework.models import Session

    people = [NetworkPersonFactory(detainee=detainee) for _ in range(existing)]
    for index in range(existing):
        SessionFactory(detainee=detainee, author=consultant, started_at=NOW - dt.timedelta(days=index + 1))
    domains = list(LifeDomain.objects.values_list("pk", flat=True)[:existing])
    modules = list(InterventionModule.objects.filter(is_active=True).values_list("pk", flat=True)[:existing])
    client.force_login(consultant)
    data = {
        "started_at": (NOW - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "modality": "in_person_prison",
        "attendance": "attended",
        "engagement": "4",
        "domains": domains,
        "modules": modules,
        "participants": [p.pk for p in people],
        "summary": "Gesprek over de voortgang.",
        "confidential_notes": "Vertrouwelijk.",
    }
    # 1 session, 1 user, 1 detainee (access), 1 life domains, 1 modules and 1 network persons (the form's
    # choices), 1 transaction start, 1 insert (with its history context), 3 link inserts (domains, modules,
    # persons), 1 transaction end: the same with one or ten of everything
    with django_assert_num_queries(12):
        response = client.post(f"/gedetineerden/{detainee.pk}/contactmoment/", data)
    assert response.status_code == 302
    saved = Session.objects.get(summary="Gesprek over de voortgang.")
    assert saved.domains.count() == len(domains) and saved.modules.count() == len(modules)
    assert saved.participants.count() == existing


# The file's "Traject" tab (ADR 0027) per reader, on the world's file with an active trajectory, goals with two
# reviews each, actions, assessments and a partner consent with scopes trajectory_goals and assessments:
# 1 session, 1 user, 1 detainee (access), 1 trajectories of the file, then as the reader may see them 1 life
# domains with their explorations, 1 goals, 1 reviews, 1 open actions, 1 latest assessments, and 1 access-log
# insert; the file page around it: 1 current listing and 1 co-consultants (case staff), 1 prisons the director
# directs, 1 consent scopes of the partner's organisation; for the partner the sharing panel (ADR 0034): 1 his
# organisation's consents, 1 the conferences he may open, 1 the assessments, 1 the referrals to his organisation.
FILE_TAB_QUERIES = {"consultant": 12, "manager": 12, "director": 8, "partner_with_consent": 14}


@pytest.mark.parametrize("persona", sorted(FILE_TAB_QUERIES))
def test_the_files_trajectory_tab_costs_the_same_with_one_or_ten_of_everything(persona, personas, world, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    client = Client()
    client.force_login(personas[persona])
    url = f"/trajecten/dossier/{world['detainee'].pk}/"
    counts = []
    for size in (1, 10):
        if size == 10:
            grow(world, personas, 9)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [FILE_TAB_QUERIES[persona]] * 2, counts
