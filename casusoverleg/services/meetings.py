"""Meetings after release, outside detention (LIVC, justice house): planned and chaired by their organiser, a
justice-house assistant or LIVC coordinator (docs/adr/0041).

A meeting outside detention has no prison: it is held at its `venue`. Its basis is its own: the detainee's
consent in force for the organiser's organisation (purpose `conference`, scope `minutes`), or the sentence
enforcement court's mandate with its recorded reference. Everything after planning — participants, agenda,
minutes, approval by the chair, the PDF, the notices and the reminders — is the conferences' own
(`services.py`, `services_minutes.py`, `reminders.py`), with the organiser in the director's place.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from casework.models import Basis, Detainee, Purpose, Scope
from casework.permissions import consent_grants
from config.history import recorded

from ..models import OUTSIDE_KINDS, Conference, Minutes, Participant
from .conferences import agenda_generate, invitations_send_on_commit, is_prosecutor_reference, times_check

MEETING_BASES = (Basis.CONSENT, Basis.COURT_MANDATE)


def meeting_detainees(user: User) -> QuerySet[Detainee]:
    """The detainees of the organiser's meetings on which his basis holds: the only files he knows."""
    if not user.is_authenticated or not user.is_organiser:
        return Detainee.objects.none()
    return Detainee.objects.filter(conferences__in=Conference.objects.visible_to(user)).distinct()


def meeting_detainee_find(*, user: User, national_number: str) -> Detainee | None:
    """The file of a person released, found by his national number exactly (the organiser knows who he
    meets; he never browses or searches names). None when there is no such file."""
    number = (national_number or "").strip()
    if not user.is_organiser or not number:
        return None
    return Detainee.objects.filter(Detainee.national_number_q(number), anonymised_at__isnull=True).first()


def _basis_holds(user: User, detainee: Detainee, basis: str, reference: str) -> bool:
    if basis == Basis.COURT_MANDATE:
        return is_prosecutor_reference(reference)
    return consent_grants(user, detainee.pk, purpose=Purpose.CONFERENCE, scope=Scope.MINUTES)


def meeting_schedule(
    *,
    user: User,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    venue: str,
    basis: str = Basis.CONSENT,
    mandate_reference: str = "",
    detainee: Detainee | None = None,
    national_number: str = "",
    location: str = "",
    video_link: str = "",
) -> Conference:
    """The organiser plans a meeting outside detention and chairs it; the file's lead consultant is invited.

    The detainee is one of the organiser's own (`meeting_detainees`) or is found by national number. A file
    not found and a file without a basis for him answer alike, so nobody learns of a file he has no basis for.
    """
    errors: dict[str, str] = {}
    if not user.is_organiser or user.organisation_id is None:
        raise ValidationError({"kind": _("Enkel een organisator van overleg buiten detentie plant dit overleg.")})
    if kind not in OUTSIDE_KINDS:
        errors["kind"] = _("Kies LIVC-overleg of overleg in het justitiehuis.")
    if basis not in MEETING_BASES:
        errors["basis"] = _("Kies toestemming of het mandaat van de strafuitvoeringsrechtbank.")
    elif basis == Basis.COURT_MANDATE and not (mandate_reference or "").strip():
        errors["mandate_reference"] = _("Vermeld de referentie van het vonnis van de strafuitvoeringsrechtbank.")
    elif basis == Basis.COURT_MANDATE and not is_prosecutor_reference(mandate_reference):
        errors["mandate_reference"] = _(
            "Dit lijkt geen referentie van een vonnis: vermeld ze zoals de rechtbank ze gaf, met het jaar of het "
            "nummer (bv. SURB Antwerpen 2026/412), hoogstens 200 tekens."
        )
    venue = (venue or "").strip()
    if not venue:
        errors["venue"] = _("Vermeld waar het overleg plaatsvindt (bv. LIVC Genk, stadhuis).")
    times_check(starts_at, ends_at, errors)
    field = "detainee" if detainee is not None else "national_number"
    if detainee is not None and not meeting_detainees(user).filter(pk=detainee.pk).exists():
        detainee = None
    elif detainee is None and not (national_number or "").strip():
        errors[field] = _("Kies een persoon uit je eigen overleggen, of vul zijn rijksregisternummer in.")
    elif detainee is None:
        detainee = meeting_detainee_find(user=user, national_number=national_number)
    if (
        detainee is not None
        and "basis" not in errors
        and "mandate_reference" not in errors
        and not _basis_holds(user, detainee, basis, mandate_reference)
    ):
        detainee = None
    if detainee is None and field not in errors:
        errors[field] = _(
            "Er is geen dossier waarvoor je organisatie een grondslag heeft: een lopende toestemming voor "
            "casusoverleg (met onderdeel verslagen), of het mandaat van de strafuitvoeringsrechtbank."
        )
    elif detainee is not None and detainee.current_prison_id is not None and detainee.released_on is None:
        errors[field] = _("Deze persoon verblijft nog in de gevangenis: het overleg daar plant de directeur.")
    if errors:
        raise ValidationError(errors)
    assert detainee is not None  # else `errors` said so
    conference = Conference(
        detainee=detainee,
        prison=None,
        chair=user,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        location=(location or "").strip(),
        video_link=(video_link or "").strip(),
        basis=basis,
        mandate_reference=mandate_reference.strip() if basis == Basis.COURT_MANDATE else "",
        created_by=user,
    )
    conference.full_clean(exclude=["ical_uid"])
    with recorded(user, "meeting_schedule"):
        conference.save()
        Participant.objects.create(
            conference=conference, user=user, role=Participant.Role.CHAIR, response=Participant.Response.ACCEPTED
        )
        lead = detainee.lead_consultant
        if lead is not None and lead.pk != user.pk and lead.is_active:
            Participant.objects.create(conference=conference, user=lead, role=Participant.Role.CONSULTANT)
        agenda_generate(conference)
        Minutes.objects.create(conference=conference, number=1)
        invitations_send_on_commit(conference)
    return conference
