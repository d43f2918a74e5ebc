"""The yearly figures counted: every cell of the release named `(measure, year, dims)`, counted in SQL and
protected as one release by `reporting.sdc`; each cell's list of trajectories stays inside the team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from casework.models import Detainee, Listing, Placement, Prison, Session
from trajectories.models import Goal, Status, Trajectory, TrajectoryStatusChange
from trajectories.models_release import FollowUp, Known, Release

from .. import sdc

SMALL_CELL = sdc.SMALL_CELL
SUPPRESSED = "<5"
COMPLEMENTARY = "x"
NOT_PUBLISHED = "n.b."


def shown(value):
    """A cell's value as a reader sees it: the not-published marker in the reader's language ("n.b." stays the
    code in the API), every other value as it is."""
    # Translators: abbreviation of "not published" (a percentage whose counts are hidden); keep it short.
    return _("n.b.") if value == NOT_PUBLISHED else value


YEARS = 5
FIRST_YEAR = 2000
UNKNOWN = "unknown"
UNKNOWN_LABEL = "—"

STARTED, DECLINED, SUCCESSES, AFTERCARE, CLOSED, GOALS = (
    "started",
    "declined",
    "successes",
    "aftercare_started",
    "closed",
    "goals",
)
SESSIONS, REACHED, MODULE_SESSIONS, MODULE_REACHED = "sessions", "reached", "module_sessions", "module_reached"
IN_SCOPE, WITHOUT_TRAJECTORY, OUTREACH = "in_scope", "without_trajectory", "outreach"
# People reached per prison or per module overlap (a transfer, a session on two modules): no sums for these.
NON_ADDITIVE = frozenset({REACHED, MODULE_SESSIONS, MODULE_REACHED})
# Re-incarceration after release (docs/adr/0043): per window, the releases whose window ended in the year, split
# into three disjoint parts that add up to them.
RELEASED_12, RELEASED_24 = "released_12m", "released_24m"
WINDOWS = {RELEASED_12: 12, RELEASED_24: 24}
REINCARCERATED, NOT_REINCARCERATED, NO_INFORMATION = "reincarcerated", "not_reincarcerated", "no_information"
RETURN_OUTCOMES = (REINCARCERATED, NOT_REINCARCERATED, NO_INFORMATION)
# Goal outcomes in the order of the table; `open` is a goal still proposed or agreed when the trajectory closed.
OUTCOMES = {
    "achieved": [Goal.GoalStatus.ACHIEVED],
    "partly_achieved": [Goal.GoalStatus.PARTLY_ACHIEVED],
    "not_achieved": [Goal.GoalStatus.NOT_ACHIEVED],
    "dropped": [Goal.GoalStatus.DROPPED],
    "open": [Goal.GoalStatus.PROPOSED, Goal.GoalStatus.AGREED],
}


def key(measure: str, year: int, **dims) -> tuple:
    return (measure, year, tuple(sorted(dims.items())))


@dataclass
class Figures:
    """The release as numbers, language-free (cached): every cell's value and which cells are hidden."""

    year: int
    organisation: str
    generated_at: dt.datetime
    years: list[int]
    values: dict = field(default_factory=dict)
    hidden: dict = field(default_factory=dict)
    prisons: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of the prison tables' rows
    categories: list[str] = field(default_factory=list)
    domains: list[tuple[str, str]] = field(default_factory=list)
    reach_prisons: list[tuple[str, str]] = field(default_factory=list)
    modules: list[tuple[str, str]] = field(default_factory=list)

    def published(self, cell_key) -> int | str:
        """A count as it leaves the team."""
        if cell_key not in self.hidden:
            return self.values.get(cell_key, 0)
        return SUPPRESSED if self.hidden[cell_key] == sdc.PRIMARY else COMPLEMENTARY

    def share(self, part, whole) -> int | str | None:
        """A percentage as it leaves the team: "n.b." when either count is hidden, None without a whole."""
        if part in self.hidden or whole in self.hidden:
            return NOT_PUBLISHED
        whole_value = self.values.get(whole, 0)
        return round(100 * self.values.get(part, 0) / whole_value) if whole_value else None


