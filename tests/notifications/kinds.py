"""A reminder kind used only by the engine's tests: "leave date coming up" on a detainee file.

It exercises everything a real kind does (offsets per organisation, planning window, batch
still-applies check) without depending on other apps' models.
"""

from casework.models import Detainee
from notifications.registry import PlanContext, ReminderKind, register, unregister

CODE = "test_leave_date"


def plan(ctx: PlanContext):
    for offset, days in ctx.reference_days(CODE).items():
        rows = Detainee.objects.filter(leave_eligible_on__in=days, in_scope=True, lead_consultant__isnull=False)
        for detainee in rows.only("id", "organisation_id", "lead_consultant_id", "leave_eligible_on"):
            if offset not in ctx.offsets(CODE, detainee.organisation_id):
                continue
            yield ctx.draft(
                kind=CODE,
                obj=detainee,
                due_on=detainee.leave_eligible_on + _days(offset),
                recipient_id=detainee.lead_consultant_id,
                text="Verlofdatum nadert voor een dossier.",
                link=f"/dossiers/{detainee.pk}/",
            )


def _days(n):
    import datetime as dt

    return dt.timedelta(days=n)


def still_applies(reminders):
    ids = {r.object_id for r in reminders}
    in_scope = set(Detainee.objects.filter(pk__in=ids, in_scope=True).values_list("pk", flat=True))
    return {r.pk for r in reminders if r.object_id in in_scope}


KIND = ReminderKind(
    code=CODE, label="Verlofdatum nadert", plan=plan, still_applies=still_applies, default_offsets=(-7, -1)
)


def install():
    register(KIND)


def uninstall():
    unregister(CODE)
