"""The session log (contactmoment): fast to fill in, validated by the service, back to the timeline.

From "Mijn dag" the log is a quick log (`?vanuit=mijn-dag`): the defaults stand (now, the detainee's
last modality, 60 minutes, attended), the cursor starts in the summary, Ctrl+Enter saves, and the
consultant lands back on "Mijn dag" for the next one: three keyboard interactions for a routine entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..access import access_log_record, get_detainee_for_user
from ..forms import SessionForm
from ..models import Session
from .edit import _save

QUICK_LOG_PARAM, QUICK_LOG_FROM_MY_DAY = "vanuit", "mijn-dag"


def _quick(request) -> bool:
    return request.GET.get(QUICK_LOG_PARAM) == QUICK_LOG_FROM_MY_DAY


def _session_page(request, *, form, detainee, session=None, status=200):
    quick = session is None and _quick(request)
    form.most_used_first()
    return render(
        request,
        "casework/session_form.html",
        {
            "form": form,
            "detainee": detainee,
            "session": session,
            "quick": quick,
            "cancel_url": reverse("casework:my_day")
            if quick
            else reverse("casework:file_sessions", args=[detainee.pk]),
        },
        status=status,
    )


@login_required
def session_create(request, pk):
    detainee = get_detainee_for_user(request.user, pk)
    if not request.user.has_perm("casework.log_session", detainee):
        raise PermissionDenied
    if request.method == "POST":
        form = SessionForm(request.POST, detainee=detainee, user=request.user)
        if form.is_valid() and _save(
            form, lambda: services.session_log(detainee=detainee, author=request.user, **form.service_fields())
        ):
            messages.success(request, _("Het contactmoment is opgeslagen."))
            if _quick(request):
                return redirect("casework:my_day")
            return redirect("casework:file_sessions", pk=detainee.pk)
        return _session_page(request, form=form, detainee=detainee, status=400)
    form = SessionForm(detainee=detainee, user=request.user, initial=SessionForm.initial_for(request.user, detainee))
    if _quick(request):
        form.focus_summary()
    return _session_page(request, form=form, detainee=detainee)


@login_required
def session_update(request, pk, session_pk):
    detainee = get_detainee_for_user(request.user, pk, perm="casework.view_sessions")
    try:
        session = (
            Session.objects.visible_to(request.user).select_related("detainee").get(pk=session_pk, detainee=detainee)
        )
    except (Session.DoesNotExist, ValueError):
        raise Http404 from None
    if not request.user.has_perm("casework.change_session", session):
        raise PermissionDenied
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session, detainee=detainee, user=request.user)
        if form.is_valid():
            fields = form.service_fields()
            relations = {name: fields.pop(name) for name in ("domains", "modules", "participants")}
            # A refused correction leaves `session` as it was (the service restores it).
            if _save(form, lambda: services.session_update(session=session, user=request.user, **fields, **relations)):
                messages.success(request, _("Het contactmoment is bijgewerkt."))
                return redirect("casework:file_sessions", pk=detainee.pk)
        return _session_page(request, form=form, detainee=detainee, session=session, status=400)
    access_log_record(request, detainee=detainee, object_kind="session", object_id=session.pk)
    form = SessionForm(instance=session, detainee=detainee, user=request.user)
    return _session_page(request, form=form, detainee=detainee, session=session)
