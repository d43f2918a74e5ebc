"""The Celery app. Periodic schedules are declared here, in one place."""

import os

from celery import Celery

# Like wsgi.py and asgi.py: a process started without a settings module runs with production's (manage.py and
# `make run` choose the development settings themselves).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# Every task retries transient failures with back-off (ops/tasks.py).
app = Celery("disengage", task_cls="ops.tasks:ResilientTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of the project, with when it runs and why.
app.conf.beat_schedule = {
    # Every 5 minutes: plan due reminders of every kind and deliver them (notification + content-free
    # e-mail). Idempotent and safe to overlap: the database, not the broker, guarantees exactly-once.
    "reminders-sweep": {"task": "notifications.tasks.reminders_sweep", "schedule": 300.0},
}
