"""The court's conditions page of a trajectory in aftercare (ADR 0042). Thin: fetch through the access functions,
parse, call one service, render. Work of the case staff of the file: anyone else gets a 404 (no existence leak).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from casework.access import access_log_record
from casework.models import AccessLog, Basis, Consent, Purpose
from config.forms import service_errors_as_messages

from .forms_court import CourtConditionForm, CourtReportForm, ReportingDeadlineForm
from .forms_release import add_service_errors
from .models import Status
from .models_court import CourtCondition, CourtReport, ReportingDeadline
from .models_release import Release
from .services import court as services_court
from .views_release import _flatten, _work_trajectory


def _release(trajectory):
    return Release.objects.filter(trajectory=trajectory).first()


def _conditions(release):
    reports = CourtReport.objects.select_related("recipient_organisation", "written_by")
    deadlines = ReportingDeadline.objects.select_related("recipient_organisation")
    return list(
        CourtCondition.objects.filter(release=release)
        .select_related("supervising_organisation", "recorded_by")
        .prefetch_related(Prefetch("deadlines", queryset=deadlines), Prefetch("reports", queryset=reports))
    )


def _mark_report_bases(conditions, consented: set[int]) -> None:
    """For each condition the bodies a report may go to now, each with its basis (no query: `consented` holds the
    organisations a handover consent is in force for)."""
    for condition in conditions:
        targets = {condition.supervising_organisation_id: condition.supervising_organisation}
        for deadline in condition.deadlines.all():
            targets.setdefault(deadline.recipient_organisation_id, deadline.recipient_organisation)
        condition.report_targets = []
        for organisation_id, organisation in targets.items():
            if organisation_id in consented:
                condition.report_targets.append((organisation, Basis.CONSENT.label))
            elif condition.reporting_mandate:
                condition.report_targets.append((organisation, _("opdracht van de rechtbank")))
        for report in condition.reports.all():
            report.shareable = report.basis != Basis.CONSENT or report.recipient_organisation_id in consented


@login_required
def court_conditions(request, pk):
    """The conditions of the sentence enforcement court on the release, their deadlines and reports; POST records
    a new condition."""
    trajectory = _work_trajectory(request, pk, write=request.method == "POST")
    release = _release(trajectory)
    form = CourtConditionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if release is None:
            form.add_error(None, _("Voor dit traject is nog geen vrijlating geregistreerd."))
        elif form.is_valid():
            try:
                services_court.court_condition_record(release=release, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Voorwaarde van de rechtbank vastgelegd."))
                return redirect(services_court.conditions_url(trajectory.pk))
    conditions = _conditions(release) if release is not None else []
    consented = set(
        Consent.objects.active()
        .filter(detainee_id=trajectory.detainee_id, purposes__contains=[Purpose.HANDOVER])
        .values_list("organisation_id", flat=True)
    )
    _mark_report_bases(conditions, consented)
    access_log_record(request, detainee=trajectory.detainee, object_kind="court_conditions", object_id=trajectory.pk)
    return render(
        request,
        "trajectories/court/conditions.html",
        {
            "trajectory": trajectory,
            "detainee": trajectory.detainee,
            "release": release,
            "conditions": conditions,
            "form": form,
            "organisations": list(Organisation.objects.filter(is_active=True).order_by("name")),
            "report_form": CourtReportForm(language=request.user.language),
            "can_change": request.user.has_perm("trajectories.change", trajectory),
            "in_aftercare": trajectory.status == Status.AFTERCARE,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


def _condition(trajectory, condition_pk) -> CourtCondition:
    try:
        return CourtCondition.objects.select_related("release__trajectory__detainee", "supervising_organisation").get(
            pk=condition_pk, release__trajectory=trajectory
        )
    except (CourtCondition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _report_errors(request, form) -> None:
    for message in _flatten(form):
        messages.error(request, message)


@login_required
@require_POST
def reporting_deadline_add(request, pk, condition_pk):
    trajectory = _work_trajectory(request, pk, write=True)
    condition = _condition(trajectory, condition_pk)
    form = ReportingDeadlineForm(request.POST)
    if form.is_valid():
        try:
            services_court.reporting_deadline_add(condition=condition, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        _report_errors(request, form)
    else:
        messages.success(request, _("Rapporteringstermijn toegevoegd."))
    return redirect(services_court.conditions_url(trajectory.pk))


@login_required
@require_POST
def reporting_deadline_cancel(request, pk, deadline_pk):
    trajectory = _work_trajectory(request, pk, write=True)
    try:
        deadline = ReportingDeadline.objects.get(pk=deadline_pk, condition__release__trajectory=trajectory)
    except (ReportingDeadline.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    try:
        services_court.reporting_deadline_cancel(deadline=deadline, user=request.user)
    except ValidationError as error:
        service_errors_as_messages(request, error)
    else:
        messages.success(request, _("Rapporteringstermijn geannuleerd."))
    return redirect(services_court.conditions_url(trajectory.pk))


@login_required
@require_POST
def court_report_create(request, pk, condition_pk):
    trajectory = _work_trajectory(request, pk, write=True)
    condition = _condition(trajectory, condition_pk)
    form = CourtReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        deadline = None
        if data["deadline"]:
            deadline = condition.deadlines.filter(pk=data["deadline"]).first()
            if deadline is None:
                form.add_error(None, _("Deze termijn hoort niet bij deze voorwaarde."))
        if not form.errors:
            try:
                report = services_court.court_report_write(
                    condition=condition,
                    user=request.user,
                    recipient_organisation=data["recipient_organisation"],
                    deadline=deadline,
                    language=data["language"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                access_log_record(
                    request,
                    detainee=trajectory.detainee,
                    object_kind="court_report",
                    object_id=report.pk,
                    action=AccessLog.Action.PDF,
                )
                messages.success(request, _("Het verslag is opgemaakt en als verstrekking gelogd."))
    if form.errors:
        _report_errors(request, form)
    return redirect(services_court.conditions_url(trajectory.pk))


@login_required
def court_report_download(request, report_pk):
    try:
        report = (
            CourtReport.objects.visible_to(request.user)
            .select_related("condition__release__trajectory__detainee", "recipient_organisation")
            .get(pk=report_pk)
        )
    except (CourtReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    trajectory = report.condition.release.trajectory
    # A report written on consent no longer leaves the team once that consent is withdrawn.
    if (
        report.basis == Basis.CONSENT
        and services_court.report_consent(report.condition, report.recipient_organisation) is None
    ):
        messages.error(request, _("De toestemming voor dit verslag is ingetrokken: het kan niet meer gedeeld worden."))
        return redirect(services_court.conditions_url(trajectory.pk))
    access_log_record(
        request,
        detainee=trajectory.detainee,
        object_kind="court_report",
        object_id=report.pk,
        action=AccessLog.Action.PDF,
    )
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"verslag-voorwaarde-{report.pk}.pdf",
        content_type="application/pdf",
    )
