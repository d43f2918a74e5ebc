"""Writes of case conferences: scheduling, moving, cancelling, participants, agenda, feed tokens.

Minutes (editing, approval, corrections, PDF distribution) live in `minutes.py`.
Every function validates, runs in a transaction inside a pghistory context, and starts side effects
(e-mails with .ics) only on commit through a Celery task.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Organisation, User
from accounts.texts import text_code
from casework.models import Basis, Detainee, Prison
from config.history import recorded
from config.public_url import absolute_reverse
from ops.outbox import outbox_enqueue

from .. import basis as access_basis
from .. import ics, selectors, selectors_agenda
from ..models import OUTSIDE_KINDS, AgendaItem, CalendarFeed, Conference, Minutes, Participant

if TYPE_CHECKING:
    from ..models import CadenceRule

MAX_DURATION = dt.timedelta(hours=12)


def invitations_send_on_commit(
    conference: Conference, *, participant_ids: list[int] | None = None, cancel: bool = False
) -> None:
    from ..tasks import conference_invitations_send as conference_invitations_send_task

    # Through the transactional outbox: the job commits with the change and survives a broker outage (ADR 0016).
    outbox_enqueue(conference_invitations_send_task, conference.pk, participant_ids=participant_ids, cancel=cancel)


# --- Scheduling ----------------------------------------------------------------------------------------


def times_check(starts_at: dt.datetime | None, ends_at: dt.datetime | None, errors: dict[str, str]) -> None:
    """Put on `errors` what is wrong with a meeting's start and end (missing, reversed, too long)."""
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is None:
            errors[name] = _("Vul een datum en uur in.")
        elif timezone.is_naive(value):
            errors[name] = _("Een tijdstip zonder tijdzone is niet toegelaten.")
    if starts_at is None or ends_at is None or "starts_at" in errors or "ends_at" in errors:
        return
    if ends_at <= starts_at:
        errors["ends_at"] = _("Het overleg moet eindigen na het begin.")
    elif ends_at - starts_at > MAX_DURATION:
        errors["ends_at"] = _("Een overleg duurt hoogstens 12 uur.")


def _check_basis(basis: str, reference: str, errors: dict[str, str]) -> None:
    if basis not in (Basis.CONSENT, Basis.ART458TER):
        errors["basis"] = _("Kies toestemming of art. 458ter Sw.")
    elif basis == Basis.ART458TER and not (reference or "").strip():
        errors["authorisation_reference"] = _("Vermeld de referentie van de machtiging door de procureur.")
    elif basis == Basis.ART458TER and not is_prosecutor_reference(reference):
        errors["authorisation_reference"] = _(
            "Dit lijkt geen referentie van een machtiging: vermeld die zoals het parket ze gaf, met het jaar of "
            "het nummer (bv. PK Limburg 2026/77), hoogstens 200 tekens."
        )


def is_prosecutor_reference(reference: str) -> bool:
    """A prosecutor's reference names its file: a number in it, a few characters at least, no more than the field."""
    text = reference.strip()
    return 4 <= len(text) <= 200 and any(ch.isdigit() for ch in text)


