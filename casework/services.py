"""Every write to the case file. Plain functions: validate, save, record why, return.

Each runs in a transaction and inside a pghistory context carrying the acting user and the
reason, so the change history says who changed what and why (docs/design.md §9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dates import as_date, detainee_date_errors, range_error
from accounts.models import Organisation, User
from config.crypto import blind_index
from config.history import recorded, restored_on_error

from .compartments import HEALTH_DOMAIN_CODES, refuse_health_write, sees_health_of
from .models import (  # noqa: I001
    CONFIDENTIAL_MAX_LENGTH,
    SESSION_MAX_MINUTES,
    SUMMARY_MAX_LENGTH,
    Consent,
    Detainee,
    Disclosure,
    InterventionModule,
    LifeDomain,
    Listing,
    NetworkPerson,
    Placement,
    Prison,
    Session,
)
from .text import fold
from .uploads import check_document

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .validators import normalise_national_number

DETAINEE_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "national_number",
    "languages",
    "legal_status",
    "gender",
    "current_prison",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
    "released_on",
    "external_ref",
    "in_scope",
    "lead_consultant",
)


DETAINEE_DATE_FIELDS = (
    "date_of_birth",
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
    "released_on",
)


def _check_dates(detainee: Detainee) -> None:
    # The same rules as the import's row check (accounts/dates.py).
    errors = detainee_date_errors({name: getattr(detainee, name) for name in DETAINEE_DATE_FIELDS})
    if detainee.lead_consultant and detainee.lead_consultant.organisation_id != detainee.organisation_id:
        errors["lead_consultant"] = _("De hoofdconsulent moet tot de dossierhoudende organisatie behoren.")
    if errors:
        raise ValidationError(errors)


def _prepare_detainee(detainee: Detainee) -> None:
    detainee.national_number = normalise_national_number(detainee.national_number)
    detainee.national_number_index = blind_index(detainee.national_number)
    detainee.external_ref = (detainee.external_ref or "").strip() or None
    detainee.search_name = fold(f"{detainee.first_name} {detainee.last_name}")
    _check_dates(detainee)
    if detainee.national_number_index and (
        Detainee.objects.filter(national_number_index=detainee.national_number_index).exclude(pk=detainee.pk).exists()
    ):
        # Which file holds it is not said: it may be a file the user may not see.
        raise ValidationError({"national_number": _("Dit rijksregisternummer hoort al bij een ander dossier.")})
    detainee.full_clean()


def detainee_create(
    *, user: User, organisation: Organisation | None = None, reason: str = "", **fields: Any
) -> Detainee:
    """Open a case file in the user's organisation (or `organisation`, for imports)."""
    detainee = Detainee(organisation=organisation or user.organisation, **fields)
    _prepare_detainee(detainee)
    with recorded(user, reason or "detainee_create"):
        detainee.save()
        if detainee.current_prison_id and detainee.incarcerated_on:
            Placement.objects.create(
                detainee=detainee, prison_id=detainee.current_prison_id, from_date=detainee.incarcerated_on
            )
    return detainee


def detainee_update(*, detainee: Detainee, user: User, reason: str = "", **fields: Any) -> Detainee:
    """Change the identity or dates of a file. Unknown field names are a programming error."""
    unknown = set(fields) - set(DETAINEE_FIELDS)
    if unknown:
        raise TypeError(f"unknown detainee fields: {sorted(unknown)}")
    from .services_transfer import detainee_transfer, is_transfer

    if is_transfer(detainee, fields.get("current_prison"), None):
        # Another prison on the file's form is a transfer as of today, with everything that follows it (ADR 0040).
        prison = fields.pop("current_prison")
        with transaction.atomic():
            if fields:
                detainee_update(detainee=detainee, user=user, reason=reason, **fields)
            detainee_transfer(
                detainee=detainee, user=user, prison=prison, transferred_on=timezone.localdate(), reason=reason
            )
            detainee.refresh_from_db()
        return detainee
    with restored_on_error(detainee):
        for name, value in fields.items():
            setattr(detainee, name, value)
        _prepare_detainee(detainee)
        with recorded(user, reason or "detainee_update"):
            # The national number only when it was given: re-encrypting an unchanged one would look like a change.
            national = ["national_number", "national_number_index"] if "national_number" in fields else []
            detainee.save(
                update_fields=list(dict.fromkeys([*fields, *national, "search_name", "external_ref", "updated_at"]))
            )
    return detainee


