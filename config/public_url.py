"""Absolute links for places without a request (e-mails, calendar feeds, PDFs, Celery workers).

One setting, `PUBLIC_BASE_URL`, decides the scheme and host of every link the application sends out; a
request's own Host header never does (a forged Host would otherwise end up in a mail).
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`path` (starting with /) on the configured public base URL."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def absolute_reverse(viewname: str, *, args=None, kwargs=None) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
