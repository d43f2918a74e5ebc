"""Landing page ("Mijn dag") and the caseload list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .. import selectors
from ..forms import CaseloadFilterForm
from .registry import MyDayPanel, my_day_panels, register_my_day_panel

CASELOAD_PAGE_SIZE = 25
MY_DAY_LIST_LIMIT = 50

# --- Mijn dag ---------------------------------------------------------------------------------------


def _today_sessions(request) -> dict:
    return {"sessions": list(selectors.sessions_logged_today(request.user))}


def _own_caseload(request) -> dict:
    return {"detainees": list(selectors.own_caseload(request.user))}


def _prison_detainees(request) -> dict:
    qs = selectors.caseload_for_user(request.user, in_scope=True)
    detainees = list(qs[: MY_DAY_LIST_LIMIT + 1])
    return {
        "detainees": detainees[:MY_DAY_LIST_LIMIT],
        "more": len(detainees) > MY_DAY_LIST_LIMIT,
        "prisons": list(request.user.directed_prisons.all()),
    }


def _organisation_figures(request) -> dict:
    return {"figures": selectors.organisation_caseload_figures(request.user)}


def _shared_with_me(request) -> dict:
    detainees = list(selectors.caseload_for_user(request.user)[: MY_DAY_LIST_LIMIT + 1])
    return {"detainees": detainees[:MY_DAY_LIST_LIMIT], "more": len(detainees) > MY_DAY_LIST_LIMIT}


R = User.Role
register_my_day_panel(
    MyDayPanel("today_sessions", "casework/my_day/today_sessions.html", {R.CONSULTANT}, 10, _today_sessions)
)
register_my_day_panel(
    MyDayPanel("own_caseload", "casework/my_day/own_caseload.html", {R.CONSULTANT}, 20, _own_caseload)
)
register_my_day_panel(
    MyDayPanel(
        "organisation_figures", "casework/my_day/organisation_figures.html", {R.MANAGER}, 10, _organisation_figures
    )
)
register_my_day_panel(
    MyDayPanel("prison_detainees", "casework/my_day/prison_detainees.html", {R.DIRECTOR}, 10, _prison_detainees)
)
register_my_day_panel(
    MyDayPanel("shared_with_me", "casework/my_day/shared_with_me.html", {R.PARTNER}, 10, _shared_with_me)
)
register_my_day_panel(MyDayPanel("admin_tools", "casework/my_day/admin_tools.html", {R.ADMIN}, 10))
register_my_day_panel(MyDayPanel("dpo_tools", "casework/my_day/dpo_tools.html", {R.DPO}, 10))


@login_required
def my_day(request):
    panels = [
        {"name": panel.name, "template": panel.template, "data": panel.context(request)}
        for panel in my_day_panels(request.user.role)
    ]
    return render(request, "casework/my_day.html", {"panels": panels})


# --- Caseload ---------------------------------------------------------------------------------------


@login_required
def caseload(request):
    """The detainees the user may see: live search by name, filters, 25 per page.

    An htmx request (the live search) gets only the results table. Roles without any case content
    (admin, dpo) get a 403: the page exists, there is nothing in it for them.
    """
    if not request.user.has_perm("casework.view_caseload"):
        raise PermissionDenied
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    qs = selectors.caseload_for_user(request.user, **filters)
    page = Paginator(qs, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    for detainee in page.object_list:
        detainee.listing_now = selectors.current_listing_of(detainee) if hasattr(detainee, "active_listings") else None
    context = {
        "form": form,
        "page": page,
        "filtered": any(value not in (None, "") for value in filters.values()),
        "show_last_contact": request.user.is_case_staff,
        "show_listing": request.user.is_case_staff or request.user.is_director,
        "can_create": request.user.has_perm("casework.create_detainee"),
        "title": _("Gedetineerden"),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "casework/caseload/_results.html", context)
    return render(request, "casework/caseload/list.html", context)
