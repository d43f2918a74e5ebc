"""Reminder kinds of the trajectories app, registered with the one engine (docs/design.md §5).

Each planner looks only at items that fall due inside the planning window (`ctx.reference_days`),
so a sweep costs the same whatever the history; each `still_applies` is one query per batch.

Kinds and defaults (days relative to the reference date; per organisation in ReminderSetting):
- action_overdue            owner of an open action, 1 day after its due date
- action_overdue_manager    the file's managers, 7 days after the due date
- session_gap               lead consultant, no session for an active trajectory in 21 days
- session_gap_manager       the file's managers, no session in 35 days
- referral_waiting          the file's managers, referral waiting for intake more than 14 days
- referral_assigned         the new lead consultant, when a manager (re)assigns a trajectory (an event,
                            queued by trajectory_assign)
- aftercare_follow_up       lead consultant, on the day of each +1/+3/+6-month follow-up
- aftercare_ending          lead consultant, 14 days before aftercare ends
- aftercare_close           lead consultant, on the day aftercare ends: close it, with a reason
- post_closure_review       lead consultant, on the day of a +6/+12-month review after closure
- handover_conference_proposal  lead consultant, at release (an event, queued by trajectory_release)
- retention_due             the organisation's dpo, on the day a closed file passes its retention period
- court_report_due          lead consultant, before a report on a court condition is due (reminders_court.py)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import DateField, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from accounts.models import User
from casework.models import Session
from notifications.registry import PlanContext, ReminderKind, register

from .models import Action, Status, Trajectory
from .models_release import FollowUp, Release
from .reminders_court import CODE as COURT_REPORT_DUE  # noqa: F401  (registers the court's deadlines, ADR 0042)


def _managers_by_organisation(organisation_ids) -> dict[int, list[int]]:
    """Active managers per organisation, in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(role=User.Role.MANAGER, is_active=True, organisation_id__in=set(organisation_ids))
    for user_id, organisation_id in rows.values_list("pk", "organisation_id"):
        found[organisation_id].append(user_id)
    return found


def _lead(trajectory_row) -> int | None:
    return trajectory_row.lead_consultant_id or trajectory_row.detainee.lead_consultant_id


def _by_offset(ctx: PlanContext, code: str, organisation_id: int, offset: int) -> bool:
    return offset in ctx.offsets(code, organisation_id)


# --- Overdue actions ------------------------------------------------------------------------------------


# Texts written before a notification named its object: still in the catalogues, so the lines stored with
# them keep reading in each reader's language (accounts/texts.py).
LEGACY_TEXTS = (
    _("Een actie staat al %(days)s dagen open na de vervaldatum."),
    _("Een actie is over de vervaldatum."),
    _("Een aanmelding wacht al %(days)s dagen op intake."),
)


def action_link(action) -> str:
    """The action itself: on its trajectory's page when it has one, else in the list of open actions."""
    if action.trajectory_id:
        return reverse("trajectories:detail", args=[action.trajectory_id]) + f"#actie-{action.pk}"
    return reverse("trajectories:actions") + f"#actie-{action.pk}"


def _plan_action_overdue(ctx: PlanContext, code: str, to_managers: bool):
    for offset, days in ctx.reference_days(code).items():
        rows = Action.objects.open().filter(due_on__in=days)
        if not to_managers:
            # A conference action owned by a partner or a director is reminded by casusoverleg's own kind
            # (conference_action_overdue), with a link he can open and only while his consent holds (ADR 0034).
            rows = rows.exclude(
                source_kind=Action.SourceKind.CONFERENCE_DECISION,
                owner_user__role__in=(User.Role.PARTNER, User.Role.DIRECTOR),
            )
        rows = list(
            rows.select_related("detainee").only(
                "pk",
                "due_on",
                "owner_user_id",
                "trajectory_id",
                "detainee__organisation_id",
                "detainee__lead_consultant_id",
            )
        )
        managers = _managers_by_organisation(r.detainee.organisation_id for r in rows) if to_managers else {}
        for action in rows:
            organisation_id = action.detainee.organisation_id
            if not _by_offset(ctx, code, organisation_id, offset):
                continue
            # The due date tells two overdue actions apart; the link opens the one meant.
            day = local_date(action.due_on)
            if to_managers:
                recipients = managers.get(organisation_id, [])
                text = _("Een actie met vervaldatum %(day)s staat al %(days)s dagen open.")
                params = {"days": offset, "day": day}
            else:
                recipients = [action.owner_user_id or action.detainee.lead_consultant_id]
                text, params = _("Een actie met vervaldatum %(day)s is over de vervaldatum."), {"day": day}
            for recipient_id in filter(None, recipients):
                yield ctx.draft(
                    kind=code,
                    obj=action,
                    due_on=action.due_on + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=text,
                    text_params=params,
                    link=action_link(action),
                )


