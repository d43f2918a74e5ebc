"""The three catalogues (nl_BE, fr_BE, en) are complete and in step with the code.

Complete: every entry has a translation (every plural form), none is fuzzy, and each translation
keeps the placeholders of its source text. In step: extracting the messages from the code as
`make messages` does finds nothing the catalogues lack — so adding a `_("…")` without running
`make messages` and translating fails here.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["nl_BE", "fr_BE", "en"]
# What `make messages` leaves out (Makefile, I18N_IGNORE), plus what holds no code.
IGNORED = {".venv", "var", "node_modules", "tests", "locale", ".git", ".hypothesis", ".ruff_cache", ".pytest_cache"}
EXTENSIONS = {".py", ".html", ".txt"}
# %(name)s, %s, %d … (python-format) and {name} (str.format); "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\w*\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> Counter:
    return Counter(match for match in PLACEHOLDER.findall(text) if match != "%%")


def entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in catalogue(language) if not entry.obsolete]


def where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid[:70]!r} ({places})"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    untranslated = []
    for entry in entries(language):
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural and len(forms) != 2:
            untranslated.append(where(entry) + f": {len(forms)} plural forms, 2 expected")
        elif not all(form.strip() for form in forms):
            untranslated.append(where(entry))
    assert not untranslated, f"{language}: untranslated entries (run `make messages` and translate):\n" + "\n".join(
        untranslated
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    fuzzy = [where(entry) for entry in entries(language) if "fuzzy" in entry.flags]
    assert not fuzzy, f"{language}: fuzzy entries (check the guess, fix it, then drop the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in entries(language):
        if entry.msgid_plural:
            source = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            forms = [entry.msgstr_plural[key] for key in sorted(entry.msgstr_plural)]
            # The singular form may leave the number out ("One row"); no form may invent a placeholder,
            # and the plural form carries every placeholder of the source's plural.
            ok = all(not (placeholders(form) - source) for form in forms) and (
                not forms or placeholders(forms[-1]) == placeholders(entry.msgid_plural)
            )
        else:
            ok = placeholders(entry.msgstr) == placeholders(entry.msgid)
        if not ok:
            wrong.append(where(entry))
    assert not wrong, f"{language}: placeholders differ between source and translation:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dutch_is_the_source_and_the_header_says_the_plural_rule(language):
    po = catalogue(language)
    expected = "nplurals=2; plural=(n > 1);" if language == "fr_BE" else "nplurals=2; plural=(n != 1);"
    assert po.metadata.get("Plural-Forms") == expected
    if language == "nl_BE":
        # Except the few texts of Django's own admin that Django's Dutch catalogue lacks (English sources).
        from accounts.admin_catalogue import DJANGO_ADMIN_TEXTS

        differ = [
            where(e)
            for e in entries(language)
            if not e.msgid_plural and e.msgstr != e.msgid and e.msgid not in DJANGO_ADMIN_TEXTS
        ]
        assert not differ, "nl_BE translates the Dutch source text to itself:\n" + "\n".join(differ)


# --- In step with the code ---------------------------------------------------------------------------------------


def copy_sources(target: Path) -> None:
    """The files makemessages reads, without the folders `make messages` ignores."""
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in IGNORED or relative.as_posix().startswith("static/vendor/"):
            continue
        if path.suffix in EXTENSIONS and path.is_file():
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def extract(source: Path, settings, monkeypatch) -> polib.POFile:
    """The template catalogue (.pot) makemessages builds from the code under `source`."""
    locale = source / "locale"
    locale.mkdir()
    # makemessages writes next to LOCALE_PATHS: point it at the copy, never at the real catalogues.
    settings.LOCALE_PATHS = [str(locale)]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["nl_BE"], keep_pot=True, verbosity=0)
    return polib.pofile(str(locale / "django.pot"))


def missing_from_catalogues(pot: polib.POFile) -> dict[str, list[str]]:
    missing = {}
    for language in LANGUAGES:
        known = {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries(language)}
        absent = [where(e) for e in pot if (e.msgctxt, e.msgid, e.msgid_plural) not in known]
        if absent:
            missing[language] = absent
    return missing


@pytest.fixture
def sources(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("gettext's xgettext is needed to check the catalogues (Debian/Ubuntu: apt-get install gettext)")
    copy_sources(tmp_path)
    return tmp_path


def test_the_catalogues_hold_every_message_of_the_code(sources, settings, monkeypatch):
    missing = missing_from_catalogues(extract(sources, settings, monkeypatch))
    assert not missing, (
        "Messages in the code that a catalogue lacks (run `make messages` and translate):\n"
        + "\n".join(f"{language}: {entry}" for language, absent in missing.items() for entry in absent)
    )


def test_a_new_message_without_a_catalogue_entry_is_caught(sources, settings, monkeypatch):
    (sources / "accounts" / "untranslated_example.py").write_text(
        'from django.utils.translation import gettext as _\n\nTEXT = _("Een zin die nog niemand vertaalde")\n'
    )
    (sources / "templates" / "untranslated_example.html").write_text(
        '{% load i18n %}<p>{% trans "Nog een zin zonder vertaling" %}</p>\n'
    )
    missing = missing_from_catalogues(extract(sources, settings, monkeypatch))
    assert set(missing) == set(LANGUAGES)
    for absent in missing.values():
        found = " ".join(absent)
        assert "'Een zin die nog niemand vertaalde' (accounts/untranslated_example.py:3)" in found
        assert "'Nog een zin zonder vertaling' (templates/untranslated_example.html:1)" in found
