"""Import of the in-scope list in the browser, in three steps (managers only).

1. Upload: the file is read (CSV or XLSX) and the mapping step shows how each column was understood
   (the organisation's last choice, else the column names in nl/fr/en), with sample values, and lets
   the manager correct it. Nothing is checked or written yet.
2. Check: the chosen mapping is remembered for the organisation's next upload, and the whole file is
   checked under it (a dry run of the real import, rolled back): per-row errors, notices (ignored
   columns, collapsed duplicate rows), and how many files would be created, updated or left unchanged.
3. Confirm: the same file (kept in the user's session between the steps, never on disk) is imported,
   all rows, or, when some rows are wrong and the manager chooses so, only the valid rows.
"""

from __future__ import annotations

import base64
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.csv_export import csv_download, csv_text

from . import import_vocabulary, importer
from .access import get_detainee_for_user
from .services_import import (
    ALL_OR_NOTHING,
    VALID_ROWS_ONLY,
    detainees_import,
    import_mapping_remember,
    remembered_mapping,
)
from .services_import import detainee_delist as detainee_delist_service

PENDING_KEY = "casework_import_pending"

COLUMN_HELP = [
    (
        "external_ref",
        True,
        gettext_lazy("Referentie op de in-scopelijst; sleutel bij een nieuwe import (max. 40 tekens)."),
    ),
    ("last_name", True, gettext_lazy("Familienaam (max. 100 tekens).")),
    ("first_name", True, gettext_lazy("Voornaam (max. 100 tekens).")),
    ("date_of_birth", False, gettext_lazy("Geboortedatum.")),
    ("national_number", False, gettext_lazy("Rijksregisternummer, met of zonder punten en streepjes.")),
    ("prison", True, gettext_lazy("Naam of code van de gevangenis, bv. Hasselt, Sint-Gillis, Saint-Gilles.")),
    (
        "legal_status",
        True,
        gettext_lazy("Beklaagde, Veroordeelde, Geïnterneerde (of in het Frans of Engels, of de code)."),
    ),
    ("incarcerated_on", False, gettext_lazy("Datum van opsluiting.")),
    ("leave_eligible_on", False, gettext_lazy("Toelaatbaarheidsdatum penitentiair verlof.")),
    (
        "conditional_release_eligible_on",
        False,
        gettext_lazy("Toelaatbaarheidsdatum voorwaardelijke invrijheidstelling."),
    ),
    ("sentence_ends_on", False, gettext_lazy("Strafeinde.")),
    (
        "listing_category",
        False,
        gettext_lazy("Categorie zoals de interface ze toont (bv. Haatpropagandist, PGE, FTF) of de code."),
    ),
    ("threat_level", False, gettext_lazy("Dreigingsniveau 1 tot 4.")),
    ("listed_on", False, gettext_lazy("Datum van opname in de gemeenschappelijke gegevensbank.")),
]
SAMPLE_ROW = [
    "EPI-2024-0117",
    "El Amrani",
    "Youssef",
    "14/03/1995",
    "95.03.14-123.18",
    "hasselt",
    "convicted",
    "10/01/2023",
    "01/06/2027",
    "01/01/2028",
    "10/01/2031",
    "terrorism_convict",
    "2",
    "01/05/2022",
]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV- of XLSX-bestand"),
        help_text=gettext_lazy(
            "CSV (scheidingsteken ';', ',' of tab; UTF-8 of Windows-1252) of Excel-werkmap (.xlsx); "
            "de eerste regel bevat de kolomnamen."
        ),
    )


def _require_import_right(user) -> None:
    if not user.has_perm("casework.import_detainees"):
        raise PermissionDenied


def _field_choices() -> list[tuple[str, str]]:
    return [
        ("", _("— negeren —")),
        *((code, f"{label} ({code})") for code, _required, label in import_vocabulary.FIELDS),
    ]


def _pending(request) -> dict | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or request.POST.get("token") != pending.get("token"):
        return None
    return pending


def _gone(request):
    messages.warning(request, _("Deze import is niet meer beschikbaar. Laad het bestand opnieuw op."))
    return redirect("casework:detainee_import")


