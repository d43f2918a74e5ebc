"""The one way views and API views fetch a detainee: visible or 404 (no existence leak)."""

from django.http import Http404

from config.db_router import primary_reads

from .models import AccessLog, Detainee


def get_detainee_for_user(user, pk, *, perm: str = "casework.view_detainee") -> Detainee:
    """Return the detainee if `user` holds `perm` on it, else raise Http404.

    `visible_to` narrows the lookup first, so an invisible file costs the same single query as a
    missing one and both answer 404. An access decision (a partner's rests on consents): always read on the
    primary, even inside a report's replica reads (config/db_router.py).
    """
    with primary_reads():
        try:
            detainee = (
                Detainee.objects.visible_to(user)
                .select_related("current_prison", "organisation", "lead_consultant")
                .get(pk=pk)
            )
        except (Detainee.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        if not user.has_perm(perm, detainee):
            raise Http404
    return detainee


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(request, *, detainee: Detainee | None, object_kind: str, object_id="", action=AccessLog.Action.VIEW) -> None:
    """Record that `request.user` read case content. Called by every view that shows some."""
    AccessLog.objects.create(
        user=request.user,
        detainee=detainee,
        object_kind=object_kind,
        object_id=str(object_id or (detainee.pk if detainee else "")),
        action=action,
        path=request.path[:300],
        ip_address=client_ip(request),
    )
