"""Demo data of the trajectories app: `seed(rng=..., stdout=...)`, called by `manage.py seed_demo`.

Gives the demo detainees of casework a trajectory in every status, with explorations, goals, reviews,
actions and assessments. Everything goes through the services, as a user would do it; afterwards the
status history is dated back to when those steps would have happened, so the pages read realistically.
Idempotent: a detainee that already has a trajectory is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from casework.models import Detainee, LifeDomain

from . import services
from .models import AssessmentTemplate, Status, Trajectory, TrajectoryStatusChange

REF_PREFIX = "DEMO-"

# Where each demo file's trajectory ends up, in turn; released files go to aftercare.
PLAN = [
    "active",
    "referred",
    "intake",
    "active",
    "closed",
    "active",
    "declined",
    "intake",
    "active",
    "closed_after_active",
]

GOALS = {
    "psychosocial": ["Leren omgaan met boosheid zonder geweld", "Een dagstructuur opbouwen in de afdeling"],
    "education_employment": [
        "Opleiding lassen in de gevangenis afronden",
        "Inschrijven bij de VDAB voor na de vrijlating",
    ],
    "mental_health": ["Intake bij het CGG voor traumabegeleiding", "Stoppen met cannabisgebruik"],
    "social_context": ["Contact met moeder herstellen via bezoek", "Een steunfiguur buiten het milieu betrekken"],
    "alternative_discourse": [
        "Gesprekken met de moslimconsulent over religieuze vragen",
        "Deelnemen aan het groepsgesprek over waarden",
    ],
    "housing": ["Woonst zoeken voor na de vrijlating"],
    "finances": ["Schuldenoverzicht opmaken met de sociale dienst"],
}
REVIEW_NOTES = [
    "Eerste stappen gezet",
    "Loopt moeizaam, motivatie wisselend",
    "Duidelijke vooruitgang",
    "Afspraken nagekomen",
    "Terugval na overplaatsing",
    "Bijna bereikt",
]
ACTIONS = [
    "Afspraak maken met de trajectbegeleider VDAB",
    "Attest van de opleiding opvragen",
    "Bezoekaanvraag voor moeder opvolgen",
    "Doorverwijzing naar het CGG versturen",
    "Contact opnemen met de moslimconsulent",
]


def _backdate(trajectory: Trajectory, moments: list[dt.date]) -> None:
    """Date the status history at the given days (demo only: services record 'now')."""
    tz = timezone.get_current_timezone()
    for change, day in zip(trajectory.status_changes.order_by("pk"), moments, strict=False):
        TrajectoryStatusChange.objects.filter(pk=change.pk).update(
            changed_at=dt.datetime.combine(day, dt.time(10, 30), tzinfo=tz)
        )


def _fill(
    rng: random.Random,
    trajectory: Trajectory,
    user: User,
    active_on: dt.date,
    today: dt.date,
    partners: list[Organisation],
) -> None:
    """Goals with reviews, actions and assessments for a trajectory that reached active."""
    domains = {d.code: d for d in LifeDomain.objects.all()}
    codes = rng.sample([c for c in GOALS if c in domains], k=rng.randint(2, 4))
    span = max(1, (today - active_on).days)
    for index, code in enumerate(codes):
        agreed = index == 0 or rng.random() < 0.7
        goal = services.goal_create(
            trajectory=trajectory,
            user=user,
            domain=domains[code],
            description=rng.choice(GOALS[code]),
            agreed_with_detainee=agreed,
            agreed_on=active_on if agreed else None,
            target_date=today + dt.timedelta(days=rng.randint(30, 200)),
            responsible_organisation=rng.choice(partners) if rng.random() < 0.4 else None,
        )
        progress = rng.randint(0, 1)
        for step in range(rng.randint(1, 4)):
            day = active_on + dt.timedelta(days=min(span, (step + 1) * span // 5 + rng.randint(0, 10)))
            progress = max(0, min(4, progress + rng.choice([0, 1, 1, 2, -1])))
            services.goal_review_add(
                goal=goal, user=user, reviewed_on=min(day, today), progress=progress, note=rng.choice(REVIEW_NOTES)
            )
        if rng.random() < 0.6:
            due = today + dt.timedelta(days=rng.randint(-20, 40))
            services.action_create(
                detainee=trajectory.detainee,
                user=user,
                description=rng.choice(ACTIONS),
                owner_user=user,
                goal=goal,
                due_on=due,
            )
    templates = list(AssessmentTemplate.objects.filter(is_active=True))
    template = rng.choice(templates)
    previous: dict[int, int] = {}
    for round_ in range(rng.randint(1, 2)):
        day = min(today, active_on + dt.timedelta(days=round_ * max(1, span // 2) + 5))
        assessment = services.assessment_start(trajectory=trajectory, user=user, template=template, assessed_on=day)
        ratings = {}
        for rating in assessment.ratings.select_related("item"):
            value = previous.get(rating.item_id, rng.randint(0, rating.item.scale_max))
            if round_ and rng.random() < 0.35:
                value = max(0, min(rating.item.scale_max, value + rng.choice([-1, 1])))
            previous[rating.item_id] = value
            ratings[rating.item_id] = {"rating": value, "evidence": "Gesprek en dossier"}
        services.assessment_update(
            assessment=assessment,
            user=user,
            ratings=ratings,
            sources="Gesprekken met de gedetineerde, PSD",
            overall_judgement=rng.choice(["low", "moderate", "moderate", "high"]),
            changes_since_last="Minder druk vanuit het netwerk." if round_ else "",
        )
        services.assessment_finalise(assessment=assessment, user=user)


def _seed_one(rng: random.Random, detainee: Detainee, plan: str, today: dt.date, partners: list[Organisation]) -> str:
    user = detainee.lead_consultant
    earliest = max(detainee.incarcerated_on or today, today - dt.timedelta(days=500))
    referred_on = min(today - dt.timedelta(days=20), earliest + dt.timedelta(days=rng.randint(10, 120)))
    if detainee.released_on:
        referred_on = min(referred_on, detainee.released_on - dt.timedelta(days=120))
        plan = "aftercare"
    if plan in ("referred", "intake"):
        # Waiting referrals and intakes are recent, as in a working inbox.
        referred_on = today - dt.timedelta(days=rng.randint(3, 30) if plan == "referred" else rng.randint(20, 60))
    referred_on = max(referred_on, detainee.incarcerated_on or referred_on)
    trajectory = services.trajectory_refer(
        detainee=detainee,
        user=user,
        referred_on=referred_on,
        referred_by=rng.choice(Trajectory.ReferredBy.values),
        referral_reason=rng.choice(
            [
                "Aanmelding door de PSD na onthaalgesprek",
                "Vraag van de gedetineerde zelf",
                "Besproken op het casusoverleg",
                "Signaal van de directie",
            ]
        ),
    )
    moments = [referred_on]
    if plan == "referred":
        _backdate(trajectory, moments)
        return plan
    if plan == "declined":
        on = referred_on + dt.timedelta(days=rng.randint(5, 15))
        services.trajectory_transition(
            trajectory=trajectory, user=user, to=Status.DECLINED, reason="Wil (nog) niet ingaan op het aanbod", on=on
        )
        _backdate(trajectory, [*moments, on])
        return plan
    intake_on = min(today - dt.timedelta(days=1), referred_on + dt.timedelta(days=rng.randint(7, 30)))
    services.trajectory_transition(
        trajectory=trajectory, user=user, to=Status.INTAKE, reason="Kennismakingsgesprek gehad"
    )
    moments.append(intake_on)
    required = LifeDomain.objects.filter(required=True)
    if plan == "intake":
        for domain in list(required)[: rng.randint(1, 3)]:
            services.exploration_record(
                trajectory=trajectory,
                user=user,
                domain=domain,
                need=rng.choice(["need", "no_need"]),
                explored_on=min(today, intake_on + dt.timedelta(days=3)),
            )
        _backdate(trajectory, moments)
        return plan
    for domain in required:
        if rng.random() < 0.15:
            services.exploration_record(
                trajectory=trajectory,
                user=user,
                domain=domain,
                need="not_yet_explored",
                deferral_reason="Nog niet bespreekbaar; opnieuw bekijken na het proces",
            )
        else:
            services.exploration_record(
                trajectory=trajectory,
                user=user,
                domain=domain,
                need=rng.choice(["need", "need", "no_need", "declined"]),
                explored_on=min(today, intake_on + dt.timedelta(days=rng.randint(1, 20))),
                note="",
            )
    active_on = max(intake_on, min(today - dt.timedelta(days=5), intake_on + dt.timedelta(days=rng.randint(21, 45))))
    services.trajectory_transition(
        trajectory=trajectory, user=user, to=Status.ACTIVE, reason="Trajectplan samen opgesteld"
    )
    moments.append(active_on)
    _fill(rng, trajectory, user, active_on, today, partners)
    if plan == "aftercare":
        # The release service (trajectory_release) is the only caller with via_release; the demo stands in for it.
        services.trajectory_transition(
            trajectory=trajectory, user=user, to=Status.AFTERCARE, reason="Vrijlating geregistreerd", via_release=True
        )
        moments.append(detainee.released_on)
    elif plan in ("closed", "closed_after_active"):
        on = min(today, active_on + dt.timedelta(days=rng.randint(10, 60)))
        services.trajectory_transition(
            trajectory=trajectory,
            user=user,
            to=Status.CLOSED,
            on=on,
            closure_reason=rng.choice(["goals_reached", "transferred_to_other_service"]),
            reason="Afgesloten in overleg",
        )
        moments.append(on)
    _backdate(trajectory, moments)
    return plan


def seed(*, rng: random.Random, stdout=None) -> dict[str, int]:
    """Give every demo detainee without a trajectory one, cycling through the statuses."""
    today = timezone.localdate()
    partners = list(Organisation.objects.filter(name__in=["VDAB", "CGG", "Justitiehuis"]))
    detainees = (
        Detainee.objects.filter(external_ref__startswith=REF_PREFIX, lead_consultant__isnull=False)
        .select_related("lead_consultant")
        .order_by("external_ref")
    )
    counts: dict[str, int] = {}
    skipped = 0
    for index, detainee in enumerate(detainees):
        # One generator per file: a file's trajectory does not depend on the others.
        file_rng = random.Random(f"{rng.random()}-{detainee.external_ref}")  # noqa: S311 - reproducible fiction
        if detainee.trajectories.exists():
            skipped += 1
            continue
        with transaction.atomic():
            plan = _seed_one(file_rng, detainee, PLAN[index % len(PLAN)], today, partners)
        counts[plan] = counts.get(plan, 0) + 1
    if stdout is not None:
        made = ", ".join(f"{n} {plan}" for plan, n in sorted(counts.items())) or "none"
        stdout.write(f"trajectories: created {made}; {skipped} already present")
    return counts
