"""A small detector of Dutch left in a French or English page.

Two signs, on the text a reader meets (text nodes and the title, aria-label, placeholder and alt
attributes; scripts, styles and anything marked with a Dutch `lang` attribute — the language switch
names Nederlands in Dutch on purpose — and identifiers marked translate="no" left out):
- a word that only Dutch uses among our three languages (`DUTCH_WORDS`: function words and the
  domain's own nouns; no word French or English also writes, such as "de", "en", "met", "is", "over");
- a Dutch text of our catalogue, translated differently in the page's language, found verbatim.

Proper nouns stay in Dutch in every language. The allow-list below names the few the product ships
(organisations, prisons, the shipped organisation names of the reference data); `allowed` adds the
names in the test's own database (people, organisations, prisons), which are content, shown as typed.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import polib
from django.conf import settings

DUTCH_WORDS = frozenset(
    """
het een niet geen voor naar deze wordt worden zijn heeft hebben nog ook maar wel bij uit tot dat wie hoe
waar kan moet mag jouw uw ons onze alle nieuw nieuwe opslaan bewaren toevoegen verwijderen wijzigen annuleren
terug zoeken overzicht gedetineerde gedetineerden gevangenis gevangenissen casusoverleg verslag verslagen
traject trajecten consulent consulenten levensdomein levensdomeinen doelen acties beslissing beslissingen
deelnemers toestemming begeleiding vervaldatum onderdeel onderdelen aanwezig afwezig gesprek contactmoment
contactmomenten gepland afgesloten openstaand openstaande geweigerd goedgekeurd goedkeuren ontwerp agendapunt
agendapunten opvolging nazorg vrijlating netwerk melding meldingen herinnering herinneringen afspraken
afgesproken opleiding tewerkstelling huisvesting financiën vrije tijd gezondheid geestelijke psychosociale
verslaving familie steunfiguren alternatief veiligheid welzijn uitnodiging uitgenodigd
""".split()
)

# Proper nouns that stay Dutch in every language (shipped reference data and the product's own names).
PROPER_NOUNS = (
    "CAW Limburg",
    "De Rode Antraciet",
    "Groep Intro",
    "JWW / CAW",
    "Justitiehuis",
    "Moslimconsulenten",
    "Leuven-Centraal",
    "Leuven-Hulp",
    "Sint-Gillis",
    "Nederlands",
)

SKIPPED_ELEMENTS = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1>", re.S | re.I)
# An element marked Dutch inside the page (not the page itself: its <html lang> is the page's language).
DUTCH_MARKED = re.compile(r"<(?!html\b)(\w+)\b[^>]*\blang=\"nl[^\"]*\"[^>]*>.*?</\1>", re.S | re.I)
# An identifier a page shows as such (a route name in the refusal log), marked translate="no": not prose.
UNTRANSLATED = re.compile(r"<(\w+)\b[^>]*\btranslate=\"no\"[^>]*>.*?</\1>", re.S | re.I)
READ_ATTRIBUTES = re.compile(r"\b(?:title|aria-label|placeholder|alt)=\"([^\"]*)\"", re.I)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.U)
LANGUAGE_DIR = {"fr-be": "fr_BE", "en": "en"}


def visible_text(body: str) -> str:
    """The words of an HTML page a reader meets (see the module docstring)."""
    body = SKIPPED_ELEMENTS.sub(" ", body)
    body = DUTCH_MARKED.sub(" ", body)
    body = UNTRANSLATED.sub(" ", body)
    attributes = " ".join(READ_ATTRIBUTES.findall(body))
    text = TAG.sub(" ", body) + " " + attributes
    return re.sub(r"\s+", " ", html.unescape(text))


@cache
def catalogue_phrases(language: str) -> tuple[str, ...]:
    """Dutch texts of our catalogue that the language translates differently, long enough to mean
    something on their own (two words or more, placeholders and markup left out)."""
    nl = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "nl_BE" / "LC_MESSAGES" / "django.po"))
    translated = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / LANGUAGE_DIR[language] / "LC_MESSAGES" / "django.po")
    )
    translations = {(e.msgctxt, e.msgid): e.msgstr for e in translated if not e.msgid_plural}
    from accounts.admin_catalogue import DJANGO_ADMIN_TEXTS

    phrases = []
    for entry in nl:
        if entry.msgid_plural or entry.msgid in DJANGO_ADMIN_TEXTS:
            continue
        other = translations.get((entry.msgctxt, entry.msgid))
        if not other or other == entry.msgid:
            continue
        for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]*>", entry.msgid):
            part = part.strip(" .:,;–—()")
            if len(part.split()) >= 2 and len(part) >= 12:
                phrases.append(part)
    return tuple(sorted(set(phrases), key=len, reverse=True))


def dutch_in(body: str, language: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """What looks Dutch in the page (empty when nothing does): each finding with a little context."""
    text = visible_text(body)
    for name in sorted((*PROPER_NOUNS, *allowed), key=len, reverse=True):
        if name:
            text = text.replace(name, " ")
    findings = []
    for match in WORD.finditer(text):
        if match.group(0).casefold() in DUTCH_WORDS:
            start = max(0, match.start() - 40)
            findings.append(f"{match.group(0)!r} in …{text[start : match.end() + 40].strip()}…")
    for phrase in catalogue_phrases(language):
        if phrase in text:
            findings.append(f"catalogue text {phrase!r}")
    return findings


def database_names() -> tuple[str, ...]:
    """Names in the test database that are content (people, organisations, prisons): shown as typed."""
    from accounts.models import Organisation, User
    from casework.models import Detainee, NetworkPerson, Prison

    names: list[str] = []
    for first, last in User.objects.values_list("first_name", "last_name"):
        names += [f"{first} {last}", f"{last} {first}", f"{last}, {first}", f"{last.upper()} {first}", first, last]
    for first, last in Detainee.objects.values_list("first_name", "last_name"):
        names += [f"{first} {last}", f"{last} {first}", f"{last}, {first}", f"{last.upper()} {first}", first, last]
    names += list(NetworkPerson.objects.values_list("name", flat=True))
    names += list(Organisation.objects.values_list("name", flat=True))
    for name, city in Prison.objects.values_list("name", "city"):
        names += [name, city]
    return tuple(name for name in names if name)
