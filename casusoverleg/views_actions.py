""" "My actions": the actions agreed at case conferences that the reader owns, and his updates on them (ADR 0034)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.forms import add_service_errors

from .actions import get_owned_action_for_user, my_actions
from .forms import ActionUpdateForm
from .services.actions import action_owner_update


def _page(request, *, failed=None, form=None, status=200):
    today = timezone.localdate()
    actions = my_actions(request.user, today=today)
    for action in actions:
        action.form = form if failed == action.pk else ActionUpdateForm(prefix=f"a{action.pk}")
    return render(
        request,
        "casusoverleg/my_actions.html",
        {
            "open_actions": [a for a in actions if a.status == "open"],
            "done_actions": [a for a in actions if a.status != "open"],
            "failed": failed,
        },
        status=status,
    )


@login_required
@require_GET
def my_actions_page(request):
    """The reader's open conference actions with due date, the conference they came from and (where consent
    allows) whose file; and those done in the last 30 days. A fixed number of queries."""
    return _page(request)


@login_required
@require_POST
def my_action_update(request, action_pk):
    action = get_owned_action_for_user(request.user, action_pk)
    form = ActionUpdateForm(request.POST, prefix=f"a{action.pk}")
    if not form.is_valid():
        return _page(request, failed=action.pk, form=form, status=400)
    try:
        action_owner_update(action=action, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, failed=action.pk, form=form, status=400)
    if form.cleaned_data["kind"] == "done":
        messages.success(request, _("De actie is afgerond. Het dossierteam ziet het op het volgende overleg."))
    else:
        messages.success(request, _("Je notitie is bewaard. Het dossierteam ziet ze op het volgende overleg."))
    return redirect(reverse("casusoverleg:my_actions") + f"#actie-{action.pk}")
