"""The detainee's file: a header and tabs, each tab a URL of its own (linkable, loadable with htmx).

Every tab shows only what the reader's role may see (docs/design.md §4) and every read writes an AccessLog row.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from config.keyset import CURSOR_PARAM, keyset_page

from .. import selectors
from ..access import access_log_record, get_detainee_for_user
from ..compartments import is_health_code, sees_health_of
from ..models import Consent, Detainee, Listing, NetworkPerson, Placement, Purpose, Scope, Session
from .registry import file_tabs

TIMELINE_PAGE_SIZE = 20

FILE_PERMS = (
    "change_detainee",
    "log_session",
    "view_confidential",
    "view_listings",
    "change_network",
    "change_consents",
    "set_case_team",
    "merge_detainee",
)


def file_permissions(user, detainee: Detainee) -> dict[str, bool]:
    """What the reader may do on this file, evaluated once per request for the template."""
    return {name: user.has_perm(f"casework.{name}", detainee) for name in FILE_PERMS}


def render_file_page(request, detainee: Detainee, *, tab: str, template: str, context: dict, object_kind: str):
    """Render a tab inside the file; an htmx tab switch gets only the tab's content.

    Other apps' tab views call this too, so every tab looks and logs the same way. One AccessLog row
    per request, named after the tab read (`sessions`, `network` …); the file's header (identity and
    dates) comes with every tab, so the row also records that the identity was read.
    """
    user = request.user
    access_log_record(request, detainee=detainee, object_kind=object_kind)
    tabs = [item for item in file_tabs() if user.has_perm(item.perm, detainee)]
    if tab not in {item.slug for item in tabs}:
        raise Http404
    context = {
        "detainee": detainee,
        "active_tab": tab,
        "tab_template": template,
        "perms_on_file": context.pop("perms_on_file", None) or file_permissions(user, detainee),
        **context,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, template, context)
    context["tabs"] = [{"slug": item.slug, "label": item.label, "url": item.url(detainee)} for item in tabs]
    context["listing"] = _current_listing(detainee) if context["perms_on_file"]["view_listings"] else None
    context["co_consultants"] = list(detainee.co_consultants.all()) if user.is_case_staff else []
    if user.is_partner:
        # What his organisation holds on this file and why, and what it does not (ADR 0034).
        from ..sharing import partner_sharing

        context["sharing"] = partner_sharing(user, detainee)
    return render(request, "casework/file/page.html", context)


def _current_listing(detainee: Detainee) -> Listing | None:
    return Listing.objects.filter(detainee=detainee, delisted_on__isnull=True).order_by("-listed_on").first()


# --- Tabs ------------------------------------------------------------------------------------------------


def _sessions_tab(request, detainee: Detainee):
    sessions = Session.objects.visible_to(request.user).filter(detainee=detainee).for_timeline()
    # Keyset pages, newest first (config/keyset.py): no count of a file's thousands of sessions.
    page = keyset_page(sessions, time_field="started_at", cursor=request.GET.get(CURSOR_PARAM), size=TIMELINE_PAGE_SIZE)
    perms = file_permissions(request.user, detainee)
    sees_health = sees_health_of(request.user, detainee)
    for session in page.object_list:
        # A health life domain on a session is health content (casework/compartments.py).
        session.shown_domains = [d for d in session.domains.all() if sees_health or not is_health_code(d.code)]
        # Evaluated here, not per session in the template, so the page's query count stays fixed.
        session.editable = perms["log_session"] and (
            session.author_id == request.user.pk or detainee.lead_consultant_id == request.user.pk
        )
    return "casework/file/tab_sessions.html", {"page": page, "perms_on_file": perms}, "sessions"


def _network_tab(request, detainee: Detainee):
    people = NetworkPerson.objects.visible_to(request.user).filter(detainee=detainee)
    return "casework/file/tab_network.html", {"people": list(people)}, "network"


def _placements_tab(request, detainee: Detainee):
    perms = file_permissions(request.user, detainee)
    placements = (
        Placement.objects.visible_to(request.user)
        .filter(detainee=detainee)
        .select_related("prison", "transferred_from")
    )
    listings = Listing.objects.visible_to(request.user).filter(detainee=detainee) if perms["view_listings"] else []
    return (
        "casework/file/tab_placements.html",
        {"placements": list(placements), "listings": list(listings), "perms_on_file": perms},
        "placements",
    )


def _consents_tab(request, detainee: Detainee):
    consents = (
        Consent.objects.visible_to(request.user)
        .filter(detainee=detainee)
        .select_related("organisation", "explained_by")
        .order_by("-given_on", "-pk")
    )
    purposes, scopes = dict(Purpose.choices), dict(Scope.choices)
    consents = list(consents)
    for consent in consents:
        consent.purpose_labels = [purposes.get(code, code) for code in consent.purposes]
        consent.scope_labels = [scopes.get(code, code) for code in consent.scopes]
    return "casework/file/tab_consents.html", {"consents": consents}, "consents"


def _history_tab(request, detainee: Detainee):
    show_confidential = request.user.has_perm("casework.view_confidential", detainee)
    page = selectors.detainee_history(
        detainee, show_confidential=show_confidential, cursor=request.GET.get(CURSOR_PARAM)
    )
    return "casework/file/tab_history.html", {"page": page, "entries": page.object_list}, "history"


TAB_VIEWS = {
    "sessions": _sessions_tab,
    "network": _network_tab,
    "placements": _placements_tab,
    "consent": _consents_tab,
    "history": _history_tab,
}
TAB_PERMS = {
    tab: f"casework.{perm}"
    for tab, perm in {
        "sessions": "view_sessions",
        "network": "view_network",
        "placements": "view_detainee",
        "consent": "view_consents",
        "history": "view_history",
    }.items()
}


def _show_tab(request, pk, tab: str):
    detainee = get_detainee_for_user(request.user, pk)
    if not request.user.has_perm(TAB_PERMS[tab], detainee):
        raise Http404
    template, context, kind = TAB_VIEWS[tab](request, detainee)
    return render_file_page(request, detainee, tab=tab, template=template, context=context, object_kind=kind)


@login_required
def detainee_detail(request, pk):
    """The file opens on the first tab the reader may see (sessions for the case staff)."""
    detainee = get_detainee_for_user(request.user, pk)
    for tab in ("sessions", "placements"):
        if request.user.has_perm(TAB_PERMS[tab], detainee):
            template, context, kind = TAB_VIEWS[tab](request, detainee)
            return render_file_page(request, detainee, tab=tab, template=template, context=context, object_kind=kind)
    raise Http404


@login_required
def file_sessions(request, pk):
    return _show_tab(request, pk, "sessions")


@login_required
def file_network(request, pk):
    return _show_tab(request, pk, "network")


@login_required
def file_placements(request, pk):
    return _show_tab(request, pk, "placements")


@login_required
def file_consents(request, pk):
    return _show_tab(request, pk, "consent")


@login_required
def file_history(request, pk):
    return _show_tab(request, pk, "history")


@login_required
def consent_document(request, pk, consent_pk):
    """Uploaded consent scans are served only here, after the access check, and the read is logged."""
    detainee = get_detainee_for_user(request.user, pk, perm="casework.view_consents")
    try:
        consent = Consent.objects.visible_to(request.user).get(pk=consent_pk, detainee=detainee)
    except (Consent.DoesNotExist, ValueError):
        raise Http404 from None
    if not consent.document:
        raise Http404
    access_log_record(request, detainee=detainee, object_kind="consent_document", object_id=consent.pk)
    return FileResponse(
        consent.document.open("rb"), as_attachment=True, filename=consent.document.name.rsplit("/", 1)[-1]
    )
