"""Writes to a trajectory's assessments: start, update, finalise; a finalised one is corrected by a new one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.display import local_date
from accounts.models import User
from casework.compartments import is_health_code, refuse_health_write, sees_health_of
from config.history import recorded

from ..models import (
    Assessment,
    AssessmentItem,
    AssessmentRating,
    AssessmentTemplate,
    Trajectory,
)
from .lifecycle import _not_in_future, _require_open

# --- Assessments ----------------------------------------------------------------------------------------

ASSESSMENT_TEXT_FIELDS = ("sources", "overall_judgement", "overall_note", "changes_since_last", "assessed_on")


def _require_draft(assessment: Assessment) -> None:
    if assessment.is_final:
        raise ValidationError(
            {"status": _("Een definitieve inschatting kan niet meer gewijzigd worden; maak een correctie.")}
        )


def assessment_start(
    *,
    trajectory: Trajectory,
    user: User,
    template: AssessmentTemplate,
    assessed_on: dt.date | None = None,
    corrects: Assessment | None = None,
) -> Assessment:
    """Start a draft assessment with one empty rating per item of the template.

    With `corrects`, the draft is a correction of a finalised assessment and starts from its ratings.
    """
    assessed_on = assessed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not template.is_active and corrects is None:
        errors["template"] = _("Dit instrument is niet meer in gebruik.")
    _not_in_future(assessed_on, "assessed_on", errors)
    if corrects is not None:
        # The caller may hold a copy from before it was finalised.
        corrects.refresh_from_db(fields=["status", "finalised_at"])
    if corrects is not None and (corrects.trajectory_id != trajectory.pk or not corrects.is_final):
        errors["corrects"] = _("Enkel een definitieve inschatting van dit traject kan gecorrigeerd worden.")
    if errors:
        raise ValidationError(errors)
    if corrects is None:
        _require_open(trajectory)
    items = list(AssessmentItem.objects.filter(section__template=template))
    previous = {r.item_id: r for r in corrects.ratings.all()} if corrects else {}
    with recorded(user, "assessment_start"):
        assessment = Assessment.objects.create(
            trajectory=trajectory,
            template=template,
            assessed_on=assessed_on,
            assessor=user,
            corrects=corrects,
            sources=corrects.sources if corrects else "",
            overall_judgement=corrects.overall_judgement if corrects else "",
            overall_note=corrects.overall_note if corrects else "",
            changes_since_last=corrects.changes_since_last if corrects else "",
        )
        AssessmentRating.objects.bulk_create(
            [
                AssessmentRating(
                    assessment=assessment,
                    item=item,
                    rating=previous[item.pk].rating if item.pk in previous else None,
                    evidence=previous[item.pk].evidence if item.pk in previous else "",
                )
                for item in items
            ]
        )
    return assessment


def assessment_update(
    *, assessment: Assessment, user: User, ratings: Mapping[int, Mapping[str, Any]] | None = None, **fields: Any
) -> Assessment:
    """Fill in a draft: `ratings` maps item id → {"rating": int|None, "evidence": str}; text fields by name.

    A finalised assessment is immutable; every value is checked against its item's scale.
    """
    unknown = set(fields) - set(ASSESSMENT_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    with recorded(user, "assessment_update"):
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require_draft(locked)
        errors: dict[str, str] = {}
        if "overall_judgement" in fields and fields["overall_judgement"] not in ("", *Assessment.Judgement.values):
            errors["overall_judgement"] = _("Onbekend oordeel.")
        if "assessed_on" in fields:
            _not_in_future(fields["assessed_on"], "assessed_on", errors)
        rows = {r.item_id: r for r in locked.ratings.select_related("item__section")}
        # Health items are filled in by those who may read them (casework/compartments.py): refused, not ignored,
        # so an API client is never told that a score it sent was saved.
        written = [
            (rows[int(pk)].item.section.code, rows[int(pk)].item.label) for pk in (ratings or {}) if int(pk) in rows
        ]
        if any(is_health_code(code) for code, _label in written):
            refuse_health_write(user, assessment.trajectory.detainee, field="ratings", written=written)
        changed = []
        for item_id, values in (ratings or {}).items():
            row = rows.get(int(item_id))
            if row is None:
                errors["ratings"] = _("Item %(item)s hoort niet bij dit instrument.") % {"item": item_id}
                continue
            value = values.get("rating")
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= row.item.scale_max
            ):
                errors[f"rating_{row.item.code}"] = _("'%(label)s': de score ligt tussen 0 en %(max)s.") % {
                    "label": row.item.label,
                    "max": row.item.scale_max,
                }
                continue
            row.rating = value
            row.evidence = (values.get("evidence") or "")[:2000]
            changed.append(row)
        if errors:
            raise ValidationError(errors)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["trajectory", "template", "corrects"])
        locked.save(update_fields=[*fields, "updated_at"])
        AssessmentRating.objects.bulk_update(changed, ["rating", "evidence"])
    return locked


def _changes_against_previous(assessment: Assessment) -> str:
    """'label: 1 → 2' for every item rated differently in the previous final assessment with this instrument.

    Items are matched by section and item code, so a new template version still compares. The previous
    one is the latest finalised assessment of the same instrument code dated on or before this one; a
    corrected original does not count (its correction does).
    """
    previous = (
        Assessment.objects.filter(
            trajectory_id=assessment.trajectory_id,
            template__code=assessment.template.code,
            status=Assessment.AssessmentStatus.FINALISED,
            assessed_on__lte=assessment.assessed_on,
            corrections__isnull=True,
        )
        .exclude(pk__in=[assessment.pk, assessment.corrects_id or 0])
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if previous is None:
        return ""
    before = {(r.item.section.code, r.item.code): r.rating for r in previous.ratings.select_related("item__section")}
    lines = []
    for r in assessment.ratings.select_related("item__section").order_by("item__section__order", "item__order"):
        if is_health_code(r.item.section.code):
            # This text is read by everyone who sees the assessment; health scores stay in their compartment.
            continue
        old = before.get((r.item.section.code, r.item.code))
        if old is not None and r.rating is not None and old != r.rating:
            lines.append(f"{r.item.label}: {old} → {r.rating}")
    if not lines:
        return _("Geen verschil in de scores met de inschatting van %(date)s.") % {
            "date": local_date(previous.assessed_on)
        }
    header = _("Verschillen met de inschatting van %(date)s:") % {"date": local_date(previous.assessed_on)}
    return "\n".join([header, *lines])[:3000]


def assessment_finalise(*, assessment: Assessment, user: User) -> Assessment:
    """Make a draft final: every item rated and an overall judgement given. From then on it never changes.

    When the assessor left "changes since last" empty, it is filled with the score differences against
    the previous final assessment with the same instrument, so the record says what changed.
    """
    with recorded(user, "assessment_finalise"):
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require_draft(locked)
        errors: dict[str, str | list[str]] = {}
        if not locked.overall_judgement:
            errors["overall_judgement"] = _("Geef een algemeen oordeel.")
        unrated = [
            r.item.section.code for r in locked.ratings.filter(rating__isnull=True).select_related("item__section")
        ]
        hidden = 0
        if any(is_health_code(code) for code in unrated) and not (
            user is None or sees_health_of(user, assessment.trajectory.detainee)
        ):
            hidden = sum(1 for code in unrated if is_health_code(code))
        problems = []
        if len(unrated) > hidden:
            problems.append(_("Nog %(count)s item(s) zonder score.") % {"count": len(unrated) - hidden})
        if hidden:
            # Someone outside the compartment does not see these items: say who fills them in.
            problems.append(
                _(
                    "De items over gezondheid hebben nog geen score; die vullen de hoofdconsulent, de co-consulenten "
                    "of hun manager in."
                )
            )
        if problems:
            errors["ratings"] = problems
        if errors:
            raise ValidationError(errors)
        if not locked.changes_since_last.strip():
            locked.changes_since_last = _changes_against_previous(locked)
        locked.status = Assessment.AssessmentStatus.FINALISED
        locked.finalised_at = timezone.now()
        locked.save(update_fields=["status", "finalised_at", "changes_since_last", "updated_at"])
    return locked
