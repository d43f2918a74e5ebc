"""API v1: `POST trajectories/{id}/release/` registers a release; `GET` shows it with its follow-ups.
`GET trajectories/{id}/handover-packages/` lists the handover packages with their status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from casework.serializers import StaffMemberSerializer

from .access import get_trajectory_for_user
from .models_release import MAX_AFTERCARE_MONTHS, MIN_AFTERCARE_MONTHS, FollowUp, HandoverPackage, Release
from .services import release as services_release


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "kind", "months_after", "due_on", "status", "done_on"]
        read_only_fields = fields


class ReleaseSerializer(serializers.ModelSerializer):
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "released_on",
            "modality",
            "destination_municipality",
            "follow_up_organisation",
            "follow_up_service",
            "aftercare_months",
            "aftercare_ends_on",
            "follow_ups",
        ]
        read_only_fields = fields

    def get_follow_ups(self, release) -> list[dict]:
        rows = FollowUp.objects.filter(trajectory_id=release.trajectory_id, kind=FollowUp.Kind.AFTERCARE)
        return FollowUpSerializer(rows, many=True).data


class ReleaseInputSerializer(serializers.Serializer):
    released_on = serializers.DateField()
    modality = serializers.ChoiceField(choices=Release.Modality.choices)
    destination_municipality = serializers.CharField(max_length=100)
    follow_up_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    follow_up_service = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    follow_up_months = serializers.ListField(
        child=serializers.IntegerField(), required=False, allow_empty=False, max_length=6
    )
    aftercare_months = serializers.IntegerField(
        min_value=MIN_AFTERCARE_MONTHS, max_value=MAX_AFTERCARE_MONTHS, required=False
    )


class AftercareLengthSerializer(serializers.Serializer):
    aftercare_months = serializers.IntegerField(min_value=MIN_AFTERCARE_MONTHS, max_value=MAX_AFTERCARE_MONTHS)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TrajectoryReleaseView(APIView):
    """Register the release of the detainee of an active trajectory (moves it to aftercare)."""

    def _trajectory(self, request, pk, *, write: bool):
        trajectory = get_trajectory_for_user(request.user, pk, perm="trajectories.view_work")
        if write and not request.user.has_perm("trajectories.change", trajectory):
            raise PermissionDenied
        return trajectory

    @extend_schema(responses={200: ReleaseSerializer})
    def get(self, request, pk):
        trajectory = self._trajectory(request, pk, write=False)
        release = Release.objects.filter(trajectory=trajectory).first()
        if release is None:
            return Response(
                {"detail": _("Voor dit traject is nog geen vrijlating geregistreerd.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(ReleaseSerializer(release).data)

    @extend_schema(request=ReleaseInputSerializer, responses={201: ReleaseSerializer})
    def post(self, request, pk):
        trajectory = self._trajectory(request, pk, write=True)
        data = ReleaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = services_release.trajectory_release(trajectory=trajectory, user=request.user, **data.validated_data)
        return Response(ReleaseSerializer(release).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AftercareLengthSerializer, responses={200: ReleaseSerializer})
    def patch(self, request, pk):
        """Change the length of the aftercare (6 to 12 months); the follow-ups follow."""
        trajectory = self._trajectory(request, pk, write=True)
        release = Release.objects.filter(trajectory=trajectory).first()
        if release is None:
            return Response(
                {"detail": _("Voor dit traject is nog geen vrijlating geregistreerd.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        data = AftercareLengthSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = services_release.release_aftercare_change(release=release, user=request.user, **data.validated_data)
        return Response(ReleaseSerializer(release).data)


class HandoverPackageSerializer(serializers.ModelSerializer):
    """A package as the aftercare page shows it. `status`: pending, ready, failed (rendering broke) or withheld
    (not rendered: the consent for this handover was withdrawn). `shareable`: ready and still covered by a
    consent in force, so the PDF may be handed out (`download_url`, a page of the application). `language`: the
    language the package is written in, chosen when it was requested (blank: the requester's, before there
    was a choice)."""

    recipient_organisation_name = serializers.CharField(source="recipient_organisation.name")
    requested_by = StaffMemberSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display")
    consent_in_force = serializers.BooleanField()
    shareable = serializers.BooleanField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = HandoverPackage
        fields = [
            "id",
            "recipient_organisation",
            "recipient_organisation_name",
            "requested_by",
            "created_at",
            "status",
            "status_display",
            "scopes",
            "language",
            "file_sha256",
            "consent_in_force",
            "shareable",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, package) -> str | None:
        return reverse("trajectories:handover_download", args=[package.pk]) if package.shareable else None


class TrajectoryHandoverPackagesView(ListAPIView):
    """The handover packages of a trajectory, newest first: the case staff of the file only (else 404)."""

    serializer_class = HandoverPackageSerializer
    queryset = HandoverPackage.objects.none()
    filter_backends: list = []

    def list(self, request, pk):
        trajectory = get_trajectory_for_user(request.user, pk, perm="trajectories.view_work")
        packages = services_release.handover_packages_for_list(trajectory)
        page = self.paginate_queryset(packages)
        return self.get_paginated_response(HandoverPackageSerializer(page, many=True).data)
