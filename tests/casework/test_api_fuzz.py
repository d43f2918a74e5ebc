"""Fuzz the case-file API from its own OpenAPI schema (schemathesis): whatever comes in, never a 5xx.

The schema is generated from casework's routes only, so this file fuzzes what this app serves. Path
ids point at a real file most of the time, so bodies are fuzzed against a detainee, a session and a
consent that exist and that the caller may change.
"""

import functools
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from tests.factories import NetworkPersonFactory, SessionFactory, api_token_for

CASEWORK_ROUTES = [path("api/v1/", include("casework.api_urls"))]
FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def keep_test_connection():
    """As Django's test client does: a finished request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def casework_api_schema(db):
    raw = SchemaGenerator(patterns=CASEWORK_ROUTES).get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    # The boundary-value phase sends hundreds of requests per operation: minutes on a shared 2-core
    # machine. Random fuzzing plus the explicit bad-input tests in test_api_bad_input.py cover the same ground.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = schemathesis.pytest.from_fixture("casework_api_schema")


@pytest.fixture
def real_ids(detainee, consultant):
    NetworkPersonFactory(detainee=detainee)
    return {
        "detainee_pk": detainee.pk,
        "/api/v1/detainees/{id}/": detainee.pk,
        "/api/v1/sessions/{id}/": SessionFactory(detainee=detainee, author=consultant).pk,
        "/api/v1/consents/{id}/withdraw/": detainee.consents.get().pk,
    }


@functools.cache
def _wsgi_app():
    return get_wsgi_application()


def _call(case, user, real_ids):
    params = case.path_parameters or {}
    if "detainee_pk" in params:
        params["detainee_pk"] = real_ids["detainee_pk"]
    if "id" in params and case.path in real_ids:
        params["id"] = real_ids[case.path]
    if not hasattr(user, "_test_token"):
        user._test_token = api_token_for(user)
    return case.call(app=_wsgi_app(), headers={"Authorization": f"Token {user._test_token}"})


@schema.exclude(path_regex="imports").parametrize()
@FUZZ_SETTINGS
def test_case_file_endpoints_never_answer_5xx(case, consultant, real_ids):
    response = _call(case, consultant, real_ids)
    assert response.status_code < 500, (case.method, case.formatted_path, case.body, response.text[:500])


@schema.include(path_regex="imports").parametrize()
@FUZZ_SETTINGS
def test_import_endpoint_never_answers_5xx(case, manager, real_ids):
    response = _call(case, manager, real_ids)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
