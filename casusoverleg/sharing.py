"""What a partner may open of the case conferences on a file (the sharing panel, casework/sharing.py, ADR 0034)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from casework.models import Scope
from casework.views.registry import SharedItem, register_shared_items


def _conference_items(user, detainee, scopes, purposes):
    from .models import Conference

    # Invited conferences on a consent with scope minutes, or on art. 458ter (Conference.visible_to): one query.
    rows = Conference.objects.visible_to(user).filter(detainee=detainee).order_by("-starts_at")
    return [
        SharedItem(
            Scope.MINUTES,
            _("Casusoverleg %(ref)s van %(day)s")
            % {"ref": c.reference, "day": date_format(localtime(c.starts_at).date(), "SHORT_DATE_FORMAT")},
            reverse("casusoverleg:detail", args=[c.pk]),
            c.get_status_display(),
        )
        for c in rows
    ]


register_shared_items("30_casusoverleg", _conference_items)
