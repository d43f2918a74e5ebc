"""API v1: each app keeps its own router in `<app>/api_urls.py`; this file only mounts them."""

from django.urls import include, path

urlpatterns = [
    path("", include("casework.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("trajectories.api_urls")),
    path("", include("casusoverleg.api_urls")),
    path("", include("reporting.api_urls")),
]
