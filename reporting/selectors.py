"""The figures of the manager dashboard (docs/design.md §8), each aggregated in SQL in one query.

Every function starts from a `visible_to(user)` queryset, so a manager only ever counts his own
organisation's files. The number of queries is fixed whatever the data size (asserted in tests):
one per figure, noted on each function.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, Func, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.display import person_name
from accounts.models import User
from casework.models import Consent, LifeDomain, Session
from config.db_router import primary_reads
from trajectories.models import OPEN_STATUSES, Action, Goal, Status, Trajectory

SOON_DAYS = 30
CASELOAD_STATUSES = (Status.REFERRED, Status.INTAKE, Status.ACTIVE, Status.AFTERCARE)
UNDECIDED = (Status.REFERRED, Status.INTAKE)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_starts(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first day of the last `count` months, oldest first, ending with the current month."""
    first = today.replace(day=1)
    return [add_months(first, -offset) for offset in range(count - 1, -1, -1)]


def days_since(field: str, today: dt.date) -> Func:
    """`today - field` in whole days, computed by PostgreSQL (date minus date is an integer)."""
    return Func(Value(today), F(field), arg_joiner=" - ", template="(%(expressions)s)", output_field=IntegerField())


def share(part: int, whole: int) -> int | None:
    """A whole percentage, or None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None


# --- Caseload ------------------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    consultant_id: int | None
    name: str
    referred: int
    intake: int
    active: int
    aftercare: int

    @property
    def total(self) -> int:
        return self.referred + self.intake + self.active + self.aftercare

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(status, getattr(self, status)) for status in CASELOAD_STATUSES]


def caseload_per_consultant(user: User) -> list[CaseloadRow]:
    """Open trajectories per lead consultant and status; every active consultant, also with none. 1 query."""
    # Visibility as in `Trajectory.visible_to`: the file belongs to the manager's organisation.
    consultants = (
        User.objects.filter(organisation_id=user.organisation_id, role=User.Role.CONSULTANT, is_active=True)  # type: ignore[misc]  # None reads as IS NULL in Django; django-stubs refuses it
        .annotate(
            **{
                status: Count(
                    "lead_trajectories",
                    filter=Q(
                        lead_trajectories__status=status,
                        lead_trajectories__detainee__organisation_id=user.organisation_id,
                    ),
                )
                for status in CASELOAD_STATUSES
            }
        )
        .order_by("last_name", "first_name", "pk")
    )
    return [
        # The counts are annotated under computed names (one per status), which django-stubs cannot follow.
        CaseloadRow(c.pk, person_name(c), c.referred, c.intake, c.active, c.aftercare)  # type: ignore[attr-defined]
        for c in consultants
    ]


# --- Trajectory counts ------------------------------------------------------------------------------------


@dataclass
class TrajectoryFigures:
    waiting: int
    waiting_unassigned: int
    waiting_avg_days: int | None
    waiting_max_days: int | None
    active: int
    aftercare_ending: int
    open_unassigned: dict[str, int]
    consent: dict[str, int | None]
    success: dict[str, int | None]


def aftercare_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Aftercare end dates that fall within the next 30 days (today included)."""
    return today, today + dt.timedelta(days=SOON_DAYS)


def success_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The referral dates the dashboard's success indicator looks at: the last 12 months."""
    return add_months(today, -12), today


def trajectory_figures(user: User, today: dt.date) -> TrajectoryFigures:
    """Every figure counted over the organisation's trajectories, in 1 query:

    - waiting referrals, how many unassigned, average and longest days waiting;
    - active trajectories; aftercare ending within 30 days; unassigned open trajectories per status;
    - consent coverage: of the files with an open trajectory (at most one per file), those with an active
      consent for at least one partner;
    - success indicator: trajectories referred in the last 12 months and past intake, and how many of them
      reached `active` with a goal agreed with the detainee (`TrajectoryQuerySet.with_success`).
    """
    waiting = Q(status=Status.REFERRED)
    is_open = Q(status__in=OPEN_STATUSES)
    decided = Q(referred_on__range=success_window(today)) & ~Q(status__in=UNDECIDED)
    active_consent = Exists(Consent.objects.active().filter(detainee=OuterRef("detainee_id")))
    # The consent coverage is counted on the primary: a lagging replica could still count a withdrawn consent.
    with primary_reads():
        row = (
            Trajectory.objects.visible_to(user)
            .with_success()
            .annotate(waited=days_since("referred_on", today), has_consent=active_consent)
            .aggregate(
                waiting=Count("pk", filter=waiting),
                waiting_unassigned=Count("pk", filter=waiting & Q(lead_consultant__isnull=True)),
                waiting_days=Sum("waited", filter=waiting),
                waiting_max=Max("waited", filter=waiting),
                active=Count("pk", filter=Q(status=Status.ACTIVE)),
                aftercare_ending=Count(
                    "pk", filter=Q(status=Status.AFTERCARE, release__aftercare_ends_on__range=aftercare_window(today))
                ),
                files=Count("pk", filter=is_open),
                with_consent=Count("pk", filter=is_open & Q(has_consent=True)),
                decided=Count("pk", filter=decided),
                successes=Count("pk", filter=decided & Q(reached_active=True, has_agreed_goal=True)),
                **{
                    f"unassigned_{s}": Count("pk", filter=Q(status=s, lead_consultant__isnull=True))
                    for s in CASELOAD_STATUSES
                },
            )
        )
    return TrajectoryFigures(
        waiting=row["waiting"],
        waiting_unassigned=row["waiting_unassigned"],
        waiting_avg_days=round(row["waiting_days"] / row["waiting"]) if row["waiting"] else None,
        waiting_max_days=row["waiting_max"],
        active=row["active"],
        aftercare_ending=row["aftercare_ending"],
        open_unassigned={s: row[f"unassigned_{s}"] for s in CASELOAD_STATUSES},
        consent={
            "files": row["files"],
            "with_consent": row["with_consent"],
            "percent": share(row["with_consent"], row["files"]),
        },
        success={
            "decided": row["decided"],
            "successes": row["successes"],
            "percent": share(row["successes"], row["decided"]),
        },
    )


