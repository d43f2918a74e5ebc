"""API viewsets: parse, fetch through the access functions, call one service, serialise."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from casework.access import access_log_record
from casework.models import AccessLog, Scope, Session

from .. import compartments, selectors, services
from ..access import (
    get_action_for_user,
    get_assessment_for_user,
    get_detainee_for_trajectory_work,
    get_goal_for_user,
    get_trajectory_for_user,
)
from ..models import (
    Action,
    Assessment,
    DomainExploration,
    Goal,
    GoalReview,
    Trajectory,
    TrajectoryStatusChange,
)
from .serializers import (
    ActionSerializer,
    ActionStatusInput,
    AssessmentJudgementSerializer,
    AssessmentSerializer,
    AssessmentStartInput,
    AssessmentUpdateInput,
    AssignInput,
    ExplorationSerializer,
    GoalReviewSerializer,
    GoalSerializer,
    ReferralInput,
    TrajectoryDetailSerializer,
    TrajectorySerializer,
    TrajectorySessionSerializer,
    TrajectoryStatusSerializer,
    TransitionInput,
)


def _require(user, perm: str, obj) -> None:
    """The object is visible (else the caller already raised 404) but this user may not change it."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("Je mag dit traject niet wijzigen."))


def _log(request, trajectory: Trajectory, kind: str) -> None:
    access_log_record(
        request, detainee=trajectory.detainee, object_kind=kind, object_id=trajectory.pk, action=AccessLog.Action.API
    )


REVIEWS = Prefetch("reviews", queryset=GoalReview.objects.order_by("reviewed_on", "pk"))


class TrajectoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Trajectories the user may see. Prison directors get status and lead consultant only."""

    filterset_fields = ["detainee", "status"]
    queryset = Trajectory.objects.none()

    def get_queryset(self):
        return (
            Trajectory.objects.visible_to(self.request.user)
            .select_related("lead_consultant")
            .prefetch_related("co_consultants")
            .with_success_per_row()
            .order_by("-referred_on", "-pk")
        )

    def get_serializer_class(self):
        if self.request.user.is_authenticated and self.request.user.is_director:
            return TrajectoryStatusSerializer
        return TrajectorySerializer

    def _detail(self, request, trajectory: Trajectory, code=status.HTTP_200_OK) -> Response:
        if request.user.is_director:
            return Response(TrajectoryStatusSerializer(trajectory).data, status=code)
        trajectory = (
            Trajectory.objects.with_success()
            .select_related("lead_consultant")
            .prefetch_related(
                "co_consultants",
                Prefetch("status_changes", queryset=TrajectoryStatusChange.objects.select_related("changed_by")),
            )
            .get(pk=trajectory.pk)
        )
        return Response(TrajectoryDetailSerializer(trajectory).data, status=code)

    @extend_schema(responses=TrajectoryDetailSerializer)
    def retrieve(self, request, pk=None):
        trajectory = get_trajectory_for_user(request.user, pk)
        _log(request, trajectory, "trajectory")
        return self._detail(request, trajectory)

    @extend_schema(request=ReferralInput, responses={201: TrajectoryDetailSerializer})
    def create(self, request):
        """Register a referral (status `referred`)."""
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        detainee = get_detainee_for_trajectory_work(request.user, fields.pop("detainee"))
        if not request.user.has_perm("trajectories.refer"):
            raise PermissionDenied
        trajectory = services.trajectory_refer(detainee=detainee, user=request.user, **fields)
        return self._detail(request, trajectory, status.HTTP_201_CREATED)

    @extend_schema(request=TransitionInput, responses=TrajectoryDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the trajectory through its lifecycle: {"to": status, "reason": …, "closure_reason": …}."""
        trajectory = get_trajectory_for_user(request.user, pk)
        _require(request.user, "trajectories.change", trajectory)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.trajectory_transition(trajectory=trajectory, user=request.user, **data.validated_data)
        return self._detail(request, trajectory)

    @extend_schema(request=AssignInput, responses=TrajectoryDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The manager assigns the lead consultant and co-consultants."""
        trajectory = get_trajectory_for_user(request.user, pk)
        _require(request.user, "trajectories.assign", trajectory)
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.trajectory_assign(
            trajectory=trajectory,
            user=request.user,
            lead=data.validated_data["lead_consultant"],
            co_consultants=data.validated_data["co_consultants"],
        )
        return self._detail(request, trajectory)

    def _content(self, request, pk) -> Trajectory:
        trajectory = get_trajectory_for_user(request.user, pk, perm="trajectories.view_content")
        if request.method == "POST":
            _require(request.user, "trajectories.change", trajectory)
        return trajectory

    def _page(self, request, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(request=ExplorationSerializer, responses=ExplorationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def explorations(self, request, pk=None):
        """The life-domain explorations; POST records one domain (replacing an earlier answer)."""
        trajectory = self._content(request, pk)
        if request.method == "POST":
            data = ExplorationSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            exploration = services.exploration_record(trajectory=trajectory, user=request.user, **data.validated_data)
            return Response(ExplorationSerializer(exploration).data, status=status.HTTP_201_CREATED)
        _log(request, trajectory, "trajectory_explorations")
        qs = (
            DomainExploration.objects.visible_to(request.user)
            .filter(trajectory=trajectory)
            .select_related("domain")
            .order_by("domain__order", "pk")
        )
        return self._page(request, qs, ExplorationSerializer)

    @extend_schema(request=GoalSerializer, responses=GoalSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def goals(self, request, pk=None):
        """Goals per life domain; POST adds one."""
        trajectory = self._content(request, pk)
        if request.method == "POST":
            data = GoalSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            goal = services.goal_create(trajectory=trajectory, user=request.user, **data.validated_data)
            return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)
        _log(request, trajectory, "trajectory_goals")
        qs = (
            Goal.objects.visible_to(request.user)
            .filter(trajectory=trajectory)
            .select_related("domain")
            .prefetch_related(REVIEWS)
            .order_by("domain__order", "pk")
        )
        return self._page(request, qs, GoalSerializer)

    @extend_schema(responses=TrajectorySessionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def sessions(self, request, pk=None):
        """Sessions that count for this trajectory: the detainee's sessions started while it was open (derived)."""
        trajectory = get_trajectory_for_user(request.user, pk, perm="trajectories.view_content")
        _log(request, trajectory, "trajectory_sessions")
        qs = selectors.sessions_for_trajectory(trajectory, Session.objects.visible_to(request.user)).select_related(
            "author"
        )
        return self._page(request, qs.order_by("-started_at", "-pk"), TrajectorySessionSerializer)

    @extend_schema(request=AssessmentStartInput, responses=AssessmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request, pk=None):
        """Assessments (directors: overall judgement only); POST starts a draft from a template."""
        trajectory = get_trajectory_for_user(
            request.user, pk, perm="trajectories.view_assessment_judgement", scope=Scope.ASSESSMENTS
        )
        if request.method == "POST":
            _require(request.user, "trajectories.change", trajectory)
            data = AssessmentStartInput(data=request.data)
            data.is_valid(raise_exception=True)
            assessment = services.assessment_start(trajectory=trajectory, user=request.user, **data.validated_data)
            return Response(
                AssessmentSerializer(_assessment(assessment.pk, request.user, trajectory.detainee)).data,
                status=status.HTTP_201_CREATED,
            )
        _log(request, trajectory, "trajectory_assessments")
        qs = Assessment.objects.filter(trajectory=trajectory).select_related("template").order_by("assessed_on", "pk")
        if request.user.is_director:
            return self._page(request, qs, AssessmentJudgementSerializer)
        ratings = compartments.ratings_prefetch(request.user, trajectory.detainee)
        return self._page(request, qs.select_related("assessor").prefetch_related(ratings), AssessmentSerializer)


def _assessment(pk, user, detainee) -> Assessment:
    """One assessment with the ratings `user` may see (health sections: casework/compartments.py)."""
    return (
        Assessment.objects.select_related("template", "assessor")
        .prefetch_related(compartments.ratings_prefetch(user, detainee))
        .get(pk=pk)
    )


class GoalViewSet(viewsets.GenericViewSet):
    """A goal and its reviews."""

    serializer_class = GoalSerializer
    queryset = Goal.objects.none()

    def _goal(self, request, pk) -> Goal:
        goal = get_goal_for_user(request.user, pk)
        if request.method in ("POST", "PATCH"):
            _require(request.user, "trajectories.change", goal.trajectory)
        return goal

    def retrieve(self, request, pk=None):
        goal = self._goal(request, pk)
        return Response(GoalSerializer(Goal.objects.prefetch_related(REVIEWS).get(pk=goal.pk)).data)

    def partial_update(self, request, pk=None):
        goal = self._goal(request, pk)
        data = GoalSerializer(goal, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.goal_update(goal=goal, user=request.user, **data.validated_data)
        return Response(GoalSerializer(Goal.objects.prefetch_related(REVIEWS).get(pk=goal.pk)).data)

    @extend_schema(request=GoalReviewSerializer, responses=GoalReviewSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def reviews(self, request, pk=None):
        """Reviews of a goal (progress 0–4); POST adds one."""
        goal = self._goal(request, pk)
        if request.method == "POST":
            data = GoalReviewSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            review = services.goal_review_add(goal=goal, user=request.user, **data.validated_data)
            return Response(GoalReviewSerializer(review).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(GoalReview.objects.filter(goal=goal).order_by("reviewed_on", "pk"))
        return self.get_paginated_response(GoalReviewSerializer(page, many=True).data)


class ActionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """One list of actions, from goals and case-conference decisions alike. `?status=open&detainee=`."""

    serializer_class = ActionSerializer
    filterset_fields = ["detainee", "trajectory", "status", "source_kind", "owner_user"]
    queryset = Action.objects.none()

    def get_queryset(self):
        return Action.objects.visible_to(self.request.user).for_list()

    def retrieve(self, request, pk=None):
        return Response(ActionSerializer(get_action_for_user(request.user, pk)).data)

    def create(self, request):
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        detainee = get_detainee_for_trajectory_work(request.user, fields.pop("detainee_id"))
        fields.pop("status", None)
        goal_id = fields.pop("goal_id", None)
        if goal_id is not None:
            fields["goal"] = get_goal_for_user(request.user, goal_id)
        action_ = services.action_create(detainee=detainee, user=request.user, **fields)
        return Response(ActionSerializer(action_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionStatusInput, responses=ActionSerializer)
    def partial_update(self, request, pk=None):
        """Only the status changes here (done, cancelled, open again)."""
        action_ = get_action_for_user(request.user, pk)
        data = ActionStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_set_status(action=action_, user=request.user, status=data.validated_data["status"])
        return Response(ActionSerializer(action_).data)


class AssessmentViewSet(viewsets.GenericViewSet):
    """One assessment: fill in while draft, finalise, or correct (a correction is a new assessment)."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    def _get(self, request, pk, *, write: bool = False) -> Assessment:
        assessment = get_assessment_for_user(request.user, pk)
        if write:
            _require(request.user, "trajectories.change", assessment.trajectory)
        return assessment

    def retrieve(self, request, pk=None):
        assessment = self._get(request, pk)
        _log(request, assessment.trajectory, "assessment")
        return Response(
            AssessmentSerializer(_assessment(assessment.pk, request.user, assessment.trajectory.detainee)).data
        )

    @extend_schema(request=AssessmentUpdateInput, responses=AssessmentSerializer)
    def partial_update(self, request, pk=None):
        assessment = self._get(request, pk, write=True)
        data = AssessmentUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        ratings = {r["item"]: r for r in fields.pop("ratings", [])}
        services.assessment_update(assessment=assessment, user=request.user, ratings=ratings, **fields)
        return Response(
            AssessmentSerializer(_assessment(assessment.pk, request.user, assessment.trajectory.detainee)).data
        )

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        assessment = self._get(request, pk, write=True)
        services.assessment_finalise(assessment=assessment, user=request.user)
        return Response(
            AssessmentSerializer(_assessment(assessment.pk, request.user, assessment.trajectory.detainee)).data
        )

    @extend_schema(request=None, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Start a correction of a finalised assessment: a new draft starting from its ratings."""
        assessment = self._get(request, pk, write=True)
        correction = services.assessment_start(
            trajectory=assessment.trajectory, user=request.user, template=assessment.template, corrects=assessment
        )
        shown = _assessment(correction.pk, request.user, assessment.trajectory.detainee)
        return Response(AssessmentSerializer(shown).data, status=status.HTTP_201_CREATED)
