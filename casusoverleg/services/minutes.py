"""Writes of minutes: saving a draft (with a version check), approval by the chair, corrections as new
versions, and the distribution of PDF copies with a disclosure per recipient.

A save names the `revision` it started from; when someone saved in between, the save is refused
with `MinutesConflict` and nothing is written, so the form can show both texts and nobody loses work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.display import local_date
from accounts.models import Organisation, User
from casework.models import Basis, Consent, Disclosure, Purpose, Scope
from casework.permissions import directed_prison_ids
from casework.services import disclosure_record
from config.history import recorded
from config.public_url import absolute_reverse
from ops.outbox import outbox_enqueue
from trajectories.models import Action, Trajectory

from ..basis import Access, Direction, conference_consents, director_ids, participant_basis, participants_with_basis
from ..models import Conference, Decision, ItemNote, Minutes, MinutesAction, MinutesCopy, MinutesDownload, Participant

MAX_DECISIONS = 50
MAX_ACTIONS = 50


class MinutesConflict(ValidationError):
    """Someone else saved the draft after the editor loaded it."""

    def __init__(self, current: Minutes):
        self.current = current
        super().__init__(
            {
                "revision": _(
                    "Iemand anders heeft dit verslag intussen bewaard (versie %(rev)s, door %(who)s). Je tekst is niet "
                    "verloren: hij staat nog in het formulier. Vergelijk met de bewaarde tekst hieronder en bewaar opnieuw."
                )
                % {"rev": current.revision, "who": current.last_edited_by or "?"}
            }
        )


_Row = TypeVar("_Row", Decision, MinutesAction)


def _require_draft(minutes: Minutes) -> None:
    if minutes.is_approved:
        raise ValidationError(
            {"status": _("Goedgekeurde notulen liggen vast. Start een correctie om een nieuwe versie te maken.")}
        )
    if minutes.conference.is_cancelled:
        raise ValidationError({"status": _("Dit overleg is geannuleerd.")})


def _clean_decisions(rows: Sequence[Mapping[str, Any]], errors: dict[str, Any]) -> list[Decision]:
    decisions = []
    if len(rows) > MAX_DECISIONS:
        errors["decisions"] = _("Hoogstens %(n)s beslissingen per verslag.") % {"n": MAX_DECISIONS}
        return []
    for number, row in enumerate(rows, start=1):
        text = (row.get("text") or "").strip()
        consensus = bool(row.get("consensus", True))
        who, why = (row.get("dissent_who") or "").strip(), (row.get("dissent_why") or "").strip()
        if not text:
            errors.setdefault("decisions", []).append(_("Beslissing %(n)s: de tekst ontbreekt.") % {"n": number})
        if not consensus and not (who and why):
            errors.setdefault("decisions", []).append(
                _("Beslissing %(n)s: zonder consensus vermeld je wie niet akkoord ging en waarom.") % {"n": number}
            )
        decisions.append(
            Decision(
                order=number,
                text=text,
                consensus=consensus,
                dissent_who="" if consensus else who,
                dissent_why="" if consensus else why,
            )
        )
    return decisions


def _clean_actions(
    rows: Sequence[Mapping[str, Any]], conference: Conference, errors: dict[str, Any]
) -> list[MinutesAction]:
    actions = []
    if len(rows) > MAX_ACTIONS:
        errors["actions"] = _("Hoogstens %(n)s acties per verslag.") % {"n": MAX_ACTIONS}
        return []
    meeting_day = timezone.localtime(conference.starts_at).date()
    for number, row in enumerate(rows, start=1):
        description = (row.get("description") or "").strip()
        owner_user: User | None = row.get("owner_user")
        owner_organisation: Organisation | None = row.get("owner_organisation")
        due_on: dt.date | None = row.get("due_on")
        problems = []
        if not description:
            problems.append(_("de omschrijving ontbreekt"))
        if owner_user is None and owner_organisation is None:
            problems.append(_("duid een eigenaar aan (persoon of organisatie)"))
        if due_on is None:
            problems.append(_("vul een uiterste datum in"))
        elif due_on < meeting_day:
            problems.append(_("de uiterste datum ligt vóór het overleg (%(day)s)") % {"day": local_date(meeting_day)})
        if problems:
            errors.setdefault("actions", []).append(_("Actie %(n)s: %(p)s.") % {"n": number, "p": "; ".join(problems)})
        # Built also when the row has problems: the errors are raised before anything is saved.
        actions.append(
            MinutesAction(  # type: ignore[misc]
                order=number,
                description=description,
                owner_user=owner_user,
                owner_organisation=owner_organisation,
                owner_name=(row.get("owner_name") or "").strip() if owner_user is None else "",
                due_on=due_on,
                action=row.get("action"),
            )
        )
    return actions


def minutes_save(
    *,
    minutes: Minutes,
    user: User,
    revision: int,
    general_notes: str = "",
    notes: Mapping[int, str] | None = None,
    decisions: Sequence[Mapping[str, Any]] = (),
    actions: Sequence[Mapping[str, Any]] = (),
) -> Minutes:
    """Save the whole draft (notes per agenda item, decisions, actions) if nobody saved since `revision`."""
    _require_draft(minutes)
    conference = minutes.conference
    notes = dict(notes or {})
    errors: dict[str, Any] = {}  # field → a message or a list of them
    item_ids = set(conference.agenda_items.values_list("pk", flat=True))
    if set(notes) - item_ids:
        errors["notes"] = _("Notities bij een onbekend agendapunt.")
    if len(general_notes or "") > 10000 or any(len(text or "") > 10000 for text in notes.values()):
        errors["notes"] = _("Notities zijn hoogstens 10.000 tekens lang.")
    decision_rows = _clean_decisions(decisions, errors)
    action_rows = _clean_actions(actions, conference, errors)
    if errors:
        raise ValidationError(errors)
    with recorded(user, "minutes_save"):
        locked = Minutes.objects.select_for_update(of=("self",)).select_related("last_edited_by").get(pk=minutes.pk)
        if locked.revision != revision:
            raise MinutesConflict(locked)
        _require_draft(locked)
        locked.general_notes = general_notes or ""
        locked.revision += 1
        locked.last_edited_by = user
        locked.save(update_fields=["general_notes", "revision", "last_edited_by", "updated_at"])
        for item_id in item_ids:
            text = (notes.get(item_id) or "").strip()
            ItemNote.objects.update_or_create(minutes=locked, agenda_item_id=item_id, defaults={"text": text})
        locked.decisions.all().delete()
        Decision.objects.bulk_create([_attach(row, locked) for row in decision_rows])
        locked.actions.all().delete()
        MinutesAction.objects.bulk_create([_attach(row, locked) for row in action_rows])
        if conference.status in (Conference.Status.PLANNED, Conference.Status.HELD):
            conference.status = Conference.Status.MINUTES_DRAFT
            conference.save(update_fields=["status", "updated_at"])
    minutes.refresh_from_db()
    return minutes


def _attach(row: _Row, minutes: Minutes) -> _Row:
    row.minutes = minutes
    return row


# --- Approval and corrections ------------------------------------------------------------------------------


def canonical_bytes(snapshot: dict[str, Any]) -> bytes:
    """The canonical serialisation the fingerprint is computed on: sorted keys, no spaces, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint_of(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(snapshot)).hexdigest()


