"""The API keeps its word: every answer is declared in the OpenAPI schema and validates against it.

schemathesis (fixed seed: `derandomize=True`) runs the schema's examples and generated cases of every
operation against a live server on the test database, as a consultant (organisation A, a full file) and as
a partner (VDAB, consent with identity, trajectory goals and session summaries), with the checks
`not_a_server_error`, `status_code_conformance` (no undeclared status), `content_type_conformance` and
`response_schema_conformance` (every body validates). Time-boxed: `CONTRACT_SECONDS` per persona (the
operations are visited in a fixed order, each with a few examples), so the file stays within the suite's
budget; the number of requests and the operations reached are printed for the report.
Cross-object reads are `test_api_fuzz.py`'s business (organisation B never reaches A's objects).
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Organisation
from tests.factories import ConsentFactory, UserFactory, api_token_for
from tests.security.test_api_fuzz import _fill_path, load_schema, operations
from tests.security.test_api_fuzz import world as world  # noqa: F401,PLC0414 (the fixture)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONTRACT_SECONDS = float(os.environ.get("API_CONTRACT_SECONDS", "60"))
# Collect every failing operation instead of stopping at the first (set API_CONTRACT_SECONDS higher to see more).
EXAMPLES = 2
# The coverage phase: at most this many of each operation's boundary cases, within COVERAGE_SECONDS per persona.
COVERAGE_CASES_PER_OPERATION = 12
COVERAGE_SECONDS = float(os.environ.get("API_COVERAGE_SECONDS", "45"))
# The stateful phase: scenarios of up to STATEFUL_STEPS linked calls, within STATEFUL_SECONDS per persona.
STATEFUL_SCENARIOS = int(os.environ.get("API_STATEFUL_SCENARIOS", "15"))
STATEFUL_STEPS = 6
STATEFUL_SECONDS = float(os.environ.get("API_STATEFUL_SECONDS", "45"))

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner_token(world):
    from casework.models import Detainee

    vdab = Organisation.objects.get(name="VDAB")
    partner = UserFactory(username="fuzz_partner", partner=True, organisation=vdab)
    detainee = Detainee.objects.get(pk=world["ids_a"]["detainees"])
    ConsentFactory(
        detainee=detainee,
        organisation=vdab,
        explained_by=detainee.lead_consultant,
        purposes=["conference", "referral"],
        scopes=["identity", "trajectory_goals", "session_summaries"],
    )
    return api_token_for(partner)


def run_contract(live_server, world, token: str, label: str):
    # The schema is for staff (a partner reads the API, not its documentation).
    schema = load_schema(live_server, world["tokens"]["A"])
    failures: dict[str, str] = {}
    requests_made = 0
    reached = set()
    started = time.monotonic()

    def fuzz_one(operation, known):
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal requests_made
            # Half of the cases on the persona's real objects, so the 200 answers are validated too.
            if known and case.path_parameters and requests_made % 2 == 0:
                for name, value in zip(case.path_parameters, _ids_in(known, operation.path), strict=False):
                    case.path_parameters[name] = value
            requests_made += 1
            try:
                response = case.call_and_validate(
                    base_url=live_server.url, checks=CHECKS, headers={"Authorization": f"Token {token}"}, timeout=30
                )
                reached.add((operation.method.upper(), operation.path, response.status_code))
            except BaseException as error:  # schemathesis raises a (base) exception group of check failures
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                key = f"{operation.method.upper()} {operation.path}"
                failures.setdefault(key, str(error)[:1200])

        run()

    for operation in operations(schema):
        if time.monotonic() - started > CONTRACT_SECONDS:
            break
        fuzz_one(operation, _fill_path(operation.path, world["ids_a"]))

    elapsed = time.monotonic() - started
    print(
        f"\nschemathesis contract ({label}): {requests_made} requests over {len({r[:2] for r in reached})} "
        f"operations in {elapsed:.0f}s, statuses {sorted({r[2] for r in reached})}, {len(failures)} failing"
    )
    return failures, requests_made


def _call(case, live_server, token, failures, reached, label=None):
    """One request with the four checks; a failure is kept per operation (the first of each), not raised."""
    try:
        response = case.call_and_validate(
            base_url=live_server.url, checks=CHECKS, headers={"Authorization": f"Token {token}"}, timeout=30
        )
        reached.add((case.operation.method.upper(), case.operation.path, response.status_code))
    except BaseException as error:  # schemathesis raises a (base) exception group of check failures
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        _keep_failure(failures, case, error, label)


def _keep_failure(failures: dict, case, error, label=None) -> None:
    """The first failure of each operation, with the request that caused it."""
    key = label or f"{case.operation.method.upper()} {case.operation.path}"
    failures.setdefault(key, f"{error}"[:1500] + f"\n  query={case.query} body={str(case.body)[:300]}")


def _report(failures: dict) -> str:
    return "\n\n".join(f"{key}: {text}" for key, text in failures.items())


def run_coverage(live_server, world, token: str, label: str, seconds: float):
    """The coverage phase: schemathesis's deterministic boundary cases of every operation (positive and
    negative: each parameter at its limits, missing, of the wrong type; each enum value; undeclared
    methods), on the persona's real objects where the path names them and on unknown ids otherwise."""
    schema = load_schema(live_server, world["tokens"]["A"])
    failures: dict[str, str] = {}
    reached: set = set()
    count = 0
    started = time.monotonic()
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for operation in operations(schema):
        known = _fill_path(operation.path, world["ids_a"])
        generation = schema.config.generation_for(operation=operation, phase="coverage")
        for index, case in enumerate(
            schema.iter_coverage_cases(operation, generation_modes=modes, generation_config=generation)
        ):
            if time.monotonic() - started > seconds:
                break
            if index >= COVERAGE_CASES_PER_OPERATION:
                break
            if known and case.path_parameters and index % 2 == 0:
                ids = _ids_in(known, operation.path)
                if all(isinstance(value, (int, str)) for value in case.path_parameters.values()):
                    for name, value in zip(case.path_parameters, ids, strict=False):
                        case.path_parameters[name] = value
            count += 1
            _call(case, live_server, token, failures, reached)
    elapsed = time.monotonic() - started
    print(
        f"\nschemathesis coverage ({label}): {count} requests over {len({r[:2] for r in reached})} operations "
        f"in {elapsed:.0f}s, statuses {sorted({r[2] for r in reached})}, {len(failures)} failing"
    )
    return failures, count