def conference_schedule(
    *,
    user: User,
    detainee: Detainee,
    prison: Prison,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = Conference.Kind.PERIODIC,
    basis: str = Basis.CONSENT,
    authorisation_reference: str = "",
    location: str = "",
    video_link: str = "",
    proposed_for: dt.date | None = None,
    ical_uid: str | None = None,
    chair: User | None = None,
) -> Conference:
    """A director plans a conference in one of his prisons; the chair and lead consultant are invited.

    `proposed_for` records the date the scheduling rule proposed (filled from the rule for periodic
    and pre_leave conferences) so a later change of the detainee's dates is flagged, not applied.
    """
    chair = chair or user
    errors: dict[str, str] = {}
    if not user.is_director or not prison.directors.filter(pk=user.pk).exists():
        errors["prison"] = _("Je kan enkel overleg plannen in een gevangenis die je leidt.")
    elif not prison.directors.filter(pk=chair.pk).exists():
        errors["chair"] = _("De voorzitter moet directeur zijn van deze gevangenis.")
    if detainee.current_prison_id != prison.pk:
        errors["detainee"] = _("Deze gedetineerde verblijft niet in %(prison)s.") % {"prison": prison.name}
    if kind not in Conference.Kind.values:
        errors["kind"] = _("Onbekende soort overleg.")
    elif kind in OUTSIDE_KINDS:
        errors["kind"] = _("Een overleg buiten detentie wordt gepland en voorgezeten door zijn organisator.")
    times_check(starts_at, ends_at, errors)
    _check_basis(basis, authorisation_reference, errors)
    if ical_uid is not None:
        ical_uid = ical_uid.strip()
        if not ical_uid or len(ical_uid) > 255:
            errors["ical_uid"] = _("Een iCalendar-UID is 1 tot 255 tekens lang.")
        elif Conference.objects.filter(ical_uid=ical_uid).exists():
            errors["ical_uid"] = _("Deze iCalendar-UID is al in gebruik voor een ander overleg.")
    if errors:
        raise ValidationError(errors)
    if proposed_for is None:
        if kind == Conference.Kind.PRE_LEAVE:
            proposed_for = selectors.pre_leave_date(detainee)
        elif kind == Conference.Kind.PERIODIC:
            proposed_for = selectors.periodic_due(
                detainee,
                list(Conference.objects.filter(detainee=detainee)),
                selectors.cadence_months(detainee),
                before=starts_at,
            )
    conference = Conference(
        detainee=detainee,
        prison=prison,
        chair=chair,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        video_link=video_link.strip(),
        basis=basis,
        authorisation_reference=authorisation_reference.strip() if basis == Basis.ART458TER else "",
        proposed_for=proposed_for,
        created_by=user,
    )
    if ical_uid:
        conference.ical_uid = ical_uid
    conference.full_clean(exclude=["ical_uid"] if not ical_uid else None)
    try:
        with recorded(user, "conference_schedule"):
            conference.save()
            Participant.objects.create(
                conference=conference, user=chair, role=Participant.Role.CHAIR, response=Participant.Response.ACCEPTED
            )
            lead = detainee.lead_consultant
            if lead is not None and lead.pk != chair.pk:
                Participant.objects.create(conference=conference, user=lead, role=Participant.Role.CONSULTANT)
            if kind == Conference.Kind.PERIODIC:
                _standing_members_invite(conference)
            agenda_generate(conference)
            Minutes.objects.create(conference=conference, number=1)
            invitations_send_on_commit(conference)
    except IntegrityError as exc:
        # Two requests racing for the same UID: the unique constraint decides, the loser gets a field error.
        if "ical_uid" in str(exc):
            raise ValidationError(
                {"ical_uid": _("Deze iCalendar-UID is al in gebruik voor een ander overleg.")}
            ) from exc
        raise
    return conference


def _require_changeable(conference: Conference) -> None:
    if conference.is_cancelled:
        raise ValidationError({"status": _("Dit overleg is geannuleerd.")})
    if conference.status == Conference.Status.MINUTES_APPROVED:
        raise ValidationError({"status": _("Het verslag van dit overleg is goedgekeurd; het overleg ligt vast.")})


def conference_move(
    *,
    conference: Conference,
    user: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str | None = None,
    video_link: str | None = None,
    confirm_rule_date: bool = False,
) -> Conference:
    """Move a conference (new time or room); every invitee gets an updated invitation (SEQUENCE + 1)."""
    _require_changeable(conference)
    errors: dict[str, str] = {}
    times_check(starts_at, ends_at, errors)
    if not errors and starts_at < timezone.now() and starts_at != conference.starts_at:
        # Moving into the past would send invitations for a meeting nobody can attend; a meeting that
        # took place keeps its date and is recorded through its attendance and minutes.
        errors["starts_at"] = _("Een overleg kan niet naar een moment in het verleden verplaatst worden.")
    if errors:
        raise ValidationError(errors)
    fields = ["starts_at", "ends_at", "ical_sequence", "updated_at"]
    conference.starts_at, conference.ends_at = starts_at, ends_at
    if location is not None:
        conference.location = location.strip()
        fields.append("location")
    if video_link is not None:
        conference.video_link = video_link.strip()
        fields.append("video_link")
    if confirm_rule_date:
        flags = selectors.conference_proposals_recompute(detainee=conference.detainee)[1]
        for flag in flags:
            if flag.conference_id == conference.pk:
                conference.proposed_for = flag.now_proposed_for
                fields.append("proposed_for")
    conference.full_clean(exclude=["ical_uid"])
    with recorded(user, "conference_move"):
        conference.ical_sequence += 1
        conference.save(update_fields=fields)
        invitations_send_on_commit(conference)
    return conference


