"""The production stack, checked without a Docker engine: the compose file against the Compose Specification
schema, the Dockerfile's promises, and the entrypoint script run for real with fake commands.

tests/ops/compose_spec.json is the Compose Specification JSON schema as shipped in the PyPI package
docker-compose 1.29.2 (compose/config/compose_spec.json).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "compose_spec.json").read_text())
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
APP_SERVICES = ("migrate", "web", "worker", "relay", "beat")


def test_compose_file_is_valid_against_the_compose_specification():
    validator = jsonschema.Draft201909Validator(SCHEMA)
    errors = sorted(validator.iter_errors(COMPOSE), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_schema_rejects_a_broken_compose_file():
    """The validation can fail: a typo in a key is caught."""
    broken = {
        **COMPOSE,
        "services": {**COMPOSE["services"], "web": {**COMPOSE["services"]["web"], "restrat": "always"}},
    }
    assert list(jsonschema.Draft201909Validator(SCHEMA).iter_errors(broken))


def test_services_of_the_stack():
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "pgbouncer", "redis", "migrate", "web", "worker", "relay", "beat", "mailpit"}
    assert re.match(r"postgres:1[5-9]", services["postgres"]["image"])
    assert services["redis"]["image"].startswith("redis:7")
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["relay"]["command"] == ["python", "manage.py", "outbox_relay"]
    # The application reaches PostgreSQL through PgBouncer in transaction pooling, without server-side cursors;
    # migrations go straight to PostgreSQL.
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    assert "@pgbouncer:5432/" in services["web"]["environment"]["DATABASE_URL"]
    assert services["web"]["environment"]["DJANGO_DISABLE_SERVER_SIDE_CURSORS"] == "True"
    assert "@postgres:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    # Redis keeps its data: queued tasks survive its restart.
    assert "--appendonly" in services["redis"]["command"] and "redisdata:/data" in services["redis"]["volumes"]


def test_every_long_running_service_has_a_health_check_and_a_restart_policy():
    for name, service in COMPOSE["services"].items():
        if name == "migrate":
            assert service["restart"] == "no"  # one-shot
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert service.get("restart") in ("unless-stopped", "always"), f"{name} has no restart policy"


def test_migrations_run_once_before_the_application_starts():
    services = COMPOSE["services"]
    assert services["migrate"]["environment"]["RUN_MIGRATIONS"] == "1"
    for name in ("web", "worker", "relay", "beat"):
        assert "RUN_MIGRATIONS" not in services[name]["environment"]
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_media_on_a_volume_and_configuration_from_env_file():
    for name in APP_SERVICES:
        service = COMPOSE["services"][name]
        assert "media:/app/var/media" in service["volumes"]
        assert service["env_file"] == ".env"
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert {"pgdata", "media", "redisdata"} <= set(COMPOSE["volumes"])


def test_no_secret_in_the_compose_file():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "DJANGO_SECRET_KEY" not in text  # only from .env
    assert "${POSTGRES_PASSWORD:?" in text  # required, no default


def test_web_health_check_uses_healthz_and_gunicorn_settings_scale_with_cpus():
    assert "/healthz" in " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    conf = (ROOT / "docker" / "gunicorn.conf.py").read_text()
    assert "cpu_count()" in conf and "timeout =" in conf and "graceful_timeout" in conf


def test_dockerfile():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    user = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert user and user[-1] not in ("root", "0")
    assert "collectstatic" in DOCKERFILE
    assert "libpango-1.0-0" in DOCKERFILE and "libharfbuzz-subset0" in DOCKERFILE  # WeasyPrint
    assert re.search(r'^ENTRYPOINT \["/app/docker/entrypoint.sh"\]', DOCKERFILE, re.M)
    # No secret in an ENV or ARG line (the build step's throwaway values are RUN-only).
    for line in re.findall(r"^(?:ENV|ARG)\b.*(?:\n\s+.*)*", DOCKERFILE, re.M):
        assert not re.search(r"SECRET|PASSWORD|TOKEN", line), line
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


# --- entrypoint -----------------------------------------------------------------------------------


@pytest.fixture
def fakes(tmp_path):
    """A PATH with fake pg_isready (fails FAIL_TIMES times) and python (records its arguments)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "pg_isready").write_text(
        '#!/bin/bash\necho "$@" >> "$FAKE_LOG.pg"\nn=$(wc -l < "$FAKE_LOG.pg")\n[[ $n -gt ${FAIL_TIMES:-0} ]]\n'
    )
    (bindir / "python").write_text('#!/bin/bash\necho "python $*" >> "$FAKE_LOG"\n')
    for fake in bindir.iterdir():
        fake.chmod(0o755)
    log = tmp_path / "calls"

    def run(*command, **env):
        full_env = {
            "PATH": f"{bindir}:/usr/bin:/bin",
            "FAKE_LOG": str(log),
            "DB_WAIT_INTERVAL": "0.05",
            "DATABASE_URL": "postgres://app:pw@postgres:5432/disengage",
            **env,
        }
        full_env = {k: v for k, v in full_env.items() if v is not None}
        result = subprocess.run(
            ["bash", str(ENTRYPOINT), *command], env=full_env, capture_output=True, text=True, timeout=30
        )
        calls = log.read_text().splitlines() if log.exists() else []
        probes = Path(f"{log}.pg").read_text().splitlines() if Path(f"{log}.pg").exists() else []
        return result, calls, probes

    return run


