"""Conference pages: planning calendar (+ JSON events), list, the conference page and its actions
(participants, attendance, agenda), the calendar feed, and the detainee-file tab.

Thin: parse, call one service, render. Planning, moving and cancelling live in `views_scheduling.py`, minutes
editing and the PDF in `views_minutes.py`.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.views import safe_next
from casework.access import access_log_record, get_detainee_for_user
from casework.views.file import render_file_page
from config.forms import service_errors_as_messages
from config.public_url import absolute_reverse
from diary.models import PlannedContact

from . import ics, selectors, services
from .access import get_conference_for_user
from .basis import basis_warning, participants_with_basis
from .forms import AgendaItemForm, CancelForm, CorrectionForm, ParticipantForm
from .models import AgendaItem, CalendarFeed, Conference, Participant
from .selectors_page import conference_page

LIST_PAGE_SIZE = 25


# --- Calendar and list -------------------------------------------------------------------------------------


@login_required
def calendar(request):
    """The planning calendar (week, month, list views), with the rules' proposals for directors."""
    if not (
        request.user.is_director or request.user.is_case_staff or request.user.is_partner or request.user.is_organiser
    ):
        raise Http404
    proposals, flags = ([], {})
    if request.user.is_director:
        proposals, flags = selectors.planning_proposals(selectors.planning_detainees(request.user))
    prisons = []
    if request.user.is_director:
        from casework.models import Prison

        from .models import DEFAULT_CADENCE_MONTHS, CadenceRule

        rules_by_prison = dict(
            CadenceRule.objects.filter(prison__directors=request.user).values_list("prison_id", "months")
        )
        prisons = [
            {"prison": p, "months": rules_by_prison.get(p.pk, DEFAULT_CADENCE_MONTHS)}
            for p in Prison.objects.filter(directors=request.user)
        ]
    return render(
        request,
        "casusoverleg/calendar.html",
        {
            "prisons": prisons,
            "proposals": proposals[:30],
            "proposal_count": len(proposals),
            "flag_count": len(flags),
            "can_schedule": request.user.has_perm("casusoverleg.schedule_conference"),
            "can_schedule_meeting": request.user.has_perm("casusoverleg.schedule_meeting"),
        },
    )


def _parse_bound(value: str | None):
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value[:10])
        moment = dt.datetime.combine(day, dt.time.min) if day else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@login_required
@require_GET
def events(request):
    """FullCalendar's JSON feed: visible conferences between `start` and `end`, plus proposals for directors."""
    start, end = _parse_bound(request.GET.get("start")), _parse_bound(request.GET.get("end"))
    if start is None or end is None or end <= start or end - start > dt.timedelta(days=400):
        return JsonResponse({"detail": _("Geef een geldig begin en einde (hoogstens 400 dagen).")}, status=400)
    conferences = list(Conference.objects.visible_to(request.user).between(start, end).for_list())
    clashes = selectors.clashes_for(conferences) if request.user.is_director else {}
    items = [
        {
            "id": c.pk,
            "title": f"{c.detainee} · {c.get_kind_display()}",
            "start": timezone.localtime(c.starts_at).isoformat(),
            "end": timezone.localtime(c.ends_at).isoformat(),
            "url": reverse("casusoverleg:detail", args=[c.pk]),
            "classNames": [f"conf-{c.status}", *(["conf-clash"] if c.pk in clashes else [])],
            "extendedProps": {"status": c.get_status_display(), "prison": c.prison.name, "location": c.location},
        }
        for c in conferences
    ]
    if request.user.is_director:
        proposals, _flags = selectors.planning_proposals(selectors.planning_detainees(request.user))
        create = reverse("casusoverleg:create")
        items += [
            {
                "title": _("Voorstel: %(who)s (%(kind)s)") % {"who": p.detainee, "kind": Conference.Kind(p.kind).label},
                "start": p.proposed_for.isoformat(),
                "allDay": True,
                "classNames": ["conf-proposal"],
                "url": f"{create}?detainee={p.detainee.pk}&kind={p.kind}&day={p.proposed_for.isoformat()}",
            }
            for p in proposals
            if start.date() <= p.proposed_for < end.date()
        ]
    return JsonResponse(items, safe=False)


