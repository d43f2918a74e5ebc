"""The minutes PDF: rendered from the frozen snapshot of an approved version, one copy per recipient.

Rendering goes through `casework.pdf.render_pdf` (WeasyPrint, external URLs denied). Each copy carries
the recipient's name as a watermark on every page and, in the footer, the SHA-256 fingerprint of the
canonical serialisation of the approved version, so any copy can be matched to what was approved.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from casework.pdf import render_pdf
from config.public_url import absolute_reverse

from .models import Minutes


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    # Inlined: the shared fetcher serves `static:` files without a MIME type, which WeasyPrint refuses
    # for <link rel="stylesheet">; an inline <style> needs no fetch at all.
    return Path(finders.find("css/pdf_minutes.css")).read_text(encoding="utf-8")


def minutes_html(minutes: Minutes, *, recipient: str, organisation: str = "") -> str:
    """The minutes as HTML, in Dutch whoever renders or reads them: the official record is Dutch (docs/design.md §3)."""
    with override(settings.LANGUAGE_CODE):
        return _minutes_html(minutes, recipient=recipient, organisation=organisation)


def _minutes_html(minutes: Minutes, *, recipient: str, organisation: str = "") -> str:
    snapshot = minutes.snapshot
    conference = snapshot["conference"]
    context = {
        "s": snapshot,
        "starts_at": _parse(conference["starts_at"]),
        "ends_at": _parse(conference["ends_at"]),
        "approved_at": _parse(snapshot["minutes"]["approved_at"]),
        "date_of_birth": dt.date.fromisoformat(snapshot["detainee"]["date_of_birth"]) if snapshot["detainee"]["date_of_birth"] else None,
        "fingerprint": minutes.fingerprint,
        "conference_url": absolute_reverse("casusoverleg:detail", args=[minutes.conference_id]),
        "actions": [{**a, "due_on": dt.date.fromisoformat(a["due_on"])} for a in snapshot["actions"]],
        "recipient": recipient,
        "organisation": organisation,
        "printed_at": timezone.localtime(),
        "stylesheet": _stylesheet(),
    }
    return render_to_string("casusoverleg/pdf/minutes.html", context)


def render_minutes_pdf(minutes: Minutes, *, recipient: str, organisation: str = "") -> bytes:
    """PDF bytes of one recipient's copy of approved minutes."""
    if not minutes.is_approved or not minutes.snapshot:
        raise ValueError("only approved minutes are rendered")
    return render_pdf(minutes_html(minutes, recipient=recipient, organisation=organisation))
