"""The fictional demo dataset of the case file: users of every role and ~40 detainee files.

Called by `manage.py seed_demo` (reporting/management/commands/seed_demo.py). Every name is invented; any
resemblance to a real person is accidental. Reproducible (a fixed random seed, dates relative to today) and
idempotent: accounts are matched by username, files by their `DEMO-nnn` external reference, and a file that
exists already is left alone, so a second run adds nothing.

Writes go through the services, so the demo data carries a change history like real data does.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User

from . import services
from .compartments import is_health_code, sees_health_of
from .models import (
    Consent,
    Detainee,
    InterventionModule,
    LifeDomain,
    Listing,
    NetworkPerson,
    Placement,
    Prison,
    Session,
)

DEMO_PASSWORD = "Disengage-demo-2025"
DETAINEE_COUNT = 40
REF_PREFIX = "DEMO-"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    prison: str | None = None  # directors: the prison they run
    organisation_kind: str = Organisation.Kind.PRISON_SERVICE  # when the organisation is new


ACCOUNTS = [
    DemoAccount("sara.peeters", "Sara", "Peeters", User.Role.CONSULTANT, "CAW Limburg"),
    DemoAccount("tom.claes", "Tom", "Claes", User.Role.CONSULTANT, "CAW Limburg"),
    DemoAccount("nadia.bennani", "Nadia", "Bennani", User.Role.CONSULTANT, "CAW Limburg"),
    DemoAccount("an.wouters", "An", "Wouters", User.Role.MANAGER, "CAW Limburg"),
    DemoAccount("marc.hendrickx", "Marc", "Hendrickx", User.Role.DIRECTOR, "DG EPI", prison="hasselt"),
    DemoAccount("els.vermeulen", "Els", "Vermeulen", User.Role.DIRECTOR, "DG EPI", prison="brugge"),
    DemoAccount("pieter.devos", "Pieter", "De Vos", User.Role.PARTNER, "VDAB"),
    DemoAccount("lotte.maes", "Lotte", "Maes", User.Role.PARTNER, "CGG"),
    DemoAccount("koen.jacobs", "Koen", "Jacobs", User.Role.PARTNER, "Justitiehuis"),
    # The justice-house assistant who organises the meetings after release (ADR 0041).
    DemoAccount(
        "hilde.janssens",
        "Hilde",
        "Janssens",
        User.Role.ORGANISER,
        "Justitiehuis Hasselt",
        organisation_kind=Organisation.Kind.JUSTICE_HOUSE,
    ),
    DemoAccount("beheer", "Bart", "Smets", User.Role.ADMIN, "CAW Limburg"),
    DemoAccount("dpo", "Ilse", "Goossens", User.Role.DPO, "CAW Limburg"),
]

FIRST_NAMES = [
    "Youssef",
    "Mehdi",
    "Bilal",
    "Anouar",
    "Kevin",
    "Jonas",
    "Ayoub",
    "Hamza",
    "Sofiane",
    "Ilias",
    "Dries",
    "Karim",
    "Zakaria",
    "Nordin",
    "Ismail",
    "Rachid",
    "Samir",
    "Omar",
    "Brahim",
    "Jelle",
    "Redouan",
    "Tarik",
    "Sarah",
    "Laila",
    "Fatima",
    "Lisa",
]
LAST_NAMES = [
    "El Idrissi",
    "Benali",
    "Achahbar",
    "Vandenberghe",
    "Ouahabi",
    "Lemmens",
    "Boukhari",
    "Aerts",
    "Haddouchi",
    "Mertens",
    "Azzouz",
    "Bakkali",
    "Verlinden",
    "Chaouki",
    "El Khattabi",
    "Moens",
    "Tahiri",
    "Daoudi",
    "Ramdani",
    "Willems",
    "Zerouali",
    "Bouzid",
]
NETWORK_NAMES = [
    "Khadija",
    "Mohamed",
    "Amina",
    "Ali",
    "Hanane",
    "Nadia",
    "Abdel",
    "Marleen",
    "Luc",
    "Imam Hassan",
    "Coach Steven",
    "Meester Jan",
    "Sanae",
    "Yasmina",
    "Dirk",
]
# Prisons where the demo caseload sits, weighted: most are in Hasselt (the extremism wing).
PRISON_WEIGHTS = [
    ("hasselt", 14),
    ("tongeren", 3),
    ("brugge", 6),
    ("gent", 4),
    ("antwerpen", 4),
    ("leuven-centraal", 3),
    ("haren", 3),
    ("ittre", 1),
    ("beveren", 2),
]
SUMMARIES = [
    "Kennismakingsgesprek: uitleg over de rol van de consulent en de vrijwillige begeleiding.",
    "Gesprek over de relatie met de familie; bezoek van moeder verliep positief.",
    "Opleidingswensen besproken: interesse in een opleiding lassen via VOCVO.",
    "Reflectie over de eigen keuzes in het verleden en de gevolgen voor de familie.",
    "Praktische hulp bij het aanvragen van een identiteitskaart en de bankrekening.",
    "Voorbereiding van het casusoverleg: doelen overlopen en bezorgdheden genoteerd.",
    "Gesprek over omgaan met frustratie op de afdeling; oefening rond boosheid.",
    "Uitwisseling over geloofsbeleving; interesse in gesprek met de moslimconsulent.",
    "Planning na vrijlating besproken: huisvesting en contact met het justitiehuis.",
    "Sollicitatiebrief opgesteld en trajectbegeleiding VDAB voorbereid.",
    "Moeilijk gesprek: weinig open, wel bereid om volgende week verder te praten.",
    "Netwerk in kaart gebracht; broer wordt als steunfiguur gezien.",
]
CONFIDENTIAL = [
    "Vermoeden van druk vanuit een medegedetineerde; opvolgen met PSD.",
    "Slaapt slecht sinds het overlijden van zijn vader; mogelijk doorverwijzen naar CGG.",
    "Spanningen met ex-partner over het contact met de kinderen.",
]


def _account(spec: DemoAccount) -> tuple[User, bool]:
    organisation, _ = Organisation.objects.get_or_create(
        name=spec.organisation, defaults={"kind": spec.organisation_kind}
    )
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "role": spec.role,
            "organisation": organisation,
            "email": f"{spec.username}@demo.invalid",
            "is_staff": spec.role == User.Role.ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if spec.prison:
        Prison.objects.get(code=spec.prison).directors.add(user)
    return user, created


def seed_accounts() -> dict[str, User]:
    return {spec.username: _account(spec)[0] for spec in ACCOUNTS}


def _weighted_prisons(rng: random.Random) -> list[str]:
    codes = [code for code, weight in PRISON_WEIGHTS for _ in range(weight)]
    return [rng.choice(codes) for _ in range(DETAINEE_COUNT)]


def _seed_file(
    rng: random.Random,
    number: int,
    prison_code: str,
    consultants: list[User],
    partners: dict[str, Organisation],
    today: dt.date,
    domains: list[LifeDomain],
    modules: list[InterventionModule],
) -> None:
    lead = consultants[number % len(consultants)]
    prison = Prison.objects.get(code=prison_code)
    # Every fifth file started elsewhere and was transferred: the placement history shows both.
    first_prison = Prison.objects.get(code="sint-gillis" if prison_code != "sint-gillis" else "antwerpen")
    transferred = number % 5 == 0
    incarcerated_on = today - dt.timedelta(days=rng.randint(200, 2200))
    released = number % 9 == 0  # a few files are in aftercare
    released_on = today - dt.timedelta(days=rng.randint(20, 150)) if released else None
    sentence_years = rng.randint(3, 12)
    detainee = services.detainee_create(
        user=lead,
        reason="demo dataset",
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        date_of_birth=dt.date(rng.randint(1980, 2003), rng.randint(1, 12), rng.randint(1, 28)),
        languages=rng.choice([["nl"], ["nl", "ar"], ["fr", "ar"], ["nl", "fr"], ["fr"]]),
        legal_status=rng.choice([Detainee.LegalStatus.CONVICTED] * 4 + [Detainee.LegalStatus.ACCUSED]),
        current_prison=first_prison if transferred else prison,
        incarcerated_on=incarcerated_on,
        leave_eligible_on=incarcerated_on + dt.timedelta(days=365 * sentence_years // 3),
        conditional_release_eligible_on=incarcerated_on + dt.timedelta(days=365 * sentence_years // 3 + 180),
        sentence_ends_on=incarcerated_on + dt.timedelta(days=365 * sentence_years),
        released_on=released_on,
        external_ref=f"{REF_PREFIX}{number:03d}",
        lead_consultant=lead,
    )
    if number % 4 == 0:
        colleague = consultants[(number + 1) % len(consultants)]
        services.detainee_set_case_team(detainee=detainee, user=lead, lead=lead, co_consultants=[colleague])

    services.listing_record(
        detainee=detainee,
        user=lead,
        category=rng.choice(Listing.Category.values),
        threat_level=rng.randint(1, 3),
        listed_on=incarcerated_on - dt.timedelta(days=rng.randint(30, 400)),
        source="OCAD GGB, mededeling aan CAW",
    )
    if transferred:
        moved_on = incarcerated_on + dt.timedelta(days=rng.randint(60, 180))
        # A transfer happens in detention (ADR 0040): before a release, never after today.
        moved_on = min(moved_on, (released_on or today) - dt.timedelta(days=1), today)
        services.placement_record(
            detainee=detainee,
            user=lead,
            prison=prison,
            from_date=moved_on,
            regime=Placement.Regime.EXTREMISM_WING if prison.has_extremism_wing else Placement.Regime.REGULAR,
        )

    people = []
    for _ in range(rng.randint(1, 4)):
        relation = rng.choice(NetworkPerson.Relation.values)
        other_name = rng.choice(LAST_NAMES)
        # Parents, brothers and sisters carry the family name; children mostly too.
        family = relation in (
            NetworkPerson.Relation.PARENT,
            NetworkPerson.Relation.SIBLING,
            NetworkPerson.Relation.CHILD,
        )
        people.append(
            services.network_person_save(
                detainee=detainee,
                user=lead,
                name=f"{rng.choice(NETWORK_NAMES)} {detainee.last_name if family else other_name}",
                relation=relation,
                influence=rng.choice(NetworkPerson.Influence.values),
                involved=rng.random() < 0.5,
                contact_consent=rng.random() < 0.6,
            )
        )

    # Each consent lists what the organisation does with the file (ADR 0033): VDAB and the justice house take
    # part in the conferences (and read their minutes); CGG gets a referral for care, not a seat at the table.
    for org_name, purposes, scopes in (
        ("VDAB", ["conference", "referral"], ["identity", "trajectory_goals", "session_summaries", "minutes"]),
        ("CGG", ["referral"], ["identity", "health", "assessments"]),
        ("Justitiehuis", ["conference", "handover"], ["identity", "trajectory_goals", "minutes"]),
    ):
        if rng.random() < 0.55:
            given_on = incarcerated_on + dt.timedelta(days=rng.randint(30, 150))
            given_on = min(given_on, today - dt.timedelta(days=10))
            consent = services.consent_record(
                detainee=detainee,
                user=lead,
                organisation=partners[org_name],
                purposes=purposes,
                scopes=scopes,
                given_on=given_on,
                explained_by=lead,
                language=rng.choice(["nl", "fr", "ar"]),
                interpreter=rng.random() < 0.2,
            )
            if rng.random() < 0.15:
                services.consent_withdraw(consent=consent, user=lead, withdrawn_on=given_on + dt.timedelta(days=60))

    first_contact = max(incarcerated_on + dt.timedelta(days=20), today - dt.timedelta(days=365))
    last_contact = (released_on or today) - dt.timedelta(days=1)
    span = max(1, (last_contact - first_contact).days)
    for _ in range(rng.randint(5, 22)):
        day = first_contact + dt.timedelta(days=rng.randint(0, span))
        while day.weekday() >= 5:  # prison visits and calls happen on working days
            day -= dt.timedelta(days=1)
        started_at = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 30])))
        )
        attendance = rng.choices(Session.Attendance.values, weights=[80, 5, 4, 8, 3])[0]
        attended = attendance == Session.Attendance.ATTENDED
        # The random draws keep their order, so the demo data stay what they were.
        author = rng.choice([lead, lead, *consultants])
        duration = rng.choice([30, 45, 60, 60, 90]) if attended else 15
        modality = rng.choices(Session.Modality.values, weights=[70, 5, 10, 10, 5])[0]
        engagement = rng.randint(1, 5) if attended else None
        tagged = rng.sample(domains, k=rng.randint(1, 3)) if attended else []
        if not sees_health_of(author, detainee):
            # A stand-in outside the case team does not tag the health domain (casework/compartments.py).
            tagged = [domain for domain in tagged if not is_health_code(domain.code)]
        services.session_log(
            detainee=detainee,
            author=author,
            started_at=started_at,
            duration_minutes=duration,
            modality=modality,
            attendance=attendance,
            engagement=engagement,
            domains=tagged,
            modules=rng.sample(modules, k=rng.randint(0, 2)) if attended else [],
            participants=rng.sample(people, k=1) if attended and rng.random() < 0.15 else [],
            summary=rng.choice(SUMMARIES) if attended else "",
            confidential_notes=rng.choice(CONFIDENTIAL) if attended and rng.random() < 0.2 else "",
        )


def seed(*, rng: random.Random, stdout=None) -> dict[str, int]:
    """Create the demo accounts and files that are missing. Returns how many files were created."""
    users = seed_accounts()
    consultants = [users[spec.username] for spec in ACCOUNTS if spec.role == User.Role.CONSULTANT]
    partners = {name: Organisation.objects.get(name=name) for name in ("VDAB", "CGG", "Justitiehuis")}
    domains = list(LifeDomain.objects.all())
    modules = list(InterventionModule.objects.filter(is_active=True))
    today = timezone.localdate()
    existing = set(Detainee.objects.filter(external_ref__startswith=REF_PREFIX).values_list("external_ref", flat=True))
    created = 0
    prisons = _weighted_prisons(rng)
    for number in range(1, DETAINEE_COUNT + 1):
        # One generator per file, so a file's content does not depend on which other files already exist.
        file_rng = random.Random(f"{rng.random()}-{number}")  # noqa: S311 - reproducible fiction
        if f"{REF_PREFIX}{number:03d}" in existing:
            continue
        with transaction.atomic():
            _seed_file(file_rng, number, prisons[number - 1], consultants, partners, today, domains, modules)
        created += 1
    if stdout is not None:
        stdout.write(f"casework: {created} demo files created, {len(existing)} already present")
    return {
        "detainees": created,
        "consents": Consent.objects.filter(detainee__external_ref__startswith=REF_PREFIX).count(),
    }
