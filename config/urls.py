from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ops.health import healthz, readyz

from .api_permissions import IsStaffUser


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file (resolved per
    request, as the hashed name exists only once collectstatic has run)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says: send them to the static file.
    path("favicon.ico", favicon, name="favicon"),
    path("readyz", readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("profiel/", include("accounts.urls_profile")),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(permission_classes=[IsStaffUser]), name="api-schema"),
    # The docs' own scripts are files (split view); their libraries inject <style> tags without a nonce.
    # Swagger UI only: it runs from drf-spectacular-sidecar's files. ReDoc was removed because it fetches
    # fonts and a logo from CDNs, which our CSP (rightly) blocks.
    path(
        "api/v1/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[IsStaffUser])
        ),
        name="api-docs",
    ),
    path("meldingen/", include("notifications.urls")),
    path("agenda/", include("diary.urls")),
    path("trajecten/", include("trajectories.urls")),
    path("casusoverleg/", include("casusoverleg.urls")),
    path("rapportering/", include("reporting.urls")),
    path("privacy/", include("casework.privacy.urls")),
    path("", include("casework.urls")),
]


def not_found(request, exception=None):
    """A path under /api/ that matches no route (an id that is not a number, say) answers the API's own 404, in
    JSON as the schema declares it, not the HTML page meant for a browser; every other path gets that page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse
        from django.utils.translation import gettext

        return JsonResponse({"detail": gettext("Niet gevonden.")}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


handler404 = not_found
