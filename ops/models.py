"""The transactional outbox (ADR 0016): jobs that must happen, written in the transaction of the change causing them.

A row is a Celery task call (task name + JSON arguments). It commits or rolls back with the change; the relay
(`manage.py outbox_relay`) publishes committed rows to the broker in id order and marks them relayed, retrying
with back-off while the broker is away. No case content: tasks take ids.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def pending(self) -> OutboxMessageQuerySet:
        """Committed, not yet handed to the broker, due now (a failed publish waits for its back-off)."""
        return self.filter(relayed_at__isnull=True, next_attempt_at__lte=timezone.now())


class OutboxMessage(models.Model):
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    relayed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "outbox message"
        indexes = [
            # The relay's poll: the few rows not yet relayed, in id order; stays tiny.
            models.Index(fields=["id"], condition=Q(relayed_at__isnull=True), name="outbox_pending_idx"),
            models.Index(fields=["relayed_at"], condition=Q(relayed_at__isnull=False), name="outbox_relayed_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.task}"

    @property
    def task_id(self) -> str:
        """The Celery task id: stable, so a task published twice (relay died before marking) is recognisable."""
        return f"outbox-{self.pk}"
