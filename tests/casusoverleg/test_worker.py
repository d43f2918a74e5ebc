"""The minutes PDF task through a REAL Celery worker on Redis and real PostgreSQL.

Approval queues the task on commit; a `celery -A config worker` subprocess (broker: Redis DB 5, override
with CONF_WORKER_BROKER_URL) picks it up, renders one copy per entitled participant and records the
disclosures; the test then checks the rows the worker committed.
"""

import datetime as dt
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from accounts.models import Organisation
from casusoverleg import services, services_minutes
from casusoverleg.models import Minutes, MinutesCopy, Participant
from config.celery import app as celery_app
from tests import parallel
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
# Under xdist, this worker's own Redis database on that server (tests/parallel.py).
BROKER = parallel.redis_url(os.environ.get("CONF_WORKER_BROKER_URL", "redis://127.0.0.1:6379/5"))


def _drop_connections() -> None:
    """Forget pooled broker connections, so the next publish uses the broker configured now."""
    # Only forget them: closing a pool another object still holds makes its next acquire fail.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(tmp_path, monkeypatch):
    redis.Redis.from_url(BROKER).flushdb()
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_LOG_FORMAT": "plain",
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{parallel.node_name('conference-pdf')}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while "ready" not in log_path.read_text(errors="replace"):
        assert process.poll() is None, log_path.read_text(errors="replace")
        assert time.monotonic() < deadline, "worker did not start"
        time.sleep(0.3)
    # This process publishes to the same broker instead of running tasks eagerly.
    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration (CI exports it).
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER)
    celery_app.conf.update(broker_url=BROKER, task_always_eager=False)
    _drop_connections()
    yield log_path
    celery_app.conf.update(**saved)
    _drop_connections()
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_the_minutes_are_announced_by_a_real_worker(worker):
    caw = Organisation.objects.get(name="CAW Limburg")
    vdab = Organisation.objects.get(name="VDAB")
    consultant = UserFactory(username="w-consultant", consultant=True, organisation=caw)
    director = UserFactory(username="w-director", director=True)
    from casework.models import Prison

    Prison.objects.get(code="hasselt").directors.add(director)
    partner = UserFactory(username="w-partner", partner=True, organisation=vdab)
    detainee = DetaineeFactory(organisation=caw, lead_consultant=consultant)
    consent = ConsentFactory(detainee=detainee, organisation=vdab, explained_by=consultant, scopes=["identity", "minutes"])
    start = timezone.now() - dt.timedelta(days=2)
    conference = services.conference_schedule(user=director, detainee=detainee, prison=detainee.current_prison,
                                              starts_at=start, ends_at=start + dt.timedelta(hours=1))
    services.participant_add(conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner)
    minutes = conference.minutes_versions.get()
    minutes = services_minutes.minutes_save(minutes=minutes, user=director, revision=0, general_notes="Overleg verliep goed.",
                                            decisions=[{"text": "Opleiding verderzetten", "consensus": True}])
    approved = services_minutes.minutes_approve(minutes=minutes, user=director)

    deadline = time.monotonic() + 90
    while MinutesCopy.objects.filter(minutes=approved).count() < 3:
        assert time.monotonic() < deadline, worker.read_text(errors="replace")[-3000:]
        time.sleep(0.5)
    copies = {c.participant.user_id: c for c in MinutesCopy.objects.filter(minutes=approved).select_related("participant", "disclosure")}
    partner_copy = copies[partner.pk]
    # The partner is told to read them; nothing has left the team until he downloads his copy.
    assert partner_copy.outcome == MinutesCopy.Outcome.SENT and partner_copy.disclosure_id is None
    assert copies[director.pk].outcome == MinutesCopy.Outcome.INTERNAL and copies[director.pk].disclosure_id is None
    assert "minutes_pdf_render" in worker.read_text(errors="replace")
    approved = Minutes.objects.get(pk=approved.pk)
    assert approved.fingerprint == hashlib.sha256(services_minutes.canonical_bytes(approved.snapshot)).hexdigest()
    download = services_minutes.minutes_download_record(minutes=approved, user=partner, file_sha256="1" * 64)
    assert download.disclosure.consent_id == consent.pk