def _action_still_open(reminders) -> set[int]:
    open_ids = set(Action.objects.open().filter(pk__in={r.object_id for r in reminders}).values_list("pk", flat=True))
    return {r.pk for r in reminders if r.object_id in open_ids}


register(
    ReminderKind(
        code="action_overdue",
        label=_("Actie over vervaldatum (eigenaar)"),
        default_offsets=(1,),
        plan=lambda ctx: _plan_action_overdue(ctx, "action_overdue", to_managers=False),
        still_applies=_action_still_open,
    )
)
register(
    ReminderKind(
        code="action_overdue_manager",
        label=_("Actie over vervaldatum (manager)"),
        default_offsets=(7,),
        plan=lambda ctx: _plan_action_overdue(ctx, "action_overdue_manager", to_managers=True),
        still_applies=_action_still_open,
    )
)


# --- No session for an active trajectory ---------------------------------------------------------------------


def _active_with_reference():
    """Active trajectories annotated with the day the session gap counts from: the last session,
    or the day the trajectory became active when that is later (or there is no session)."""
    last_session = Subquery(
        Session.objects.filter(detainee_id=OuterRef("detainee_id")).order_by("-started_at").values("started_at")[:1]
    )
    return Trajectory.objects.filter(status=Status.ACTIVE).annotate(
        gap_from=Greatest(
            Coalesce(
                TruncDate(last_session), TruncDate("status_changed_at"), F("referred_on"), output_field=DateField()
            ),
            Coalesce(TruncDate("status_changed_at"), F("referred_on"), output_field=DateField()),
        )
    )


def _plan_session_gap(ctx: PlanContext, code: str, to_managers: bool):
    for offset, days in ctx.reference_days(code).items():
        rows = list(
            _active_with_reference()
            .filter(gap_from__in=days)
            .select_related("detainee")
            .only("pk", "lead_consultant_id", "detainee__organisation_id", "detainee__lead_consultant_id")
        )
        managers = _managers_by_organisation(r.detainee.organisation_id for r in rows) if to_managers else {}
        text = _("Geen contactmoment in %(days)s dagen voor een actief traject.")
        for trajectory in rows:
            organisation_id = trajectory.detainee.organisation_id
            if not _by_offset(ctx, code, organisation_id, offset):
                continue
            recipients = managers.get(organisation_id, []) if to_managers else [_lead(trajectory)]
            for recipient_id in filter(None, recipients):
                yield ctx.draft(
                    kind=code,
                    obj=trajectory,
                    due_on=trajectory.gap_from + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=text,
                    text_params={"days": offset},
                    link=reverse("trajectories:detail", args=[trajectory.pk]),
                )


def _gap_still_open(reminders) -> set[int]:
    """Still active, and no session logged since the reminder was planned."""
    ids = {r.object_id for r in reminders}
    rows = (
        _active_with_reference()
        .filter(pk__in=ids)
        .annotate(last_logged=Max("detainee__sessions__created_at"))
        .values_list("pk", "last_logged")
    )
    last_logged = dict(rows)
    return {
        r.pk
        for r in reminders
        if r.object_id in last_logged and (last_logged[r.object_id] is None or last_logged[r.object_id] < r.created_at)
    }


