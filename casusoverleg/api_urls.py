"""API v1 routes of the casusoverleg app (mounted under /api/v1/ by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api import ConferenceViewSet
from .api_actions import MyActionViewSet
from .api_transfer import ConferenceTransferViewSet, TransferFlagViewSet

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("conferences", ConferenceViewSet, basename="conference")
router.register("my-actions", MyActionViewSet, basename="my-action")
router.register("transfer-flags", TransferFlagViewSet, basename="transfer-flag")

urlpatterns = [
    # docs/design.md §6 spells it without a trailing slash, so it is routed here rather than by the router.
    path(
        "conferences/<int:pk>/minutes.pdf",
        ConferenceViewSet.as_view({"get": "minutes_pdf"}),
        name="conference-minutes-pdf-exact",
    ),
    path(
        "conferences/<int:pk>/transfer/",
        ConferenceTransferViewSet.as_view({"get": "flags", "post": "resolve"}),
        name="conference-transfer",
    ),
    path("", include(router.urls)),
]
