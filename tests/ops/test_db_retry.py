"""A lost database connection costs no request: bounded connection retry, one safe retry, else a 503 page.

The connections are lost for real: the view asks PostgreSQL to end its own backend, which answers with the
same error a fast restart gives (57P01, admin shutdown)."""

import time

import pytest
from django.db import OperationalError, connection

from accounts.models import Organisation
from ops.db.base import DatabaseWrapper, backoff_delays, connect_without_retry
from tests.ops import resilience_urls

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("tests.ops.resilience_urls"),
]


@pytest.fixture
def client(client):
    # The test client re-raises any exception a view raised, even one the middleware answered: look at the answer.
    client.raise_request_exception = False
    return client


@pytest.fixture(autouse=True)
def fresh_calls():
    resilience_urls.CALLS.clear()
    yield
    connection.close()


def test_a_safe_request_is_run_again_on_a_new_connection(client):
    response = client.get("/read-once/")
    assert response.status_code == 200
    assert resilience_urls.CALLS["read"] == 2


def test_a_write_that_did_not_commit_is_run_again_and_saved_once(client):
    response = client.post("/write-uncommitted/", {"name": "Retry vzw"})
    assert response.status_code == 200
    assert resilience_urls.CALLS["write_uncommitted"] == 2
    assert Organisation.objects.filter(name="Retry vzw").count() == 1


def test_a_json_write_read_from_the_raw_stream_is_replayed_with_its_body(client):
    response = client.post("/stream-write/", {"name": "Stream vzw"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": "Stream vzw"}
    assert resilience_urls.CALLS["stream"] == 2
    assert Organisation.objects.filter(name="Stream vzw").count() == 1


def test_a_write_that_may_have_committed_is_not_repeated_but_answered_503(client):
    response = client.post("/write-committed/", {"name": "Once vzw"})
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert resilience_urls.CALLS["write_committed"] == 1
    assert Organisation.objects.filter(name="Once vzw").count() == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl-be", "Even niet beschikbaar"), ("fr-be", "Momentanément"), ("en", "Temporarily unavailable")],
)
def test_a_request_that_keeps_failing_gets_a_translated_503_page_never_a_500(client, language, words):
    response = client.get("/read-always/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert words in response.content.decode()
    assert resilience_urls.CALLS["read_always"] == 2


def test_the_api_answers_503_as_json(client):
    response = client.get("/api/lost/")
    assert response.status_code == 503
    assert "detail" in response.json()
    assert response["Retry-After"]


def test_connecting_retries_with_back_off_for_a_bounded_time(settings):
    settings.DISENGAGE_DB_CONNECT_RETRY_SECONDS = 1.0
    wrapper = DatabaseWrapper({**connection.settings_dict, "PORT": 1}, alias="unreachable")
    started = time.monotonic()
    with pytest.raises(OperationalError):
        wrapper.ensure_connection()
    elapsed = time.monotonic() - started
    assert 0.7 <= elapsed < 2.5


def test_the_readiness_probe_does_not_wait_for_the_retry(settings):
    settings.DISENGAGE_DB_CONNECT_RETRY_SECONDS = 5.0
    wrapper = DatabaseWrapper({**connection.settings_dict, "PORT": 1}, alias="unreachable")
    started = time.monotonic()
    with connect_without_retry(), pytest.raises(OperationalError):
        wrapper.ensure_connection()
    assert time.monotonic() - started < 0.5


def test_back_off_doubles_and_stays_within_its_budget():
    delays = list(backoff_delays(3.0))
    assert delays[1] > delays[0]
    assert sum(delays) <= 3.0 + 1e-6
    assert max(delays) <= 1.0


def test_an_error_that_will_not_pass_is_not_retried(settings):
    settings.DISENGAGE_DB_CONNECT_RETRY_SECONDS = 5.0
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": "no_such_database_anywhere"}, alias="unreachable")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="does not exist"):
        wrapper.ensure_connection()
    assert time.monotonic() - started < 1.0
