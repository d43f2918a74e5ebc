"""The conference's decision on the priority of a waiting referral (docs/adr/0044): the form, from the conference
page; the write is `services_priority.referral_priority_set`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.access import access_log_record
from config.forms import add_service_errors

from .access import get_conference_for_user
from .forms import ReferralPriorityForm
from .services import priority as services_priority


@login_required
def referral_priority(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.set_referral_priority")
    access_log_record(request, detainee=conference.detainee, object_kind="conference", object_id=conference.pk)
    trajectory = services_priority.waiting_referral_of(conference)
    initial = {"priority": trajectory.priority, "reason": trajectory.priority_reason} if trajectory else {}
    form = ReferralPriorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_priority.referral_priority_set(
                conference=conference,
                user=request.user,
                priority=form.cleaned_data["priority"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "De prioriteit van de aanmelding is bewaard; de aanmeldingen van de "
                    "verantwoordelijke staan in die volgorde."
                ),
            )
            return redirect("casusoverleg:detail", conference.pk)
    if conference.status not in services_priority.DECIDING_STATUSES:
        intro = _("Een casusoverleg bepaalt de prioriteit pas als het heeft plaatsgevonden.")
    elif trajectory is None:
        intro = _("Deze gedetineerde heeft geen aanmelding die op intake wacht.")
    else:
        intro = _(
            "De aanmeldingen die op intake wachten, staan bij de verantwoordelijke in volgorde van prioriteit "
            "(dringend, hoog, normaal) en daarna van wachttijd."
        )
    return render(
        request,
        "casusoverleg/form.html",
        {
            "title": _("Prioriteit van de aanmelding"),
            "conference": conference,
            "form": form,
            "intro": intro,
            "submit_label": _("Prioriteit bewaren"),
            "cancel_url": reverse("casusoverleg:detail", args=[conference.pk]),
        },
    )
