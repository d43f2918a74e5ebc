"""Admin: the functional administrator manages assessment instruments here.

Trajectories are shown for support only (superusers; the admin role holds no case-content
permissions, DESIGN §4). Their status is read-only: it changes through `trajectory_transition`
alone, from the trajectory page or the API, so every change lands in the dated status history.
"""

from django.contrib import admin

from .models import AssessmentItem, AssessmentSection, AssessmentTemplate, Trajectory, TrajectoryStatusChange


class AssessmentSectionInline(admin.TabularInline):
    model = AssessmentSection
    extra = 0
    show_change_link = True


class AssessmentItemInline(admin.TabularInline):
    model = AssessmentItem
    extra = 0


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    inlines = [AssessmentSectionInline]

    def get_readonly_fields(self, request, obj=None):
        # A template already used keeps its wording: change it by adding a new version.
        if obj is not None and obj.assessments.exists():
            return ["code", "version"]
        return []


@admin.register(AssessmentSection)
class AssessmentSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "template", "order"]
    list_filter = ["template"]
    inlines = [AssessmentItemInline]


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