def parse_year(value, today: dt.date | None = None) -> int:
    """The requested year, or last year by default; ValueError for anything outside FIRST_YEAR..this year."""
    today = today or timezone.localdate()
    if value in (None, ""):
        return today.year - 1
    year = int(value)
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(year)
    return year


# ------------------------------------------------------------------------------------------------------------
# Reading: one query per family of cells, and the same filters for the team's lists behind the cells.


def _placement_at_referral():
    return (
        Placement.objects.filter(detainee=OuterRef("detainee_id"), from_date__lte=OuterRef("referred_on"))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=OuterRef("referred_on")))
        .order_by("-from_date", "-pk")
    )


def _listing_at_referral():
    return (
        Listing.objects.filter(detainee=OuterRef("detainee_id"), listed_on__lte=OuterRef("referred_on"))
        .filter(Q(delisted_on__isnull=True) | Q(delisted_on__gt=OuterRef("referred_on")))
        .order_by("-listed_on", "-pk")
    )


def _started(user: User, years) -> QuerySet:
    """Trajectories referred in `years`, visible to `user`, with the success flags of the government's indicator."""
    return (
        Trajectory.objects.visible_to(user)
        .with_success()
        .filter(referred_on__year__in=years)
        .annotate(y=ExtractYear("referred_on"))
    )


def _with_prison(qs):
    return qs.annotate(prison=Subquery(_placement_at_referral().values("prison__code")[:1]))


def _with_category(qs):
    return qs.annotate(category=Subquery(_listing_at_referral().values("category")[:1]))


SUCCESS = Q(reached_active=True, has_agreed_goal=True)


def _counts(qs, *group: str) -> list[dict]:
    return list(
        qs.values(*group)
        .annotate(
            started=Count("pk"),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            successes=Count("pk", filter=SUCCESS),
        )
        .order_by()
    )


def _closed(user: User, years) -> QuerySet:
    return Trajectory.objects.visible_to(user).filter(status=Status.CLOSED, closed_on__year__in=years)


def yearly_report(user: User, year: int) -> Figures:
    """The protected release of `user`'s organisation for `year`. 12 queries, whatever the data size; none while
    the organisation's report for that year is cached (`selectors.cached`)."""
    from ..selectors import cached

    return cached(
        f"reporting:yearly:v3:{user.organisation_id}:{year}:{timezone.localdate().isoformat()}",
        lambda: _yearly_report(user, year),
    )


def _yearly_report(user: User, year: int) -> Figures:
    years = list(range(year - YEARS + 1, year + 1))
    fig = Figures(year=year, organisation=str(user.organisation or ""), generated_at=timezone.localtime(), years=years)
    values = fig.values
    for y in years:
        for measure in (STARTED, DECLINED, SUCCESSES, AFTERCARE):
            values[key(measure, y)] = 0
        values[key(CLOSED, y, reason=Trajectory.ClosureReason.AFTERCARE_ENDED)] = 0

    prison_codes = _referral_figures(fig, user, year)
    reach_codes = _session_figures(fig, user, year)
    # 5. people reached, and the files in scope without a trajectory in the year (outreach)
    values.update(_outreach(user, year))
    _prison_names(fig, prison_codes, reach_codes)
    _started_by_guidance_and_gender(fig, user, year)
    _aftercare_and_closure_figures(fig, user, year)
    _goal_figures(fig, user, year)
    # 11. re-incarceration within 12 and 24 months of release
    values.update(_reincarceration(user, year))

    fig.hidden = sdc.protect(values, relations(values), NON_ADDITIVE)
    return fig


def _referral_figures(fig: Figures, user: User, year: int) -> list[str]:
    """Steps 1–2: started, declined, successful per referral year, by prison and OCAD category; the prisons met."""
    values, years = fig.values, fig.years
    # 1. started / declined / successes per referral year × prison at referral
    per_prison = _counts(_with_prison(_started(user, years)), "y", "prison")
    # 2. the same per referral year × OCAD category at referral
    per_category = _counts(_with_category(_started(user, years)), "y", "category")
    prison_codes = sorted({row["prison"] or UNKNOWN for row in per_prison})
    category_codes = {row["category"] or UNKNOWN for row in per_category}
    fig.categories = [c for c in [*Listing.Category.values, UNKNOWN] if c in category_codes]
    for y in years:
        for code in prison_codes:
            for measure in (STARTED, DECLINED, SUCCESSES) if y == year else (STARTED,):
                values[key(measure, y, prison=code)] = 0
        for code in fig.categories:
            for measure in (STARTED, DECLINED, SUCCESSES) if y == year else (STARTED,):
                values[key(measure, y, category=code)] = 0
    for rows, dim in ((per_prison, "prison"), (per_category, "category")):
        for row in rows:
            member = row[dim] or UNKNOWN
            for measure in (STARTED, DECLINED, SUCCESSES):
                if dim == "prison":
                    values[key(measure, row["y"])] += row[measure]
                if row["y"] == year or measure == STARTED:
                    values[key(measure, row["y"], **{dim: member})] = row[measure]
    return prison_codes


