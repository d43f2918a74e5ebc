from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.admin_base import ReferenceDataAdmin

from .models import ReminderSetting
from .registry import all_kinds
from .services import reminder_setting_check


class ReminderSettingForm(forms.ModelForm):
    """The kind is chosen from the registered kinds; the offsets follow the service's rules."""

    class Meta:
        model = ReminderSetting
        fields = ["organisation", "kind", "offsets", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=self.fields["kind"].label, choices=[(kind.code, kind.label) for kind in all_kinds()]
        )

    def clean(self):
        cleaned_data = super().clean()
        if "kind" in cleaned_data and "offsets" in cleaned_data:
            try:
                reminder_setting_check(
                    kind=cleaned_data["kind"],
                    offsets=cleaned_data["offsets"] or [],
                    enabled=cleaned_data.get("enabled", False),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(ReminderSetting)
class ReminderSettingAdmin(ReferenceDataAdmin):
    """Functional admins tune the offsets per organisation; reminders themselves hold case hints
    and are not exposed in the admin. Deleting a setting brings back the kind's default offsets."""

    form = ReminderSettingForm
    list_display = ("organisation", "kind", "offsets", "enabled")
    list_filter = ("kind", "enabled")
    list_select_related = ("organisation",)
