"""One structured log line per request: request id, user id, route pattern, status, duration.

The route is the URL pattern (`dossiers/<int:pk>/`), never the path or its query string: paths and search
terms can carry names. The request id comes from a trusted proxy's `X-Request-ID` when it looks like one,
else a new one; it is returned in the response so a user's report can be matched to the log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

logger = logging.getLogger("disengage.request")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request.request_id
        if not logger.isEnabledFor(logging.INFO):  # a level above INFO drops the line: do not build it
            return response
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "route": match.route if match else None,
                "view": match.view_name if match else None,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response
