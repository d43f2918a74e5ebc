"""The health compartment on trajectory content (casework/compartments.py, ADR 0009).

Goals, reviews, explorations and actions are filtered in their `visible_to` querysets. What is read without
those — the life-domain matrix of a trajectory page, assessment ratings of a health section, the handover
package and the conference agenda — is cut down here.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from casework.compartments import HEALTH_DOMAIN_CODES, is_health_code, sees_health_of
from casework.models import Detainee

from . import selectors
from .models import Assessment, AssessmentRating

HEALTH_CODES = sorted(HEALTH_DOMAIN_CODES)


def ratings_for(user, detainee: Detainee) -> QuerySet[AssessmentRating]:
    """Assessment ratings with item and section; without the health sections unless `user` may see them."""
    qs = AssessmentRating.objects.select_related("item", "item__section")
    if sees_health_of(user, detainee):
        return qs
    return qs.exclude(item__section__code__in=HEALTH_CODES)


def ratings_prefetch(user, detainee: Detainee) -> Prefetch:
    return Prefetch("ratings", queryset=ratings_for(user, detainee))


def assessments_for_page(trajectory, user) -> list[Assessment]:
    """The trajectory's assessments with template, assessor and the ratings `user` may see (three queries)."""
    return selectors.assessments_for_page(trajectory, ratings=ratings_prefetch(user, trajectory.detainee))


def matrix_for(user, detainee: Detainee, matrix: list) -> list:
    """The rows of a goal matrix (`selectors.goal_matrix`) `user` may see: no health domain row unless allowed."""
    if sees_health_of(user, detainee):
        return matrix
    return [row for row in matrix if not is_health_code(row.domain.code)]
