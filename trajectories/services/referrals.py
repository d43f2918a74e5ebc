"""Referrals of a detainee to a partner organisation's service (ADR 0034).

The consultant refers on a consent of the detainee with purpose `referral` (and scope identity) for that
organisation; without it the referral is refused with a clear message and nothing is written. The partner
accepts or declines (with a reason), and closes an accepted referral with its outcome. Every step is in the
change history with who did it; the referral itself is a disclosure (the person's identity and the question
leave the team). The partner organisation's users are notified through the one reminder engine, content-free.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from casework.models import Basis, Consent, Detainee, Purpose, Scope
from casework.services import disclosure_record
from config.history import recorded

from ..models_partners import REFERRAL_NOTE_MAX, REFERRAL_QUESTION_MAX, PartnerReferral

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NEW_REFERRAL_TEXT = gettext_lazy("Je organisatie kreeg een nieuwe doorverwijzing (%(ref)s).")
ANSWERED_TEXT = gettext_lazy("De partner heeft doorverwijzing %(ref)s beantwoord.")
CLOSED_TEXT = gettext_lazy("De partner heeft doorverwijzing %(ref)s afgesloten.")


def referral_consent(detainee: Detainee, organisation: Organisation) -> Consent | None:
    """The newest active consent of the detainee for `organisation` with purpose referral, or None."""
    return (
        Consent.objects.active()
        .filter(detainee=detainee, organisation=organisation, purposes__overlap=[Purpose.REFERRAL])
        .order_by("-given_on", "-pk")
        .first()
    )


def _link(referral: PartnerReferral) -> str:
    return reverse("trajectories:partner_referral", args=[referral.pk])


def _notify(referral: PartnerReferral, recipients: Iterable[User], text: StrOrPromise) -> None:
    from notifications.services import reminder_schedule

    for recipient in recipients:
        reminder_schedule(
            kind="partner_referral",
            obj=referral,
            recipient=recipient,
            text=text,
            text_params={"ref": referral.reference},
            link=_link(referral),
        )


def partner_referral_create(
    *, detainee: Detainee, user: User, organisation: Organisation | None, service: str, question: str
) -> PartnerReferral:
    """Refer the detainee to `organisation`'s `service`; refused without a consent with purpose referral."""
    service, question = (service or "").strip(), (question or "").strip()
    errors: dict[str, str] = {}
    if not (user.is_case_staff and user.organisation_id == detainee.organisation_id):
        raise ValidationError({"organisation": _("Enkel het dossierteam kan doorverwijzen.")})
    if organisation is None:
        errors["organisation"] = _("Kies de partnerorganisatie.")
    elif organisation.pk == detainee.organisation_id:
        errors["organisation"] = _(
            "Een doorverwijzing gaat naar een partnerorganisatie, niet naar je eigen organisatie."
        )
    if not service:
        errors["service"] = _("Vermeld de dienst of het aanbod (bv. trajectbegeleiding werk).")
    elif len(service) > 200:
        errors["service"] = _("Hoogstens 200 tekens.")
    if not question:
        errors["question"] = _("Schrijf de vraag aan de partner.")
    elif len(question) > REFERRAL_QUESTION_MAX:
        errors["question"] = _("Hoogstens %(n)s tekens.") % {"n": REFERRAL_QUESTION_MAX}
    consent = None
    if organisation is not None and "organisation" not in errors:
        consent = referral_consent(detainee, organisation)
        if consent is None:
            errors["organisation"] = _(
                "Er is geen geldende toestemming van de gedetineerde met doel doorverwijzing voor %(org)s. "
                "Registreer eerst die toestemming; zonder toestemming wordt er niets gedeeld."
            ) % {"org": organisation}
        elif Scope.IDENTITY not in consent.scopes:
            errors["organisation"] = _(
                "De toestemming met doel doorverwijzing voor %(org)s omvat de identiteit niet: de partner kan de "
                "doorverwijzing dan niet opnemen. Laat de toestemming eerst aanvullen."
            ) % {"org": organisation}
        elif PartnerReferral.objects.open().filter(detainee=detainee, organisation=organisation).exists():
            errors["organisation"] = _("Er loopt al een doorverwijzing naar %(org)s voor deze gedetineerde.") % {
                "org": organisation
            }
    if errors:
        raise ValidationError(errors)
    assert organisation is not None and consent is not None  # without either, `errors` said so above
    try:
        with recorded(user, "partner_referral_create"):
            referral = PartnerReferral.objects.create(
                detainee=detainee,
                organisation=organisation,
                service=service,
                question=question,
                consent=consent,
                referred_by=user,
            )
            disclosure_record(
                detainee=detainee,
                user=user,
                recipient_name=str(organisation),
                recipient_organisation=organisation,
                recipient_email=organisation.email,
                purpose=Purpose.REFERRAL,
                basis=Basis.CONSENT,
                consent=consent,
                what=_("Doorverwijzing %(ref)s: identiteit en vraag") % {"ref": referral.reference},
                object_kind="partner_referral",
                object_id=str(referral.pk),
            )
            partners = User.objects.filter(organisation=organisation, role=User.Role.PARTNER, is_active=True)
            _notify(referral, partners, NEW_REFERRAL_TEXT)
    except IntegrityError:
        # Two consultants referring at the same moment: the constraint keeps one open referral.
        raise ValidationError(
            {
                "organisation": _("Er loopt al een doorverwijzing naar %(org)s voor deze gedetineerde.")
                % {"org": organisation}
            }
        ) from None
    return referral


