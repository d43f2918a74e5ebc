"""Admin: reference settings only (cadence rules). Case content stays out of the admin (docs/design.md §4: the
functional administrator has no access to case content).

A prison's rhythm is reference data; a detainee's own rhythm is set by the director from the file and names
the detainee, so only superusers see those rows here.
"""

from django.contrib import admin

from accounts.admin_base import ReferenceDataAdmin

from .models import CadenceRule, StandingMember


@admin.register(CadenceRule)
class CadenceRuleAdmin(ReferenceDataAdmin):
    list_select_related = ("prison", "detainee")
    raw_id_fields = ("detainee",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(detainee__isnull=True)

    def get_list_display(self, request):
        return ("prison", "detainee_id", "months") if request.user.is_superuser else ("prison", "months")

    def get_fields(self, request, obj=None):
        return ("prison", "detainee", "months") if request.user.is_superuser else ("prison", "months")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            # A rule without a detainee is a prison's: the prison is then required.
            form.base_fields["prison"].required = True
        return form


@admin.register(StandingMember)
class StandingMemberAdmin(ReferenceDataAdmin):
    """A prison's standing conference team: who takes part and on what agreements, no case content. The
    directors keep it from their page (casusoverleg:standing_members); the functional administrator here."""

    list_display = ("prison", "__str__", "role", "is_active")
    list_filter = ("prison", "role", "is_active")
    list_select_related = ("prison", "user")
    autocomplete_fields = ()
    raw_id_fields = ("user",)
    fields = ("prison", "user", "name", "organisation", "email", "role", "agreement", "is_active")
