"""Reporting reads on a real streaming replica (config/db_router.py, ADR 0036).

The slow test starts a private primary (initdb, on a loopback port of this suite) with a copy of the test
database, a hot standby of it (`pg_basebackup -R`, streaming), points Django's `default` at the primary and
`reporting` at the standby, and checks: the dashboards, the yearly figures and the export read on the standby;
nothing is ever written there; and with replay paused on the standby, a consent withdrawn on the primary is
gone from the figures and from the access decision at once (consents are read on the primary). Both servers are
stopped by the test itself, whatever happens.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import db_router
from tests import parallel

ROOT = Path(__file__).resolve().parents[2]
PRIMARY_PORT, STANDBY_PORT = parallel.port(56501), parallel.port(56502)  # per xdist worker (tests/parallel.py)
DB_NAME = "disengage_replica"
WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "CREATE", "ALTER", "DROP")


def _dev_env():
    loader = importlib.machinery.SourceFileLoader("dev_env", str(ROOT / "bin" / "dev-env"))
    spec = importlib.util.spec_from_loader("dev_env", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("dev_env", module)
    loader.exec_module(module)
    return module


# --- The router alone (fast) ---------------------------------------------------------------------------------


def test_without_a_replica_every_read_stays_on_the_primary(settings):
    from casework.models import Session

    settings.REPORTING_REPLICA = False
    router = db_router.ReportingRouter()
    with db_router.reporting_reads():
        assert router.db_for_read(Session) is None


def test_with_a_replica_only_report_reads_of_case_models_go_there(settings):
    from accounts.models import User
    from casework.models import AccessLog, Consent, Session
    from trajectories.models import Trajectory

    settings.REPORTING_REPLICA = True
    router = db_router.ReportingRouter()
    assert router.db_for_read(Session) is None  # outside a report
    with db_router.reporting_reads():
        assert router.db_for_read(Session) == "reporting"
        assert router.db_for_read(Trajectory) == "reporting"
        for primary_only in (Consent, AccessLog, User):
            assert router.db_for_read(primary_only) is None
        with db_router.primary_reads():
            assert router.db_for_read(Session) is None
        assert router.db_for_write(Session) == "default"
    assert router.allow_migrate("reporting", "casework") is False
    assert router.allow_migrate("default", "casework") is True


# --- The real replica (slow) ---------------------------------------------------------------------------------


class ReplicaPair:
    """A private primary and its streaming hot standby on loopback, under one temporary directory."""

    def __init__(self):
        self.dev_env = _dev_env()
        self.bindir = self.dev_env.find_pg_binaries()
        if self.bindir is None:
            pytest.fail("initdb/pg_ctl/pg_basebackup are needed (Debian: apt-get install postgresql)")
        self.owner = self.dev_env.cluster_owner()
        self.root = Path(tempfile.mkdtemp(prefix="replica-", dir="/tmp"))  # noqa: S108 - short socket paths
        self.root.chmod(0o755)
        self.started: list[Path] = []

    def _run(self, *argv: str, timeout: int = 180) -> str:
        result = self.dev_env.run_as(self.owner, [str(a) for a in argv], timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(argv[0]).name}: {result.stderr.strip()[-2000:]}")
        return result.stdout

    def _own(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if self.owner:
            account = self.dev_env.pwd.getpwnam(self.owner)
            os.chown(path, account.pw_uid, account.pw_gid)

    def _start(self, data: Path, port: int) -> None:
        run = self.root / f"run-{port}"
        self._own(run)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={run} -c fsync=off"
        self.started.append(data)
        self._run(
            self.bindir / "pg_ctl",
            "-D",
            data,
            "-l",
            self.root / f"pg-{port}.log",
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def start(self, template_url: str) -> None:
        self._own(self.root)
        primary = self.root / "primary"
        self._run(
            self.bindir / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        self._start(primary, PRIMARY_PORT)
        subprocess.run(
            [
                str(self.bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PRIMARY_PORT),
                "-U",
                "postgres",  # noqa: S603
                DB_NAME,
            ],
            check=True,
            capture_output=True,
        )
        self._copy(template_url)
        standby = self.root / "standby"
        # -R writes standby.signal and primary_conninfo: the copy starts as a streaming hot standby.
        self._run(
            self.bindir / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            PRIMARY_PORT,
            "-U",
            "postgres",
            "-D",
            standby,
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        )
        self._start(standby, STANDBY_PORT)

    def _copy(self, url: str) -> None:
        dump = subprocess.Popen(
            [str(self.bindir / "pg_dump"), "--format=custom", "--no-owner", "--no-privileges", url],  # noqa: S603
            stdout=subprocess.PIPE,
        )
        restore = subprocess.run(
            [
                str(self.bindir / "pg_restore"),
                "--no-owner",
                "--no-privileges",
                "-h",
                "127.0.0.1",  # noqa: S603
                "-p",
                str(PRIMARY_PORT),
                "-U",
                "postgres",
                "-d",
                DB_NAME,
            ],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            check=False,
        )
        dump.stdout.close()
        if dump.wait() != 0 or restore.returncode != 0:
            raise RuntimeError(f"copying the test database failed: {restore.stderr[-2000:]}")

    def stop(self) -> None:
        for data in reversed(self.started):
            with contextlib.suppress(Exception):
                self._run(self.bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "-t", "30", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def _settings_for(base: dict, port: int) -> dict:
    config = copy.deepcopy(base)
    config.update(HOST="127.0.0.1", PORT=str(port), NAME=DB_NAME, USER="postgres", PASSWORD="")
    config["TEST"] = {"NAME": DB_NAME}
    return config


@contextlib.contextmanager
def _django_on(pair_ports: tuple[int, int]):
    """Point `default` at the private primary and `reporting` at its standby; put the test's own back after."""
    saved = {alias: (connections.settings[alias], connections[alias]) for alias in ("default", "reporting")}
    base = connections["default"].settings_dict
    try:
        for alias, port in zip(("default", "reporting"), pair_ports, strict=True):
            connections.settings[alias] = _settings_for(base, port)
            connections[alias] = connections.create_connection(alias)
        yield
    finally:
        for alias, (config, connection) in saved.items():
            with contextlib.suppress(Exception):
                connections[alias].close()
            connections.settings[alias] = config
            connections[alias] = connection


