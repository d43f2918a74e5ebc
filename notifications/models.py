"""The one reminder engine's data: due items (`Reminder`), what a user sees (`Notification`)
and the per-organisation offsets of each kind (`ReminderSetting`). docs/design.md §5.

Exactly-once is the database's job, not the broker's: a reminder is unique on
(kind, object, due date, recipient), and a notification is unique per reminder and per event
(recipient, kind, object, due date).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, Organisation, User
from accounts.texts import render_code


class StoredMeaning(models.Model):
    """`text_code` + `text_params`: what the text means (accounts/texts.py), rendered when read in the
    reader's language. `text` keeps the words as first written in the recipient's language (the e-mail's
    language, and what rows written before the code existed show)."""

    text_code = models.CharField(_("tekstcode"), max_length=400, blank=True)
    text_params = models.JSONField(_("parameters van de tekst"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def display_text(self) -> str:
        """The text in the active language (the reader's)."""
        if self.text_code:
            return render_code(self.text_code, self.text_params)
        return self.text


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def due(self, now=None) -> ReminderQuerySet:
        """Pending reminders whose moment has come (the sweep claims these)."""
        return self.filter(status=Reminder.Status.PENDING, due_at__lte=now or timezone.now())

    def for_object(self, obj) -> ReminderQuerySet:
        """Every reminder about `obj`, whatever its kind."""
        return self.filter(object_type=obj._meta.label_lower, object_id=obj.pk)


class Reminder(StoredMeaning, BaseModel):
    """A due item for one recipient. Created by a kind's planner, sent or withdrawn by the sweep."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Gepland")
        SENT = "sent", _("Verstuurd")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    kind = models.CharField(_("soort"), max_length=48)
    # The object the reminder is about, as "app_label.model" + primary key. Not a generic FK:
    # the sweep never needs the object itself, only the kind's batch checks do.
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    # The local (Europe/Brussels) calendar day the item falls due: part of the unique key, so
    # re-planning on any night, DST or not, maps to the same row.
    due_on = models.DateField(_("vervaldag"))
    due_at = models.DateTimeField(_("te versturen vanaf"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    text = models.CharField(_("tekst"), max_length=240)
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "due_on", "recipient"], name="reminder_unique_key"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="reminder_sent_has_sent_at"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="reminder_withdrawn_has_withdrawn_at",
            ),
        ]
        indexes = [
            # The sweep's claim: pending rows by due moment; a partial index stays small.
            models.Index(fields=["due_at", "id"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
            models.Index(fields=["object_type", "object_id"], name="reminder_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}#{self.object_id} {self.due_on} → {self.recipient_id}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: User) -> NotificationQuerySet:
        """A user sees only their own notifications."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(StoredMeaning, models.Model):
    """An in-app message. Short text; never more case content than the recipient may see."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # One notification per reminder, enforced by the database: the heart of exactly-once.
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, related_name="notification", null=True, blank=True
    )
    kind = models.CharField(_("soort"), max_length=48)
    # The event the line announces, copied from its reminder: the object and the day it fell due. The line
    # is unique on it (below), so an event reaches a person once even when its reminder row is gone
    # (SET_NULL) or a second reminder row says the same (docs/adr/0029).
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    due_on = models.DateField(_("vervaldag"), null=True, blank=True)
    text = models.CharField(_("tekst"), max_length=240)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    # Not a column: whether the recipient may still open the item, set by selectors.mark_availability.
    available: bool

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_type", "object_id", "due_on"],
                condition=Q(object_id__isnull=False),
                name="notification_one_per_event",
            ),
        ]
        indexes = [
            # The inbox in keyset pages: the page's order with id as the tiebreaker (ADR 0036).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_keyset_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text[:40]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderSetting(BaseModel):
    """An organisation's own offsets (in days) for one reminder kind, replacing the kind's defaults."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reminder_settings")
    kind = models.CharField(_("soort"), max_length=48)
    offsets = ArrayField(models.IntegerField(), verbose_name=_("termijnen (dagen)"), size=8)
    enabled = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["organisation", "kind"]
        verbose_name = _("instelling herinnering")
        verbose_name_plural = _("instellingen herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="reminder_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.offsets}"


class ReminderMailQuerySet(models.QuerySet["ReminderMail"]):
    def due(self, now=None) -> ReminderMailQuerySet:
        """Messages still to send whose (back-off) moment has come."""
        return self.filter(status=ReminderMail.Status.PENDING, next_attempt_at__lte=now or timezone.now())


class ReminderMail(models.Model):
    """One outgoing content-free e-mail: the recipient's reminders of one delivery batch (ADR 0016).

    Written in the batch's transaction, next to the notifications; sent later, one message per short
    transaction (claim, send, mark), so a killed worker repeats at most the one message it had in flight. The
    Message-ID comes from the first reminder of the message: a repeat carries the same id and mail clients fold it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Te versturen")
        SENT = "sent", _("Verstuurd")
        FAILED = "failed", _("Mislukt")

    # Unique: a reminder is announced by at most one message.
    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="mail")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_mails")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderMailQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("e-mail van een herinnering")
        verbose_name_plural = _("e-mails van herinneringen")
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="reminder_mail_pending_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="reminder_mail_sent_has_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"mail for reminder {self.reminder_id} → {self.recipient_id} ({self.status})"


class MailOptOut(models.Model):
    """A user wants no e-mail for one reminder kind (the in-app notification still comes). Kinds marked
    `mail_mandatory` in the registry are always mailed, whatever is stored here (docs/adr/0026)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_opt_outs")
    kind = models.CharField(_("soort"), max_length=48)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("e-mail uitgeschakeld")
        verbose_name_plural = _("e-mails uitgeschakeld")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="mail_opt_out_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: no mail for {self.kind}"
