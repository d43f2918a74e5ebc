"""Data-protection pages: a file's disclosure log (case staff), and for the dpo the disclosure log,
the access review, retention and the subject-access export. Thin: parse, call one service, render.

The dpo never sees case content here: files appear by number, logs by who/when/what kind.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.csv_export import csv_response
from config.keyset import CURSOR_PARAM, keyset_page

from ..access import access_log_record, client_ip, get_detainee_for_user
from ..models import AccessLog, Detainee, Disclosure, RetentionRecord
from ..views.file import render_file_page
from . import selectors, services
from .forms import AccessReviewFilterForm, DisclosureFilterForm, LegalHoldForm, RefusalFilterForm, SubjectLookupForm

PAGE_SIZE = 50


def _require(request, perm: str) -> None:
    """Pages of the dpo answer 404 to everyone else (no existence leak, like every other page)."""
    if not request.user.has_perm(perm):
        raise Http404


# --- Per file (case staff) ------------------------------------------------------------------------------


@login_required
def file_disclosures(request, pk):
    detainee = get_detainee_for_user(request.user, pk, perm="casework.view_disclosures")
    disclosures = (
        Disclosure.objects.visible_to(request.user)
        .filter(detainee=detainee)
        .select_related("recipient_organisation", "disclosed_by")
        .order_by("-disclosed_at", "-pk")
    )
    page = Paginator(disclosures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_file_page(
        request,
        detainee,
        tab="disclosures",
        template="privacy/tab_disclosures.html",
        context={"page": page},
        object_kind="disclosures",
    )


# --- Disclosure log (dpo) --------------------------------------------------------------------------------


@login_required
def disclosure_log(request):
    _require(request, "casework.review_logs")
    form = DisclosureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    disclosures = selectors.disclosures_for_review(**filters)
    if request.GET.get("format") == "csv":
        access_log_record(request, detainee=None, object_kind="disclosure_log", action=AccessLog.Action.EXPORT)
        return csv_response(
            _("verstrekkingen") + f"-{timezone.localdate():%Y%m%d}.csv",
            (
                [
                    timezone.localtime(d.disclosed_at).isoformat(timespec="minutes"),
                    d.detainee_id,
                    d.recipient_name,
                    str(d.recipient_organisation or ""),
                    d.get_purpose_display(),
                    d.get_basis_display(),
                    d.consent_id or "",
                    d.legal_reference,
                    d.display_what,
                    str(d.disclosed_by or ""),
                    d.file_sha256,
                ]
                for d in disclosures.iterator()
            ),
            header=[
                _("tijdstip"),
                _("dossier"),
                _("ontvanger"),
                _("organisatie"),
                _("doeleinde"),
                _("grondslag"),
                _("toestemming"),
                _("referentie"),
                _("wat"),
                _("door"),
                _("sha256"),
            ],
        )
    access_log_record(request, detainee=None, object_kind="disclosure_log", action=AccessLog.Action.VIEW)
    page = Paginator(disclosures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/disclosure_log.html", {"form": form, "page": page})


# --- Access review (dpo) ----------------------------------------------------------------------------------


@login_required
def access_review(request):
    _require(request, "casework.review_logs")
    form = AccessReviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.access_log_for_review(**filters)
    # The review is itself a read of who-read-what: it is logged before the answer is built.
    exporting = request.GET.get("format") == "csv"
    access_log_record(
        request,
        detainee=None,
        object_kind="access_review",
        action=AccessLog.Action.EXPORT if exporting else AccessLog.Action.VIEW,
    )
    if exporting:
        return csv_response(
            _("raadplegingen") + f"-{timezone.localdate():%Y%m%d}.csv",
            (
                [
                    timezone.localtime(e.at).isoformat(timespec="seconds"),
                    e.user.username,
                    e.user.get_role_display(),
                    str(e.user.organisation or ""),
                    e.detainee_id or "",
                    e.object_label,
                    e.object_kind,
                    e.object_id,
                    e.get_action_display(),
                    e.ip_address or "",
                ]
                for e in entries.iterator()
            ),
            header=[
                _("tijdstip"),
                _("gebruiker"),
                _("rol"),
                _("organisatie"),
                _("dossier"),
                _("onderdeel"),
                _("code"),
                _("object"),
                _("actie"),
                _("adres"),
            ],
        )
    # Keyset pages (config/keyset.py): the log grows by every read, it is never counted.
    page = keyset_page(
        entries, time_field="at", cursor=request.GET.get(CURSOR_PARAM), size=PAGE_SIZE, query=request.GET.dict()
    )
    return render(request, "privacy/access_review.html", {"form": form, "page": page})


# --- Refused accesses (dpo) ------------------------------------------------------------------------------


@login_required
def refusal_review(request):
    """404s and 403s on routes that name an object (casework/refusals.py), filtered; CSV export."""
    _require(request, "casework.review_logs")
    form = RefusalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.refusals_for_review(**filters)
    exporting = request.GET.get("format") == "csv"
    access_log_record(
        request,
        detainee=None,
        object_kind="refusal_review",
        action=AccessLog.Action.EXPORT if exporting else AccessLog.Action.VIEW,
    )
    if exporting:
        return csv_response(
            _("geweigerde-toegangen") + f"-{timezone.localdate():%Y%m%d}.csv",
            (
                [
                    timezone.localtime(e.at).isoformat(timespec="seconds"),
                    e.user.username,
                    e.user.get_role_display(),
                    str(e.user.organisation or ""),
                    e.route,
                    e.object_id,
                    " ".join(f"{k}={v}" for k, v in sorted(e.params.items())),
                    e.method,
                    e.status,
                    e.ip_address or "",
                    "1" if e.burst_alert else "",
                ]
                for e in entries.iterator()
            ),
            header=[
                _("tijdstip"),
                _("gebruiker"),
                _("rol"),
                _("organisatie"),
                _("route"),
                _("object"),
                _("parameters"),
                _("methode"),
                _("antwoord"),
                _("adres"),
                _("piek"),
            ],
        )
    # Keyset pages (config/keyset.py): the log grows by every read, it is never counted.
    page = keyset_page(
        entries, time_field="at", cursor=request.GET.get(CURSOR_PARAM), size=PAGE_SIZE, query=request.GET.dict()
    )
    return render(request, "privacy/refusal_review.html", {"form": form, "page": page})


# --- Retention (dpo) ------------------------------------------------------------------------------------------


@login_required
def retention(request):
    _require(request, "casework.run_retention")
    overview = selectors.retention_overview()
    records = RetentionRecord.objects.select_related("run_by").order_by("-anonymised_at")[:20]
    return render(
        request,
        "privacy/retention.html",
        {
            **overview,
            "records": records,
            "retention_years": settings.DISENGAGE_RETENTION_YEARS,
        },
    )


@login_required
@require_POST
def retention_run(request):
    _require(request, "casework.run_retention")
    run = services.retention_run(user=request.user)
    if run.anonymised:
        messages.success(request, _("%(count)s dossier(s) geanonimiseerd.") % {"count": len(run.anonymised)})
    else:
        messages.info(request, _("Er was geen dossier te anonimiseren."))
    for detainee_id, reason in run.skipped:
        messages.warning(request, _("Dossier #%(id)s overgeslagen: %(reason)s") % {"id": detainee_id, "reason": reason})
    return redirect("privacy:retention")


@login_required
@require_POST
def retention_anonymise(request, pk):
    _require(request, "casework.run_retention")
    try:
        services.detainee_anonymise(detainee_id=_existing_detainee_id(pk), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Dossier #%(id)s is geanonimiseerd.") % {"id": pk})
    return redirect("privacy:retention")


@login_required
@require_POST
def legal_hold(request, pk):
    _require(request, "casework.run_retention")
    detainee = Detainee.objects.filter(pk=_existing_detainee_id(pk)).first()
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies of de bewaring start of stopt."))
        return redirect("privacy:retention")
    try:
        services.legal_hold_set(
            detainee=detainee, user=request.user, hold=form.cleaned_data["hold"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Juridische bewaring van dossier #%(id)s bijgewerkt.") % {"id": pk})
    if request.POST.get("back") == "subject":
        return redirect("privacy:subject_access_detail", pk=pk)
    return redirect("privacy:retention")


def _existing_detainee_id(pk) -> int:
    if not Detainee.objects.filter(pk=pk).exists():
        raise Http404
    return int(pk)


# --- Subject-access export (dpo) ------------------------------------------------------------------------------


@login_required
def subject_access(request):
    """Find the file a subject-access request is about among all files: by file number, national number or
    list reference, else by name (accents and typos forgiven) and date of birth with the caseload's search."""
    _require(request, "casework.export_subject_access")
    form = SubjectLookupForm(request.GET or None)
    if not form.is_bound:
        return render(request, "privacy/subject_access.html", {"form": form})
    valid = form.is_valid()
    # A search shows names and dates of birth: it is a read like any other (the query itself is not kept, it
    # may hold a national number).
    access_log_record(request, detainee=form.cleaned_data["detainee"] if valid else None, object_kind="subject_lookup")
    if valid:
        return redirect("privacy:subject_access_detail", pk=form.cleaned_data["detainee"].pk)
    return render(request, "privacy/subject_access.html", {"form": form})


