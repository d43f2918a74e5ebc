"""Admin: the functional administrator manages assessment instruments here (accounts/permissions.py).

An instrument once used in an assessment is immutable: its wording, sections and items are read-only and
it can only be switched off (`is_active`); a change is a new version. Ratings point at the items, and
trends match items by code across versions (ADR 0004).

Trajectories are shown for support only, to superusers: the admin role holds no case-content permission
(docs/design.md §4), and this page is closed to anyone else even if a group grants the model permission. Their
status is read-only: it changes through `trajectory_transition` alone, from the trajectory page or the API,
so every change lands in the dated status history.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ReferenceDataAdmin

from .models import AssessmentItem, AssessmentSection, AssessmentTemplate, Trajectory, TrajectoryStatusChange


def in_use(template: AssessmentTemplate | None) -> bool:
    """Whether an assessment (draft or final) uses this instrument."""
    return template is not None and template.pk is not None and template.assessments.exists()


class InstrumentPartInline(admin.TabularInline):
    """The parts of an instrument: editable until the instrument is used."""

    extra = 0

    def instrument(self, obj) -> AssessmentTemplate | None:
        raise NotImplementedError

    def has_add_permission(self, request, obj=None):
        return not in_use(self.instrument(obj)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not in_use(self.instrument(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_use(self.instrument(obj)) and super().has_delete_permission(request, obj)


class AssessmentSectionInline(InstrumentPartInline):
    model = AssessmentSection
    show_change_link = True

    def instrument(self, obj):
        return obj


class AssessmentItemInline(InstrumentPartInline):
    model = AssessmentItem

    def instrument(self, obj):
        return obj.template if obj is not None else None


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "version", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    inlines = [AssessmentSectionInline]
    in_use_hint = _("Zet het instrument uit (niet meer in gebruik) of maak een nieuwe versie.")

    def get_readonly_fields(self, request, obj=None):
        # A template already used keeps its wording: change it by adding a new version.
        if in_use(obj):
            return ["code", "version", "name", "description"]
        return []


class AssessmentSectionForm(forms.ModelForm):
    def clean_template(self):
        template = self.cleaned_data["template"]
        if in_use(template):
            raise forms.ValidationError(
                _("Dit instrument is al gebruikt in een inschatting: voeg onderdelen toe aan een nieuwe versie.")
            )
        return template


@admin.register(AssessmentSection)
class AssessmentSectionAdmin(ReferenceDataAdmin):
    form = AssessmentSectionForm
    list_display = ["title", "template", "order"]
    list_filter = ["template"]
    list_select_related = ["template"]
    inlines = [AssessmentItemInline]
    in_use_hint = _("Het instrument is al gebruikt: maak een nieuwe versie.")

    def has_change_permission(self, request, obj=None):
        return not in_use(obj.template if obj is not None else None) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_use(obj.template if obj is not None else None) and super().has_delete_permission(request, obj)


class StatusHistoryInline(admin.TabularInline):
    model = TrajectoryStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_at", "changed_by", "reason"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ["detainee", "status", "referred_on", "lead_consultant", "closed_on"]
    list_filter = ["status", "guidance_type"]
    list_select_related = ["detainee", "lead_consultant"]
    search_fields = ["detainee__search_name", "detainee__external_ref"]
    # Status, closure and team change through the services only (history, file team).
    readonly_fields = [
        "detainee",
        "status",
        "status_changed_at",
        "closure_reason",
        "closed_on",
        "lead_consultant",
        "co_consultants",
        "assigned_at",
        "created_by",
    ]
    fields = [
        "detainee",
        "status",
        "status_changed_at",
        "referred_on",
        "referred_by",
        "referring_organisation",
        "referral_reason",
        "guidance_type",
        "lead_consultant",
        "co_consultants",
        "assigned_at",
        "closure_reason",
        "closed_on",
        "created_by",
    ]
    inlines = [StatusHistoryInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        # A referral is registered through `trajectory_refer` (its first status line included).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from . import services

        services.trajectory_update(
            trajectory=obj, user=request.user, **{name: form.cleaned_data[name] for name in form.changed_data}
        )
