"""Report pages. Thin: check the role, ask the selectors for the figures, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Session
from config.db_router import reporting_view
from trajectories.models import Status
from trajectories.selectors import partner_referral_dashboard

from . import director, drilldown, selectors

PAGE_SIZE = 50


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
@reporting_view
def manager_dashboard(request):
    _require(request, "reporting.view_manager_dashboard")
    figures = selectors.manager_dashboard(request.user)
    months = figures["months"]
    chart = {
        "months": [m.month.strftime("%m/%Y") for m in months],
        "attended": [m.attended for m in months],
        "not_attended": [m.not_attended for m in months],
        "mix_labels": [str(label) for label in Session.Attendance.labels],
        "mix": [figures["attendance_mix"][value] for value in Session.Attendance.values],
        "domain_labels": [d.name for d in figures["domains"]],
        "domain_percent": [d.percent or 0 for d in figures["domains"]],
        # The charts' words, translated here: static/js/reporting.js has no language of its own.
        "text": {
            "attended": _("Doorgegaan"),
            "not_attended": _("Niet doorgegaan"),
            "sessions": _("Contactmomenten"),
            "domain_percent": _("Aandeel actieve trajecten met een doel"),
        },
    }
    mix = [(value, label, figures["attendance_mix"][value]) for value, label in Session.Attendance.choices]
    mix_total = sum(n for _, _, n in mix)
    return render(
        request,
        "reporting/manager_dashboard.html",
        {
            **figures,
            "chart": chart,
            "mix": mix,
            "mix_total": mix_total,
            "caseload_totals": _caseload_totals(figures),
            # Referrals to partners: status and waiting time per organisation (ADR 0034), one query.
            "partner_referrals": partner_referral_dashboard(request.user),
        },
    )


def _caseload_totals(figures) -> dict:
    rows = figures["caseload"]
    unassigned = figures["trajectories"].open_unassigned
    per_status = [sum(getattr(r, s) for r in rows) + unassigned[s] for s in selectors.CASELOAD_STATUSES]
    return {
        "cells": per_status,
        "total": sum(per_status),
        "unassigned_cells": list(unassigned.items()),
        "unassigned_total": sum(unassigned.values()),
    }


@login_required
@reporting_view
def figure_list(request, figure: str):
    _require(request, "reporting.view_manager_dashboard")
    try:
        result = drilldown.figure_list(request.user, figure, request.GET)
    except drilldown.BadFilter:
        raise Http404 from None
    page = Paginator(result.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/figure_list.html",
        {
            "result": result,
            "page": page,
            "today": timezone.localdate(),
        },
    )


@login_required
@reporting_view
def director_dashboard(request):
    _require(request, "reporting.view_director_dashboard")
    prisons = director.prisons_summary(request.user)
    prison_code = request.GET.get("gevangenis") or None
    if prison_code and prison_code not in {p.code for p in prisons}:
        raise Http404
    page = Paginator(director.detainee_rows(request.user, prison_code), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.trajectory_status_label = Status(row.trajectory_status).label if row.trajectory_status else ""
    return render(
        request,
        "reporting/director_dashboard.html",
        {
            "prisons": prisons,
            "prison_code": prison_code,
            "page": page,
            "in_scope_total": sum(p.in_scope for p in prisons),
            "deadlines": director.pre_leave_deadlines(request.user),
            "today": timezone.localdate(),
        },
    )


def _year(request) -> int:
    from . import yearly

    try:
        return yearly.parse_year(request.GET.get("jaar") or request.GET.get("year"))
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
@reporting_view
def yearly_page(request):
    from accounts.documents import language_choices

    from . import yearly

    _require(request, "reporting.view_yearly")
    year = _year(request)
    report = yearly.yearly_report(request.user, year)
    this_year = timezone.localdate().year
    # The published cells, each with the list behind it for the team (the exact rows, never in a file).
    base = reverse("reporting:figure_list", args=["yearly"])
    tables = [
        (table, [(row, [(cell, _drill_url(base, cell.key)) for cell in row.cells]) for row in table.rows])
        for table in yearly.tables(report)
    ]
    return render(
        request,
        "reporting/yearly.html",
        {
            "report": report,
            "tables": tables,
            "notes": yearly.notes(),
            "years": list(range(this_year, this_year - 10, -1)),
            "formats": [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF")],
            "languages": language_choices(),
        },
    )


def _drill_url(base: str, key) -> str:
    if key is None:
        return ""
    measure, year, dims = key
    return f"{base}?{urlencode({'measure': measure, 'year': year, **dict(dims)})}"


@login_required
@reporting_view
def yearly_export(request, fmt: str):
    from django.core.exceptions import ValidationError
    from django.http import HttpResponse, HttpResponseBadRequest
    from django.utils import translation

    from accounts.documents import document_language
    from casework.access import access_log_record
    from casework.models import AccessLog

    from . import exports, yearly

    _require(request, "reporting.view_yearly")
    if fmt not in exports.FORMATS:
        raise Http404
    year = _year(request)
    # The file is made in the language chosen on the page (default the reader's own); any other is a 400.
    try:
        language = document_language(request.GET.get("taal"), default=request.user.language)
    except ValidationError as error:
        return HttpResponseBadRequest(
            " ".join(str(m) for m in error.message_dict["language"]), content_type="text/plain; charset=utf-8"
        )
    report = yearly.yearly_report(request.user, year)
    with translation.override(language):
        body = exports.render(report, fmt, made_by=request.user)
    # Aggregates only, but still a copy of figures leaving the application: the read is recorded.
    access_log_record(
        request, detainee=None, object_kind="yearly_report", object_id=f"{year}.{fmt}", action=AccessLog.Action.EXPORT
    )
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="jaarcijfers-{year}.{fmt}"'
    return response


def _research_recipients(user):
    """Organisations holding a research consent in force on one of the manager's files."""
    from accounts.models import Organisation
    from casework.models import Consent, Purpose

    consents = Consent.objects.active().filter(
        detainee__organisation_id=user.organisation_id, purposes__contains=[Purpose.RESEARCH]
    )
    return Organisation.objects.filter(pk__in=consents.values("organisation_id")).order_by("name")