@login_required
def subject_access_detail(request, pk):
    _require(request, "casework.export_subject_access")
    detainee = Detainee.objects.filter(pk=pk).first()
    if detainee is None:
        raise Http404
    exports = Disclosure.objects.filter(detainee=detainee, object_kind="subject_access").select_related("disclosed_by")
    record = RetentionRecord.objects.filter(detainee=detainee).first()
    return render(
        request, "privacy/subject_access_detail.html", {"detainee": detainee, "exports": exports, "record": record}
    )


@login_required
@require_POST
def subject_access_download(request, pk):
    """One archive with the JSON and the PDF; one Disclosure and one AccessLog row per download."""
    _require(request, "casework.export_subject_access")
    detainee = (
        Detainee.objects.filter(pk=pk).select_related("current_prison", "organisation", "lead_consultant").first()
    )
    if detainee is None:
        raise Http404
    try:
        export = services.subject_access_export(
            detainee=detainee,
            user=request.user,
            path=request.path,
            ip_address=client_ip(request),
            language=request.POST.get("language") or None,
        )
    except ValidationError as error:
        if "language" in getattr(error, "error_dict", {}):
            return HttpResponseBadRequest(" ".join(error.messages))
        raise PermissionDenied(" ".join(error.messages)) from None
    buffer = io.BytesIO()
    stamp = timezone.localdate().strftime("%Y%m%d")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"inzage-dossier-{pk}-{stamp}.json", export.json_bytes)
        archive.writestr(f"inzage-dossier-{pk}-{stamp}.pdf", export.pdf_bytes)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="inzage-dossier-{pk}-{stamp}.zip"'
    return response