def _report(request, result, *, pending: dict, step: str):
    return render(
        request,
        "casework/import/report.html",
        {
            "result": result,
            "token": pending["token"] if step == "check" else "",
            "file_name": pending["name"],
            "step": step,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def detainee_import(request):
    """Step 1: upload; the file is read and its columns shown for the mapping. Nothing is written."""
    _require_import_right(request.user)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(importer.max_bytes() + 1)
        request.session.pop(PENDING_KEY, None)
        table, refused = importer.read_upload(content)
        if refused is not None:
            result = detainees_import(user=request.user, content=content, mode=ALL_OR_NOTHING, dry_run=True)
            return render(
                request,
                "casework/import/report.html",
                {
                    "result": result,
                    "token": "",
                    "file_name": upload.name,
                    "step": "check",
                },
            )
        token = secrets.token_urlsafe(16)
        request.session[PENDING_KEY] = {
            "token": token,
            "name": upload.name[:200],
            "content": base64.b64encode(content).decode("ascii"),
        }
        columns = importer.propose_mapping(table, remembered=remembered_mapping(request.user.organisation_id))
        return render(
            request,
            "casework/import/mapping.html",
            {
                "token": token,
                "file_name": upload.name,
                "columns": columns,
                "read_as": table.description,
                "row_count": len(table.rows),
                "field_choices": _field_choices(),
                "required": [import_vocabulary.FIELD_LABELS[code] for code in import_vocabulary.REQUIRED_FIELDS],
            },
        )
    return render(
        request,
        "casework/import/upload.html",
        {
            "form": form,
            "columns": COLUMN_HELP,
            "max_rows": importer.max_rows(),
        },
    )


@login_required
@require_POST
def detainee_import_check(request):
    """Step 2: the mapping as the manager confirmed (or corrected) it; the whole file is checked under it."""
    _require_import_right(request.user)
    pending = _pending(request)
    if pending is None:
        return _gone(request)
    content = base64.b64decode(pending["content"])
    table, refused = importer.read_upload(content)
    if refused is not None:
        return _gone(request)
    choices = {}
    for index, header in enumerate(table.header):
        value = request.POST.get(f"column-{index}", "")
        choices[header] = value if value in import_vocabulary.FIELD_CODES else ""
    columns, errors = importer.mapping_from_choices(table, choices)
    if not errors:
        import_mapping_remember(user=request.user, columns=columns)
    pending["choices"] = choices
    request.session[PENDING_KEY] = pending
    result = detainees_import(user=request.user, content=content, mode=ALL_OR_NOTHING, dry_run=True, choices=choices)
    return _report(request, result, pending=pending, step="check")


@login_required
@require_POST
def detainee_import_confirm(request):
    """Step 3: import the checked file, all rows or only the valid ones."""
    _require_import_right(request.user)
    pending = _pending(request)
    if pending is None or "choices" not in pending:
        return _gone(request)
    mode = VALID_ROWS_ONLY if request.POST.get("mode") == VALID_ROWS_ONLY else ALL_OR_NOTHING
    content = base64.b64decode(pending["content"])
    result = detainees_import(user=request.user, content=content, mode=mode, choices=pending["choices"])
    if result.applied:
        # The result page says what was imported; the pending file is gone so a repost cannot repeat it.
        request.session.pop(PENDING_KEY, None)
    # Not applied: the data changed since the check (e.g. a reference taken meanwhile); show why.
    return _report(request, result, pending=pending, step="done" if result.applied else "check")


@login_required
@require_POST
def detainee_delist(request, pk):
    """One action from the reconciliation list: the person left the in-scope list (listings end today,
    the file is no longer followed). Managers of the file's organisation only."""
    _require_import_right(request.user)
    detainee = get_detainee_for_user(request.user, pk)
    try:
        detainee_delist_service(detainee=detainee, user=request.user, delisted_on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is geschrapt van de in-scopelijst en niet langer in opvolging.") % {"name": detainee.full_name},
        )
    if request.htmx:
        return render(request, "casework/import/_absent_row.html", {"detainee": detainee, "done": True})
    return redirect("casework:detainee_detail", pk=detainee.pk)


@login_required
def detainee_import_sample(request):
    """A CSV with the expected header and one fictional row, to start from."""
    _require_import_right(request.user)
    return csv_download("in-scopelijst-voorbeeld.csv", csv_text([importer.COLUMNS, SAMPLE_ROW]))