# --- Sessions ------------------------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: dt.date
    attended: int
    not_attended: int

    @property
    def total(self) -> int:
        return self.attended + self.not_attended


def sessions_by_month(user: User, today: dt.date) -> tuple[list[MonthRow], dict[str, int]]:
    """Sessions per month for the last 12 months (attended or not) and the attendance mix over them. 1 query."""
    months = month_starts(today)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    rows = (
        Session.objects.visible_to(user)
        .filter(started_at__gte=since)
        .annotate(month=TruncMonth("started_at"))
        .values("month", "attendance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_month = {m: MonthRow(m, 0, 0) for m in months}
    mix = {value: 0 for value in Session.Attendance.values}
    for row in rows:
        month = timezone.localtime(row["month"]).date() if isinstance(row["month"], dt.datetime) else row["month"]
        if month not in by_month:  # sessions logged ahead of today fall outside the 12 months
            continue
        target = by_month[month]
        if row["attendance"] == Session.Attendance.ATTENDED:
            target.attended += row["n"]
        else:
            target.not_attended += row["n"]
        mix[row["attendance"]] += row["n"]
    return list(by_month.values()), mix


# --- Actions, domains, consent, success --------------------------------------------------------------------------


def overdue_actions(user: User, today: dt.date) -> dict[str, Any]:
    """Open actions past their due date: how many and the oldest due date. 1 query."""
    return Action.objects.visible_to(user).overdue(today).aggregate(count=Count("pk"), oldest=Min("due_on"))


@dataclass
class DomainRow:
    code: str
    name: str
    required: bool
    covered: int
    active: int

    @property
    def percent(self) -> int | None:
        return share(self.covered, self.active)

    @property
    def uncovered(self) -> int:
        return self.active - self.covered


def domain_coverage(user: User, active: int) -> list[DomainRow]:
    """Share of active trajectories with at least one goal per life domain. 1 query (domains with a count each)."""
    active_ids = Trajectory.objects.visible_to(user).filter(status=Status.ACTIVE).values("pk")
    covered = (
        Goal.objects.filter(domain=OuterRef("pk"), trajectory__in=active_ids)
        .order_by()
        .values("domain")
        .annotate(n=Count("trajectory_id", distinct=True))
        .values("n")
    )
    domains = LifeDomain.objects.annotate(covered=Coalesce(Subquery(covered, output_field=IntegerField()), 0))
    return [DomainRow(d.code, d.label, d.required, d.covered, active) for d in domains]


def cache_seconds() -> int:
    """How long computed figures are reused (settings.REPORTING_CACHE_SECONDS, default 5 minutes; 0 = never)."""
    return int(getattr(settings, "REPORTING_CACHE_SECONDS", 300))


T = TypeVar("T")


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per `cache_seconds()`, shared by the managers of one organisation. Only for figures that
    no consent and no access rule changes: see `manager_dashboard` for which."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def manager_dashboard(user: User, today: dt.date | None = None) -> dict[str, object]:
    """Every figure of the manager dashboard. 6 queries (noted per function), whatever the data size; 5 while the
    organisation's sessions per month are cached.

    Only the sessions per month (the costliest figure at national scale: a year of an organisation's sessions)
    are cached, for `cache_seconds()`: counts of the organisation's own contact moments, which a manager counts
    whatever the consents, per month and attendance, naming nobody. Everything else is computed on every visit,
    above all the consent coverage: a withdrawn consent leaves the figure at once (ADR 0033), never after the
    cache's five minutes; so do the caseload, the overdue actions, the life-domain coverage and the conferences,
    which follow a file's trajectory and consent.
    """
    today = today or timezone.localdate()
    figures = trajectory_figures(user, today)
    months, mix = cached(
        f"reporting:manager:sessions:{user.organisation_id}:{today.isoformat()}", lambda: sessions_by_month(user, today)
    )
    return {
        "today": today,
        "computed_at": timezone.localtime(),
        "caseload": caseload_per_consultant(user),
        "trajectories": figures,
        "months": months,
        "attendance_mix": mix,
        "overdue": overdue_actions(user, today),
        "domains": domain_coverage(user, figures.active),
        "consent": figures.consent,
        "success": figures.success,
        "conferences": conference_figures(user, today),
    }


def conference_figures(user: User, today: dt.date) -> dict[str, Any]:
    """Conferences in the next 30 days and held ones without approved minutes. 1 query."""
    from . import conferences

    return conferences.manager_figures(user, today)
