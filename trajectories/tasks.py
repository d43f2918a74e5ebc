"""Celery tasks of the trajectories: take ids, call a service. Retries come from the project's task base
(ops/tasks.py: transient database, broker and mail errors, with back-off); the worker finds this module by
Celery's autodiscovery, in every process."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import handover as services_handover

logger = logging.getLogger(__name__)


# The name stays the one the task had when it lived in handover.py: jobs already in the outbox still run.
@shared_task(name="trajectories.handover.handover_package_render", acks_late=True)
def handover_package_render(package_id: int) -> str:
    """Render the handover package PDF (WeasyPrint) and record the disclosure."""
    try:
        package = services_handover.handover_package_build(package_id=package_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        # A template or PDF error will not fix itself: mark the package failed so the page says so.
        logger.exception("handover package %s failed", package_id)
        services_handover.handover_package_fail(package_id=package_id)
        raise
    return package.status
