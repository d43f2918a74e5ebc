"""`make run` end to end: it migrates a fresh database, loads the demo data, starts web + worker + beat,
prints the URL and the accounts; the login page answers and a demo account logs in; readiness is green."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.ops.test_backup_restore import admin_sql, url_for

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def scratch_database():
    name = f"{settings.DATABASES['default']['NAME']}_makerun_{os.getpid()}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')
    yield name
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_make_run_serves_the_demo(scratch_database, tmp_path):
    port = free_port()
    log = tmp_path / "make-run.log"
    env = {
        **os.environ,
        "DATABASE_URL": url_for(scratch_database),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "PORT": str(port),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        deadline = time.monotonic() + 480
        page = ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
                break
            except OSError:
                time.sleep(1)
        output = log.read_text()
        assert page, f"make run never served the login page:\n{output[-4000:]}"
        assert f"The application runs on http://127.0.0.1:{port}/" in output
        for role in ("consultant", "manager", "director", "partner", "admin", "dpo"):
            assert re.search(rf"^\s+{role}\s+\S+", output, re.M), role
        password = re.search(r"password for each: (\S+)\)", output).group(1)

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": "sara.peeters", "password": password})
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=data.encode(), headers={"Referer": f"{base}/accounts/login/"}
        )
        response = opener.open(request, timeout=30)
        assert response.status == 200
        assert urllib.parse.urlparse(response.url).path == "/"  # redirected to "Mijn dag"
        assert "Peeters" in response.read().decode()

        ready = {}
        while time.monotonic() < deadline:  # worker and beat come up a little after web
            try:
                ready = __import__("json").loads(opener.open(f"{base}/readyz", timeout=10).read())
                break
            except urllib.error.HTTPError as exc:
                ready = __import__("json").loads(exc.read())
                time.sleep(1)
        assert ready.get("status") == "ready", ready
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
