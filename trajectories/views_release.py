"""Release and aftercare pages. Thin: fetch through the access functions, parse, call one service, render.

Aftercare is work of the case staff of the file: anyone else gets a 404 (no existence leak).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from casework.access import access_log_record
from casework.models import AccessLog

from .access import get_trajectory_for_user
from .forms_release import (
    AftercareCloseForm,
    AftercareLengthForm,
    FollowUpRecordForm,
    HandoverForm,
    ReleaseForm,
    add_service_errors,
)
from .models import Status, Trajectory
from .models_release import FollowUp, HandoverPackage, Release
from .services import release as services_release


def _work_trajectory(request, pk, *, write: bool = False) -> Trajectory:
    trajectory = get_trajectory_for_user(request.user, pk, perm="trajectories.view_work")
    if write and not request.user.has_perm("trajectories.change", trajectory):
        raise PermissionDenied
    return trajectory


def _aftercare_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:aftercare", args=[trajectory.pk])


@login_required
def aftercare(request, pk):
    """The release and aftercare page: release facts, follow-ups, handover packages, closing."""
    trajectory = _work_trajectory(request, pk)
    release = (
        Release.objects.filter(trajectory=trajectory).select_related("follow_up_organisation", "registered_by").first()
    )
    follow_ups = list(trajectory.follow_ups.select_related("recorded_by"))
    in_force = services_release.handover_organisation_ids(trajectory)
    packages = services_release.handover_packages_for_list(trajectory, in_force)
    access_log_record(request, detainee=trajectory.detainee, object_kind="aftercare", object_id=trajectory.pk)
    today = timezone.localdate()
    return render(
        request,
        "trajectories/release/aftercare.html",
        {
            "trajectory": trajectory,
            "detainee": trajectory.detainee,
            "release": release,
            "follow_ups": follow_ups,
            "packages": packages,
            "today": today,
            "can_change": request.user.has_perm("trajectories.change", trajectory),
            "can_release": trajectory.status == Status.ACTIVE and release is None,
            "aftercare_over": release is not None
            and trajectory.status == Status.AFTERCARE
            and today >= release.aftercare_ends_on,
            "record_form": FollowUpRecordForm(initial={"done_on": today}),
            "close_form": AftercareCloseForm(initial={"closure_reason": "aftercare_ended"}),
            "length_form": AftercareLengthForm(
                initial={"aftercare_months": release.aftercare_months} if release else None
            ),
            "handover_form": HandoverForm(
                organisations=Organisation.objects.filter(pk__in=in_force).order_by("name"),
                language=request.user.language,
            ),
            "handover_possible": bool(in_force),
        },
    )


@login_required
def release_register(request, pk):
    trajectory = _work_trajectory(request, pk, write=True)
    form = ReleaseForm(request.POST or None, initial={"released_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_release.trajectory_release(
                trajectory=trajectory,
                user=request.user,
                released_on=data["released_on"],
                modality=data["modality"],
                destination_municipality=data["destination_municipality"],
                follow_up_organisation=data["follow_up_organisation"],
                follow_up_service=data["follow_up_service"],
                follow_up_months=data["follow_up_months"],
                aftercare_months=data["aftercare_months"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Vrijlating geregistreerd: het traject is nu in nazorg."))
            return redirect(_aftercare_url(trajectory))
    return render(
        request,
        "trajectories/release/release_form.html",
        {
            "trajectory": trajectory,
            "detainee": trajectory.detainee,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _act_and_return(request, trajectory: Trajectory, form, service, success: str):
    """The aftercare page's small actions: validate the form, call the service with its data, report the
    outcome as a message and go back to the aftercare page (the errors in the user's language, nothing written)."""
    if form.is_valid():
        try:
            service(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for message in _flatten(form):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_aftercare_url(trajectory))


@login_required
@require_POST
def follow_up_record(request, pk, follow_up_pk):
    trajectory = _work_trajectory(request, pk, write=True)
    try:
        follow_up = trajectory.follow_ups.get(pk=follow_up_pk)
    except (FollowUp.DoesNotExist, ValueError):
        raise Http404 from None
    return _act_and_return(
        request,
        trajectory,
        FollowUpRecordForm(request.POST),
        partial(services_release.follow_up_record, follow_up=follow_up),
        _("Opvolging geregistreerd."),
    )


@login_required
@require_POST
def aftercare_length(request, pk):
    trajectory = _work_trajectory(request, pk, write=True)
    release = Release.objects.filter(trajectory=trajectory).first()
    if release is None:
        messages.error(request, _("Voor dit traject is nog geen vrijlating geregistreerd."))
        return redirect(_aftercare_url(trajectory))
    return _act_and_return(
        request,
        trajectory,
        AftercareLengthForm(request.POST),
        partial(services_release.release_aftercare_change, release=release),
        _("De duur van de nazorg is aangepast."),
    )


@login_required
@require_POST
def aftercare_close(request, pk):
    trajectory = _work_trajectory(request, pk, write=True)
    return _act_and_return(
        request,
        trajectory,
        AftercareCloseForm(request.POST),
        partial(services_release.aftercare_close, trajectory=trajectory),
        _("Het traject is afgesloten."),
    )


@login_required
@require_POST
def handover_request(request, pk):
    trajectory = _work_trajectory(request, pk, write=True)
    return _act_and_return(
        request,
        trajectory,
        HandoverForm(request.POST, organisations=Organisation.objects.filter(is_active=True)),
        partial(services_release.handover_package_request, trajectory=trajectory),
        _("Het overdrachtspakket wordt aangemaakt; vernieuw de pagina binnen enkele ogenblikken."),
    )


@login_required
def handover_download(request, package_pk):
    try:
        package = (
            HandoverPackage.objects.visible_to(request.user).select_related("trajectory__detainee").get(pk=package_pk)
        )
    except (HandoverPackage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if package.status != HandoverPackage.Status.READY or not package.file:
        raise Http404
    # Once the detainee withdrew the consent for this handover, the package no longer leaves the team.
    if services_release.handover_consent(package.trajectory, package.recipient_organisation) is None:
        messages.error(
            request, _("De toestemming voor deze overdracht is ingetrokken: het pakket kan niet meer gedeeld worden.")
        )
        return redirect(_aftercare_url(package.trajectory))
    access_log_record(
        request,
        detainee=package.trajectory.detainee,
        object_kind="handover_package",
        object_id=package.pk,
        action=AccessLog.Action.PDF,
    )
    return FileResponse(
        package.file.open("rb"),
        as_attachment=True,
        filename=f"overdrachtspakket-{package.pk}.pdf",
        content_type="application/pdf",
    )


def _flatten(form) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]