@login_required
def conference_list(request):
    """The plain list (also the accessible alternative to the calendar): upcoming or past."""
    past = request.GET.get("when") == "past"
    now = timezone.now()
    qs = Conference.objects.visible_to(request.user).for_list()
    qs = (
        qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
        if past
        else qs.filter(starts_at__gte=now).order_by("starts_at", "pk")
    )
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casusoverleg/list.html", {"page": page, "past": past})


# --- The conference page ------------------------------------------------------------------------------------------


def _invited_without_access(request, pk):
    """An invited participant who may not see the conference (no consent of his organisation for a conference)
    gets the invitation's facts and why the rest is closed, instead of a 404 after his invitation: time,
    place and reference are what his invitation mail already said, never the detainee or the case. The
    organiser of a meeting outside detention whose basis ended gets the 404 of any file he has no basis for."""
    if request.user.is_organiser:
        return None
    participant = (
        Participant.objects.filter(conference_id=pk, user=request.user)
        .select_related("conference__prison", "conference__chair")
        .first()
        if str(pk).isdigit()
        else None
    )
    if participant is None:
        return None
    conference = participant.conference
    return render(
        request,
        "casusoverleg/invited_without_access.html",
        {"conference": conference, "participant": participant},
        status=403,
    )


@login_required
def conference_detail(request, pk):
    try:
        conference = get_conference_for_user(request.user, pk)
    except Http404:
        response = _invited_without_access(request, pk)
        if response is None:
            raise
        return response
    access_log_record(request, detainee=conference.detainee, object_kind="conference", object_id=conference.pk)
    context = conference_page(conference, request.user).context()
    context.update(
        {
            "participant_form": ParticipantForm(),
            "agenda_form": AgendaItemForm(),
            "cancel_form": CancelForm(),
            "correction_form": CorrectionForm(),
        }
    )
    return render(request, "casusoverleg/detail.html", context)


