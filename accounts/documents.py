"""What every document we hand over has in common: the language it is made in, its cover page and the
words of its running header and footer (templates/documents/: the A4 page, the cover, the styles).

A document is made in the language chosen when it is made (nl, fr, en; default the maker's own), and all
of it — labels, codes, dates — is built under that language. Its cover says what it is, for whom it was
made, who made it and when, in which language, and what it contains; every page carries "confidential",
the document's subject and "page n / N". The subject-access dossier (ADR 0023), the handover package and
the yearly figures (ADR 0035) are built this way."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .display import local_datetime, person_name


def language_choices() -> list[tuple[str, str]]:
    """The languages a document can be made in, each named in itself."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def document_language(value: str | None, *, default: str | None) -> str:
    """The chosen language, else `default`, else the site's; anything else is a field error."""
    language = value or default or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": gettext_lazy("Kies een taal uit de lijst.")})
    return language


def language_name(code: str) -> str:
    names = {lang[:2]: name for lang, name in settings.LANGUAGES}
    return str(names.get((code or "")[:2], code or ""))


def css_text(value) -> str:
    """Text safe inside a CSS string (the running header and footer are `content: "..."`)."""
    return re.sub(r"[\"\\\n\r]", "", str(value or ""))[:120]


@dataclass
class Document:
    """The cover and the page furniture of a document, in the active language."""

    title: str
    for_whom: str
    facts: list[tuple[str, str]]
    about: str
    contents: list[tuple[str, str]] = field(default_factory=list)
    # Left of the footer on every page but the cover: whom or what the pages are about.
    footer: str = ""

    @property
    def css_title(self) -> str:
        return css_text(self.title)

    @property
    def css_footer(self) -> str:
        return css_text(self.footer)


def made_facts(*, made_by, made_at: dt.datetime, language: str, made_by_role: str = "") -> list[tuple[str, str]]:
    """The cover lines every document has: when, by whom, in which language."""
    who = person_name(made_by) if made_by is not None else ""
    if made_by_role:
        who = f"{who}, {made_by_role}" if who else made_by_role
    rows = [(_("Opgemaakt op"), local_datetime(made_at))]
    if who:
        rows.append((_("Opgemaakt door"), who))
    rows.append((_("Taal"), language_name(language)))
    return rows
