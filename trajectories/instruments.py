"""The three assessment instruments we ship, in our own wording.

Licensed instruments (VERA-2R, ERG …) are configured by an admin; their wording is never shipped.
Loaded by migration 0002 and, because test runs that flush the database lose migration data, by the
test fixtures that need them.

The rows are stored in Dutch (the minutes and their fingerprint quote them as stored); the names,
descriptions, section titles and item labels are marked for translation (gettext_noop) and shown in the
reader's language through `AssessmentTemplate.display_name` and friends (ADR 0010). Only a text that is
still the shipped one is translated: a licensed instrument or a wording an administrator changed is shown
as typed.
"""

from django.utils.translation import gettext, gettext_noop

NEED = "need"
RISK = "risk"
PROTECTIVE = "protective"

TEMPLATES = [
    {
        "code": "life-domain-needs",
        "name": gettext_noop("Noden per levensdomein"),
        "description": (
            gettext_noop(
                "Korte scan van de noden in elk levensdomein. 0 = geen nood, 1 = enige nood (opvolgen), "
                "2 = duidelijke nood (doel of doorverwijzing nodig)."
            )
        ),
        "sections": [
            (
                "psychosocial",
                gettext_noop("Psychosociaal welzijn"),
                [
                    ("wellbeing", gettext_noop("Voelt zich overwegend slecht in zijn of haar vel"), "0_2", NEED),
                    ("self_image", gettext_noop("Heeft een negatief zelfbeeld of weinig zelfvertrouwen"), "0_2", NEED),
                    (
                        "coping",
                        gettext_noop("Heeft weinig manieren om met spanning of tegenslag om te gaan"),
                        "0_2",
                        NEED,
                    ),
                ],
            ),
            (
                "education_employment",
                gettext_noop("Onderwijs en werk"),
                [
                    (
                        "qualification",
                        gettext_noop("Mist een diploma of kwalificatie die hij of zij wil behalen"),
                        "0_2",
                        NEED,
                    ),
                    ("work_experience", gettext_noop("Heeft weinig of geen werkervaring"), "0_2", NEED),
                    (
                        "prison_activity",
                        gettext_noop("Neemt niet deel aan opleiding of werk in de gevangenis"),
                        "0_2",
                        NEED,
                    ),
                ],
            ),
            (
                "mental_health",
                gettext_noop("Geestelijke gezondheid"),
                [
                    ("trauma", gettext_noop("Er zijn tekenen van onverwerkte ingrijpende ervaringen"), "0_2", NEED),
                    (
                        "specialised_care",
                        gettext_noop("Heeft gespecialiseerde zorg nodig die nog niet loopt"),
                        "0_2",
                        NEED,
                    ),
                    (
                        "substance_use",
                        gettext_noop("Gebruikt alcohol, drugs of medicatie op een problematische manier"),
                        "0_2",
                        NEED,
                    ),
                ],
            ),
            (
                "social_context",
                gettext_noop("Familie en netwerk"),
                [
                    ("family_contact", gettext_noop("Heeft weinig of geen steunend contact met familie"), "0_2", NEED),
                    (
                        "prosocial_network",
                        gettext_noop("Heeft weinig contacten buiten het extremistische milieu"),
                        "0_2",
                        NEED,
                    ),
                    (
                        "network_pressure",
                        gettext_noop("Krijgt druk vanuit het netwerk om in het milieu te blijven"),
                        "0_2",
                        NEED,
                    ),
                ],
            ),
            (
                "alternative_discourse",
                gettext_noop("Alternatief discours en steunfiguren"),
                [
                    (
                        "religious_guide",
                        gettext_noop("Heeft geen gezaghebbende gesprekspartner over geloof of zingeving"),
                        "0_2",
                        NEED,
                    ),
                    (
                        "support_figure",
                        gettext_noop("Heeft geen vertrouwensfiguur die een ander verhaal brengt"),
                        "0_2",
                        NEED,
                    ),
                ],
            ),
            (
                "practical",
                gettext_noop("Wonen, financiën en administratie"),
                [
                    ("housing", gettext_noop("Heeft geen zicht op een woonplaats na de detentie"), "0_2", NEED),
                    ("debts", gettext_noop("Heeft schulden of geen inkomen bij vrijlating"), "0_2", NEED),
                    (
                        "documents",
                        gettext_noop("Mist identiteitsdocumenten, verblijfspapieren of verzekering"),
                        "0_2",
                        NEED,
                    ),
                ],
            ),
        ],
    },
    {
        "code": "push-pull",
        "name": gettext_noop("Push- en pullfactoren"),
        "description": (
            gettext_noop(
                "Wat iemand wegduwt uit de extremistische groep (push) en wat hem of haar aantrekt naar een leven "
                "daarbuiten (pull). 0 = niet aanwezig, 1 = enigszins, 2 = duidelijk aanwezig. Hoe hoger, hoe meer "
                "aanknopingspunten voor het traject."
            )
        ),
        "sections": [
            (
                "push",
                gettext_noop("Pushfactoren: wat wegduwt"),
                [
                    (
                        "stigma",
                        gettext_noop("Ervaart de afkeuring en het stigma van het milieu als zwaar"),
                        "0_2",
                        PROTECTIVE,
                    ),
                    ("lost_support", gettext_noop("Voelt zich niet meer gesteund door de groep"), "0_2", PROTECTIVE),
                    ("ideology_doubt", gettext_noop("Twijfelt aan de denkbeelden van de groep"), "0_2", PROTECTIVE),
                    (
                        "strategy_rejection",
                        gettext_noop("Keurt de methodes of de leiding van de groep af"),
                        "0_2",
                        PROTECTIVE,
                    ),
                    ("burnout", gettext_noop("Is moe van het leven in en rond de groep"), "0_2", PROTECTIVE),
                ],
            ),
            (
                "pull",
                gettext_noop("Pullfactoren: wat aantrekt"),
                [
                    ("normal_life", gettext_noop("Verlangt naar vrijheid en een gewoon leven"), "0_2", PROTECTIVE),
                    (
                        "family_plans",
                        gettext_noop("Wil een gezin stichten of zorg opnemen voor naasten"),
                        "0_2",
                        PROTECTIVE,
                    ),
                    ("career", gettext_noop("Ziet kansen op werk of opleiding"), "0_2", PROTECTIVE),
                    ("new_relations", gettext_noop("Bouwt positieve relaties op buiten het milieu"), "0_2", PROTECTIVE),
                ],
            ),
        ],
    },
    {
        "code": "exit-barriers",
        "name": gettext_noop("Drempels om de groep te verlaten"),
        "description": (
            gettext_noop(
                "Zeven drempels die het verlaten van een extremistische groep moeilijker maken, naar het overzicht van "
                "Bjørgo in het artikel over exit-programma's. 0 = speelt niet, 1 = speelt enigszins, 2 = speelt sterk."
            )
        ),
        "sections": [
            (
                "barriers",
                gettext_noop("Drempels"),
                [
                    (
                        "no_one_to_talk_to",
                        gettext_noop("Heeft niemand om twijfels over vertrekken mee te bespreken"),
                        "0_2",
                        RISK,
                    ),
                    (
                        "fear_of_reprisal",
                        gettext_noop("Vreest wraak of straffen van de groep bij vertrek"),
                        "0_2",
                        RISK,
                    ),
                    (
                        "no_safety_net",
                        gettext_noop(
                            "Heeft buiten de groep geen opvang meer, omdat familie- en vriendschapsbanden verbroken zijn"
                        ),
                        "0_2",
                        RISK,
                    ),
                    (
                        "loss_of_protection",
                        gettext_noop("Verliest bij vertrek de bescherming tegen vroegere vijanden"),
                        "0_2",
                        RISK,
                    ),
                    (
                        "future_lost",
                        gettext_noop("Denkt dat zijn of haar kansen op werk of opleiding toch al verloren zijn"),
                        "0_2",
                        RISK,
                    ),
                    (
                        "valued_group",
                        gettext_noop("Hecht nog waarde aan wat de groep biedt: erkenning, kameraadschap, zin"),
                        "0_2",
                        RISK,
                    ),
                    ("loneliness", gettext_noop("Vreest eenzaamheid en isolement na het vertrek"), "0_2", RISK),
                ],
            ),
        ],
    },
]


SHIPPED_TEXTS = frozenset(
    text
    for spec in TEMPLATES
    for text in (
        spec["name"],
        spec["description"],
        *(title for _code, title, _items in spec["sections"]),
        *(label for _code, title, items in spec["sections"] for _c, label, _s, _k in items),
    )
)


def shipped_text(text: str) -> str:
    """A shipped text in the active language; any other text (typed by an administrator) as stored."""
    return gettext(text) if text in SHIPPED_TEXTS else text


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
