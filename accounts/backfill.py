"""Find the meaning (code + parameters, accounts/texts.py) of a generated text written before texts were
stored as meaning: the data migrations use it on existing rows (notifications 0004 on reminders and
notifications, casework 0013 on the disclosure log).

A stored text is matched against every catalogue text, in every language of the site: exactly for a
text without parameters, by a pattern built from the translation for one with `%(name)s` placeholders.
A text that matches nothing (typed elsewhere, or from a source text since changed) keeps no code and is
shown as stored."""

from __future__ import annotations

import gettext as gettext_module
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import trans_real

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# A placeholder's group in a built pattern, to measure the words of its own around it.
GROUP = re.compile(r"\(\?P(?:<\w+>\.\+\?|=\w+)\)")
# A pattern needs this many characters of its own besides the placeholders to say anything.
MIN_LITERAL = 8


@dataclass
class MeaningIndex:
    exact: dict[str, str] = field(default_factory=dict)
    # (literal start of the text, compiled pattern, code), tried in order of a longer literal start first.
    patterns: list[tuple[str, re.Pattern, str]] = field(default_factory=list)

    def add(self, words: str, code: str) -> None:
        if not words or "%" not in words:
            self.exact.setdefault(words, code)
            return
        pieces = PLACEHOLDER.split(words)
        if len(pieces) == 1 or re.search(r"%[^(%]", PLACEHOLDER.sub("", words)):
            return  # positional or unusual placeholders: not a generated notification text
        if len("".join(pieces[0::2]).strip()) < MIN_LITERAL:
            return  # mostly placeholders ("%(a)s %(b)s"): it would match anything
        regex, names = "", set()
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                regex += re.escape(piece.replace("%%", "%"))
            elif piece in names:
                regex += f"(?P={piece})"
            else:
                names.add(piece)
                regex += f"(?P<{piece}>.+?)"
        self.patterns.append((pieces[0], re.compile(f"^{regex}$", re.S), code))

    def meaning_of(self, text: str) -> tuple[str, dict | None] | None:
        if text in self.exact:
            return self.exact[text], None
        for start, pattern, code in self.patterns:
            if text.startswith(start):
                match = pattern.match(text)
                if match:
                    return code, match.groupdict()
        return None


def build_index() -> MeaningIndex:
    """Every text of our own catalogues (the codes are the Dutch source texts) in every site language;
    Django's and the libraries' texts are never notification texts and are left out."""
    index = MeaningIndex()
    codes: set[str] = set()
    for language, _name in settings.LANGUAGES:
        try:
            catalog = gettext_module.translation(
                "django", str(settings.LOCALE_PATHS[0]), [trans_real.to_locale(language)]
            )._catalog
        except OSError:
            continue  # catalogues not compiled: nothing to match against
        for key, words in catalog.items():
            if isinstance(key, str) and key and isinstance(words, str):
                codes.add(key)
                index.add(words, key)
    for code in codes:
        index.add(code, code)
    # The longest literal start first; between equal starts the pattern with more words of its own (the
    # more specific text: "Verslag casusoverleg %(ref)s, versie %(v)s" before "Verslag casusoverleg %(ref)s").
    index.patterns.sort(key=lambda row: (len(row[0]), len(GROUP.sub("", row[1].pattern))), reverse=True)
    return index
