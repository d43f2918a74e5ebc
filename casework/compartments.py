"""The health compartment (docs/design.md §4; ADR 0009).

Health content is everything tied to a health life domain — `mental_health`: trauma, specialised care,
addiction. Like confidential notes it is seen by the file's lead and co-consultants and their manager;
it leaves the team only to a partner whose organisation holds an active consent with scope `health` (on
top of the scope of the part it belongs to). Colleagues outside the case team, directors, the dpo and
other partners never get it.

`casework.view_health` is the rule per file; `health_filter` is the same rule as a queryset condition for
rows that hang off a life domain (goals, explorations, actions of a goal, assessment sections whose code is
a health domain's code). Apps further right (trajectories, casusoverleg) use both.

Writes follow the same rule (ADR 0009 §7): health content is written by those who may read it.
`refuse_health_write` is what the services call before they write into a health domain; a correction by
someone outside the compartment leaves the health part it cannot show as it was (`session_update`, the
assessment form).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import rules
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .models import CASEWORK_PURPOSES, Detainee, Scope, consent_exists
from .permissions import case_team_member, consent_covers, is_manager, is_partner, same_organisation

HEALTH_DOMAIN_CODES = frozenset({"mental_health"})

rules.add_perm(
    "casework.view_health",
    case_team_member
    | (is_manager & same_organisation)
    | (is_partner & consent_covers(Scope.HEALTH, purpose=CASEWORK_PURPOSES)),
)


def is_health_code(code: str) -> bool:
    """A life domain (or an assessment section named after one) that belongs to the health compartment."""
    return code in HEALTH_DOMAIN_CODES


def sees_health_of(user, detainee: Detainee) -> bool:
    return user.has_perm("casework.view_health", detainee)


def health_filter(user, *, code: str, detainee: str) -> Q | None:
    """A condition keeping the rows `user` may see: not in a health domain, or on a file whose health
    content `user` may see. `code` is the lookup of the domain (or section) code, `detainee` the path to
    the detainee. None means no restriction (the manager; `visible_to` already keeps him in his organisation).
    """
    in_health = Q(**{f"{code}__in": sorted(HEALTH_DOMAIN_CODES)})
    if not user.is_authenticated or not user.is_active:
        return ~in_health
    if user.is_manager:
        return None
    if user.is_consultant:
        co_consultant = Exists(
            Detainee.co_consultants.through.objects.filter(detainee_id=OuterRef(f"{detainee}_id"), user_id=user.pk)
        )
        return ~in_health | Q(**{f"{detainee}__lead_consultant_id": user.pk}) | co_consultant
    if user.is_partner and user.organisation_id:
        return ~in_health | consent_exists(user, Scope.HEALTH, f"{detainee}_id", purpose=CASEWORK_PURPOSES)
    return ~in_health


_M = TypeVar("_M", bound=models.Model)


class HealthCompartmentQuerySet(models.QuerySet[_M]):
    """The one home of the health rule for querysets of content kept per life domain: a subclass names the
    lookup of the domain code (`health_code`) and the path to the detainee (`health_detainee`), and its
    `visible_to` narrows its own rule with `without_hidden_health(user)`."""

    health_code: str = "domain__code"
    health_detainee: str = "detainee"

    def without_hidden_health(self, user):
        """These rows less those in a health domain on a file whose health content `user` may not see."""
        condition = health_filter(user, code=self.health_code, detainee=self.health_detainee)
        return self if condition is None else self.filter(condition)


def health_detainee_ids(user, detainees: dict[int, Detainee]) -> set[int]:
    """Of `detainees` (id → Detainee, case team prefetched), the files whose health content `user` may see:
    the rule per file for the staff (no query with the team prefetched), one query for a partner."""
    if user.is_authenticated and user.is_partner:
        if not user.organisation_id or not detainees:
            return set()
        from .models import Consent

        return set(
            Consent.objects.granting(purpose=CASEWORK_PURPOSES, scope=Scope.HEALTH)
            .filter(
                detainee_id__in=list(detainees),
                organisation_id=user.organisation_id,
            )
            .values_list("detainee_id", flat=True)
        )
    return {pk for pk, detainee in detainees.items() if sees_health_of(user, detainee)}


def without_health_codes(codes: list[str]) -> list[str]:
    return [code for code in codes if not is_health_code(code)]


def health_write_message(label: str) -> str:
    """Why a write into a health domain is refused: the same words on a form and in the API."""
    return _(
        "'%(domain)s' hoort bij de gezondheidsgegevens van dit dossier: enkel de hoofdconsulent, de co-consulenten "
        "en hun manager vullen die in."
    ) % {"domain": label}


def refuse_health_write(user, detainee: Detainee, *, field: str, written: Iterable[tuple[str, str]]) -> None:
    """Raise a ValidationError on `field` when `written` — (domain or section code, label) of what is written:
    a domain, an assessment item — holds health content and `user` may not see this file's health content.
    `user` None is the system itself.

    The rule is evaluated only when health content is written, so a routine write costs no query more."""
    health = [label for code, label in written if is_health_code(code)]
    if not health or user is None or sees_health_of(user, detainee):
        return
    raise ValidationError({field: health_write_message(health[0])})
