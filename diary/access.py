"""The one way views fetch a planned contact: the user's own, or 404 (no existence leak)."""

from __future__ import annotations

from django.http import Http404

from .models import PlannedContact


def get_planned_contact_for_user(user, pk, *, perm: str = "diary.change_planned_contact") -> PlannedContact:
    """Return the contact if `user` holds `perm` on it, else raise Http404 (the refusal is recorded by
    casework's AccessRefusalMiddleware, as for every route naming an object)."""
    try:
        contact = (
            PlannedContact.objects.visible_to(user)
            .select_related("detainee__current_prison", "detainee__organisation", "prison", "session")
            .get(pk=pk)
        )
    except (PlannedContact.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm(perm, contact):
        raise Http404
    return contact
