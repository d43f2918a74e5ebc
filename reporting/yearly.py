"""Yearly figures, what parliament asks (DESIGN §8): aggregated in SQL, suppressed when they leave the team.

Definitions (also printed under the tables and in docs/adr/0008):
- started in year Y: trajectories referred in Y (the referral opens a trajectory);
- declined: of those, the ones whose status is `declined`;
- success: of those, the ones that reached `active` with at least one goal agreed with the detainee
  (`TrajectoryQuerySet.with_success`, the government's indicator);
- aftercare uptake in Y: trajectories that entered `aftercare` in Y (status history);
- aftercare completed in Y: trajectories closed in Y with reason `aftercare_ended`;
- per prison: the prison where the detainee was placed on the referral date (placement history);
- per listing category: the OCAD listing in force on the referral date (newest one if several).

Small cells: 1 to 4 become "<5" in every copy that leaves the team (CSV, XLSX, PDF, API); a share whose
numerator or denominator is suppressed is suppressed too, so it cannot be used to recompute the cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from casework.models import Listing, Placement
from trajectories.models import Status, Trajectory, TrajectoryStatusChange

SMALL_CELL = 5
SUPPRESSED = "<5"
YEARS = 5
FIRST_YEAR = 2000
UNKNOWN = "—"


def suppress(value: int) -> int | str:
    """A count as it may leave the team: 1-4 become "<5" (0 stays 0: nobody can be singled out of nothing)."""
    return SUPPRESSED if 0 < value < SMALL_CELL else value


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def suppressed_percent(part: int, whole: int) -> int | str | None:
    if suppress(part) == SUPPRESSED or suppress(whole) == SUPPRESSED:
        return SUPPRESSED
    return percent(part, whole)


@dataclass
class Row:
    label: str
    started: int = 0
    declined: int = 0
    successes: int = 0
    aftercare_started: int | None = None
    aftercare_completed: int | None = None

    @property
    def success_percent(self) -> int | None:
        return percent(self.successes, self.started)

    def cells(self, *, suppressed: bool) -> list:
        """The row's values in column order; with `suppressed`, as they may leave the team."""
        counts = [self.started, self.declined, self.successes]
        share = suppressed_percent(self.successes, self.started) if suppressed else self.success_percent
        values = [suppress(v) if suppressed else v for v in counts] + [share]
        if self.aftercare_started is not None:
            values += [suppress(v) if suppressed else v for v in (self.aftercare_started, self.aftercare_completed)]
        return [self.label, *values]


@dataclass
class YearlyReport:
    year: int
    organisation: str
    generated_at: dt.datetime
    by_year: list[Row] = field(default_factory=list)
    by_prison: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[str, list[str], list[Row]]]:
        base = [_("Gestart"), _("Geweigerd"), _("Succes"), _("Succes %")]
        return [
            (_("Trajecten per jaar (laatste vijf jaar)"), [_("Jaar"), *base, _("Nazorg gestart"), _("Nazorg voltooid")],
             self.by_year),
            (_("Trajecten gestart in %(year)s per gevangenis") % {"year": self.year}, [_("Gevangenis"), *base],
             self.by_prison),
            (_("Trajecten gestart in %(year)s per OCAD-categorie") % {"year": self.year}, [_("Categorie"), *base],
             self.by_category),
        ]


def parse_year(value, today: dt.date | None = None) -> int:
    """The requested year, or last year by default; ValueError for anything outside FIRST_YEAR..this year."""
    today = today or timezone.localdate()
    if value in (None, ""):
        return today.year - 1
    year = int(value)
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(year)
    return year


def _started(user: User):
    """Trajectories visible to `user`, with the success flags of the government's indicator."""
    return Trajectory.objects.visible_to(user).with_success()


def _counts(qs, group: str) -> dict:
    """{group value: (started, declined, successes)} in one query."""
    rows = qs.values(group).annotate(
        started=Count("pk"),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        successes=Count("pk", filter=Q(reached_active=True, has_agreed_goal=True)),
    ).order_by()
    return {row[group]: (row["started"], row["declined"], row["successes"]) for row in rows}


