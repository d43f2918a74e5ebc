"""Trajectories and their actions follow the person when two files are merged (casework/merging.py, ADR 0032).

A person's trajectories never overlap (a session counts for the trajectory open on its day), so two files
whose trajectories overlap in time — two open ones above all — are refused: one must be closed, or its dates
corrected, first. Everything below a trajectory (explorations, goals, assessments, release, aftercare,
handover packages) hangs on the trajectory and moves with it. Referrals to partners move too; two open
referrals to the same organisation would ask the partner the same twice: refused, one is withdrawn first.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.merging import MergeCheck, MergePart, count_of, register_merge_part

from .models import Action, PartnerReferral, Trajectory


def _counts() -> dict:
    return {
        "trajectories": (
            gettext_lazy("Trajecten (met doelen, inschattingen, vrijlating en nazorg)"),
            count_of(Trajectory),
        ),
        "actions": (gettext_lazy("Acties"), count_of(Action)),
        "partner_referrals": (gettext_lazy("Doorverwijzingen naar partners"), count_of(PartnerReferral)),
    }


def _span(trajectory: Trajectory) -> tuple[dt.date, dt.date]:
    return trajectory.referred_on, trajectory.closed_on or dt.date.max


def _check(source, target) -> MergeCheck:
    check = MergeCheck()
    rows = list(Trajectory.objects.filter(detainee_id__in=[source.pk, target.pk]).order_by("referred_on", "pk"))
    mine = [row for row in rows if row.detainee_id == target.pk]
    theirs = [row for row in rows if row.detainee_id == source.pk]
    if any(row.is_open for row in mine) and any(row.is_open for row in theirs):
        check.conflicts.append(
            _(
                "Beide dossiers hebben een lopend traject. Sluit eerst een van beide af: een persoon "
                "heeft hoogstens één lopend traject."
            )
        )
        return check
    for a in mine:
        for b in theirs:
            (a_start, a_end), (b_start, b_end) = _span(a), _span(b)
            if a_start <= b_end and b_start <= a_end:
                check.conflicts.append(
                    _(
                        "Het traject aangemeld op %(a)s en dat aangemeld op %(b)s overlappen in de tijd; de trajecten "
                        "van één persoon mogen niet overlappen. Verbeter eerst hun data."
                    )
                    % {
                        "a": date_format(a.referred_on, "SHORT_DATE_FORMAT"),
                        "b": date_format(b.referred_on, "SHORT_DATE_FORMAT"),
                    }
                )
    open_to = {}
    for referral in PartnerReferral.objects.filter(
        detainee_id__in=[source.pk, target.pk], status__in=PartnerReferral.OPEN_STATUSES
    ).select_related("organisation"):
        open_to.setdefault(referral.organisation_id, set()).add(referral.detainee_id)
        if len(open_to[referral.organisation_id]) == 2:
            check.conflicts.append(
                _("Beide dossiers hebben een lopende doorverwijzing naar %(organisation)s. Trek er eerst een in.")
                % {"organisation": referral.organisation}
            )
    return check


def _apply(source, target) -> dict[str, int]:
    moved = {}
    for key, model in (("trajectories", Trajectory), ("actions", Action), ("partner_referrals", PartnerReferral)):
        count = 0
        for row in model.objects.select_for_update().filter(detainee_id=source.pk):
            row.detainee_id = target.pk
            row.save(update_fields=["detainee", "updated_at"])
            count += 1
        moved[key] = count
    return moved


def register() -> None:
    register_merge_part(
        MergePart(
            name="trajectories",
            relations=(
                "trajectories.Trajectory.detainee",
                "trajectories.Action.detainee",
                "trajectories.PartnerReferral.detainee",
            ),
            counts=_counts,
            check=_check,
            apply=_apply,
            order=20,
        )
    )