def minutes_snapshot(minutes: Minutes, *, approved_by: User, approved_at: dt.datetime) -> dict[str, Any]:
    """Everything the approved minutes say, as plain JSON (the PDF is rendered from this, never from live rows).

    The snapshot is made under the default language whoever approves, so the fingerprint does not depend on
    who approved: its labels (kind, basis, roles, responses) are the Dutch catalogue texts, and a generated
    agenda item keeps its source, its title code and its lines as meaning (`body_parts`). A copy is rendered
    from it in its reader's language (casusoverleg/pdf.py); what people typed stays as typed.
    """
    with override(settings.LANGUAGE_CODE):
        return _snapshot(minutes, approved_by=approved_by, approved_at=approved_at)


def _snapshot(minutes: Minutes, *, approved_by: User, approved_at: dt.datetime) -> dict[str, Any]:
    conference = minutes.conference
    detainee = conference.detainee
    notes = {n.agenda_item_id: n.text for n in minutes.item_notes.all()}

    def local(moment: dt.datetime) -> str:
        return timezone.localtime(moment).isoformat()

    # The basis each participant really had when the chair approved (ADR 0033), not the one the conference was
    # planned on: a partner without a consent for a conference is named as such.
    participants = participants_with_basis(
        conference, list(conference.participants.select_related("user", "user__organisation", "organisation"))
    )
    without = [p for p in participants if not p.basis.has_access]
    return {
        "conference": {
            "id": conference.pk,
            "reference": conference.reference,
            "kind": conference.get_kind_display(),
            "starts_at": local(conference.starts_at),
            "ends_at": local(conference.ends_at),
            "prison": conference.place,
            "outside": conference.is_outside,
            "location": conference.location,
            "basis": conference.get_basis_display(),
            "authorisation_reference": conference.authorisation_reference,
            "mandate_reference": conference.mandate_reference,
            "chair": str(conference.chair),
            "basis_note": str(_("Niet elke deelnemer had een grondslag: zie de grondslag per deelnemer."))
            if without
            else "",
        },
        "detainee": {
            "id": detainee.pk,
            "name": detainee.full_name,
            "date_of_birth": detainee.date_of_birth.isoformat() if detainee.date_of_birth else None,
        },
        "minutes": {
            "version": minutes.number,
            "approved_by": str(approved_by),
            "approved_at": local(approved_at),
            "correction_reason": minutes.correction_reason,
        },
        "participants": [
            {
                "name": p.display_name,
                "organisation": str(p.organisation_effective or ""),
                "role": p.get_role_display(),
                "response": p.get_response_display(),
                "attended": p.attended,
                "basis": p.basis.label,
                "consent_given_on": p.basis.consent.given_on.isoformat() if p.basis.consent else None,
            }
            for p in participants
        ],
        "agenda": [
            {
                "order": index,
                "source": item.source,
                "title": item.title,
                "body": item.body,
                "body_parts": item.body_parts,
                "notes": notes.get(item.pk, ""),
            }
            for index, item in enumerate(conference.agenda_items.all(), start=1)
        ],
        "general_notes": minutes.general_notes,
        "decisions": [
            {"text": d.text, "consensus": d.consensus, "dissent_who": d.dissent_who, "dissent_why": d.dissent_why}
            for d in minutes.decisions.all()
        ],
        "actions": [
            {"description": a.description, "owner": a.owner_display, "due_on": a.due_on.isoformat()}
            for a in minutes.actions.select_related("owner_user", "owner_organisation")
        ],
    }