def yearly_report(user: User, year: int) -> YearlyReport:
    """Every table of the yearly report for `user`'s organisation. 5 queries, whatever the data size; none while
    the organisation's report for that year is cached (`selectors.cached`)."""
    from .selectors import cached

    return cached(f"reporting:yearly:{user.organisation_id}:{year}:{timezone.localdate().isoformat()}",
                  lambda: _yearly_report(user, year))


def _yearly_report(user: User, year: int) -> YearlyReport:
    years = list(range(year - YEARS + 1, year + 1))
    visible = Trajectory.objects.visible_to(user)
    # 1. started / declined / successes per referral year
    per_year = _counts(_started(user).filter(referred_on__year__in=years).annotate(y=ExtractYear("referred_on")), "y")
    # 2. aftercare uptake per year (status history)
    uptake = dict(
        TrajectoryStatusChange.objects.filter(trajectory__in=visible.values("pk"), to_status=Status.AFTERCARE,
                                              changed_at__year__in=years)
        .annotate(y=ExtractYear("changed_at")).values("y").annotate(n=Count("trajectory_id", distinct=True))
        .values_list("y", "n").order_by()
    )
    # 3. aftercare completed per year
    completed = dict(
        visible.filter(status=Status.CLOSED, closure_reason=Trajectory.ClosureReason.AFTERCARE_ENDED, closed_on__year__in=years)
        .annotate(y=ExtractYear("closed_on")).values("y").annotate(n=Count("pk")).values_list("y", "n").order_by()
    )
    report = YearlyReport(year=year, organisation=str(user.organisation or ""), generated_at=timezone.localtime())
    for y in years:
        started, declined, successes = per_year.get(y, (0, 0, 0))
        report.by_year.append(Row(str(y), started, declined, successes, uptake.get(y, 0), completed.get(y, 0)))

    in_year = _started(user).filter(referred_on__year=year)
    placement = Placement.objects.filter(
        detainee=OuterRef("detainee_id"), from_date__lte=OuterRef("referred_on")
    ).filter(Q(to_date__isnull=True) | Q(to_date__gte=OuterRef("referred_on"))).order_by("-from_date", "-pk")
    # 4. per prison at referral
    per_prison = _counts(in_year.annotate(prison=Subquery(placement.values("prison__name")[:1])), "prison")
    report.by_prison = sorted(
        (Row(name or UNKNOWN, *values) for name, values in per_prison.items()), key=lambda r: (r.label == UNKNOWN, r.label)
    )
    listing = Listing.objects.filter(
        detainee=OuterRef("detainee_id"), listed_on__lte=OuterRef("referred_on")
    ).filter(Q(delisted_on__isnull=True) | Q(delisted_on__gt=OuterRef("referred_on"))).order_by("-listed_on", "-pk")
    # 5. per listing category at referral
    per_category = _counts(in_year.annotate(category=Subquery(listing.values("category")[:1])), "category")
    labels = dict(Listing.Category.choices)
    report.by_category = sorted(
        (Row(str(labels.get(code, UNKNOWN)) if code else UNKNOWN, *values) for code, values in per_category.items()),
        key=lambda r: (r.label == UNKNOWN, r.label),
    )
    for table in (report.by_prison, report.by_category):
        if table:
            table.append(_total(table))
    return report


def _total(rows: list[Row]) -> Row:
    return Row(_("Totaal"), sum(r.started for r in rows), sum(r.declined for r in rows), sum(r.successes for r in rows))


def as_dict(report: YearlyReport) -> dict:
    """The suppressed report as plain data, for the API."""
    def rows(items):
        out = []
        for row in items:
            cells = row.cells(suppressed=True)
            entry = {"label": cells[0], "started": cells[1], "declined": cells[2], "successes": cells[3], "success_percent": cells[4]}
            if len(cells) > 5:
                entry.update(aftercare_started=cells[5], aftercare_completed=cells[6])
            out.append(entry)
        return out

    return {
        "year": report.year,
        "organisation": report.organisation,
        "small_cells": f"1-{SMALL_CELL - 1} → \"{SUPPRESSED}\"",
        "by_year": rows(report.by_year),
        "by_prison": rows(report.by_prison),
        "by_category": rows(report.by_category),
    }
