"""API v1 routes of the trajectories app (mounted under /api/v1/ by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api.views import ActionViewSet, AssessmentViewSet, GoalViewSet, TrajectoryViewSet
from .api_court import (
    CourtConditionDeadlinesView,
    CourtConditionReportsView,
    ReportingDeadlineCancelView,
    TrajectoryCourtConditionsView,
)
from .api_referrals import PartnerReferralViewSet
from .api_release import TrajectoryHandoverPackagesView, TrajectoryReleaseView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("trajectories", TrajectoryViewSet, basename="trajectory")
router.register("goals", GoalViewSet, basename="goal")
router.register("actions", ActionViewSet, basename="action")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("partner-referrals", PartnerReferralViewSet, basename="partner-referral")

urlpatterns = [
    path("trajectories/<int:pk>/release/", TrajectoryReleaseView.as_view(), name="trajectory-release"),
    path(
        "trajectories/<int:pk>/handover-packages/",
        TrajectoryHandoverPackagesView.as_view(),
        name="trajectory-handover-packages",
    ),
    path(
        "trajectories/<int:pk>/court-conditions/",
        TrajectoryCourtConditionsView.as_view(),
        name="trajectory-court-conditions",
    ),
    path(
        "court-conditions/<int:condition_pk>/deadlines/",
        CourtConditionDeadlinesView.as_view(),
        name="court-condition-deadlines",
    ),
    path(
        "court-conditions/<int:condition_pk>/reports/",
        CourtConditionReportsView.as_view(),
        name="court-condition-reports",
    ),
    path(
        "reporting-deadlines/<int:deadline_pk>/cancel/",
        ReportingDeadlineCancelView.as_view(),
        name="reporting-deadline-cancel",
    ),
    path("", include(router.urls)),
]
