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
    while time.monotonic() < deadline and process.pid not in {pid for pid, _ in session_guard._marked_processes(
            marker.split(":")[0])}:
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
