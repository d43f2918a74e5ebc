"""Referrals to partners (ADR 0034): the case team's list and form, the partner's inbox and his answers.

A partner sees only the referrals to his own organisation, and only while its consent with purpose referral is in
force (`PartnerReferral.objects.visible_to`): a withdrawn consent makes them 404 at once. A referral he may not see
answers exactly like one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.access import access_log_record, get_detainee_for_user
from config.forms import add_service_errors

from .forms import PartnerReferralForm, ReferralCloseForm, ReferralResponseForm
from .models_partners import PartnerReferral
from .services import referrals as services


def get_referral_for_user(user, pk) -> PartnerReferral:
    """The referral if `user` may see it, else Http404."""
    try:
        return PartnerReferral.objects.visible_to(user).for_list().select_related("consent").get(pk=pk)
    except (PartnerReferral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_GET
def partner_referrals(request):
    """The case staff: every referral of their organisation's files, open first. A partner: those to his
    organisation. Two queries whatever the number (the referrals with file, organisation and referrer)."""
    user = request.user
    if not (user.is_case_staff or user.is_partner):
        raise Http404
    rows = list(PartnerReferral.objects.visible_to(user).for_list().order_by("referred_at", "pk"))
    open_rows = [r for r in rows if r.is_open]
    return render(
        request,
        "trajectories/referrals/list.html",
        {
            "open_referrals": open_rows,
            "other_referrals": sorted((r for r in rows if not r.is_open), key=lambda r: r.updated_at, reverse=True)[
                :50
            ],
        },
    )


@login_required
def partner_referral_create(request, detainee_pk):
    detainee = get_detainee_for_user(request.user, detainee_pk, perm="trajectories.refer_detainee")
    form = PartnerReferralForm(request.POST or None, detainee=detainee)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.partner_referral_create(detainee=detainee, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("De doorverwijzing is verstuurd; %(org)s kreeg een melding.") % {"org": referral.organisation},
                )
                return redirect("trajectories:file_referrals", detainee_pk=detainee.pk)
        status = 400
    from django.urls import reverse

    return render(
        request,
        "casework/form_page.html",
        {
            "detainee": detainee,
            "form": form,
            "title": _("Doorverwijzen naar een partner"),
            "intro": _(
                "De partner krijgt de identiteit van de gedetineerde en je vraag, enkel als de gedetineerde "
                "toestemming gaf met doel doorverwijzing voor die organisatie."
            ),
            "submit_label": _("Doorverwijzen"),
            "cancel_url": reverse("trajectories:file_referrals", args=[detainee.pk]),
        },
        status=status,
    )


def _detail(request, referral, *, response_form=None, close_form=None, status=200):
    access_log_record(request, detainee=referral.detainee, object_kind="partner_referral", object_id=referral.pk)
    is_partner = request.user.is_partner
    return render(
        request,
        "trajectories/referrals/detail.html",
        {
            "referral": referral,
            "shows_identity": True,
            "response_form": response_form
            or (ReferralResponseForm() if is_partner and referral.status == "requested" else None),
            "close_form": close_form or (ReferralCloseForm() if is_partner and referral.status == "accepted" else None),
            "can_withdraw": request.user.is_case_staff and referral.is_open,
        },
        status=status,
    )


@login_required
@require_GET
def partner_referral(request, referral_pk):
    return _detail(request, get_referral_for_user(request.user, referral_pk))


@login_required
@require_POST
def partner_referral_respond(request, referral_pk):
    referral = get_referral_for_user(request.user, referral_pk)
    form = ReferralResponseForm(request.POST)
    if form.is_valid():
        try:
            services.partner_referral_respond(
                referral=referral,
                user=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Je antwoord is bewaard; de consulent kreeg een melding."))
            return redirect("trajectories:partner_referral", referral_pk=referral.pk)
    return _detail(request, referral, response_form=form, status=400)


@login_required
@require_POST
def partner_referral_close(request, referral_pk):
    referral = get_referral_for_user(request.user, referral_pk)
    form = ReferralCloseForm(request.POST)
    if form.is_valid():
        try:
            services.partner_referral_close(referral=referral, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De doorverwijzing is afgesloten; de consulent kreeg een melding."))
            return redirect("trajectories:partner_referral", referral_pk=referral.pk)
    return _detail(request, referral, close_form=form, status=400)


@login_required
@require_POST
def partner_referral_withdraw(request, referral_pk):
    referral = get_referral_for_user(request.user, referral_pk)
    try:
        services.partner_referral_withdraw(referral=referral, user=request.user)
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("De doorverwijzing is ingetrokken."))
    return redirect("trajectories:partner_referral", referral_pk=referral.pk)


@login_required
@require_GET
def file_referrals(request, detainee_pk):
    """The file's referrals to partners, with status and waiting time (the case staff of the file)."""
    from casework.views.file import render_file_page

    detainee = get_detainee_for_user(request.user, detainee_pk, perm="trajectories.view_file_referrals")
    referrals = list(
        PartnerReferral.objects.visible_to(request.user)
        .filter(detainee=detainee)
        .select_related("organisation", "referred_by")
        .order_by("-referred_at", "-pk")
    )
    return render_file_page(
        request,
        detainee,
        tab="referrals",
        template="trajectories/referrals/tab.html",
        context={"referrals": referrals, "can_refer": request.user.has_perm("trajectories.refer_detainee", detainee)},
        object_kind="partner_referrals",
    )