def _session_figures(fig: Figures, user: User, year: int) -> list[str]:
    """Steps 3–4: attended sessions and people reached in the year, by prison of the day and module; the prisons met."""
    values = fig.values
    # 3. attended sessions in the year per prison of the placement on the session's day: sessions, people
    attended = _attended(user, year)
    reach = (
        attended.annotate(day=TruncDate("started_at"))
        .annotate(prison=Subquery(_placement_on_session_day().values("prison__code")[:1]))
        .values("prison")
        .annotate(n=Count("pk"), people=Count("detainee_id", distinct=True))
        .order_by()
    )
    values[key(SESSIONS, year)] = 0
    reach_codes = []
    for row in reach:
        code = row["prison"] or UNKNOWN
        reach_codes.append(code)
        values[key(SESSIONS, year, prison=code)] = row["n"]
        values[key(REACHED, year, prison=code)] = row["people"]
        values[key(SESSIONS, year)] += row["n"]
    # 4. the same per intervention module (a session may carry several)
    per_module = (
        Session.modules.through.objects.filter(session__in=attended.values("pk"))
        .values("interventionmodule__code", "interventionmodule__name", "interventionmodule__order")
        .annotate(n=Count("session_id"), people=Count("session__detainee_id", distinct=True))
        .order_by()
    )
    modules = []
    for row in per_module:
        code = row["interventionmodule__code"]
        modules.append((row["interventionmodule__order"], row["interventionmodule__name"], code))
        values[key(MODULE_SESSIONS, year, module=code)] = row["n"]
        values[key(MODULE_REACHED, year, module=code)] = row["people"]
    fig.modules = [(code, name) for _order, name, code in sorted(modules)]
    return reach_codes


def _prison_names(fig: Figures, prison_codes: list[str], reach_codes: list[str]) -> None:
    """Step 6: the prisons' names (reference data)."""
    names = dict(Prison.objects.filter(code__in={*prison_codes, *reach_codes}).values_list("code", "name"))
    fig.prisons, fig.reach_prisons = (
        sorted(((c, names.get(c, UNKNOWN_LABEL)) for c in codes), key=lambda p: (p[0] == UNKNOWN, p[1]))
        for codes in (prison_codes, reach_codes)
    )


