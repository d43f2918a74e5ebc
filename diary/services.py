"""Every write of the diary (docs/conventions.md §1): plan, move, cancel, and log a planned contact.

The rules live here, for the pages and any future API alike: a consultant plans only with a detainee of his
own caseload, not in the past, at most a year ahead, for a plausible duration; a visit in prison needs a
prison and a file whose person is not released. Logging goes through `casework.services.session_log`, so a
session logged from a plan is validated exactly like any other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from casework.models import Detainee, Prison, Session
from casework.services import session_log
from config.history import history, recorded

from .models import CONTACT_MAX_MINUTES, CONTACT_MIN_MINUTES, ContactKind, PlannedContact

PLAN_MAX_DAYS_AHEAD = 366
# A contact planned "now" is not in the past: the minutes it takes to fill in the form are allowed.
PLAN_GRACE = dt.timedelta(minutes=5)


def _check(contact: PlannedContact, *, user: User) -> None:
    errors: dict[str, str] = {}
    detainee = contact.detainee
    if not user.is_consultant or not user.has_perm("diary.plan_contact", detainee):
        errors["detainee"] = _("Je plant enkel contacten met gedetineerden uit je eigen caseload.")
    now = timezone.now()
    if contact.starts_at is None or timezone.is_naive(contact.starts_at):
        errors["starts_at"] = _("Geef een datum en een uur.")
    elif contact.starts_at < now - PLAN_GRACE:
        errors["starts_at"] = _("Een contact plan je niet in het verleden.")
    elif contact.starts_at > now + dt.timedelta(days=PLAN_MAX_DAYS_AHEAD):
        errors["starts_at"] = _("Plan hoogstens een jaar vooruit.")
    if not CONTACT_MIN_MINUTES <= (contact.duration_minutes or 0) <= CONTACT_MAX_MINUTES:
        errors["duration_minutes"] = _("De duur moet tussen 5 minuten en 12 uur liggen.")
    if contact.kind not in ContactKind.values:
        errors["kind"] = _("Kies een soort contact.")
    if contact.kind == ContactKind.VISIT:
        if contact.prison_id is None:
            errors["prison"] = _("Een bezoek vindt plaats in een gevangenis: kies ze.")
        if detainee.released_on is not None:
            errors["kind"] = _("De gedetineerde is vrijgelaten: een bezoek in de gevangenis kan niet meer.")
    if errors:
        raise ValidationError(errors)


def _still_open(contact: PlannedContact) -> None:
    if contact.session_id is not None:
        raise ValidationError(_("Dit contact is al geregistreerd."))
    if contact.cancelled_at is not None:
        raise ValidationError(_("Dit contact is geannuleerd."))


def _may_change(contact: PlannedContact, user: User) -> None:
    if not user.has_perm("diary.change_planned_contact", contact):
        raise ValidationError(_("Enkel de consulent die het contact plande, wijzigt het."))


def planned_contact_plan(
    *,
    detainee: Detainee,
    consultant: User,
    starts_at: dt.datetime,
    kind: str,
    duration_minutes: int = 60,
    prison: Prison | None = None,
    place: str = "",
) -> PlannedContact:
    """Plan a contact. A visit without a prison takes the detainee's current prison."""
    if prison is None and kind == ContactKind.VISIT:
        prison = detainee.current_prison
    contact = PlannedContact(
        detainee=detainee,
        consultant=consultant,
        starts_at=starts_at,
        kind=kind,
        duration_minutes=duration_minutes,
        prison=prison,
        place=place.strip(),
    )
    _check(contact, user=consultant)
    with recorded(consultant, "planned_contact_plan"):
        contact.save()
    return contact


def planned_contact_update(
    *,
    contact: PlannedContact,
    user: User,
    starts_at: dt.datetime,
    kind: str,
    duration_minutes: int,
    prison: Prison | None = None,
    place: str = "",
) -> PlannedContact:
    """Move or change an open planned contact (the same rules as planning it)."""
    _may_change(contact, user)
    _still_open(contact)
    if prison is None and kind == ContactKind.VISIT:
        prison = contact.detainee.current_prison
    contact.starts_at, contact.kind, contact.duration_minutes = starts_at, kind, duration_minutes
    contact.prison, contact.place = prison, place.strip()
    _check(contact, user=user)
    with recorded(user, "planned_contact_update"):
        contact.save(update_fields=["starts_at", "kind", "duration_minutes", "prison", "place", "updated_at"])
    return contact


def planned_contact_cancel(*, contact: PlannedContact, user: User) -> PlannedContact:
    """Cancel an open planned contact: it leaves the diary, the feed and the reminders."""
    _may_change(contact, user)
    _still_open(contact)
    contact.cancelled_at = timezone.now()
    with recorded(user, "planned_contact_cancel"):
        contact.save(update_fields=["cancelled_at", "updated_at"])
    return contact


def planned_contact_log(*, contact: PlannedContact, user: User, **session_fields: Any) -> Session:
    """Log the session a planned contact became, and link the plan to it, in one transaction.

    `session_fields` are those of `casework.services.session_log` (its rules apply: not in the future, …).
    """
    _may_change(contact, user)
    _still_open(contact)
    with transaction.atomic():
        # Lock the plan: two tabs logging the same plan must not make two sessions.
        locked = PlannedContact.objects.select_for_update().only("pk", "session_id", "cancelled_at").get(pk=contact.pk)
        _still_open(locked)
        session = session_log(detainee=contact.detainee, author=user, **session_fields)
        contact.session = session
        with history(user, "planned_contact_log"):
            contact.save(update_fields=["session", "updated_at"])
    return session
