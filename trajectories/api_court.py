"""API v1 of the court's conditions (ADR 0042):
- `GET trajectories/{id}/court-conditions/` lists the conditions on the release with their deadlines and reports;
  `POST` records one (with its reporting deadlines);
- `POST court-conditions/{id}/deadlines/` adds a reporting deadline; `POST reporting-deadlines/{id}/cancel/`
  cancels one;
- `POST court-conditions/{id}/reports/` writes the report for the supervising body (PDF, recorded as a disclosure).
Work of the case staff of the file: anyone else gets a 404."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from casework.access import access_log_record
from casework.models import AccessLog
from casework.serializers import StaffMemberSerializer

from .access import get_trajectory_for_user
from .models_court import MAX_DEADLINES_PER_CONDITION, CourtCondition, CourtReport, ReportingDeadline
from .models_release import Release
from .services import court as services_court


class ReportingDeadlineSerializer(serializers.ModelSerializer):
    recipient_organisation_name = serializers.CharField(source="recipient_organisation.name", read_only=True)

    class Meta:
        model = ReportingDeadline
        fields = ["id", "due_on", "recipient_organisation", "recipient_organisation_name", "status"]
        read_only_fields = fields


class CourtReportSerializer(serializers.ModelSerializer):
    """A report as written. `basis`: consent (its scopes in `scopes`) or legal_obligation (the court's mandate: the
    facts of the follow-up only). `download_url`: the PDF, a page of the application."""

    recipient_organisation_name = serializers.CharField(source="recipient_organisation.name", read_only=True)
    written_by = StaffMemberSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CourtReport
        fields = [
            "id",
            "deadline",
            "recipient_organisation",
            "recipient_organisation_name",
            "basis",
            "scopes",
            "period_from",
            "period_to",
            "language",
            "file_sha256",
            "written_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, report) -> str:
        return reverse("trajectories:court_report_download", args=[report.pk])


class CourtConditionSerializer(serializers.ModelSerializer):
    deadlines = ReportingDeadlineSerializer(many=True, read_only=True)
    reports = CourtReportSerializer(many=True, read_only=True)

    class Meta:
        model = CourtCondition
        fields = [
            "id",
            "kind",
            "text",
            "court",
            "decided_on",
            "judgment_reference",
            "starts_on",
            "ends_on",
            "supervising_organisation",
            "reporting_mandate",
            "deadlines",
            "reports",
        ]
        read_only_fields = fields


def _organisations():
    return Organisation.objects.filter(is_active=True)


class CourtConditionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CourtCondition.Kind.choices)
    text = serializers.CharField(max_length=2000)
    court = serializers.CharField(max_length=100)
    decided_on = serializers.DateField()
    judgment_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    supervising_organisation = serializers.PrimaryKeyRelatedField(queryset=_organisations())
    reporting_mandate = serializers.BooleanField(required=False, default=False)
    deadlines = serializers.ListField(
        child=serializers.DateField(), required=False, default=list, max_length=MAX_DEADLINES_PER_CONDITION
    )
    report_to = serializers.PrimaryKeyRelatedField(
        queryset=_organisations(), required=False, allow_null=True, default=None
    )


class ReportingDeadlineInputSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    recipient_organisation = serializers.PrimaryKeyRelatedField(
        queryset=_organisations(), required=False, allow_null=True, default=None
    )


class CourtReportInputSerializer(serializers.Serializer):
    recipient_organisation = serializers.PrimaryKeyRelatedField(
        queryset=_organisations(), required=False, allow_null=True, default=None
    )
    deadline = serializers.IntegerField(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False, allow_blank=True, default=""
    )


def _trajectory(request, pk, *, write: bool):
    trajectory = get_trajectory_for_user(request.user, pk, perm="trajectories.view_work")
    if write and not request.user.has_perm("trajectories.change", trajectory):
        raise PermissionDenied
    return trajectory


def _condition(request, condition_pk) -> CourtCondition:
    """The condition through its trajectory's access check (a refusal is a 404, logged like every other)."""
    trajectory_id = (
        CourtCondition.objects.filter(pk=condition_pk).values_list("release__trajectory_id", flat=True).first()
    )
    if trajectory_id is None:
        raise Http404
    _trajectory(request, trajectory_id, write=True)
    return CourtCondition.objects.select_related("release__trajectory__detainee", "supervising_organisation").get(
        pk=condition_pk
    )