def minutes_approve(*, minutes: Minutes, user: User, revision: int | None = None) -> Minutes:
    """The chair approves: the content is frozen with its fingerprint, agreed actions join the shared
    action list, and the PDF copies are rendered and sent by a Celery task after commit."""
    from trajectories.services.goals import action_create, action_set_status

    from ..tasks import minutes_pdf_render as minutes_pdf_render_task

    _require_draft(minutes)
    conference = minutes.conference
    if user.pk != conference.chair_id:
        raise ValidationError(
            {
                "approved_by": _("Enkel de voorzitter (%(chair)s) kan het verslag goedkeuren.")
                % {"chair": conference.chair}
            }
        )
    if conference.starts_at > timezone.now():
        raise ValidationError({"status": _("Een verslag kan pas goedgekeurd worden nadat het overleg plaatsvond.")})
    if (
        not minutes.decisions.exists()
        and not minutes.item_notes.exclude(text="").exists()
        and not minutes.general_notes.strip()
    ):
        raise ValidationError({"status": _("Het verslag is nog leeg.")})
    now = timezone.now()
    with recorded(user, "minutes_approve"):
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if revision is not None and locked.revision != revision:
            raise MinutesConflict(locked)
        _require_draft(locked)
        trajectory = Trajectory.objects.filter(detainee_id=conference.detainee_id, closed_on__isnull=True).first()
        kept: set[int] = set()
        for row in locked.actions.select_related("action"):
            if row.action_id is None:
                row.action = action_create(
                    detainee=conference.detainee,
                    user=user,
                    description=row.description,
                    owner_user=row.owner_user,
                    owner_organisation=row.owner_organisation,
                    owner_name=row.owner_name,
                    due_on=row.due_on,
                    source_kind=Action.SourceKind.CONFERENCE_DECISION,
                    trajectory=trajectory if trajectory and trajectory.is_open else None,
                )
                row.save(update_fields=["action", "updated_at"])
            if row.action_id is not None:  # always, since the line above
                kept.add(row.action_id)
        if locked.previous_id:
            # A correction dropped an action agreed in the earlier version: it is cancelled, not forgotten.
            for dropped in Action.objects.filter(
                conference_links__minutes_id=locked.previous_id, status=Action.ActionStatus.OPEN
            ).exclude(pk__in=kept):
                action_set_status(action=dropped, user=user, status=Action.ActionStatus.CANCELLED)
        locked.snapshot = minutes_snapshot(locked, approved_by=user, approved_at=now)
        locked.fingerprint = fingerprint_of(locked.snapshot)
        locked.status, locked.approved_by, locked.approved_at = Minutes.Status.APPROVED, user, now
        locked.save(update_fields=["snapshot", "fingerprint", "status", "approved_by", "approved_at", "updated_at"])
        conference.status = Conference.Status.MINUTES_APPROVED
        conference.save(update_fields=["status", "updated_at"])
        # Through the transactional outbox: the render commits with the approval (ADR 0016).
        outbox_enqueue(minutes_pdf_render_task, locked.pk)
    return locked