register(
    ReminderKind(
        code="session_gap",
        label=_("Geen contactmoment (consulent)"),
        default_offsets=(21,),
        plan=lambda ctx: _plan_session_gap(ctx, "session_gap", to_managers=False),
        still_applies=_gap_still_open,
    )
)
register(
    ReminderKind(
        code="session_gap_manager",
        label=_("Geen contactmoment (manager)"),
        default_offsets=(35,),
        plan=lambda ctx: _plan_session_gap(ctx, "session_gap_manager", to_managers=True),
        still_applies=_gap_still_open,
    )
)


# --- Referrals waiting for intake ------------------------------------------------------------------------------


def _plan_referral_waiting(ctx: PlanContext):
    code = "referral_waiting"
    for offset, days in ctx.reference_days(code).items():
        rows = list(
            Trajectory.objects.filter(status=Status.REFERRED, referred_on__in=days)
            .select_related("detainee")
            .only("pk", "referred_on", "detainee__organisation_id")
        )
        managers = _managers_by_organisation(r.detainee.organisation_id for r in rows)
        for trajectory in rows:
            if not _by_offset(ctx, code, trajectory.detainee.organisation_id, offset):
                continue
            for recipient_id in managers.get(trajectory.detainee.organisation_id, []):
                yield ctx.draft(
                    kind=code,
                    obj=trajectory,
                    due_on=trajectory.referred_on + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=_("Een aanmelding van %(day)s wacht al %(days)s dagen op intake."),
                    text_params={"days": offset, "day": local_date(trajectory.referred_on)},
                    link=reverse("trajectories:detail", args=[trajectory.pk]),
                )


def _trajectory_in(status):
    def check(reminders) -> set[int]:
        ids = set(
            Trajectory.objects.filter(pk__in={r.object_id for r in reminders}, status=status).values_list(
                "pk", flat=True
            )
        )
        return {r.pk for r in reminders if r.object_id in ids}

    return check


register(
    ReminderKind(
        code="referral_waiting",
        label=_("Aanmelding wacht op intake"),
        default_offsets=(14,),
        plan=_plan_referral_waiting,
        still_applies=_trajectory_in(Status.REFERRED),
    )
)


# --- A referral assigned to a consultant (an event, queued by trajectory_assign) ------------------------------


def _still_assigned(reminders) -> set[int]:
    """The trajectory is still open and its lead consultant still the recipient (not reassigned again)."""
    leads = dict(
        Trajectory.objects.open()
        .filter(pk__in={r.object_id for r in reminders})
        .values_list("pk", "lead_consultant_id")
    )
    return {r.pk for r in reminders if leads.get(r.object_id) == r.recipient_id}


register(
    ReminderKind(
        code="referral_assigned",
        label=_("Aanmelding aan jou toegewezen"),
        default_offsets=(0,),
        plan=lambda ctx: iter(()),
        still_applies=_still_assigned,
    )
)


# --- Aftercare ------------------------------------------------------------------------------------------------------


def _plan_follow_ups(ctx: PlanContext, code: str, kind: str, trajectory_status: str, text: str):
    for offset, days in ctx.reference_days(code).items():
        rows = (
            FollowUp.objects.planned()
            .filter(kind=kind, due_on__in=days, trajectory__status=trajectory_status)
            .select_related("trajectory__detainee")
            .only(
                "pk",
                "due_on",
                "months_after",
                "trajectory_id",
                "trajectory__lead_consultant_id",
                "trajectory__detainee__organisation_id",
                "trajectory__detainee__lead_consultant_id",
            )
        )
        for follow_up in rows:
            trajectory = follow_up.trajectory
            if not _by_offset(ctx, code, trajectory.detainee.organisation_id, offset):
                continue
            recipient_id = _lead(trajectory)
            if recipient_id:
                yield ctx.draft(
                    kind=code,
                    obj=follow_up,
                    due_on=follow_up.due_on + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=text,
                    text_params={"months": follow_up.months_after},
                    link=reverse("trajectories:aftercare", args=[trajectory.pk]),
                )


