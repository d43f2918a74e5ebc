"""Admin (/beheer/): accounts and organisations, managed by the functional administrator (accounts/permissions.py).

An administrator who is no superuser never sees nor sends the privilege fields (superuser, staff, groups,
permissions) and cannot change a superuser's account; `accounts.services.user_save_by_admin` checks the
same on the server and lets the admin-site flag follow the role. Deactivating (unticking "actief", or the
list action) ends the account's sessions and API tokens.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .admin_base import ReferenceDataAdmin
from .models import ApiToken, Organisation, User

PERSONAL = (gettext_lazy("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")})
# The administrator creates the accounts: the language can be set then (a Walloon prison's staff start in
# French); the user changes it later with the switch in the header.
ROLE = (gettext_lazy("Rol"), {"fields": ("role", "organisation", "phone", "language")})
DATES = (gettext_lazy("Belangrijke data"), {"fields": ("last_login", "date_joined")})
# An integration's account: no password, an owner; its tokens come from the list actions (docs/adr/0018).
SERVICE = (gettext_lazy("Serviceaccount"), {"fields": ("is_service_account", "service_owner")})


@admin.register(User)
class UserAdmin(ReferenceDataAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organisation", "is_service_account", "is_active")
    list_filter = ("role", "organisation", "is_service_account", "is_active")
    list_select_related = ("organisation",)
    actions = ["deactivate", "issue_read_token", "issue_read_write_token", "revoke_tokens"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        PERSONAL,
        ROLE,
        SERVICE,
    )
    # Whether an account may enter the admin site follows its role (services.staff_status): no staff box.
    superuser_fieldsets = (
        (None, {"fields": ("username", "password")}),
        PERSONAL,
        ROLE,
        SERVICE,
        (gettext_lazy("Toegang"), {"fields": ("is_active", "is_superuser", "groups", "user_permissions")}),
        DATES,
    )
    administrator_fieldsets = (
        (None, {"fields": ("username", "password")}),
        PERSONAL,
        ROLE,
        SERVICE,
        (gettext_lazy("Toegang"), {"fields": ("is_active",)}),
        DATES,
    )
    in_use_hint = gettext_lazy("Deactiveer het account in plaats van het te verwijderen.")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.administrator_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def has_change_permission(self, request, obj=None):
        # The object rule: only superusers change a superuser's account (accounts/permissions.py).
        return request.user.has_perm("accounts.change_user", obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        acting_user = request.user

        class AccountForm(form):
            def clean(self):
                cleaned_data = super().clean()
                if (self.instance.pk == acting_user.pk and "is_active" in cleaned_data
                        and not cleaned_data["is_active"]):
                    self.add_error("is_active", _("Je kan je eigen account niet deactiveren."))
                return cleaned_data

        AccountForm.__name__ = form.__name__
        return AccountForm

    def save_model(self, request, obj, form, change):
        services.user_save_by_admin(user=obj, by=request.user, creating=not change)

    @admin.action(description=gettext_lazy("Geselecteerde accounts deactiveren"), permissions=["change"])
    def deactivate(self, request, queryset):
        done, skipped = 0, 0
        for user in queryset.filter(is_active=True):
            if user.pk == request.user.pk or not self.has_change_permission(request, user):
                skipped += 1
                continue
            services.user_deactivate(user=user, by=request.user)
            self.log_change(request, user, [{"changed": {"fields": ["is_active"]}}])
            done += 1
        if done:
            self.message_user(request, ngettext(
                "%(count)d account gedeactiveerd: de sessies en API-sleutels zijn beëindigd.",
                "%(count)d accounts gedeactiveerd: de sessies en API-sleutels zijn beëindigd.", done,
            ) % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(count)d account niet gedeactiveerd: je eigen account of dat van een superuser.",
                "%(count)d accounts niet gedeactiveerd: je eigen account of dat van een superuser.", skipped,
            ) % {"count": skipped}, messages.WARNING)

    def _issue(self, request, queryset, scope):
        for account in queryset:
            if not account.is_service_account or not self.has_change_permission(request, account):
                self.message_user(request, _("%(name)s is geen serviceaccount: een medewerker maakt zijn tokens zelf "
                                             "aan op zijn profiel.") % {"name": account.username}, messages.WARNING)
                continue
            try:
                token, secret = services.token_create(
                    user=account, name=_("uitgegeven door %(admin)s") % {"admin": request.user.username},
                    scope=scope, days=settings.API_TOKEN_MAX_DAYS, by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                continue
            self.log_change(request, account, [{"added": {"name": "API-token", "object": token.token_key}}])
            # Shown once: only the digest is stored.
            self.message_user(request, _("Token voor %(name)s (%(scope)s, vervalt %(expiry)s) — kopieer het nu, het "
                                         "wordt niet opnieuw getoond: %(secret)s") % {
                "name": account.username, "scope": token.get_scope_display(),
                "expiry": token.expiry.date().isoformat(), "secret": secret}, messages.WARNING)

    @admin.action(description=gettext_lazy("Serviceaccount: token uitgeven (lezen, 90 dagen)"), permissions=["change"])
    def issue_read_token(self, request, queryset):
        self._issue(request, queryset, ApiToken.Scope.READ)

    @admin.action(description=gettext_lazy("Serviceaccount: token uitgeven (lezen en schrijven, 90 dagen)"),
                  permissions=["change"])
    def issue_read_write_token(self, request, queryset):
        self._issue(request, queryset, ApiToken.Scope.READ_WRITE)

    @admin.action(description=gettext_lazy("Alle API-tokens van de geselecteerde accounts intrekken"), permissions=["change"])
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in ApiToken.objects.filter(user__in=[u for u in queryset if self.has_change_permission(request, u)]):
            services.token_revoke(token=token, by=request.user)
            count += 1
        self.message_user(request, ngettext("%(count)d token ingetrokken.", "%(count)d tokens ingetrokken.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    list_display = ("name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    in_use_hint = gettext_lazy("Zet de organisatie op inactief in plaats van ze te verwijderen.")


def _login_through_allauth(request, extra_context=None):
    """The admin has no login form of its own: everyone logs in through allauth, so MFA and axes apply.

    Someone already logged in without the admin site (every role but the functional administrator) is
    refused here: sending him to the login again would bounce between the two logins forever."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())


admin.site.login = _login_through_allauth
# Our name instead of "Django administration", in the user's language like the rest of the admin site.
admin.site.site_header = gettext_lazy("Disengagement — beheer")
admin.site.site_title = gettext_lazy("Disengagement — beheer")
admin.site.index_title = gettext_lazy("Gebruikers en referentiegegevens")
