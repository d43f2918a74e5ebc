"""Pages hand the JavaScript its words, translated on the server: the scripts have no language of their own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse

SCRIPTS = Path(settings.BASE_DIR) / "static" / "js"
LITERAL = re.compile(r'"([^"\n]*)"|\'([^\'\n]*)\'')


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_no_script_carries_a_text_of_the_catalogue():
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "nl_BE" / "LC_MESSAGES" / "django.po"))
    texts = {entry.msgid.casefold() for entry in catalogue if entry.msgid}
    found = []
    for script in sorted(SCRIPTS.glob("*.js")):
        for match in LITERAL.finditer(script.read_text(encoding="utf-8")):
            literal = (match.group(1) or match.group(2) or "").strip()
            if literal and literal.casefold() in texts:
                found.append(f"{script.name}: {literal!r}")
    # Also the words the calendar and the charts used to carry themselves.
    for script in sorted(SCRIPTS.glob("*.js")):
        source = script.read_text(encoding="utf-8")
        for word in (
            "vandaag",
            "maand",
            "lijst",
            "voorstel",
            "Geen overleggen",
            "Doorgegaan",
            "Contactmomenten",
            '"nl-BE"',
        ):
            if word in source:
                found.append(f"{script.name}: {word!r}")
    assert not found, "texts in scripts (hand them over from the template, translated):\n" + "\n".join(found)


def test_the_planning_calendar_gets_its_words_and_locale_from_the_page(client, director):
    speaks(director, "fr-be")
    client.force_login(director)
    body = client.get(reverse("casusoverleg:calendar")).content.decode()
    assert 'data-locale="fr-be"' in body
    assert 'data-text-today="Aujourd\'hui"' in body
    assert 'data-text-no-events="Aucune concertation pendant cette période"' in body
    assert 'data-hint-view="Affichage\xa0: $0"' in body


def test_english_gives_the_calendar_a_british_locale(client, director):
    speaks(director, "en")
    client.force_login(director)
    body = client.get(reverse("casusoverleg:calendar")).content.decode()
    assert 'data-locale="en-GB"' in body and 'data-text-today="Today"' in body


def test_the_dashboard_charts_get_translated_labels(client, manager):
    speaks(manager, "en")
    client.force_login(manager)
    response = client.get(reverse("reporting:manager_dashboard"))
    assert response.status_code == 200
    data = json.loads(
        re.search(
            r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
        ).group(1)
    )
    assert data["text"] == {
        "attended": "Took place",
        "not_attended": "Did not take place",
        "sessions": "Sessions",
        "domain_percent": "Share of active trajectories with a goal",
    }


def test_shipped_life_domains_and_modules_are_shown_in_the_readers_language(client, consultant, detainee):
    from casework.models import LifeDomain

    LifeDomain.objects.create(code="custom", name="Eigen domein van de beheerder", order=99)
    speaks(consultant, "fr-be")
    client.force_login(consultant)
    body = client.get(reverse("casework:session_create", args=[detainee.pk])).content.decode()
    assert "Accompagnement psychosocial" in body and "Psychosociale begeleiding" not in body
    assert "Compétences sociales" in body
    # A name the administrator typed has no translation: it is shown as typed.
    assert "Eigen domein van de beheerder" in body
