"""API v1 of case conferences (docs/design.md §6): conferences, participants, minutes, approve, minutes.pdf.

Same rules as the pages: the queryset is `visible_to(user)`, writes need the same django-rules
permissions, an invisible conference is a 404. Services' ValidationErrors become 400s with field errors
(config/api.py); a stale minutes save is a 409 with the current revision.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Organisation, User
from casework.access import access_log_record
from casework.models import AccessLog, Basis, Detainee, Prison
from trajectories.models import Trajectory

from . import selectors, services
from .access import get_conference_for_user, get_current_minutes_for_user
from .basis import basis_warning, participants_with_basis
from .models import OUTSIDE_KINDS, Conference, Minutes, Participant, ReferralPriority
from .services import minutes as services_minutes
from .services import priority as services_priority
from .views_minutes import minutes_pdf_response

# --- Serializers ------------------------------------------------------------------------------------------


class ConferenceSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    detainee_name = serializers.CharField(source="detainee.full_name", read_only=True)
    prison_code = serializers.CharField(source="prison.code", read_only=True, allow_null=True)
    chair_name = serializers.CharField(source="chair.__str__", read_only=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "reference",
            "detainee",
            "detainee_name",
            "prison",
            "prison_code",
            "chair",
            "chair_name",
            "kind",
            "starts_at",
            "ends_at",
            "location",
            "venue",
            "video_link",
            "status",
            "basis",
            "authorisation_reference",
            "mandate_reference",
            "proposed_for",
            "ical_uid",
            "ical_sequence",
            "cancel_reason",
        ]
        read_only_fields = fields


class ConferenceCreateSerializer(serializers.Serializer):
    detainee = serializers.PrimaryKeyRelatedField(queryset=Detainee.objects.none())
    prison = serializers.PrimaryKeyRelatedField(queryset=Prison.objects.all())
    kind = serializers.ChoiceField(
        choices=[c for c in Conference.Kind.choices if c[0] not in OUTSIDE_KINDS], default=Conference.Kind.PERIODIC
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    basis = serializers.ChoiceField(choices=[Basis.CONSENT.value, Basis.ART458TER.value], default=Basis.CONSENT)
    authorisation_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    ical_uid = serializers.CharField(max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # A director schedules for the detainees he can see (those placed in his prisons); the schema
        # generator builds this serializer without a request.
        if request is not None:
            self.fields["detainee"].queryset = Detainee.objects.visible_to(request.user)


class MeetingCreateSerializer(serializers.Serializer):
    """A meeting outside detention (docs/adr/0041): one of the organiser's own people (`detainee`) or one found
    by `national_number`; a venue; consent or the court's mandate with its reference."""

    kind = serializers.ChoiceField(choices=[c for c in Conference.Kind.choices if c[0] in OUTSIDE_KINDS])
    detainee = serializers.IntegerField(required=False, allow_null=True, default=None)
    national_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.CharField(max_length=200)
    basis = serializers.ChoiceField(choices=[Basis.CONSENT.value, Basis.COURT_MANDATE.value], default=Basis.CONSENT)
    mandate_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    video_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")


class ConferenceMoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_link = serializers.URLField(max_length=500, required=False, allow_blank=True)


class ParticipantSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    access = serializers.SerializerMethodField(
        help_text=(
            "The participant's basis now (ADR 0033): internal, subject, consent, art458ter or none (invited without "
            "access to case content). Shown to the conference's direction and case staff; null for others."
        )
    )
    warning = serializers.SerializerMethodField(
        help_text="Why a participant just invited has no access (empty otherwise)."
    )

    class Meta:
        model = Participant
        fields = [
            "id",
            "user",
            "name",
            "organisation",
            "email",
            "role",
            "display_name",
            "invited_at",
            "response",
            "attended",
            "access",
            "warning",
        ]
        read_only_fields = ["id", "display_name", "invited_at", "response", "attended", "access", "warning"]
        extra_kwargs = {
            "user": {"queryset": User.objects.filter(is_active=True)},
            "organisation": {"queryset": Organisation.objects.filter(is_active=True)},
        }

    def get_access(self, obj) -> str | None:
        found = getattr(obj, "basis", None)
        return found.access if found is not None else None

    def get_warning(self, obj) -> str:
        conference = self.context.get("conference")
        return basis_warning(conference, obj) if conference is not None else ""


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, allow_blank=True)
    consensus = serializers.BooleanField(default=True)
    dissent_who = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    dissent_why = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MinutesActionSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=1000, allow_blank=True)
    owner_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    owner_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    action = serializers.IntegerField(read_only=True, source="action_id")


