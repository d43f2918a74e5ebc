"""Pages of the diary: the week, plan and move a contact, cancel it, log it as a session, and the manager's
planned-vs-held overview. Thin: parse, call one service, render (docs/conventions.md §1)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.access import get_detainee_for_user
from casework.forms import SessionForm
from casework.models import Session
from casework.views.edit import _save
from config.forms import service_errors_as_messages

from . import selectors, services
from .access import get_planned_contact_for_user
from .forms import PlannedContactForm
from .models import KIND_MODALITY, ContactKind

FROM_MY_DAY = ("vanuit", "mijn-dag")
OVERVIEW_DEFAULT_DAYS = 28


def _date(value: str | None) -> dt.date | None:
    """A date from the query string; a malformed or impossible one (31 February) is no date, never a 500."""
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _moment(value: str | None) -> dt.datetime | None:
    try:
        return parse_datetime(value or "")
    except ValueError:
        return None


def _consultant_only(request) -> None:
    if not request.user.is_consultant:
        raise PermissionDenied


def _back(request, contact=None) -> str:
    """Back to "Mijn dag" when the page was opened from there, else to the week of the contact."""
    if request.GET.get(FROM_MY_DAY[0]) == FROM_MY_DAY[1]:
        return reverse("casework:my_day")
    url = reverse("diary:week")
    if contact is not None:
        url += "?week=" + selectors.monday_of(timezone.localdate(contact.starts_at)).isoformat()
    return url


@login_required
def week(request):
    """The consultant's week of planned contacts, and the contacts of earlier days still to log."""
    _consultant_only(request)
    day = _date(request.GET.get("week"))
    monday = selectors.monday_of(day or timezone.localdate())
    return render(
        request,
        "diary/week.html",
        {
            "days": selectors.week_contacts(request.user, monday),
            "overdue": selectors.overdue_contacts(request.user),
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
        },
    )


def _form_page(request, *, form, detainee=None, contact=None, status=200):
    prison_id = None
    if contact is not None:
        prison_id = contact.prison_id or contact.detainee.current_prison_id
    elif detainee is not None:
        prison_id = detainee.current_prison_id
    return render(
        request,
        "diary/form.html",
        {
            "form": form,
            "detainee": detainee or (contact.detainee if contact else None),
            "contact": contact,
            "suggestions": selectors.slot_suggestions(prison_id),
            "cancel_url": _back(request, contact),
        },
        status=status,
    )


@login_required
def planned_contact_create(request):
    """Plan a contact. `?gedetineerde=<pk>` picks the detainee (his prison's visiting slots are suggested);
    `&start=<ISO>&soort=<kind>&duur=<minutes>` takes a suggestion."""
    _consultant_only(request)
    detainee = None
    if request.GET.get("gedetineerde"):
        detainee = get_detainee_for_user(request.user, request.GET["gedetineerde"], perm="diary.plan_contact")
    if request.method == "POST":
        form = PlannedContactForm(request.POST, user=request.user)
        if form.is_valid():
            chosen = form.cleaned_data["detainee"]
            fields = form.service_fields()
            if _save(form, lambda: services.planned_contact_plan(detainee=chosen, consultant=request.user, **fields)):
                messages.success(request, _("Het contact is gepland."))
                monday = selectors.monday_of(timezone.localdate(fields["starts_at"]))
                return redirect(reverse("diary:week") + f"?week={monday.isoformat()}")
        return _form_page(request, form=form, detainee=detainee, status=400)
    initial = {"detainee": detainee.pk if detainee else None, "kind": ContactKind.VISIT, "duration_minutes": 60}
    start = _moment(request.GET.get("start"))
    if start is not None:
        initial["starts_at"] = timezone.localtime(start) if timezone.is_aware(start) else start
    if request.GET.get("soort") in ContactKind.values:
        initial["kind"] = request.GET["soort"]
    if (request.GET.get("duur") or "").isdigit():
        initial["duration_minutes"] = int(request.GET["duur"])
    return _form_page(request, form=PlannedContactForm(user=request.user, initial=initial), detainee=detainee)


@login_required
def planned_contact_update(request, pk):
    contact = get_planned_contact_for_user(request.user, pk)
    if request.method == "POST":
        form = PlannedContactForm(request.POST, user=request.user, editing=True)
        if form.is_valid() and _save(
            form, lambda: services.planned_contact_update(contact=contact, user=request.user, **form.service_fields())
        ):
            messages.success(request, _("Het geplande contact is gewijzigd."))
            return redirect(_back(request, contact))
        return _form_page(request, form=form, contact=contact, status=400)
    form = PlannedContactForm(
        user=request.user,
        editing=True,
        initial={
            "starts_at": timezone.localtime(contact.starts_at),
            "duration_minutes": contact.duration_minutes,
            "kind": contact.kind,
            "prison": contact.prison_id,
            "place": contact.place,
        },
    )
    return _form_page(request, form=form, contact=contact)


@require_POST
@login_required
def planned_contact_cancel(request, pk):
    contact = get_planned_contact_for_user(request.user, pk)
    try:
        services.planned_contact_cancel(contact=contact, user=request.user)
    except ValidationError as error:
        service_errors_as_messages(request, error)
    else:
        messages.success(request, _("Het geplande contact is geannuleerd."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = _back(request, contact)
    return redirect(target or _back(request, contact))


def _session_page(request, *, form, contact, status=200):
    return render(
        request,
        "casework/session_form.html",
        {
            "form": form,
            "detainee": contact.detainee,
            "session": None,
            "quick": False,
            "planned_contact": contact,
            "cancel_url": _back(request, contact),
        },
        status=status,
    )


@login_required
def planned_contact_log(request, pk):
    """The session form, filled in from the plan (when, how long, what kind); saving links the session to it."""
    contact = get_planned_contact_for_user(request.user, pk)
    detainee = contact.detainee
    if not contact.is_open:
        messages.info(request, _("Dit contact is al geregistreerd of geannuleerd."))
        return redirect(_back(request, contact))
    if request.method == "POST":
        form = SessionForm(request.POST, detainee=detainee, user=request.user)
        if form.is_valid() and _save(
            form, lambda: services.planned_contact_log(contact=contact, user=request.user, **form.service_fields())
        ):
            messages.success(request, _("Het contactmoment is opgeslagen."))
            return redirect(_back(request, contact))
        return _session_page(request, form=form, contact=contact, status=400)
    initial = {
        "started_at": timezone.localtime(contact.starts_at),
        "duration_minutes": contact.duration_minutes,
        "modality": KIND_MODALITY.get(contact.kind, Session.Modality.IN_PERSON_PRISON),
        "attendance": Session.Attendance.ATTENDED,
    }
    return _session_page(
        request, form=SessionForm(detainee=detainee, user=request.user, initial=initial), contact=contact
    )


@login_required
def overview(request):
    """The manager's planned vs held per consultant over a period (the last four weeks by default)."""
    if not request.user.is_manager:
        raise PermissionDenied
    today = timezone.localdate()
    end = _date(request.GET.get("tot")) or today
    start = _date(request.GET.get("van")) or end - dt.timedelta(days=OVERVIEW_DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    rows = selectors.planned_vs_held(request.user, start, end)
    totals = {key: sum(getattr(row, key) for row in rows) for key in ("planned", "held", "not_logged", "cancelled")}
    return render(request, "diary/overview.html", {"rows": rows, "start": start, "end": end, "totals": totals})