def conference_confirm_rule_date(*, conference: Conference, user: User) -> Conference:
    """Keep the planned date although the rule now proposes another one (clears the flag)."""
    _, flags = selectors.conference_proposals_recompute(detainee=conference.detainee)
    flag = next((f for f in flags if f.conference_id == conference.pk), None)
    if flag is None:
        return conference
    with recorded(user, "conference_confirm_rule_date"):
        conference.proposed_for = flag.now_proposed_for
        conference.save(update_fields=["proposed_for", "updated_at"])
    return conference


def conference_cancel(*, conference: Conference, user: User, reason: str) -> Conference:
    """Cancel: every invitee receives a METHOD:CANCEL with the same UID and a higher SEQUENCE."""
    _require_changeable(conference)
    if not (reason or "").strip():
        raise ValidationError({"cancel_reason": _("Geef een reden voor de annulering.")})
    with recorded(user, "conference_cancel"):
        conference.status = Conference.Status.CANCELLED
        conference.cancel_reason = reason.strip()[:300]
        conference.ical_sequence += 1
        conference.save(update_fields=["status", "cancel_reason", "ical_sequence", "updated_at"])
        invitations_send_on_commit(conference, cancel=True)
    return conference


# --- Participants -----------------------------------------------------------------------------------------


def participant_add(
    *,
    conference: Conference,
    user: User,
    role: str,
    participant_user: User | None = None,
    name: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    invite: bool = True,
) -> Participant:
    """Add a user or an external person; an invitation with .ics follows on commit (unless `invite=False`)."""
    _require_changeable(conference)
    errors: dict[str, str] = {}
    if role not in Participant.Role.values:
        errors["role"] = _("Onbekende rol.")
    if participant_user is None and not (name or "").strip():
        errors["name"] = _("Kies een gebruiker of vul de naam van de externe deelnemer in.")
    if _already_invited(conference, participant_user, email):
        # One person, one invitation: not again as a user, nor as an external participant with the same address.
        errors["participant_user" if participant_user is not None else "email"] = _("Deze persoon is al uitgenodigd.")
    if participant_user is not None and not participant_user.is_active:
        errors["participant_user"] = _("Deze gebruiker is niet meer actief.")
    wants_mail = invite and role != Participant.Role.DETAINEE
    if participant_user is None and wants_mail and not (email or "").strip():
        errors["email"] = _(
            "Een externe deelnemer zonder e-mailadres kan geen uitnodiging krijgen. Vul een e-mailadres in."
        )
    if participant_user is not None and wants_mail and not participant_user.email:
        errors["participant_user"] = _("Deze gebruiker heeft geen e-mailadres; een uitnodiging is niet mogelijk.")
    if errors:
        raise ValidationError(errors)
    participant = Participant(
        conference=conference,
        user=participant_user,
        role=role,
        name="" if participant_user else name.strip(),
        organisation=None if participant_user else organisation,
        email="" if participant_user else email.strip(),
    )
    participant.full_clean(exclude=["conference"])
    with recorded(user, "participant_add"):
        participant.save()
        if wants_mail:
            invitations_send_on_commit(conference, participant_ids=[participant.pk])
    return participant


