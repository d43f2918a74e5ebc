"""Scheduling pages: a conference planned in prison or a meeting outside detention, moved, cancelled or its
proposed date confirmed; a prison's conference rhythm and its standing members.

Thin: parse, call one service, render (the rules are in `services/`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.access import get_detainee_for_user
from casework.search import rank_order
from config.forms import add_service_errors, service_errors_as_messages

from . import services
from .access import get_conference_for_user
from .forms import CancelForm, ConferenceForm, MoveForm

# --- Scheduling ------------------------------------------------------------------------------------------------


@login_required
def conference_create(request):
    if not request.user.has_perm("casusoverleg.schedule_conference"):
        raise Http404
    initial = {
        "kind": request.GET.get("kind", "periodic"),
        "basis": "consent",
        "start_time": "10:00",
        "end_time": "11:30",
    }
    if request.GET.get("detainee"):
        initial["detainee"] = request.GET["detainee"]
    if request.GET.get("day"):
        initial["day"] = initial["proposed_for"] = request.GET["day"]
    form = ConferenceForm(request.POST or None, user=request.user, initial=initial)
    # The caseload's search narrows the detainee list (names with typos, date of birth, reference).
    query = request.GET.get("zoek", "").strip()[:100]
    if query and request.method == "GET":
        found = (
            form.fields["detainee"]
            .queryset.search(query, national_number=False)
            .order_by(*rank_order("last_name", "first_name", "pk"))
        )
        form.fields["detainee"].queryset = found
        matches = list(found[:2])
        if len(matches) == 1:
            form.initial["detainee"] = matches[0].pk
    if len(form.fields["prison"].queryset) == 1:
        form.fields["prison"].initial = form.fields["prison"].queryset[0]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.times()
        try:
            conference = services.conference_schedule(
                user=request.user,
                detainee=data["detainee"],
                prison=data["prison"],
                starts_at=starts_at,
                ends_at=ends_at,
                kind=data["kind"],
                basis=data["basis"],
                authorisation_reference=data["authorisation_reference"],
                location=data["location"],
                video_link=data["video_link"],
                proposed_for=data.get("proposed_for"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland; de uitnodigingen worden verstuurd."))
            return redirect("casusoverleg:detail", conference.pk)
    return render(
        request,
        "casusoverleg/form.html",
        {
            "form": form,
            "title": _("Casusoverleg plannen"),
            "submit_label": _("Plannen en uitnodigen"),
            "cancel_url": reverse("casusoverleg:calendar"),
            "intro": _(
                "De voorzitter en de hoofdconsulent worden meteen uitgenodigd; andere deelnemers voeg je daarna toe."
            ),
            "detainee_search": query if request.method == "GET" else None,
        },
    )


@login_required
def meeting_create(request):
    """An organiser plans a meeting outside detention (LIVC, justice house) and chairs it (docs/adr/0041)."""
    from .forms import MeetingForm
    from .services import meetings as services_meetings

    if not request.user.has_perm("casusoverleg.schedule_meeting"):
        raise Http404
    initial = {"kind": "livc", "basis": "consent", "start_time": "10:00", "end_time": "11:30"}
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.times()
        try:
            conference = services_meetings.meeting_schedule(
                user=request.user,
                kind=data["kind"],
                detainee=data["detainee"],
                national_number=data["national_number"],
                starts_at=starts_at,
                ends_at=ends_at,
                venue=data["venue"],
                location=data["location"],
                video_link=data["video_link"],
                basis=data["basis"],
                mandate_reference=data["mandate_reference"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland; de uitnodigingen worden verstuurd."))
            return redirect("casusoverleg:detail", conference.pk)
    return render(
        request,
        "casusoverleg/form.html",
        {
            "form": form,
            "title": _("Overleg buiten detentie plannen"),
            "submit_label": _("Plannen en uitnodigen"),
            "cancel_url": reverse("casusoverleg:calendar"),
            "intro": _(
                "Je zit het overleg voor; de hoofdconsulent van het dossier wordt meteen uitgenodigd. Andere "
                "deelnemers voeg je daarna toe: wie geen eigen grondslag heeft, ziet enkel tijdstip en plaats."
            ),
        },
    )


@login_required
def conference_move(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    local_start, local_end = timezone.localtime(conference.starts_at), timezone.localtime(conference.ends_at)
    form = MoveForm(
        request.POST or None,
        initial={
            "day": local_start.date(),
            "start_time": local_start.time(),
            "end_time": local_end.time(),
            "location": conference.location,
            "video_link": conference.video_link,
        },
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            services.conference_move(
                conference=conference,
                user=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                location=form.cleaned_data["location"],
                video_link=form.cleaned_data["video_link"],
                confirm_rule_date=form.cleaned_data["confirm_rule_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is verplaatst; iedereen krijgt een bijgewerkte uitnodiging."))
            return redirect("casusoverleg:detail", conference.pk)
    return render(
        request,
        "casusoverleg/form.html",
        {
            "form": form,
            "title": _("Overleg verplaatsen"),
            "submit_label": _("Verplaatsen en opnieuw uitnodigen"),
            "cancel_url": reverse("casusoverleg:detail", args=[conference.pk]),
            "conference": conference,
        },
    )


@login_required
@require_POST
def conference_cancel(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"cancel_reason": _("Geef een reden voor de annulering.")})
        services.conference_cancel(conference=conference, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Het overleg is geannuleerd; de deelnemers krijgen een annulering."))
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return redirect("casusoverleg:detail", conference.pk)


@login_required
@require_POST
def conference_confirm_date(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.change_conference")
    services.conference_confirm_rule_date(conference=conference, user=request.user)
    messages.success(request, _("De geplande datum is bevestigd."))
    return redirect("casusoverleg:detail", conference.pk)


# --- Prison rhythm --------------------------------------------------------------------------------------------


@login_required
@require_POST
def cadence(request):
    """A director sets his prison's cadence or a detainee's override (empty = back to the prison's)."""
    from casework.models import Prison

    raw = (request.POST.get("months") or "").strip()
    try:
        months = int(raw) if raw else None
    except ValueError:
        months = 0
    try:
        if request.POST.get("detainee"):
            detainee = get_detainee_for_user(request.user, request.POST["detainee"])
            services.cadence_set(user=request.user, detainee=detainee, months=months)
            messages.success(request, _("Het ritme voor deze gedetineerde is aangepast."))
            return redirect("casusoverleg:file_conferences", detainee.pk)
        prison = get_object_or_404(Prison.objects.filter(directors=request.user), pk=request.POST.get("prison") or 0)
        services.cadence_set(user=request.user, prison=prison, months=months or None)
        messages.success(request, _("Het ritme voor %(prison)s is aangepast.") % {"prison": prison.name})
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
        if request.POST.get("detainee"):
            return redirect("casusoverleg:file_conferences", request.POST["detainee"])
    return redirect("casusoverleg:calendar")


# --- Standing members ---------------------------------------------------------------------------------------------


@login_required
def standing_members(request):
    """The director's standing conference team per prison: invited to every periodic conference (ADR 0033)."""
    from .forms import StandingMemberForm
    from .models import StandingMember
    from .services.standing import standing_member_add

    if not request.user.is_director:
        raise Http404
    form = StandingMemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            standing_member_add(
                user=request.user,
                prison=data["prison"],
                role=data["role"],
                member_user=data["member_user"],
                name=data["name"],
                organisation=data["organisation"],
                email=data["email"],
                agreement=data["agreement"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Het vaste lid is toegevoegd; hij wordt uitgenodigd op elk periodiek overleg dat je voortaan plant."),
            )
            return redirect("casusoverleg:standing_members")
    members = list(
        StandingMember.objects.visible_to(request.user)
        .active()
        .select_related("prison", "user", "user__organisation", "organisation")
        .order_by("prison__name", "role", "pk")
    )
    return render(request, "casusoverleg/standing_members.html", {"form": form, "members": members})


@login_required
@require_POST
def standing_member_remove(request, member_pk):
    from .models import StandingMember
    from .services.standing import standing_member_remove as remove

    member = get_object_or_404(
        StandingMember.objects.visible_to(request.user).active().select_related("prison", "user"), pk=member_pk
    )
    try:
        remove(user=request.user, member=member)
        messages.success(
            request,
            _("%(who)s is geen vast lid meer; reeds geplande overleggen blijven ongewijzigd.")
            % {"who": member.display_name},
        )
    except ValidationError as exc:
        service_errors_as_messages(request, exc)
    return redirect("casusoverleg:standing_members")