def detainee_set_case_team(
    *, detainee: Detainee, user: User, lead: User | None, co_consultants: Iterable[User] = ()
) -> Detainee:
    """Assign the consultants who follow this file (the manager does this)."""
    co_consultants = list(co_consultants)
    for member in [lead, *co_consultants]:
        if member is not None and (member.organisation_id != detainee.organisation_id or not member.is_consultant):
            raise ValidationError({"lead_consultant": _("Enkel consulenten van de dossierhoudende organisatie.")})
    with recorded(user, "detainee_set_case_team"):
        detainee.lead_consultant = lead
        detainee.save(update_fields=["lead_consultant", "updated_at"])
        detainee.co_consultants.set([c for c in co_consultants if c != lead])
    return detainee


def listing_record(
    *,
    detainee: Detainee,
    user: User,
    category: str,
    threat_level: int,
    listed_on: dt.date,
    source: str,
    delisted_on: dt.date | None = None,
) -> Listing:
    listing = Listing(
        detainee=detainee,
        category=category,
        threat_level=threat_level,
        listed_on=listed_on,
        delisted_on=delisted_on,
        source=source,
    )
    # Checked before full_clean so the client gets a field error, not the constraint's name.
    if delisted_on is not None and listed_on is not None and delisted_on < listed_on:
        raise ValidationError({"delisted_on": _("De schrapping kan niet vóór de opname liggen.")})
    listing.full_clean()
    with recorded(user, "listing_record"):
        listing.save()
    return listing


def placement_record(
    *,
    detainee: Detainee,
    user: User,
    prison: Prison,
    from_date: dt.date,
    regime: str = Placement.Regime.REGULAR,
    to_date: dt.date | None = None,
    reason: str = "",
) -> Placement:
    """Record a placement; an open placement (a transfer) closes the previous one and moves the file.

    An open placement in another prison than the file's is a transfer: `services_transfer.detainee_transfer`.
    The consultant and trajectory stay the same across transfers.
    """
    from .services_transfer import detainee_transfer, is_transfer

    if is_transfer(detainee, prison, to_date):
        # Another prison, left open: a transfer, with everything that follows it (ADR 0040).
        try:
            return detainee_transfer(
                detainee=detainee, user=user, prison=prison, transferred_on=from_date, regime=regime, reason=reason
            )
        except ValidationError as exc:
            raise ValidationError(
                {("from_date" if key == "transferred_on" else key): value for key, value in exc.message_dict.items()}
            ) from exc
    placement = Placement(detainee=detainee, prison=prison, regime=regime, from_date=from_date, to_date=to_date)
    # Checked before full_clean so the client gets a field error, not the constraint's name.
    if to_date is not None and to_date < from_date:
        raise ValidationError({"to_date": _("Een plaatsing kan niet eindigen vóór ze begint.")})
    placement.full_clean()
    with recorded(user, "placement_record"):
        if to_date is None:
            previous = detainee.placements.filter(to_date__isnull=True, from_date__lte=from_date)
            for open_placement in previous.select_for_update():
                open_placement.to_date = from_date
                open_placement.save(update_fields=["to_date", "updated_at"])
            detainee.current_prison = prison
            detainee.save(update_fields=["current_prison", "updated_at"])
        placement.save()
    return placement


def _validate_codes(values: Iterable[str], choices: Iterable[tuple[str, object]], field: str) -> list[str]:
    values = list(dict.fromkeys(values))
    allowed = {value for value, _label in choices}
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError({field: _("Onbekende code(s): %(codes)s") % {"codes": ", ".join(unknown)}})
    return values


