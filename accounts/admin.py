"""Admin (/beheer/): accounts and organisations, managed by the functional administrator (accounts/permissions.py).

An administrator who is no superuser never sees nor sends the privilege fields (superuser, staff, groups,
permissions) and cannot change a superuser's account; `accounts.services.user_save_by_admin` checks the
same on the server and lets the admin-site flag follow the role. Deactivating (unticking "actief", or the
list action) ends the account's sessions and API tokens.

A new account has no password (docs/adr/0025): a person's account gets an invitation by e-mail, whose state the
list and the account's page show; the list action sends a new one, which stops the previous link.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services, services_invitations
from .admin_base import ReferenceDataAdmin
from .models import ApiToken, Invitation, Organisation, User

PERSONAL = (gettext_lazy("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email")})
# The administrator creates the accounts: the language can be set then (a Walloon prison's staff start in
# French); the user changes it later with the switch in the header.
ROLE = (gettext_lazy("Rol"), {"fields": ("role", "organisation", "phone", "language")})
DATES = (gettext_lazy("Belangrijke data"), {"fields": ("last_login", "date_joined")})
# An integration's account: no password, an owner; its tokens come from the list actions (docs/adr/0018).
SERVICE = (gettext_lazy("Serviceaccount"), {"fields": ("is_service_account", "service_owner")})
INVITATION = (gettext_lazy("Uitnodiging"), {"fields": ("invitation_status",)})


class AccountCreationForm(forms.ModelForm):
    """A new account without a password: the user chooses it with the invitation (docs/adr/0025)."""

    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Deze gebruikersnaam bestaat al."))
        return username


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def invitation_text(invitation: Invitation | None, account: User) -> str:
    """The state of an account's latest invitation, in one line."""
    if account.is_service_account:
        return _("Serviceaccount: geen uitnodiging.")
    if invitation is None:
        return _("Geen uitnodiging verstuurd.")
    state = services_invitations.invitation_state(invitation)
    if state == Invitation.State.USED:
        return _("Gebruikt op %(date)s.") % {"date": _moment(invitation.used_at)}
    if state == Invitation.State.EXPIRED:
        return _("Verlopen op %(date)s, niet gebruikt.") % {"date": _moment(invitation.expires_at)}
    if state == Invitation.State.REVOKED:
        return _("Werkt niet meer (vervangen of account gedeactiveerd).")
    if invitation.sent_at is None:
        return _("In de wachtrij om verstuurd te worden; geldig tot %(date)s.") % {
            "date": _moment(invitation.expires_at)
        }
    return _("Verstuurd op %(sent)s, nog niet gebruikt; geldig tot %(date)s.") % {
        "sent": _moment(invitation.sent_at),
        "date": _moment(invitation.expires_at),
    }