@login_required
def research_extracts(request):
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from . import services
    from .models import ResearchExtract

    _require(request, "reporting.view_research_extracts")
    user = request.user
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "request":
                _require(request, "reporting.request_research_extract")
                recipient = _research_recipients(user).filter(pk=_int(request.POST.get("recipient"))).first()
                if recipient is None:
                    raise ValidationError(
                        {"recipient": [_("Kies een organisatie met een toestemming voor onderzoek.")]}
                    )
                services.research_extract_request(user=user, recipient=recipient, study=request.POST.get("study", ""))
            elif action in ("approve", "refuse", "release"):
                _require(request, "reporting.decide_research_extract")
                extract = ResearchExtract.objects.visible_to(user).filter(pk=_int(request.POST.get("extract"))).first()
                if extract is None:
                    raise Http404
                getattr(services, f"research_extract_{action}")(user=user, extract=extract)
            else:
                raise ValidationError({"action": [_("Onbekende handeling.")]})
            return redirect("reporting:research_extracts")
        except ValidationError as error:
            errors = [m for messages in error.message_dict.values() for m in messages]
    extracts = (
        ResearchExtract.objects.visible_to(user)
        .select_related("recipient", "organisation", "requested_by", "decided_by")
        .defer("data_csv", "codebook_csv", "included")[:100]
    )
    return render(
        request,
        "reporting/research.html",
        {
            "extracts": extracts,
            "errors": errors,
            "recipients": _research_recipients(user) if user.is_manager else [],
            "study": request.POST.get("study", "") if errors else "",
        },
        status=400 if errors else 200,
    )


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


@login_required
def research_extract_file(request):
    from casework.access import access_log_record
    from casework.models import AccessLog
    from config.csv_export import csv_download

    from .models import ResearchExtract

    _require(request, "reporting.view_research_extracts")
    part = request.GET.get("part", "data")
    if part not in ("data", "codebook"):
        raise Http404
    extract = (
        ResearchExtract.objects.visible_to(request.user)
        .filter(pk=_int(request.GET.get("extract")), status=ResearchExtract.Status.RELEASED)
        .first()
    )
    if extract is None:
        raise Http404
    access_log_record(
        request,
        detainee=None,
        object_kind="research_extract",
        object_id=f"{extract.pk}.{part}",
        action=AccessLog.Action.EXPORT,
    )
    body = extract.data_csv if part == "data" else extract.codebook_csv
    name = "onderzoeksextract" if part == "data" else "codeboek"
    return csv_download(f"{name}-{extract.pk}.csv", body)
