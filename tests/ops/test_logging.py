"""Structured logs: one JSON line per request and per task, with ids and outcome but no personal data."""

import io
import json
import logging
import uuid

import pytest
from django.db import OperationalError

from config.logging import JsonFormatter


@pytest.fixture
def json_log():
    """Everything any logger writes during the test, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "disengage.request"]


@pytest.mark.django_db
def test_request_line_has_ids_route_status_and_duration(client, consultant, json_log):
    client.force_login(consultant)
    response = client.get("/gedetineerden/?q=Youssef+El+Amrani&prison=hasselt", HTTP_X_REQUEST_ID="abc12345-proxy")
    (line,) = request_lines(json_log())
    assert line["level"] == "INFO"
    assert line["request_id"] == "abc12345-proxy" == response["X-Request-ID"]
    assert line["user_id"] == consultant.pk
    assert line["route"] == "gedetineerden/"
    assert line["view"] == "casework:caseload"
    assert line["method"] == "GET"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert set(line) <= {
        "ts",
        "level",
        "logger",
        "msg",
        "request_id",
        "user_id",
        "route",
        "view",
        "method",
        "status",
        "duration_ms",
    }


@pytest.mark.django_db
def test_no_personal_data_or_case_content_in_any_log_line(client, consultant, detainee, json_log):
    client.force_login(consultant)
    client.get(f"/gedetineerden/?q={detainee.first_name}")
    client.get(f"/gedetineerden/{detainee.pk}/")
    client.get(f"/no-such-page/{detainee.last_name}/?name={detainee.first_name}")  # a 404 with a name in the path
    text = "\n".join(json.dumps(line) for line in json_log())
    for secret in (
        detainee.first_name,
        detainee.last_name.split()[-1],
        consultant.first_name,
        consultant.last_name,
        consultant.username,
        consultant.email,
    ):
        assert secret not in text, secret
    routes = {line.get("route") for line in request_lines(json_log())}
    assert "gedetineerden/<int:pk>/" in routes


@pytest.mark.django_db
def test_anonymous_request_has_no_user_and_a_fresh_request_id(client, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces; and more")
    (line,) = request_lines(json_log())
    assert "user_id" not in line
    assert line["request_id"] != "bad id with spaces; and more"
    assert len(line["request_id"]) == 32 and line["request_id"] == response["X-Request-ID"]


def test_formatter_keeps_only_allow_listed_fields_and_cuts_query_strings():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"GET /gedetineerden/?q=Youssef HTTP/1.1" 200', None, None
    )
    record.request = object()
    record.detainee_name = "Youssef El Amrani"
    record.status = 200
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == '"GET /gedetineerden/?… HTTP/1.1" 200'
    assert line["status"] == 200
    assert "detainee_name" not in line and "request" not in line
    assert "Youssef" not in json.dumps(line)


def test_exception_logged_by_type_and_place_not_by_message():
    try:
        raise ValueError("Youssef El Amrani has no valid national number 85073003328")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", None, sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["exc_type"] == "ValueError"
    assert "test_logging.py" in line["exc_where"]
    assert "Youssef" not in json.dumps(line) and "85073003328" not in json.dumps(line)


# --- Celery tasks ---------------------------------------------------------------------------------


@pytest.fixture
def tasks():
    from config.celery import app

    calls = {"flaky": 0}
    # A fresh name per test: once the app is finalised, re-registering a name returns the earlier task.
    suffix = uuid.uuid4().hex[:8]

    @app.task(name=f"tests.ops.add.{suffix}")
    def add(x, y):
        return x + y

    @app.task(name=f"tests.ops.explode.{suffix}")
    def explode(text):
        raise RuntimeError(f"failed on {text}")

    @app.task(name=f"tests.ops.flaky.{suffix}")
    def flaky():
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return "done"

    return {"add": add, "explode": explode, "flaky": flaky, "calls": calls}


def task_lines(lines):
    return [line for line in lines if line["logger"] == "disengage.task"]


def test_task_log_has_id_name_and_outcome(tasks, json_log):
    result = tasks["add"].apply(args=(2, 3), task_id="task-0001")
    assert result.get() == 5
    started, finished = task_lines(json_log())
    name = tasks["add"].name
    assert started == {**started, "task_id": "task-0001", "task": name, "outcome": "started"}
    assert finished == {**finished, "task_id": "task-0001", "task": name, "outcome": "success"}
    assert finished["duration_ms"] >= 0
    assert "5" not in finished["msg"]


def test_failed_task_logs_the_type_not_the_arguments(tasks, json_log, settings):
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    tasks["explode"].apply(args=("Youssef El Amrani",), task_id="task-0002", throw=False)
    lines = task_lines(json_log())
    failure = next(line for line in lines if line["outcome"] == "failure")
    assert failure["task_id"] == "task-0002" and failure["level"] == "ERROR"
    assert failure["msg"] == "task failed: RuntimeError"
    assert "Youssef" not in json.dumps(json_log())
    trace = next(line for line in json_log() if line["logger"] == "celery.app.trace")
    assert trace["msg"] == f"Task {tasks['explode'].name}[task-0002] raised unexpected"


def test_celery_success_line_does_not_quote_the_return_value(tasks, json_log):
    from celery.app import trace

    logger = logging.getLogger("celery.app.trace")
    logger.info(
        trace.LOG_SUCCESS,
        {"name": "tests.ops.add", "id": "t-3", "runtime": 0.01, "return_value": "Youssef"},
        extra={"data": {"name": "tests.ops.add", "id": "t-3", "runtime": 0.01, "return_value": "Youssef"}},
    )
    (line,) = [line for line in json_log() if line["logger"] == "celery.app.trace"]
    assert line["msg"] == "Task tests.ops.add[t-3] succeeded in 0.01s"


def test_transient_failures_are_retried_with_backoff(tasks, json_log, monkeypatch):
    from config.celery import app
    from ops.tasks import ResilientTask

    # Eagerly, a retry runs at once (no countdown) inside apply(); propagation would stop it at the first.
    monkeypatch.setattr(app.conf, "task_eager_propagates", False)
    flaky = tasks["flaky"]
    assert isinstance(flaky, ResilientTask)
    assert OperationalError in flaky.autoretry_for
    assert flaky.retry_backoff and flaky.retry_jitter and flaky.max_retries == 6
    result = flaky.apply(throw=False)
    assert tasks["calls"]["flaky"] == 3, (result.state, result.traceback)
    outcomes = [line["outcome"] for line in task_lines(json_log())]
    assert outcomes.count("retry") >= 2
    assert outcomes[-1] == "success"


def test_time_limits_and_smtp_timeout_are_set(settings):
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT <= 600
    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 30
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] <= 10
