"""Writes of a prison's standing conference team (ADR 0033): its directors add and remove members.

A standing member is invited to every periodic conference of the prison when it is planned
(`services._standing_members_invite`), each time through the basis check of casusoverleg/basis.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from casework.models import Prison
from config.history import recorded

from ..models import Participant, StandingMember

STANDING_ROLES = [
    value for value in Participant.Role.values if value not in (Participant.Role.CHAIR, Participant.Role.DETAINEE)
]


def _require_director(user: User, prison: Prison) -> None:
    if not user.is_director or not prison.directors.filter(pk=user.pk).exists():
        raise ValidationError({"prison": _("Enkel een directeur van deze gevangenis beheert haar vaste leden.")})


def standing_member_add(
    *,
    user: User,
    prison: Prison,
    role: str,
    member_user: User | None = None,
    name: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    agreement: str = "",
) -> StandingMember:
    """Add a user or an external person to the prison's standing team, with the agreements on his role."""
    _require_director(user, prison)
    errors: dict[str, str] = {}
    name, email, agreement = (name or "").strip(), (email or "").strip(), (agreement or "").strip()
    if role not in STANDING_ROLES:
        errors["role"] = _("Kies de rol van het vaste lid (niet voorzitter of gedetineerde).")
    if member_user is None and not name:
        errors["name"] = _("Kies een gebruiker of vul de naam van het externe vaste lid in.")
    if member_user is None and name and not email:
        errors["email"] = _("Een extern vast lid heeft een e-mailadres nodig om uitgenodigd te worden.")
    if member_user is not None and not member_user.is_active:
        errors["member_user"] = _("Deze gebruiker is niet meer actief.")
    elif member_user is not None and not member_user.email:
        errors["member_user"] = _("Deze gebruiker heeft geen e-mailadres; een uitnodiging is niet mogelijk.")
    if len(agreement) > 1000:
        errors["agreement"] = _("De rolafspraken zijn hoogstens 1.000 tekens lang.")
    address = member_user.email if member_user is not None else email
    same = Q(user=member_user) if member_user is not None else Q(pk__in=[])
    if address:
        same |= Q(user__isnull=True, email__iexact=address) | Q(user__email__iexact=address)
    if not errors and StandingMember.objects.active().filter(prison=prison).filter(same).exists():
        errors["member_user" if member_user is not None else "email"] = _(
            "Deze persoon is al een vast lid van deze gevangenis."
        )
    if errors:
        raise ValidationError(errors)
    member = StandingMember(
        prison=prison,
        user=member_user,
        role=role,
        name="" if member_user else name,
        organisation=None if member_user else organisation,
        email="" if member_user else email,
        agreement=agreement,
    )
    member.full_clean()
    with recorded(user, "standing_member_add"):
        member.save()
    return member


def standing_member_remove(*, user: User, member: StandingMember) -> StandingMember:
    """End a standing membership (kept, inactive, for the history); conferences already planned keep him."""
    _require_director(user, member.prison)
    with recorded(user, "standing_member_remove"):
        member.is_active = False
        member.save(update_fields=["is_active", "updated_at"])
    return member