def _scalar(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _execute(alias: str, sql: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)


def _wait_for_replay() -> None:
    """Until the standby has replayed everything the primary has written."""
    target = _scalar("default", "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + 30
    while not _scalar("reporting", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        if time.monotonic() > deadline:
            raise AssertionError("the standby did not catch up within 30 s")
        time.sleep(0.1)


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


@pytest.fixture
def replica(db, django_db_blocker, settings):
    settings.REPORTING_REPLICA = True
    settings.REPORTING_CACHE_SECONDS = 0
    database = connections["default"].settings_dict
    # The test database (made for this test's `db`); its committed schema and reference rows are copied.
    name = _scalar("default", "SELECT current_database()")
    url = f"postgres://{database['USER']}@{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{name}"
    pair = ReplicaPair()
    try:
        pair.start(url)
        with django_db_blocker.unblock(), _django_on((PRIMARY_PORT, STANDBY_PORT)):
            yield pair
    finally:
        pair.stop()


def _world():
    """A manager's organisation with one open trajectory, a consent for VDAB and a few sessions, on the primary."""
    from accounts.models import Organisation
    from casework.models import Prison
    from tests.factories import ConsentFactory, DetaineeFactory, SessionFactory, UserFactory
    from trajectories import services as trajectory_services

    caw = Organisation.objects.get(name="CAW Limburg")
    vdab = Organisation.objects.get(name="VDAB")
    consultant = UserFactory(username="replica_consultant", consultant=True, organisation=caw)
    manager = UserFactory(username="replica_manager", manager=True, organisation=caw)
    partner = UserFactory(username="replica_partner", partner=True, organisation=vdab)
    detainee = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        lead_consultant=consultant,
        current_prison=Prison.objects.get(code="hasselt"),
    )
    consent = ConsentFactory(
        detainee=detainee, organisation=vdab, explained_by=consultant, scopes=["identity", "session_summaries"]
    )
    trajectory = trajectory_services.trajectory_refer(
        detainee=detainee,
        user=consultant,
        referred_on=timezone.localdate() - dt.timedelta(days=40),
        referred_by="psd",
        referral_reason="Aangemeld door de PSD",
    )
    trajectory_services.trajectory_transition(
        trajectory=trajectory, user=consultant, to="intake", reason="Eerste gesprek"
    )
    for _ in range(3):
        SessionFactory(detainee=detainee, author=consultant)
    return {"manager": manager, "partner": partner, "detainee": detainee, "consent": consent, "consultant": consultant}


@pytest.mark.slow
@pytest.mark.django_db
def test_reports_read_the_replica_and_consents_the_primary(replica):
    from casework import services
    from casework.access import get_detainee_for_user
    from casework.models import AccessLog, Consent

    assert _scalar("reporting", "SELECT pg_is_in_recovery()") is True
    assert _scalar("default", "SELECT pg_is_in_recovery()") is False
    world = _world()
    _wait_for_replay()
    client = Client()
    client.force_login(world["manager"])

    replica_sql, primary_sql = [], []
    for url in (
        "/rapportering/dashboard/",
        "/rapportering/jaarcijfers/",
        "/rapportering/jaarcijfers/export.csv",
        "/api/v1/reports/yearly/",
    ):
        with (
            CaptureQueriesContext(connections["reporting"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert on_replica.captured_queries, f"{url} read nothing on the replica"
        replica_sql += on_replica.captured_queries
        primary_sql += on_primary.captured_queries
        if url == "/rapportering/dashboard/":
            assert response.context["consent"]["with_consent"] == 1
    # The case figures come from the standby; the consent coverage and the access log from the primary.
    assert "casework_session" in _tables(replica_sql) and "trajectories_trajectory" in _tables(replica_sql)
    assert "casework_consent" in _tables(primary_sql)
    assert not any(q["sql"].lstrip().upper().startswith(WRITES) for q in replica_sql)
    assert "casework_accesslog" not in _tables(replica_sql)
    assert AccessLog.objects.using("default").filter(user=world["manager"], object_kind="yearly_report").exists()

    # Lag: the standby stops replaying; the consent is withdrawn on the primary.
    _execute("reporting", "SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + 10
    while _scalar("reporting", "SELECT pg_get_wal_replay_pause_state()") != "paused":
        assert time.monotonic() < deadline, "replay did not pause"
        time.sleep(0.05)
    try:
        services.consent_withdraw(consent=world["consent"], user=world["consultant"])
        time.sleep(0.5)
        # The standby still holds the consent as active: the lag is real.
        assert Consent.objects.using("reporting").active().filter(pk=world["consent"].pk).exists()

        with CaptureQueriesContext(connections["reporting"]) as on_replica:
            dashboard = client.get("/rapportering/dashboard/")
            listed = client.get("/rapportering/dashboard/lijst/consent/?with=1")
        assert on_replica.captured_queries  # the rest of the dashboard still reads the replica
        assert dashboard.context["consent"]["with_consent"] == 0
        assert world["detainee"].pk not in [row.pk for row in listed.context["page"].object_list]
        assert "casework_consent" not in _tables(on_replica.captured_queries)

        # The access decision, even inside a report's scope, asks the primary: the partner is refused at once.
        with db_router.reporting_reads(), CaptureQueriesContext(connections["default"]) as on_primary:
            with pytest.raises(Http404):
                get_detainee_for_user(world["partner"], world["detainee"].pk)
        assert "casework_consent" in _tables(on_primary.captured_queries)
        partner = Client()
        partner.force_login(world["partner"])
        assert partner.get(f"/gedetineerden/{world['detainee'].pk}/").status_code == 404
    finally:
        _execute("reporting", "SELECT pg_wal_replay_resume()")
    _wait_for_replay()
    assert not Consent.objects.using("reporting").active().filter(pk=world["consent"].pk).exists()