def minutes_correct(*, minutes: Minutes, user: User, reason: str) -> Minutes:
    """Start a correction of approved minutes: a new draft version with the same content; the approved
    version stays as it is (all versions are kept)."""
    conference = minutes.conference
    if not minutes.is_approved:
        raise ValidationError({"status": _("Enkel een goedgekeurd verslag kan gecorrigeerd worden.")})
    if Minutes.objects.filter(previous=minutes).exists():
        raise ValidationError({"status": _("Van deze versie bestaat al een correctie.")})
    if user.pk != conference.chair_id:
        raise ValidationError({"approved_by": _("Enkel de voorzitter kan een correctie starten.")})
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("Geef de reden van de correctie.")})
    with recorded(user, "minutes_correct"):
        draft = Minutes.objects.create(
            conference=conference,
            number=minutes.number + 1,
            previous=minutes,
            general_notes=minutes.general_notes,
            correction_reason=reason.strip()[:300],
            last_edited_by=user,
        )
        ItemNote.objects.bulk_create(
            [ItemNote(minutes=draft, agenda_item_id=n.agenda_item_id, text=n.text) for n in minutes.item_notes.all()]
        )
        Decision.objects.bulk_create(
            [
                Decision(
                    minutes=draft,
                    order=d.order,
                    text=d.text,
                    consensus=d.consensus,
                    dissent_who=d.dissent_who,
                    dissent_why=d.dissent_why,
                )
                for d in minutes.decisions.all()
            ]
        )
        MinutesAction.objects.bulk_create(
            [
                MinutesAction(
                    minutes=draft,
                    order=a.order,
                    description=a.description,
                    owner_user_id=a.owner_user_id,
                    owner_organisation_id=a.owner_organisation_id,
                    owner_name=a.owner_name,
                    due_on=a.due_on,
                    action_id=a.action_id,
                )
                for a in minutes.actions.all()
            ]
        )
        conference.status = Conference.Status.MINUTES_DRAFT
        conference.save(update_fields=["status", "updated_at"])
    return draft


# --- Distribution ------------------------------------------------------------------------------------------


def recipient_basis(
    participant: Participant, conference: Conference, consents: dict[int, Consent], directors: Direction | None = None
) -> tuple[str, Consent | None, str]:
    """Why this participant may (or may not) be told of the minutes: (outcome, consent, reason). The basis is
    the participant's as it is now (casusoverleg/basis.py), checked again before anyone is told."""
    if directors is None:
        directors = director_ids(conference)
    found = participant_basis(participant, conference, consents, directors)
    if participant.role == Participant.Role.DETAINEE:
        return MinutesCopy.Outcome.WITHHELD, None, _("De gedetineerde krijgt het verslag niet per e-mail.")
    if not participant.recipient_email:
        return MinutesCopy.Outcome.WITHHELD, None, _("Geen e-mailadres.")
    if not participant.user_id:
        # The minutes are read after signing in (with the second factor), never sent as an attachment.
        return MinutesCopy.Outcome.WITHHELD, None, _("Geen account: een verslag wordt enkel na aanmelding gelezen.")
    if found.access == Access.INTERNAL:
        return MinutesCopy.Outcome.INTERNAL, None, _("Dossierhoudende organisatie of directie van de gevangenis.")
    if found.access == Access.CONSENT:
        return MinutesCopy.Outcome.SENT, found.consent, _("Toestemming met onderdeel verslagen.")
    if found.access == Access.ART458TER and participant.attended:
        return MinutesCopy.Outcome.SENT, None, _("Aanwezig op het overleg onder art. 458ter Sw.")
    if found.access == Access.COURT_MANDATE:
        return (
            MinutesCopy.Outcome.SENT,
            None,
            _("Organisator van het overleg op mandaat van de strafuitvoeringsrechtbank."),
        )
    return (
        MinutesCopy.Outcome.WITHHELD,
        None,
        _("Geen toestemming met onderdeel verslagen en geen wettelijke grondslag."),
    )


def minutes_distribute(*, minutes_id: int) -> list[MinutesCopy]:
    """Tell each entitled participant that approved minutes are there to read, and record why each one was (or
    was not) told. The minutes never travel as an attachment: the e-mail links to the conference, where the
    participant downloads his own watermarked copy after signing in with both factors; that download is the
    disclosure, recorded with the copy's SHA-256 (`minutes_download_record`). Participants already handled
    are skipped, so a redelivered task sends nothing twice.

    The records it writes (the reasons) are in the official language; each e-mail is in its recipient's."""
    with override(settings.LANGUAGE_CODE):
        return _distribute(minutes_id)


