"""API v1 of the reports: `GET /api/v1/reports/yearly/?year=`, small cells suppressed (DESIGN §8)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from casework.access import access_log_record
from casework.models import AccessLog

from . import yearly


class YearlyRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="year, prison or listing category")
    started = serializers.CharField(help_text='a count, or "<5"')
    declined = serializers.CharField()
    successes = serializers.CharField()
    success_percent = serializers.CharField(allow_null=True)
    aftercare_started = serializers.CharField(required=False, help_text="by_year only")
    aftercare_completed = serializers.CharField(required=False, help_text="by_year only")


class YearlyReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    organisation = serializers.CharField()
    small_cells = serializers.CharField()
    by_year = YearlyRowSerializer(many=True)
    by_prison = YearlyRowSerializer(many=True)
    by_category = YearlyRowSerializer(many=True)


class YearlyReportViewSet(viewsets.ViewSet):
    """The yearly figures of the user's organisation; managers only."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="default: last year")],
        responses=YearlyReportSerializer,
    )
    def list(self, request):
        if not request.user.has_perm("reporting.view_yearly"):
            raise PermissionDenied
        try:
            year = yearly.parse_year(request.query_params.get("year"))
        except (TypeError, ValueError):
            raise ValidationError({"year": [_("Geef een jaar tussen %(first)s en dit jaar.") % {"first": yearly.FIRST_YEAR}]}) from None
        report = yearly.yearly_report(request.user, year)
        access_log_record(request, detainee=None, object_kind="yearly_report", object_id=str(year),
                          action=AccessLog.Action.API)
        return Response(yearly.as_dict(report))
