"""The one way views and API views fetch a detainee: visible or 404 (no existence leak)."""

from django.http import Http404

from config.db_router import primary_reads

from .models import AccessLog, Detainee


class DetaineeMerged(Http404):
    """A 404 for a merged-away file, carrying the survivor for a reader who may see it (ADR 0032)."""

    def __init__(self, survivor: Detainee):
        super().__init__("merged")
        self.survivor = survivor

    def as_api_data(self) -> dict:
        from django.utils.translation import gettext

        return {
            "detail": gettext("Dit dossier is samengevoegd met een ander dossier."),
            "merged_into": self.survivor.pk,
        }


def missing_detainee(user, pk) -> Http404:
    """The 404 for a file `user` cannot open: a pointer to the survivor when it was merged and the user may
    see the survivor's history (case staff of its organisation), else the same 404 as a file that never was."""
    from .services_merge import merged_into

    survivor = merged_into(user, pk) if user.is_authenticated else None
    return DetaineeMerged(survivor) if survivor is not None else Http404()


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
        except Detainee.DoesNotExist:
            raise missing_detainee(user, pk) from None
        except (ValueError, TypeError):
            raise Http404 from None
        if not user.has_perm(perm, detainee):
            raise Http404
    return detainee


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    request, *, detainee: Detainee | None, object_kind: str, object_id="", action=AccessLog.Action.VIEW
) -> None:
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


class MergedFilePointerMiddleware:
    """Turns the 404 of a merged-away file into the page that points to the survivor, still with status 404
    (ADR 0032). Only `DetaineeMerged` carries a survivor, and only for a reader who may see it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DetaineeMerged):
            return None
        from django.shortcuts import render

        return render(request, "casework/merged.html", {"survivor": exception.survivor}, status=404)
