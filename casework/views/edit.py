"""Forms that change the file: the detainee, the case team, placements, listings, network and consent.

Each view parses a form, calls one service, and shows the service's errors on the form; nothing is
written when anything is wrong (the services own the transaction).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services, services_transfer
from ..access import access_log_record, get_detainee_for_user
from ..forms import (
    CaseTeamForm,
    ConsentForm,
    ConsentWithdrawForm,
    DetaineeForm,
    ListingForm,
    NetworkPersonForm,
    PlacementForm,
    TransferForm,
    add_service_errors,
    forms,
)
from ..models import Consent, Detainee, NetworkPerson
from ..search import potential_duplicates
from ..validators import normalise_national_number


def _detainee_for_change(request, pk, perm: str) -> Detainee:
    """Visible but not allowed to change → 403; not visible at all → 404 (no existence leak)."""
    detainee = get_detainee_for_user(request.user, pk)
    if not request.user.has_perm(perm, detainee):
        raise PermissionDenied
    return detainee


def _form_page(
    request,
    *,
    form,
    title: str,
    cancel_url: str,
    detainee: Detainee | None = None,
    submit: str = "",
    intro: str = "",
    multipart: bool = False,
    status: int = 200,
):
    return render(
        request,
        "casework/form_page.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "detainee": detainee,
            "submit_label": submit or _("Opslaan"),
            "intro": intro,
            "multipart": multipart,
        },
        status=status,
    )


def _save(form: forms.Form, call) -> bool:
    """Run the service `call`; on a ValidationError put it on the form and report failure."""
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


# --- Detainee ------------------------------------------------------------------------------------------


@login_required
def detainee_create(request):
    if not request.user.has_perm("casework.create_detainee"):
        raise PermissionDenied
    form = DetaineeForm(request.POST or None)
    created = {}
    duplicates = []
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        # One file per person: the files of this person the user may see, shown before a second one is opened.
        duplicates = potential_duplicates(
            Detainee.objects.visible_to(request.user),
            first_name=fields.get("first_name", ""),
            last_name=fields.get("last_name", ""),
            date_of_birth=fields.get("date_of_birth"),
            national_number=normalise_national_number(fields.get("national_number", "")),
        )
        confirmed = request.POST.get("confirm_not_duplicate") == "1"
        if (not duplicates or confirmed) and _save(
            form, lambda: created.update(detainee=services.detainee_create(user=request.user, **fields))
        ):
            messages.success(request, _("Het dossier is aangemaakt."))
            return redirect("casework:detainee_detail", pk=created["detainee"].pk)
    return render(
        request,
        "casework/form_page.html",
        {
            "form": form,
            "title": _("Nieuw dossier"),
            "cancel_url": reverse("casework:caseload"),
            "detainee": None,
            "submit_label": _("Toch een nieuw dossier aanmaken") if duplicates else _("Dossier aanmaken"),
            "intro": "",
            "multipart": False,
            "duplicates": duplicates,
        },
        status=400 if form.errors else 200,
    )


@login_required
def detainee_update(request, pk):
    detainee = _detainee_for_change(request, pk, "casework.change_detainee")
    form = DetaineeForm(request.POST or None, instance=detainee)
    if request.method == "GET":
        access_log_record(request, detainee=detainee, object_kind="detainee")
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.service_fields().items() if name in form.changed_data}
        if not fields:
            return redirect("casework:detainee_detail", pk=detainee.pk)
        # A refused change leaves `detainee` as it was (the service restores it): the page shows the stored file.
        if _save(form, lambda: services.detainee_update(detainee=detainee, user=request.user, **fields)):
            messages.success(request, _("De gegevens zijn bijgewerkt."))
            return redirect("casework:detainee_detail", pk=detainee.pk)
    return _form_page(
        request,
        form=form,
        title=_("Gegevens wijzigen"),
        detainee=detainee,
        cancel_url=reverse("casework:detainee_detail", args=[detainee.pk]),
        status=400 if form.errors else 200,
    )


@login_required
def detainee_case_team(request, pk):
    detainee = _detainee_for_change(request, pk, "casework.set_case_team")
    initial = {"lead_consultant": detainee.lead_consultant_id, "co_consultants": list(detainee.co_consultants.all())}
    form = CaseTeamForm(request.POST or None, detainee=detainee, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.detainee_set_case_team(
                detainee=detainee,
                user=request.user,
                lead=form.cleaned_data["lead_consultant"],
                co_consultants=form.cleaned_data["co_consultants"],
            ),
        )
    ):
        messages.success(request, _("Het dossierteam is aangepast."))
        return redirect("casework:detainee_detail", pk=detainee.pk)
    return _form_page(
        request,
        form=form,
        title=_("Dossierteam"),
        detainee=detainee,
        cancel_url=reverse("casework:detainee_detail", args=[detainee.pk]),
        intro=_(
            "De hoofdconsulent en de co-consulenten volgen dit dossier op. Enkel zij en hun manager lezen "
            "de vertrouwelijke notities."
        ),
        status=400 if form.errors else 200,
    )


# --- Placements and listings ------------------------------------------------------------------------------


@login_required
def placement_create(request, pk):
    detainee = _detainee_for_change(request, pk, "casework.change_detainee")
    form = PlacementForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda: services.placement_record(detainee=detainee, user=request.user, **form.cleaned_data))
    ):
        messages.success(request, _("De plaatsing is geregistreerd."))
        return redirect("casework:file_placements", pk=detainee.pk)
    return _form_page(
        request,
        form=form,
        title=_("Plaatsing registreren"),
        detainee=detainee,
        cancel_url=reverse("casework:file_placements", args=[detainee.pk]),
        status=400 if form.errors else 200,
    )


@login_required
def transfer_create(request, pk):
    """A transfer to another prison: the conferences, the cadence and the directors' access follow (ADR 0040)."""
    detainee = _detainee_for_change(request, pk, "casework.change_detainee")
    form = TransferForm(request.POST or None, detainee=detainee, initial={"transferred_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form, lambda: services_transfer.detainee_transfer(detainee=detainee, user=request.user, **form.cleaned_data)
        )
    ):
        messages.success(
            request, _("De overplaatsing is geregistreerd; de directeurs en het dossierteam zijn verwittigd.")
        )
        return redirect("casework:file_placements", pk=detainee.pk)
    current = detainee.current_prison
    intro = (
        _(
            "De gedetineerde verblijft nu in %(prison)s. Geplande casusoverleggen daar worden aan beide directeurs "
            "voorgelegd; het ritme van het overleg volgt de regel van de nieuwe gevangenis."
        )
        % {"prison": current.name}
        if current
        else _("Dit dossier heeft nog geen gevangenis: registreer eerst een plaatsing.")
    )
    return _form_page(
        request,
        form=form,
        title=_("Overplaatsing registreren"),
        detainee=detainee,
        intro=intro,
        submit=_("Overplaatsing registreren"),
        cancel_url=reverse("casework:file_placements", args=[detainee.pk]),
        status=400 if form.errors else 200,
    )


