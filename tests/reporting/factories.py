"""Read-side builders for report tests: rows as the services would have left them, with dates we choose.

Reports read history (status changes on given days, releases, conferences in the past), which the
services only write for 'now'; these helpers write the same rows directly so a small world can be
hand-computed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from casework.models import LifeDomain, Prison
from casusoverleg.models import Conference
from tests.factories import DetaineeFactory
from trajectories.models import Goal, Status, Trajectory, TrajectoryStatusChange
from trajectories.models_release import Release

BRUSSELS = ZoneInfo("Europe/Brussels")
ENDED = {Status.CLOSED, Status.DECLINED}


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


def detainee(org, lead=None, prison="hasselt", **fields):
    return DetaineeFactory(
        organisation=org,
        lead_consultant=lead,
        current_prison=Prison.objects.get(code=prison) if prison else None,
        **fields,
    )


def trajectory(
    person,
    steps: list[tuple[str, dt.date]],
    *,
    lead="file",
    closure_reason: str = "",
    goals: list[tuple[str, bool]] = (),
    released_on: dt.date | None = None,
    user=None,
) -> Trajectory:
    """A trajectory that went through `steps` [(status, day), ...]; the first step is the referral.

    goals: [(domain code, agreed with the detainee)]. released_on: a Release row (aftercare ends + 6 months).
    """
    status, last_day = steps[-1]
    referred_on = steps[0][1]
    item = Trajectory.objects.create(
        detainee=person,
        referred_on=referred_on,
        referred_by=Trajectory.ReferredBy.PSD,
        lead_consultant=person.lead_consultant if lead == "file" else lead,
        status=status,
        status_changed_at=at(last_day),
        closed_on=last_day if status in ENDED else None,
        closure_reason=closure_reason or ("declined" if status == Status.DECLINED else ""),
    )
    previous = ""
    for to, day in steps:
        TrajectoryStatusChange.objects.create(trajectory=item, from_status=previous, to_status=to, changed_at=at(day))
        previous = to
    for code, agreed in goals:
        Goal.objects.create(
            trajectory=item,
            domain=LifeDomain.objects.get(code=code),
            description=f"Doel {code}",
            agreed_with_detainee=agreed,
            agreed_on=referred_on if agreed else None,
            status=Goal.GoalStatus.AGREED if agreed else Goal.GoalStatus.PROPOSED,
        )
    if released_on:
        Release.objects.create(
            trajectory=item,
            released_on=released_on,
            modality="end_of_sentence",
            destination_municipality="Hasselt",
            registered_by=user or person.lead_consultant,
            aftercare_ends_on=_plus_months(released_on, 6),
        )
    return item


def _plus_months(day: dt.date, months: int) -> dt.date:
    from reporting.selectors import add_months

    return add_months(day, months)


def conference(person, chair, starts: dt.datetime, status=Conference.Status.PLANNED, kind=Conference.Kind.PERIODIC):
    return Conference.objects.create(
        detainee=person,
        prison=person.current_prison or Prison.objects.get(code="hasselt"),
        chair=chair,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        status=status,
        kind=kind,
    )


def released(
    org,
    lead,
    n: int,
    released_on: dt.date,
    *,
    placed_on: dt.date | None = None,
    review: tuple | None = None,
    incarcerated_on: dt.date | None = None,
    modality: str = "end_of_sentence",
):
    """A file released on `released_on` after a trajectory, and what is known afterwards: a new placement from
    `placed_on`, a held post-closure review `(done_on, "yes"/"no"/"unknown", detained_on)`, or a new
    incarceration date on the file. Returns the trajectory."""
    from tests.factories import PlacementFactory
    from trajectories.models_release import FollowUp

    person = detainee(
        org,
        lead,
        prison=None,
        first_name=f"Vrij{n}",
        last_name=f"Later{n}",
        search_name=f"vrij{n} later{n}",
        incarcerated_on=incarcerated_on,
    )
    item = trajectory(
        person,
        [
            ("referred", released_on - dt.timedelta(days=300)),
            ("active", released_on - dt.timedelta(days=200)),
            ("aftercare", released_on),
        ],
        released_on=released_on,
    )
    if modality != "end_of_sentence":
        Release.objects.filter(trajectory=item).update(modality=modality)
    if placed_on:
        PlacementFactory(detainee=person, prison=Prison.objects.get(code="hasselt"), from_date=placed_on)
    if review:
        done_on, detention, detained_on = review
        FollowUp.objects.create(
            trajectory=item,
            kind=FollowUp.Kind.POST_CLOSURE,
            months_after=6,
            due_on=done_on,
            status=FollowUp.Status.DONE,
            done_on=done_on,
            outcome_contact="unknown",
            outcome_housing="unknown",
            outcome_work="unknown",
            outcome_detention=detention,
            outcome_detained_on=detained_on,
            outcome_listing="unknown",
            outcome_source="person",
        )
    return item
