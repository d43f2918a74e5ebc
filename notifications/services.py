"""Every write of the reminder engine and the notification centre.

The sweep (`reminders_sweep`) is idempotent and safe to run twice at once or to kill at any
moment (ADR 0006):
1. plan: every kind's planner yields due items; they are inserted with ON CONFLICT DO NOTHING on
   the unique key (kind, object, due date, recipient), so re-planning never duplicates;
2. deliver, in batches: claim due pending rows with SELECT … FOR UPDATE SKIP LOCKED, withdraw the
   ones that no longer apply, create one notification per reminder (unique per reminder), write one
   outgoing message row per recipient (`ReminderMail`) and mark the rows sent — all in one
   transaction. A killed worker rolls the batch back; a concurrent sweep skips the locked rows;
3. mail: each pending message is claimed, sent over SMTP and marked sent in a short transaction of
   its own (ADR 0016). A worker killed mid-way repeats at most the message it had in flight, with
   the same Message-ID, so the recipient's mail client folds the repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Organisation, User
from accounts.texts import text_code
from config.history import recorded
from config.public_url import absolute_url

from .models import MailOptOut, Notification, Reminder, ReminderMail, ReminderSetting
from .registry import PlanContext, ReminderKind, all_kinds, get_kind, local_moment, render_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
INSERT_CHUNK = 2000


MAIL_MAX_ATTEMPTS = 8


@dataclass
class SweepResult:
    planned: int = 0
    sent: int = 0
    withdrawn: int = 0
    batches: int = 0
    mails: int = 0


# --- Planning ------------------------------------------------------------------------------------


def reminders_plan(*, now: dt.datetime | None = None) -> int:
    """Ask every registered kind for its due items and store the new ones. Returns rows inserted."""
    ctx = PlanContext.load(now=now)
    inserted = 0
    for kind in all_kinds():
        # Skip what an earlier sweep already planned (one query per kind), so a steady-state sweep
        # inserts nothing; the unique key still guards against a concurrent sweep.
        existing = set(
            Reminder.objects.filter(kind=kind.code, due_on__gte=ctx.window_start).values_list(
                "object_type", "object_id", "due_on", "recipient_id"
            )
        )
        chunk: list[Reminder] = []
        for draft in kind.plan(ctx):
            if (draft.object_type, draft.object_id, draft.due_on, draft.recipient_id) in existing:
                continue
            chunk.append(draft)
            if len(chunk) >= INSERT_CHUNK:
                inserted += _insert(chunk)
                chunk = []
        if chunk:
            inserted += _insert(chunk)
    return inserted


def _insert(drafts: list[Reminder]) -> int:
    # ignore_conflicts → INSERT … ON CONFLICT DO NOTHING: the unique key makes planning idempotent,
    # also when two sweeps plan the same item at the same moment. PostgreSQL does not say which
    # rows were new, so this returns the number of new due items offered, not inserted.
    Reminder.objects.bulk_create(drafts, ignore_conflicts=True)
    return len(drafts)


def reminder_schedule(
    *,
    kind: str,
    obj: models.Model,
    recipient: User,
    text: StrOrPromise,
    text_params: dict[str, object] | None = None,
    link: str = "",
    due_on: dt.date | None = None,
    due_at: dt.datetime | None = None,
) -> Reminder | None:
    """Queue one reminder now (an event, e.g. a release registered). Returns None if it existed.

    `text` is a lazy translation filled with `text_params`, written in the recipient's language."""
    if get_kind(kind) is None:
        raise ValidationError({"kind": _("Onbekende soort herinnering: %(kind)s") % {"kind": kind}})
    now = timezone.now()
    due_on = due_on or timezone.localdate(now)
    due_at = due_at or (now if due_on <= timezone.localdate(now) else local_moment(due_on))
    reminder, created = Reminder.objects.get_or_create(
        kind=kind,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        due_on=due_on,
        recipient=recipient,
        defaults={
            "due_at": due_at,
            "text": render_text(text, text_params, recipient.language)[:240],
            "link": link[:300],
            "text_code": text_code(text),
            "text_params": text_params,
        },
    )
    return reminder if created else None


