from django.contrib import admin

from accounts.admin_base import ReferenceDataAdmin

from .models import VisitingSlot


@admin.register(VisitingSlot)
class VisitingSlotAdmin(ReferenceDataAdmin):
    """The prisons' weekly visiting slots: suggestions on the plan form, kept by the functional administrator."""

    list_display = ("prison", "weekday", "starts_at", "ends_at", "kind", "note")
    list_filter = ("prison", "weekday", "kind")
    search_fields = ("prison__name", "note")
