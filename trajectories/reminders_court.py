"""Reminder kind of the court's conditions, registered with the one engine (docs/design.md §5, ADR 0042).

- court_report_due   lead consultant, 7 days before and on the day a report on a condition of the sentence
                     enforcement court is due to the justice house or Ceapire (a deadline recorded already due:
                     at once, by services/court.py, keyed like the planner's reminder of the day itself)

Loaded by `trajectories/reminders.py`, which the notifications app imports at start-up.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from notifications.registry import PlanContext, ReminderKind, register

from .models import Status
from .models_court import ReportingDeadline

CODE = "court_report_due"


def _conditions_link(trajectory_id: int) -> str:
    from django.urls import reverse

    return reverse("trajectories:court_conditions", args=[trajectory_id])


def _plan_court_reports(ctx: PlanContext):
    for offset, days in ctx.reference_days(CODE).items():
        rows = (
            ReportingDeadline.objects.planned()
            .filter(due_on__in=days, condition__release__trajectory__status=Status.AFTERCARE)
            .select_related("recipient_organisation", "condition__release__trajectory__detainee")
            .only(
                "pk",
                "due_on",
                "recipient_organisation__name",
                "condition__release__trajectory_id",
                "condition__release__trajectory__lead_consultant_id",
                "condition__release__trajectory__detainee__organisation_id",
                "condition__release__trajectory__detainee__lead_consultant_id",
            )
        )
        for deadline in rows:
            trajectory = deadline.condition.release.trajectory
            if offset not in ctx.offsets(CODE, trajectory.detainee.organisation_id):
                continue
            recipient_id = trajectory.lead_consultant_id or trajectory.detainee.lead_consultant_id
            if not recipient_id:
                continue
            if offset < 0:
                text = _(
                    "Over %(days)s dagen (%(day)s) verwacht %(org)s een verslag over een voorwaarde van de "
                    "strafuitvoeringsrechtbank."
                )
            else:
                text = _(
                    "Vandaag (%(day)s) verwacht %(org)s een verslag over een voorwaarde van de "
                    "strafuitvoeringsrechtbank."
                )
            yield ctx.draft(
                kind=CODE,
                obj=deadline,
                due_on=deadline.due_on + dt.timedelta(days=offset),
                recipient_id=recipient_id,
                text=text,
                text_params={
                    "days": abs(offset),
                    "day": local_date(deadline.due_on),
                    "org": deadline.recipient_organisation.name,
                },
                link=_conditions_link(trajectory.pk),
            )


def _deadline_still_open(reminders) -> set[int]:
    """Still to report (not reported, not cancelled) and the trajectory still in aftercare: one query per batch."""
    ids = set(
        ReportingDeadline.objects.planned()
        .filter(pk__in={r.object_id for r in reminders}, condition__release__trajectory__status=Status.AFTERCARE)
        .values_list("pk", flat=True)
    )
    return {r.pk for r in reminders if r.object_id in ids}


register(
    ReminderKind(
        code=CODE,
        label=_("Verslag voor de toezichthouder (voorwaarden rechtbank)"),
        default_offsets=(-7, 0),
        offsets_help="days relative to the reporting deadline (negative: before)",
        plan=_plan_court_reports,
        still_applies=_deadline_still_open,
    )
)