def run_stateful(live_server, world, token: str, label: str, seconds: float):
    """The stateful phase: schemathesis's state machine over the links it infers from the schema (a created
    or listed object's id fed to the operations that take it), in a fixed order (derandomized)."""
    schema = load_schema(live_server, world["tokens"]["A"])
    failures: dict[str, str] = {}
    reached: set = set()
    counter = {"requests": 0}
    started = time.monotonic()
    base = schema.as_state_machine()

    class Machine(base):
        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, "headers": {"Authorization": f"Token {token}"}, "timeout": 30}

        def step(self, input):
            if time.monotonic() - started > seconds:
                raise _OutOfTime  # the time box is spent: end the run, keeping what was checked
            counter["requests"] += 1
            return super().step(input)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            reached.add((case.operation.method.upper(), case.operation.path, response.status_code))
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except BaseException as error:
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                _keep_failure(failures, case, error)

    try:
        Machine.run(
            settings=settings(
                max_examples=STATEFUL_SCENARIOS,
                deadline=None,
                database=None,
                derandomize=True,
                stateful_step_count=STATEFUL_STEPS,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
        )
    except _OutOfTime:
        pass
    elapsed = time.monotonic() - started
    print(
        f"\nschemathesis stateful ({label}): {counter['requests']} requests over "
        f"{len({r[:2] for r in reached})} operations in {elapsed:.0f}s, statuses {sorted({r[2] for r in reached})}, "
        f"{len(failures)} failing"
    )
    return failures, counter["requests"]


class _OutOfTime(Exception):
    pass


def _ids_in(filled: str, template: str) -> list[int]:
    import re

    names = re.findall(r"\{([a-z_]+)\}", template)
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), r"(\d+)")
    match = re.fullmatch(pattern, filled)
    return [int(value) for value in match.groups()] if match else []


def test_every_answer_to_a_consultant_is_declared_and_valid(live_server, world):
    failures, count = run_contract(live_server, world, world["tokens"]["A"], "consultant")
    assert count > 100
    assert not failures, _report(failures)


def test_every_answer_to_a_partner_is_declared_and_valid(live_server, world, partner_token):
    failures, count = run_contract(live_server, world, partner_token, "partner")
    assert count > 100
    assert not failures, _report(failures)


@pytest.mark.slow
@pytest.mark.parametrize("persona", ["consultant", "partner"])
def test_coverage_phase_answers_are_declared_and_valid(live_server, world, partner_token, persona):
    token = world["tokens"]["A"] if persona == "consultant" else partner_token
    failures, count = run_coverage(live_server, world, token, persona, COVERAGE_SECONDS)
    assert count > 200
    assert not failures, _report(failures)


@pytest.mark.slow
@pytest.mark.parametrize("persona", ["consultant", "partner"])
def test_stateful_phase_answers_are_declared_and_valid(live_server, world, partner_token, persona):
    token = world["tokens"]["A"] if persona == "consultant" else partner_token
    failures, count = run_stateful(live_server, world, token, persona, STATEFUL_SECONDS)
    assert count > 20
    assert not failures, _report(failures)
