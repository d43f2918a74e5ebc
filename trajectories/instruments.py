"""The three assessment instruments we ship, in our own wording.

Licensed instruments (VERA-2R, ERG …) are configured by an admin; their wording is never shipped.
Loaded by migration 0002 and, because test runs that flush the database lose migration data, by the
test fixtures that need them.
"""

NEED = "need"
RISK = "risk"
PROTECTIVE = "protective"

TEMPLATES = [
    {
        "code": "life-domain-needs",
        "name": "Noden per levensdomein",
        "description": (
            "Korte scan van de noden in elk levensdomein. 0 = geen nood, 1 = enige nood (opvolgen), "
            "2 = duidelijke nood (doel of doorverwijzing nodig)."
        ),
        "sections": [
            (
                "psychosocial",
                "Psychosociaal welzijn",
                [
                    ("wellbeing", "Voelt zich overwegend slecht in zijn of haar vel", "0_2", NEED),
                    ("self_image", "Heeft een negatief zelfbeeld of weinig zelfvertrouwen", "0_2", NEED),
                    ("coping", "Heeft weinig manieren om met spanning of tegenslag om te gaan", "0_2", NEED),
                ],
            ),
            (
                "education_employment",
                "Onderwijs en werk",
                [
                    ("qualification", "Mist een diploma of kwalificatie die hij of zij wil behalen", "0_2", NEED),
                    ("work_experience", "Heeft weinig of geen werkervaring", "0_2", NEED),
                    ("prison_activity", "Neemt niet deel aan opleiding of werk in de gevangenis", "0_2", NEED),
                ],
            ),
            (
                "mental_health",
                "Geestelijke gezondheid",
                [
                    ("trauma", "Er zijn tekenen van onverwerkte ingrijpende ervaringen", "0_2", NEED),
                    ("specialised_care", "Heeft gespecialiseerde zorg nodig die nog niet loopt", "0_2", NEED),
                    ("substance_use", "Gebruikt alcohol, drugs of medicatie op een problematische manier", "0_2", NEED),
                ],
            ),
            (
                "social_context",
                "Familie en netwerk",
                [
                    ("family_contact", "Heeft weinig of geen steunend contact met familie", "0_2", NEED),
                    ("prosocial_network", "Heeft weinig contacten buiten het extremistische milieu", "0_2", NEED),
                    ("network_pressure", "Krijgt druk vanuit het netwerk om in het milieu te blijven", "0_2", NEED),
                ],
            ),
            (
                "alternative_discourse",
                "Alternatief discours en steunfiguren",
                [
                    (
                        "religious_guide",
                        "Heeft geen gezaghebbende gesprekspartner over geloof of zingeving",
                        "0_2",
                        NEED,
                    ),
                    ("support_figure", "Heeft geen vertrouwensfiguur die een ander verhaal brengt", "0_2", NEED),
                ],
            ),
            (
                "practical",
                "Wonen, financiën en administratie",
                [
                    ("housing", "Heeft geen zicht op een woonplaats na de detentie", "0_2", NEED),
                    ("debts", "Heeft schulden of geen inkomen bij vrijlating", "0_2", NEED),
                    ("documents", "Mist identiteitsdocumenten, verblijfspapieren of verzekering", "0_2", NEED),
                ],
            ),
        ],
    },
    {
        "code": "push-pull",
        "name": "Push- en pullfactoren",
        "description": (
            "Wat iemand wegduwt uit de extremistische groep (push) en wat hem of haar aantrekt naar een leven "
            "daarbuiten (pull). 0 = niet aanwezig, 1 = enigszins, 2 = duidelijk aanwezig. Hoe hoger, hoe meer "
            "aanknopingspunten voor het traject."
        ),
        "sections": [
            (
                "push",
                "Pushfactoren: wat wegduwt",
                [
                    ("stigma", "Ervaart de afkeuring en het stigma van het milieu als zwaar", "0_2", PROTECTIVE),
                    ("lost_support", "Voelt zich niet meer gesteund door de groep", "0_2", PROTECTIVE),
                    ("ideology_doubt", "Twijfelt aan de denkbeelden van de groep", "0_2", PROTECTIVE),
                    ("strategy_rejection", "Keurt de methodes of de leiding van de groep af", "0_2", PROTECTIVE),
                    ("burnout", "Is moe van het leven in en rond de groep", "0_2", PROTECTIVE),
                ],
            ),
            (
                "pull",
                "Pullfactoren: wat aantrekt",
                [
                    ("normal_life", "Verlangt naar vrijheid en een gewoon leven", "0_2", PROTECTIVE),
                    ("family_plans", "Wil een gezin stichten of zorg opnemen voor naasten", "0_2", PROTECTIVE),
                    ("career", "Ziet kansen op werk of opleiding", "0_2", PROTECTIVE),
                    ("new_relations", "Bouwt positieve relaties op buiten het milieu", "0_2", PROTECTIVE),
                ],
            ),
        ],
    },
    {
        "code": "exit-barriers",
        "name": "Drempels om de groep te verlaten",
        "description": (
            "Zeven drempels die het verlaten van een extremistische groep moeilijker maken, naar het overzicht van "
            "Bjørgo in het artikel over exit-programma's. 0 = speelt niet, 1 = speelt enigszins, 2 = speelt sterk."
        ),
        "sections": [
            (
                "barriers",
                "Drempels",
                [
                    ("no_one_to_talk_to", "Heeft niemand om twijfels over vertrekken mee te bespreken", "0_2", RISK),
                    ("fear_of_reprisal", "Vreest wraak of straffen van de groep bij vertrek", "0_2", RISK),
                    (
                        "no_safety_net",
                        "Heeft buiten de groep geen opvang meer, omdat familie- en vriendschapsbanden verbroken zijn",
                        "0_2",
                        RISK,
                    ),
                    ("loss_of_protection", "Verliest bij vertrek de bescherming tegen vroegere vijanden", "0_2", RISK),
                    (
                        "future_lost",
                        "Denkt dat zijn of haar kansen op werk of opleiding toch al verloren zijn",
                        "0_2",
                        RISK,
                    ),
                    (
                        "valued_group",
                        "Hecht nog waarde aan wat de groep biedt: erkenning, kameraadschap, zin",
                        "0_2",
                        RISK,
                    ),
                    ("loneliness", "Vreest eenzaamheid en isolement na het vertrek", "0_2", RISK),
                ],
            ),
        ],
    },
]


def load(apps) -> None:
    """Create or update the shipped instruments (idempotent). `apps` is a migration's app registry or django.apps."""
    Template = apps.get_model("trajectories", "AssessmentTemplate")
    Section = apps.get_model("trajectories", "AssessmentSection")
    Item = apps.get_model("trajectories", "AssessmentItem")
    for spec in TEMPLATES:
        template, _ = Template.objects.update_or_create(
            code=spec["code"], version=1, defaults={"name": spec["name"], "description": spec["description"]}
        )
        for s_order, (s_code, title, items) in enumerate(spec["sections"], start=1):
            section, _ = Section.objects.update_or_create(
                template=template, code=s_code, defaults={"title": title, "order": s_order}
            )
            for i_order, (code, label, scale, kind) in enumerate(items, start=1):
                Item.objects.update_or_create(
                    section=section,
                    code=code,
                    defaults={"label": label, "scale": scale, "kind": kind, "order": i_order},
                )