def reminders_withdraw_for(*, obj: models.Model, kinds: list[str] | None = None) -> int:
    """Withdraw the pending reminders about `obj` (e.g. the trajectory was closed)."""
    qs = Reminder.objects.for_object(obj).filter(status=Reminder.Status.PENDING)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.update(status=Reminder.Status.WITHDRAWN, withdrawn_at=timezone.now())


# --- Delivery ---------------------------------------------------------------------------------------


def reminders_deliver_batch(
    *,
    now: dt.datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_claimed: Callable[[list[Reminder]], object] | None = None,
) -> tuple[int, int]:
    """Claim up to `batch_size` due reminders and deliver them in one transaction.

    Returns (sent, withdrawn); (0, 0) when nothing unlocked is due. `on_claimed` is called with the
    claimed batch inside the transaction (tests use it to hold a batch open).

    Queries per batch are constant: 1 claim, 1 per kind present (still applies), 1 recipients,
    1 notifications insert, 1 outgoing messages insert, 1–2 status updates. The e-mails themselves go
    out afterwards, one per transaction (`reminder_mails_send`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # of=("self",): lock only the reminder rows, never the users they point to.
        batch = list(
            Reminder.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("due_at", "id")[:batch_size]
        )
        if not batch:
            return 0, 0
        if on_claimed is not None:
            on_claimed(batch)
        keep = _still_applying(batch)
        to_send = [r for r in batch if r.pk in keep]
        to_withdraw = [r.pk for r in batch if r.pk not in keep]
        recipients = {u.pk: u for u in User.objects.filter(pk__in={r.recipient_id for r in to_send}, is_active=True)}
        # An inactive recipient (left the organisation) gets nothing: withdraw.
        to_withdraw += [r.pk for r in to_send if r.recipient_id not in recipients]
        to_send = [r for r in to_send if r.recipient_id in recipients]
        # One line per event: what a later reminder of the same batch says again is withdrawn.
        superseded = _superseded(to_send)
        to_withdraw += sorted(superseded)
        to_send = [r for r in to_send if r.pk not in superseded]
        # ON CONFLICT DO NOTHING on the event key (notification_one_per_event): a line that already
        # reached the person is not written twice, whatever reminder row asks for it.
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=r.recipient_id,
                    reminder_id=r.pk,
                    kind=r.kind,
                    text=r.text,
                    link=r.link,
                    text_code=r.text_code,
                    text_params=r.text_params,
                    created_at=now,
                    object_type=r.object_type,
                    object_id=r.object_id,
                    due_on=r.due_on,
                )
                for r in to_send
            ],
            ignore_conflicts=True,
        )
        if to_send:
            Reminder.objects.filter(pk__in=[r.pk for r in to_send]).update(status=Reminder.Status.SENT, sent_at=now)
        if to_withdraw:
            Reminder.objects.filter(pk__in=to_withdraw).update(status=Reminder.Status.WITHDRAWN, withdrawn_at=now)
        # One outgoing message per recipient of the batch, sent later in its own transaction (ADR 0016);
        # it is named after the recipient's first reminder of the batch (a stable Message-ID).
        _queue_mails(to_send, recipients, now)
    return len(to_send), len(to_withdraw)


def _superseded(reminders: list[Reminder]) -> set[int]:
    """The reminders of a batch that would only repeat another one to the same person about the same object.

    A sweep that catches up (after an outage, or for an item created inside the planning window) finds
    several reminders of one object due at once: the 7-day and the 1-day reminder of a conference planned
    for the day after tomorrow, or its invitation and its 7-day reminder. The person gets one line: of the
    same kind the latest due, and none of a kind that another kind of the batch `supersedes`."""
    by_subject: dict[tuple[int, str, int], list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_subject[(reminder.recipient_id, reminder.object_type, reminder.object_id)].append(reminder)
    superseded: set[int] = set()
    for rows in by_subject.values():
        if len(rows) < 2:
            continue
        kinds = {row.kind for row in rows}
        covered = {code for kind in kinds if (k := get_kind(kind)) for code in k.supersedes}
        latest: dict[str, Reminder] = {}
        for row in rows:
            if row.kind in covered:
                superseded.add(row.pk)
            elif row.kind not in latest or (row.due_on, row.pk) > (latest[row.kind].due_on, latest[row.kind].pk):
                if row.kind in latest:
                    superseded.add(latest[row.kind].pk)
                latest[row.kind] = row
            else:
                superseded.add(row.pk)
    return superseded


def _still_applying(batch: list[Reminder]) -> set[int]:
    by_kind: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in batch:
        by_kind[reminder.kind].append(reminder)
    keep: set[int] = set()
    for code, reminders in by_kind.items():
        kind = get_kind(code)
        # A kind no longer registered (removed feature) withdraws its leftovers.
        if kind is not None:
            keep |= set(kind.still_applies(reminders))
    return keep


def _queue_mails(reminders: list[Reminder], recipients: dict[int, User], now: dt.datetime) -> None:
    # The kinds each recipient switched off on his profile (one query per batch); mandatory kinds always mail.
    opted_out = (
        set(MailOptOut.objects.filter(user_id__in={r.recipient_id for r in reminders}).values_list("user_id", "kind"))
        if reminders
        else set()
    )
    first: dict[int, Reminder] = {}
    for reminder in sorted(reminders, key=lambda r: r.pk):
        if not recipients[reminder.recipient_id].email:
            continue
        kind = get_kind(reminder.kind)
        if (reminder.recipient_id, reminder.kind) in opted_out and not (kind and kind.mail_mandatory):
            continue
        first.setdefault(reminder.recipient_id, reminder)
    ReminderMail.objects.bulk_create(
        [
            ReminderMail(reminder_id=r.pk, recipient_id=r.recipient_id, created_at=now, next_attempt_at=now)
            for r in first.values()
        ]
    )


def message_id_for(mail_row: ReminderMail) -> str:
    """The same for every attempt at this message: derived from its reminder, not from the moment of sending."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "disengage.invalid"
    return f"<reminder-{mail_row.reminder_id}@{domain}>"


