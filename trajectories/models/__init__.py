"""Trajectories across life domains: lifecycle, explorations, goals, actions and assessments.

Writes go through `services.py` only (status above all: `trajectory_transition`). Every queryset a
page or endpoint shows comes from a `visible_to(user)` method here (docs/design.md §4); `permissions.py`
states the same rules per object.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from accounts.models import BaseModel, Organisation, User
from casework.compartments import HealthCompartmentQuerySet
from casework.models import CASEWORK_PURPOSES, Detainee, LifeDomain, Scope, consent_exists

# --- Trajectory ----------------------------------------------------------------------------------


class Status(models.TextChoices):
    REFERRED = "referred", _("Aangemeld")
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Actief")
    AFTERCARE = "aftercare", _("Nazorg")
    CLOSED = "closed", _("Afgesloten")
    DECLINED = "declined", _("Geweigerd")


OPEN_STATUSES = (Status.REFERRED, Status.INTAKE, Status.ACTIVE, Status.AFTERCARE)
ENDED_STATUSES = (Status.CLOSED, Status.DECLINED)

# The lifecycle (docs/design.md §3). `aftercare` is listed but only reachable through the release service:
# `trajectory_transition` refuses it unless called with `via_release=True`.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.REFERRED: (Status.INTAKE, Status.DECLINED, Status.CLOSED),
    Status.INTAKE: (Status.ACTIVE, Status.DECLINED, Status.CLOSED),
    Status.ACTIVE: (Status.AFTERCARE, Status.CLOSED),
    Status.AFTERCARE: (Status.CLOSED,),
    Status.CLOSED: (),
    Status.DECLINED: (),
}


class TrajectoryQuerySet(models.QuerySet["Trajectory"]):
    def visible_to(self, user: User, *, scope: str = Scope.TRAJECTORY_GOALS) -> TrajectoryQuerySet:
        """Trajectories `user` may see (docs/design.md §4, second row).

        Case staff: their organisation's files. Directors: files placed in their prison(s) (the
        views show them status and lead consultant only). Partners: an active consent of their
        organisation with `scope` (trajectory_goals for the trajectory itself, assessments for
        the assessment endpoints).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        if user.is_director:
            return self.filter(detainee__current_prison__directors=user)
        if user.is_partner and user.organisation_id:
            return self.filter(consent_exists(user, scope, "detainee_id", purpose=CASEWORK_PURPOSES))
        return self.none()

    def open(self) -> TrajectoryQuerySet:
        """Trajectories not yet closed or declined."""
        return self.filter(status__in=OPEN_STATUSES)

    def with_success(self) -> TrajectoryQuerySet:
        """Annotate `is_success`: reached `active` (per the status history) with ≥ 1 goal agreed with the detainee.

        This is the government's success indicator; it is computed here and never stored.
        """
        reached_active = Exists(
            TrajectoryStatusChange.objects.filter(trajectory=OuterRef("pk"), to_status=Status.ACTIVE)
        )
        agreed_goal = Exists(Goal.objects.filter(trajectory=OuterRef("pk"), agreed_with_detainee=True))
        return self.annotate(reached_active=reached_active, has_agreed_goal=agreed_goal).annotate(
            is_success=Q(reached_active=True) & Q(has_agreed_goal=True)
        )

    def with_success_per_row(self) -> TrajectoryQuerySet:
        """The same `is_success` for a page of rows (an API list): two index look-ups per row.

        `with_success` suits aggregates over many trajectories, where PostgreSQL hashes the status history and
        the goals once. On a page of 50 out of thousands it still plans that hashing (it expects every row) and
        the page pays for reading both tables whole: ~30 ms at national scale against ~1 ms for these per-row
        look-ups (docs/adr/0012-query-budget-and-indexes.md).
        """
        first_active = TrajectoryStatusChange.objects.filter(trajectory=OuterRef("pk"), to_status=Status.ACTIVE)
        first_goal = Goal.objects.filter(trajectory=OuterRef("pk"), agreed_with_detainee=True)
        reached = IsNull(Subquery(first_active.order_by().values("pk")[:1]), False)
        agreed = IsNull(Subquery(first_goal.order_by().values("pk")[:1]), False)
        return self.annotate(is_success=ExpressionWrapper(Q(reached) & Q(agreed), output_field=models.BooleanField()))

    def open_at(self, moment: dt.datetime) -> TrajectoryQuerySet:
        """Trajectories that were open at `moment` (referred on or before that day, not ended before it).

        A detainee's trajectories never overlap, so per detainee this is at most one row; it is how a
        session is tied to a trajectory without storing the link twice.
        """
        from django.utils import timezone

        day = timezone.localdate(moment)
        return self.filter(referred_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=day))

    def waiting_referrals(self) -> TrajectoryQuerySet:
        """The manager's referral inbox: referred, by the priority the conference set (urgent first), then the
        longest wait; the id makes the order total, as in every keyset page (config/keyset.py)."""
        return self.filter(status=Status.REFERRED).order_by("priority", "referred_on", "pk")


