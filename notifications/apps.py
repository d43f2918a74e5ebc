from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Meldingen en herinneringen")

    def ready(self) -> None:
        # Each app declares its own reminder kinds in `<app>/reminders.py`; importing those
        # modules registers them with the one engine (the engine never imports the apps).
        autodiscover_modules("reminders")
        from . import privacy

        # Retention and the subject-access export cover reminders and notifications.
        privacy.register()
        # Merging two files of one person moves this app's rows too (casework/merging.py).
        from .merge import register as register_merge

        register_merge()

        # "Mijn dag": the reminders due today and the overdue ones.
        from .panels import register as register_panels

        register_panels()

        # The e-mail settings on the profile page (accounts/profile.py).
        from accounts.profile import ProfileSection, register_profile_section

        def mail_section(request):
            from .views import mail_section as context

            return context(request)

        register_profile_section(
            ProfileSection("mail", _("E-mail bij meldingen"), "notifications/_profile_mail.html", 50, mail_section)
        )