def _mail_message(user: User, link: str, message_id: str) -> mail.EmailMessage:
    """One content-free e-mail: never case content (docs/design.md §9)."""
    # In the recipient's language, whoever's request or worker sends it.
    with override(user.language):
        subject = _("Nieuw item in Disengagement")
        body = _("Je hebt een nieuw item in Disengagement. Meld je aan om het te lezen.") + f"\n\n{link}\n"
    return mail.EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers={"Message-ID": message_id}
    )


def reminder_mails_send(*, limit: int | None = None, on_sent: Callable[[ReminderMail], object] | None = None) -> int:
    """Send pending reminder e-mails one by one; each is claimed, sent and marked in its own transaction.

    SKIP LOCKED: two sweeps never send the same message; a message whose worker died is unlocked at once
    (the server ends the dead session) and goes again — the only repeat a SIGKILL can cause, one per
    worker slot. An SMTP failure leaves the message pending with a back-off; after MAIL_MAX_ATTEMPTS it
    is marked failed. `on_sent` is called after each send, before the commit (tests kill a worker there)."""
    link = absolute_url(reverse("notifications:list"))
    sent = 0
    # Opened by the first send (an unreachable SMTP server is then one message's failure, not the sweep's).
    connection = mail.get_connection()
    try:
        while limit is None or sent < limit:
            with transaction.atomic():
                row = (
                    ReminderMail.objects.due()
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .order_by("id")
                    .first()
                )
                if row is None:
                    break
                try:
                    connection.send_messages([_mail_message(row.recipient, link, message_id_for(row))])
                except (OSError, smtplib.SMTPException) as exc:
                    row.attempts += 1
                    row.status = ReminderMail.Status.FAILED if row.attempts >= MAIL_MAX_ATTEMPTS else row.status
                    row.next_attempt_at = timezone.now() + dt.timedelta(minutes=2 ** min(row.attempts, 8))
                    row.save(update_fields=["attempts", "status", "next_attempt_at"])
                    logger.warning("reminder mail failed", extra={"mail_id": row.pk, "error": type(exc).__name__})
                    connection.close()  # the next send opens a fresh SMTP connection
                    continue
                if on_sent is not None:
                    on_sent(row)
                row.status, row.sent_at, row.attempts = ReminderMail.Status.SENT, timezone.now(), row.attempts + 1
                row.save(update_fields=["status", "sent_at", "attempts"])
            sent += 1
    finally:
        connection.close()
    return sent


