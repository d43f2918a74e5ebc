"""The API fuzzed from its own OpenAPI schema (schemathesis) as two consultants of different
organisations, against a live server on the test database:

- no request, however malformed, gets a 5xx;
- no operation answers an anonymous caller with data (no auth bypass);
- no operation gives the consultant of organisation B an object of organisation A
  (object-level authorisation: every path id of A's objects answers 404/403 to B, 200 to A).

Bounded: a few examples per operation and user, so the whole file runs well under three minutes.
"""

from __future__ import annotations

import re

import pytest
import requests
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings

from accounts.models import Organisation
from tests.factories import (
    ConsentFactory,
    DetaineeFactory,
    NetworkPersonFactory,
    SessionFactory,
    UserFactory,
    api_token_for,
)
from tests.trajectories.factories import ActionFactory, GoalFactory, TrajectoryFactory, domain

EXAMPLES_PER_OPERATION = 3
METHODS = ("get", "post", "put", "patch", "delete")

# A live server needs committed data: transactional tests, whose flush also empties the reference data
# the migration inserted. It is loaded again before each test and after the module (the loader is idempotent).
pytestmark = pytest.mark.django_db(transaction=True)


def _load_reference_data() -> None:
    """The data migrations' rows (one loader for the whole suite: tests/conftest.py)."""
    from tests.conftest import load_migrated_data

    load_migrated_data()


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def world(transactional_db):
    """Organisation A (CAW Limburg) with a full file; organisation B (CAW Antwerpen) with its own."""
    _load_reference_data()
    org_a = Organisation.objects.get(name="CAW Limburg")
    org_b = Organisation.objects.create(name="CAW Antwerpen fuzz", kind="caw")
    user_a = UserFactory(username="fuzz_a", consultant=True, organisation=org_a)
    user_b = UserFactory(username="fuzz_b", consultant=True, organisation=org_b)
    detainee_a = DetaineeFactory(organisation=org_a, lead_consultant=user_a, first_name="Adam", last_name="Alfa")
    detainee_b = DetaineeFactory(organisation=org_b, lead_consultant=user_b, first_name="Bram", last_name="Beta")
    consent_a = ConsentFactory(
        detainee=detainee_a,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=user_a,
        scopes=["identity"],
    )
    session_a = SessionFactory(detainee=detainee_a, author=user_a)
    SessionFactory(detainee=detainee_b, author=user_b)
    NetworkPersonFactory(detainee=detainee_a)
    trajectory_a = TrajectoryFactory(detainee=detainee_a, lead_consultant=user_a)
    goal_a = GoalFactory(trajectory=trajectory_a, domain=domain("psychosocial"))
    action_a = ActionFactory(
        detainee=detainee_a, trajectory=trajectory_a, owner_user=user_a, description="Afspraak VDAB"
    )
    ids_a = {
        "detainees": detainee_a.pk,
        "consents": consent_a.pk,
        "sessions": session_a.pk,
        "trajectories": trajectory_a.pk,
        "goals": goal_a.pk,
        "actions": action_a.pk,
    }
    return {
        "tokens": {"A": api_token_for(user_a), "B": api_token_for(user_b)},
        "ids_a": ids_a,
    }


def load_schema(live_server, token: str):
    response = requests.get(
        f"{live_server.url}{reverse('api-schema')}",
        headers={"Authorization": f"Token {token}", "Accept": "application/vnd.oai.openapi+json"},
        timeout=60,
    )
    assert response.status_code == 200, f"the OpenAPI schema itself fails: {response.status_code} {response.text[:300]}"
    return schemathesis.openapi.from_dict(response.json())


def operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.lower() in METHODS:
            yield operation


def fuzz(operation, base_url: str, token: str, statuses: list[int], examples: int = EXAMPLES_PER_OPERATION):
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(base_url=base_url, headers={"Authorization": f"Token {token}"}, timeout=30)
        statuses.append(response.status_code)
        assert response.status_code < 500, (
            f"{operation.method.upper()} {operation.path} -> {response.status_code} with "
            f"path={case.path_parameters} query={case.query} body={str(case.body)[:200]}"
        )

    run()


def test_no_server_error_for_either_user(live_server, world):
    schema = load_schema(live_server, world["tokens"]["A"])
    statuses: list[int] = []
    for who in ("A", "B"):
        for operation in operations(schema):
            fuzz(operation, live_server.url, world["tokens"][who], statuses)
    # Recorded for the team's report: how many requests the fuzzing made.
    print(f"\nschemathesis: {len(statuses)} requests, statuses {sorted(set(statuses))}")
    assert len(statuses) > 100


def test_no_operation_answers_an_anonymous_caller(live_server, world):
    schema = load_schema(live_server, world["tokens"]["A"])
    checked = 0
    for operation in operations(schema):
        path = _fill_path(operation.path, world["ids_a"]) or re.sub(r"\{[^}]+\}", "1", operation.path)
        response = requests.request(operation.method.upper(), f"{live_server.url}{path}", timeout=30)
        checked += 1
        assert response.status_code in (401, 403), f"{operation.method.upper()} {path} -> {response.status_code}"
    assert checked > 20


def _fill_path(path: str, ids: dict[str, int]) -> str | None:
    """Put organisation A's object ids into a templated path; None when the path names an unknown kind."""
    filled = path
    for match in re.finditer(r"/([a-z-]+)/\{([a-z_]+)\}", path):
        kind, parameter = match.group(1), match.group(2)
        if kind not in ids:
            return None
        filled = filled.replace("{" + parameter + "}", str(ids[kind]), 1)
    return filled


def test_user_b_never_reaches_organisation_a_objects(live_server, world):
    schema = load_schema(live_server, world["tokens"]["A"])
    checked = []
    for operation in operations(schema):
        if operation.method.lower() != "get" or "{" not in operation.path:
            continue
        path = _fill_path(operation.path, world["ids_a"])
        if path is None:
            continue
        url = f"{live_server.url}{path}"
        as_a = requests.get(url, headers={"Authorization": f"Token {world['tokens']['A']}"}, timeout=30)
        as_b = requests.get(url, headers={"Authorization": f"Token {world['tokens']['B']}"}, timeout=30)
        assert as_a.status_code in (200, 404), f"{path} -> {as_a.status_code} for its own organisation"
        assert as_b.status_code in (403, 404), f"B reads A's {path} -> {as_b.status_code}: {as_b.text[:200]}"
        assert "Alfa" not in as_b.text
        if as_a.status_code == 200:  # only a path A can read proves anything about B's refusal
            checked.append(path)
    print(f"\nobject-level checks: {len(checked)} paths")
    assert len(checked) >= 8, checked


def test_lists_never_show_the_other_organisation(live_server, world):
    headers = {"Authorization": f"Token {world['tokens']['B']}"}
    for path in ("/api/v1/detainees/", "/api/v1/sessions/", "/api/v1/trajectories/", "/api/v1/actions/"):
        response = requests.get(f"{live_server.url}{path}", headers=headers, timeout=30)
        assert response.status_code == 200, path
        assert "Alfa" not in response.text and f'"id":{world["ids_a"]["detainees"]},' not in response.text.replace(
            " ", ""
        )
