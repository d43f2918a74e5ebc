"""The fault suite of `make chaos`, with a smaller load: its own PostgreSQL, Redis, gunicorn, worker and relay on
this suite's private loopback ports; PostgreSQL restarted, Redis stopped, the worker SIGKILLed mid-sweep, two
sweeps at once, a backup restored under traffic. Every target of ADR 0016 is asserted per fault."""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

import pytest

from tests import parallel
from tests.celery_worker import test_database_url

ROOT = Path(__file__).resolve().parents[2]


def load_chaos():
    loader = importlib.machinery.SourceFileLoader("chaos", str(ROOT / "bin" / "chaos"))
    spec = importlib.util.spec_from_loader("chaos", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos"] = module
    loader.exec_module(module)
    return module


chaos = load_chaos()


@pytest.mark.slow
@pytest.mark.django_db
# Under xdist, never at the same time as the readyz deadline tests (tests/ops/test_readyz_deadline.py).
@pytest.mark.xdist_group("deadlines-and-the-fault-stack")
def test_every_fault_meets_its_target(capsys):
    # The private ports of this xdist worker (tests/parallel.py): another worker may run the replica pair.
    run_settings = chaos.Settings(
        pg_port=parallel.port(55431),
        redis_port=parallel.port(56371),
        web_port=parallel.port(58131),
        clients=4,
        redis_outage=4.0,
        reminders=400,
        recipients=40,
        concurrent_reminders=200,
        settle=2.0,
        mail_seconds=0.005,
        template_url=test_database_url(),
    )
    rows = chaos.run(run_settings)
    with capsys.disabled():
        print("\n" + chaos.table(rows))
    by_fault = {row.fault[:3]: row for row in rows}
    assert set(by_fault) == {"(a)", "(b)", "(c)", "(d)", "(e)"}, [row.note for row in rows]
    restart, outage, kill, concurrent, backup = (by_fault[key] for key in ("(a)", "(b)", "(c)", "(d)", "(e)"))
    assert restart.requests > 10 and restart.failed == 0 and restart.jobs_lost == 0, restart
    assert outage.requests > 20 and outage.failed == 0 and outage.jobs_lost == 0, outage
    assert kill.notifications_duplicated == 0 and kill.jobs_lost == 0 and kill.mails_duplicated <= 2, kill
    assert concurrent.notifications_duplicated == 0 and concurrent.mails_duplicated == 0, concurrent
    assert concurrent.jobs_lost == 0, concurrent
    assert backup.ok and backup.failed == 0, backup
    assert all(row.ok for row in rows), chaos.table(rows)