@admin.register(User)
class UserAdmin(ReferenceDataAdmin, DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "organisation",
        "is_service_account",
        "is_active",
        "invitation_column",
    )
    list_filter = ("role", "organisation", "is_service_account", "is_active")
    list_select_related = ("organisation",)
    actions = ["deactivate", "invite", "issue_read_token", "issue_read_write_token", "revoke_tokens"]
    add_form = AccountCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username",),
                "description": gettext_lazy(
                    "Het account krijgt geen wachtwoord: de gebruiker krijgt een uitnodiging "
                    "per e-mail om er zelf een te kiezen en de tweestapsverificatie in te "
                    "stellen. Een serviceaccount krijgt geen uitnodiging."
                ),
            },
        ),
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
        INVITATION,
        DATES,
    )
    administrator_fieldsets = (
        (None, {"fields": ("username", "password")}),
        PERSONAL,
        ROLE,
        SERVICE,
        (gettext_lazy("Toegang"), {"fields": ("is_active",)}),
        INVITATION,
        DATES,
    )
    in_use_hint = gettext_lazy("Deactiveer het account in plaats van het te verwijderen.")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.administrator_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return (*super().get_readonly_fields(request, obj), "invitation_status")
        return ("last_login", "date_joined", "invitation_status")

    def get_queryset(self, request):
        # The list's invitation column from the same query: the latest invitation's dates.
        latest = Invitation.objects.filter(user=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                invitation_expires_at=Subquery(latest.values("expires_at")[:1]),
                invitation_used_at=Subquery(latest.values("used_at")[:1]),
            )
        )

    @admin.display(description=gettext_lazy("Uitnodiging"))
    def invitation_column(self, obj) -> str:
        if obj.is_service_account or obj.invitation_expires_at is None:
            return "—"
        if obj.invitation_used_at is not None:
            return _("Gebruikt")
        if obj.invitation_expires_at <= timezone.now():
            return _("Verlopen")
        return _("Open")

    @admin.display(description=gettext_lazy("Stand van de uitnodiging"))
    def invitation_status(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        text = invitation_text(obj.invitations.select_related("user").first(), obj)
        if not obj.is_service_account and not obj.has_usable_password():
            text += " " + _(
                "Een nieuwe sturen: vink het account aan in de lijst en kies ‘Uitnodiging opnieuw "
                "versturen’; de vorige link werkt dan niet meer."
            )
        return text

    def has_change_permission(self, request, obj=None):
        # The object rule: only superusers change a superuser's account (accounts/permissions.py).
        return request.user.has_perm("accounts.change_user", obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        acting_user = request.user

        class AccountForm(form):
            def clean(self):
                cleaned_data = super().clean()
                if self.instance.pk == acting_user.pk and "is_active" in cleaned_data and not cleaned_data["is_active"]:
                    self.add_error("is_active", _("Je kan je eigen account niet deactiveren."))
                if (
                    self.instance.pk is None
                    and not cleaned_data.get("is_service_account")
                    and not cleaned_data.get("email")
                    and "email" in self.fields
                ):
                    self.add_error("email", _("Vul een e-mailadres in: de uitnodiging wordt daarheen gestuurd."))
                return cleaned_data

        AccountForm.__name__ = form.__name__
        return AccountForm

    def save_model(self, request, obj, form, change):
        services.user_save_by_admin(user=obj, by=request.user, creating=not change)
        if not change and not obj.is_service_account:
            self.message_user(
                request,
                _("Uitnodiging verstuurd naar %(email)s: de link werkt één keer, %(days)d dagen lang.")
                % {"email": obj.email, "days": settings.DISENGAGE_INVITATION_DAYS},
                messages.SUCCESS,
            )

    @admin.action(
        description=gettext_lazy("Uitnodiging opnieuw versturen (de vorige link werkt dan niet meer)"),
        permissions=["change"],
    )
    def invite(self, request, queryset):
        sent = 0
        for user in queryset:
            if not self.has_change_permission(request, user):
                continue
            try:
                services_invitations.invitation_send(user=user, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    _("Geen uitnodiging voor %(name)s: %(reason)s")
                    % {
                        "name": user.username,
                        "reason": " ".join(error.messages if isinstance(error, ValidationError) else [str(error)]),
                    },
                    messages.WARNING,
                )
                continue
            self.log_change(
                request, user, [{"added": {"name": str(Invitation._meta.verbose_name), "object": user.email}}]
            )
            sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d uitnodiging verstuurd.", "%(count)d uitnodigingen verstuurd.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )

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
            self.message_user(
                request,
                ngettext(
                    "%(count)d account gedeactiveerd: de sessies en API-sleutels zijn beëindigd.",
                    "%(count)d accounts gedeactiveerd: de sessies en API-sleutels zijn beëindigd.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d account niet gedeactiveerd: je eigen account of dat van een superuser.",
                    "%(count)d accounts niet gedeactiveerd: je eigen account of dat van een superuser.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def _issue(self, request, queryset, scope):
        for account in queryset:
            if not account.is_service_account or not self.has_change_permission(request, account):
                self.message_user(
                    request,
                    _("%(name)s is geen serviceaccount: een medewerker maakt zijn tokens zelf aan op zijn profiel.")
                    % {"name": account.username},
                    messages.WARNING,
                )
                continue
            try:
                token, secret = services.token_create(
                    user=account,
                    name=_("uitgegeven door %(admin)s") % {"admin": request.user.username},
                    scope=scope,
                    days=settings.API_TOKEN_MAX_DAYS,
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                continue
            self.log_change(request, account, [{"added": {"name": "API-token", "object": token.token_key}}])
            # Shown once: only the digest is stored.
            self.message_user(
                request,
                _(
                    "Token voor %(name)s (%(scope)s, vervalt %(expiry)s) — kopieer het nu, het "
                    "wordt niet opnieuw getoond: %(secret)s"
                )
                % {
                    "name": account.username,
                    "scope": token.get_scope_display(),
                    "expiry": token.expiry.date().isoformat(),
                    "secret": secret,
                },
                messages.WARNING,
            )

    @admin.action(description=gettext_lazy("Serviceaccount: token uitgeven (lezen, 90 dagen)"), permissions=["change"])
    def issue_read_token(self, request, queryset):
        self._issue(request, queryset, ApiToken.Scope.READ)

    @admin.action(
        description=gettext_lazy("Serviceaccount: token uitgeven (lezen en schrijven, 90 dagen)"),
        permissions=["change"],
    )
    def issue_read_write_token(self, request, queryset):
        self._issue(request, queryset, ApiToken.Scope.READ_WRITE)

    @admin.action(
        description=gettext_lazy("Alle API-tokens van de geselecteerde accounts intrekken"), permissions=["change"]
    )
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in ApiToken.objects.filter(user__in=[u for u in queryset if self.has_change_permission(request, u)]):
            services.token_revoke(token=token, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token ingetrokken.", "%(count)d tokens ingetrokken.", count) % {"count": count},
            messages.SUCCESS,
        )


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