def _already_invited(conference: Conference, participant_user: User | None, email: str) -> bool:
    """The person is on the list already: the same user, or the same e-mail address (a user's or an external's)."""
    address = (participant_user.email if participant_user is not None else (email or "")).strip()
    same = Q(user=participant_user) if participant_user is not None else Q(pk__in=[])
    if address:
        same |= Q(user__isnull=True, email__iexact=address) | Q(user__email__iexact=address)
    return conference.participants.filter(same).exists()


def _standing_members_invite(conference: Conference) -> None:
    """Every active standing member of the prison joins a periodic conference (ADR 0033), once: one already on
    the list (the chair, the lead consultant, or the same address) is not added again. Each one's basis is
    checked like any participant's (casusoverleg/basis.py); one without a basis is invited without access."""
    from ..models import StandingMember

    if conference.prison_id is None:  # a meeting outside detention has no prison and so no standing members
        return
    members = StandingMember.objects.active().filter(prison_id=conference.prison_id).select_related("user")
    for member in members:
        if member.user is not None and not member.user.is_active:
            continue
        if _already_invited(conference, member.user, member.email):
            continue
        Participant.objects.create(
            conference=conference,
            user=member.user,
            role=member.role,
            name="" if member.user_id else member.name,
            organisation=None if member.user_id else member.organisation,
            email="" if member.user_id else member.email,
        )


def participant_remove(*, participant: Participant, user: User) -> None:
    """Withdraw an invitation; the person receives a cancellation for their calendar."""
    conference = participant.conference
    _require_changeable(conference)
    if participant.role == Participant.Role.CHAIR:
        raise ValidationError({"participant": _("De voorzitter kan niet verwijderd worden.")})
    if participant.minutes_copies.exists():
        raise ValidationError({"participant": _("Deze deelnemer ontving al een verslag en blijft vermeld.")})
    email = participant.recipient_email if participant.invited_at else ""
    language = participant.language
    with recorded(user, "participant_remove"):
        participant.delete()
        if email:
            transaction.on_commit(lambda: cancellation_mail(conference.pk, email, language))


def cancellation_mail(conference_id: int, email: str, language: str) -> None:
    """Tell one removed address, in its language, that it is no longer invited (run on commit)."""
    conference = Conference.objects.select_related("prison", "chair").get(pk=conference_id)
    stub = Participant(conference=conference, name=email, email=email)
    _send_one(conference, stub, cancel=True, language=language)


def participant_respond(*, participant: Participant, user: User, response: str) -> Participant:
    """The invitee (or the director on their behalf) records accepted/declined."""
    if response not in Participant.Response.values:
        raise ValidationError({"response": _("Onbekend antwoord.")})
    _require_changeable(participant.conference)
    with recorded(user, "participant_respond"):
        participant.response = response
        participant.save(update_fields=["response", "updated_at"])
    return participant


def attendance_record(*, conference: Conference, user: User, attended: dict[int, bool]) -> Conference:
    """Who was there (the PDF lists it). Recording attendance marks the conference as held."""
    if conference.is_cancelled:
        raise ValidationError({"status": _("Dit overleg is geannuleerd.")})
    if conference.starts_at > timezone.now():
        raise ValidationError(
            {"attended": _("Aanwezigheid kan pas geregistreerd worden wanneer het overleg begonnen is.")}
        )
    participants = {p.pk: p for p in conference.participants.all()}
    unknown = set(attended) - set(participants)
    if unknown:
        raise ValidationError({"attended": _("Onbekende deelnemer(s).")})
    with recorded(user, "attendance_record"):
        for pk, value in attended.items():
            participants[pk].attended = bool(value)
            participants[pk].save(update_fields=["attended", "updated_at"])
        if conference.status == Conference.Status.PLANNED:
            conference.status = Conference.Status.HELD
            conference.save(update_fields=["status", "updated_at"])
    return conference


# --- Invitations (run by the Celery task) -----------------------------------------------------------


def _send_one(conference: Conference, participant: Participant, *, cancel: bool, language: str | None = None) -> None:
    """One invitation (or cancellation) with its .ics, in the participant's language."""
    with override(language or participant.language):
        _send_one_now(conference, participant, cancel=cancel)


