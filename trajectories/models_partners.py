"""Work partners do on a file: the owner's updates on an action agreed at a case conference, and referrals of a
detainee to a partner organisation's service (ADR 0034).

Every queryset a page or endpoint shows comes from `visible_to(user)`; a partner sees only what an active consent
of his organisation allows (casework.models.Consent, its scopes and purposes), and sees nothing any more the moment
it is withdrawn. Writes go through `casusoverleg/services/actions.py` and `trajectories/services/referrals.py`.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, Organisation, User
from casework.models import Consent, Detainee, Purpose, Scope, consent_condition

from .models import Action

ACTION_NOTE_MAX = 500
REFERRAL_QUESTION_MAX = 2000
REFERRAL_NOTE_MAX = 1000


# --- An owner's update on an action ----------------------------------------------------------------------


@pghistory.track()
class ActionUpdate(BaseModel):
    """What the owner of an action did: a short progress note, or marking it done (with an optional note).
    The case team reads them on the conference and the file; the next conference's agenda carries them."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Voortgang")
        DONE = "done", _("Afgerond")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="owner_updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    note = models.CharField(_("notitie"), max_length=ACTION_NOTE_MAX, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stand van een actie")
        verbose_name_plural = _("standen van acties")
        constraints = [
            models.CheckConstraint(condition=Q(kind="done") | ~Q(note=""), name="action_update_progress_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d/%m/%Y}"


# --- Referrals to a partner's service --------------------------------------------------------------------


def referral_consent_exists(organisation_ref: str = "organisation_id", detainee_ref: str = "detainee_id") -> Exists:
    """A subquery: an active consent of the referral's organisation, with purpose referral and scope identity (a
    partner cannot take up a referral of someone he may not know)."""
    return Exists(
        Consent.objects.active().filter(
            consent_condition(purpose=Purpose.REFERRAL, scope=Scope.IDENTITY),
            detainee_id=OuterRef(detainee_ref),
            organisation_id=OuterRef(organisation_ref),
        )
    )


class PartnerReferralQuerySet(models.QuerySet["PartnerReferral"]):
    def visible_to(self, user: User) -> PartnerReferralQuerySet:
        """The case staff of the file's organisation see every referral of their files; a partner only the
        referrals to his own organisation, and only while its consent with purpose referral is in force."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        if user.is_partner and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id).filter(referral_consent_exists())
        return self.none()

    def open(self) -> PartnerReferralQuerySet:
        """Waiting for an answer, or accepted and not yet closed."""
        return self.filter(status__in=PartnerReferral.OPEN_STATUSES)

    def for_list(self) -> PartnerReferralQuerySet:
        return self.select_related("detainee", "organisation", "referred_by")


@pghistory.track()
class PartnerReferral(BaseModel):
    """The consultant refers the detainee to a partner's service (VDAB, CGG …) on a consent with purpose referral;
    the partner accepts or declines, and closes an accepted referral with its outcome."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Wacht op antwoord")
        ACCEPTED = "accepted", _("Aanvaard")
        DECLINED = "declined", _("Geweigerd")
        CLOSED = "closed", _("Afgesloten")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Begeleiding afgerond")
        STARTED_ELSEWHERE = "started_elsewhere", _("Doorgestuurd naar een ander aanbod")
        STOPPED = "stopped", _("Voortijdig gestopt")
        NOT_STARTED = "not_started", _("Niet gestart")

    OPEN_STATUSES = (Status.REQUESTED, Status.ACCEPTED)

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("gedetineerde"), on_delete=models.PROTECT, related_name="partner_referrals"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partnerorganisatie"), on_delete=models.PROTECT, related_name="partner_referrals"
    )
    service = models.CharField(_("dienst of aanbod"), max_length=200)
    question = models.TextField(_("vraag aan de partner"), max_length=REFERRAL_QUESTION_MAX)
    consent = models.ForeignKey(Consent, verbose_name=_("toestemming"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("doorverwezen door"), on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(_("doorverwezen op"), default=timezone.now)
    responded_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_note = models.CharField(_("toelichting bij het antwoord"), max_length=REFERRAL_NOTE_MAX, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("resultaat"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("toelichting bij het resultaat"), max_length=REFERRAL_NOTE_MAX, blank=True)

    objects = PartnerReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-pk"]
        verbose_name = _("doorverwijzing naar een partner")
        verbose_name_plural = _("doorverwijzingen naar partners")
        constraints = [
            # One open referral per file and organisation: a second one would ask the partner the same twice.
            models.UniqueConstraint(
                fields=["detainee", "organisation"],
                condition=Q(status__in=["requested", "accepted"]),
                name="partner_referral_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "withdrawn"]) | Q(responded_at__isnull=False),
                name="partner_referral_answered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="partner_referral_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(response_note=""), name="partner_referral_decline_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-referred_at"], name="partner_referral_org_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.organisation}"

    @property
    def reference(self) -> str:
        return f"DV-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def waiting_days(self) -> int:
        """Days between the referral and the partner's answer (until today while he has not answered)."""
        end = self.responded_at or (None if self.status == self.Status.WITHDRAWN else timezone.now())
        end = end or self.updated_at
        return max(0, (timezone.localdate(end) - timezone.localdate(self.referred_at)).days)
