"""Celery tasks of accounts: take ids, call a service. Retries come from the project's task base (ops/tasks.py)."""

from celery import shared_task

from . import services_invitations


@shared_task
def invitation_mail_send(invitation_id: int) -> bool:
    """Mail the link of a new invitation, after the change that created it committed (through the outbox)."""
    return services_invitations.invitation_mail_send(invitation_id=invitation_id)
