"""A run of the suite starts from a known state, whatever the previous run left behind.

Two things can outlive an interrupted run (Ctrl-C, a time-out, a killed terminal):

- **rows in the reused test database** (`--reuse-db`): a transactional test that was stopped before its
  flush leaves its users, files and conferences behind, and the next run's tests find them;
- **processes the tests started**: Celery workers, beat, gunicorn and `make run` run in process groups of
  their own (so a test can SIGKILL a whole pool), so they survive the pytest process; a stray worker on the
  suite's broker then eats the next run's tasks.

Both are handled here, by the hooks in tests/conftest.py:

- every process a test starts inherits ``DISENGAGE_TEST_RUN=<test database>:<pytest pid>`` from the
  environment. At the start of a run, processes that carry the marker of the same test database but of a
  pytest that no longer runs are killed (with their process group); at the end, the run kills what is left
  of its own;
- a run writes ``var/test-runs/<test database>.running`` at its start and removes it only when it ends
  normally (passed or failed, not interrupted). A run that finds the file of a dead run, or finds rows in
  the test database that no test leaves behind, rebuilds the test database (`--create-db`).

Under pytest-xdist (`make test` runs `-n 2`) the controller does all of this before it starts the workers:
it looks at each worker's own test database (``test_<name>_gw0``, ``_gw1``, …) and tells a worker whose
database is dirty (every worker, after an interrupted run) to rebuild it; the workers inherit the marker, so
their processes and the processes their tests start are found like those of a serial run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

MARKER = "DISENGAGE_TEST_RUN"
ROOT = Path(__file__).resolve().parent.parent
RUNS_DIR = ROOT / "var" / "test-runs"
# Tables no test leaves rows in once its transaction is rolled back or its database flushed: the data
# migrations fill only reference tables (prisons, organisations, domains, instruments, the site).
CASE_TABLES = ("accounts_user", "casework_detainee")
# What the controller of an xdist run tells a worker whose test database is to be rebuilt.
CREATE_DB_KEY = "session_guard_create_db"


def _test_database() -> tuple[str, dict]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = (database.get("TEST") or {}).get("NAME") or f"test_{database['NAME']}"
    return name, database


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _marked_processes(database: str) -> list[tuple[int, int]]:
    """(pid, pytest pid) of every process carrying this test database's marker."""
    found = []
    prefix = f"{MARKER}={database}:".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        for variable in environ.split(b"\0"):
            if variable.startswith(prefix):
                with contextlib.suppress(ValueError):
                    found.append((int(entry.name), int(variable[len(prefix) :])))
                break
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            pgid = os.getpgid(pid)
            if pgid != os.getpgrp():
                os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)


def kill_strays(database: str, *, own: bool) -> list[int]:
    """Kill the processes left by runs on this test database that have ended (or, with ``own``, by this
    run). Never this process or its ancestors."""
    me = os.getpid()
    protected = {me, os.getppid()}
    strays = [
        pid
        for pid, runner in _marked_processes(database)
        if pid not in protected and ((own and runner == me) or (not own and runner != me and not _alive(runner)))
    ]
    _kill(strays)
    return strays


def _has_leftover_rows(database: dict, name: str) -> bool:
    import psycopg2

    params = {
        "dbname": name,
        "user": database.get("USER") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "password": database.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    try:
        connection = psycopg2.connect(**{key: value for key, value in params.items() if value is not None})
    except psycopg2.OperationalError:
        return False  # no test database yet: it will be created
    try:
        with connection.cursor() as cursor:
            for table in CASE_TABLES:
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
                if not cursor.fetchone()[0]:
                    return False
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 - a constant name
                if cursor.fetchone()[0]:
                    return True
        return False
    finally:
        connection.close()


# The test database of this run, named before Django renames the setting to it.
_this_run: dict[str, str] = {}


def _xdist_workers(config: pytest.Config) -> int:
    """How many xdist workers this run starts (0: the tests run in this process)."""
    if config.getoption("dist", default="no") == "no":
        return 0
    return len(config.getoption("tx", default=None) or [])


def session_start(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has looked at its database
        if config.workerinput.get(CREATE_DB_KEY):
            config.option.create_db = True
        return
    name, database = _test_database()
    _this_run["database"] = name
    os.environ[MARKER] = f"{name}:{os.getpid()}"
    strays = kill_strays(name, own=False)
    notes, reasons = [], []
    if strays:
        notes.append(f"killed {len(strays)} process(es) left running by an earlier run")
    RUNS_DIR.mkdir(parents=True, exist_ok=True)
    running = RUNS_DIR / f"{name}.running"
    interrupted = False
    if running.exists():
        with contextlib.suppress(ValueError):
            if not _alive(int(running.read_text().strip() or 0)):
                reasons.append("the previous run was interrupted")
                interrupted = True
    # Under xdist each worker has its own test database (pytest-django appends _gw0, _gw1, …): each is looked at,
    # and only a dirty one is rebuilt (all of them after an interrupted run).
    workers = _xdist_workers(config)
    databases = {f"gw{k}": f"{name}_gw{k}" for k in range(workers)} if workers else {"": name}
    dirty = set()
    if not config.getoption("create_db", default=False):
        dirty = {worker for worker, db_name in databases.items() if _has_leftover_rows(database, db_name)}
    if dirty:
        reasons.append(
            "the test database holds rows that no finished run leaves behind"
            + (f" ({', '.join(databases[w] for w in sorted(dirty))})" if workers else "")
        )
    rebuild = set(databases) if interrupted else dirty
    _this_run["rebuild"] = ",".join(sorted(rebuild))
    if rebuild and not workers:
        config.option.create_db = True
    running.write_text(str(os.getpid()))
    if notes or reasons:
        notes.extend(reasons)
        print(f"\nsession guard: {'; '.join(notes)}{' → rebuilding the test database' if rebuild else ''}.")


def configure_worker(node) -> None:
    """xdist calls this in the controller for each worker it starts, after `session_start`."""
    if node.gateway.id in _this_run.get("rebuild", "").split(","):
        node.workerinput[CREATE_DB_KEY] = True


def session_finish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput") or "database" not in _this_run:
        return
    name = _this_run["database"]
    kill_strays(name, own=True)
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
        with contextlib.suppress(FileNotFoundError):
            (RUNS_DIR / f"{name}.running").unlink()
