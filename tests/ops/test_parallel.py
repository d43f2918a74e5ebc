"""What each xdist worker gets of its own (tests/parallel.py): Redis databases, ports, Celery node names."""

import pytest

from tests import parallel


@pytest.fixture
def as_worker(monkeypatch):
    def become(index: int, count: int = 2, **environ):
        monkeypatch.setattr(parallel, "WORKER", f"gw{index}")
        monkeypatch.setattr(parallel, "INDEX", index)
        monkeypatch.setattr(parallel, "COUNT", count)
        for name in ("TEST_REDIS_DBS", *parallel.REDIS_VARIABLES):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)

    return become


def test_outside_xdist_nothing_changes(monkeypatch):
    monkeypatch.setattr(parallel, "WORKER", "")
    monkeypatch.setattr(parallel, "INDEX", 0)
    assert parallel.redis_url("redis://127.0.0.1:6379/5") == "redis://127.0.0.1:6379/5"
    assert parallel.port(56379) == 56379
    assert parallel.node_name("remind1") == "remind1"


def test_every_redis_use_of_a_worker_lands_on_its_own_database_of_the_configured_server(as_worker):
    as_worker(1, REDIS_URL="redis://127.0.0.1:6379/15")
    # CI's defaults: counting down from REDIS_URL's database, gw0 → 15, gw1 → 14, whatever DB a test named.
    for url in ("redis://127.0.0.1:6379/5", "redis://127.0.0.1:6379/3", "redis://127.0.0.1:6379/15"):
        assert parallel.redis_url(url) == "redis://127.0.0.1:6379/14"
    # The server, port and password of an override stay; only the number becomes the worker's.
    assert parallel.redis_url("redis://:secret@10.0.0.5:6380/7") == "redis://:secret@10.0.0.5:6380/14"
    assert parallel.redis_url("filesystem://") == "filesystem://"
    # Applied twice (a Celery worker started by a test reads the test settings again): the same database.
    assert parallel.redis_url(parallel.redis_url("redis://127.0.0.1:6379/5")) == "redis://127.0.0.1:6379/14"
    as_worker(0, REDIS_URL="redis://127.0.0.1:6379/15")
    assert parallel.redis_url("redis://127.0.0.1:6379/5") == "redis://127.0.0.1:6379/15"


def test_test_redis_dbs_names_the_databases_and_too_few_is_refused(as_worker):
    as_worker(1, TEST_REDIS_DBS="11,13", REDIS_URL="redis://127.0.0.1:6379/11")
    assert parallel.redis_url("redis://127.0.0.1:6379/11") == "redis://127.0.0.1:6379/13"
    as_worker(2, count=3, TEST_REDIS_DBS="11,13")
    with pytest.raises(RuntimeError, match="3 xdist workers need 3 distinct Redis databases"):
        parallel.redis_url("redis://127.0.0.1:6379/11")


def test_the_environment_of_a_worker_is_rewritten_once_for_its_children_too(as_worker):
    as_worker(
        1,
        REDIS_URL="redis://127.0.0.1:6379/15",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        CONF_WORKER_BROKER_URL="redis://127.0.0.1:6379/5",
    )
    environ = {
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "CONF_WORKER_BROKER_URL": "redis://127.0.0.1:6379/5",
    }
    parallel.apply_to_environment(environ)
    assert environ["TEST_REDIS_DBS"] == "15,14"
    assert {environ[name] for name in ("REDIS_URL", "CELERY_BROKER_URL", "CONF_WORKER_BROKER_URL")} == {
        "redis://127.0.0.1:6379/14"
    }


def test_ports_and_node_names_differ_per_worker(as_worker):
    as_worker(1)
    assert parallel.port(56379) == 57379
    assert parallel.node_name("conference-pdf") == "conference-pdf-gw1"
