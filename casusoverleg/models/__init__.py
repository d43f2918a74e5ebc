"""Case conferences (casusoverleg): scheduling, participants, agenda, minutes and their distribution.

Every queryset a page or endpoint shows comes from `ConferenceQuerySet.visible_to(user)` (docs/design.md §4);
`permissions.py` states the same rules per object. Writes go through `services.py` only.
"""

from __future__ import annotations

import secrets
import uuid
from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from accounts.models import BaseModel, Organisation, User
from accounts.texts import render_code, render_parts
from casework.models import Basis, Detainee, Prison, Purpose, Scope, consent_exists

if TYPE_CHECKING:
    from ..basis import ParticipantBasis

DEFAULT_CADENCE_MONTHS = 3
PRE_LEAVE_MONTHS_BEFORE = 3


def new_ical_uid() -> str:
    return f"conference-{uuid.uuid4()}@disengage"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


# --- Scheduling rules --------------------------------------------------------------------------


@pghistory.track()
class CadenceRule(BaseModel):
    """How often a periodic conference is held: per prison, overridable per detainee (default 3 months)."""

    prison = models.OneToOneField(
        Prison,
        verbose_name=_("gevangenis"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conference_cadence",
    )
    detainee = models.OneToOneField(
        Detainee,
        verbose_name=_("gedetineerde"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conference_cadence",
    )
    months = models.PositiveSmallIntegerField(
        _("elke … maanden"), validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    class Meta:
        verbose_name = _("ritme casusoverleg")
        verbose_name_plural = _("ritmes casusoverleg")
        constraints = [
            models.CheckConstraint(
                condition=(Q(prison__isnull=False) & Q(detainee__isnull=True))
                | (Q(prison__isnull=True) & Q(detainee__isnull=False)),
                name="cadence_rule_prison_xor_detainee",
            ),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=24), name="cadence_rule_months_1_24"),
        ]

    def __str__(self) -> str:
        return f"{self.prison or self.detainee}: {self.months}"


# --- Conference ----------------------------------------------------------------------------------


class ConferenceQuerySet(models.QuerySet["Conference"]):
    def visible_to(self, user: User) -> ConferenceQuerySet:
        """Conferences `user` may see (docs/design.md §4, "conferences, minutes").

        Directors: every conference in their prison(s). Consultants and managers: their organisation's
        detainees. Partners: only conferences they are invited to, and only while their organisation
        holds an active consent for purpose `conference` with scope `minutes` (ADR 0033) or the conference
        rests on art. 458ter.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_director:
            # And a conference flagged by a transfer into his prison, whatever became of it (ADR 0040).
            directed = Prison.directors.through.objects.filter(user_id=user.pk).values("prison_id")
            flagged = TransferFlag.objects.filter(placement__prison_id__in=directed).values("conference_id")
            return self.filter(Q(prison_id__in=directed) | Q(pk__in=flagged))
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        if user.is_organiser:
            return self.filter(organiser_meeting_condition(user))
        if user.is_partner and user.organisation_id:
            invited = Exists(Participant.objects.filter(conference=OuterRef("pk"), user=user))
            minutes_consent = consent_exists(user, Scope.MINUTES, "detainee_id", purpose=Purpose.CONFERENCE)
            return self.filter(invited).filter(minutes_consent | Q(basis=Basis.ART458TER))
        return self.none()

    def outside(self) -> ConferenceQuerySet:
        """Meetings outside detention (LIVC, justice house)."""
        return self.filter(kind__in=OUTSIDE_KINDS)

    def active(self) -> ConferenceQuerySet:
        """Not cancelled."""
        return self.exclude(status=Conference.Status.CANCELLED)

    def between(self, start, end) -> ConferenceQuerySet:
        """Conferences overlapping [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def for_list(self) -> ConferenceQuerySet:
        """Everything a conference row shows (detainee, prison, chair) in one query."""
        return self.select_related("detainee", "prison", "chair")


def organiser_meeting_condition(user: User) -> Q:
    """The meetings an organiser sees (docs/adr/0041): those outside detention he chairs, while their basis
    holds — the court's mandate recorded on the meeting, or a consent in force of his organisation for purpose
    `conference` with scope `minutes`. Without a basis the meeting, its agenda and minutes are a 404 to him."""
    if not user.organisation_id:
        return Q(pk__in=[])
    consent = consent_exists(user, Scope.MINUTES, "detainee_id", purpose=Purpose.CONFERENCE)
    return Q(chair=user, kind__in=OUTSIDE_KINDS) & (Q(basis=Basis.COURT_MANDATE) & ~Q(mandate_reference="") | consent)


OUTSIDE_KINDS = ("livc", "justice_house")
# Held, its minutes not yet approved (Conference.Status.HELD, MINUTES_DRAFT): the partial index
# `conference_awaiting_idx` and the manager dashboard's count (reporting/conferences.py) read the same list.
AWAITING_MINUTES = ["held", "minutes_draft"]
CONFERENCE_BASES = [
    (Basis.CONSENT.value, Basis.CONSENT.label),
    (Basis.ART458TER.value, Basis.ART458TER.label),
    (Basis.COURT_MANDATE.value, Basis.COURT_MANDATE.label),
]


@pghistory.track()
class Conference(BaseModel):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodiek")
        PRE_LEAVE = "pre_leave", _("Vóór penitentiair verlof")
        AD_HOC = "ad_hoc", _("Ad hoc")
        HANDOVER = "handover", _("Overdracht")
        # Meetings after release, outside detention (docs/adr/0041): no prison, a venue, chaired by their organiser.
        LIVC = "livc", _("LIVC-overleg")
        JUSTICE_HOUSE = "justice_house", _("Overleg in het justitiehuis")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        HELD = "held", _("Gehouden")
        MINUTES_DRAFT = "minutes_draft", _("Verslag in opmaak")
        MINUTES_APPROVED = "minutes_approved", _("Verslag goedgekeurd")
        CANCELLED = "cancelled", _("Geannuleerd")

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("gedetineerde"), on_delete=models.PROTECT, related_name="conferences"
    )
    # Empty for a meeting outside detention, which takes place at its `venue` (docs/adr/0041).
    prison = models.ForeignKey(
        Prison,
        verbose_name=_("gevangenis"),
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorzitter"),
        on_delete=models.PROTECT,
        related_name="chaired_conferences",
    )
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices, default=Kind.PERIODIC)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    location = models.CharField(_("lokaal"), max_length=200, blank=True)
    venue = models.CharField(_("plaats van het overleg"), max_length=200, blank=True)
    video_link = models.URLField(_("videolink"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    basis = models.CharField(
        _("grondslag"),
        max_length=20,
        choices=CONFERENCE_BASES,
        default=Basis.CONSENT,
    )
    authorisation_reference = models.CharField(_("referentie machtiging procureur"), max_length=200, blank=True)
    mandate_reference = models.CharField(_("referentie vonnis strafuitvoeringsrechtbank"), max_length=200, blank=True)
    # The date the scheduling rule proposed when this conference was planned; compared with today's
    # recomputed proposal to flag a confirmed conference whose basis date changed (never moved silently).
    proposed_for = models.DateField(_("voorgesteld voor"), null=True, blank=True)
    ical_uid = models.CharField(_("iCalendar-UID"), max_length=255, unique=True, default=new_ical_uid)
    ical_sequence = models.PositiveIntegerField(default=0)
    cancel_reason = models.CharField(_("reden annulering"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConferenceQuerySet.as_manager()
    # Not a column: user id → role of the conference's participants, remembered by permissions._participant_roles.
    _participant_roles: dict[int, str]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("casusoverleg")
        verbose_name_plural = _("casusoverleggen")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="conference_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(basis="art458ter") | ~Q(authorisation_reference=""),
                name="conference_art458ter_has_reference",
            ),
            # Outside detention: no prison, a venue, a basis of its own (consent or the court's mandate).
            models.CheckConstraint(
                condition=(
                    Q(kind__in=OUTSIDE_KINDS)
                    & Q(prison__isnull=True)
                    & ~Q(venue="")
                    & Q(basis__in=["consent", "court_mandate"])
                )
                | (~Q(kind__in=OUTSIDE_KINDS) & Q(prison__isnull=False) & Q(basis__in=["consent", "art458ter"])),
                name="conference_outside_livc_venue_basis",
            ),
            models.CheckConstraint(
                condition=~Q(basis="court_mandate") | ~Q(mandate_reference=""),
                name="conference_livc_mandate_has_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["prison", "starts_at"], name="conference_prison_start_idx"),
            models.Index(fields=["detainee", "-starts_at"], name="conference_detainee_idx"),
            # The conferences API lists a director's prisons' conferences by date (10 → 0.6 ms, national scale);
            # double-booking checks look up overlapping times.
            models.Index(fields=["starts_at", "id"], name="conference_start_idx"),
            # Held conferences still waiting for approved minutes: a few thousand of 60,000, counted on every visit
            # of the manager dashboard (reporting/conferences.py; 31 → 11 ms at national scale).
            models.Index(
                fields=["starts_at"],
                name="conference_awaiting_idx",
                condition=models.Q(status__in=AWAITING_MINUTES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {local_date(self.starts_at)}"

    @property
    def title(self) -> str:
        """The conference's name as a heading, one whole sentence per kind so each language orders its words."""
        return {
            self.Kind.PERIODIC: _("Periodiek casusoverleg"),
            self.Kind.PRE_LEAVE: _("Casusoverleg vóór penitentiair verlof"),
            self.Kind.AD_HOC: _("Ad-hoccasusoverleg"),
            self.Kind.HANDOVER: _("Overdrachtsoverleg"),
            self.Kind.LIVC: _("Overleg in de LIVC"),
            self.Kind.JUSTICE_HOUSE: _("Overleg in het justitiehuis"),
        }.get(self.kind, _("Casusoverleg"))

    @property
    def is_outside(self) -> bool:
        """A meeting after release, outside detention (docs/adr/0041)."""
        return self.kind in OUTSIDE_KINDS

    @property
    def place(self) -> str:
        """Where it is held: the prison, or the venue of a meeting outside detention."""
        return self.prison.name if self.prison_id else self.venue

    @property
    def reference(self) -> str:
        """A neutral reference for e-mails and calendars, which never carry case content."""
        return f"CO-{self.pk:05d}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


@pghistory.track()
class Participant(BaseModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Voorzitter")
        CONSULTANT = "consultant", _("Consulent")
        PSD = "psd", _("PSD")
        PARTNER = "partner", _("Partner")
        MINUTE_TAKER = "minute_taker", _("Verslaggever")
        DETAINEE = "detainee", _("Gedetineerde")
        OTHER = "other", _("Andere")

    class Response(models.TextChoices):
        NONE = "none", _("Geen antwoord")
        ACCEPTED = "accepted", _("Aanvaard")
        DECLINED = "declined", _("Afgezegd")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference_participations",
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    # The conference's iCalendar SEQUENCE this participant was last mailed: each version of the invitation (or
    # its cancellation) reaches him once, however many jobs ask for it (a planning and an invitation racing).
    invited_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    response = models.CharField(_("antwoord"), max_length=10, choices=Response.choices, default=Response.NONE)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    # Not a column: the participant's basis as it is now, set by basis.participants_with_basis.
    basis: ParticipantBasis

    class Meta:
        ordering = ["pk"]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user"], condition=Q(user__isnull=False), name="participant_user_once"
            ),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="participant_has_identity"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name

    @property
    def recipient_email(self) -> str:
        return (self.user.email if self.user_id else "") or self.email

    @property
    def organisation_effective(self) -> Organisation | None:
        return self.user.organisation if self.user_id else self.organisation

    @property
    def language(self) -> str:
        """The language of what is mailed to this participant: the user's own; the default for an
        external participant, whose language we do not know."""
        return self.user.language if self.user_id else settings.LANGUAGE_CODE


@pghistory.track()
class AgendaItem(BaseModel):
    """One agenda point. Generated items are refreshed from the case; free items are typed in."""

    class Source(models.TextChoices):
        ACTIONS = "actions", _("Openstaande acties")
        GOALS = "goals", _("Doelen en voortgang")
        SESSIONS = "sessions", _("Contactmomenten")
        DATES = "dates", _("Komende data")
        CONSENT = "consent", _("Toestemmingen")
        ASSESSMENTS = "assessments", _("Inschattingen")
        FREE = "free", _("Vrij punt")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    source = models.CharField(_("bron"), max_length=12, choices=Source.choices, default=Source.FREE)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("toelichting"), max_length=4000, blank=True)
    # A generated item's lines as meaning (accounts/texts.py trees), rendered in the reader's language.
    body_parts = models.JSONField(_("inhoud als betekenis"), null=True, blank=True)
    # Not a column: the item's note in the minutes being read, set by selectors_page.conference_page.
    note: str

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "source"], condition=~Q(source="free"), name="agenda_generated_item_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the reader's language. A generated item's title is stored as its code (the Dutch
        source text, written under the default language: accounts/texts.py); a free item's title was typed
        and is shown as typed."""
        if self.source == self.Source.FREE:
            return self.title
        return render_code(self.title)

    @property
    def display_body(self) -> str:
        """The body in the reader's language (a generated item's stored lines); typed text as typed."""
        if self.source == self.Source.FREE or self.body_parts is None:
            return self.body
        return "\n".join(render_parts(line) for line in self.body_parts)


# --- Calendar feed ---------------------------------------------------------------------------------


class CalendarFeed(BaseModel):
    """A private, revocable token for a user's conference calendar (webcal subscription)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conference_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("agendafeed")
        verbose_name_plural = _("agendafeeds")


# --- Standing members ------------------------------------------------------------------------------------


class StandingMemberQuerySet(models.QuerySet["StandingMember"]):
    def active(self) -> StandingMemberQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user: User) -> StandingMemberQuerySet:
        """A prison's standing team is kept by its directors (no case content: who takes part, and why)."""
        if not user.is_authenticated or not user.is_active or not user.is_director:
            return self.none()
        return self.filter(prison__directors=user)


@pghistory.track()
class StandingMember(BaseModel):
    """A member of a prison's standing conference team (PSD, JWW, religious counsel, …), invited to every
    periodic conference of that prison — each time through the basis check (casusoverleg/basis.py)."""

    prison = models.ForeignKey(
        Prison, verbose_name=_("gevangenis"), on_delete=models.CASCADE, related_name="standing_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("rol"), max_length=16, choices=Participant.Role.choices, default=Participant.Role.PSD)
    agreement = models.TextField(_("rolafspraken"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    objects = StandingMemberQuerySet.as_manager()

    class Meta:
        ordering = ["prison", "role", "pk"]
        verbose_name = _("vast lid casusoverleg")
        verbose_name_plural = _("vaste leden casusoverleg")
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="standing_member_has_identity"),
            models.CheckConstraint(
                condition=~Q(role__in=["chair", "detainee"]), name="standing_member_role_not_chair_or_detainee"
            ),
            models.UniqueConstraint(
                fields=["prison", "user"],
                condition=Q(user__isnull=False, is_active=True),
                name="standing_member_user_once",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name

    @property
    def organisation_effective(self) -> Organisation | None:
        return self.user.organisation if self.user_id else self.organisation


from ..models_priority import ReferralPriority as ReferralPriority  # noqa: E402  (the model lives beside, ADR 0044)
from .minutes import Decision as Decision  # noqa: E402
from .minutes import ItemNote as ItemNote  # noqa: E402
from .minutes import Minutes as Minutes  # noqa: E402
from .minutes import MinutesAction as MinutesAction  # noqa: E402
from .minutes import MinutesCopy as MinutesCopy  # noqa: E402
from .minutes import MinutesDownload as MinutesDownload  # noqa: E402
from .minutes import MinutesQuerySet as MinutesQuerySet  # noqa: E402
from .transfers import TransferFlag as TransferFlag  # noqa: E402
from .transfers import TransferFlagQuerySet as TransferFlagQuerySet  # noqa: E402