def consent_record(
    *,
    detainee: Detainee,
    user: User,
    organisation: Organisation,
    purposes: Iterable[str],
    scopes: Iterable[str],
    given_on: dt.date,
    explained_by: User,
    language: str,
    interpreter: bool = False,
    document: UploadedFile[bytes] | None = None,
    previous: Consent | None = None,
) -> Consent:
    """Record a consent the detainee gave; with `previous`, record a new version of it."""
    from .models import Purpose, Scope

    purposes = _validate_codes(purposes, Purpose.choices, "purposes")
    scopes = _validate_codes(scopes, Scope.choices, "scopes")
    errors = {}
    if not scopes:
        errors["scopes"] = _("Kies minstens één onderdeel dat gedeeld mag worden.")
    if not purposes:
        errors["purposes"] = _("Kies minstens één doel.")
    if given_on > timezone.localdate():
        errors["given_on"] = _("De toestemming kan niet in de toekomst gegeven zijn.")
    if previous is not None and (previous.detainee_id != detainee.pk or not previous.is_active):
        errors["previous"] = _("Enkel een geldende toestemming van dit dossier kan vervangen worden.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        detainee=detainee,
        organisation=organisation,
        purposes=purposes,
        scopes=scopes,
        given_on=given_on,
        explained_by=explained_by,
        language=language,
        interpreter=interpreter,
        previous=previous,
        recorded_by=user,
    )
    if document:
        try:
            check_document(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from None
        consent.document = document
    consent.full_clean(exclude=["previous"])
    with recorded(user, "consent_record"):
        if previous is not None:
            previous.superseded_at = timezone.now()
            previous.save(update_fields=["superseded_at", "updated_at"])
        consent.save()
    return consent


def consent_withdraw(*, consent: Consent, user: User, withdrawn_on: dt.date | None = None) -> Consent:
    """The detainee withdraws a consent: access based on it ends at once."""
    withdrawn_on = withdrawn_on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("Deze toestemming is al ingetrokken.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Intrekken kan niet vóór de datum van toestemming.")})
    with recorded(user, "consent_withdraw"):
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on", "updated_at"])
    return consent


def network_person_save(
    *, detainee: Detainee, user: User, person: NetworkPerson | None = None, **fields: Any
) -> NetworkPerson:
    person = person or NetworkPerson(detainee=detainee)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    with recorded(user, "network_person_save"):
        person.save()
    return person


