"""The one way views and API views fetch a conference: visible (and permitted) or 404."""

from django.http import Http404

from .models import Conference, Minutes
from .selectors import CADENCES


def get_conference_for_user(user, pk, *, perm: str = "casusoverleg.view_conference") -> Conference:
    """Return the conference if `user` may see it and holds `perm` on it; otherwise raise Http404.

    `visible_to` narrows the lookup first, so an invisible conference answers exactly like a missing one.
    """
    try:
        conference = (
            Conference.objects.visible_to(user)
            .select_related(
                "detainee", "detainee__organisation", "prison", "chair", *(f"detainee__{path}" for path in CADENCES)
            )
            .get(pk=pk)
        )
    except (Conference.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm(perm, conference):
        raise Http404
    return conference


def get_current_minutes_for_user(user, conference: Conference) -> Minutes:
    """The newest minutes version `user` may read, else Http404 (a draft the reader may not see does not exist
    for him)."""
    versions = conference.minutes_versions.order_by("-number")
    if not user.has_perm("casusoverleg.view_draft_minutes", conference):
        versions = versions.filter(status=Minutes.Status.APPROVED)
    minutes = versions.first()
    if minutes is None:
        raise Http404
    return minutes
