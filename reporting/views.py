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
from trajectories.models import Status

from . import director, drilldown, selectors

PAGE_SIZE = 50


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
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
            "attended": _("Doorgegaan"), "not_attended": _("Niet doorgegaan"), "sessions": _("Contactmomenten"),
            "domain_percent": _("Aandeel actieve trajecten met een doel"),
        },
    }
    mix = [(value, label, figures["attendance_mix"][value]) for value, label in Session.Attendance.choices]
    mix_total = sum(n for _, _, n in mix)
    return render(request, "reporting/manager_dashboard.html", {
        **figures, "chart": chart, "mix": mix, "mix_total": mix_total,
        "caseload_totals": _caseload_totals(figures),
    })


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
def figure_list(request, figure: str):
    _require(request, "reporting.view_manager_dashboard")
    try:
        result = drilldown.figure_list(request.user, figure, request.GET)
    except drilldown.BadFilter:
        raise Http404 from None
    page = Paginator(result.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/figure_list.html", {
        "result": result, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
    })


@login_required
def director_dashboard(request):
    _require(request, "reporting.view_director_dashboard")
    prisons = director.prisons_summary(request.user)
    prison_code = request.GET.get("gevangenis") or None
    if prison_code and prison_code not in {p.code for p in prisons}:
        raise Http404
    page = Paginator(director.detainee_rows(request.user, prison_code), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.trajectory_status_label = Status(row.trajectory_status).label if row.trajectory_status else ""
    return render(request, "reporting/director_dashboard.html", {
        "prisons": prisons, "prison_code": prison_code, "page": page,
        "pager_query": f"gevangenis={prison_code}" if prison_code else "",
        "in_scope_total": sum(p.in_scope for p in prisons),
        "deadlines": director.pre_leave_deadlines(request.user),
        "today": timezone.localdate(),
    })


def _year(request) -> int:
    from . import yearly

    try:
        return yearly.parse_year(request.GET.get("jaar") or request.GET.get("year"))
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def yearly_page(request):
    from . import yearly

    _require(request, "reporting.view_yearly")
    year = _year(request)
    report = yearly.yearly_report(request.user, year)
    this_year = timezone.localdate().year
    # The published cells, each with the list behind it for the team (the exact rows, never in a file).
    base = reverse("reporting:figure_list", args=["yearly"])
    tables = [(table, [(row, [(cell, _drill_url(base, cell.key)) for cell in row.cells]) for row in table.rows])
              for table in yearly.tables(report)]
    return render(request, "reporting/yearly.html", {
        "report": report,
        "tables": tables,
        "notes": yearly.notes(),
        "years": list(range(this_year, this_year - 10, -1)),
        "formats": [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF")],
    })


def _drill_url(base: str, key) -> str:
    if key is None:
        return ""
    measure, year, dims = key
    return f"{base}?{urlencode({'measure': measure, 'year': year, **dict(dims)})}"


@login_required
def yearly_export(request, fmt: str):
    from django.http import HttpResponse

    from casework.access import access_log_record
    from casework.models import AccessLog

    from . import exports, yearly

    _require(request, "reporting.view_yearly")
    if fmt not in exports.FORMATS:
        raise Http404
    year = _year(request)
    report = yearly.yearly_report(request.user, year)
    body = exports.render(report, fmt)
    # Aggregates only, but still a copy of figures leaving the application: the read is recorded.
    access_log_record(request, detainee=None, object_kind="yearly_report", object_id=f"{year}.{fmt}",
                      action=AccessLog.Action.EXPORT)
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="jaarcijfers-{year}.{fmt}"'
    return response
