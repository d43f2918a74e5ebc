"""Serializers: shape input and output only. Validation of meaning lives in the services."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation, User
from casework.models import LifeDomain, Session

from ..models import (
    PROGRESS_MAX,
    PROGRESS_MIN,
    Action,
    Assessment,
    AssessmentRating,
    AssessmentTemplate,
    DomainExploration,
    Goal,
    GoalReview,
    Status,
    Trajectory,
    TrajectoryStatusChange,
)


class UserRef(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]


class TrajectoryStatusSerializer(serializers.ModelSerializer):
    """What a prison director may see: status and lead consultant only."""

    lead_consultant = UserRef(read_only=True, allow_null=True)

    class Meta:
        model = Trajectory
        fields = ["id", "detainee", "status", "lead_consultant"]


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = UserRef(read_only=True, allow_null=True)

    class Meta:
        model = TrajectoryStatusChange
        fields = ["from_status", "to_status", "changed_at", "changed_by", "reason"]


class TrajectorySerializer(serializers.ModelSerializer):
    lead_consultant = UserRef(read_only=True, allow_null=True)
    co_consultants = UserRef(many=True, read_only=True)
    # Empty while the trajectory is open: declared, so the schema says so.
    closure_reason = serializers.ChoiceField(choices=Trajectory.ClosureReason.choices, allow_blank=True, read_only=True)
    is_success = serializers.BooleanField(
        read_only=True, help_text="Reached active with at least one goal agreed with the detainee."
    )

    class Meta:
        model = Trajectory
        fields = [
            "id",
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
            "closure_reason",
            "closed_on",
            "is_success",
            "priority",
            "priority_reason",
        ]
        read_only_fields = fields


class TrajectoryDetailSerializer(TrajectorySerializer):
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta(TrajectorySerializer.Meta):
        fields = [*TrajectorySerializer.Meta.fields, "status_history"]
        read_only_fields = fields


class ReferralInput(serializers.Serializer):
    detainee = serializers.IntegerField()
    referred_on = serializers.DateField()
    referred_by = serializers.ChoiceField(choices=Trajectory.ReferredBy.choices)
    referring_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    referral_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    guidance_type = serializers.ChoiceField(
        choices=Trajectory.GuidanceType.choices,
        required=False,
        default=Trajectory.GuidanceType.DISENGAGEMENT_CONSULTANT,
    )


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    closure_reason = serializers.ChoiceField(
        choices=Trajectory.ClosureReason.choices, required=False, allow_blank=True, default=""
    )
    on = serializers.DateField(required=False, allow_null=True, default=None)


class AssignInput(serializers.Serializer):
    lead_consultant = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    co_consultants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, default=list
    )


class ExplorationSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="code", queryset=LifeDomain.objects.all())

    class Meta:
        model = DomainExploration
        fields = ["id", "domain", "need", "explored_on", "deferral_reason", "note", "is_settled"]
        read_only_fields = ["id", "is_settled"]
        # The model's default (not yet explored) is the state before any answer: a recorded exploration says it.
        extra_kwargs = {"need": {"required": True}}
        # The service upserts per domain; the model's unique constraint is not an input rule here.
        validators: list = []


class GoalReviewSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(min_value=PROGRESS_MIN, max_value=PROGRESS_MAX)

    class Meta:
        model = GoalReview
        fields = ["id", "goal", "reviewed_on", "progress", "note"]
        read_only_fields = ["id", "goal"]


class GoalSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="code", queryset=LifeDomain.objects.all())
    latest_progress = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "trajectory",
            "domain",
            "description",
            "agreed_with_detainee",
            "agreed_on",
            "status",
            "target_date",
            "responsible_organisation",
            "latest_progress",
        ]
        read_only_fields = ["id", "trajectory", "latest_progress"]

    def get_latest_progress(self, goal) -> int | None:
        reviews = list(goal.reviews.all())
        return max(reviews, key=lambda r: (r.reviewed_on, r.pk)).progress if reviews else None


class ActionSerializer(serializers.ModelSerializer):
    # Plain ids: the view resolves them through the access functions (an invisible id is a 404, not a hint).
    detainee = serializers.IntegerField(source="detainee_id")
    goal = serializers.IntegerField(source="goal_id", required=False, allow_null=True)
    owner = serializers.CharField(source="owner_display", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "detainee",
            "trajectory",
            "description",
            "owner_user",
            "owner_organisation",
            "owner_name",
            "owner",
            "due_on",
            "status",
            "source_kind",
            "goal",
            "completed_at",
            "created_at",
        ]
        read_only_fields = ["id", "trajectory", "owner", "completed_at", "created_at"]


class ActionStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Action.ActionStatus.choices)


class RatingSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    code = serializers.CharField(source="item.code", read_only=True)
    label = serializers.CharField(source="item.label", read_only=True)
    section = serializers.CharField(source="item.section.title", read_only=True)
    scale_max = serializers.IntegerField(source="item.scale_max", read_only=True)

    class Meta:
        model = AssessmentRating
        fields = ["item", "code", "label", "section", "scale_max", "rating", "evidence"]


class TrajectorySessionSerializer(serializers.ModelSerializer):
    """A session counted for a trajectory (derived from its date). Confidential notes are never included here."""

    author = UserRef(read_only=True, allow_null=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "detainee",
            "started_at",
            "duration_minutes",
            "modality",
            "attendance",
            "engagement",
            "summary",
            "author",
        ]
        read_only_fields = fields


class AssessmentJudgementSerializer(serializers.ModelSerializer):
    """What a prison director may see of an assessment: the overall judgement only."""

    template = serializers.CharField(source="template.name", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "template", "assessed_on", "status", "overall_judgement"]


class AssessmentSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    assessor = UserRef(read_only=True, allow_null=True)
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "trajectory",
            "template",
            "template_name",
            "template_version",
            "assessed_on",
            "assessor",
            "sources",
            "overall_judgement",
            "overall_note",
            "changes_since_last",
            "status",
            "finalised_at",
            "corrects",
            "ratings",
        ]
        read_only_fields = fields


class AssessmentStartInput(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=AssessmentTemplate.objects.all())
    assessed_on = serializers.DateField(required=False, allow_null=True, default=None)


class RatingInput(serializers.Serializer):
    item = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True, min_value=0)
    evidence = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AssessmentUpdateInput(serializers.Serializer):
    assessed_on = serializers.DateField(required=False)
    sources = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    overall_judgement = serializers.ChoiceField(choices=Assessment.Judgement.choices, required=False, allow_blank=True)
    overall_note = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    changes_since_last = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    ratings = RatingInput(many=True, required=False)
