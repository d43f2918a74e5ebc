"""Minutes of a conference: versions, notes, decisions, actions, copies and downloads (casusoverleg models,
re-exported by `casusoverleg.models`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, Organisation, User
from accounts.texts import render_code

if TYPE_CHECKING:
    from trajectories.models import ActionUpdate

from . import (  # noqa: I001 - names of the package defined before this module is imported
    AgendaItem,
    Conference,
    Participant,
)

# --- Minutes --------------------------------------------------------------------------------------


class MinutesQuerySet(models.QuerySet["Minutes"]):
    def visible_to(self, user: User) -> MinutesQuerySet:
        """Minutes follow their conference; a draft only reaches the prison's directors and the case staff of the
        file's organisation (rule `casusoverleg.view_draft_minutes`): a partner reads approved versions only."""
        qs = self.filter(conference__in=Conference.objects.visible_to(user))
        if user.is_authenticated and (user.is_director or user.is_case_staff or user.is_organiser):
            # Conference.visible_to already keeps them to their prisons and their organisation's files.
            return qs
        return qs.filter(status=Minutes.Status.APPROVED)

    def current(self) -> MinutesQuerySet:
        """The newest version per conference (the one shown and edited)."""
        return self.filter(superseded_by__isnull=True)


@pghistory.track()
class Minutes(BaseModel):
    """One version of a conference's minutes. Draft → approved by the chair → locked.

    A correction after approval is a new version (number + 1) starting from the approved text; every
    version is kept. `revision` counts saves of a draft so two editors never overwrite each other.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Ontwerp")
        APPROVED = "approved", _("Goedgekeurd")

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="minutes_versions")
    number = models.PositiveSmallIntegerField(_("versie"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    general_notes = models.TextField(_("algemene notities"), max_length=10000, blank=True)
    correction_reason = models.CharField(_("reden correctie"), max_length=300, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    # Frozen at approval: the canonical content and its SHA-256, printed in every PDF copy's footer.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "number"]
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="minutes_version_unique"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(approved_at__isnull=False) & Q(snapshot__isnull=False) & ~Q(fingerprint="")),
                name="minutes_approved_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference} v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


@pghistory.track()
class ItemNote(BaseModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="item_notes")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("notities"), max_length=10000, blank=True)

    class Meta:
        ordering = ["agenda_item__order", "agenda_item_id"]
        constraints = [models.UniqueConstraint(fields=["minutes", "agenda_item"], name="item_note_once")]


@pghistory.track()
class Decision(BaseModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("beslissing"), max_length=4000)
    consensus = models.BooleanField(_("consensus"), default=True)
    dissent_who = models.CharField(_("niet akkoord: wie"), max_length=300, blank=True)
    dissent_why = models.TextField(_("niet akkoord: waarom"), max_length=2000, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("beslissing")
        verbose_name_plural = _("beslissingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(consensus=True) | (~Q(dissent_who="") & ~Q(dissent_why="")), name="decision_dissent_named"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


@pghistory.track()
class MinutesAction(BaseModel):
    """An action agreed in the minutes. On approval it becomes (or stays linked to) a shared
    `trajectories.Action`, so open actions have one list and carry over to the next agenda."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("actie"), max_length=1000)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(_("naam contactpersoon"), max_length=200, blank=True)
    due_on = models.DateField(_("uiterlijk op"))
    action = models.ForeignKey(
        "trajectories.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="conference_links"
    )
    # Not a column: what the owner reported on the linked action, set by selectors.minutes_detail.
    updates: list[ActionUpdate]

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("actie uit verslag")
        verbose_name_plural = _("acties uit verslag")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_organisation__isnull=False),
                name="minutes_action_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner_display(self) -> str:
        if self.owner_user_id:
            return str(self.owner_user)
        if self.owner_name:
            return f"{self.owner_name} ({self.owner_organisation})"
        return str(self.owner_organisation)


class MinutesCopy(BaseModel):
    """One participant told that approved minutes are there to read (or why not). Minutes approved before they
    stopped travelling as attachments also carry the mailed file's SHA-256 and its disclosure."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Bericht verstuurd")
        INTERNAL = "internal", _("Bericht verstuurd (intern)")
        WITHHELD = "withheld", _("Geen bericht")

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="copies")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="minutes_copies")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    disclosure = models.ForeignKey(
        "casework.Disclosure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    render_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "participant"], name="minutes_copy_once")]

    @property
    def display_reason(self) -> str:
        """Why it was (not) sent, in the reader's language: the reason is stored as its code, the Dutch
        source text (services_minutes.recipient_basis, written under the default language)."""
        return render_code(self.reason) if self.reason else ""


class MinutesDownload(BaseModel):
    """One copy of approved minutes downloaded by one user: the file's SHA-256 and when, so that any copy
    shown later can be checked (casusoverleg/verification.py). A partner's download is also a Disclosure."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file_sha256 = models.CharField(max_length=64, db_index=True)
    disclosure = models.ForeignKey(
        "casework.Disclosure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
