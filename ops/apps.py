from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health endpoints, request and task logging, the beat heartbeat, the database backend with its
    connection retry, and the transactional outbox of jobs (its one model). No case data."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import task_logging

        task_logging.connect()