class ItemNoteSerializer(serializers.Serializer):
    agenda_item = serializers.IntegerField()
    text = serializers.CharField(max_length=10000, allow_blank=True)


class MinutesSerializer(serializers.Serializer):
    """The current version of a conference's minutes; PUT the whole draft with the revision you read."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    revision = serializers.IntegerField()
    general_notes = serializers.CharField(max_length=10000, allow_blank=True, required=False, default="")
    notes = ItemNoteSerializer(many=True, required=False, default=list)
    decisions = DecisionSerializer(many=True, required=False, default=list)
    actions = MinutesActionSerializer(many=True, required=False, default=list)
    approved_at = serializers.DateTimeField(read_only=True)
    fingerprint = serializers.CharField(read_only=True)


class ReferralPriorityInputSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(
        choices=Trajectory.Priority.choices, help_text="1 urgent, 2 high, 3 normal (the inbox sorts on it)"
    )
    reason = serializers.CharField(
        max_length=services_priority.PRIORITY_REASON_MAX, help_text="Why the conference gives this priority."
    )


class ReferralPrioritySerializer(serializers.ModelSerializer):
    trajectory = serializers.IntegerField(source="trajectory_id", read_only=True)
    priority = serializers.IntegerField(read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    conference = serializers.IntegerField(source="conference_id", read_only=True)
    set_by = serializers.IntegerField(source="decided_by_id", read_only=True)
    set_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ReferralPriority
        fields = ["trajectory", "priority", "priority_label", "reason", "conference", "set_by", "set_at"]


def minutes_payload(minutes: Minutes) -> dict:
    detail = selectors.minutes_detail(minutes)
    return MinutesSerializer(
        {
            "id": minutes.pk,
            "number": minutes.number,
            "status": minutes.status,
            "revision": minutes.revision,
            "general_notes": minutes.general_notes,
            "approved_at": minutes.approved_at,
            "fingerprint": minutes.fingerprint,
            "notes": [{"agenda_item": k, "text": v} for k, v in detail["notes"].items()],
            "decisions": detail["decisions"],
            "actions": detail["actions"],
        }
    ).data


class ApproveSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False)


# --- Views ------------------------------------------------------------------------------------------------------


def _bound(value: str, name: str, *, end: bool = False):
    # A bare date means the whole day (an inclusive `to`); parse it first, parse_datetime accepts it too.
    try:
        day = parse_date(value) if len(value) == 10 else None
        moment = None if day else parse_datetime(value)
    except ValueError:
        day = moment = None
    if moment is None:
        if day is None:
            raise ValidationError({name: _("Gebruik een datum (JJJJ-MM-DD) of een tijdstip (ISO 8601).")})
        moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class ConferenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ConferenceSerializer

    def get_queryset(self):
        qs = Conference.objects.visible_to(self.request.user).for_list().order_by("starts_at", "pk")
        params = self.request.query_params
        if params.get("prison"):
            value = params["prison"]
            qs = qs.filter(prison_id=int(value)) if value.isdigit() else qs.filter(prison__code=value)
        if params.get("from"):
            qs = qs.filter(ends_at__gt=_bound(params["from"], "from"))
        if params.get("to"):
            qs = qs.filter(starts_at__lt=_bound(params["to"], "to", end=True))
        return qs

    def get_object(self):
        return get_conference_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("prison", str, description="prison id or code"),
            OpenApiParameter("from", str, description="date or ISO datetime (inclusive)"),
            OpenApiParameter("to", str, description="date (inclusive) or ISO datetime"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        conference = self.get_object()
        access_log_record(
            request,
            detainee=conference.detainee,
            object_kind="conference",
            object_id=conference.pk,
            action=AccessLog.Action.API,
        )
        return Response(ConferenceSerializer(conference).data)

    @extend_schema(request=ConferenceCreateSerializer, responses={201: ConferenceSerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("casusoverleg.schedule_conference"):
            raise Http404
        serializer = ConferenceCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        conference = services.conference_schedule(user=request.user, **serializer.validated_data)
        return Response(ConferenceSerializer(conference).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingCreateSerializer, responses={201: ConferenceSerializer})
    @action(detail=False, methods=["post"], url_path="meetings")
    def meetings(self, request):
        """An organiser plans a meeting outside detention (LIVC, justice house) and chairs it."""
        from .services.meetings import meeting_detainees, meeting_schedule

        if not request.user.has_perm("casusoverleg.schedule_meeting"):
            raise Http404
        serializer = MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        detainee_id = data.pop("detainee")
        detainee = None
        if detainee_id is not None:
            detainee = meeting_detainees(request.user).filter(pk=detainee_id).first()
            if detainee is None:
                raise ValidationError(
                    {"detainee": [_("Kies een persoon uit je eigen overleggen, of vul zijn rijksregisternummer in.")]}
                )
        conference = meeting_schedule(user=request.user, detainee=detainee, **data)
        return Response(ConferenceSerializer(conference).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConferenceMoveSerializer, responses={200: ConferenceSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Move a conference (new time and/or room); invitees get an updated invitation."""
        conference = get_conference_for_user(request.user, kwargs["pk"], perm="casusoverleg.change_conference")
        serializer = ConferenceMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conference = services.conference_move(conference=conference, user=request.user, **serializer.validated_data)
        return Response(ConferenceSerializer(conference).data)

    @extend_schema(
        request=ParticipantSerializer, responses={200: ParticipantSerializer(many=True), 201: ParticipantSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def participants(self, request, pk=None):
        if request.method == "GET":
            conference = self.get_object()
            rows = list(conference.participants.select_related("user", "organisation"))
            if request.user.has_perm("casusoverleg.view_draft_minutes", conference):
                # Who lacks a basis is the conference's own side's business, not another partner's.
                participants_with_basis(conference, rows)
            return Response(ParticipantSerializer(rows, many=True).data)
        conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
        serializer = ParticipantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participant = services.participant_add(
            conference=conference,
            user=request.user,
            role=data.get("role", Participant.Role.PARTNER),
            participant_user=data.get("user"),
            name=data.get("name", ""),
            organisation=data.get("organisation"),
            email=data.get("email", ""),
        )
        participants_with_basis(conference, [participant])
        return Response(
            ParticipantSerializer(participant, context={"conference": conference}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=MinutesSerializer, responses={200: MinutesSerializer, 409: MinutesSerializer})
    @action(detail=True, methods=["get", "put"])
    def minutes(self, request, pk=None):
        if request.method == "GET":
            conference = self.get_object()
            # The newest version the reader may see: a partner reads approved versions only (404 before that).
            minutes = get_current_minutes_for_user(request.user, conference)
            access_log_record(
                request,
                detainee=conference.detainee,
                object_kind="minutes",
                object_id=minutes.pk,
                action=AccessLog.Action.API,
            )
            return Response(minutes_payload(minutes))
        conference = get_conference_for_user(request.user, pk, perm="casusoverleg.edit_minutes")
        minutes = conference.minutes_versions.order_by("-number").first()
        serializer = MinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            minutes = services_minutes.minutes_save(
                minutes=minutes,
                user=request.user,
                revision=data["revision"],
                general_notes=data["general_notes"],
                notes={row["agenda_item"]: row["text"] for row in data["notes"]},
                decisions=data["decisions"],
                actions=data["actions"],
            )
        except services_minutes.MinutesConflict as exc:
            return Response(
                {"detail": exc.message_dict["revision"][0], "current": minutes_payload(exc.current)},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(minutes_payload(minutes))

    @extend_schema(request=ApproveSerializer, responses={200: MinutesSerializer})
    @action(detail=True, methods=["post"], url_path="minutes/approve")
    def approve(self, request, pk=None):
        conference = self.get_object()
        minutes = conference.minutes_versions.order_by("-number").first()
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            minutes = services_minutes.minutes_approve(
                minutes=minutes, user=request.user, revision=serializer.validated_data.get("revision")
            )
        except services_minutes.MinutesConflict as exc:
            return Response({"detail": exc.message_dict["revision"][0]}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError:
            raise
        return Response(minutes_payload(minutes))

    @extend_schema(request=ReferralPriorityInputSerializer, responses={200: ReferralPrioritySerializer})
    @action(detail=True, methods=["post"], url_path="referral-priority")
    def referral_priority(self, request, pk=None):
        """The conference sets the priority of the detainee's referral waiting for intake, with its reason."""
        conference = get_conference_for_user(request.user, pk, perm="casusoverleg.set_referral_priority")
        serializer = ReferralPriorityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services_priority.referral_priority_set(
            conference=conference, user=request.user, **serializer.validated_data
        )
        access_log_record(
            request,
            detainee=conference.detainee,
            object_kind="conference",
            object_id=conference.pk,
            action=AccessLog.Action.API,
        )
        return Response(ReferralPrioritySerializer(decision).data)

    # Routed in api_urls.py as `conferences/{id}/minutes.pdf` (no trailing slash, as docs/design.md §6 spells it).
    @extend_schema(responses={(200, "application/pdf"): bytes})
    def minutes_pdf(self, request, pk=None):
        conference = self.get_object()
        return minutes_pdf_response(request, conference, request.query_params.get("version"))
