"""What a partner may open of the trajectories app on a file (the sharing panel, casework/sharing.py, ADR 0034)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.models import Purpose, Scope
from casework.views.registry import SharedItem, register_shared_items


def _trajectory_items(user, detainee, scopes, purposes):
    from .models import Assessment
    from .models_partners import PartnerReferral

    items = []
    if Scope.TRAJECTORY_GOALS in scopes:
        items.append(
            SharedItem(
                Scope.TRAJECTORY_GOALS, _("Traject en doelen"), reverse("trajectories:file_tab", args=[detainee.pk])
            )
        )
    if Scope.ASSESSMENTS in scopes:
        for assessment in (
            Assessment.objects.visible_to(user)
            .filter(trajectory__detainee=detainee)
            .select_related("template")
            .order_by("-assessed_on", "-pk")
        ):
            items.append(
                SharedItem(
                    Scope.ASSESSMENTS,
                    _("Inschatting %(instrument)s van %(day)s")
                    % {
                        "instrument": assessment.template.display_name,
                        "day": date_format(assessment.assessed_on, "SHORT_DATE_FORMAT"),
                    },
                    reverse("trajectories:assessment", args=[assessment.pk]),
                    assessment.get_status_display(),
                )
            )
    if Purpose.REFERRAL in purposes:
        for referral in PartnerReferral.objects.visible_to(user).filter(detainee=detainee).order_by("-referred_at"):
            items.append(
                SharedItem(
                    Purpose.REFERRAL,
                    _("Doorverwijzing %(ref)s: %(service)s") % {"ref": referral.reference, "service": referral.service},
                    reverse("trajectories:partner_referral", args=[referral.pk]),
                    referral.get_status_display(),
                )
            )
    return items


register_shared_items("20_trajectories", _trajectory_items)
