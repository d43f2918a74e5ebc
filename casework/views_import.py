"""Import of the in-scope list in the browser, in two steps (managers only).

1. Upload: the whole file is checked (a dry run of the real import, rolled back) and the report is
   shown: per-row errors, and how many files would be created, updated or left unchanged.
2. Confirm: the same file (kept in the user's session between the steps, never on disk) is imported,
   all rows, or, when some rows are wrong and the manager chooses so, only the valid rows.
"""

from __future__ import annotations

import base64
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import importer
from .services_import import ALL_OR_NOTHING, VALID_ROWS_ONLY, detainees_import

PENDING_KEY = "casework_import_pending"

COLUMN_HELP = [
    ("external_ref", True, gettext_lazy("Referentie op de in-scopelijst; sleutel bij een nieuwe import (max. 40 tekens).")),
    ("last_name", True, gettext_lazy("Familienaam (max. 100 tekens).")),
    ("first_name", True, gettext_lazy("Voornaam (max. 100 tekens).")),
    ("date_of_birth", False, gettext_lazy("Geboortedatum.")),
    ("national_number", False, gettext_lazy("Rijksregisternummer, met of zonder punten en streepjes.")),
    ("prison", True, gettext_lazy("Code van de gevangenis, bv. hasselt, brugge, sint-gillis.")),
    ("legal_status", True, gettext_lazy("accused, convicted of interned.")),
    ("incarcerated_on", False, gettext_lazy("Datum van opsluiting.")),
    ("leave_eligible_on", False, gettext_lazy("Toelaatbaarheidsdatum penitentiair verlof.")),
    ("conditional_release_eligible_on", False, gettext_lazy("Toelaatbaarheidsdatum voorwaardelijke invrijheidstelling.")),
    ("sentence_ends_on", False, gettext_lazy("Strafeinde.")),
    ("listing_category", True, gettext_lazy("ftf, htf, hate_propagandist, pve of terrorism_convict.")),
    ("threat_level", True, gettext_lazy("Dreigingsniveau 1 tot 4.")),
    ("listed_on", True, gettext_lazy("Datum van opname in de gemeenschappelijke gegevensbank.")),
]
SAMPLE_ROW = [
    "EPI-2024-0117", "El Amrani", "Youssef", "14/03/1995", "95.03.14-123.18", "hasselt", "convicted", "10/01/2023",
    "01/06/2027", "01/01/2028", "10/01/2031", "terrorism_convict", "2", "01/05/2022",
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-bestand"),
        help_text=gettext_lazy("UTF-8, scheidingsteken ';' of ','; de eerste regel bevat de kolomnamen."),
    )


def _require_import_right(user) -> None:
    if not user.has_perm("casework.import_detainees"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def detainee_import(request):
    """Step 1: upload and check; nothing is written."""
    _require_import_right(request.user)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(importer.max_bytes() + 1)
        result = detainees_import(user=request.user, content=content, mode=ALL_OR_NOTHING, dry_run=True)
        token = ""
        request.session.pop(PENDING_KEY, None)
        if result.parsed.valid_rows and not result.parsed.file_errors:
            token = secrets.token_urlsafe(16)
            request.session[PENDING_KEY] = {
                "token": token, "name": upload.name[:200], "content": base64.b64encode(content).decode("ascii"),
            }
        return render(request, "casework/import/report.html", {
            "result": result, "token": token, "file_name": upload.name, "step": "check",
        })
    return render(request, "casework/import/upload.html", {
        "form": form, "columns": COLUMN_HELP, "max_rows": importer.max_rows(),
    })


@login_required
@require_POST
def detainee_import_confirm(request):
    """Step 2: import the checked file, all rows or only the valid ones."""
    _require_import_right(request.user)
    pending = request.session.get(PENDING_KEY)
    if not pending or request.POST.get("token") != pending.get("token"):
        messages.warning(request, _("Deze import is niet meer beschikbaar. Laad het bestand opnieuw op."))
        return redirect("casework:detainee_import")
    mode = VALID_ROWS_ONLY if request.POST.get("mode") == VALID_ROWS_ONLY else ALL_OR_NOTHING
    content = base64.b64decode(pending["content"])
    result = detainees_import(user=request.user, content=content, mode=mode)
    if result.applied:
        # The result page says what was imported; the pending file is gone so a repost cannot repeat it.
        request.session.pop(PENDING_KEY, None)
    # Not applied: the data changed since the check (e.g. a reference taken meanwhile); show why.
    return render(request, "casework/import/report.html", {
        "result": result, "token": "" if result.applied else pending["token"], "file_name": pending["name"],
        "step": "done" if result.applied else "check",
    })


@login_required
def detainee_import_sample(request):
    """A CSV with the expected header and one fictional row, to start from."""
    _require_import_right(request.user)
    lines = [";".join(importer.COLUMNS), ";".join(SAMPLE_ROW)]
    response = HttpResponse("\ufeff" + "\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="in-scopelijst-voorbeeld.csv"'
    return response
