from django.contrib import admin

from .models import ReminderSetting


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    """Functional admins tune the offsets per organisation; reminders themselves hold case hints
    and are not exposed in the admin."""

    list_display = ("organisation", "kind", "offsets", "enabled")
    list_filter = ("kind", "enabled")
