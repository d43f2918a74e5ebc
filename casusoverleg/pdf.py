"""The minutes PDF: rendered from the frozen snapshot of an approved version, one copy per recipient, in
that recipient's language (ADR 0030).

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
from django.utils.translation import gettext, override

from accounts.texts import render_code, render_parts
from casework.pdf import render_pdf
from config.public_url import absolute_reverse

from .models import AgendaItem, Minutes


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    # Inlined: the shared fetcher serves `static:` files without a MIME type, which WeasyPrint refuses
    # for <link rel="stylesheet">; an inline <style> needs no fetch at all.
    return Path(finders.find("css/pdf_minutes.css")).read_text(encoding="utf-8")


def minutes_html(minutes: Minutes, *, recipient: str, organisation: str = "", language: str | None = None) -> str:
    """The minutes as HTML in the reader's language (default: the official language, Dutch). The approved
    content is the snapshot, whatever the language: the same fingerprint on every copy."""
    with override(language or settings.LANGUAGE_CODE):
        return _minutes_html(minutes, recipient=recipient, organisation=organisation)


def _label(stored: str) -> str:
    """A label the snapshot froze as its Dutch catalogue text (kind, basis, role, response), in the active
    language; a text that is not in the catalogue comes back as it is."""
    return gettext(stored) if stored else stored


def _agenda_item(item: dict) -> dict:
    """An agenda point in the active language: a generated one from its title code and its lines as meaning;
    a free one, and one approved before the snapshot kept its meaning, as written."""
    if item.get("source") in (None, AgendaItem.Source.FREE):
        return item
    body = "\n".join(render_parts(line) for line in item["body_parts"]) if item.get("body_parts") else item["body"]
    return {**item, "title": render_code(item["title"]), "body": body}


def _with_meaning(minutes: Minutes, agenda: list[dict]) -> list[dict]:
    """Minutes approved before the snapshot kept each point's meaning hold only its Dutch words. A point whose
    title and words are still those of the conference's generated item (the agenda is frozen once minutes are
    approved) takes that item's meaning; any other stays as written, so nothing approved is ever changed."""
    if all("source" in item for item in agenda):
        return agenda
    with override(settings.LANGUAGE_CODE):
        live = {
            (item.title, item.display_body): item
            for item in minutes.conference.agenda_items.all()
            if item.source != AgendaItem.Source.FREE
        }
    known = []
    for item in agenda:
        match = live.get((item["title"], item["body"])) if "source" not in item else None
        known.append({**item, "source": match.source, "body_parts": match.body_parts} if match else item)
    return known


def _in_reader_language(minutes: Minutes, snapshot: dict) -> dict:
    conference = snapshot["conference"]
    return {
        **snapshot,
        "conference": {
            **conference,
            "kind": _label(conference["kind"]),
            "basis": _label(conference["basis"]),
            "basis_note": _label(conference.get("basis_note", "")),
        },
        # The basis per participant is in minutes approved since ADR 0033; older ones have none to show.
        "participants": [
            {
                **p,
                "role": _label(p["role"]),
                "response": _label(p.get("response", "")),
                "basis": _label(p.get("basis", "")),
                "consent_given_on": dt.date.fromisoformat(p["consent_given_on"]) if p.get("consent_given_on") else None,
            }
            for p in snapshot["participants"]
        ],
        "has_participant_basis": any("basis" in p for p in snapshot["participants"]),
        "agenda": [_agenda_item(item) for item in _with_meaning(minutes, snapshot["agenda"])],
    }


def _minutes_html(minutes: Minutes, *, recipient: str, organisation: str = "") -> str:
    snapshot = minutes.snapshot
    conference = snapshot["conference"]
    context = {
        "s": _in_reader_language(minutes, snapshot),
        "starts_at": _parse(conference["starts_at"]),
        "ends_at": _parse(conference["ends_at"]),
        "approved_at": _parse(snapshot["minutes"]["approved_at"]),
        "date_of_birth": dt.date.fromisoformat(snapshot["detainee"]["date_of_birth"])
        if snapshot["detainee"]["date_of_birth"]
        else None,
        "fingerprint": minutes.fingerprint,
        "conference_url": absolute_reverse("casusoverleg:detail", args=[minutes.conference_id]),
        "verify_url": absolute_reverse("casusoverleg:verify_copy"),
        "actions": [{**a, "due_on": dt.date.fromisoformat(a["due_on"])} for a in snapshot["actions"]],
        "recipient": recipient,
        "organisation": organisation,
        "printed_at": timezone.localtime(),
        "stylesheet": _stylesheet(),
    }
    return render_to_string("casusoverleg/pdf/minutes.html", context)


def render_minutes_pdf(
    minutes: Minutes, *, recipient: str, organisation: str = "", language: str | None = None
) -> bytes:
    """PDF bytes of one recipient's copy of approved minutes, in `language` (the reader's)."""
    if not minutes.is_approved or not minutes.snapshot:
        raise ValueError("only approved minutes are rendered")
    return render_pdf(minutes_html(minutes, recipient=recipient, organisation=organisation, language=language))
