"""The list behind each dashboard figure: the same filter as the figure, row by row.

A figure's link carries its filter in the query string (`?consultant=12&status=active`); `figure_list`
turns it back into the queryset the figure counted, so clicking a number shows exactly those rows.
Unknown or malformed parameters give a 404 (the view) rather than a silently different list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.display import person_name
from accounts.models import User
from casework.models import Consent, Detainee, LifeDomain, Session
from trajectories.models import OPEN_STATUSES, Action, Goal, Status, Trajectory

from . import selectors


class BadFilter(ValueError):
    """The query string does not describe a figure of the dashboard."""


@dataclass
class FigureList:
    kind: str  # trajectories, sessions, actions, detainees: decides the table columns
    title: str
    queryset: QuerySet


def _trajectories(user: User) -> QuerySet:
    return (
        Trajectory.objects.visible_to(user)
        .select_related("detainee", "detainee__current_prison", "lead_consultant")
        .annotate(waited=selectors.days_since("referred_on", timezone.localdate()))
    )


def _status(value: str, allowed) -> str:
    if value not in allowed:
        raise BadFilter(value)
    return value


def caseload(user, today, params) -> FigureList:
    status = _status(params.get("status", ""), selectors.CASELOAD_STATUSES)
    qs = _trajectories(user).filter(status=status)
    consultant = params.get("consultant", "")
    if consultant == "none":
        qs, who = qs.filter(lead_consultant__isnull=True), _("niet toegewezen")
    else:
        if not consultant.isdigit():
            raise BadFilter(consultant)
        person = User.objects.filter(pk=int(consultant), organisation_id=user.organisation_id).first()
        if person is None:
            raise BadFilter(consultant)
        qs, who = qs.filter(lead_consultant=person), person_name(person)
    return FigureList(
        "trajectories",
        _("Caseload %(who)s — %(status)s") % {"who": who, "status": Status(status).label},
        qs.order_by("referred_on", "pk"),
    )


def waiting(user, today, params) -> FigureList:
    return FigureList("trajectories", _("Wachtende aanmeldingen"), _trajectories(user).waiting_referrals())


def aftercare_ending(user, today, params) -> FigureList:
    qs = _trajectories(user).filter(
        status=Status.AFTERCARE, release__aftercare_ends_on__range=selectors.aftercare_window(today)
    )
    return FigureList(
        "trajectories", _("Nazorg die binnen 30 dagen eindigt"), qs.order_by("release__aftercare_ends_on", "pk")
    )


def domain(user, today, params) -> FigureList:
    item = LifeDomain.objects.filter(code=params.get("domain", "")).first()
    if item is None:
        raise BadFilter(params.get("domain"))
    with_goal = Exists(Goal.objects.filter(trajectory=OuterRef("pk"), domain=item))
    covered = params.get("covered", "1") == "1"
    qs = _trajectories(user).filter(status=Status.ACTIVE).filter(with_goal if covered else ~with_goal)
    title = (
        _("Actieve trajecten met een doel in %(domain)s")
        if covered
        else _("Actieve trajecten zonder doel in %(domain)s")
    ) % {"domain": item.label}
    return FigureList("trajectories", title, qs.order_by("detainee__last_name", "pk"))


def success(user, today, params) -> FigureList:
    outcome = _status(params.get("outcome", "success"), ("success", "other"))
    qs = (
        _trajectories(user)
        .filter(referred_on__range=selectors.success_window(today))
        .exclude(status__in=selectors.UNDECIDED)
        .with_success()
    )
    flag = Q(reached_active=True, has_agreed_goal=True)
    qs = qs.filter(flag) if outcome == "success" else qs.exclude(flag)
    title = (
        _("Trajecten die actief werden met een afgesproken doel")
        if outcome == "success"
        else _("Trajecten zonder succes volgens de indicator")
    )
    return FigureList("trajectories", title, qs.order_by("-referred_on", "pk"))


def sessions(user, today, params) -> FigureList:
    try:
        month = dt.date.fromisoformat(params.get("month", "") + "-01")
    except ValueError:
        raise BadFilter(params.get("month")) from None
    if month not in selectors.month_starts(today):
        raise BadFilter(month)
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(selectors.add_months(month, 1), dt.time.min))
    qs = Session.objects.visible_to(user).filter(started_at__gte=start, started_at__lt=end)
    attendance = params.get("attendance", "")
    if attendance == "not_attended":
        qs = qs.exclude(attendance=Session.Attendance.ATTENDED)
    elif attendance:
        qs = qs.filter(attendance=_status(attendance, Session.Attendance.values))
    return FigureList(
        "sessions",
        _("Contactmomenten in %(month)s") % {"month": month.strftime("%m/%Y")},
        qs.select_related("detainee", "author").order_by("-started_at", "pk"),
    )


def attendance(user, today, params) -> FigureList:
    value = _status(params.get("attendance", ""), Session.Attendance.values)
    since = timezone.make_aware(dt.datetime.combine(selectors.month_starts(today)[0], dt.time.min))
    qs = Session.objects.visible_to(user).filter(started_at__gte=since, attendance=value)
    return FigureList(
        "sessions",
        _("Contactmomenten (12 maanden): %(what)s") % {"what": Session.Attendance(value).label},
        qs.select_related("detainee", "author").order_by("-started_at", "pk"),
    )


def overdue_actions(user, today, params) -> FigureList:
    qs = Action.objects.visible_to(user).overdue(today).select_related("detainee", "owner_user", "owner_organisation")
    return FigureList("actions", _("Acties over tijd"), qs.order_by("due_on", "pk"))


def consent(user, today, params) -> FigureList:
    open_trajectory = Exists(Trajectory.objects.filter(detainee=OuterRef("pk"), status__in=OPEN_STATUSES))
    active_consent = Exists(Consent.objects.active().filter(detainee=OuterRef("pk")))
    with_consent = params.get("with", "0") == "1"
    qs = (
        Detainee.objects.visible_to(user)
        .filter(open_trajectory)
        .filter(active_consent if with_consent else ~active_consent)
    )
    title = _("Dossiers met een lopende toestemming") if with_consent else _("Dossiers zonder lopende toestemming")
    # Which files hold a consent is read on the primary, never on a lagging replica (config/db_router.py).
    qs = qs.using("default")
    return FigureList(
        "detainees", title, qs.select_related("current_prison", "lead_consultant").order_by("last_name", "pk")
    )


def conferences_upcoming(user, today, params) -> FigureList:
    from . import conferences

    qs = conferences.upcoming(user, timezone.now()).for_list().order_by("starts_at", "pk")
    return FigureList("conferences", _("Casusoverleggen in de komende 30 dagen"), qs)


def conferences_without_minutes(user, today, params) -> FigureList:
    from . import conferences

    qs = conferences.without_approved_minutes(user, timezone.now()).for_list().order_by("starts_at", "pk")
    return FigureList("conferences", _("Casusoverleggen zonder goedgekeurd verslag"), qs)


YEARLY_MEASURES = {
    "started": _("gestart"),
    "declined": _("geweigerd"),
    "successes": _("succes"),
    "aftercare_started": _("nazorg gestart"),
    "closed": _("afgesloten"),
    "goals": _("met doelen"),
    "sessions": _("contactmomenten"),
    "reached": _("bereikte personen"),
    "module_sessions": _("contactmomenten met de module"),
    "module_reached": _("bereikt met de module"),
    "in_scope": _("in opvolging"),
    "without_trajectory": _("in opvolging zonder traject"),
    "outreach": _("bereikt zonder traject (outreach)"),
    "released_12m": _("vrijlatingen, termijn van 12 maanden"),
    "released_24m": _("vrijlatingen, termijn van 24 maanden"),
}
YEARLY_DIMS = ("prison", "category", "guidance", "gender", "reason", "domain", "outcome", "module")


def yearly_cell(user, today, params) -> FigureList:
    """The trajectories behind one cell of the yearly figures: the exact rows, for the team only."""
    from . import yearly

    measure = _status(params.get("measure", ""), YEARLY_MEASURES)
    year = params.get("year", "")
    if not year.isdigit() or not yearly.FIRST_YEAR <= int(year) <= today.year:
        raise BadFilter(year)
    unknown = set(params) - {"measure", "year", "page", *YEARLY_DIMS}
    if unknown:
        raise BadFilter(unknown)
    dims = {dim: params[dim] for dim in YEARLY_DIMS if params.get(dim)}
    if any(len(value) > 40 for value in dims.values()):
        raise BadFilter(dims)
    try:
        kind, qs = yearly.cell_list(user, measure, int(year), dims)
    except ValueError:
        raise BadFilter(dims) from None
    if kind == "trajectories":
        qs = (
            qs.select_related("detainee", "detainee__current_prison", "lead_consultant")
            .annotate(waited=selectors.days_since("referred_on", today))
            .order_by("referred_on", "pk")
        )
    elif kind == "sessions":
        qs = qs.select_related("detainee", "author").order_by("-started_at", "pk")
    else:
        qs = qs.select_related("current_prison", "lead_consultant").order_by("last_name", "pk")
    title = _("Jaarcijfers %(year)s: %(what)s") % {"year": year, "what": YEARLY_MEASURES[measure]}
    if dims:
        title += " (" + ", ".join(dims.values()) + ")"
    return FigureList(kind, title, qs)


FIGURES = {
    "yearly": yearly_cell,
    "conferences": conferences_upcoming,
    "minutes": conferences_without_minutes,
    "caseload": caseload,
    "waiting": waiting,
    "aftercare": aftercare_ending,
    "domain": domain,
    "success": success,
    "sessions": sessions,
    "attendance": attendance,
    "overdue": overdue_actions,
    "consent": consent,
}


def figure_list(user: User, figure: str, params, today: dt.date | None = None) -> FigureList:
    """The rows behind `figure` with the filter in `params`; raises BadFilter for anything else."""
    if figure not in FIGURES:
        raise BadFilter(figure)
    return FIGURES[figure](user, today or timezone.localdate(), params)
