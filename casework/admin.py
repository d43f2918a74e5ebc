"""Admin (/beheer/) for the functional administrator: reference data only.

Case content (detainees, sessions, consent, network, logs) is deliberately not registered: the admin
role has no access to case content (DESIGN §4), and the admin would bypass every rule and AccessLog.
"""

from django.contrib import admin

from .models import InterventionModule, LifeDomain, Prison


@admin.register(Prison)
class PrisonAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "region", "capacity", "is_satellite", "has_extremism_wing")
    list_filter = ("region", "is_satellite", "has_extremism_wing")
    search_fields = ("name", "city", "code")
    filter_horizontal = ("directors",)
    prepopulated_fields = {"code": ("name",)}


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "required", "order")
    list_editable = ("order",)
    list_filter = ("required",)


@admin.register(InterventionModule)
class InterventionModuleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "group", "is_active", "order")
    list_editable = ("is_active", "order")
    list_filter = ("group", "is_active")
    search_fields = ("name", "code")
