"""API v1 of the reports: `GET /api/v1/reports/yearly/?year=`, the protected release (docs/adr/0014)."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from casework.access import access_log_record
from casework.models import AccessLog
from config.db_router import reporting_view

from . import yearly


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["<5", "x", "n.b."]}], "nullable": True}
)
class CellField(serializers.JSONField):
    """A published cell: a count (or a percentage), or one of the markers of the release's notes."""


def _row_serializer(name: str, fields: dict) -> type[serializers.Serializer]:
    base = {
        "label": serializers.CharField(),
        "code": serializers.CharField(allow_blank=True),
        "total": serializers.BooleanField(help_text="the total row of the table"),
    }
    return type(name, (serializers.Serializer,), {**base, **{f: CellField(help_text=h) for f, h in fields.items()}})


COUNTS = {
    "started": "trajectories started",
    "declined": "of which declined",
    "successes": "of which a success",
    "success_percent": 'successes / started, or "n.b." when either is hidden',
}
YearlyRowSerializer = _row_serializer("YearlyRow", {**COUNTS, "aftercare_started": "", "aftercare_completed": ""})
BreakdownRowSerializer = _row_serializer("YearlyBreakdownRow", COUNTS)
SeriesRowSerializer = type(
    "YearlySeriesRow",
    (serializers.Serializer,),
    {
        "label": serializers.CharField(),
        "code": serializers.CharField(allow_blank=True),
        "total": serializers.BooleanField(),
    },
)
ClosureRowSerializer = _row_serializer("YearlyClosureRow", {"closed": "trajectories closed with this reason"})
GuidanceRowSerializer = _row_serializer("YearlyGuidanceRow", {"started": "trajectories started"})
ReachRowSerializer = _row_serializer(
    "YearlyReachRow", {"sessions": "attended sessions", "reached": "people with an attended session"}
)
ModuleRowSerializer = _row_serializer(
    "YearlyModuleRow", {"module_sessions": "attended sessions with the module", "module_reached": "people who had them"}
)
OutreachRowSerializer = _row_serializer("YearlyOutreachRow", {"count": "files"})
GoalRowSerializer = _row_serializer(
    "YearlyGoalRow", {o: "" for o in ("achieved", "partly_achieved", "not_achieved", "dropped", "open", "all")}
)


class NoteSerializer(serializers.Serializer):
    marker = serializers.CharField(allow_blank=True)
    text = serializers.CharField()


class YearlyReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    organisation = serializers.CharField(allow_blank=True)
    small_cells = serializers.CharField()
    notes = NoteSerializer(many=True, help_text="how to read these figures: the markers and the method")
    definitions = serializers.DictField(child=serializers.CharField(), help_text="per table")
    by_year = YearlyRowSerializer(many=True)
    by_prison = BreakdownRowSerializer(many=True)
    by_category = BreakdownRowSerializer(many=True)
    series_by_prison = SeriesRowSerializer(many=True, help_text="one cell per year, the year as the field name")
    series_by_category = SeriesRowSerializer(many=True, help_text="one cell per year, the year as the field name")
    closure_reasons = ClosureRowSerializer(many=True)
    guidance = GuidanceRowSerializer(many=True)
    gender = GuidanceRowSerializer(many=True, help_text="started per the detainee's gender (unknown when not recorded)")
    goals_by_domain = GoalRowSerializer(many=True)
    reach_by_prison = ReachRowSerializer(many=True)
    reach_by_module = ModuleRowSerializer(many=True, help_text="a session may carry several modules: no total")
    outreach = OutreachRowSerializer(many=True, help_text="the row's code names the figure")


class YearlyReportViewSet(viewsets.ViewSet):
    """The yearly figures of the user's organisation; managers only."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="default: last year")],
        responses=YearlyReportSerializer,
    )
    @method_decorator(reporting_view)
    def list(self, request):
        if not request.user.has_perm("reporting.view_yearly"):
            raise PermissionDenied
        try:
            year = yearly.parse_year(request.query_params.get("year"))
        except (TypeError, ValueError):
            raise ValidationError(
                {"year": [_("Geef een jaar tussen %(first)s en dit jaar.") % {"first": yearly.FIRST_YEAR}]}
            ) from None
        report = yearly.yearly_report(request.user, year)
        access_log_record(
            request, detainee=None, object_kind="yearly_report", object_id=str(year), action=AccessLog.Action.API
        )
        return Response(yearly.as_dict(report))
