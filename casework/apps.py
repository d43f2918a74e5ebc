from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Dossier")

    def ready(self):
        # Register the django-rules predicates of the case file (rules autodiscovers only `rules.py`).
        from . import (
            compartments,  # noqa: F401  (the health rule)
            permissions,  # noqa: F401
        )