def _follow_up_still_planned(trajectory_status):
    def check(reminders) -> set[int]:
        ids = set(
            FollowUp.objects.planned()
            .filter(pk__in={r.object_id for r in reminders}, trajectory__status=trajectory_status)
            .values_list("pk", flat=True)
        )
        return {r.pk for r in reminders if r.object_id in ids}

    return check


register(
    ReminderKind(
        code="aftercare_follow_up",
        label=_("Nazorgopvolging"),
        default_offsets=(0,),
        plan=lambda ctx: _plan_follow_ups(
            ctx,
            "aftercare_follow_up",
            FollowUp.Kind.AFTERCARE,
            Status.AFTERCARE,
            _("Nazorgopvolging van %(months)s maand(en) na vrijlating is gepland vandaag."),
        ),
        still_applies=_follow_up_still_planned(Status.AFTERCARE),
    )
)
register(
    ReminderKind(
        code="post_closure_review",
        label=_("Evaluatie na afsluiting"),
        default_offsets=(0,),
        plan=lambda ctx: _plan_follow_ups(
            ctx,
            "post_closure_review",
            FollowUp.Kind.POST_CLOSURE,
            Status.CLOSED,
            _("Evaluatie %(months)s maanden na afsluiting van een traject."),
        ),
        still_applies=_follow_up_still_planned(Status.CLOSED),
    )
)


def _plan_aftercare_end(ctx: PlanContext, code: str, text: str):
    for offset, days in ctx.reference_days(code).items():
        rows = (
            Release.objects.filter(trajectory__status=Status.AFTERCARE, aftercare_ends_on__in=days)
            .select_related("trajectory__detainee")
            .only(
                "pk",
                "aftercare_ends_on",
                "trajectory_id",
                "trajectory__lead_consultant_id",
                "trajectory__detainee__organisation_id",
                "trajectory__detainee__lead_consultant_id",
            )
        )
        for release in rows:
            trajectory = release.trajectory
            if not _by_offset(ctx, code, trajectory.detainee.organisation_id, offset):
                continue
            recipient_id = _lead(trajectory)
            if recipient_id:
                yield ctx.draft(
                    kind=code,
                    obj=trajectory,
                    due_on=release.aftercare_ends_on + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=text,
                    text_params={"days": abs(offset)},
                    link=reverse("trajectories:aftercare", args=[trajectory.pk]),
                )


register(
    ReminderKind(
        code="aftercare_ending",
        label=_("Nazorg loopt af"),
        default_offsets=(-14,),
        plan=lambda ctx: _plan_aftercare_end(
            ctx, "aftercare_ending", _("De nazorg van een traject loopt binnen %(days)s dagen af.")
        ),
        still_applies=_trajectory_in(Status.AFTERCARE),
    )
)
register(
    ReminderKind(
        code="aftercare_close",
        label=_("Nazorg afgelopen: afsluiten"),
        default_offsets=(0,),
        plan=lambda ctx: _plan_aftercare_end(
            ctx,
            "aftercare_close",
            # No placeholder in this text: the parameters are ignored.
            _("De nazorg van een traject is afgelopen: sluit het af met een reden."),
        ),
        still_applies=_trajectory_in(Status.AFTERCARE),
    )
)

# Queued by trajectory_release (an event, not planned from dates).
register(
    ReminderKind(
        code="handover_conference_proposal",
        label=_("Voorstel overdrachtsoverleg"),
        default_offsets=(0,),
        plan=lambda ctx: iter(()),
        still_applies=_trajectory_in(Status.AFTERCARE),
    )
)


# --- Retention ------------------------------------------------------------------------------------------------------


