"""A PostgreSQL restart under load: requests keep coming at a live gunicorn on loopback while the database
restarts; after the restart no request fails (CONN_HEALTH_CHECKS drops the dead persistent connections).

The restarted server is a PRIVATE cluster started for this test (initdb into a temporary directory, as the
`postgres` account when we are root), never the machine's shared PostgreSQL.
"""

import importlib.machinery
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_dev_env():
    loader = importlib.machinery.SourceFileLoader("dev_env", str(ROOT / "bin" / "dev-env"))
    spec = importlib.util.spec_from_loader("dev_env", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_env"] = module
    loader.exec_module(module)
    return module


dev_env = load_dev_env()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_cluster():
    bindir = dev_env.find_pg_binaries()
    if bindir is None:
        pytest.fail("initdb/pg_ctl are needed for the restart test (installed by .ci/run)")
    root = Path(tempfile.mkdtemp(prefix="pgrestart-", dir="/tmp"))  # noqa: S108 - short socket path
    root.chmod(0o755)
    var_dir = root / "var"
    var_dir.mkdir()
    var_dir.chmod(0o755)
    choice = dev_env.start_private_cluster(var_dir, bindir)
    owner = dev_env.cluster_owner() or dev_env.pwd.getpwuid(os.geteuid()).pw_name
    dev_env.ensure_database(bindir, str(var_dir / "postgres" / "run"), 5432, owner)

    def restart() -> None:
        # -l: the restarted server must not inherit our captured stdout, or run() would wait for it for ever.
        result = dev_env.run_as(
            dev_env.cluster_owner(),
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(var_dir / "postgres" / "data"),
                "-l",
                str(var_dir / "postgres" / "postgres.log"),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "restart",
            ],
            timeout=120,
        )
        assert result.returncode == 0, result.stderr

    yield choice.exports["DATABASE_URL"], restart
    dev_env.stop_services(var_dir)
    shutil.rmtree(root, ignore_errors=True)


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_no_failed_request_after_a_database_restart(private_cluster):
    database_url, restart = private_cluster
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "False",
        "DJANGO_CONN_MAX_AGE": "600",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--noinput", "-v0")
    token = (
        manage(
            env,
            "shell",
            "-c",
            (
                "from accounts.models import Organisation, User; from accounts.services import token_create, user_enrol_totp; "
                "u = User.objects.create(username='probe', role='consultant', organisation=Organisation.objects.get(name='CAW Limburg')); "
                "user_enrol_totp(user=u, secret='JBSWY3DPEHPK3PXP'); "
                "print(token_create(user=u, name='probe', scope='read', days=1)[1])"
            ),
        )
        .strip()
        .splitlines()[-1]
    )

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/api/v1/prisons/"
    results: list[tuple[float, bool, str]] = []
    stop = threading.Event()

    def fetch() -> tuple[bool, str]:
        request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
                return response.status == 200 and b'"results"' in response.read(), str(response.status)
        except urllib.error.HTTPError as exc:
            return False, str(exc.code)
        except OSError as exc:
            return False, type(exc).__name__

    def load() -> None:
        while not stop.is_set():
            ok, detail = fetch()
            results.append((time.monotonic(), ok, detail))
            time.sleep(0.02)

    try:
        deadline = time.monotonic() + 60
        while not fetch()[0]:
            assert time.monotonic() < deadline, (
                server.stderr.read1().decode() if server.poll() is not None else "no answer"
            )
            time.sleep(0.2)
        workers = [threading.Thread(target=load) for _ in range(3)]
        for worker in workers:
            worker.start()
        time.sleep(3)
        restart_started = time.monotonic()
        restart()
        restart_done = time.monotonic()
        time.sleep(5)
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)

    before = [r for r in results if r[0] < restart_started]
    during = [r for r in results if restart_started <= r[0] < restart_done]
    after = [r for r in results if r[0] >= restart_done]
    failed_after = [r for r in after if not r[1]]
    print(
        f"requests before/during/after the restart: {len(before)}/{len(during)}/{len(after)}; "
        f"failed during: {sum(not r[1] for r in during)}, failed after: {len(failed_after)}; "
        f"restart took {restart_done - restart_started:.2f}s"
    )
    assert len(before) >= 20 and all(r[1] for r in before)
    assert len(after) >= 50
    assert failed_after == [], failed_after[:5]
