"""What the columns and values of an in-scope list may be called, in Dutch, French and English.

Headers and values are compared by `key()`: lower case, accents, spaces and punctuation removed, so
"Date de naissance", "date_de_naissance" and "DATE DE NAISSANCE" are one key. Besides the words below,
the labels the interface itself shows (model choices, in every interface language) are accepted, with
the abbreviations those labels carry in brackets ("Potentieel gewelddadige extremist (PGE)" → PGE).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .text import fold

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_BRACKETED = re.compile(r"\(([^)]+)\)")

# (code, required, label) of every column the import understands, in the order of the sample file.
FIELDS = (
    ("external_ref", True, _("Referentie op de in-scopelijst")),
    ("last_name", True, _("Familienaam")),
    ("first_name", True, _("Voornaam")),
    ("date_of_birth", False, _("Geboortedatum")),
    ("national_number", False, _("Rijksregisternummer")),
    ("prison", True, _("Gevangenis")),
    ("legal_status", True, _("Juridisch statuut")),
    ("incarcerated_on", False, _("Opgesloten op")),
    ("leave_eligible_on", False, _("Toelaatbaarheidsdatum penitentiair verlof")),
    ("conditional_release_eligible_on", False, _("Toelaatbaarheidsdatum voorwaardelijke invrijheidstelling")),
    ("sentence_ends_on", False, _("Strafeinde")),
    ("listing_category", False, _("OCAD-categorie")),
    ("threat_level", False, _("Dreigingsniveau")),
    ("listed_on", False, _("Opgenomen op (OCAD)")),
)
FIELD_CODES = tuple(code for code, _required, _label in FIELDS)
REQUIRED_FIELDS = tuple(code for code, required, _label in FIELDS if required)
FIELD_LABELS = {code: label for code, _required, label in FIELDS}

# Header words as the office exports write them (nl, fr, en), besides our own codes and labels.
HEADER_ALIASES = {
    "external_ref": (
        "referentie",
        "ref",
        "referentienummer",
        "referentie in-scopelijst",
        "dossiernummer",
        "id",
        "nr",
        "nummer",
        "volgnummer",
        "reference",
        "référence",
        "numéro",
        "numéro de dossier",
        "n° dossier",
        "no dossier",
        "identifiant",
        "external reference",
        "reference number",
        "list id",
        "in-scope id",
        "epi ref",
    ),
    "last_name": (
        "naam",
        "familienaam",
        "achternaam",
        "nom",
        "nom de famille",
        "last name",
        "surname",
        "family name",
        "name",
    ),
    "first_name": ("voornaam", "voornamen", "prénom", "prénoms", "first name", "given name", "forename"),
    "date_of_birth": (
        "geboortedatum",
        "geboren op",
        "geb datum",
        "geb. datum",
        "date de naissance",
        "né le",
        "née le",
        "naissance",
        "date of birth",
        "birth date",
        "birthdate",
        "dob",
    ),
    "national_number": (
        "rijksregisternummer",
        "rijksregister",
        "rr-nummer",
        "rrn",
        "insz",
        "insz-nummer",
        "numéro national",
        "numéro de registre national",
        "registre national",
        "nn",
        "niss",
        "national number",
        "national register number",
        "national registry number",
    ),
    "prison": (
        "gevangenis",
        "instelling",
        "inrichting",
        "penitentiaire inrichting",
        "prison",
        "établissement",
        "établissement pénitentiaire",
        "institution",
        "facility",
    ),
    "legal_status": (
        "statuut",
        "juridisch statuut",
        "juridische status",
        "status",
        "statut",
        "statut juridique",
        "legal status",
        "situation juridique",
    ),
    "incarcerated_on": (
        "opgesloten op",
        "datum opsluiting",
        "opsluitingsdatum",
        "datum van opsluiting",
        "datum opsluiting",
        "date d'incarcération",
        "incarcéré le",
        "date incarcération",
        "incarcerated on",
        "date of incarceration",
        "incarceration date",
    ),
    "leave_eligible_on": (
        "toelaatbaarheidsdatum penitentiair verlof",
        "toelaatbaarheid pv",
        "datum pv",
        "pv",
        "penitentiair verlof",
        "date d'admissibilité au congé pénitentiaire",
        "admissibilité congé pénitentiaire",
        "congé pénitentiaire",
        "leave eligible on",
        "prison leave eligibility",
        "prison leave",
    ),
    "conditional_release_eligible_on": (
        "toelaatbaarheidsdatum voorwaardelijke invrijheidstelling",
        "toelaatbaarheid vi",
        "datum vi",
        "vi",
        "voorwaardelijke invrijheidstelling",
        "date d'admissibilité à la libération conditionnelle",
        "admissibilité libération conditionnelle",
        "libération conditionnelle",
        "lc",
        "conditional release eligible on",
        "conditional release",
        "parole eligibility",
    ),
    "sentence_ends_on": (
        "strafeinde",
        "einde straf",
        "einddatum straf",
        "fin de peine",
        "date de fin de peine",
        "sentence ends on",
        "end of sentence",
        "sentence end",
    ),
    "listing_category": (
        "categorie",
        "ocad-categorie",
        "categorie ocad",
        "catégorie",
        "catégorie ocam",
        "catégorie ocad",
        "listing category",
        "category",
        "ocad category",
    ),
    "threat_level": ("dreigingsniveau", "niveau", "dreiging", "niveau de menace", "menace", "threat level", "level"),
    "listed_on": (
        "opgenomen op",
        "datum opname",
        "datum van opname",
        "opnamedatum",
        "inschrijvingsdatum",
        "datum vermelding",
        "date d'inscription",
        "inscrit le",
        "date d'enregistrement",
        "listed on",
        "listing date",
        "date listed",
    ),
}

# Value words besides the codes and the interface labels.
LEGAL_STATUS_WORDS = {
    "accused": (
        "beklaagd",
        "verdachte",
        "inverdenkinggestelde",
        "voorlopige hechtenis",
        "in voorlopige hechtenis",
        "prévenue",
        "inculpé",
        "inculpée",
        "détention préventive",
        "remand",
        "pre-trial",
        "pretrial",
    ),
    "convicted": ("veroordeeld", "condamnée", "sentenced", "convict"),
    "interned": ("geïnterneerd", "internée", "internee"),
}
CATEGORY_WORDS = {
    "ftf": ("foreign terrorist fighter", "combattant terroriste étranger"),
    "htf": ("homegrown terrorist fighter",),
    "hate_propagandist": ("haatprediker", "propagandiste de la haine", "hp"),
    "pve": ("potentieel gewelddadig extremist", "gewelddadige extremist"),
    "terrorism_convict": ("terrorist veroordeeld", "veroordeeld voor terrorisme", "terroriste condamné"),
}
THREAT_LEVEL_WORDS = {
    1: ("laag", "zwak", "faible", "low", "minor"),
    2: ("gemiddeld", "middelmatig", "moyen", "medium", "average"),
    3: ("ernstig", "grave", "serious", "severe"),
    4: ("zeer ernstig", "très grave", "very serious", "very severe", "critical"),
}
# Prisons as the French and English lists name them, and the words around a prison name.
PRISON_ALIASES = {
    "sint-gillis": ("saint-gilles", "st-gillis", "st-gilles"),
    "vorst": ("forest",),
    "brugge": ("bruges",),
    "gent": ("gand", "ghent"),
    "antwerpen": ("anvers", "antwerp"),
    "mechelen": ("malines",),
    "ieper": ("ypres",),
    "dendermonde": ("termonde",),
    "oudenaarde": ("audenarde",),
    "tongeren": ("tongres",),
    "leuven-centraal": ("louvain central", "louvain-central", "leuven centraal"),
    "leuven-hulp": ("louvain secondaire", "hulpgevangenis leuven", "leuven hulpgevangenis", "louvain auxiliaire"),
    "haren": (
        "brussel haren",
        "bruxelles haren",
        "penitentiair complex brussel",
        "complexe pénitentiaire de bruxelles",
    ),
}
_PRISON_NOISE_WORDS = {
    "gevangenis",
    "prison",
    "de",
    "van",
    "te",
    "of",
    "penitentiair",
    "complex",
    "centre",
    "penitentiaire",
    "pc",
    "cp",
    "inrichting",
    "etablissement",
}


def key(text: str) -> str:
    """Compare key: lower case, no accents, no spaces or punctuation."""
    return _NON_ALNUM.sub("", fold(str(text)))


def _interface_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _labels_in_every_language(label) -> list[str]:
    labels = []
    for language in _interface_languages():
        with translation.override(language):
            labels.append(str(label))
    return labels


@lru_cache(maxsize=1)
def header_aliases() -> dict[str, str]:
    """key → field code, for every alias, every label of the import and every model verbose name, in all languages."""
    from .models import Detainee, Listing

    aliases: dict[str, str] = {}

    def add(word, field: str) -> None:
        aliases.setdefault(key(word), field)

    for code in FIELD_CODES:
        add(code, code)
    for field, words in HEADER_ALIASES.items():
        for word in words:
            add(word, field)
    for code, _required, label in FIELDS:
        for text in _labels_in_every_language(label):
            add(text, code)
    model_fields = {
        "listing_category": (Listing, "category"),
        "threat_level": (Listing, "threat_level"),
        "listed_on": (Listing, "listed_on"),
        "prison": (Detainee, "current_prison"),
    }
    for code in FIELD_CODES:
        model, name = model_fields.get(code, (Detainee, code))
        for text in _labels_in_every_language(model._meta.get_field(name).verbose_name):
            add(text, code)
    aliases.pop("", None)
    return aliases


def _choice_vocabulary(choices, extra: dict) -> dict[str, str]:
    vocabulary: dict[str, str] = {}
    for code, label in choices:
        vocabulary.setdefault(key(code), code)
        for text in _labels_in_every_language(label):
            vocabulary.setdefault(key(text), code)
            # "Potentieel gewelddadige extremist (PGE)": also "PGE" and the name without the bracket.
            for abbreviation in _BRACKETED.findall(text):
                vocabulary.setdefault(key(abbreviation), code)
            vocabulary.setdefault(key(_BRACKETED.sub("", text)), code)
    for code, words in extra.items():
        for word in words:
            vocabulary.setdefault(key(word), code)
    vocabulary.pop("", None)
    return vocabulary


@lru_cache(maxsize=1)
def legal_status_vocabulary() -> dict[str, str]:
    from .models import Detainee

    return _choice_vocabulary(Detainee.LegalStatus.choices, LEGAL_STATUS_WORDS)


@lru_cache(maxsize=1)
def category_vocabulary() -> dict[str, str]:
    from .models import Listing

    return _choice_vocabulary(Listing.Category.choices, CATEGORY_WORDS)


@lru_cache(maxsize=1)
def threat_level_vocabulary() -> dict[str, int]:
    vocabulary = {key(word): level for level, words in THREAT_LEVEL_WORDS.items() for word in words}
    for level in range(1, 5):
        for prefix in ("", "niveau", "level", "dreigingsniveau", "niveau de menace", "threat level"):
            vocabulary[key(f"{prefix} {level}")] = level
            vocabulary[key(f"{prefix} {level}.0")] = level
    return vocabulary


def prison_key(text: str) -> str:
    """A prison name without the words around it: "Gevangenis van Hasselt", "Prison de Lantin" → hasselt, lantin."""
    words = [word for word in re.split(r"[^0-9a-z]+", fold(str(text))) if word]
    kept = [word for word in words if word not in _PRISON_NOISE_WORDS] or words
    return "".join(kept)


def prison_vocabulary(prisons) -> dict[str, object]:
    """key → Prison for the given prisons: code, name and the French and English names."""
    vocabulary: dict[str, object] = {}
    for prison in prisons:
        for text in (prison.code, prison.name, *PRISON_ALIASES.get(prison.code, ())):
            vocabulary.setdefault(prison_key(text), prison)
            vocabulary.setdefault(key(text), prison)
    return vocabulary
