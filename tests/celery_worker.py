"""The one home of the tests' real Celery workers.

A test that needs a real worker starts a `celery worker` subprocess on the test database and on its own Redis
database (each module names its broker: an environment variable first, so parallel runs never share a queue),
in its own process group (SIGKILL takes the whole pool), its output in a file (a pipe nobody reads fills up and
blocks the worker). `publishing_to` points this process's Celery app at the same broker for the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests import parallel

ROOT = Path(__file__).resolve().parents[1]


def wait_for(condition: Callable, *, timeout: float, what: str, interval: float = 0.1):
    """The first true value of `condition()`, polled until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def test_database_url() -> str:
    """The URL of the database this test process uses (the test database), for a subprocess."""
    conf = connection.settings_dict
    host = conf.get("HOST") or conf.get("OPTIONS", {}).get("host") or "127.0.0.1"
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    if host.startswith("/"):
        return f"postgres://{auth}@:{conf.get('PORT') or 5432}/{conf['NAME']}?host={host}"
    return f"postgres://{auth}@{host}:{conf.get('PORT') or 5432}/{conf['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def flush(broker: str) -> None:
    """Empty the Redis database of `broker`: no task another test left queued reaches this test's worker."""
    import redis

    redis.Redis.from_url(broker).flushdb()


def drop_connections(app) -> None:
    """Forget `app`'s pooled broker connections, so the next publish uses the broker configured now."""
    # Only forget them: closing a pool another object still holds makes its next acquire fail.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def publishing_to(broker: str, monkeypatch) -> Iterator[None]:
    """This process's Celery app publishes to `broker` instead of running tasks eagerly, for the block."""
    from config.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration (CI exports it).
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    app.conf.update(broker_url=broker, task_always_eager=False)
    drop_connections(app)
    try:
        yield
    finally:
        app.conf.update(**saved)
        drop_connections(app)


class CeleryWorker:
    """A `celery worker` subprocess of `app` on `broker` and the test database."""

    def __init__(
        self,
        tmp_path: Path,
        broker: str,
        *,
        name: str,
        app: str = "config",
        pool: str = "solo",
        concurrency: int = 1,
        loglevel: str = "INFO",
        env: dict | None = None,
        quiet: bool = True,
        ready_timeout: float = 60,
    ):
        self.tmp_path = tmp_path
        self.broker = broker
        self.name = name
        self.app = app
        self.pool = pool
        self.concurrency = concurrency
        self.loglevel = loglevel
        self.extra_env = env or {}
        self.quiet = quiet
        self.ready_timeout = ready_timeout
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.tmp_path / f"worker-{self.starts}.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, *, wait: bool = True) -> CeleryWorker:
        self.starts += 1
        env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_BROKER_URL": self.broker,
            "DJANGO_LOG_FORMAT": "plain",
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            self.app,
            "worker",
            f"--pool={self.pool}",
            f"--loglevel={self.loglevel}",
        ]
        if self.pool != "solo":
            command += ["-c", str(self.concurrency)]
        if self.quiet:
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        # Under xdist the node name carries the xdist worker's id (tests/parallel.py): two workers never share one.
        node, _, host = self.name.replace("{n}", str(self.starts)).partition("@")
        command += ["-n", f"{parallel.node_name(node)}@{host}" if host else parallel.node_name(node)]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if wait:

            def ready() -> bool:
                assert self.process.poll() is None, self.log()
                return "ready" in self.log()

            wait_for(ready, timeout=self.ready_timeout, what="worker ready", interval=0.3)
        return self

    def kill(self) -> None:
        """SIGKILL the main process and every pool child: no cleanup, no acknowledgement."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 20) -> None:
        """A warm shutdown (SIGTERM to the group), a SIGKILL if it does not end in `timeout` seconds."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
