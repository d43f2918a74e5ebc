"""The minutes editor (htmx), approval, corrections and the PDF download.

The editor posts the whole draft with the `revision` it was loaded at. A stale save is refused by the
service; the editor then comes back with the user's own text still in the fields and the text saved
in between shown beside it, so nothing is lost.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from casework.access import access_log_record
from casework.models import AccessLog

from . import selectors
from .access import get_conference_for_user
from .forms import ActionFormSet, CorrectionForm, DecisionFormSet, owner_choices, parse_owner
from .models import Minutes
from .pdf import render_minutes_pdf
from .privacy import is_anonymised
from .services import minutes as services_minutes


def _current(conference) -> Minutes:
    minutes = conference.minutes_versions.order_by("-number").first()
    if minutes is None:
        raise Http404
    return minutes


def _editor_context(conference, minutes, *, data=None, conflict=None, errors=None, saved=False):
    page = selectors.conference_for_page(conference)
    detail = selectors.minutes_detail(minutes)
    organisations = list(Organisation.objects.filter(is_active=True).only("pk", "name"))
    choices = owner_choices(page["participants"], organisations)
    if data is None:
        decisions = DecisionFormSet(
            prefix="decision",
            initial=[
                {
                    "text": d.text,
                    "consensus": "yes" if d.consensus else "no",
                    "dissent_who": d.dissent_who,
                    "dissent_why": d.dissent_why,
                }
                for d in detail["decisions"]
            ],
        )
        actions = ActionFormSet(
            prefix="action",
            form_kwargs={"owner_choices": choices},
            initial=[
                {
                    "description": a.description,
                    "owner": f"user:{a.owner_user_id}" if a.owner_user_id else f"org:{a.owner_organisation_id}",
                    "owner_name": a.owner_name,
                    "due_on": a.due_on,
                    "action_id": a.action_id,
                }
                for a in detail["actions"]
            ],
        )
        notes, general, revision = detail["notes"], minutes.general_notes, minutes.revision
    else:
        decisions = DecisionFormSet(data, prefix="decision")
        actions = ActionFormSet(data, prefix="action", form_kwargs={"owner_choices": choices})
        notes = {item.pk: data.get(f"note-{item.pk}", "") for item in page["agenda"]}
        general, revision = data.get("general_notes", ""), data.get("revision", "")
    agenda = [{"item": item, "note": notes.get(item.pk, "")} for item in page["agenda"]]
    context = {
        "conference": conference,
        "minutes": minutes,
        "agenda_rows": agenda,
        "general_notes": general,
        "revision": revision,
        "decisions": decisions,
        "actions": actions,
        "conflict": conflict,
        "errors": errors or [],
        "saved": saved,
    }
    if conflict is not None:
        context["theirs"] = selectors.minutes_detail(conflict)
        context["theirs_minutes"] = conflict
        # The next save starts from the version now stored: the user has seen it beside his own text.
        context["revision"] = conflict.revision
    return context


def _rows(formset, kind: str, users: dict, organisations: dict) -> list[dict]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() or (formset.can_delete and form.cleaned_data.get("DELETE")):
            continue
        data = form.cleaned_data
        if kind == "decision":
            rows.append({key: data.get(key) for key in ("text", "consensus", "dissent_who", "dissent_why")})
        else:
            owner_user, owner_organisation = parse_owner(data.get("owner"), users, organisations)
            rows.append(
                {
                    "description": data.get("description"),
                    "owner_user": owner_user,
                    "owner_organisation": owner_organisation,
                    "owner_name": data.get("owner_name"),
                    "due_on": data.get("due_on"),
                    "action": _linked_action(data.get("action_id")),
                }
            )
    return rows


def _linked_action(action_id):
    if not action_id:
        return None
    from trajectories.models import Action

    return Action.objects.filter(pk=action_id).first()


@login_required
def minutes_editor(request, pk):
    conference = get_conference_for_user(request.user, pk, perm="casusoverleg.edit_minutes")
    minutes = _current(conference)
    template = "casusoverleg/_minutes_editor.html" if request.htmx else "casusoverleg/minutes_page.html"
    if minutes.is_approved:
        messages.info(request, _("Dit verslag is goedgekeurd. Start een correctie om een nieuwe versie te maken."))
        return redirect("casusoverleg:detail", conference.pk)
    if request.method != "POST":
        return render(request, template, _editor_context(conference, minutes))
    context = _editor_context(conference, minutes, data=request.POST)
    decisions, actions = context["decisions"], context["actions"]
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    if not (decisions.is_valid() and actions.is_valid()):
        context["errors"] = [_("Controleer de gemarkeerde velden.")]
        return render(request, template, context, status=200 if request.htmx else 400)
    participant_users = {p.user_id for p in conference.participants.all() if p.user_id}
    users = User.objects.in_bulk(participant_users)
    organisations = Organisation.objects.in_bulk()
    notes = {row["item"].pk: request.POST.get(f"note-{row['item'].pk}", "") for row in context["agenda_rows"]}
    try:
        services_minutes.minutes_save(
            minutes=minutes,
            user=request.user,
            revision=revision,
            general_notes=request.POST.get("general_notes", ""),
            notes=notes,
            decisions=_rows(decisions, "decision", users, organisations),
            actions=_rows(actions, "action", users, organisations),
        )
    except services_minutes.MinutesConflict as exc:
        context.update(
            _editor_context(
                conference, minutes, data=request.POST, conflict=exc.current, errors=exc.message_dict["revision"]
            )
        )
        return render(request, template, context, status=200 if request.htmx else 409)
    except ValidationError as exc:
        context["errors"] = [m for messages_ in exc.message_dict.values() for m in messages_]
        return render(request, template, context, status=200 if request.htmx else 400)
    if not request.htmx:
        messages.success(request, _("Verslag bewaard."))
        return redirect(reverse("casusoverleg:detail", args=[conference.pk]) + "#minutes")
    minutes.refresh_from_db()
    return render(request, template, _editor_context(conference, minutes, saved=True))


@login_required
@require_POST
def minutes_approve(request, pk):
    conference = get_conference_for_user(request.user, pk)
    minutes = _current(conference)
    try:
        revision = int(request.POST["revision"]) if request.POST.get("revision") else None
        services_minutes.minutes_approve(minutes=minutes, user=request.user, revision=revision)
        messages.success(
            request,
            _("Het verslag is goedgekeurd en ligt vast. De gerechtigde deelnemers krijgen bericht om het te lezen."),
        )
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("casusoverleg:detail", args=[conference.pk]) + "#minutes")


@login_required
@require_POST
def minutes_correct(request, pk):
    conference = get_conference_for_user(request.user, pk)
    minutes = _current(conference)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"correction_reason": _("Geef de reden van de correctie.")})
        services_minutes.minutes_correct(minutes=minutes, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Er is een nieuwe ontwerpversie gemaakt; de goedgekeurde versie blijft bewaard."))
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("casusoverleg:detail", args=[conference.pk]) + "#minutes")


def minutes_pdf_response(request, conference, version: str | None) -> HttpResponse:
    """A copy watermarked for the reader; the read is logged. Shared with the API view."""
    approved = conference.minutes_versions.filter(status=Minutes.Status.APPROVED)
    if version:
        approved = approved.filter(number=version) if str(version).isdigit() else approved.none()
    minutes = approved.order_by("-number").first()
    # Anonymised minutes keep only their fingerprint record: there is no content left to print.
    if minutes is None or is_anonymised(minutes):
        raise Http404
    user = request.user
    access_log_record(
        request, detainee=conference.detainee, object_kind="minutes", object_id=minutes.pk, action=AccessLog.Action.PDF
    )
    pdf = render_minutes_pdf(
        minutes, recipient=str(user), organisation=str(user.organisation or ""), language=get_language()
    )
    try:
        # A partner's download is a disclosure, like a mailed copy (docs/design.md §3: every copy that leaves the
        # team is a Disclosure); every download is recorded with its file's SHA-256, so the copy can be verified.
        services_minutes.minutes_download_record(
            minutes=minutes, user=user, file_sha256=hashlib.sha256(pdf).hexdigest()
        )
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="verslag-{conference.reference}-v{minutes.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def minutes_pdf(request, pk):
    conference = get_conference_for_user(request.user, pk)
    return minutes_pdf_response(request, conference, request.GET.get("version"))


@login_required
def verify_copy(request):
    """Is this an authentic copy of approved minutes? The verdict for everyone; which minutes, version and
    recipient for the DPO and the conference's chair, whose lookup is on the file's access log."""
    from .forms import VerifyCopyForm
    from .verification import copy_verify_file, copy_verify_value

    check, details = None, False
    form = VerifyCopyForm(request.POST, request.FILES) if request.method == "POST" else VerifyCopyForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = copy_verify_file(data["document"]) if data["document"] else copy_verify_value(data["sha256"])
        details = check.details_for(request.user)
        if details:
            conference = check.minutes.conference
            access_log_record(
                request,
                detainee=conference.detainee,
                object_kind="minutes",
                object_id=check.minutes.pk,
                action=AccessLog.Action.VIEW,
            )
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request, "casusoverleg/verify_copy.html", {"form": form, "check": check, "details": details}, status=status
    )