def _started_by_guidance_and_gender(fig: Figures, user: User, year: int) -> None:
    """Step 7: the trajectories started in the year by guidance type and by the detainee's gender."""
    values = fig.values
    values.update({key(STARTED, year, guidance=code): 0 for code in Trajectory.GuidanceType.values})
    values.update({key(STARTED, year, gender=code): 0 for code in Detainee.Gender.values})
    guidance = (
        Trajectory.objects.visible_to(user)
        .filter(referred_on__year=year)
        .values("guidance_type", "detainee__gender")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in guidance:
        values[key(STARTED, year, guidance=row["guidance_type"])] += row["n"]
        values[key(STARTED, year, gender=row["detainee__gender"] or Detainee.Gender.UNKNOWN)] += row["n"]


def _aftercare_and_closure_figures(fig: Figures, user: User, year: int) -> None:
    """Steps 8–9: aftercare uptake per year (status history); closed per year and reason (`aftercare_ended`)."""
    values, years = fig.values, fig.years
    # 8. aftercare uptake per year (status history)
    uptake = (
        TrajectoryStatusChange.objects.filter(
            trajectory__in=Trajectory.objects.visible_to(user).values("pk"),
            to_status=Status.AFTERCARE,
            changed_at__year__in=years,
        )
        .annotate(y=ExtractYear("changed_at"))
        .values("y")
        .annotate(n=Count("trajectory_id", distinct=True))
        .values_list("y", "n")
        .order_by()
    )
    for y, n in uptake:
        values[key(AFTERCARE, y)] = n

    # 9. closed per year × reason (aftercare completed = closed with `aftercare_ended`)
    values[key(CLOSED, year)] = 0
    for code in Trajectory.ClosureReason.values:
        values[key(CLOSED, year, reason=code)] = 0
    closures = (
        _closed(user, years)
        .annotate(y=ExtractYear("closed_on"))
        .values("y", "closure_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in closures:
        reason = row["closure_reason"] or Trajectory.ClosureReason.OTHER
        if row["y"] == year:
            values[key(CLOSED, year)] += row["n"]
            values[key(CLOSED, year, reason=reason)] += row["n"]
        elif reason == Trajectory.ClosureReason.AFTERCARE_ENDED:
            values[key(CLOSED, row["y"], reason=reason)] += row["n"]


def _goal_figures(fig: Figures, user: User, year: int) -> None:
    """Step 10: goals of the trajectories closed in the year, per life domain and outcome."""
    values = fig.values
    goals = (
        Goal.objects.filter(trajectory__in=_closed(user, [year]).values("pk"))
        .values("domain__code", "domain__name", "domain__order", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    outcome_of = {status: outcome for outcome, statuses in OUTCOMES.items() for status in statuses}
    domains = {}
    values[key(GOALS, year)] = 0
    for outcome in OUTCOMES:
        values[key(GOALS, year, outcome=outcome)] = 0
    for row in goals:
        code = row["domain__code"]
        if code not in domains:
            domains[code] = (row["domain__order"], row["domain__name"])
            values[key(GOALS, year, domain=code)] = 0
            for outcome in OUTCOMES:
                values[key(GOALS, year, domain=code, outcome=outcome)] = 0
        outcome = outcome_of.get(row["status"], "open")
        for cell in (
            key(GOALS, year),
            key(GOALS, year, outcome=outcome),
            key(GOALS, year, domain=code),
            key(GOALS, year, domain=code, outcome=outcome),
        ):
            values[cell] += row["n"]
    fig.domains = [(code, name) for code, (_order, name) in sorted(domains.items(), key=lambda d: d[1])]


def _attended(user: User, year: int) -> QuerySet:
    return Session.objects.visible_to(user).filter(attendance=Session.Attendance.ATTENDED, started_at__year=year)


def _placement_on_session_day():
    return (
        Placement.objects.filter(detainee=OuterRef("detainee_id"), from_date__lte=OuterRef("day"))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=OuterRef("day")))
        .order_by("-from_date", "-pk")
    )


def _outreach_filters(user: User, year: int) -> dict:
    """The conditions on a file behind the outreach figures: reached in the year; in scope and detained during
    part of the year; no trajectory open at any time in the year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    reached = Q(Exists(_attended(user, year).filter(detainee=OuterRef("pk"))))
    detained = (Q(incarcerated_on__isnull=True) | Q(incarcerated_on__lte=end)) & (
        Q(released_on__isnull=True) | Q(released_on__gte=start)
    )
    trajectory = Trajectory.objects.filter(detainee=OuterRef("pk"), referred_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    in_scope = Q(in_scope=True) & detained
    without = in_scope & ~Q(Exists(trajectory))
    return {REACHED: reached, IN_SCOPE: in_scope, WITHOUT_TRAJECTORY: without, OUTREACH: without & reached}


def _outreach(user: User, year: int) -> dict:
    counts = Detainee.objects.visible_to(user).aggregate(
        **{
            f"n_{measure}": Count("pk", filter=condition)
            for measure, condition in _outreach_filters(user, year).items()
        }
    )
    return {key(name.removeprefix("n_"), year): n for name, n in counts.items()}


def _window_end(months: int):
    """The last day of the window of `months` after the release (29 Feb + 12 months = 28 Feb)."""
    return Func(
        F("released_on"),
        template=f"((%(expressions)s + interval '{int(months)} months')::date)",
        output_field=DateField(),
    )


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _releases(user: User, year: int) -> QuerySet:
    """The releases behind the re-incarceration figures of `year`, each with, per window, the day it ends, whether a
    new detention is recorded in it (`returned_<m>`) and whether a review held after it says "not detained"
    (`free_<m>`). A penitentiary leave is not a release: the person goes back by design."""
    qs = Release.objects.visible_to(user).exclude(modality=Release.Modality.LEAVE)
    annotations = {}
    for months in WINDOWS.values():
        end = f"end_{months}"
        qs = qs.annotate(**{end: _window_end(months)})
        reviews = FollowUp.objects.filter(
            trajectory__detainee=OuterRef("trajectory__detainee_id"),
            kind=FollowUp.Kind.POST_CLOSURE,
            status=FollowUp.Status.DONE,
        )
        detained = reviews.filter(
            outcome_detention=Known.YES,
            outcome_detained_on__gt=OuterRef("released_on"),
            outcome_detained_on__lte=OuterRef(end),
        )
        placed = Placement.objects.filter(
            detainee=OuterRef("trajectory__detainee_id"),
            from_date__gt=OuterRef("released_on"),
            from_date__lte=OuterRef(end),
        )
        on_file = Q(
            trajectory__detainee__incarcerated_on__gt=F("released_on"),
            trajectory__detainee__incarcerated_on__lte=F(end),
        )
        annotations[f"returned_{months}"] = _flag(Q(Exists(detained)) | Q(Exists(placed)) | on_file)
        annotations[f"free_{months}"] = _flag(
            Exists(reviews.filter(outcome_detention=Known.NO, done_on__gte=OuterRef(end)))
        )
    return qs.annotate(**annotations)


def _cohort(year: int, months: int, today: dt.date | None = None) -> Q:
    """Releases whose window of `months` ended in `year`, and before today: the window has fully elapsed."""
    today = today or timezone.localdate()
    last = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
    return Q(**{f"end_{months}__gte": dt.date(year, 1, 1), f"end_{months}__lte": last})


def _outcome_filter(months: int, outcome: str) -> Q:
    returned, free = Q(**{f"returned_{months}": True}), Q(**{f"free_{months}": True})
    return {REINCARCERATED: returned, NOT_REINCARCERATED: ~returned & free, NO_INFORMATION: ~returned & ~free}[outcome]


def _reincarceration(user: User, year: int) -> dict:
    aggregates = {}
    for months in WINDOWS.values():
        cohort = _cohort(year, months)
        aggregates[f"n{months}"] = Count("pk", filter=cohort)
        for outcome in (REINCARCERATED, NOT_REINCARCERATED):
            aggregates[f"n{months}_{outcome}"] = Count("pk", filter=cohort & _outcome_filter(months, outcome))
    counts = _releases(user, year).aggregate(**aggregates)
    out = {}
    for measure, months in WINDOWS.items():
        out[key(measure, year)] = total = counts[f"n{months}"]
        parts = {o: counts[f"n{months}_{o}"] for o in (REINCARCERATED, NOT_REINCARCERATED)}
        parts[NO_INFORMATION] = total - sum(parts.values())
        for outcome, n in parts.items():
            out[key(measure, year, outcome=outcome)] = n
    return out


def relations(values: dict) -> list[dict]:
    """What anybody reading the tables knows besides the sums, as {cell: coefficient} ≤ 0: declined and
    successful trajectories are disjoint parts of the started ones (a declined trajectory never became active);
    a person reached had a session; people reached in a prison or on a module are among all people reached,
    who are at most the people reached per prison added up; outreach ⊆ without a trajectory ⊆ in scope."""
    out = []
    for measure, y, dims in values:
        cell = (measure, y, dims)
        if measure == STARTED and (DECLINED, y, dims) in values:
            out.append({(DECLINED, y, dims): 1, (SUCCESSES, y, dims): 1, cell: -1})
        elif measure == REACHED:
            out.append({cell: 1, (SESSIONS, y, dims): -1})
            if dims:
                out.append({cell: 1, (REACHED, y, ()): -1})
        elif measure == MODULE_REACHED:
            out.append({cell: 1, (MODULE_SESSIONS, y, dims): -1})
            out.append({cell: 1, (REACHED, y, ()): -1})
        elif measure == MODULE_SESSIONS:
            out.append({cell: 1, (SESSIONS, y, ()): -1})
    for y in {k[1] for k in values if k[0] == REACHED}:
        per_prison = {k: -1 for k in values if k[0] == REACHED and k[1] == y and k[2]}
        if per_prison:
            out.append({(REACHED, y, ()): 1, **per_prison})
        out.append({(OUTREACH, y, ()): 1, (WITHOUT_TRAJECTORY, y, ()): -1})
        out.append({(WITHOUT_TRAJECTORY, y, ()): 1, (IN_SCOPE, y, ()): -1})
        out.append({(OUTREACH, y, ()): 1, (REACHED, y, ()): -1})
    return out


def cell_list(user: User, measure: str, year: int, dims: dict) -> tuple[str, QuerySet]:
    """(kind, rows) behind one cell: sessions, files or trajectories, with the same filters as the count."""
    if measure in (SESSIONS, MODULE_SESSIONS):
        qs = _attended(user, year)
        for dim, member in dims.items():
            if dim == "prison":
                qs = qs.annotate(day=TruncDate("started_at")).annotate(
                    prison=Subquery(_placement_on_session_day().values("prison__code")[:1])
                )
                qs = qs.filter(prison__isnull=True) if member == UNKNOWN else qs.filter(prison=member)
            elif dim == "module" and measure == MODULE_SESSIONS:
                qs = qs.filter(modules__code=member)
            else:
                raise ValueError(dim)
        return "sessions", Session.objects.filter(pk__in=qs.values("pk"))
    if measure in (REACHED, MODULE_REACHED, IN_SCOPE, WITHOUT_TRAJECTORY, OUTREACH):
        kind, sessions = (
            cell_list(user, SESSIONS if measure != MODULE_REACHED else MODULE_SESSIONS, year, dims)
            if measure in (REACHED, MODULE_REACHED) and dims
            else ("", None)
        )
        if sessions is not None:
            return "detainees", Detainee.objects.filter(pk__in=sessions.values("detainee_id"))
        if dims:
            raise ValueError(dims)
        condition = _outreach_filters(user, year)[measure]
        return "detainees", Detainee.objects.visible_to(user).filter(condition)
    if measure in WINDOWS:
        months = WINDOWS[measure]
        releases = _releases(user, year).filter(_cohort(year, months))
        for dim, member in dims.items():
            if dim != "outcome" or member not in RETURN_OUTCOMES:
                raise ValueError(dim)
            releases = releases.filter(_outcome_filter(months, member))
        return "trajectories", Trajectory.objects.filter(pk__in=releases.values("trajectory_id"))
    return "trajectories", trajectories_for(user, measure, year, dims)


def trajectories_for(user: User, measure: str, year: int, dims: dict) -> QuerySet:
    """The trajectories behind one cell, with the same filters as the count (the team's list)."""
    visible = Trajectory.objects.visible_to(user)
    if measure in (STARTED, DECLINED, SUCCESSES):
        qs = _started(user, [year])
        if measure == DECLINED:
            qs = qs.filter(status=Status.DECLINED)
        elif measure == SUCCESSES:
            qs = qs.filter(SUCCESS)
    elif measure == AFTERCARE:
        qs = visible.filter(status_changes__to_status=Status.AFTERCARE, status_changes__changed_at__year=year)
    elif measure in (CLOSED, GOALS):
        qs = _closed(user, [year])
    else:
        raise ValueError(measure)
    for dim, member in dims.items():
        value = None if member == UNKNOWN else member
        if dim == "prison":
            qs = _with_prison(qs).filter(prison=value) if value else _with_prison(qs).filter(prison__isnull=True)
        elif dim == "category":
            qs = (
                _with_category(qs).filter(category=value) if value else _with_category(qs).filter(category__isnull=True)
            )
        elif dim == "guidance":
            qs = qs.filter(guidance_type=member)
        elif dim == "gender":
            qs = qs.filter(detainee__gender=member)
        elif dim == "reason":
            reasons = [member, ""] if member == Trajectory.ClosureReason.OTHER else [member]
            qs = qs.filter(closure_reason__in=reasons)
        elif dim == "domain":
            qs = qs.filter(goals__domain__code=member)
        elif dim == "outcome" and member in OUTCOMES:
            qs = qs.filter(goals__status__in=OUTCOMES[member])
        else:
            raise ValueError(dim)
    return Trajectory.objects.filter(pk__in=qs.values("pk"))