def _check_session(session: Session) -> None:
    errors = {}
    now = timezone.now()
    if session.started_at and session.started_at > now + dt.timedelta(minutes=5):
        errors["started_at"] = _("Een contactmoment kan niet in de toekomst liggen.")
    elif session.started_at and (message := range_error(session.started_at)):
        errors["started_at"] = message
    elif (
        session.started_at
        and session.detainee.date_of_birth
        and as_date(session.started_at) < session.detainee.date_of_birth
    ):
        # The file cannot hold a contact from before the person was born.
        errors["started_at"] = _("Een contactmoment kan niet vóór de geboortedatum van de gedetineerde liggen.")
    if session.duration_minutes is not None and not 1 <= session.duration_minutes <= SESSION_MAX_MINUTES:
        errors["duration_minutes"] = _("De duur moet tussen 1 minuut en 12 uur liggen.")
    if session.engagement is not None and session.attendance != Session.Attendance.ATTENDED:
        errors["engagement"] = _("Betrokkenheid kan enkel gescoord worden als het gesprek doorging.")
    # full_clean() does not enforce max_length on a TextField; the limits hold for every caller (forms and API).
    for name, limit in (("summary", SUMMARY_MAX_LENGTH), ("confidential_notes", CONFIDENTIAL_MAX_LENGTH)):
        if len(getattr(session, name) or "") > limit:
            errors[name] = _("Ten hoogste %(limit)d tekens.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)


def session_log(
    *,
    detainee: Detainee,
    author: User,
    started_at: dt.datetime,
    duration_minutes: int,
    modality: str,
    attendance: str = Session.Attendance.ATTENDED,
    engagement: int | None = None,
    domains: Iterable[LifeDomain] = (),
    modules: Iterable[InterventionModule] = (),
    participants: Iterable[NetworkPerson] = (),
    partner_organisations: Iterable[Organisation] = (),
    summary: str = "",
    confidential_notes: str = "",
) -> Session:
    """Log a contact with the detainee (a session belongs to the file, not to a trajectory)."""
    session = Session(
        detainee=detainee,
        author=author,
        started_at=started_at,
        duration_minutes=duration_minutes,
        modality=modality,
        attendance=attendance,
        engagement=engagement,
        summary=summary,
        confidential_notes=confidential_notes,
    )
    _check_session(session)
    # The detainee and the author are objects the caller holds (fetched through the access check, the logged-in
    # user): no query to see that they exist. The two check constraints are the rules `_check_session` has just
    # applied with a clear message; the database still enforces them. Saving a routine entry thus costs a
    # fixed handful of queries (docs/design.md §11).
    session.full_clean(exclude=["detainee", "author"], validate_constraints=False)
    participants = list(participants)
    if any(person.detainee_id != detainee.pk for person in participants):
        raise ValidationError({"participants": _("Enkel netwerkpersonen van deze gedetineerde.")})
    # A health domain's tag is health content: written only by those who may read it (casework/compartments.py).
    domains = list(domains)
    refuse_health_write(author, detainee, field="domains", written=[(d.code, d.label) for d in domains])
    with recorded(author, "session_log"):
        session.save()
        # A new session has no links yet: one INSERT per relation that has any, no read of the existing ones.
        for relation, items in (
            ("domains", domains),
            ("modules", modules),
            ("participants", participants),
            ("partner_organisations", partner_organisations),
        ):
            rows = list(items)
            if rows:
                getattr(session, relation).add(*rows)
    return session


def session_update(
    *,
    session: Session,
    user: User,
    domains: Iterable[LifeDomain] | None = None,
    modules: Iterable[InterventionModule] | None = None,
    participants: Iterable[NetworkPerson] | None = None,
    partner_organisations: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Session:
    """Correct a logged session; the history keeps the earlier text.

    Someone outside the health compartment neither sees nor sets a health domain's tag: the domains they
    send replace the ones they can see, and a health tag stays as it was (ADR 0009 §7)."""
    with restored_on_error(session):
        for name, value in fields.items():
            setattr(session, name, value)
        _check_session(session)
        session.full_clean()
        if participants is not None:
            participants = list(participants)
            if any(person.detainee_id != session.detainee_id for person in participants):
                raise ValidationError({"participants": _("Enkel netwerkpersonen van deze gedetineerde.")})
        if domains is not None:
            domains = list(domains)
            refuse_health_write(user, session.detainee, field="domains", written=[(d.code, d.label) for d in domains])
            if not sees_health_of(user, session.detainee):
                domains += list(session.domains.filter(code__in=sorted(HEALTH_DOMAIN_CODES)))
        with recorded(user, "session_update"):
            session.save(update_fields=[*fields, "updated_at"])
            if domains is not None:
                session.domains.set(domains)
            if modules is not None:
                session.modules.set(modules)
            if participants is not None:
                session.participants.set(participants)
            if partner_organisations is not None:
                session.partner_organisations.set(partner_organisations)
    return session


def disclosure_record(
    *,
    detainee: Detainee,
    user: User | None,
    recipient_name: str,
    purpose: str,
    basis: str,
    what: StrOrPromise,
    what_params: dict[str, object] | None = None,
    recipient_organisation: Organisation | None = None,
    recipient_email: str = "",
    consent: Consent | None = None,
    legal_reference: str = "",
    object_kind: str = "",
    object_id: str = "",
    file_sha256: str = "",
) -> Disclosure:
    """Record that case content left the team. Every app that sends or exports calls this.

    `what` is a lazy translation and `what_params` its parameters (meaning trees, accounts/texts.py): the
    record keeps the code and renders it in each reader's language (ADR 0035)."""
    from accounts.texts import text_code

    from .models import Basis

    if basis == Basis.CONSENT and consent is None:
        raise ValidationError({"consent": _("Een verstrekking op basis van toestemming vermeldt die toestemming.")})
    if basis == Basis.CONSENT and consent is not None and purpose not in consent.purposes:
        # The logged purpose is the real one (ADR 0033): a consent for research never covers a conference copy.
        raise ValidationError({"purpose": _("Deze toestemming geldt niet voor dit doel.")})
    disclosure = Disclosure(
        detainee=detainee,
        recipient_organisation=recipient_organisation,
        recipient_name=recipient_name,
        recipient_email=recipient_email,
        purpose=purpose,
        basis=basis,
        consent=consent,
        legal_reference=legal_reference,
        what=text_code(what)[:300],
        what_params=what_params or {},
        object_kind=object_kind,
        object_id=str(object_id),
        file_sha256=file_sha256,
        disclosed_by=user,
    )
    disclosure.full_clean()
    disclosure.save()
    return disclosure
