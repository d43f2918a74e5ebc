"""API v1 routes of the casework app (mounted under /api/v1/ by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter(trailing_slash=True)
router.register("prisons", api.PrisonViewSet, basename="prison")
router.register("organisations", api.OrganisationViewSet, basename="organisation")
router.register("life-domains", api.LifeDomainViewSet, basename="life-domain")
router.register("detainees", api.DetaineeViewSet, basename="detainee")
router.register(r"detainees/(?P<detainee_pk>\d+)/listings", api.ListingViewSet, basename="detainee-listing")
router.register(r"detainees/(?P<detainee_pk>\d+)/placements", api.PlacementViewSet, basename="detainee-placement")
router.register(r"detainees/(?P<detainee_pk>\d+)/transfers", api.TransferViewSet, basename="detainee-transfer")
router.register(r"detainees/(?P<detainee_pk>\d+)/consents", api.ConsentViewSet, basename="detainee-consent")
router.register(r"detainees/(?P<detainee_pk>\d+)/network", api.NetworkPersonViewSet, basename="detainee-network")
router.register("consents", api.ConsentWithdrawViewSet, basename="consent")
router.register("sessions", api.SessionViewSet, basename="session")
router.register("imports/detainees", api.DetaineeImportViewSet, basename="detainee-import")

urlpatterns = [
    path("", include(router.urls)),
]
