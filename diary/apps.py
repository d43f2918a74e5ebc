from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Geplande contacten")

    def ready(self) -> None:
        # The django-rules predicates of this app (rules autodiscovers only `rules.py`).
        from . import permissions  # noqa: F401
        from .panels import register as register_panels
        from .privacy import register as register_privacy

        # Retention and the subject-access export cover planned contacts (casework/privacy/registry.py);
        # the reminder engine learns which planned contacts belong to a file (notifications/subjects.py).
        register_privacy()
        # Merging two files of one person moves this app's rows too (casework/merging.py).
        from .merge import register as register_merge

        register_merge()
        # "Mijn dag": today's and overdue planned contacts, and the manager's planned vs held.
        register_panels()
