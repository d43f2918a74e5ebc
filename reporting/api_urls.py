"""API v1 routes of the reporting app (mounted under /api/v1/ by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter(trailing_slash=True)
router.register("reports/yearly", api.YearlyReportViewSet, basename="report-yearly")

urlpatterns = [
    path("", include(router.urls)),
]
