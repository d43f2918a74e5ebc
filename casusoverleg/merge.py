"""Case conferences and the file's own conference rhythm follow the person when two files are merged
(casework/merging.py, ADR 0032). Participants, agenda, minutes and their copies hang on the conference.

A conference rhythm set on both files: the survivor's stays (it is the one its team last chose), the other is
removed with the merged-away file.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.merging import MergeCheck, MergePart, count_of, register_merge_part

from .models import CadenceRule, Conference


def _counts() -> dict:
    return {
        "conferences": (gettext_lazy("Casusoverleggen (met deelnemers en verslagen)"), count_of(Conference)),
        "cadence": (gettext_lazy("Eigen ritme van het casusoverleg"), count_of(CadenceRule)),
    }


def _check(source, target) -> MergeCheck:
    check = MergeCheck()
    rules = {rule.detainee_id: rule for rule in CadenceRule.objects.filter(detainee_id__in=[source.pk, target.pk])}
    if source.pk in rules and target.pk in rules and rules[source.pk].months != rules[target.pk].months:
        check.resolutions.append(
            _(
                "Beide dossiers hebben een eigen ritme van het casusoverleg: dat van het behouden dossier (elke "
                "%(kept)s maanden) blijft, dat van het andere (elke %(dropped)s maanden) vervalt."
            )
            % {"kept": rules[target.pk].months, "dropped": rules[source.pk].months}
        )
    return check


def _apply(source, target) -> dict[str, int]:
    count = 0
    for conference in Conference.objects.select_for_update().filter(detainee_id=source.pk):
        conference.detainee_id = target.pk
        conference.save(update_fields=["detainee", "updated_at"])
        count += 1
    cadence = 0
    rule = CadenceRule.objects.filter(detainee_id=source.pk).first()
    if rule is not None:
        if CadenceRule.objects.filter(detainee_id=target.pk).exists():
            rule.delete()
        else:
            rule.detainee_id = target.pk
            rule.save(update_fields=["detainee", "updated_at"])
            cadence = 1
    return {"conferences": count, "cadence": cadence}


def register() -> None:
    register_merge_part(
        MergePart(
            name="casusoverleg",
            relations=("casusoverleg.Conference.detainee", "casusoverleg.CadenceRule.detainee"),
            counts=_counts,
            check=_check,
            apply=_apply,
            order=30,
        )
    )
