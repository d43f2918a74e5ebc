"""Structured JSON logs for web, worker and beat.

One JSON object per line with a fixed set of keys. Only allow-listed attributes of a record are written, so
whatever a caller passes in `extra` (a request, a model instance) never reaches the log by accident. Case
content and personal data stay out: requests are logged by route pattern, never by path or query string, and
query strings that appear in third-party messages (the development server's access line) are cut off.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

# Keys a record may carry into the JSON line (set through `extra=` by our middleware and Celery signals).
ALLOWED_EXTRA = (
    "request_id",
    "user_id",
    "route",
    "view",
    "method",
    "status",
    "duration_ms",
    "task_id",
    "task",
    "outcome",
    "retries",
    "check",
)
QUERY_STRING = re.compile(r"\?[^\s\"']*")


def redact(message: str) -> str:
    """Cut query strings (search terms, names) out of a free-text message."""
    return QUERY_STRING.sub("?…", message)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(_message(record)),
        }
        for key in ALLOWED_EXTRA:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            # The exception type and where it happened; not its message, which may quote data.
            exc_type = record.exc_info[0]
            entry["exc_type"] = exc_type.__name__ if exc_type else None
            entry["exc_where"] = _where(record.exc_info[2])
        return json.dumps(entry, ensure_ascii=False, default=str)


def _message(record: logging.LogRecord) -> str:
    """Celery's own task lines end in the exception text or the return value: keep the part before them."""
    data = getattr(record, "data", None)
    if record.name == "celery.app.trace" and isinstance(data, dict) and isinstance(record.msg, str):
        try:
            return record.msg.split(": %(", 1)[0] % data
        except (KeyError, TypeError, ValueError):
            return "Task %s[%s]" % (data.get("name"), data.get("id"))  # noqa: UP031
    return record.getMessage()


def _where(tb) -> str | None:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return None
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno} in {tb.tb_frame.f_code.co_name}"


def build_logging(level: str = "INFO", fmt: str = "json") -> dict:
    """The LOGGING dict: JSON on stdout (12-factor); `fmt="plain"` for a human reading a terminal."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "config.logging.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt if fmt == "plain" else "json"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Our middleware logs every request once, by route; the server access lines would repeat the path.
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
            "gunicorn.access": {"level": "WARNING"},
            "celery": {"level": level},
            # WeasyPrint narrates every rendering step at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
