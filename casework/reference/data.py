"""Reference data shipped with the application (docs/design.md §3). Loaded by a data migration;
the functional administrator maintains it afterwards in the admin.

Capacities of the Flemish and Brussels prisons are those of table 1 of the strategic plan
for help and services to detainees; the others are public figures of DG EPI.

The names of life domains and intervention modules are marked for translation (gettext_noop): they are
shown in the reader's language (LifeDomain.label); a name the administrator types later is shown as typed.
"""

from django.utils.translation import gettext_noop

# code, name, city, region, capacity, is_satellite, has_extremism_wing
PRISONS = [
    ("merksplas", "Merksplas", "Merksplas", "flanders", 694, False, False),
    ("wortel", "Wortel", "Hoogstraten", "flanders", 301, False, False),
    ("antwerpen", "Antwerpen", "Antwerpen", "flanders", 439, False, False),
    ("mechelen", "Mechelen", "Mechelen", "flanders", 84, False, False),
    ("turnhout", "Turnhout", "Turnhout", "flanders", 259, False, False),
    ("hoogstraten", "Hoogstraten", "Hoogstraten", "flanders", 170, False, False),
    ("sint-gillis", "Sint-Gillis", "Sint-Gillis", "brussels", 587, True, False),
    ("leuven-centraal", "Leuven-Centraal", "Leuven", "flanders", 350, False, False),
    ("vorst", "Vorst", "Vorst", "brussels", 405, False, False),
    ("leuven-hulp", "Leuven-Hulp", "Leuven", "flanders", 149, False, False),
    ("berkendael", "Berkendael", "Vorst", "brussels", 64, False, False),
    ("brugge", "Brugge", "Brugge", "flanders", 608, True, False),
    ("ieper", "Ieper", "Ieper", "flanders", 67, False, False),
    ("ruiselede", "Ruiselede", "Ruiselede", "flanders", 52, False, False),
    ("gent", "Gent", "Gent", "flanders", 299, True, False),
    ("oudenaarde", "Oudenaarde", "Oudenaarde", "flanders", 132, False, False),
    ("dendermonde", "Dendermonde", "Dendermonde", "flanders", 168, False, False),
    ("hasselt", "Hasselt", "Hasselt", "flanders", 450, False, True),
    ("tongeren", "Tongeren", "Tongeren", "flanders", 34, False, False),
    ("beveren", "Beveren", "Beveren", "flanders", 312, False, False),
    ("haren", "Haren", "Brussel", "brussels", 1190, False, False),
    ("lantin", "Lantin", "Juprelle", "wallonia", 937, True, False),
    ("andenne", "Andenne", "Andenne", "wallonia", 400, True, False),
    ("ittre", "Ittre", "Ittre", "wallonia", 420, False, True),
]

# name, kind
ORGANISATIONS = [
    ("CAW Limburg", "caw"),
    ("JWW / CAW", "caw"),
    ("CGG", "mental_health"),
    ("VDAB", "employment"),
    ("VOCVO", "education"),
    ("De Rode Antraciet", "culture_sport"),
    ("Moderator", "other"),
    ("Arktos", "culture_sport"),
    ("Tandem", "other"),
    ("Groep Intro", "other"),
    ("Justitiehuis", "justice_house"),
    ("Ceapire", "other"),
    ("LIVC", "local_government"),
    ("Moslimconsulenten", "religious_counsel"),
]
# Each prison has its own psychosocial service (PSD): "PSD <prison name>", kind prison_service.

# code, name, required, order
LIFE_DOMAINS = [
    ("psychosocial", gettext_noop("Psychosociale begeleiding"), True, 1),
    ("education_employment", gettext_noop("Opleiding en tewerkstelling"), True, 2),
    ("mental_health", gettext_noop("Geestelijke gezondheidszorg (trauma, gespecialiseerde zorg, verslaving)"), True, 3),
    ("social_context", gettext_noop("Sociale context (familie en netwerk)"), True, 4),
    ("alternative_discourse", gettext_noop("Alternatief discours (religieuze autoriteit, steunfiguren)"), True, 5),
    ("housing", gettext_noop("Huisvesting"), False, 6),
    ("finances", gettext_noop("Financiën"), False, 7),
    ("administration", gettext_noop("Administratie"), False, 8),
    ("leisure", gettext_noop("Vrije tijd"), False, 9),
]

# code, name, group, order
INTERVENTION_MODULES = [
    ("practical_help", gettext_noop("Praktische hulp"), "Begeleiding", 1),
    ("network_approach", gettext_noop("Netwerkaanpak"), "Begeleiding", 2),
    ("impulsivity", gettext_noop("Impulsiviteit"), "Cognitief-gedragsmatig", 10),
    ("anger", gettext_noop("Boosheid"), "Cognitief-gedragsmatig", 11),
    ("thinking_patterns", gettext_noop("Denkpatronen"), "Cognitief-gedragsmatig", 12),
    ("locus_of_control", gettext_noop("Locus of control"), "Cognitief-gedragsmatig", 13),
    ("identity_vulnerability", gettext_noop("Identiteit en kwetsbaarheid"), "Cognitief-gedragsmatig", 14),
    ("coping", gettext_noop("Coping"), "Cognitief-gedragsmatig", 15),
    ("universal_values", gettext_noop("Universele waarden"), "Cognitief-gedragsmatig", 16),
    ("religious_meaning", gettext_noop("Religieuze zingeving"), "Cognitief-gedragsmatig", 17),
    ("social_skills", gettext_noop("Sociale vaardigheden"), "Cognitief-gedragsmatig", 18),
]


def load(apps) -> None:
    """Insert or update every reference row; safe to run more than once."""
    Prison = apps.get_model("casework", "Prison")
    Organisation = apps.get_model("accounts", "Organisation")
    LifeDomain = apps.get_model("casework", "LifeDomain")
    InterventionModule = apps.get_model("casework", "InterventionModule")
    for code, name, city, region, capacity, satellite, wing in PRISONS:
        Prison.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "city": city,
                "region": region,
                "capacity": capacity,
                "is_satellite": satellite,
                "has_extremism_wing": wing,
            },
        )
        Organisation.objects.get_or_create(name=f"PSD {name}", defaults={"kind": "prison_service"})
    for name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    for code, name, required, order in LIFE_DOMAINS:
        LifeDomain.objects.update_or_create(code=code, defaults={"name": name, "required": required, "order": order})
    for code, name, group, order in INTERVENTION_MODULES:
        InterventionModule.objects.update_or_create(code=code, defaults={"name": name, "group": group, "order": order})


def unload(apps) -> None:
    apps.get_model("casework", "InterventionModule").objects.filter(
        code__in=[m[0] for m in INTERVENTION_MODULES]
    ).delete()
    apps.get_model("casework", "LifeDomain").objects.filter(code__in=[d[0] for d in LIFE_DOMAINS]).delete()
    apps.get_model("casework", "Prison").objects.filter(code__in=[p[0] for p in PRISONS]).delete()
    Organisation = apps.get_model("accounts", "Organisation")
    Organisation.objects.filter(name__in=[o[0] for o in ORGANISATIONS]).delete()
    Organisation.objects.filter(name__in=[f"PSD {p[1]}" for p in PRISONS]).delete()
