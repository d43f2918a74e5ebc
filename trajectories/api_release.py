"""API v1: `POST trajectories/{id}/release/` registers a release; `GET` shows it with its follow-ups."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation

from . import services_release
from .access import get_trajectory_for_user
from .models_release import FollowUp, Release


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "kind", "months_after", "due_on", "status", "done_on"]
        read_only_fields = fields


class ReleaseSerializer(serializers.ModelSerializer):
    follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["released_on", "modality", "destination_municipality", "follow_up_organisation", "follow_up_service",
                  "aftercare_ends_on", "follow_ups"]
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
    follow_up_months = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=False,
                                             max_length=6)


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
            return Response({"detail": _("Voor dit traject is nog geen vrijlating geregistreerd.")},
                            status=status.HTTP_404_NOT_FOUND)
        return Response(ReleaseSerializer(release).data)

    @extend_schema(request=ReleaseInputSerializer, responses={201: ReleaseSerializer})
    def post(self, request, pk):
        trajectory = self._trajectory(request, pk, write=True)
        data = ReleaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = services_release.trajectory_release(trajectory=trajectory, user=request.user, **data.validated_data)
        return Response(ReleaseSerializer(release).data, status=status.HTTP_201_CREATED)
