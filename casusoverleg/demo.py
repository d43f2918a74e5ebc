"""Demo case conferences: for files in the demo directors' prisons, a past conference with approved
minutes and an upcoming one. Called by `manage.py seed_demo` after casework and trajectories.

Idempotent: a file that already has a conference is left alone. Writes go through the services, so the
demo carries invitations, agenda, change history, shared actions and PDF copies like real data.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import services as casework_services
from casework.models import Basis, Consent, Detainee, Prison, Purpose, Scope

from . import services
from .models import OUTSIDE_KINDS, Conference, Participant
from .services import minutes as services_minutes
from .services.meetings import meeting_schedule

DEMO_DIRECTORS = ("marc.hendrickx", "els.vermeulen")
FILES_PER_DIRECTOR = 5
# The justice-house assistant of the demo (casework/demo.py) and the meeting after release he organises.
DEMO_ORGANISER = "hilde.janssens"
DEMO_MANDATE = "SURB Antwerpen 2026/412"
ROOMS = ("Vergaderzaal directie", "Lokaal PSD", "Vergaderzaal D-Rad:Ex")
NOTES = [
    "Opleiding loopt goed; de detentieconsulent bevestigt regelmatige aanwezigheid.",
    "Contact met de familie is hersteld; moeder komt tweewekelijks op bezoek.",
    "Betrokkene staat open voor gesprekken met de moslimconsulent.",
    "Geen incidenten op de afdeling sinds het vorige overleg.",
]
DECISIONS = [
    ("Het traject wordt voortgezet met focus op opleiding en werk.", True, "", ""),
    (
        "Voorbereiding van een eerste penitentiair verlof wordt gestart.",
        False,
        "PSD",
        "Eerst een geactualiseerde risico-inschatting afwachten.",
    ),
    ("VDAB start de trajectbegeleiding naar werk zes maanden voor de vrijlating.", True, "", ""),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _partner_for(detainee: Detainee, partner: User | None) -> User | None:
    """The demo partner is invited only where the detainee consented to his organisation taking part in a
    conference (ADR 0033): the demo never shows a basis that was not there."""
    if (
        partner is None
        or not Consent.objects.granting(purpose=Purpose.CONFERENCE, scope=Scope.MINUTES)
        .filter(detainee=detainee, organisation_id=partner.organisation_id)
        .exists()
    ):
        return None
    return partner


def _seed_standing_team(director: User) -> None:
    """Each demo prison's standing team: its PSD (the prison administration's own service)."""
    from .models import StandingMember
    from .services.standing import standing_member_add

    for prison in Prison.objects.filter(directors=director):
        if StandingMember.objects.filter(prison=prison).exists():
            continue
        standing_member_add(
            user=director,
            prison=prison,
            role=Participant.Role.PSD,
            name="Psychosociale dienst",
            organisation=director.organisation,
            email=f"psd.{prison.code}@demo.invalid",
            agreement="Brengt het advies van de PSD in over verlof en risico; deelt geen verslag buiten de gevangenis.",
        )


def _seed_file(rng: random.Random, director: User, detainee: Detainee, partner: User | None, today: dt.date) -> None:
    partner = _partner_for(detainee, partner)
    past_day = today - dt.timedelta(days=rng.randint(30, 80))
    # Only the services decide; but a demo meeting should not fall on a weekend.
    while past_day.weekday() >= 5:
        past_day -= dt.timedelta(days=1)
    hour = rng.choice((9, 10, 13, 14))
    room = rng.choice(ROOMS)
    past = services.conference_schedule(
        user=director,
        detainee=detainee,
        prison=detainee.current_prison,
        starts_at=_at(past_day, hour),
        ends_at=_at(past_day, hour + 1),
        location=room,
    )
    if partner is not None:
        services.participant_add(
            conference=past, user=director, role=Participant.Role.PARTNER, participant_user=partner
        )
    # The PSD is on the list as a standing member of the prison (invited with every periodic conference).
    services.attendance_record(conference=past, user=director, attended={p.pk: True for p in past.participants.all()})
    minutes = past.minutes_versions.get()
    items = list(past.agenda_items.all())
    decision = DECISIONS[rng.randrange(len(DECISIONS))]
    owner = detainee.lead_consultant or director
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Constructief overleg in een goede sfeer.",
        notes={item.pk: rng.choice(NOTES) for item in items[:3]},
        decisions=[
            {"text": decision[0], "consensus": decision[1], "dissent_who": decision[2], "dissent_why": decision[3]}
        ],
        actions=[
            {
                "description": "Voortgang van de opleiding opvolgen en rapporteren",
                "owner_user": owner,
                "due_on": past_day + dt.timedelta(days=rng.randint(30, 60)),
            }
        ],
    )
    services_minutes.minutes_approve(minutes=minutes, user=director)

    next_day = today + dt.timedelta(days=rng.randint(5, 45))
    while next_day.weekday() >= 5:
        next_day += dt.timedelta(days=1)
    upcoming = services.conference_schedule(
        user=director,
        detainee=detainee,
        prison=detainee.current_prison,
        starts_at=_at(next_day, hour),
        ends_at=_at(next_day, hour + 1),
        location=room,
    )
    if partner is not None:
        services.participant_add(
            conference=upcoming, user=director, role=Participant.Role.PARTNER, participant_user=partner
        )


def seed(*, rng: random.Random, stdout=None) -> None:
    today = timezone.localdate()
    partner = User.objects.filter(username="pieter.devos").first()
    created = 0
    for username in DEMO_DIRECTORS:
        director = User.objects.filter(username=username, role=User.Role.DIRECTOR).first()
        if director is None:
            continue
        # The same first files every run; those that already have a conference are skipped.
        detainees = (
            Detainee.objects.filter(
                current_prison__directors=director,
                released_on__isnull=True,
                in_scope=True,
                external_ref__startswith="DEMO-",
            )
            .select_related("current_prison", "lead_consultant")
            .order_by("external_ref")[:FILES_PER_DIRECTOR]
        )
        _seed_standing_team(director)
        seeded = set(Conference.objects.filter(detainee__in=detainees).values_list("detainee_id", flat=True))
        for detainee in detainees:
            if detainee.pk in seeded:
                continue
            with transaction.atomic():
                _seed_file(rng, director, detainee, partner, today)
            created += 1
    seed_outside_meeting(today=today)
    if stdout is not None:
        stdout.write(f"casusoverleg: {created} files with a past (approved) and an upcoming conference")


def _national_number(born: dt.date, serial: int) -> str:
    """A valid Belgian national number for a demo person born in the 1900s (97-modulus check)."""
    base = f"{born:%y%m%d}{serial:03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def seed_outside_meeting(*, today: dt.date | None = None, stdout=None) -> None:
    """One LIVC meeting after release, planned by the demo's organiser on the court's mandate for a released
    demo file (ADR 0041); none when he already has one. The file gets a national number if it had none: the
    organiser finds a person by it."""
    today = today or timezone.localdate()
    organiser = User.objects.filter(username=DEMO_ORGANISER, role=User.Role.ORGANISER).first()
    if organiser is None or Conference.objects.filter(chair=organiser, kind__in=OUTSIDE_KINDS).exists():
        return
    detainee = (
        Detainee.objects.filter(
            external_ref__startswith="DEMO-", released_on__isnull=False, lead_consultant__isnull=False
        )
        .select_related("lead_consultant")
        .order_by("external_ref")
        .first()
    )
    if detainee is None:
        return
    if not detainee.national_number:
        born = detainee.date_of_birth or dt.date(1990, 1, 1)
        if born.year >= 2000:
            born = born.replace(year=1990)
        casework_services.detainee_update(
            detainee=detainee,
            user=detainee.lead_consultant,
            national_number=_national_number(born, detainee.pk % 997 + 1),
        )
    day = today + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    meeting_schedule(
        user=organiser,
        kind="livc",
        starts_at=_at(day, 10),
        ends_at=_at(day, 11),
        venue="LIVC Hasselt, stadhuis",
        basis=Basis.COURT_MANDATE,
        mandate_reference=DEMO_MANDATE,
        national_number=detainee.national_number,
    )
    if stdout is not None:
        stdout.write("casusoverleg: one LIVC meeting after release, on the court's mandate")
