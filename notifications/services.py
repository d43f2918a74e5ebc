"""Every write of the reminder engine and the notification centre.

The sweep (`reminders_sweep`) is idempotent and safe to run twice at once or to kill at any
moment (ADR 0006):
1. plan: every kind's planner yields due items; they are inserted with ON CONFLICT DO NOTHING on
   the unique key (kind, object, due date, recipient), so re-planning never duplicates;
2. deliver, in batches: claim due pending rows with SELECT … FOR UPDATE SKIP LOCKED, withdraw the
   ones that no longer apply, create one notification per reminder (unique per reminder), send
   the content-free e-mails and mark the rows sent — all in one transaction. A killed worker
   rolls the batch back; a concurrent sweep skips the locked rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

import pghistory
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Organisation, User

from .models import Notification, Reminder, ReminderSetting
from .registry import PlanContext, all_kinds, get_kind, local_moment, render_text

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
INSERT_CHUNK = 2000


@dataclass
class SweepResult:
    planned: int = 0
    sent: int = 0
    withdrawn: int = 0
    batches: int = 0


# --- Planning ------------------------------------------------------------------------------------


def reminders_plan(*, now: dt.datetime | None = None) -> int:
    """Ask every registered kind for its due items and store the new ones. Returns rows inserted."""
    ctx = PlanContext.load(now=now)
    inserted = 0
    for kind in all_kinds():
        # Skip what an earlier sweep already planned (one query per kind), so a steady-state sweep
        # inserts nothing; the unique key still guards against a concurrent sweep.
        existing = set(
            Reminder.objects.filter(kind=kind.code, due_on__gte=ctx.window_start)
            .values_list("object_type", "object_id", "due_on", "recipient_id")
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


def reminder_schedule(*, kind: str, obj, recipient: User, text: str, text_params: dict | None = None, link: str = "",
                      due_on: dt.date | None = None, due_at: dt.datetime | None = None) -> Reminder | None:
    """Queue one reminder now (an event, e.g. a release registered). Returns None if it existed.

    `text` is a lazy translation filled with `text_params`, written in the recipient's language."""
    if get_kind(kind) is None:
        raise ValidationError({"kind": _("Onbekende soort herinnering: %(kind)s") % {"kind": kind}})
    now = timezone.now()
    due_on = due_on or timezone.localdate(now)
    due_at = due_at or (now if due_on <= timezone.localdate(now) else local_moment(due_on))
    reminder, created = Reminder.objects.get_or_create(
        kind=kind, object_type=obj._meta.label_lower, object_id=obj.pk, due_on=due_on, recipient=recipient,
        defaults={"due_at": due_at, "text": render_text(text, text_params, recipient.language)[:240], "link": link[:300]},
    )
    return reminder if created else None


def reminders_withdraw_for(*, obj, kinds: list[str] | None = None) -> int:
    """Withdraw the pending reminders about `obj` (e.g. the trajectory was closed)."""
    qs = Reminder.objects.for_object(obj).filter(status=Reminder.Status.PENDING)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.update(status=Reminder.Status.WITHDRAWN, withdrawn_at=timezone.now())


# --- Delivery ---------------------------------------------------------------------------------------


def reminders_deliver_batch(*, now: dt.datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                            on_claimed=None) -> tuple[int, int]:
    """Claim up to `batch_size` due reminders and deliver them in one transaction.

    Returns (sent, withdrawn); (0, 0) when nothing unlocked is due. `on_claimed` is called with the
    claimed batch inside the transaction (tests use it to hold a batch open).

    Queries per batch are constant: 1 claim, 1 per kind present (still applies), 1 recipients,
    1 notifications insert, 1–2 status updates (+ the site for the e-mail link, cached).
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
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=r.recipient_id, reminder_id=r.pk, kind=r.kind, text=r.text, link=r.link,
                             created_at=now)
                for r in to_send
            ]
        )
        if to_send:
            Reminder.objects.filter(pk__in=[r.pk for r in to_send]).update(status=Reminder.Status.SENT, sent_at=now)
        if to_withdraw:
            Reminder.objects.filter(pk__in=to_withdraw).update(status=Reminder.Status.WITHDRAWN, withdrawn_at=now)
        # Mail last: if SMTP fails the whole batch rolls back and is retried. If the process dies
        # between SMTP and COMMIT, the mail goes again next time (at-least-once for e-mail,
        # exactly-once for notifications) — see ADR 0006.
        _send_mails([recipients[r.recipient_id] for r in to_send])
    return len(to_send), len(to_withdraw)


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


def _send_mails(users: list[User]) -> None:
    """One content-free e-mail per recipient per batch: never case content (DESIGN §9)."""
    unique = {user.pk: user for user in users if user.email}
    if not unique:
        return
    link = absolute_url(reverse("notifications:list"))
    messages = []
    for user in unique.values():
        # In the recipient's language, whoever's request or worker sends it.
        with override(user.language):
            subject = _("Nieuw item in Disengagement")
            body = _("Je hebt een nieuw item in Disengagement. Meld je aan om het te lezen.") + f"\n\n{link}\n"
        messages.append(mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    with mail.get_connection() as connection:
        connection.send_messages(messages)


def absolute_url(path: str) -> str:
    domain = Site.objects.get_current().domain
    scheme = "http" if domain.startswith(("localhost", "127.0.0.1", "example.com")) else "https"
    return f"{scheme}://{domain}{path}"


def reminders_sweep(*, now: dt.datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                    plan: bool = True) -> SweepResult:
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
    if result.sent or result.withdrawn:
        logger.info("reminder sweep: planned=%s sent=%s withdrawn=%s batches=%s",
                    result.planned, result.sent, result.withdrawn, result.batches)
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


def reminder_setting_save(*, organisation: Organisation, kind: str, offsets: list[int], user: User,
                          enabled: bool = True) -> ReminderSetting:
    """Set an organisation's offsets for a kind. Offsets must be distinct and in ascending order."""
    offsets = list(offsets)
    reminder_setting_check(kind=kind, offsets=offsets, enabled=enabled)
    with transaction.atomic(), pghistory.context(user=user.pk, reason="reminder_setting_save"):
        setting, _created = ReminderSetting.objects.update_or_create(
            organisation=organisation, kind=kind, defaults={"offsets": offsets, "enabled": enabled}
        )
    return setting
