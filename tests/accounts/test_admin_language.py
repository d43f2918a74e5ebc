"""The admin site speaks the user's language: Django's own catalogues (complete in French and English;
the few texts the Dutch one lacks are in ours, accounts/admin_catalogue.py) and our admin texts."""

from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.accounts.admin_site_helpers import admin_client, admin_url
from tests.i18n.dutch import database_names, dutch_in


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


PAGES = [
    ("admin:index", ()),
    ("admin:accounts_user_changelist", ()),
    ("admin:accounts_user_add", ()),
    ("admin:accounts_organisation_changelist", ()),
    ("admin:accounts_organisation_add", ()),
    ("admin:casework_prison_changelist", ()),
    ("admin:casework_prison_add", ()),
    ("admin:casework_lifedomain_changelist", ()),
    ("admin:casework_lifedomain_add", ()),
    ("admin:casework_interventionmodule_changelist", ()),
    ("admin:casework_interventionmodule_add", ()),
    ("admin:trajectories_assessmenttemplate_changelist", ()),
    ("admin:trajectories_assessmenttemplate_add", ()),
    ("admin:notifications_remindersetting_changelist", ()),
    ("admin:notifications_remindersetting_add", ()),
    ("admin:password_change", ()),
]
ENGLISH_IN_DUTCH = (
    "Model name",
    "After you’ve created a user",
    "Django administration",
    "Django site admin",
    "Change or view list link",
    "Add link",
)


def pages_for(user, language):
    user.language = language
    user.save(update_fields=["language"])
    client = admin_client(user)
    pages = [(name, client.get(reverse(name, args=args))) for name, args in PAGES]
    pages.append(("admin:accounts_user_change", client.get(admin_url("accounts_user", "change", user.pk))))
    return pages


def stored_reference_names():
    """The stored (Dutch) names of life domains, modules (and their groups) and instruments: what the
    administrator edits, shown as stored in the 'name' column (the column beside it shows them translated)."""
    from casework.models import InterventionModule, LifeDomain
    from trajectories.models import AssessmentTemplate

    return (
        *LifeDomain.objects.values_list("name", flat=True),
        *InterventionModule.objects.values_list("name", flat=True),
        *InterventionModule.objects.values_list("group", flat=True),
        *AssessmentTemplate.objects.values_list("name", flat=True),
    )


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_admin_site_has_no_dutch_in_french_or_english(admin_user, language):
    allowed = (*database_names(), *stored_reference_names())
    found = []
    for name, response in pages_for(admin_user, language):
        assert response.status_code == 200, name
        found += [f"{name}: {finding}" for finding in dutch_in(response.content.decode(), language, allowed=allowed)]
    assert not found, "\n".join(found)


def test_the_admin_site_has_no_english_in_dutch(admin_user):
    for name, response in pages_for(admin_user, "nl-be"):
        body = response.content.decode().replace("&#x27;", "'")
        assert response.status_code == 200, name
        left = [text for text in ENGLISH_IN_DUTCH if text in body]
        assert not left, f"{name}: {left}"
    body = pages_for(admin_user, "nl-be")[2][1].content.decode()
    assert "Nadat je een gebruiker hebt aangemaakt" in body and "Disengagement — beheer" in body


def test_the_headers_say_our_name_in_the_users_language(admin_user):
    pages = dict(pages_for(admin_user, "fr-be"))
    body = pages["admin:index"].content.decode()
    assert "Disengagement — administration" in body and "Utilisateurs et données de référence" in body
    assert "Site d’administration de Django" not in body


def test_the_life_domain_list_shows_the_name_as_the_reader_sees_it(admin_user):
    body = dict(pages_for(admin_user, "fr-be"))["admin:casework_lifedomain_changelist"].content.decode()
    assert "Psychosociale begeleiding" in body and "Accompagnement psychosocial" in body


def test_the_admin_javascript_widget_speaks_dutch(admin_user):
    """The two-box selector (a prison's directors) takes its words from the admin's JavaScript catalogue."""
    admin_user.language = "nl-be"
    admin_user.save(update_fields=["language"])
    body = admin_client(admin_user).get(reverse("admin:jsi18n")).content.decode()
    assert "Alle %s kiezen" in body and "Geselecteerde %s verwijderen" in body


def test_every_admin_text_has_dutch():
    """Django's Dutch admin catalogue plus ours cover every text of the admin's catalogues: a Django
    upgrade that adds texts fails here with the list to add to accounts/admin_catalogue.py."""
    django_dir = Path(django.__file__).parent
    ours = {
        e.msgid
        for e in polib.pofile(str(Path(__file__).parents[2] / "locale" / "nl_BE" / "LC_MESSAGES" / "django.po"))
        if e.msgstr or any(e.msgstr_plural.values())
    }
    ours_js = {
        e.msgid
        for e in polib.pofile(str(Path(__file__).parents[2] / "locale" / "nl_BE" / "LC_MESSAGES" / "djangojs.po"))
        if e.msgstr
    }
    missing = []
    for path, mine in (
        ("contrib/admin/locale/%s/LC_MESSAGES/django.po", ours),
        ("contrib/admin/locale/%s/LC_MESSAGES/djangojs.po", ours_js),
        ("contrib/auth/locale/%s/LC_MESSAGES/django.po", ours),
    ):
        source = {e.msgid for e in polib.pofile(str(django_dir / (path % "en"))) if not e.obsolete}
        dutch = {
            e.msgid
            for e in polib.pofile(str(django_dir / (path % "nl")))
            if not e.obsolete and (e.msgstr or any(e.msgstr_plural.values()))
        }
        missing += sorted(source - dutch - mine)
    assert not missing, missing
