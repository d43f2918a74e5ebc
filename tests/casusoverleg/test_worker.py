"""The minutes PDF task through a REAL Celery worker on Redis and real PostgreSQL.

Approval queues the task on commit; a `celery -A config worker` subprocess (broker: Redis DB 5, override
with CONF_WORKER_BROKER_URL) picks it up, renders one copy per entitled participant and records the
disclosures; the test then checks the rows the worker committed.
"""

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Organisation
from casusoverleg import services
from casusoverleg.models import Minutes, MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes
from tests import parallel
from tests.celery_worker import CeleryWorker, flush, publishing_to
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
# Under xdist, this worker's own Redis database on that server (tests/parallel.py).
BROKER = parallel.redis_url(os.environ.get("CONF_WORKER_BROKER_URL", "redis://127.0.0.1:6379/5"))


@pytest.fixture
def worker(tmp_path, monkeypatch):
    flush(BROKER)
    process = CeleryWorker(tmp_path, BROKER, name="conference-pdf@%h").start()
    with publishing_to(BROKER, monkeypatch):
        yield process.log_path
    process.stop()


def test_the_minutes_are_announced_by_a_real_worker(worker):
    caw = Organisation.objects.get(name="CAW Limburg")
    vdab = Organisation.objects.get(name="VDAB")
    consultant = UserFactory(username="w-consultant", consultant=True, organisation=caw)
    director = UserFactory(username="w-director", director=True)
    from casework.models import Prison

    Prison.objects.get(code="hasselt").directors.add(director)
    partner = UserFactory(username="w-partner", partner=True, organisation=vdab)
    detainee = DetaineeFactory(organisation=caw, lead_consultant=consultant)
    consent = ConsentFactory(
        detainee=detainee, organisation=vdab, explained_by=consultant, scopes=["identity", "minutes"]
    )
    start = timezone.now() - dt.timedelta(days=2)
    conference = services.conference_schedule(
        user=director,
        detainee=detainee,
        prison=detainee.current_prison,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
    )
    minutes = conference.minutes_versions.get()
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=0,
        general_notes="Overleg verliep goed.",
        decisions=[{"text": "Opleiding verderzetten", "consensus": True}],
    )
    approved = services_minutes.minutes_approve(minutes=minutes, user=director)

    deadline = time.monotonic() + 90
    while MinutesCopy.objects.filter(minutes=approved).count() < 3:
        assert time.monotonic() < deadline, worker.read_text(errors="replace")[-3000:]
        time.sleep(0.5)
    copies = {
        c.participant.user_id: c
        for c in MinutesCopy.objects.filter(minutes=approved).select_related("participant", "disclosure")
    }
    partner_copy = copies[partner.pk]
    # The partner is told to read them; nothing has left the team until he downloads his copy.
    assert partner_copy.outcome == MinutesCopy.Outcome.SENT and partner_copy.disclosure_id is None
    assert copies[director.pk].outcome == MinutesCopy.Outcome.INTERNAL and copies[director.pk].disclosure_id is None
    assert "minutes_pdf_render" in worker.read_text(errors="replace")
    approved = Minutes.objects.get(pk=approved.pk)
    assert approved.fingerprint == hashlib.sha256(services_minutes.canonical_bytes(approved.snapshot)).hexdigest()
    download = services_minutes.minutes_download_record(minutes=approved, user=partner, file_sha256="1" * 64)
    assert download.disclosure.consent_id == consent.pk
