"""API v1 routes of the notifications app (mounted under /api/v1/ by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api import NotificationViewSet

router = DefaultRouter(trailing_slash=True)
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("", include(router.urls)),
]