def _require_partner(referral: PartnerReferral, user: User) -> None:
    if not (user.is_partner and user.organisation_id == referral.organisation_id):
        raise ValidationError({"status": _("Enkel de partnerorganisatie van deze doorverwijzing kan ze beantwoorden.")})


def partner_referral_respond(*, referral: PartnerReferral, user: User, accept: bool, note: str = "") -> PartnerReferral:
    """The partner accepts, or declines with a reason."""
    _require_partner(referral, user)
    note = (note or "").strip()
    if len(note) > REFERRAL_NOTE_MAX:
        raise ValidationError({"response_note": _("Hoogstens %(n)s tekens.") % {"n": REFERRAL_NOTE_MAX}})
    if not accept and not note:
        raise ValidationError({"response_note": _("Geef de reden waarom je de doorverwijzing weigert.")})
    with recorded(user, "partner_referral_respond"):
        locked = PartnerReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != PartnerReferral.Status.REQUESTED:
            raise ValidationError(
                {
                    "status": _("Deze doorverwijzing is al beantwoord (%(status)s).")
                    % {"status": locked.get_status_display()}
                }
            )
        locked.status = PartnerReferral.Status.ACCEPTED if accept else PartnerReferral.Status.DECLINED
        locked.responded_at, locked.responded_by, locked.response_note = timezone.now(), user, note
        locked.save(update_fields=["status", "responded_at", "responded_by", "response_note", "updated_at"])
        _notify(locked, [locked.referred_by], ANSWERED_TEXT)
    return locked


def partner_referral_close(*, referral: PartnerReferral, user: User, outcome: str, note: str = "") -> PartnerReferral:
    """The partner closes an accepted referral with its outcome."""
    _require_partner(referral, user)
    note = (note or "").strip()
    errors = {}
    if outcome not in PartnerReferral.Outcome.values:
        errors["outcome"] = _("Kies het resultaat van de doorverwijzing.")
    if len(note) > REFERRAL_NOTE_MAX:
        errors["outcome_note"] = _("Hoogstens %(n)s tekens.") % {"n": REFERRAL_NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    with recorded(user, "partner_referral_close"):
        locked = PartnerReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != PartnerReferral.Status.ACCEPTED:
            raise ValidationError({"status": _("Enkel een aanvaarde doorverwijzing kan afgesloten worden.")})
        locked.status, locked.outcome, locked.outcome_note = PartnerReferral.Status.CLOSED, outcome, note
        locked.closed_at, locked.closed_by = timezone.now(), user
        locked.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by", "updated_at"])
        _notify(locked, [locked.referred_by], CLOSED_TEXT)
    return locked


def partner_referral_withdraw(*, referral: PartnerReferral, user: User) -> PartnerReferral:
    """The case team withdraws an open referral (the detainee changed his mind, the need is gone)."""
    if not (user.is_case_staff and user.organisation_id == referral.detainee.organisation_id):
        raise ValidationError({"status": _("Enkel het dossierteam kan een doorverwijzing intrekken.")})
    with recorded(user, "partner_referral_withdraw"):
        locked = PartnerReferral.objects.select_for_update().get(pk=referral.pk)
        if not locked.is_open:
            raise ValidationError({"status": _("Deze doorverwijzing is niet meer open.")})
        locked.status = PartnerReferral.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked
