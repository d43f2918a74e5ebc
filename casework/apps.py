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

        # The file's own tabs, registered like the tabs the other apps add (casework/views/registry.py).
        from .views.registry import FileTab, register_file_tab

        register_file_tab(
            FileTab("sessions", _("Contactmomenten"), "casework:file_sessions", "casework.view_sessions", 10)
        )
        register_file_tab(FileTab("network", _("Netwerk"), "casework:file_network", "casework.view_network", 30))
        register_file_tab(
            FileTab(
                "placements", _("Plaatsingen en vermeldingen"), "casework:file_placements", "casework.view_detainee", 40
            )
        )
        register_file_tab(
            FileTab("consent", _("Toestemmingen"), "casework:file_consents", "casework.view_consents", 60)
        )
        register_file_tab(
            FileTab("disclosures", _("Verstrekkingen"), "privacy:file_disclosures", "casework.view_disclosures", 80)
        )
        register_file_tab(FileTab("history", _("Geschiedenis"), "casework:file_history", "casework.view_history", 90))
