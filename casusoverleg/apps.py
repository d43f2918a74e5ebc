from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasusoverlegConfig(AppConfig):
    name = "casusoverleg"
    verbose_name = _("Casusoverleg")

    def ready(self) -> None:
        # Register the django-rules predicates (permissions.py is not autodiscovered).
        # The detainee file builds its tabs from a registry, so casework never imports this app.
        from casework.views.registry import FileTab, register_file_tab

        # What a partner may open on a file, for the sharing panel (casework/sharing.py).
        from . import (
            permissions,  # noqa: F401
            sharing,  # noqa: F401
        )
        from .privacy import register as register_privacy

        # Retention and the subject-access export cover conferences (casework/privacy/registry.py).
        register_privacy()
        # Merging two files of one person moves this app's rows too (casework/merging.py).
        from .merge import register as register_merge

        register_merge()
        # A transfer takes the conferences planned at the old prison along (casework/transfers.py, ADR 0040).
        from casework.transfers import TransferPart, register_transfer_part

        from .services.transfer import conferences_follow_transfer

        register_transfer_part(TransferPart(name="casusoverleg", apply=conferences_follow_transfer))

        # The calendar feed on the profile page (accounts/profile.py), managed by this app's own view.
        from accounts.profile import ProfileSection, register_profile_section

        def feed_section(request):
            from .views import feed_context

            return feed_context(request)

        register_profile_section(
            ProfileSection("calendar_feed", _("Agendafeed"), "casusoverleg/_profile_feed.html", 40, feed_section)
        )

        # "Mijn dag": the user's conferences of the week, minutes to write or approve, pre-leave deadlines.
        from .panels import register as register_panels

        register_panels()

        register_file_tab(
            FileTab(
                "conferences",
                _("Casusoverleg"),
                "casusoverleg:file_conferences",
                "casusoverleg.view_file_conferences",
                70,
            )
        )