def reminders_sweep(
    *, now: dt.datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE, plan: bool = True
) -> SweepResult:
    """Plan, then deliver due reminders batch after batch until none is left unlocked."""
    result = SweepResult()
    if plan:
        result.planned = reminders_plan(now=now)
    while True:
        sent, withdrawn = reminders_deliver_batch(now=now, batch_size=batch_size)
        if not sent and not withdrawn:
            break
        result.sent += sent
        result.withdrawn += withdrawn
        result.batches += 1
        # The batch's messages (and any a killed worker left pending) go out before the next batch.
        result.mails += reminder_mails_send()
    # Messages of a batch delivered by a sweep that died before its mail phase.
    result.mails += reminder_mails_send()
    if result.sent or result.withdrawn or result.mails:
        logger.info(
            "reminder sweep: planned=%s sent=%s withdrawn=%s batches=%s mails=%s",
            result.planned,
            result.sent,
            result.withdrawn,
            result.batches,
            result.mails,
        )
    return result


# --- Notification centre -----------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of the user's notifications read (idempotent)."""
    if notification.recipient_id != user.pk:
        raise ValidationError({"notification": _("Dit is niet jouw melding.")})
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


# --- Settings --------------------------------------------------------------------------------------


def reminder_setting_check(*, kind: str, offsets: list[int], enabled: bool = True) -> None:
    """The rules of an organisation's offsets (the service below and the admin form apply them): a known
    kind; offsets distinct, ascending, at most eight, within two years of the reference date."""
    errors = {}
    if get_kind(kind) is None:
        errors["kind"] = _("Onbekende soort herinnering.")
    offsets = list(offsets)
    if enabled and not offsets:
        errors["offsets"] = _("Geef minstens één termijn op.")
    elif offsets != sorted(set(offsets)):
        errors["offsets"] = _("De termijnen moeten verschillend zijn en oplopen.")
    elif len(offsets) > 8:
        errors["offsets"] = _("Hoogstens acht termijnen.")
    elif any(abs(offset) > 730 for offset in offsets):
        errors["offsets"] = _("Een termijn ligt hoogstens twee jaar van de referentiedatum.")
    if errors:
        raise ValidationError(errors)


def reminder_setting_save(
    *, organisation: Organisation, kind: str, offsets: list[int], user: User, enabled: bool = True
) -> ReminderSetting:
    """Set an organisation's offsets for a kind. Offsets must be distinct and in ascending order."""
    offsets = list(offsets)
    reminder_setting_check(kind=kind, offsets=offsets, enabled=enabled)
    with recorded(user, "reminder_setting_save"):
        setting, _created = ReminderSetting.objects.update_or_create(
            organisation=organisation, kind=kind, defaults={"offsets": offsets, "enabled": enabled}
        )
    return setting


def mail_kinds() -> list[ReminderKind]:
    """The reminder kinds a user may switch the e-mail of off, and the mandatory ones, by label."""
    return sorted(all_kinds(), key=lambda kind: (kind.mail_mandatory, str(kind.label)))


def mail_preferences_save(*, user: User, mailed_kinds: list[str]) -> set[str]:
    """Store which optional kinds `user` gets e-mail for: every other optional kind is switched off.
    Unknown codes are refused; mandatory kinds are always mailed. Returns the kinds switched off."""
    known = {kind.code: kind for kind in all_kinds()}
    unknown = sorted(set(mailed_kinds) - set(known))
    if unknown:
        raise ValidationError({"kinds": _("Onbekende soort melding: %(kinds)s.") % {"kinds": ", ".join(unknown)}})
    off = {code for code, kind in known.items() if not kind.mail_mandatory and code not in set(mailed_kinds)}
    with transaction.atomic():
        MailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
        MailOptOut.objects.bulk_create(
            [MailOptOut(user=user, kind=code) for code in sorted(off)], ignore_conflicts=True
        )
    return off