def _send_one_now(conference: Conference, participant: Participant, *, cancel: bool) -> None:
    subject = (
        _("Geannuleerd: casusoverleg %(ref)s")
        if cancel or conference.is_cancelled
        else _("Uitnodiging casusoverleg %(ref)s")
    ) % {"ref": conference.reference}
    local = timezone.localtime(conference.starts_at)
    body = _(
        "Goedendag,\n\nCasusoverleg %(ref)s in %(prison)s op %(date)s om %(time)s.\n"
        "De agenda en de details vind je na aanmelding in de toepassing. De bijlage zet het overleg in je agenda.\n"
    ) % {
        "ref": conference.reference,
        "prison": conference.place,
        "date": date_format(local, "SHORT_DATE_FORMAT"),
        "time": time_format(local, "TIME_FORMAT"),
    }
    if not getattr(participant, "basis", access_basis.ParticipantBasis(access_basis.Access.INTERNAL)).has_access:
        # Invited to the meeting, not to the file: he is told so now rather than meeting a closed page later.
        body += "\n" + _(
            "Je organisatie heeft (nog) geen toestemming van de betrokkene om de inhoud van dit dossier te delen. "
            "Je bent uitgenodigd op het overleg; de agenda, het dossier en het verslag blijven voor jou gesloten "
            "tot er een toestemming voor casusoverleg is.\n"
        )
    body += "\n" + absolute_reverse("casusoverleg:detail", args=[conference.pk]) + "\n"
    if cancel or conference.is_cancelled:
        body = _("Goedendag,\n\nCasusoverleg %(ref)s gaat niet door. De bijlage haalt het uit je agenda.\n") % {
            "ref": conference.reference
        }
    message = EmailMessage(subject=subject, body=body, to=[participant.recipient_email])
    method = "CANCEL" if cancel or conference.is_cancelled else "REQUEST"
    message.attach(
        "casusoverleg.ics",
        ics.invitation(conference, participant, cancel=cancel),
        f"text/calendar; charset=utf-8; method={method}",
    )
    message.send()


def conference_invitations_send(
    *, conference_id: int, participant_ids: list[int] | None = None, cancel: bool = False
) -> int:
    """Mail the current invitation (or cancellation) to the participants with an e-mail address.

    Safe to run twice: a calendar client treats the same UID and SEQUENCE as the same message.
    """
    conference = Conference.objects.select_related("prison", "chair", "detainee").get(pk=conference_id)
    participants = conference.participants.select_related("user").exclude(role=Participant.Role.DETAINEE)
    if participant_ids is not None:
        participants = participants.filter(pk__in=participant_ids)
    sent = 0
    consents, directors = access_basis.conference_consents(conference), access_basis.director_ids(conference)
    for participant in participants:
        if not participant.recipient_email:
            continue
        with transaction.atomic():
            # Each version (SEQUENCE) of the invitation reaches a participant once: a second job for the same
            # version — the planning's and a just-added participant's, relayed one after the other — waits for
            # the first on this lock and then finds him served. A failed mail rolls the mark back for the retry.
            served = (
                Participant.objects.select_for_update()
                .filter(pk=participant.pk)
                .values_list("invited_sequence", flat=True)
                .first()
            )
            if served is not None and served == conference.ical_sequence:
                continue
            participant.basis = access_basis.participant_basis(participant, conference, consents, directors)
            _send_one(conference, participant, cancel=cancel)
            Participant.objects.filter(pk=participant.pk).update(
                invited_at=timezone.now(), invited_sequence=conference.ical_sequence
            )
        sent += 1
    return sent


# --- Agenda ------------------------------------------------------------------------------------------------


def agenda_generate(conference: Conference) -> None:
    """Write the generated agenda items of `conference` (no permission check: the callers, in this package, have
    checked who asks)."""
    # Generated items are shared by every participant and end up in the (Dutch) minutes: they are
    # written in the official language, whoever refreshes them.
    with override(settings.LANGUAGE_CODE):
        _agenda_write(conference)


