"""Celery tasks of the case conference: take ids, call a service. Retries come from the project's task base."""

from celery import shared_task

from . import services
from .services import minutes as services_minutes


@shared_task
def conference_invitations_send(
    conference_id: int, participant_ids: list[int] | None = None, cancel: bool = False
) -> int:
    """Mail invitations (or cancellations) with the .ics attachment after a scheduling change committed."""
    return services.conference_invitations_send(
        conference_id=conference_id, participant_ids=participant_ids, cancel=cancel
    )


@shared_task
def minutes_pdf_render(minutes_id: int) -> int:
    """Tell each entitled participant that approved minutes are there to read (`minutes_distribute`). The name is
    kept from when this task rendered and mailed PDF copies, so jobs already in the outbox still run; the copies
    are now rendered when each reader downloads his own."""
    return len(services_minutes.minutes_distribute(minutes_id=minutes_id))
