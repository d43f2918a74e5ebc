"""`.ci/run` with fake system commands: a service that does not come up fails the run, it is never skipped;
with both services up it installs nothing that is present and hands over to `make test`."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_system(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "calls"

    def fake(name: str, body: str) -> None:
        (bindir / name).write_text(f'#!/bin/bash\necho "{name} $*" >> "{log}"\n{body}\n')
        (bindir / name).chmod(0o755)

    fake("dpkg-query", 'echo "install ok installed"')
    fake("apt-get", "exit 0")
    fake("psql", "echo 'PostgreSQL 15'")
    fake("make", "exit 0")
    fake("sleep", "exit 0")
    (bindir / "chromium").write_text("#!/bin/bash\necho Chromium 1\n")
    (bindir / "chromium").chmod(0o755)

    def run(*, postgres_up: bool, redis_up: bool, starts_work: bool = False):
        state = tmp_path / "started"
        fake("pg_isready", f'[[ {str(postgres_up).lower()} == true || -e "{state}.pg" ]]')
        fake("pg_ctlcluster", f"{'touch ' + str(state) + '.pg' if starts_work else 'exit 1'}")
        fake(
            "redis-cli",
            f'if [[ {str(redis_up).lower()} == true || -e "{state}.redis" ]]; then echo PONG; else exit 1; fi',
        )
        fake("redis-server", f"{'touch ' + str(state) + '.redis' if starts_work else 'exit 0'}")
        script = (ROOT / ".ci" / "run").read_text().replace("/usr/bin/chromium", str(bindir / "chromium"))
        (tmp_path / "run").write_text(script)
        result = subprocess.run(
            ["bash", str(tmp_path / "run")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={"PATH": f"{bindir}:/usr/bin:/bin", "CI": "true", "CI_SERVICE_WAIT": "2", "HOME": str(tmp_path)},
        )
        calls = log.read_text().splitlines() if log.exists() else []
        return result, calls

    return run


def test_missing_postgresql_fails_the_run(fake_system):
    result, calls = fake_system(postgres_up=False, redis_up=True)
    assert result.returncode != 0
    assert "CI FAILED: PostgreSQL does not answer" in result.stderr
    assert not any(call.startswith("make") for call in calls)


def test_missing_redis_fails_the_run(fake_system):
    result, calls = fake_system(postgres_up=True, redis_up=False)
    assert result.returncode != 0
    assert "CI FAILED: Redis does not answer" in result.stderr
    assert not any(call.startswith("make") for call in calls)


def test_services_are_started_when_down_then_make_test_runs(fake_system):
    result, calls = fake_system(postgres_up=False, redis_up=False, starts_work=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(
        call.startswith("pg_ctlcluster --skip-systemctl-redirect") and call.endswith("main start") for call in calls
    )
    assert any(call.startswith("redis-server --daemonize yes --bind 127.0.0.1 --port 6379") for call in calls)
    assert [call for call in calls if call.startswith("make")] == [
        "make test PYTEST_ARGS=--create-db ",
        "make test PYTEST_ARGS=-m 'not browser and not integration' tests/casework tests/trajectories tests/casusoverleg"
        " tests/notifications tests/reporting",
        "make scan",
    ]
    assert not any(call.startswith("apt-get") for call in calls)  # everything was installed already
    for header in (
        "==== System packages",
        "==== PostgreSQL",
        "==== Redis",
        "==== Test suite (make test)",
        "==== Date-sensitive tests a year ahead",
        "==== Scanners (make scan)",
        "CI passed",
    ):
        assert header in result.stdout
