"""Admin: reference settings only (cadence rules). Case content stays out of the admin (DESIGN §4: the
functional administrator has no access to case content)."""

from django.contrib import admin

from .models import CadenceRule


@admin.register(CadenceRule)
class CadenceRuleAdmin(admin.ModelAdmin):
    list_display = ("prison", "detainee_id", "months")
    list_select_related = ("prison", "detainee")
    raw_id_fields = ("detainee",)
