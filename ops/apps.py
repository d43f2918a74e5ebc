from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health endpoints, request and task logging, the beat heartbeat. No models, no case data."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import task_logging

        task_logging.connect()