def _years_earlier(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _plan_retention(ctx: PlanContext):
    from django.conf import settings
    from django.db.models import Exists

    from casework.models import Detainee

    code = "retention_due"
    years = settings.DISENGAGE_RETENTION_YEARS
    for offset, days in ctx.reference_days(code).items():
        closed_days = [_years_earlier(day, years) for day in days]
        open_trajectory = Exists(Trajectory.objects.open().filter(detainee_id=OuterRef("pk")))
        rows = list(
            Detainee.objects.filter(legal_hold=False, retention_record__isnull=True)
            .exclude(open_trajectory)
            .annotate(last_closed=Max("trajectories__closed_on"))
            .filter(last_closed__in=closed_days)
            .only("pk", "organisation_id")
        )
        dpos: dict[int, list[int]] = defaultdict(list)
        for user_id, organisation_id in User.objects.filter(
            role=User.Role.DPO, is_active=True, organisation_id__in={d.organisation_id for d in rows}
        ).values_list("pk", "organisation_id"):
            dpos[organisation_id].append(user_id)
        for detainee in rows:
            if not _by_offset(ctx, code, detainee.organisation_id, offset):
                continue
            due_on = _years_earlier(detainee.last_closed, -years)
            for recipient_id in dpos.get(detainee.organisation_id, []):
                yield ctx.draft(
                    kind=code,
                    obj=detainee,
                    due_on=due_on + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=_("Een dossier heeft de bewaartermijn bereikt en kan geanonimiseerd worden."),
                    link="",
                )


def _retention_still_due(reminders) -> set[int]:
    from casework.models import Detainee

    due = set(
        Detainee.objects.filter(
            pk__in={r.object_id for r in reminders}, legal_hold=False, retention_record__isnull=True
        ).values_list("pk", flat=True)
    )
    return {r.pk for r in reminders if r.object_id in due}


register(
    ReminderKind(
        code="retention_due",
        label=_("Bewaartermijn bereikt (DPO)"),
        default_offsets=(0,),
        mail_mandatory=True,
        plan=_plan_retention,
        still_applies=_retention_still_due,
    )
)


# --- Referrals to partners (ADR 0034) -------------------------------------------------------------------------------


def referrals_still_visible(user, object_ids: set[int]) -> set[int]:
    """The referrals `user` may still open: a partner loses them the moment his organisation's consent with purpose
    referral is withdrawn (the notification centre then drops the link)."""
    from .models_partners import PartnerReferral

    return set(PartnerReferral.objects.visible_to(user).filter(pk__in=object_ids).values_list("pk", flat=True))


def _referral_still_visible(reminders) -> set[int]:
    """One query for the batch: the recipient still sees the referral (a partner: his organisation's, while the
    consent with purpose referral and scope identity is in force; case staff: a file of their organisation)."""
    from django.db.models import Q

    from .models_partners import PartnerReferral, referral_consent_exists

    pairs = {(r.object_id, r.recipient_id) for r in reminders}
    rows = (
        PartnerReferral.objects.filter(pk__in={r.object_id for r in reminders})
        .annotate(consented=referral_consent_exists())
        .values_list("pk", "organisation_id", "detainee__organisation_id", "consented")
    )
    referrals = {pk: (org, file_org, consented) for pk, org, file_org, consented in rows}
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in={r.recipient_id for r in reminders}, is_active=True)
        .filter(Q(role=User.Role.PARTNER) | Q(role__in=(User.Role.CONSULTANT, User.Role.MANAGER)))
        .only("pk", "role", "organisation_id")
    }
    keep = set()
    for reminder in reminders:
        referral, user = referrals.get(reminder.object_id), users.get(reminder.recipient_id)
        if referral is None or user is None or (reminder.object_id, reminder.recipient_id) not in pairs:
            continue
        organisation_id, file_organisation_id, consented = referral
        if user.role == User.Role.PARTNER:
            if user.organisation_id == organisation_id and consented:
                keep.add(reminder.pk)
        elif user.organisation_id == file_organisation_id:
            keep.add(reminder.pk)
    return keep


# Queued by the referral services (events: a new referral for the partner, an answer or a closure for the
# consultant who referred).
register(
    ReminderKind(
        code="partner_referral",
        label=_("Doorverwijzing naar een partner"),
        default_offsets=(0,),
        plan=lambda ctx: iter(()),
        still_applies=_referral_still_visible,
    )
)
