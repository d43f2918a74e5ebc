from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en organisaties")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from config.security import login_failed, record_login

        from . import permissions  # noqa: F401  (the functional administrator's rules, admin site)
        from .language import activate_on_login

        # Session bookkeeping, the user's language and security logging only; no business logic lives
        # in these receivers.
        user_logged_in.connect(record_login, dispatch_uid="disengage_record_login")
        user_logged_in.connect(activate_on_login, dispatch_uid="disengage_language_on_login")
        user_login_failed.connect(login_failed, dispatch_uid="disengage_login_failed")