def _agenda_write(conference: Conference) -> None:
    # A generated item keeps its meaning (title code, body lines: accounts/texts.py) and is read in each
    # reader's language; `title`/`body` hold the Dutch words for the minutes' official record.
    existing = {item.source: item for item in conference.agenda_items.exclude(source=AgendaItem.Source.FREE)}
    for order, (source, title, lines) in enumerate(selectors_agenda.generated_agenda_parts(conference), start=1):
        title, body = text_code(title), selectors_agenda.render_lines(lines)
        item = existing.get(source)
        if item is None:
            AgendaItem.objects.create(
                conference=conference, source=source, order=order * 10, title=title, body=body, body_parts=lines
            )
        elif item.body != body or item.title != title or item.body_parts != lines:
            item.title, item.body, item.body_parts = title, body, lines
            item.save(update_fields=["title", "body", "body_parts", "updated_at"])


def _require_open_minutes(conference: Conference) -> None:
    if conference.minutes_versions.filter(status=Minutes.Status.APPROVED).exists():
        raise ValidationError({"agenda": _("Het verslag is goedgekeurd; de agenda ligt vast.")})


def agenda_refresh(*, conference: Conference, user: User) -> Conference:
    """Rebuild the generated items from the case as it is now (notes stay attached to their item)."""
    _require_changeable(conference)
    _require_open_minutes(conference)
    with recorded(user, "agenda_refresh"):
        agenda_generate(conference)
    return conference


def agenda_item_add(*, conference: Conference, user: User, title: str, body: str = "") -> AgendaItem:
    _require_changeable(conference)
    _require_open_minutes(conference)
    if not (title or "").strip():
        raise ValidationError({"title": _("Geef het agendapunt een titel.")})
    last = conference.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(
        conference=conference,
        source=AgendaItem.Source.FREE,
        title=title.strip(),
        body=(body or "").strip(),
        order=last + 10,
    )
    item.full_clean()
    with recorded(user, "agenda_item_add"):
        item.save()
    return item


def agenda_item_remove(*, item: AgendaItem, user: User) -> None:
    """Only free items can be removed, and only before anything was written under them."""
    _require_changeable(item.conference)
    _require_open_minutes(item.conference)
    if item.source != AgendaItem.Source.FREE:
        raise ValidationError({"item": _("Een gegenereerd agendapunt kan niet verwijderd worden.")})
    if item.notes.exclude(text="").exists():
        raise ValidationError({"item": _("Onder dit agendapunt staan al notities.")})
    with recorded(user, "agenda_item_remove"):
        item.notes.all().delete()
        item.delete()


# --- Calendar feed ---------------------------------------------------------------------------------------


def calendar_feed_rotate(*, user: User) -> CalendarFeed:
    """Create the user's private feed URL, or revoke the old one and issue a new token."""
    from ..models import new_feed_token

    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "updated_at"])
    return feed


def calendar_feed_revoke(*, user: User) -> None:
    """Revoke the feed: the old URL stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()


# --- Scheduling rules ------------------------------------------------------------------------------------------


def cadence_set(
    *, user: User, months: int | None, prison: Prison | None = None, detainee: Detainee | None = None
) -> CadenceRule | None:
    """Set the periodic cadence of a prison, or override it for one detainee (`months=None` removes the override).

    Only a director of that prison (of the detainee's prison for an override) may change it.
    """
    from ..models import CadenceRule

    target_prison = prison if prison is not None else (detainee.current_prison if detainee is not None else None)
    if (prison is None) == (detainee is None):
        raise TypeError("give exactly one of prison or detainee")
    if target_prison is None or not target_prison.directors.filter(pk=user.pk).exists():
        raise ValidationError({"months": _("Enkel een directeur van de gevangenis kan het ritme aanpassen.")})
    if months is not None and not 1 <= months <= 24:
        raise ValidationError({"months": _("Kies een ritme tussen 1 en 24 maanden.")})
    lookup = {"prison": prison} if prison is not None else {"detainee": detainee}
    with recorded(user, "cadence_set"):
        if months is None:
            CadenceRule.objects.filter(**lookup).delete()
            return None
        rule, _created = CadenceRule.objects.update_or_create(**lookup, defaults={"months": months})
    return rule
