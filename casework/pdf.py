"""One way to turn HTML into PDF for every app: WeasyPrint with every external URL denied.

Only our own static files (as `static:css/pdf.css`) and data: URIs may be fetched while
rendering, so a PDF can never make a request to the outside world or include remote content.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:"


class ExternalURLDenied(ValueError):
    pass


class LocalOnlyFetcher(URLFetcher):
    """Serves `static:` paths from our static files and data: URIs; refuses everything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            found = finders.find(url[len(STATIC_PREFIX) :])
            if found:
                # WeasyPrint only applies a stylesheet served as text/css: name the type from the extension.
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": content_type})
        raise ExternalURLDenied(f"external URL refused while rendering PDF: {url[:80]}")


def render_pdf(html: str) -> bytes:
    """Render `html` to PDF bytes; a refused resource is left out (and logged by WeasyPrint)."""
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=LocalOnlyFetcher()).write_pdf()
