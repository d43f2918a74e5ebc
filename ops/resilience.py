"""A lost database connection costs no request (ADR 0016).

`DatabaseRetryMiddleware` runs a request again, once, when its database connection died under it and running it
again cannot do anything twice: always for a safe method (GET, HEAD, OPTIONS), and for a write only when the
connection provably committed nothing (the backend in `ops.db` tracks this). Whatever still fails because the
database is unreachable is answered with a 503 and `Retry-After`, never with a 500.

Opening a connection already waits a few seconds for a restarting server (ops/db/base.py), so the one retry
usually lands on the restarted database.
"""

from __future__ import annotations

import io
import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("disengage.resilience")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FAILURE_ATTRIBUTE = "_disengage_database_lost"


def is_connection_lost(exc: BaseException | None) -> bool:
    """True for errors meaning "no usable connection", not for errors of one statement (a lock or a constraint).

    psycopg2 gives connection-level errors no SQLSTATE; a server shutting down or starting up answers with class
    57P (admin shutdown, cannot connect now) and a broken link with class 08."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if isinstance(exc, InterfaceError):
        return True
    code = getattr(exc.__cause__, "pgcode", None)
    return code is None or code.startswith(("57P", "08"))


@receiver(got_request_exception, dispatch_uid="disengage-database-lost")
def _note_lost_connection(sender, request=None, **kwargs):
    # Sent from inside Django's exception handler, before the 500 page is built: remember why it failed.
    exc = sys.exc_info()[1]
    if request is not None and is_connection_lost(exc):
        setattr(request, FAILURE_ATTRIBUTE, exc)


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a dead connection may fail to close; it is dropped either way
            conn.connection = None


def _may_have_committed() -> bool:
    return any(getattr(conn, "may_have_committed", True) for conn in connections.all(initialized_only=True))


def _reset_markers() -> None:
    for conn in connections.all(initialized_only=True):
        if hasattr(conn, "reset_write_marker"):
            conn.reset_write_marker()


def unavailable_response(request) -> HttpResponse:
    retry_after = settings.DISENGAGE_RETRY_AFTER_SECONDS
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("De databank is even niet bereikbaar. Probeer het opnieuw binnen enkele seconden.")},
            status=503,
        )
    else:
        # Rendered without the request: the context processors would reach for the database again.
        response = HttpResponse(render_to_string("ops/unavailable.html", {"retry_after": retry_after}), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _buffer_body(request) -> bool:
    """Keep a write's body in memory so a second run can read it again (DRF reads the raw stream).

    Bodies above DATA_UPLOAD_MAX_MEMORY_SIZE (file uploads) are left streaming: such a request is not retried."""
    if request.method in SAFE_METHODS:
        return True
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        if limit is not None and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            return False
        request.body  # noqa: B018 - reading it caches it
    except Exception:  # noqa: BLE001 - an unreadable body is the view's to report, and not ours to replay
        return False
    return True


class DatabaseRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _reset_markers()
        replayable = _buffer_body(request)
        response = self.get_response(request)
        if not hasattr(request, FAILURE_ATTRIBUTE):
            return response
        retryable = replayable and (request.method in SAFE_METHODS or not _may_have_committed())
        _close_connections()
        if retryable:
            delattr(request, FAILURE_ATTRIBUTE)
            logger.warning("database connection lost, running the request again", extra={"method": request.method})
            _reset_markers()
            if hasattr(request, "_body"):
                request._stream = io.BytesIO(request._body)
            # The first run's parsed form data is rebuilt from the body.
            for attribute in ("_post", "_files", "_data", "_full_data"):
                request.__dict__.pop(attribute, None)
            response = self.get_response(request)
            if not hasattr(request, FAILURE_ATTRIBUTE):
                return response
            _close_connections()
        logger.error("database unavailable, answered 503", extra={"method": request.method, "retried": retryable})
        return unavailable_response(request)