@pghistory.track()
class Trajectory(BaseModel):
    class ReferredBy(models.TextChoices):
        PSD = "psd", _("Psychosociale dienst (PSD)")
        DIRECTOR = "director", _("Gevangenisdirectie")
        CONFERENCE = "conference", _("Casusoverleg")
        SELF = "self", _("Eigen vraag van de gedetineerde")
        OTHER = "other", _("Andere")

    class GuidanceType(models.TextChoices):
        DISENGAGEMENT_CONSULTANT = "disengagement_consultant", _("Consulent disengagement")
        JWW_INTEGRAL = "jww_integral", _("Integrale JWW-begeleiding")
        CGG_SECOND_LINE = "cgg_second_line", _("Tweedelijns CGG-begeleiding")
        OTHER = "other", _("Andere")

    class Priority(models.IntegerChoices):
        # Stored as a rank so that the inbox sorts on it: the lower, the sooner (docs/adr/0044).
        URGENT = 1, _("Dringend")
        HIGH = 2, _("Hoog")
        NORMAL = 3, _("Normaal")

    class ClosureReason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("Doelen bereikt")
        AFTERCARE_ENDED = "aftercare_ended", _("Nazorg beëindigd")
        TRANSFERRED = "transferred_to_other_service", _("Overgedragen aan een andere dienst")
        DECLINED = "declined", _("Geweigerd door de gedetineerde")
        REOFFENDED = "reoffended", _("Recidive")
        LEFT_COUNTRY = "left_country", _("Land verlaten")
        DECEASED = "deceased", _("Overleden")
        OTHER = "other", _("Andere")

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("gedetineerde"), on_delete=models.PROTECT, related_name="trajectories"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REFERRED, editable=False
    )
    status_changed_at = models.DateTimeField(_("status gewijzigd op"), null=True, editable=False)
    referred_on = models.DateField(_("aangemeld op"))
    referred_by = models.CharField(_("aangemeld door"), max_length=12, choices=ReferredBy.choices)
    referring_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("aanmeldende organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referral_reason = models.TextField(_("reden van aanmelding"), max_length=2000, blank=True)
    guidance_type = models.CharField(
        _("soort begeleiding"),
        max_length=28,
        choices=GuidanceType.choices,
        default=GuidanceType.DISENGAGEMENT_CONSULTANT,
    )
    lead_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hoofdconsulent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_trajectories",
    )
    co_consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("co-consulenten"), blank=True, related_name="co_trajectories"
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), null=True, blank=True, editable=False)
    closure_reason = models.CharField(
        _("reden van afsluiting"), max_length=32, choices=ClosureReason.choices, blank=True, editable=False
    )
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The referral's priority, set by a case conference with its reason (casusoverleg/services/priority.py; the
    # decision itself, with its conference, is a casusoverleg.ReferralPriority row: no key points right).
    priority = models.PositiveSmallIntegerField(
        _("prioriteit"), choices=Priority.choices, default=Priority.NORMAL, editable=False
    )
    priority_reason = models.CharField(_("reden van de prioriteit"), max_length=500, blank=True, editable=False)
    priority_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    priority_set_at = models.DateTimeField(_("prioriteit bepaald op"), null=True, blank=True, editable=False)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        constraints = [
            # At most one open trajectory per detainee (partial unique index).
            models.UniqueConstraint(
                fields=["detainee"], condition=Q(status__in=OPEN_STATUSES), name="trajectory_one_open_per_detainee"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ENDED_STATUSES, closed_on__isnull=False)
                | (Q(status__in=OPEN_STATUSES) & Q(closed_on__isnull=True)),
                name="trajectory_closed_on_iff_ended",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(closure_reason=""), name="trajectory_closed_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("referred_on")),
                name="trajectory_closed_after_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "referred_on"], name="trajectory_status_idx"),
            # The trajectories API lists newest referrals first across an organisation (10 → 0.7 ms, national scale).
            models.Index(fields=["-referred_on", "-id"], name="trajectory_recent_idx"),
            # The manager's inbox: waiting referrals by priority, then the longest wait, the id breaking ties.
            models.Index(
                fields=["priority", "referred_on", "id"],
                condition=Q(status=Status.REFERRED),
                name="trajectory_inbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.detainee} — {self.get_status_display()} ({local_date(self.referred_on)})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def allowed_transitions(self) -> tuple[str, ...]:
        """Statuses a user may move this trajectory to (aftercare excluded: that is the release service's)."""
        return tuple(s for s in TRANSITIONS[self.status] if s != Status.AFTERCARE)


class TrajectoryStatusChange(models.Model):
    """Dated status history: who moved the trajectory, when, from what to what, and why. Append-only."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=12, choices=Status.choices)
    changed_at = models.DateTimeField(_("tijdstip"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("toelichting"), max_length=2000, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statusgeschiedenis")
        indexes = [models.Index(fields=["trajectory", "changed_at"], name="traj_status_change_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


# --- Domain exploration ---------------------------------------------------------------------------


_Content = TypeVar("_Content", bound=models.Model)


class _PerDomainContentQuerySet(HealthCompartmentQuerySet[_Content]):
    """Trajectory content kept per life domain (explorations, goals): case staff, and partners with consent
    scope trajectory_goals, through the trajectory; a health domain's rows only for those who see the file's
    health content (casework/compartments.py)."""

    health_code = "domain__code"
    health_detainee = "trajectory__detainee"

    def visible_to(self, user: User):
        if user.is_authenticated and (user.is_case_staff or user.is_partner):
            return self.filter(trajectory__in=Trajectory.objects.visible_to(user)).without_hidden_health(user)
        return self.none()


class DomainExplorationQuerySet(_PerDomainContentQuerySet["DomainExploration"]):
    pass


@pghistory.track()
class DomainExploration(BaseModel):
    class Need(models.TextChoices):
        NEED = "need", _("Nood")
        NO_NEED = "no_need", _("Geen nood")
        DECLINED = "declined", _("Geweigerd")
        NOT_YET_EXPLORED = "not_yet_explored", _("Nog niet verkend")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="explorations")
    domain = models.ForeignKey(LifeDomain, verbose_name=_("levensdomein"), on_delete=models.PROTECT, related_name="+")
    need = models.CharField(_("nood"), max_length=20, choices=Need.choices, default=Need.NOT_YET_EXPLORED)
    explored_on = models.DateField(_("verkend op"), null=True, blank=True)
    # A domain may be consciously left for later; the reason makes that a decision, not an omission.
    deferral_reason = models.TextField(_("reden van uitstel"), max_length=1000, blank=True)
    note = models.TextField(_("notitie"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DomainExplorationQuerySet.as_manager()

    class Meta:
        ordering = ["domain__order", "domain__name"]
        verbose_name = _("domeinverkenning")
        verbose_name_plural = _("domeinverkenningen")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "domain"], name="exploration_one_per_domain"),
            models.CheckConstraint(
                condition=Q(need="not_yet_explored") | Q(explored_on__isnull=False),
                name="exploration_explored_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_need_display()}"

    @property
    def is_deferred(self) -> bool:
        return self.need == self.Need.NOT_YET_EXPLORED and bool(self.deferral_reason.strip())

    @property
    def is_settled(self) -> bool:
        """Explored (need / no need / declined) or deferred with a reason: enough to become active."""
        return self.need != self.Need.NOT_YET_EXPLORED or self.is_deferred


# --- Goals and reviews ------------------------------------------------------------------------------


class GoalQuerySet(_PerDomainContentQuerySet["Goal"]):
    pass


@pghistory.track()
class Goal(BaseModel):
    class GoalStatus(models.TextChoices):
        PROPOSED = "proposed", _("Voorgesteld")
        AGREED = "agreed", _("Afgesproken")
        ACHIEVED = "achieved", _("Bereikt")
        PARTLY_ACHIEVED = "partly_achieved", _("Deels bereikt")
        NOT_ACHIEVED = "not_achieved", _("Niet bereikt")
        DROPPED = "dropped", _("Geschrapt")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey(LifeDomain, verbose_name=_("levensdomein"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("doel"), max_length=1000)
    agreed_with_detainee = models.BooleanField(_("samen met de gedetineerde afgesproken"), default=False)
    agreed_on = models.DateField(_("afgesproken op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.PROPOSED)
    target_date = models.DateField(_("streefdatum"), null=True, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("verantwoordelijke organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["domain__order", "created_at", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_with_detainee=False) | Q(agreed_on__isnull=False), name="goal_agreed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


PROGRESS_MIN, PROGRESS_MAX = 0, 4


class GoalReviewQuerySet(models.QuerySet["GoalReview"]):
    def visible_to(self, user: User) -> GoalReviewQuerySet:
        """Reviews follow their goal."""
        return self.filter(goal__in=Goal.objects.visible_to(user))


@pghistory.track()
class GoalReview(BaseModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("datum"))
    progress = models.PositiveSmallIntegerField(_("voortgang (0-4)"))
    note = models.TextField(_("notitie"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = GoalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_on", "pk"]
        verbose_name = _("doelevaluatie")
        verbose_name_plural = _("doelevaluaties")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=PROGRESS_MIN, progress__lte=PROGRESS_MAX), name="goal_review_progress_0_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{local_date(self.reviewed_on)}: {self.progress}"


# --- Actions --------------------------------------------------------------------------------------------


class ActionQuerySet(HealthCompartmentQuerySet["Action"]):
    health_code = "goal__domain__code"
    health_detainee = "detainee"

    def visible_to(self, user: User) -> ActionQuerySet:
        """Actions are work of the case staff of the file's organisation; the actions of a goal in a health
        domain only for those who see the file's health content (casework/compartments.py)."""
        if user.is_authenticated and user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id).without_hidden_health(user)
        return self.none()

    def open(self) -> ActionQuerySet:
        return self.filter(status=Action.ActionStatus.OPEN)

    def overdue(self, today: dt.date) -> ActionQuerySet:
        """Open actions whose due date has passed."""
        return self.open().filter(due_on__lt=today)

    def for_list(self) -> ActionQuerySet:
        """Everything an action list row shows, in one query."""
        return self.select_related("detainee", "owner_user", "owner_organisation", "goal", "goal__domain", "trajectory")


@pghistory.track()
class Action(BaseModel):
    """A piece of work with an owner and a due date.

    The same model serves goals and case-conference decisions, so open actions have one list. The
    conference side points here from its own models (an app to the right of this one); Action
    itself knows only its `source_kind`.
    """

    class ActionStatus(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Uitgevoerd")
        CANCELLED = "cancelled", _("Geannuleerd")

    class SourceKind(models.TextChoices):
        GOAL = "goal", _("Doel")
        CONFERENCE_DECISION = "conference_decision", _("Beslissing casusoverleg")
        OTHER = "other", _("Andere")

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("gedetineerde"), on_delete=models.PROTECT, related_name="actions"
    )
    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("traject"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(_("actie"), max_length=1000)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("eigenaar (organisatie)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    owner_name = models.CharField(_("naam contactpersoon"), max_length=200, blank=True)
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    source_kind = models.CharField(_("bron"), max_length=24, choices=SourceKind.choices, default=SourceKind.OTHER)
    goal = models.ForeignKey(
        Goal, verbose_name=_("doel"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_organisation__isnull=False), name="action_has_owner"
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="goal") | Q(goal__isnull=False), name="action_goal_source_names_goal"
            ),
            models.CheckConstraint(
                condition=Q(status="open", completed_at__isnull=True)
                | (~Q(status="open") & Q(completed_at__isnull=False)),
                name="action_completed_at_iff_not_open",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_open_due_idx"),
            models.Index(fields=["detainee", "status"], name="action_detainee_idx"),
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


# Release and aftercare models live in their own module (registered with this app by this import).
# An owner's updates on actions and referrals to partners (ADR 0034).
from ..models_court import CourtCondition as CourtCondition  # noqa: E402  (re-exported: one place to import models from)
from ..models_court import CourtReport as CourtReport  # noqa: E402
from ..models_court import ReportingDeadline as ReportingDeadline  # noqa: E402
from ..models_partners import ActionUpdate as ActionUpdate  # noqa: E402  (re-exported: one place to import models from)
from ..models_partners import PartnerReferral as PartnerReferral  # noqa: E402
from ..models_release import AftercareSetting, FollowUp, HandoverPackage, Release  # noqa: E402, F401
from .assessments import SCALE_MAX as SCALE_MAX  # noqa: E402
from .assessments import Assessment as Assessment  # noqa: E402
from .assessments import AssessmentItem as AssessmentItem  # noqa: E402
from .assessments import AssessmentQuerySet as AssessmentQuerySet  # noqa: E402
from .assessments import AssessmentRating as AssessmentRating  # noqa: E402
from .assessments import AssessmentSection as AssessmentSection  # noqa: E402
from .assessments import AssessmentTemplate as AssessmentTemplate  # noqa: E402
from .assessments import Scale as Scale  # noqa: E402
