"""The suite starts from a known state after an interrupted run (tests/session_guard.py).

What an interrupted run leaves is made here for real: a process that carries the marker of a run whose
pytest is gone (a Celery worker outliving its run, in a process group of its own), the file of a run that
never ended, and rows left in the test database by a transactional test stopped before its flush."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from tests import session_guard
from tests.factories import UserFactory


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _marked_sleeper(marker: str) -> subprocess.Popen:
    """Like a worker fixture's process: its own process group, the run's marker inherited."""
    env = {**os.environ, session_guard.MARKER: marker}
    process = subprocess.Popen(["sleep", "120"], env=env, start_new_session=True)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and process.pid not in {
        pid for pid, _ in session_guard._marked_processes(marker.split(":")[0])
    }:
        time.sleep(0.02)
    return process


def test_a_process_left_by_a_run_that_ended_is_killed():
    stray = _marked_sleeper(f"test_guard_db:{_dead_pid()}")
    try:
        killed = session_guard.kill_strays("test_guard_db", own=False)
        assert stray.pid in killed
        assert stray.wait(timeout=5) == -9
    finally:
        stray.kill()


def test_a_process_of_a_run_still_going_is_spared_until_that_run_ends():
    sibling = _marked_sleeper(f"test_guard_db:{os.getpid()}")
    other_database = _marked_sleeper(f"test_other_db:{_dead_pid()}")
    try:
        assert session_guard.kill_strays("test_guard_db", own=False) == []
        assert sibling.poll() is None and other_database.poll() is None
        assert session_guard.kill_strays("test_guard_db", own=True) == [sibling.pid]
        assert sibling.wait(timeout=5) == -9
        assert other_database.poll() is None, "another database's run is not ours to end"
    finally:
        sibling.kill()
        other_database.kill()


def _config(create_db: bool = False) -> SimpleNamespace:
    option = SimpleNamespace(create_db=create_db)
    return SimpleNamespace(option=option, getoption=lambda name, default=None: getattr(option, name, default))


def test_the_file_of_an_interrupted_run_rebuilds_the_test_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(session_guard, "RUNS_DIR", tmp_path)
    monkeypatch.setattr(session_guard, "_this_run", {})
    monkeypatch.setattr(session_guard, "_has_leftover_rows", lambda database, name: False)
    monkeypatch.setenv(session_guard.MARKER, os.environ.get(session_guard.MARKER, ""))
    name, _ = session_guard._test_database()
    (tmp_path / f"{name}.running").write_text(str(_dead_pid()))
    config = _config()
    session_guard.session_start(config)
    assert config.option.create_db is True
    assert "interrupted" in capsys.readouterr().out
    assert (tmp_path / f"{name}.running").read_text() == str(os.getpid())

    # A run that ends normally removes the file; the next one reuses the database.
    session = SimpleNamespace(config=SimpleNamespace())
    session_guard.session_finish(session, pytest.ExitCode.TESTS_FAILED)
    assert not (tmp_path / f"{name}.running").exists()
    config = _config()
    session_guard.session_start(config)
    assert config.option.create_db is False
    # An interrupted one (Ctrl-C) keeps it, so the next run rebuilds.
    session_guard.session_finish(session, pytest.ExitCode.INTERRUPTED)
    assert (tmp_path / f"{name}.running").exists()


@pytest.mark.django_db(transaction=True)
def test_rows_left_in_the_test_database_are_noticed():
    from django.db import connection

    name = connection.settings_dict["NAME"]
    assert session_guard._has_leftover_rows(connection.settings_dict, name) is False
    UserFactory()  # committed: seen from another connection, as the next run would see it
    assert session_guard._has_leftover_rows(connection.settings_dict, name) is True
    assert session_guard._has_leftover_rows(connection.settings_dict, "test_database_that_does_not_exist") is False


def _xdist_config(workers: int, create_db: bool = False) -> SimpleNamespace:
    option = SimpleNamespace(create_db=create_db, dist="loadgroup", tx=["popen"] * workers)
    return SimpleNamespace(option=option, getoption=lambda name, default=None: getattr(option, name, default))


def _node(worker: str) -> SimpleNamespace:
    return SimpleNamespace(gateway=SimpleNamespace(id=worker), workerinput={"workerid": worker})


def test_under_xdist_each_workers_database_is_looked_at_and_only_a_dirty_one_rebuilt(tmp_path, monkeypatch, capsys):
    """`make test` runs two xdist workers, each on its own test database (pytest-django's _gw0, _gw1): the
    controller looks at both before it starts them and tells the one with leftover rows to rebuild."""
    monkeypatch.setattr(session_guard, "RUNS_DIR", tmp_path)
    monkeypatch.setattr(session_guard, "_this_run", {})
    monkeypatch.setenv(session_guard.MARKER, os.environ.get(session_guard.MARKER, ""))
    name, _ = session_guard._test_database()
    looked_at = []

    def leftover(database, db_name):
        looked_at.append(db_name)
        return db_name == f"{name}_gw1"

    monkeypatch.setattr(session_guard, "_has_leftover_rows", leftover)
    config = _xdist_config(2)
    session_guard.session_start(config)
    assert looked_at == [f"{name}_gw0", f"{name}_gw1"]
    assert config.option.create_db is False, "the controller has no database of its own"
    assert f"{name}_gw1" in capsys.readouterr().out
    gw0, gw1 = _node("gw0"), _node("gw1")
    session_guard.configure_worker(gw0)
    session_guard.configure_worker(gw1)
    assert session_guard.CREATE_DB_KEY not in gw0.workerinput
    assert gw1.workerinput[session_guard.CREATE_DB_KEY] is True

    # In the worker: the verdict becomes its --create-db.
    worker_config = SimpleNamespace(option=SimpleNamespace(create_db=False), workerinput=gw1.workerinput)
    session_guard.session_start(worker_config)
    assert worker_config.option.create_db is True

    # After an interrupted run every worker rebuilds.
    (tmp_path / f"{name}.running").write_text(str(_dead_pid()))
    monkeypatch.setattr(session_guard, "_has_leftover_rows", lambda database, db_name: False)
    session_guard.session_start(_xdist_config(2))
    for worker in ("gw0", "gw1"):
        node = _node(worker)
        session_guard.configure_worker(node)
        assert node.workerinput.get(session_guard.CREATE_DB_KEY) is True, worker