@login_required
def listing_create(request, pk):
    detainee = _detainee_for_change(request, pk, "casework.change_detainee")
    form = ListingForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda: services.listing_record(detainee=detainee, user=request.user, **form.cleaned_data))
    ):
        messages.success(request, _("De OCAD-vermelding is geregistreerd."))
        return redirect("casework:file_placements", pk=detainee.pk)
    return _form_page(
        request,
        form=form,
        title=_("OCAD-vermelding registreren"),
        detainee=detainee,
        cancel_url=reverse("casework:file_placements", args=[detainee.pk]),
        intro=_(
            "Noteer enkel de feiten uit de mededeling (categorie, niveau, datum, bron); "
            "dit is geen kopie van de gemeenschappelijke gegevensbank."
        ),
        status=400 if form.errors else 200,
    )


# --- Network --------------------------------------------------------------------------------------------------


@login_required
def network_person_edit(request, pk, person_pk=None):
    detainee = _detainee_for_change(request, pk, "casework.change_network")
    person = None
    if person_pk is not None:
        try:
            person = NetworkPerson.objects.visible_to(request.user).get(pk=person_pk, detainee=detainee)
        except NetworkPerson.DoesNotExist:
            raise Http404 from None
    form = NetworkPersonForm(request.POST or None, instance=person)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.network_person_save(
                detainee=detainee, user=request.user, person=person, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Het netwerk is bijgewerkt."))
        return redirect("casework:file_network", pk=detainee.pk)
    return _form_page(
        request,
        form=form,
        detainee=detainee,
        title=_("Netwerkpersoon wijzigen") if person else _("Netwerkpersoon toevoegen"),
        cancel_url=reverse("casework:file_network", args=[detainee.pk]),
        status=400 if form.errors else 200,
    )


# --- Consent ---------------------------------------------------------------------------------------------------


@login_required
def consent_create(request, pk):
    detainee = _detainee_for_change(request, pk, "casework.change_consents")
    form = ConsentForm(request.POST or None, request.FILES or None, detainee=detainee, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, lambda: services.consent_record(detainee=detainee, user=request.user, **form.cleaned_data))
    ):
        messages.success(request, _("De toestemming is geregistreerd."))
        return redirect("casework:file_consents", pk=detainee.pk)
    return _form_page(
        request,
        form=form,
        title=_("Toestemming registreren"),
        detainee=detainee,
        multipart=True,
        cancel_url=reverse("casework:file_consents", args=[detainee.pk]),
        intro=_(
            "Registreer wat de gedetineerde toestond: met welke organisatie, waarvoor en welke onderdelen. "
            "Partners zien enkel wat hier is aangevinkt, en niets meer zodra de toestemming wordt ingetrokken."
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def consent_withdraw(request, pk, consent_pk):
    detainee = _detainee_for_change(request, pk, "casework.change_consents")
    try:
        consent = Consent.objects.visible_to(request.user).get(pk=consent_pk, detainee=detainee)
    except Consent.DoesNotExist:
        raise Http404 from None
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid() and _save(
        form,
        lambda: services.consent_withdraw(
            consent=consent, user=request.user, withdrawn_on=form.cleaned_data["withdrawn_on"]
        ),
    ):
        messages.success(
            request,
            _("De toestemming is ingetrokken: %(org)s ziet vanaf nu niets meer op basis ervan.")
            % {"org": consent.organisation},
        )
    else:
        for message in [*form.non_field_errors(), *form.errors.get("withdrawn_on", [])]:
            messages.error(request, message)
    return redirect("casework:file_consents", pk=detainee.pk)
