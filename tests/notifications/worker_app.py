"""The Celery app the integration tests start as a real worker: the project's app, plus the
test reminder kind and a slow, counting e-mail backend so a test can kill the worker mid-sweep.

Started as `celery -A tests.notifications.worker_app worker …` by `test_worker.py`.
"""

import os

from celery.signals import worker_init, worker_process_init

from config.celery import app

# A killed worker's unacknowledged task comes back after this many seconds (default: one hour).
app.conf.broker_transport_options = {"visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", "5"))}


def _install(**_kwargs):
    from django.conf import settings

    from tests.notifications import kinds

    kinds.install()
    settings.EMAIL_BACKEND = "tests.notifications.slow_mail.SlowCountingBackend"


worker_init.connect(_install)
worker_process_init.connect(_install)

__all__ = ["app"]