def _back(conference: Conference, anchor: str = ""):
    return redirect(reverse("casusoverleg:detail", args=[conference.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def participant_add(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    form = ParticipantForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(conference, "participants")
    data = form.cleaned_data
    try:
        participant = services.participant_add(
            conference=conference,
            user=request.user,
            role=data["role"],
            participant_user=data["participant_user"],
            name=data["name"],
            organisation=data["organisation"],
            email=data["email"],
        )
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    else:
        # The basis check at the invitation: told at once when the new participant gets no access to the content.
        warning = basis_warning(conference, participants_with_basis(conference, [participant])[0])
        if warning:
            messages.warning(request, warning)
        else:
            messages.success(request, _("Deelnemer toegevoegd en uitgenodigd."))
    return _back(conference, "participants")


@login_required
@require_POST
def participant_remove(request, pk, participant_pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    participant = get_object_or_404(Participant, pk=participant_pk, conference=conference)
    try:
        services.participant_remove(participant=participant, user=request.user)
        messages.success(request, _("De uitnodiging is ingetrokken."))
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return _back(conference, "participants")


@login_required
@require_POST
def participant_respond(request, pk, participant_pk):
    """The invitee answers for himself; the director may record an answer received by phone or mail."""
    conference = get_conference_for_user(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, conference=conference)
    if participant.user_id != request.user.pk and not request.user.has_perm(
        "casusoverleg.change_conference", conference
    ):
        raise Http404
    try:
        services.participant_respond(
            participant=participant, user=request.user, response=request.POST.get("response", "")
        )
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return _back(conference, "participants")


@login_required
@require_POST
def attendance(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.edit_minutes")
    present = set(request.POST.getlist("present"))
    attended = {p.pk: str(p.pk) in present for p in conference.participants.all()}
    try:
        services.attendance_record(conference=conference, user=request.user, attended=attended)
        messages.success(request, _("Aanwezigheden bewaard."))
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return _back(conference, "participants")


@login_required
@require_POST
def agenda_refresh(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    try:
        services.agenda_refresh(conference=conference, user=request.user)
        messages.success(request, _("De agenda is bijgewerkt met de gegevens van het dossier."))
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return _back(conference, "agenda")


@login_required
@require_POST
def agenda_item_add(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    form = AgendaItemForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"title": _("Geef het agendapunt een titel (hoogstens 200 tekens).")})
        services.agenda_item_add(conference=conference, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return _back(conference, "agenda")


@login_required
@require_POST
def agenda_item_remove(request, pk, item_pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    item = get_object_or_404(AgendaItem, pk=item_pk, conference=conference)
    try:
        services.agenda_item_remove(item=item, user=request.user)
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return _back(conference, "agenda")


# --- Calendar feed --------------------------------------------------------------------------------------------------


@login_required
def feed_settings(request):
    """The user's private calendar URL: create, renew (revokes the old one) or revoke."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Je agendafeed is ingetrokken; de oude link werkt niet meer."))
        else:
            services.calendar_feed_rotate(user=request.user)
            messages.success(request, _("Je hebt een nieuwe, persoonlijke agendalink; de vorige werkt niet meer."))
        # Back to where the form was (this page, or the profile).
        return redirect(safe_next(request, "casusoverleg:feed_settings"))
    return render(request, "casusoverleg/feed_settings.html", feed_context(request))


def feed_context(request) -> dict:
    """The user's own feed and its URL (one query): this page and the profile's section (apps.py)."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = absolute_reverse("casusoverleg:feed", args=[feed.token]) if feed else ""
    return {"feed": feed, "feed_url": url}


@require_GET
def feed(request, token):
    """The iCalendar subscription: no login (calendar clients cannot), the secret token is the key."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    since = timezone.now() - dt.timedelta(days=90)
    conferences = (
        Conference.objects.visible_to(user)
        .filter(participants__user=user, starts_at__gte=since)
        .select_related("prison", "chair")
        .distinct()
        .order_by("starts_at")
    )
    # The consultant's own planned contacts (diary), cancelled ones left out: a subscription is re-read whole.
    contacts = (
        PlannedContact.objects.visible_to(user)
        .filter(consultant=user, starts_at__gte=since, cancelled_at__isnull=True)
        .select_related("prison")
        .order_by("starts_at", "pk")
    )
    # Calendar clients send no cookie: the feed speaks its owner's language.
    with translation.override(user.language):
        body = ics.feed(conferences, name=_("Casusoverleg — %(user)s") % {"user": user}, planned_contacts=contacts)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- Detainee file tab -------------------------------------------------------------------------------------------------


@login_required
def file_conferences(request, pk):
    """The conferences tab of the detainee's file (registered in apps.py)."""
    detainee = get_detainee_for_user(request.user, pk)
    if not request.user.has_perm("casusoverleg.view_file_conferences", detainee):
        raise Http404
    conferences = list(
        Conference.objects.visible_to(request.user)
        .filter(detainee=detainee)
        .select_related("prison", "chair")
        .order_by("-starts_at")
    )
    proposals, flags = [], {}
    if request.user.is_director or request.user.is_case_staff:
        proposals, flag_list = selectors.conference_proposals_recompute(detainee=detainee)
        flags = {f.conference_id: f for f in flag_list}
    for conference in conferences:
        conference.flag = flags.get(conference.pk)
    from .models import CadenceRule

    override = CadenceRule.objects.filter(detainee=detainee).values_list("months", flat=True).first()
    return render_file_page(
        request,
        detainee,
        tab="conferences",
        template="casusoverleg/tab_conferences.html",
        context={
            "conferences": conferences,
            "proposals": proposals,
            "cadence_override": override,
            "can_set_cadence": request.user.is_director,
            "can_schedule": request.user.has_perm("casusoverleg.schedule_conference"),
        },
        object_kind="conferences",
    )
