"""Merging two files of the same person (ADR 0032): the manager picks the other file (the potential
duplicates of this one, or a search of the caseload), sees what would move and what clashes, chooses the file
that stays and confirms. Thin: the preview and the merge are `casework/services_merge.py`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .access import access_log_record, client_ip, get_detainee_for_user
from .models import Detainee
from .search import potential_duplicates, rank_order
from .services_merge import detainee_merge, detainee_merge_preview

SEARCH_LIMIT = 10


class MergeConfirmForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    survivor = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=gettext_lazy("Ik heb nagekeken: beide dossiers gaan over dezelfde persoon."),
        error_messages={"required": gettext_lazy("Bevestig dat beide dossiers over dezelfde persoon gaan.")},
    )


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _other_file(user, pk: int | None, detainee: Detainee) -> Detainee | None:
    """The second file, if it is one the manager may merge; None for any other id (nothing is said about why)."""
    if pk is None or pk == detainee.pk:
        return None
    other = (
        Detainee.objects.visible_to(user)
        .select_related("current_prison", "organisation", "lead_consultant")
        .filter(pk=pk)
        .first()
    )
    if other is None or not user.has_perm("casework.merge_detainee", other):
        return None
    return other


@login_required
@require_http_methods(["GET", "POST"])
def detainee_merge_page(request, pk):
    user = request.user
    detainee = get_detainee_for_user(user, pk)
    if not user.has_perm("casework.merge_detainee", detainee):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    other_pk = _number(data.get("other") or data.get("met"))
    other = _other_file(user, other_pk, detainee)
    errors: list[str] = []
    if other_pk is not None and other is None:
        errors.append(_("Geen ander dossier met dit nummer in je caseload."))
    survivor_pk = _number(data.get("survivor") or data.get("behouden")) or detainee.pk
    form = None
    if other is not None:
        target, source = (other, detainee) if survivor_pk == other.pk else (detainee, other)
        form = MergeConfirmForm(request.POST or None, initial={"other": other.pk, "survivor": target.pk})
        if request.method == "POST" and form.is_valid():
            try:
                detainee_merge(
                    source=source, target=target, user=user, path=request.path, ip_address=client_ip(request)
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(
                    request, _("Het dossier #%(merged)s is samengevoegd met dit dossier.") % {"merged": source.pk}
                )
                return redirect("casework:detainee_detail", pk=target.pk)
        preview = detainee_merge_preview(source=source, target=target)
        access_log_record(request, detainee=detainee, object_kind="merge_preview", object_id=other.pk)
        access_log_record(request, detainee=other, object_kind="merge_preview", object_id=detainee.pk)
    else:
        preview = None
        access_log_record(request, detainee=detainee, object_kind="merge_preview")
    query = (request.GET.get("zoek") or "").strip()[:100]
    visible = Detainee.objects.visible_to(user).exclude(pk=detainee.pk)
    if query:
        candidates = list(
            visible.search(query)
            .select_related("current_prison")
            .order_by(*rank_order("last_name", "first_name", "pk"))[:SEARCH_LIMIT]
        )
    else:
        candidates = potential_duplicates(
            visible,
            first_name=detainee.first_name,
            last_name=detainee.last_name,
            date_of_birth=detainee.date_of_birth,
            national_number=detainee.national_number,
        )
    return render(
        request,
        "casework/merge/page.html",
        {
            "detainee": detainee,
            "other": other,
            "preview": preview,
            "form": form,
            "errors": errors,
            "candidates": candidates,
            "query": query,
        },
    )