def _distribute(minutes_id: int) -> list[MinutesCopy]:
    from ..privacy import is_anonymised

    minutes = Minutes.objects.select_related(
        "conference__detainee__organisation", "conference__prison", "conference__chair"
    ).get(pk=minutes_id)
    if not minutes.is_approved or is_anonymised(minutes):
        return []
    conference = minutes.conference
    consents, directors = conference_consents(conference), director_ids(conference)
    done = set(minutes.copies.values_list("participant_id", flat=True))
    copies = []
    for participant in conference.participants.select_related("user", "user__organisation", "organisation"):
        if participant.pk in done:
            continue
        outcome, _consent, reason = recipient_basis(participant, conference, consents, directors)
        copy = MinutesCopy(minutes=minutes, participant=participant, outcome=outcome, reason=reason)
        with transaction.atomic():
            copy.save()
            if outcome != MinutesCopy.Outcome.WITHHELD:
                transaction.on_commit(partial(_mail_minutes, conference, minutes, participant))
        copies.append(copy)
    return copies


def _mail_minutes(conference: Conference, minutes: Minutes, participant: Participant) -> None:
    with override(participant.language):
        _mail_minutes_now(conference, minutes, participant)


def _mail_minutes_now(conference: Conference, minutes: Minutes, participant: Participant) -> None:
    link = absolute_reverse("casusoverleg:detail", args=[conference.pk]) + "#minutes"
    EmailMessage(
        subject=_("Verslag casusoverleg %(ref)s") % {"ref": conference.reference},
        body=_(
            "Goedendag,\n\nHet verslag (versie %(v)s) van casusoverleg %(ref)s is goedgekeurd. Meld je aan om "
            "het te lezen en je persoonlijke exemplaar te downloaden:\n\n%(link)s\n\n"
            "Het verslag wordt niet per e-mail verstuurd.\n"
        )
        % {"v": minutes.number, "ref": conference.reference, "link": link},
        to=[participant.recipient_email],
    ).send()


def minutes_download_record(*, minutes: Minutes, user: User, file_sha256: str) -> MinutesDownload:
    """Every downloaded copy is recorded with its file's SHA-256 (casusoverleg/verification.py checks copies
    against it). A copy downloaded by someone outside the file's organisation and the prison's direction (a
    partner) left the team just like a mailed copy: its disclosure is recorded too, on the consent (scope
    minutes) that allowed it or on the conference's art. 458ter basis; without either nothing is written."""
    conference = minutes.conference
    internal = (user.organisation_id is not None and user.organisation_id == conference.detainee.organisation_id) or (
        conference.prison_id is not None and conference.prison_id in directed_prison_ids(user)
    )
    with transaction.atomic():
        disclosure = None if internal else _download_disclosure(minutes, user, file_sha256)
        return MinutesDownload.objects.create(
            minutes=minutes, user=user, file_sha256=file_sha256, disclosure=disclosure
        )


def _download_disclosure(minutes: Minutes, user: User, file_sha256: str) -> Disclosure:
    conference = minutes.conference
    consent = (
        Consent.objects.granting(purpose=Purpose.CONFERENCE, scope=Scope.MINUTES)
        .filter(detainee_id=conference.detainee_id, organisation_id=user.organisation_id)  # type: ignore[misc]  # None reads as IS NULL in Django; django-stubs refuses it
        .order_by("-given_on", "-pk")
        .first()
    )
    mandate = (
        conference.basis == Basis.COURT_MANDATE
        and bool(conference.mandate_reference)
        and user.pk == conference.chair_id
    )
    if consent is None and conference.basis != Basis.ART458TER and not mandate:
        raise ValidationError({"minutes": _("Er is geen grondslag om dit verslag te delen.")})
    legal_basis = Basis.CONSENT if consent else (Basis.COURT_MANDATE if mandate else Basis.ART458TER)
    return disclosure_record(
        detainee=conference.detainee,
        user=user,
        recipient_name=str(user),
        recipient_organisation=user.organisation,
        recipient_email=user.email,
        purpose=Purpose.CONFERENCE,
        basis=legal_basis,
        consent=consent,
        legal_reference=""
        if consent
        else (conference.mandate_reference if mandate else conference.authorisation_reference),
        what=gettext_lazy("Verslag casusoverleg %(ref)s, versie %(v)s (gedownload)"),
        what_params={"ref": conference.reference, "v": str(minutes.number)},
        object_kind="minutes",
        object_id=str(minutes.pk),
        file_sha256=file_sha256,
    )
