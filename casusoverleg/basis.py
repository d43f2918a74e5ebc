"""On what basis each participant of a conference hears and reads the case (ADR 0033).

A conference is planned on a basis — the detainee's consent, or art. 458ter Sw. with the prosecutor's
authorisation — but what counts is the basis each participant really has:

- `internal`: the file's own organisation, the directors of the prison and the prison administration they
  belong to (its own services, such as the PSD, take part as the direction does; no disclosure);
- `subject`: the detainee himself;
- `consent`: his organisation holds a consent in force for purpose `conference` with scope `minutes` (the one
  predicate, `casework.models.consent_condition`); this also holds on an art. 458ter conference;
- `art458ter`: the conference rests on art. 458ter and the organisation has no such consent;
- `none`: nothing allows sharing the case with him. He may still be invited to the meeting (its time and
  place), but the conference page, the agenda, the minutes and their PDF stay closed to him.

The check runs when the conference is planned, when each participant is invited, before the minutes are
approved (the snapshot freezes the basis per participant as it then was) and before anyone is told that
minutes are there to read. It is always computed from the consents in force now, in one query per
conference (`conference_consents`), so a withdrawn consent shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Basis, Consent, Purpose, Scope


class Access(models.TextChoices):
    INTERNAL = "internal", _("Intern (dossierhoudende organisatie of directie)")
    SUBJECT = "subject", _("Betrokkene zelf")
    CONSENT = "consent", _("Toestemming voor casusoverleg")
    ART458TER = "art458ter", _("Art. 458ter Sw.")
    COURT_MANDATE = "court_mandate", _("Mandaat van de strafuitvoeringsrechtbank")
    NONE = "none", _("Geen toegang tot de inhoud")


@dataclass(frozen=True)
class ParticipantBasis:
    access: str
    consent: Consent | None = None

    @property
    def has_access(self) -> bool:
        return self.access != Access.NONE

    @property
    def label(self) -> str:
        return str(Access(self.access).label)


def conference_consents(conference) -> dict[int, Consent]:
    """Organisation id → the oldest consent in force that shares this detainee's minutes for a conference."""
    consents: dict[int, Consent] = {}
    rows = (
        Consent.objects.granting(purpose=Purpose.CONFERENCE, scope=Scope.MINUTES)
        .filter(detainee_id=conference.detainee_id)
        .order_by("given_on", "pk")
    )
    for consent in rows:
        consents.setdefault(consent.organisation_id, consent)
    return consents


@dataclass(frozen=True)
class Direction:
    """The prison's directors and the organisations they belong to (the prison administration, whose own
    services — the PSD — take part as the direction does)."""

    user_ids: frozenset[int]
    organisation_ids: frozenset[int]

    def __contains__(self, user_id) -> bool:  # `user.pk in directors`, as before
        return user_id in self.user_ids


def director_ids(conference) -> Direction:
    if conference.prison_id is None:
        # A meeting outside detention has no direction at the table (docs/adr/0041).
        return Direction(frozenset(), frozenset())
    rows = list(conference.prison.directors.values_list("pk", "organisation_id"))
    return Direction(frozenset(pk for pk, _org in rows), frozenset(org for _pk, org in rows if org is not None))


def participant_basis(participant, conference, consents: dict[int, Consent], directors: Direction) -> ParticipantBasis:
    """The basis of one participant now (see the module's docstring)."""
    if participant.role == "detainee":
        return ParticipantBasis(Access.SUBJECT)
    user = participant.user if participant.user_id else None
    organisation_id = user.organisation_id if user is not None else participant.organisation_id
    if user is not None and user.pk in directors.user_ids:
        return ParticipantBasis(Access.INTERNAL)
    if organisation_id is not None and organisation_id == conference.detainee.organisation_id:
        return ParticipantBasis(Access.INTERNAL)
    if user is None and organisation_id is not None and organisation_id in directors.organisation_ids:
        # An external of the prison administration (its PSD, without an account here): part of the direction's
        # side of the table. A user of that administration who does not direct this prison is not.
        return ParticipantBasis(Access.INTERNAL)
    if organisation_id is not None and organisation_id in consents:
        return ParticipantBasis(Access.CONSENT, consents[organisation_id])
    if conference.basis == Basis.ART458TER and conference.authorisation_reference:
        return ParticipantBasis(Access.ART458TER)
    if (
        conference.basis == Basis.COURT_MANDATE
        and conference.mandate_reference
        and user is not None
        and user.pk == conference.chair_id
    ):
        # The court's mandate is the organiser's own basis (the justice house supervising the conditions):
        # it does not open the case to the other partners at his table, who need a consent of their own.
        return ParticipantBasis(Access.COURT_MANDATE)
    return ParticipantBasis(Access.NONE)


def participants_with_basis(conference, participants) -> list:
    """`participants` (users and organisations loaded), each with `.basis` set; two queries."""
    consents, directors = conference_consents(conference), director_ids(conference)
    conference._conference_consents = consents
    for participant in participants:
        participant.basis = participant_basis(participant, conference, consents, directors)
    return participants


def basis_warning(conference, participant) -> str:
    """What the director is told at once when `participant` has no basis (empty when he has one)."""
    from django.utils.translation import gettext

    basis = getattr(participant, "basis", None)
    if basis is None or basis.has_access:
        return ""
    return gettext(
        "%(who)s is uitgenodigd zonder toegang tot de inhoud: %(org)s heeft geen lopende toestemming van de "
        "gedetineerde voor casusoverleg (met onderdeel verslagen), en dit overleg steunt niet op art. 458ter Sw. "
        "Hij ziet het tijdstip en de plaats, niet de agenda, het dossier of het verslag."
    ) % {"who": participant.display_name, "org": participant.organisation_effective or gettext("zijn organisatie")}


def conference_basis_warnings(conference, participants) -> list[str]:
    """The warnings of a conference as it stands (participants already carry `.basis`): one per participant
    without a basis, and one when a conference on consent has no consent for a conference at all."""
    from django.utils.translation import gettext

    warnings = []
    if conference.basis == Basis.CONSENT and not conference_consents_any(participants, conference):
        warnings.append(
            gettext(
                "Dit overleg is gepland op basis van toestemming, maar de gedetineerde heeft geen enkele lopende "
                "toestemming voor casusoverleg gegeven. Partners die je uitnodigt krijgen geen toegang tot de inhoud. "
                "Registreer eerst de toestemming in het dossier, of plan het overleg onder art. 458ter Sw. met de "
                "machtiging van de procureur."
            )
        )
    warnings += [w for w in (basis_warning(conference, p) for p in participants) if w]
    return warnings


def conference_consents_any(participants, conference) -> bool:
    """Whether any organisation holds a consent for a conference on this detainee (no query after
    `participants_with_basis`)."""
    consents = getattr(conference, "_conference_consents", None)
    if consents is None:
        consents = conference._conference_consents = conference_consents(conference)
    return bool(consents)