def _conditions_of(release):
    return CourtCondition.objects.filter(release=release).prefetch_related(
        "deadlines__recipient_organisation", "reports__recipient_organisation", "reports__written_by"
    )


class TrajectoryCourtConditionsView(APIView):
    """The sentence enforcement court's conditions on the release of a trajectory."""

    def _release(self, trajectory):
        release = Release.objects.filter(trajectory=trajectory).first()
        if release is None:
            raise serializers.ValidationError(
                {"trajectory": [_("Voor dit traject is nog geen vrijlating geregistreerd.")]}
            )
        return release

    @extend_schema(responses={200: CourtConditionSerializer(many=True)})
    def get(self, request, pk):
        trajectory = _trajectory(request, pk, write=False)
        release = Release.objects.filter(trajectory=trajectory).first()
        access_log_record(
            request, detainee=trajectory.detainee, object_kind="court_conditions", object_id=trajectory.pk
        )
        rows = _conditions_of(release) if release is not None else CourtCondition.objects.none()
        return Response(CourtConditionSerializer(rows, many=True).data)

    @extend_schema(request=CourtConditionInputSerializer, responses={201: CourtConditionSerializer})
    def post(self, request, pk):
        trajectory = _trajectory(request, pk, write=True)
        data = CourtConditionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = self._release(trajectory)
        condition = services_court.court_condition_record(release=release, user=request.user, **data.validated_data)
        return Response(
            CourtConditionSerializer(_conditions_of(release).get(pk=condition.pk)).data, status=status.HTTP_201_CREATED
        )


class CourtConditionDeadlinesView(APIView):
    """Add a reporting deadline to a condition (a reminder for the lead consultant)."""

    @extend_schema(request=ReportingDeadlineInputSerializer, responses={201: ReportingDeadlineSerializer})
    def post(self, request, condition_pk):
        condition = _condition(request, condition_pk)
        data = ReportingDeadlineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deadline = services_court.reporting_deadline_add(condition=condition, user=request.user, **data.validated_data)
        return Response(ReportingDeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)


class ReportingDeadlineCancelView(APIView):
    """Cancel a deadline still to report on (its reminders are withdrawn)."""

    @extend_schema(request=None, responses={200: ReportingDeadlineSerializer})
    def post(self, request, deadline_pk):
        condition_pk = ReportingDeadline.objects.filter(pk=deadline_pk).values_list("condition_id", flat=True).first()
        if condition_pk is None:
            raise Http404
        condition = _condition(request, condition_pk)
        deadline = condition.deadlines.get(pk=deadline_pk)
        deadline = services_court.reporting_deadline_cancel(deadline=deadline, user=request.user)
        return Response(ReportingDeadlineSerializer(deadline).data)


class CourtConditionReportsView(APIView):
    """Write the report on a condition for the supervising body (or a deadline's recipient): rendered as PDF from
    what the consent or the court's mandate allows, recorded as a disclosure; the deadline is then reported."""

    @extend_schema(request=CourtReportInputSerializer, responses={201: CourtReportSerializer})
    def post(self, request, condition_pk):
        condition = _condition(request, condition_pk)
        data = CourtReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        deadline = None
        if values["deadline"] is not None:
            deadline = condition.deadlines.filter(pk=values["deadline"]).first()
            if deadline is None:
                raise serializers.ValidationError({"deadline": [_("Deze termijn hoort niet bij deze voorwaarde.")]})
        report = services_court.court_report_write(
            condition=condition,
            user=request.user,
            recipient_organisation=values["recipient_organisation"],
            deadline=deadline,
            language=values["language"] or None,
        )
        access_log_record(
            request,
            detainee=condition.release.trajectory.detainee,
            object_kind="court_report",
            object_id=report.pk,
            action=AccessLog.Action.PDF,
        )
        return Response(CourtReportSerializer(report).data, status=status.HTTP_201_CREATED)