def test_entrypoint_waits_for_the_database_then_execs_the_command(fakes):
    result, calls, probes = fakes("bash", "-c", "echo started as $$", FAIL_TIMES="3")
    assert result.returncode == 0, result.stderr
    assert len(probes) == 4
    assert probes[0] == "-d postgres://app:pw@postgres:5432/disengage -t 2"
    assert calls == []  # no migrate unless asked
    assert result.stdout.startswith("started as ")
    assert "database reachable" in result.stderr
    assert "pw" not in result.stderr  # the URL (and its password) is never printed


def test_entrypoint_migrates_only_when_asked(fakes):
    result, calls, _ = fakes("true", RUN_MIGRATIONS="1")
    assert result.returncode == 0, result.stderr
    assert calls == ["python manage.py migrate --noinput"]


def test_entrypoint_exec_replaces_the_shell(tmp_path):
    """exec: the command takes over the entrypoint's PID, so it receives the container's SIGTERM itself."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "pg_isready").write_text("#!/bin/bash\nexit 0\n")
    (bindir / "pg_isready").chmod(0o755)
    process = subprocess.Popen(
        ["bash", str(ENTRYPOINT), "bash", "-c", "echo $$"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={"PATH": f"{bindir}:/usr/bin:/bin", "DATABASE_URL": "postgres://x@db/x"},
    )
    out, _ = process.communicate(timeout=30)
    assert int(out.strip()) == process.pid


def test_entrypoint_gives_up_when_the_database_never_answers(fakes):
    result, calls, probes = fakes("true", FAIL_TIMES="1000", DB_WAIT_TIMEOUT="1", RUN_MIGRATIONS="1")
    assert result.returncode == 69
    assert "database not reachable after 1s" in result.stderr
    assert calls == []  # never migrated
    assert len(probes) >= 2


def test_entrypoint_refuses_to_start_without_database_url(fakes):
    result, _, probes = fakes("true", DATABASE_URL=None)
    assert result.returncode == 64
    assert "DATABASE_URL is not set" in result.stderr
    assert probes == []


def test_entrypoint_stops_when_migrations_fail(fakes, tmp_path):
    failing = tmp_path / "bin" / "python"
    failing.write_text('#!/bin/bash\necho "python $*" >> "$FAKE_LOG"\nexit 1\n')
    result, calls, _ = fakes("bash", "-c", "echo should-not-run", RUN_MIGRATIONS="1")
    assert result.returncode == 1
    assert "should-not-run" not in result.stdout


# --- the image's build steps, run here with production settings -------------------------------------

PRODUCTION_BUILD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "build-only",
    "DJANGO_ALLOWED_HOSTS": "localhost",
    "PUBLIC_BASE_URL": "https://build.invalid",
    "DATABASE_URL": "postgres://build@localhost/build",
    "CELERY_BROKER_URL": "redis://localhost:6379/0",
    "DJANGO_FIELD_ENCRYPTION_KEYS": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "DJANGO_NATIONAL_NUMBER_INDEX_KEY": "build-only",
}


def test_collectstatic_of_the_image_build_succeeds(tmp_path):
    """The Dockerfile's collectstatic with production settings: hashed, compressed, a manifest."""
    env = {**os.environ, **PRODUCTION_BUILD_ENV, "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "css/app.css" in manifest["paths"]
    assert (tmp_path / "static" / (manifest["paths"]["css/app.css"] + ".gz")).exists()


def test_production_settings_pass_the_deploy_check():
    # The browser journeys set DJANGO_ALLOW_ASYNC_UNSAFE for the test process; a deployment never has it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        **PRODUCTION_BUILD_ENV,
        "DJANGO_SECRET_KEY": "Qm9vdHN0cmFwLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjay1vbmx5LTIwMjU",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "security.W" not in result.stderr, result.stderr[-2000:]
