from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    # The administrator creates the accounts: the language can be set then (a Walloon prison's staff
    # start in French); the user changes it later with the switch in the header.
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Rol"), {"fields": ("role", "organisation", "phone", "language")}))


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)


def _login_through_allauth(request, extra_context=None):
    """The admin has no login form of its own: everyone logs in through allauth, so MFA and axes apply."""
    return redirect_to_login(request.get_full_path())


admin.site.login = _login_through_allauth
