"""Conferences follow a transfer (ADR 0040): the part casusoverleg registers with casework/transfers.py, and the
resolution either director gives a conference planned at the prison the detainee left.

At the transfer (inside its transaction, casework/services_transfer.py):
- every conference still planned at the old prison from the transfer date on is flagged (`TransferFlag`) to the
  directors of both prisons; the new prison's directors see a flagged conference from then on;
- the file's own conference rhythm, set by the old prison's director, is dropped: the cadence follows the new
  prison's rule (the change history keeps the old rhythm);
- the directors of both prisons and the case team are told (reminder kinds of reminders_transfer.py).

A resolution is one of: cancel (every invitee receives the cancellation), move to the new prison (its director
chairs, every invitee receives the updated invitation, the old chair a cancellation) or keep it as a handover
conference at the old prison (the new prison's directors are invited). Both directors and the case team are told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.models import User
from casework.models import Detainee, Placement, Prison
from config.history import recorded
from notifications.registry import local_zone
from notifications.services import reminder_schedule

from ..models import CadenceRule, Conference, Participant, TransferFlag
from . import conferences

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RESOLUTIONS = (TransferFlag.Resolution.CANCELLED, TransferFlag.Resolution.MOVED, TransferFlag.Resolution.HANDOVER)

TRANSFER_TEXT = gettext_lazy("Een gedetineerde is op %(day)s overgeplaatst van %(left)s naar %(prison)s.")
FLAGGED_TEXT = gettext_lazy(
    "Na een overplaatsing naar %(prison)s staat er nog een casusoverleg gepland in %(left)s op "
    "%(day)s: annuleren, verplaatsen of behouden als overdrachtsoverleg?"
)
RESOLVED_TEXTS: dict[str, StrOrPromise] = {
    TransferFlag.Resolution.CANCELLED: gettext_lazy(
        "Het casusoverleg van %(day)s in %(left)s is na de overplaatsing geannuleerd."
    ),
    TransferFlag.Resolution.MOVED: gettext_lazy(
        "Het casusoverleg van %(day)s is na de overplaatsing verplaatst naar %(prison)s."
    ),
    TransferFlag.Resolution.HANDOVER: gettext_lazy(
        "Het casusoverleg van %(day)s in %(left)s blijft na de overplaatsing behouden als overdrachtsoverleg."
    ),
}


def _directors(prison: Prison | None) -> list[User]:
    return list(prison.directors.filter(is_active=True)) if prison is not None else []


def _case_team(detainee: Detainee) -> list[User]:
    team = [detainee.lead_consultant, *detainee.co_consultants.all()]
    return list({member.pk: member for member in team if member is not None and member.is_active}.values())


def _tell(
    *,
    kind: str,
    obj: models.Model,
    recipients: Iterable[User],
    text: StrOrPromise,
    params: dict[str, object],
    link_for: Callable[[User], str],
) -> None:
    for recipient in recipients:
        reminder_schedule(
            kind=kind, obj=obj, recipient=recipient, text=text, text_params=params, link=link_for(recipient)
        )


def _conference_params(conference: Conference, placement: Placement) -> dict[str, object]:
    assert placement.transferred_from is not None  # a conference is flagged only by a transfer from a prison
    return {
        "day": local_date(timezone.localtime(conference.starts_at)),
        "left": placement.transferred_from.name,
        "prison": placement.prison.name,
    }


# --- At the transfer -------------------------------------------------------------------------------------------------


def conferences_follow_transfer(*, placement: Placement, user: User) -> list[TransferFlag]:
    """The casusoverleg part of a transfer; runs inside its transaction and history context."""
    detainee, left, prison = placement.detainee, placement.transferred_from, placement.prison
    CadenceRule.objects.filter(detainee=detainee).delete()
    flags: list[TransferFlag] = []
    if left is not None:
        since = dt.datetime.combine(placement.from_date, dt.time.min, tzinfo=local_zone())
        planned = (
            Conference.objects.select_for_update()
            .filter(detainee=detainee, prison=left, starts_at__gte=since, status=Conference.Status.PLANNED)
            .order_by("starts_at", "pk")
        )
        flags = [TransferFlag.objects.create(conference=conference, placement=placement) for conference in planned]
    old_directors, new_directors, team = _directors(left), _directors(prison), _case_team(detainee)
    file_link = reverse("casework:file_placements", args=[detainee.pk])
    transfers_link = reverse("casusoverleg:transfers")
    old_ids = {director.pk for director in old_directors}
    _tell(
        kind="transfer_recorded",
        obj=placement,
        recipients={u.pk: u for u in [*team, *new_directors, *old_directors]}.values(),
        text=TRANSFER_TEXT,
        params={"day": local_date(placement.from_date), "left": left.name if left else "—", "prison": prison.name},
        link_for=lambda recipient: transfers_link if recipient.pk in old_ids else file_link,
    )
    for flag in flags:
        flag.placement = placement

        def resolve_link(_recipient: User, pk: int = flag.conference_id) -> str:
            return reverse("casusoverleg:transfer_resolve", args=[pk])

        _tell(
            kind="transfer_conference_flagged",
            obj=flag,
            recipients={u.pk: u for u in [*old_directors, *new_directors]}.values(),
            text=FLAGGED_TEXT,
            params=_conference_params(flag.conference, placement),
            link_for=resolve_link,
        )
    return flags


# --- The resolution --------------------------------------------------------------------------------------------------


def may_resolve(user: User, flag: TransferFlag) -> bool:
    """A director of the prison left or of the new one."""
    if not user.is_authenticated or not user.is_director:
        return False
    prisons = {pk for pk in (flag.placement.prison_id, flag.placement.transferred_from_id) if pk is not None}
    return user.directed_prisons.filter(pk__in=prisons).exists()


def _move(conference: Conference, placement: Placement, user: User, chair: User | None) -> None:
    new_directors = _directors(placement.prison)
    if chair is None and user in new_directors:
        chair = user
    if chair is None or chair not in new_directors:
        raise ValidationError(
            {"chair": _("Kies als voorzitter een directeur van %(prison)s.") % {"prison": placement.prison.name}}
        )
    chair_row = conference.participants.select_for_update().filter(role=Participant.Role.CHAIR).first()
    old_email = (
        chair_row.recipient_email
        if chair_row is not None and chair_row.invited_at and chair_row.user_id != chair.pk
        else ""
    )
    old_language = chair_row.language if chair_row is not None else ""
    conference.participants.filter(user=chair).exclude(role=Participant.Role.CHAIR).delete()
    if chair_row is not None:
        chair_row.user = chair
        chair_row.response = Participant.Response.ACCEPTED
        chair_row.save(update_fields=["user", "response", "updated_at"])
    else:
        Participant.objects.create(
            conference=conference, user=chair, role=Participant.Role.CHAIR, response=Participant.Response.ACCEPTED
        )
    # The room was one of the old prison's: the new director sets a new one when he moves the meeting.
    conference.prison, conference.chair, conference.location = placement.prison, chair, ""
    conference.ical_sequence += 1
    conference.save(update_fields=["prison", "chair", "location", "ical_sequence", "updated_at"])
    conferences.invitations_send_on_commit(conference)
    if old_email:
        conference_id = conference.pk
        transaction.on_commit(lambda: conferences.cancellation_mail(conference_id, old_email, old_language))


def _keep_as_handover(conference: Conference, placement: Placement) -> None:
    conference.kind = Conference.Kind.HANDOVER
    conference.save(update_fields=["kind", "updated_at"])
    invited = set(conference.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    added = [
        Participant.objects.create(conference=conference, user=director, role=Participant.Role.OTHER)
        for director in _directors(placement.prison)
        if director.pk not in invited
    ]
    with_mail = [participant.pk for participant in added if participant.user is not None and participant.user.email]
    if with_mail:
        conferences.invitations_send_on_commit(conference, participant_ids=with_mail)


def transfer_flag_resolve(
    *, flag: TransferFlag, user: User, resolution: str, chair: User | None = None, reason: str = ""
) -> TransferFlag:
    """Either director decides what becomes of a conference flagged by a transfer (module docstring)."""
    if resolution not in RESOLUTIONS:
        raise ValidationError({"resolution": _("Kies: annuleren, verplaatsen of behouden als overdrachtsoverleg.")})
    if not may_resolve(user, flag):
        raise ValidationError(
            {"resolution": _("Enkel een directeur van de oude of de nieuwe gevangenis beslist hierover.")}
        )
    with recorded(user, "transfer_flag_resolve"):
        flag = (
            TransferFlag.objects.select_for_update(of=("self",))
            .select_related("placement__prison", "placement__transferred_from", "placement__detainee")
            .get(pk=flag.pk)
        )
        conference = Conference.objects.select_for_update().get(pk=flag.conference_id)
        if not flag.is_pending:
            raise ValidationError(
                {
                    "resolution": _("Over dit overleg is al beslist: %(resolution)s.")
                    % {"resolution": flag.get_resolution_display()}
                }
            )
        if conference.status != Conference.Status.PLANNED:
            raise ValidationError(
                {
                    "resolution": _("Dit overleg is niet meer gepland (%(status)s).")
                    % {"status": conference.get_status_display()}
                }
            )
        if resolution == TransferFlag.Resolution.CANCELLED:
            text = (reason or "").strip() or _("Overgeplaatst naar %(prison)s.") % {
                "prison": flag.placement.prison.name
            }
            conferences.conference_cancel(conference=conference, user=user, reason=text)
        elif resolution == TransferFlag.Resolution.MOVED:
            _move(conference, flag.placement, user, chair)
        else:
            _keep_as_handover(conference, flag.placement)
        flag.resolution, flag.resolved_by, flag.resolved_at = resolution, user, timezone.now()
        flag.save(update_fields=["resolution", "resolved_by", "resolved_at", "updated_at"])
        old_directors = _directors(flag.placement.transferred_from)
        recipients = {
            u.pk: u
            for u in [*old_directors, *_directors(flag.placement.prison), *_case_team(flag.placement.detainee)]
            if u.pk != user.pk
        }
        # A moved conference is no longer the old prison's: its directors are pointed to the list of transfers.
        lost = {u.pk for u in old_directors} if resolution == TransferFlag.Resolution.MOVED else set()
        _tell(
            kind="transfer_conference_resolved",
            obj=flag,
            recipients=recipients.values(),
            text=RESOLVED_TEXTS[resolution],
            params=_conference_params(conference, flag.placement),
            link_for=lambda recipient: (
                reverse("casusoverleg:transfers")
                if recipient.pk in lost
                else reverse("casusoverleg:detail", args=[conference.pk])
            ),
        )
    return flag
