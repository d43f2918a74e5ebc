"""API v1 of a transfer's conferences (ADR 0040): the conferences flagged by transfers, and the decision of either
director. Same rules as the pages (casusoverleg/views_transfer.py); writes through services/transfer.py."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import User
from casework.access import access_log_record
from casework.models import AccessLog

from .access import get_conference_for_user
from .models import TransferFlag
from .services.transfer import RESOLUTIONS, may_resolve, transfer_flag_resolve

RELATED = ("conference", "placement__prison", "placement__transferred_from")


class TransferFlagSerializer(serializers.ModelSerializer):
    conference = serializers.PrimaryKeyRelatedField(read_only=True)
    starts_at = serializers.DateTimeField(source="conference.starts_at", read_only=True)
    conference_status = serializers.CharField(source="conference.status", read_only=True)
    transferred_from = serializers.CharField(source="placement.transferred_from.code", read_only=True)
    transferred_to = serializers.CharField(source="placement.prison.code", read_only=True)
    transferred_on = serializers.DateField(source="placement.from_date", read_only=True)

    class Meta:
        model = TransferFlag
        fields = [
            "id",
            "conference",
            "starts_at",
            "conference_status",
            "transferred_from",
            "transferred_to",
            "transferred_on",
            "resolution",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class TransferResolveSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(
        choices=[(value, TransferFlag.Resolution(value).label) for value in RESOLUTIONS]
    )
    chair = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=User.Role.DIRECTOR, is_active=True), required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TransferFlagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Conferences flagged by transfers in or out of the reader's prisons (directors) or of his files (case staff)."""

    serializer_class = TransferFlagSerializer

    def get_queryset(self):
        qs = (
            TransferFlag.objects.visible_to(self.request.user)
            .select_related(*RELATED)
            .order_by("conference__starts_at", "pk")
        )
        if self.request.query_params.get("pending") in ("1", "true"):
            qs = qs.pending()
        return qs

    @extend_schema(parameters=[OpenApiParameter("pending", bool, description="only those still to decide")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ConferenceTransferViewSet(viewsets.GenericViewSet):
    """`/conferences/{id}/transfer/`: the transfer flags of one conference; POST: a director's decision."""

    serializer_class = TransferFlagSerializer
    queryset = TransferFlag.objects.none()

    def _flags(self, request, pk):
        conference = get_conference_for_user(request.user, pk)
        return conference, TransferFlag.objects.visible_to(request.user).filter(conference=conference).select_related(
            *RELATED
        )

    @extend_schema(responses={200: TransferFlagSerializer(many=True)})
    def flags(self, request, pk=None):
        conference, flags = self._flags(request, pk)
        access_log_record(
            request,
            detainee=conference.detainee,
            object_kind="conference",
            object_id=conference.pk,
            action=AccessLog.Action.API,
        )
        return Response(TransferFlagSerializer(flags.order_by("pk"), many=True).data)

    @extend_schema(request=TransferResolveSerializer, responses={200: TransferFlagSerializer})
    def resolve(self, request, pk=None):
        _conference, flags = self._flags(request, pk)
        flag = flags.pending().first()
        if flag is None:
            raise Http404
        if not may_resolve(request.user, flag):
            raise PermissionDenied
        serializer = TransferResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        flag = transfer_flag_resolve(
            flag=flag,
            user=request.user,
            resolution=data["resolution"],
            chair=data.get("chair"),
            reason=data.get("reason", ""),
        )
        return Response(TransferFlagSerializer(flag).data, status=status.HTTP_200_OK)
