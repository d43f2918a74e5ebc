from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = _("Trajecten")

    def ready(self) -> None:
        from accounts.models import User
        from casework.views.registry import FileTab, MyDayPanel, register_file_tab, register_my_day_panel

        # Registers the django-rules permissions of this app.
        # What a partner may open on a file, for the sharing panel (casework/sharing.py).
        from . import (
            permissions,  # noqa: F401
            sharing,  # noqa: F401
        )
        from .privacy import register as register_privacy

        # Retention and the subject-access export cover trajectories (casework/privacy/registry.py).
        register_privacy()
        # Merging two files of one person moves this app's rows too (casework/merging.py).
        from .merge import register as register_merge

        register_merge()

        # The "Traject" tab of the detainee's file; casework never imports this app.
        register_file_tab(FileTab("trajectory", _("Traject"), "trajectories:file_tab", "trajectories.view_file_tab", 5))
        register_file_tab(
            FileTab(
                "referrals",
                _("Doorverwijzingen"),
                "trajectories:file_referrals",
                "trajectories.view_file_referrals",
                55,
            )
        )
        # "Mijn dag" panels: shells that load their content with htmx (no query on Mijn dag itself).
        register_my_day_panel(MyDayPanel("my_actions", "trajectories/my_day_actions.html", {User.Role.CONSULTANT}, 15))
        register_my_day_panel(
            MyDayPanel("waiting_referrals", "trajectories/my_day_referrals.html", {User.Role.MANAGER}, 15)
        )
