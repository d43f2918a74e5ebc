"""What each pytest-xdist worker gets of its own when the suite runs in parallel (`make test` runs `-n 2`, ADR 0046).

Outside xdist (a plain `pytest`, `-n 0`) every function here returns its input: nothing changes.

Under xdist, worker ``gwK`` (``PYTEST_XDIST_WORKER``, set by xdist before anything is imported) gets:

- **Redis**: one database number for everything the worker's tests and the processes they start use (the
  cache and heartbeat of ``REDIS_URL``, Celery's broker, the brokers of the real-worker tests, the readyz
  worker test). The tests of one worker run one after another, so they can share it, as the serial suite
  shares DB 15 in CI; two workers never do, so one worker's ``flushdb`` or ``control.ping`` never reaches the
  other's queues. The numbers come from ``TEST_REDIS_DBS`` (e.g. ``TEST_REDIS_DBS=11,13``: gw0 → 11, gw1 → 13);
  without it, counting down from the database of ``REDIS_URL`` (CI: 15 → gw0 15, gw1 14). The host, port and
  password of each URL stay as configured (``WORKER_TEST_BROKER_URL``, ``CONF_WORKER_BROKER_URL``,
  ``READYZ_TEST_REDIS_URL`` still choose the server); only the database number becomes the worker's. The
  mapping is absolute, so applying it twice (a Celery worker started by a test re-reads the test settings)
  gives the same URL.
- **ports** of the private servers some tests start (the fault suite's PostgreSQL/Redis/gunicorn, the replica
  pair, the hung socket of the readyz deadline test): ``port(base)`` is ``base + 1000 * K``.
- **names**: ``node_name("remind1")`` → ``remind1-gw1`` for Celery worker hostnames.

The test databases are pytest-django's (``test_<name>_gwK``); tmp paths are xdist's per worker.

Standard library only: config/settings/test.py imports it before Django is set up.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
INDEX = int(WORKER[2:]) if WORKER.startswith("gw") and WORKER[2:].isdigit() else 0
COUNT = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
PORT_STRIDE = 1000
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
# The variables that name a Redis database of the test process or of the processes its tests start.
REDIS_VARIABLES = (
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "WORKER_TEST_BROKER_URL",
    "CONF_WORKER_BROKER_URL",
    "READYZ_TEST_REDIS_URL",
)


def _database_of(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path) if path.isdigit() else 0


def redis_databases(environ=os.environ, count: int | None = None) -> list[int]:
    """The Redis database number of each worker, gw0 first."""
    count = COUNT if count is None else count
    listed = environ.get("TEST_REDIS_DBS", "").replace(",", " ").split()
    if listed:
        numbers = [int(n) for n in listed]
    else:
        base = _database_of(environ.get("REDIS_URL") or environ.get("CELERY_BROKER_URL") or DEFAULT_REDIS_URL)
        numbers = [base - k for k in range(count)]
    if len(numbers) < count or len(set(numbers[:count])) < count or min(numbers[:count]) < 0:
        raise RuntimeError(
            f"{count} xdist workers need {count} distinct Redis databases; TEST_REDIS_DBS gives "
            f"{numbers[:count]} (set e.g. TEST_REDIS_DBS=11,13 for -n 2)"
        )
    return numbers


def redis_url(url: str, environ=os.environ) -> str:
    """`url` with this worker's database number (unchanged outside xdist and for non-Redis URLs)."""
    if not WORKER or not url.startswith(("redis://", "rediss://")):
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{redis_databases(environ)[INDEX]}"))


def apply_to_environment(environ=os.environ) -> None:
    """Point the Redis variables of this worker's environment (read by Celery at every broker access, and
    inherited by the processes the tests start) at this worker's database."""
    if not WORKER:
        return
    # Fixed before any variable is rewritten: the processes a test starts derive the same numbers.
    environ.setdefault("TEST_REDIS_DBS", ",".join(str(n) for n in redis_databases(environ)))
    for name in REDIS_VARIABLES:
        if environ.get(name):
            environ[name] = redis_url(environ[name], environ)


def port(base: int) -> int:
    """A fixed private port of the suite, moved out of the way of the other workers."""
    return base + PORT_STRIDE * INDEX


def node_name(name: str) -> str:
    """A Celery worker's node name (``-n NAME@%h``) that no other xdist worker's test uses at the same time."""
    return f"{name}-{WORKER}" if WORKER else name
