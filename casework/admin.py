"""Admin (/beheer/) for the functional administrator: reference data only (accounts/permissions.py).

Case content (detainees, sessions, consent, network, logs) is deliberately not registered: the admin
role has no access to case content (docs/design.md §4), and the admin would bypass every rule and AccessLog.
A prison or life domain still in use cannot be deleted (accounts/admin_base.py); a module is switched off.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ReferenceDataAdmin

from .models import InterventionModule, LifeDomain, Prison


@admin.register(Prison)
class PrisonAdmin(ReferenceDataAdmin):
    list_display = ("name", "city", "region", "capacity", "is_satellite", "has_extremism_wing")
    list_filter = ("region", "is_satellite", "has_extremism_wing")
    search_fields = ("name", "city", "code")
    filter_horizontal = ("directors",)
    prepopulated_fields = {"code": ("name",)}


class ShownAsMixin:
    """The stored (Dutch) name is what the administrator edits; the column beside it shows how the
    reader sees it in the current language (a shipped name translated, a typed one as typed)."""

    @admin.display(description=_("Zoals getoond in je taal"))
    def shown_as(self, obj) -> str:
        return obj.label


@admin.register(LifeDomain)
class LifeDomainAdmin(ShownAsMixin, ReferenceDataAdmin):
    list_display = ("name", "shown_as", "code", "required", "order")
    list_editable = ("order",)
    list_filter = ("required",)


@admin.register(InterventionModule)
class InterventionModuleAdmin(ShownAsMixin, ReferenceDataAdmin):
    list_display = ("name", "shown_as", "code", "group", "is_active", "order")
    list_editable = ("is_active", "order")
    list_filter = ("group", "is_active")
    search_fields = ("name", "code")
    in_use_hint = _("Zet de module op inactief in plaats van ze te verwijderen.")
