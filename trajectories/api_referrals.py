"""API v1 of referrals to partners (ADR 0034): list, read, create, respond, close, withdraw.

Same rules as the pages: the queryset is `PartnerReferral.objects.visible_to(user)` (a partner: his organisation's,
while the consent with purpose referral holds), an invisible referral is a 404, and every refusal of a service is a
400 with field errors in the reader's language (config/api.py).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Organisation
from casework.access import access_log_record, get_detainee_for_user

from .models_partners import PartnerReferral
from .services import referrals as services
from .views_referrals import get_referral_for_user


class PartnerReferralSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    detainee_name = serializers.CharField(source="detainee.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    referred_by_name = serializers.CharField(source="referred_by.__str__", read_only=True)
    waiting_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartnerReferral
        fields = [
            "id",
            "reference",
            "detainee",
            "detainee_name",
            "organisation",
            "organisation_name",
            "service",
            "question",
            "status",
            "referred_by_name",
            "referred_at",
            "responded_at",
            "response_note",
            "closed_at",
            "outcome",
            "outcome_note",
            "waiting_days",
        ]
        read_only_fields = fields


class PartnerReferralCreateSerializer(serializers.Serializer):
    detainee = serializers.IntegerField()
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    service = serializers.CharField(max_length=200)
    question = serializers.CharField(max_length=2000)


class ReferralRespondSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "decline"])
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ReferralCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PartnerReferral.Outcome.choices)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class PartnerReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """`GET` the referrals you may see (`?status=requested`), `POST` to refer (case staff of the file)."""

    serializer_class = PartnerReferralSerializer
    queryset = PartnerReferral.objects.none()
    filterset_fields = ["status", "detainee", "organisation"]

    def get_queryset(self):
        return PartnerReferral.objects.visible_to(self.request.user).for_list().order_by("-referred_at", "-pk")

    def retrieve(self, request, pk=None):
        referral = get_referral_for_user(request.user, pk)
        access_log_record(
            request, detainee=referral.detainee, object_kind="partner_referral", object_id=referral.pk, action="api"
        )
        return Response(PartnerReferralSerializer(referral).data)

    @extend_schema(request=PartnerReferralCreateSerializer, responses=PartnerReferralSerializer)
    def create(self, request):
        data = PartnerReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        detainee = get_detainee_for_user(request.user, fields.pop("detainee"), perm="trajectories.refer_detainee")
        referral = services.partner_referral_create(detainee=detainee, user=request.user, **fields)
        return Response(PartnerReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralRespondSerializer, responses=PartnerReferralSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        referral = get_referral_for_user(request.user, pk)
        data = ReferralRespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.partner_referral_respond(
            referral=referral,
            user=request.user,
            accept=data.validated_data["decision"] == "accept",
            note=data.validated_data["note"],
        )
        return Response(PartnerReferralSerializer(referral).data)

    @extend_schema(request=ReferralCloseSerializer, responses=PartnerReferralSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        referral = get_referral_for_user(request.user, pk)
        data = ReferralCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.partner_referral_close(referral=referral, user=request.user, **data.validated_data)
        return Response(PartnerReferralSerializer(referral).data)

    @extend_schema(request=None, responses=PartnerReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        referral = get_referral_for_user(request.user, pk)
        referral = services.partner_referral_withdraw(referral=referral, user=request.user)
        return Response(PartnerReferralSerializer(referral).data)
