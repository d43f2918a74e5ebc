"""Pages of a transfer's conferences (ADR 0040): the list of conferences flagged by transfers, and the page where
either director decides what becomes of one. Thin: the rules and writes are in services/transfer.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework.access import access_log_record

from .access import get_conference_for_user
from .forms import TransferResolveForm
from .models import TransferFlag
from .services.transfer import may_resolve, transfer_flag_resolve

LIST_LIMIT = 100
RELATED = (
    "conference__detainee",
    "conference__prison",
    "placement__prison",
    "placement__transferred_from",
    "resolved_by",
)


@login_required
@require_GET
def transfers(request):
    """The conferences flagged by transfers in or out of the director's prisons (the case staff: of their files)."""
    user = request.user
    if not (user.is_director or user.is_case_staff):
        raise Http404
    flags = TransferFlag.objects.visible_to(user).select_related(*RELATED)
    pending = list(flags.pending().order_by("conference__starts_at", "pk")[:LIST_LIMIT])
    decided = list(
        flags.exclude(resolution=TransferFlag.Resolution.PENDING).order_by("-resolved_at", "-pk")[:LIST_LIMIT]
    )
    return render(request, "casusoverleg/transfers.html", {"pending": pending, "decided": decided})


@login_required
def transfer_resolve(request, pk):
    """One flagged conference: what the transfer changed and, for a director of either prison, the decision."""
    conference = get_conference_for_user(request.user, pk)
    flags = TransferFlag.objects.visible_to(request.user).filter(conference=conference).select_related(*RELATED)
    flag = flags.pending().first() or flags.order_by("-resolved_at", "-pk").first()
    if flag is None:
        raise Http404
    can_resolve = flag.is_pending and may_resolve(request.user, flag)
    form = TransferResolveForm(
        request.POST if request.method == "POST" else None, prison=flag.placement.prison, user=request.user
    )
    if request.method == "POST":
        if not can_resolve:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer_flag_resolve(
                    flag=flag,
                    user=request.user,
                    resolution=data["resolution"],
                    chair=data["chair"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(
                    request, _("De beslissing is geregistreerd; beide directeurs en het dossierteam zijn verwittigd.")
                )
                return redirect("casusoverleg:transfers")
    access_log_record(request, detainee=conference.detainee, object_kind="conference", object_id=conference.pk)
    return render(
        request,
        "casusoverleg/transfer_resolve.html",
        {"conference": conference, "flag": flag, "form": form, "can_resolve": can_resolve},
        status=400 if form.errors else 200,
    )
