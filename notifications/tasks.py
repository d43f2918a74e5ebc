"""Celery tasks of the reminder engine: thin, retried with back-off, safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    # A restarted PostgreSQL (or a dropped connection) fails the sweep half-way: the batch in
    # flight rolled back, so simply run it again, later and later.
    autoretry_for=(OperationalError, InterfaceError, BrokerOperationalError),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=10,
)
def reminders_sweep(self, batch_size: int = services.DEFAULT_BATCH_SIZE) -> dict:
    """Plan and deliver every due reminder (beat runs this every few minutes)."""
    result = services.reminders_sweep(batch_size=batch_size)
    return {
        "planned": result.planned,
        "sent": result.sent,
        "withdrawn": result.withdrawn,
        "batches": result.batches,
        "mails": result.mails,
    }
